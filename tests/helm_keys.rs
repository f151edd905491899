//! Every key the Helm exporter writes is one the chart reads.
//!
//! Neither chart generation ships a values schema, so Helm silently ignores a misspelled key
//! (the guide's `leafnodes.no_advertise` is one). Each emitted key path must exist in the
//! chart's own default `values.yaml` (copies in `../shared/reference/helm/`), or lie under a map
//! the chart's templates read freely: any `merge` or `patch`, and the maps listed per chart
//! below, each with the evidence that the chart reads it.

mod support;

use nats_topology::model::example::{guide_corrected, hostile_names};
use nats_topology::model::export::{helm, Chart};
use nats_topology::model::generate::generated;
use nats_topology::model::{Design, LeafnodeRemote, Password};
use serde_yaml::Value;
use std::fs;

/// A file of the reference folder; fails, never skips, when it is missing.
fn reference(file: &str) -> String {
    let path = support::reference_dir().join("helm").join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is needed to check the exported Helm keys and could not be read ({e}); the project expects \
             ../shared/reference/helm beside the checkout, or NATS_TOPOLOGY_SHARED naming a copy of shared/ (README, \"Reference material\")",
            path.display()
        )
    })
}

/// Where a chart reads keys its default values do not list.
struct Allowances {
    /// Maps read whole (every key below them is passed on), as dotted paths.
    free: &'static [&'static str],
    /// Keys (or maps read whole) the templates read though the default values do not set them,
    /// with a file and the text in it that documents them.
    documented: &'static [(&'static str, &'static str, &'static str)],
}

const V0_19: Allowances = Allowances {
    // configmap.yaml renders `auth.basic.accounts` with toRawJson and ranges over
    // `leafnodes.remotes` (reference README, section 1); statefulset.yaml passes
    // `additionalVolumes` and `additionalVolumeMounts` (Kubernetes Volume and VolumeMount
    // objects) through toYaml.
    free: &["auth.basic", "leafnodes.remotes", "additionalVolumes", "additionalVolumeMounts"],
    documented: &[
        // configmap.yaml: `name: {{ .Values.cluster.name }}` (the guide sets it too).
        ("cluster.name", "README.md", "| `cluster.name` |"),
        // Listed, commented out, in the default values under `auth`.
        ("auth.systemAccount", "nats-0.19.16.values.yaml", "  # systemAccount:"),
    ],
};

const V1: Allowances = Allowances {
    // `container.env` is a map of variable name to value or EnvVar source (nats.env helper).
    free: &["container.env"],
    documented: &[
        // service.yaml merges `service.ports.<protocol>` (less `enabled`) into the Kubernetes
        // ServicePort; the values document them as ServicePort objects.
        ("service.ports.leafnodes", "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
        ("service.ports.leafnodes", "nats-1.3.16.values.yaml", "#serviceport-v1-core"),
    ],
};

/// Every key path of a values document: maps add `.key`, lists add `[]`.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = key.as_str().map(str::to_owned).unwrap_or_else(|| format!("{key:?}"));
                prefix.push(key);
                out.push((prefix.clone(), child.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Sequence(items) => {
            prefix.push("[]".to_owned());
            for item in items {
                paths(item, prefix, out);
            }
            prefix.pop();
        }
        _ => {}
    }
}

/// The default value at a path, if the default values have that key.
fn default_at<'v>(defaults: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(defaults, |node, step| match (node, step.as_str()) {
        (Value::Sequence(items), "[]") => items.first(),
        (Value::Mapping(map), key) => map.get(key),
        _ => None,
    })
}

/// Why a path is not a key the chart reads, if it is not.
fn problem(defaults: &Value, allow: &Allowances, path: &[String], emitted: &Value) -> Option<String> {
    let dotted = path.join(".");
    let under = |prefix: &str| dotted == prefix || dotted.starts_with(&format!("{prefix}."));
    // Anything below a `merge` or `patch` key (which itself must be a default key).
    if path[..path.len() - 1].iter().any(|step| step == "merge" || step == "patch") {
        return None;
    }
    if allow.free.iter().any(|p| under(p)) || allow.documented.iter().any(|(p, _, _)| under(p)) {
        return None;
    }
    let Some(default) = default_at(defaults, path) else {
        return Some(format!("{dotted} is not a key of the chart's default values"));
    };
    let shape = |v: &Value| match v {
        Value::Mapping(_) => "a map",
        Value::Sequence(_) => "a list",
        _ => "a scalar",
    };
    let typed = !default.is_null();
    (typed && shape(default) != shape(emitted))
        .then(|| format!("{dotted} is {} but the chart's default is {}", shape(emitted), shape(default)))
}

/// Designs exercising every kind of key the exporter writes.
fn designs() -> Vec<Design> {
    let mut varied = guide_corrected();
    let ids: Vec<_> = varied.clusters().map(|(id, _)| id).collect();
    if let Some(hub) = varied.cluster_mut(ids[0]) {
        let listener = hub.leafnode_listener.as_mut().expect("the example's hub listens");
        listener.no_advertise = false;
        listener.public_endpoints = vec!["hq.example.com:7422".into()];
        hub.servers = 1;
        hub.jetstream = false;
    }
    if let Some(spoke) = varied.cluster_mut(ids[1]) {
        spoke.remotes.push(LeafnodeRemote {
            url: "nats://hq.example.com:7422".into(),
            credentials: Some("/etc/nats-creds/leaf/acc.creds".into()),
            ..LeafnodeRemote::default()
        });
        spoke.remotes.push(LeafnodeRemote {
            url: "nats://hq.example.com:7422".into(),
            nkey: Some("leaf.nk".into()),
            user: Some("plain".into()),
            password: Some(Password::Plain("plain".into())),
            ..LeafnodeRemote::default()
        });
        spoke.server_name_prefix.clear();
    }
    vec![guide_corrected(), hostile_names(), generated(5, 20), varied]
}

fn check(chart: Chart, values_file: &str, allow: &Allowances) {
    let defaults: Value = serde_yaml::from_str(&reference(values_file))
        .unwrap_or_else(|e| panic!("{values_file} is the chart's values.yaml and parses ({e})"));
    for (key, file, evidence) in allow.documented {
        assert!(reference(file).contains(evidence), "{file} documents {key} with {evidence:?}");
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for design in designs() {
        for file in helm::render(&design, chart) {
            let values: Value = serde_yaml::from_str(&file.contents)
                .unwrap_or_else(|e| panic!("{} of {} is valid YAML ({e})", file.path, design.name));
            let mut all = Vec::new();
            paths(&values, &mut Vec::new(), &mut all);
            for (path, emitted) in &all {
                checked += 1;
                if let Some(p) = problem(&defaults, allow, path, emitted) {
                    problems.push(format!("{} ({:?}): {p}", file.path, design.name));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(checked > 100, "the designs exercise the exporter ({checked} keys checked)");
    assert!(problems.is_empty(), "keys {values_file} does not read:\n{}", problems.join("\n"));
}

#[test]
fn chart_0_19_values_use_only_keys_the_chart_reads() {
    check(Chart::V0_19, "nats-0.19.16.values.yaml", &V0_19);
}

#[test]
fn chart_1_values_use_only_keys_the_1_3_chart_reads() {
    check(Chart::V1, "nats-1.3.16.values.yaml", &V1);
}

#[test]
fn chart_1_values_use_only_keys_the_2_14_chart_reads() {
    check(Chart::V1, "nats-2.14.2.values.yaml", &V1);
}

#[test]
fn the_check_catches_the_guides_misspelled_key() {
    let defaults: Value = serde_yaml::from_str(&reference("nats-0.19.16.values.yaml")).expect("values parse");
    let path: Vec<String> = ["leafnodes", "no_advertise"].map(str::to_owned).to_vec();
    assert!(problem(&defaults, &V0_19, &path, &Value::Bool(true)).is_some());
    let path: Vec<String> = ["leafnodes", "noAdvertise"].map(str::to_owned).to_vec();
    assert!(problem(&defaults, &V0_19, &path, &Value::Bool(true)).is_none());
}
