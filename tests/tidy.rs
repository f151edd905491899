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
    // RULES.md, then the repository's own supplement (RULES.md is read-only shared material).
    let supplement = fs::read_to_string(root().join("docs/RULES-consumers.md")).expect("docs/RULES-consumers.md");
    let catalog = shared("RULES.md") + "\n" + &supplement;
    let ids: Vec<&str> = catalog
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(id, _)| id)
        .collect();
    let ours: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(ours, ids, "Rule::ALL must list the ids of RULES.md and docs/RULES-consumers.md in catalog order");
    for rule in Rule::ALL {
        let row = catalog.lines().find(|l| l.starts_with(&format!("| `{}` |", rule.as_str()))).expect("row");
        let severity = row.split('|').nth(2).map(str::trim).expect("severity column");
        assert_eq!(rule.severity().as_str(), severity, "severity of {rule}");
    }
}

/// The component modules each file of `src/components` names (`use super::x`, `super::x::f`,
/// `crate::components::x`), as edges between top-level component modules: `canvas/link_edge.rs`
/// belongs to `canvas`, and its `super::` is `canvas` itself.
fn component_edges(files: &[(String, String)]) -> Vec<(String, String)> {
    let mut edges = Vec::new();
    for (path, text) in files {
        let parts: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
        let from = parts[0].to_owned();
        if from == "mod" {
            continue;
        }
        // The prefixes that reach the components folder from this file.
        let nested = parts.len() > 1 && parts[parts.len() - 1] != "mod";
        let mut prefixes = vec!["crate::components::".to_owned()];
        prefixes.push(if nested { "super::super::".to_owned() } else { "super::".to_owned() });
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for prefix in &prefixes {
                let mut rest = line;
                while let Some(at) = rest.find(prefix.as_str()) {
                    // `super::super::x` also contains `super::x`; only whole paths count.
                    let before = &rest[..at];
                    rest = &rest[at + prefix.len()..];
                    if before.ends_with("::") {
                        continue;
                    }
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    let name = if name.is_empty() && rest.starts_with('{') {
                        // `use super::{a, b}`: each module named in the group.
                        let group = &rest[1..rest.find('}').unwrap_or(rest.len())];
                        for item in group.split(',') {
                            let item: String =
                                item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                            if !item.is_empty() && item != from && item.chars().next().is_some_and(char::is_lowercase) {
                                edges.push((from.clone(), item));
                            }
                        }
                        continue;
                    } else {
                        name
                    };
                    if !name.is_empty() && name != from && name.chars().next().is_some_and(char::is_lowercase) {
                        edges.push((from.clone(), name));
                    }
                }
            }
        }
    }
    edges.sort();
    edges.dedup();
    edges
}

/// A cycle among the modules of `edges`, as the path that closes it, if there is one.
fn find_cycle(edges: &[(String, String)]) -> Option<Vec<String>> {
    use std::collections::BTreeMap;
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        graph.entry(a).or_default().push(b);
        graph.entry(b).or_default();
    }
    // 0: not seen, 1: on the current path, 2: done.
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(node, 1);
        path.push(node);
        for next in &graph[node] {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle: Vec<String> = path[start..].iter().map(|s| (*s).to_owned()).collect();
                    cycle.push((*next).to_owned());
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(next, graph, state, path) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(node, 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(node, &graph, &mut state, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn the_cycle_check_finds_a_made_up_cycle_and_passes_a_tree() {
    let file = |path: &str, text: &str| (path.to_owned(), text.to_owned());
    let cyclic = [
        file("app.rs", "use super::canvas::Canvas;\nuse super::{toolbar::Toolbar, palette};"),
        file("canvas/mod.rs", "use crate::components::file_menu::open_or_import;"),
        file("canvas/shape.rs", "use super::Badge;\nuse super::super::toolbar::x;"),
        file("file_menu.rs", "use super::canvas::fit; // the loop"),
        file("toolbar.rs", "// use super::app::Ui; is a comment\nuse crate::state::Ui;"),
    ];
    let edges = component_edges(&cyclic);
    let named = |a: &str, b: &str| edges.contains(&(a.to_owned(), b.to_owned()));
    assert!(named("app", "canvas") && named("app", "toolbar") && named("app", "palette"), "{edges:?}");
    assert!(named("canvas", "file_menu") && named("canvas", "toolbar") && named("file_menu", "canvas"), "{edges:?}");
    assert!(!named("toolbar", "app"), "comments do not count: {edges:?}");
    assert!(!edges.iter().any(|(a, b)| a == b), "a module's own parts are no edge: {edges:?}");
    assert_eq!(find_cycle(&edges), Some(vec!["canvas".into(), "file_menu".into(), "canvas".into()]));
    let tree = [file("app.rs", "use super::canvas::Canvas;"), file("canvas/mod.rs", "use crate::state::actions::fit;")];
    assert_eq!(find_cycle(&component_edges(&tree)), None);
}

#[test]
fn components_do_not_import_each_other_in_a_circle() {
    let dir = root().join("src/components");
    let mut paths = Vec::new();
    rust_files(&dir, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(&dir).expect("under src/components").to_string_lossy().replace('\\', "/");
            (relative, fs::read_to_string(p).expect("component source is readable"))
        })
        .collect();
    assert!(files.len() > 10, "found the components");
    let edges = component_edges(&files);
    assert!(edges.iter().any(|(a, b)| a == "app" && b == "canvas"), "the check sees the shell's imports: {edges:?}");
    if let Some(cycle) = find_cycle(&edges) {
        panic!(
            "components import each other in a circle: {}; shared state and actions belong in src/state",
            cycle.join(" -> ")
        );
    }
}
