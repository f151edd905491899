//! Every NACK file the export writes validates against the CRD's openAPI schema
//! (`../shared/reference/schemas/nack-crds.v1beta2.yml`, version `v1beta2`).
//!
//! The CRD schemas leave `additionalProperties` open, and the Kubernetes API server then prunes
//! (silently drops) fields a schema does not know, so a misspelt field would vanish. The test
//! therefore closes every object schema that lists `properties` (`additionalProperties: false`):
//! a field the CRD does not know fails here. `metadata.name` is checked as the API server
//! checks it (a DNS-1123 subdomain, here a label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63).

mod support;

use nats_topology::model::bucket::{self, ObjSettings};
use nats_topology::model::consumer::{AckPolicy, Consumer, DeliverPolicy};
use nats_topology::model::example::{guide_corrected, hostile_names};
use nats_topology::model::export::nack;
use nats_topology::model::stream::{Compression, ConsumerLimits, Republish, SubjectTransform, SECOND};
use nats_topology::model::templates;
use nats_topology::model::Design;
use serde_json::Value;
use std::collections::BTreeMap;

/// Adds `additionalProperties: false` to every object schema with `properties`.
fn close(schema: &mut Value) {
    match schema {
        Value::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            for v in m.values_mut() {
                close(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

/// The v1beta2 schema of each kind, closed, over the whole object (apiVersion, kind, metadata).
fn schemas() -> BTreeMap<String, jsonschema::Validator> {
    let path = support::reference_dir().join("schemas/nack-crds.v1beta2.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is needed by this test and could not be read ({e}); the project expects ../shared beside the checkout, or NATS_TOPOLOGY_SHARED naming a copy",
            path.display()
        )
    });
    let mut out = BTreeMap::new();
    for document in serde_yaml::Deserializer::from_str(&text) {
        let crd: Value = serde::Deserialize::deserialize(document).expect("a CRD document");
        let kind = crd["spec"]["names"]["kind"].as_str().expect("a kind").to_owned();
        // StreamTemplate has no v1beta2 (and the export writes none).
        let Some(version) =
            crd["spec"]["versions"].as_array().expect("versions").iter().find(|v| v["name"] == "v1beta2")
        else {
            continue;
        };
        let mut spec_schema = version["schema"]["openAPIV3Schema"].clone();
        close(&mut spec_schema);
        // The whole resource: the CRD's schema for spec (and status), plus the envelope.
        let props = spec_schema["properties"].as_object_mut().expect("properties");
        props.insert("apiVersion".into(), serde_json::json!({"const": "jetstream.nats.io/v1beta2"}));
        props.insert("kind".into(), serde_json::json!({"const": kind}));
        props.insert(
            "metadata".into(),
            serde_json::json!({
                "type": "object",
                "required": ["name"],
                "additionalProperties": false,
                "properties": {"name": {"type": "string", "maxLength": 63, "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}}
            }),
        );
        spec_schema["required"] = serde_json::json!(["apiVersion", "kind", "metadata", "spec"]);
        out.insert(kind, jsonschema::draft7::new(&spec_schema).expect("the CRD schema compiles"));
    }
    out
}

/// A design with every kind: the guide's streams (sources with API prefixes, a deliver prefix),
/// hostile descriptions, consumers of every shape, key-value buckets and an object store.
fn rich() -> Vec<Design> {
    let mut guide = guide_corrected();
    let ids: Vec<_> = guide.streams().map(|s| s.id).collect();
    for (i, id) in ids.iter().enumerate() {
        let s = guide.stream_mut(*id).unwrap();
        s.config.description = Some("$(rm -rf ~)\n\"; drop <script>".into());
        s.config.max_age = 3600 * SECOND;
        s.config.republish = Some(Republish { src: ">".into(), dest: "re.>".into(), headers_only: false });
        s.config.consumer_limits =
            Some(ConsumerLimits { inactive_threshold: Some(60 * SECOND), max_ack_pending: Some(500) });
        if i == 0 {
            s.config.subject_transform = Some(SubjectTransform { src: "a.>".into(), dest: "b.>".into() });
        }
        let mut pull = Consumer::pull("$(id)'\"<b;x");
        pull.filter_subjects = vec!["a.>".into(), "b.>".into()];
        pull.deliver_policy = DeliverPolicy::ByStartSequence;
        pull.opt_start_seq = Some(3);
        pull.max_deliver = Some(4);
        pull.max_ack_pending = Some(10);
        let mut push = Consumer::push("Pusher", "deliver.x");
        push.ack_policy = AckPolicy::All;
        push.deliver_group = Some("g".into());
        push.idle_heartbeat = Some(5 * SECOND);
        push.flow_control = true;
        push.ack_wait = Some(1500 * 1_000_000);
        push.replicas = 1;
        s.consumers = vec![pull, push, Consumer::pull("pusher")];
    }
    let mut kv = templates::edge_key_value();
    let id = kv.streams().next().unwrap().id;
    kv.stream_mut(id).unwrap().consumers = vec![Consumer::pull("watcher")];
    let hub = kv.clusters().next().unwrap().0;
    let store =
        ObjSettings { ttl: 60 * SECOND, max_bytes: 1 << 20, compression: Compression::S2, ..ObjSettings::default() };
    kv.add_stream(hub, "ACC", bucket::obj_config("files", &store)).unwrap();
    vec![guide, hostile_names(), kv, templates::cross_account_sharing()]
}

#[test]
fn every_nack_file_validates_against_the_crd_schema() {
    let schemas = schemas();
    let mut kinds = BTreeMap::new();
    for design in rich() {
        let files = nack::render(&design);
        assert!(!files.is_empty());
        let mut names: BTreeMap<(String, String), String> = BTreeMap::new();
        for file in &files {
            if file.path == "nack/kustomization.yaml" {
                continue;
            }
            let value: Value = serde_yaml::from_str(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
            let kind = value["kind"].as_str().expect("a kind").to_owned();
            let validator = schemas.get(&kind).unwrap_or_else(|| panic!("{}: no CRD for {kind}", file.path));
            let errors: Vec<String> =
                validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
            assert!(errors.is_empty(), "{} does not validate:\n{}\n{}", file.path, errors.join("\n"), file.contents);
            let name = value["metadata"]["name"].as_str().unwrap().to_owned();
            if let Some(other) = names.insert((kind.clone(), name.clone()), file.path.clone()) {
                panic!("{} and {other} share the {kind} name {name}", file.path);
            }
            *kinds.entry(kind).or_insert(0) += 1;
        }
        // The kustomization lists exactly the other files, relative to it.
        let k: Value = serde_yaml::from_str(&files.last().unwrap().contents).unwrap();
        assert_eq!(files.last().unwrap().path, "nack/kustomization.yaml");
        let listed: Vec<&str> = k["resources"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let expected: Vec<&str> =
            files[..files.len() - 1].iter().map(|f| f.path.strip_prefix("nack/").unwrap()).collect();
        assert_eq!(listed, expected);
    }
    for kind in ["Account", "Stream", "KeyValue", "ObjectStore", "Consumer"] {
        assert!(kinds.get(kind).is_some_and(|n| *n > 0), "no {kind} was checked: {kinds:?}");
    }
}

#[test]
fn hostile_names_survive_as_data_in_the_spec() {
    let design = &rich()[0];
    let files = nack::render(design);
    let consumers: Vec<Value> = files
        .iter()
        .filter(|f| f.path.starts_with("nack/consumer-"))
        .map(|f| serde_yaml::from_str(&f.contents).unwrap())
        .collect();
    assert!(consumers.iter().any(|c| c["spec"]["durableName"] == "$(id)'\"<b;x"));
    // `Pusher` and `pusher` are two consumers: their resource names differ.
    let names: Vec<&str> = consumers.iter().map(|c| c["metadata"]["name"].as_str().unwrap()).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    let hostile = nack::render(&hostile_names());
    for file in &hostile {
        // Every comment line stays one line: no name breaks out of it.
        for line in file.contents.lines().filter(|l| l.starts_with('#')) {
            assert!(!line.contains('\n'));
        }
        let value: Value = serde_yaml::from_str(&file.contents).unwrap();
        if value["kind"] == "Stream" {
            assert!(value["spec"]["description"].as_str().is_some());
        }
    }
}
