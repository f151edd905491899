//! `src/model/import/helm_keys.rs` is generated from the charts' default values in
//! `../shared/reference/helm/`; this test derives it again and fails when it is stale.
//!
//! Run `UPDATE_HELM_KEYS=1 cargo test --test import_helm_keys` to rewrite it.
//!
//! How the list is derived, per chart generation:
//! - every key path of the default `values.yaml` (lists as `[]`), and every key of the
//!   commented-out examples in it (`# systemAccount:`, `# remotes:`), placed by indentation;
//! - "closed" paths: those whose default is a non-empty map; below them only listed keys are
//!   read. Everything else (empty maps such as `merge: {}`, lists such as `patch: []`, scalars,
//!   commented-out keys) is open: the templates pass what is below on as given;
//! - keys the templates read although the values do not list them, with the evidence
//!   ([`DOCUMENTED`]).
//!
//! The 1.x and 2.x charts share one schema, so their lists are merged (a path is closed when it
//! is closed in one chart and not open in the other).

mod support;

use serde_yaml::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const GENERATED: &str = "src/model/import/helm_keys.rs";

/// Keys read though the default values do not list them, as (generation, path, open, evidence
/// file, evidence text).
const DOCUMENTED: &[(&str, &str, bool, &str, &str)] = &[
    // configmap.yaml: `name: {{ .Values.cluster.name }}` (the guide sets it too).
    ("0.19", "cluster.name", true, "README.md", "| `cluster.name` |"),
    // configmap.yaml renders the route listener's tls block from it with `nats.tlsConfig`.
    ("0.19", "cluster.tls", true, "charts/nats-0.19.16/templates/configmap.yaml", "{{- with .Values.cluster.tls }}"),
    // service.yaml merges `service.ports.<protocol>` (less `enabled`) into the ServicePort.
    ("1", "service.ports.nats", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
    ("1", "service.ports.leafnodes", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
    ("1", "service.ports.websocket", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
    ("1", "service.ports.mqtt", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
    ("1", "service.ports.cluster", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
    ("1", "service.ports.gateway", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
    ("1", "service.ports.monitor", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
    ("1", "service.ports.profiling", false, "nats-2.14.2.values.yaml", "#serviceport-v1-core"),
];

fn reference(file: &str) -> String {
    let path = support::reference_dir().join("helm").join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is needed to derive the Helm key list and could not be read ({e}); the project expects \
             ../shared/reference/helm beside the checkout, or NATS_TOPOLOGY_SHARED naming a copy of shared/ (README, \"Reference material\")",
            path.display()
        )
    })
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// Real keys, and the closed paths, from the parsed values.
fn walk(value: &Value, path: &str, keys: &mut BTreeSet<String>, closed: &mut BTreeSet<String>) {
    match value {
        Value::Mapping(map) if !map.is_empty() => {
            closed.insert(path.to_owned());
            for (key, child) in map {
                let key = key.as_str().map(str::to_owned).unwrap_or_else(|| format!("{key:?}"));
                let child_path = join(path, &key);
                keys.insert(child_path.clone());
                walk(child, &child_path, keys, closed);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                walk(item, &format!("{path}[]"), keys, closed);
            }
        }
        _ => {}
    }
}

/// A key at the start of `text`: a plain identifier followed by `:` and a short value.
fn commented_key(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.split_once(':')?;
    let value = value.trim();
    let plain = !key.is_empty()
        && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let short = value.is_empty()
        || value.starts_with(['"', '\'', '[', '{'])
        || (!value.contains(' ') && !value.starts_with("http") && !value.starts_with('/'));
    (plain && short).then_some((key, value))
}

/// Every key path, real and commented out, placed by indentation.
fn all_keys(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    // (indentation, path) of the keys that may have children.
    let mut stack: Vec<(usize, String)> = Vec::new();
    for raw in text.lines() {
        let indent = raw.len() - raw.trim_start().len();
        let content = raw.trim();
        let (col, rest) = match content.strip_prefix('#') {
            Some(comment) => {
                let comment = comment.strip_prefix(' ').unwrap_or(comment);
                let inner = comment.trim_start();
                (indent + comment.len() - inner.len(), inner)
            }
            None => (indent, content),
        };
        let (col, rest) = match rest.strip_prefix("- ") {
            Some(item) => (col + 2, item.trim_start()),
            None => (col, rest),
        };
        let Some((key, value)) = commented_key(rest) else { continue };
        while stack.last().is_some_and(|(i, _)| *i >= col) {
            stack.pop();
        }
        let parent = stack.last().map_or(String::new(), |(_, p)| p.clone());
        let list = if content.trim_start_matches('#').trim_start().starts_with("- ") { "[]" } else { "" };
        let path = join(&format!("{parent}{list}"), key);
        keys.insert(path.clone());
        if value.is_empty() {
            stack.push((col, path));
        }
    }
    keys
}

struct Chart {
    keys: BTreeSet<String>,
    closed: BTreeSet<String>,
}

fn chart(file: &str) -> Chart {
    let text = reference(file);
    let value: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file} parses ({e})"));
    let mut keys = BTreeSet::new();
    let mut closed = BTreeSet::new();
    walk(&value, "", &mut keys, &mut closed);
    closed.remove("");
    keys.extend(all_keys(&text));
    Chart { keys, closed }
}

fn with_documented(mut chart: Chart, generation: &str) -> Chart {
    for (g, path, closed, file, evidence) in DOCUMENTED {
        if *g != generation {
            continue;
        }
        assert!(reference(file).contains(evidence), "{file} documents {path} with {evidence:?}");
        chart.keys.insert((*path).to_owned());
        if !closed {
            chart.closed.remove(*path);
        }
    }
    // A documented open map lifts the closing of the map it was below, for itself only.
    chart
}

fn merged(a: Chart, b: Chart) -> Chart {
    let keys: BTreeSet<String> = a.keys.union(&b.keys).cloned().collect();
    let open_in = |c: &Chart, p: &String| c.keys.contains(p) && !c.closed.contains(p);
    let closed = a.closed.union(&b.closed).filter(|p| !open_in(&a, p) && !open_in(&b, p)).cloned().collect();
    Chart { keys, closed }
}

fn list(out: &mut String, name: &str, doc: &str, items: &BTreeSet<String>) {
    let _ = writeln!(out, "/// {doc}");
    let _ = writeln!(out, "pub const {name}: &[&str] = &[");
    for item in items {
        let _ = writeln!(out, "    {item:?},");
    }
    out.push_str("];\n");
}

fn generate() -> String {
    let v0_19 = with_documented(chart("nats-0.19.16.values.yaml"), "0.19");
    let v1 = with_documented(merged(chart("nats-1.3.16.values.yaml"), chart("nats-2.14.2.values.yaml")), "1");
    let mut out = String::from(
        "//! The value keys each NATS Helm chart generation reads: GENERATED by `tests/import_helm_keys.rs`\n\
         //! from the charts' default values in `../shared/reference/helm/` (0.19.16; 1.3.16 and 2.14.2\n\
         //! merged), plus keys their templates read without listing them. Do not edit by hand: run\n\
         //! `UPDATE_HELM_KEYS=1 cargo test --test import_helm_keys`.\n\
         //!\n\
         //! `*_KEYS`: every known key path (list elements as `[]`), commented-out examples included.\n\
         //! `*_CLOSED`: paths whose default is a non-empty map: below them only known keys are read.\n\
         //! Below any other path (`merge`, `patch`, empty maps, lists, commented-out keys) the chart\n\
         //! passes values on as given. Both lists are sorted.\n\n",
    );
    list(&mut out, "V0_19_KEYS", "Chart 0.19.x: every known key path.", &v0_19.keys);
    out.push('\n');
    list(&mut out, "V0_19_CLOSED", "Chart 0.19.x: maps that read only known keys.", &v0_19.closed);
    out.push('\n');
    list(&mut out, "V1_KEYS", "Chart 1.x/2.x: every known key path.", &v1.keys);
    out.push('\n');
    list(&mut out, "V1_CLOSED", "Chart 1.x/2.x: maps that read only known keys.", &v1.closed);
    out
}

#[test]
fn the_generated_helm_key_list_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
    let expected = generate();
    if std::env::var_os("UPDATE_HELM_KEYS").is_some() {
        fs::write(&path, &expected).expect("the generated file is writable");
    }
    let actual = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{GENERATED} is stale: run UPDATE_HELM_KEYS=1 cargo test --test import_helm_keys (and rustfmt it)"
    );
}

#[test]
fn the_list_knows_the_guides_keys_and_not_its_misspelling() {
    let v0_19 = with_documented(chart("nats-0.19.16.values.yaml"), "0.19");
    for key in [
        "nats.jetstream.domain",
        "cluster.name",
        "leafnodes.noAdvertise",
        "leafnodes.remotes",
        "auth.basic",
        "auth.systemAccount",
    ] {
        assert!(v0_19.keys.contains(key), "{key}");
    }
    assert!(!v0_19.keys.contains("leafnodes.no_advertise"));
    assert!(v0_19.closed.contains("leafnodes"));
    assert!(!v0_19.closed.contains("leafnodes.remotes"));
}
