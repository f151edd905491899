//! Tidy checks: invariants of the code base that are cheaper to test than to review.

mod support;

use nats_topology::model::validate::Rule;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Reads a file of `../shared`, failing with a clear message when it is absent.
fn shared(path: &str) -> String {
    let file = support::shared_dir().join(path);
    fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{} is needed by this test and could not be read ({e}); the project expects ../shared beside the checkout, or NATS_TOPOLOGY_SHARED naming a copy (README, \"Reference material\")",
            file.display()
        )
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_model_knows_nothing_of_the_browser_or_the_operating_system() {
    const FORBIDDEN: [&str; 10] = [
        "leptos",
        "web_sys",
        "js_sys",
        "wasm_bindgen",
        "gloo",
        "std::fs",
        "std::process",
        "std::net",
        "std::time::SystemTime",
        "Instant::now",
    ];
    let mut files = Vec::new();
    rust_files(&root().join("src/model"), &mut files);
    assert!(files.len() > 5, "found the model's sources");
    let mut offences = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("model source is readable");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for word in FORBIDDEN.iter().filter(|w| line.contains(**w)) {
                offences.push(format!("{}:{}: {word}", file.display(), n + 1));
            }
        }
    }
    assert!(offences.is_empty(), "the model must stay pure:\n{}", offences.join("\n"));
}

#[test]
fn trunk_pins_the_wasm_bindgen_version_of_cargo_lock() {
    let lock = fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .expect("Cargo.lock has wasm-bindgen")
        .trim_matches('"');
    let trunk = fs::read_to_string(root().join("Trunk.toml")).expect("Trunk.toml");
    assert!(
        trunk.contains(&format!("wasm_bindgen = \"{locked}\"")),
        "Trunk.toml must pin wasm_bindgen = \"{locked}\" (Cargo.lock's version)"
    );
}

#[test]
fn rule_ids_are_exactly_the_catalogs() {
    let catalog = shared("RULES.md");
    let ids: Vec<&str> = catalog
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(id, _)| id)
        .collect();
    let ours: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(ours, ids, "Rule::ALL must list RULES.md's ids in catalog order");
    for rule in Rule::ALL {
        let row = catalog.lines().find(|l| l.starts_with(&format!("| `{}` |", rule.as_str()))).expect("row");
        let severity = row.split('|').nth(2).map(str::trim).expect("severity column");
        assert_eq!(rule.severity().as_str(), severity, "severity of {rule}");
    }
}
