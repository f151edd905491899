//! Every exported stream file is valid against jsm.go's stream configuration schema, the one
//! `nats stream add --config` validates with: the current schema for current servers, the
//! 2023-05-23 schema (no fields a 2.9 server does not know) for clusters targeting 2.9.

mod support;

use nats_topology::model::cluster::NatsVersion;
use nats_topology::model::example::{guide_corrected, hostile_names};
use nats_topology::model::export::cli_script::stream_files;
use nats_topology::model::generate::generated;
use nats_topology::model::Design;

fn schema(file: &str) -> jsonschema::Validator {
    let path = support::reference_dir().join("schemas").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is needed by this test and could not be read ({e}); the project expects ../shared beside the checkout, or NATS_TOPOLOGY_SHARED naming a copy (README, \"Reference material\")",
            path.display()
        )
    });
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft7::new(&schema).expect("the schema compiles")
}

/// The example with every stream option a user can set, on a current server.
fn rich_design() -> Design {
    let mut d = generated(3, 12);
    let ids: Vec<_> = d.streams().map(|s| s.id).collect();
    for id in ids {
        let c = &mut d.stream_mut(id).expect("stream").config;
        c.description = Some("orders from the shops".into());
        c.max_age = 3_600_000_000_000;
        c.duplicate_window = Some(60_000_000_000);
        c.allow_direct = true;
        c.allow_msg_ttl = true;
        c.metadata.insert("team".into(), "shop".into());
    }
    d
}

fn check(design: &Design, schemas: &[(NatsVersion, &jsonschema::Validator)], current: &jsonschema::Validator) {
    let clusters: Vec<_> = design.clusters().map(|(_, c)| c).collect();
    let files = stream_files(design);
    assert_eq!(files.len(), design.streams().count(), "one file per stream");
    for file in files {
        let value: serde_json::Value = serde_json::from_str(&file.contents).expect("exported JSON parses");
        let stem = file.path.trim_start_matches("streams/");
        let version = clusters
            .iter()
            .find(|c| stem.starts_with(&format!("{}.", nats_topology::model::export::file_stem(&c.name))))
            .map_or(NatsVersion::V2_14, |c| c.version);
        let validator = schemas.iter().find(|(v, _)| *v == version).map_or(current, |(_, s)| s);
        let errors: Vec<String> =
            validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{} (target {version}) is not valid:\n{}", file.path, errors.join("\n"));
    }
}

#[test]
fn exported_stream_files_are_valid_against_the_schema_of_their_servers_line() {
    let current = schema("stream_configuration.json");
    let old = schema("stream_configuration.jsm-c896468-2023-05-23.json");
    let schemas = [(NatsVersion::V2_9, &old)];
    for design in [guide_corrected(), hostile_names(), generated(10, 100), rich_design()] {
        check(&design, &schemas, &current);
    }
}

#[test]
fn the_old_schema_refuses_fields_a_2_9_server_does_not_know() {
    // Guards the test above: if the old schema accepted anything, checking against it proves nothing.
    let old = schema("stream_configuration.jsm-c896468-2023-05-23.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&stream_files(&guide_corrected())[0].contents).expect("exported JSON parses");
    assert!(old.is_valid(&value));
    value["allow_msg_ttl"] = serde_json::Value::Bool(true);
    assert!(!old.is_valid(&value));
}
