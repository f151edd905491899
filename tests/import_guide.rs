//! The guide's files, imported: as written they raise every rule the catalog's last section
//! lists, each on the right file and line; corrected they raise no error. The fixtures under
//! `tests/fixtures/guide-as-written/` are the guide's blocks verbatim (checked here against
//! `../shared/seed/guide.md`).

mod support;

use nats_topology::model::import::{import, Imported, SourceFile};
use nats_topology::model::validate::{Diagnostic, Rule, Severity};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const AS_WRITTEN: &str = "tests/fixtures/guide-as-written";
const CORRECTED: &str = "tests/fixtures/guide-corrected";

/// Every file of a fixture folder, paths relative to the crate, sorted.
fn files(folder: &str) -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("fixture folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join(folder), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let relative = p.strip_prefix(root()).expect("under the crate").to_string_lossy().replace('\\', "/");
            SourceFile::new(relative, fs::read_to_string(&p).expect("fixture text"))
        })
        .collect()
}

fn imported(folder: &str) -> (Imported, Vec<Diagnostic>) {
    let imported = import(&files(folder));
    let all = imported.validate();
    (imported, all)
}

/// `rule file:line` of every diagnostic.
fn places(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let at = d.location.as_ref().map_or("-".to_owned(), |l| match l.line {
                Some(n) => format!("{}:{n}", l.file.trim_start_matches(AS_WRITTEN).trim_start_matches('/')),
                None => l.file.clone(),
            });
            format!("{} {at}", d.rule)
        })
        .collect()
}

#[test]
fn the_guide_as_written_raises_every_rule_the_catalog_lists_on_the_right_file_and_line() {
    let (_, all) = imported(AS_WRITTEN);
    let found = places(&all);
    for expected in [
        // `no_advertise` instead of chart 0.19's `noAdvertise`.
        "helm-unknown-key hub.values.yaml:11",
        // `$JS.spoke-1.API` while spoke-1's domain is cinema-a, in the sales file's `api` lines.
        "external-api-unknown-domain src/hub.sales.json:18",
        "external-api-unknown-domain src/hub.sales.json:25",
        // `--js-domain=spoke-1` for the mirror.
        "script-domain-unknown setup.sh:2",
        // `spoke-1.ticket-1.json` and `spoke-2.ticket-2.json`, files that do not exist.
        "script-config-missing setup.sh:3",
        "script-config-missing setup.sh:4",
        // The "mirror" is a second stream cinema-a with the same subjects.
        "subject-overlap-across-domains src/spoke-1.cinema-a-mirror.json:3",
        // The sources' origins use interest retention on 2.9.
        "origin-retention-not-limits src/spoke-1.tickets-1.json:6",
        "origin-retention-not-limits src/spoke-2.tickets-2.json:6",
        // The spokes bridge SYS without declaring it their system account: the SYS remotes.
        "system-account-bridge spoke-1.values.yaml:25",
        "system-account-bridge spoke-2.values.yaml:25",
        // Default server names on all three clusters: each file's cluster name.
        "server-name-collision hub.values.yaml:7",
        "server-name-collision spoke-1.values.yaml:7",
        "server-name-collision spoke-2.values.yaml:7",
        // The first plaintext password of each file.
        "plaintext-password hub.values.yaml:19",
        "plaintext-password spoke-1.values.yaml:15",
        "plaintext-password spoke-2.values.yaml:15",
    ] {
        assert!(found.iter().any(|f| f == expected), "{expected} not in:\n{}", found.join("\n"));
    }
    let guide_rules: Vec<&str> = [
        "helm-unknown-key",
        "external-api-unknown-domain",
        "script-domain-unknown",
        "script-config-missing",
        "subject-overlap-across-domains",
        "origin-retention-not-limits",
        "system-account-bridge",
        "server-name-collision",
        "plaintext-password",
    ]
    .to_vec();
    let catalog = fs::read_to_string(support::shared_dir().join("RULES.md")).unwrap_or_else(|e| {
        panic!("../shared/RULES.md is needed by this test and could not be read ({e}); the project expects ../shared beside the checkout, or NATS_TOPOLOGY_SHARED naming a copy (README, \"Reference material\")")
    });
    let section = catalog.split("## The guide checked against the catalog").nth(1).expect("the catalog's last section");
    for rule in Rule::ALL.iter().filter(|r| section.contains(&format!("`{}`", r.as_str()))) {
        assert!(
            guide_rules.contains(&rule.as_str()),
            "the catalog's last section lists {rule}, which this test misses"
        );
    }
}

#[test]
fn the_guide_as_written_imports_as_the_guide_draws_it() {
    let (imported, _) = imported(AS_WRITTEN);
    let design = &imported.design;
    let clusters: Vec<_> =
        design.clusters().map(|(_, c)| (c.name.as_str(), c.domain.as_str(), c.role.as_str(), c.servers)).collect();
    assert_eq!(
        clusters,
        [("headquarter", "hub", "hub", 3), ("spoke-1", "cinema-a", "spoke", 3), ("spoke-2", "cinema-b", "spoke", 3)]
    );
    let hub = design.clusters().next().map(|(_, c)| c.clone()).expect("hub");
    let listener = hub.leafnode_listener.expect("the hub listens");
    // The NodePort the spokes dial becomes the hub's public endpoint: no leafnode-url-mismatch.
    assert_eq!(listener.public_endpoints, ["headquarter.nats.public.address.com:30742"]);
    assert!(!listener.no_advertise, "the misspelled key is ignored, as Helm ignores it");
    let streams: Vec<_> = design
        .streams()
        .map(|s| (design.cluster(s.cluster).map(|c| c.name.clone()).unwrap_or_default(), s.config.name.clone()))
        .collect();
    let expected = [
        ("headquarter", "cinema-a"),
        ("headquarter", "sales"),
        ("spoke-1", "cinema-a"),
        ("spoke-1", "tickets-1"),
        ("spoke-2", "tickets-2"),
    ];
    assert_eq!(streams, expected.map(|(c, s)| (c.to_owned(), s.to_owned())));
    assert!(imported.validate().iter().all(|d| d.rule != Rule::LeafnodeUrlMismatch));
}

#[test]
fn the_corrected_guide_imports_with_no_error() {
    let (imported, all) = imported(CORRECTED);
    let errors: Vec<_> = all.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mirror = imported.design.streams().find(|s| s.config.name == "cinema-a-mirror").expect("the mirror");
    let origin = mirror.config.mirror.as_ref().expect("a real mirror");
    assert!(origin.origin_cluster.is_some() && origin.api.is_none(), "linked, the prefix derived: {origin:?}");
    assert_eq!(imported.design.links().len(), 4 + 3, "four leafnodes, the mirror and two sources");
}

/// The guide's fenced blocks: (language, the line before, body).
fn guide_blocks() -> Vec<(String, String, String)> {
    let path = support::shared_dir().join("seed/guide.md");
    let guide = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is needed to check the fixtures and could not be read ({e}); the project expects ../shared beside \
             the checkout",
            path.display()
        )
    });
    let lines: Vec<&str> = guide.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(language) = lines[i].strip_prefix("```").filter(|l| !l.is_empty()) else {
            i += 1;
            continue;
        };
        let before = lines[..i].iter().rev().find(|l| !l.trim().is_empty()).copied().unwrap_or_default();
        let end = (i + 1..lines.len()).find(|&j| lines[j].starts_with("```")).expect("a closed block");
        let body: String = lines[i + 1..end].iter().map(|l| format!("{l}\n")).collect();
        blocks.push((language.trim().to_owned(), before.to_owned(), body));
        i = end + 1;
    }
    blocks
}

#[test]
fn the_as_written_fixtures_are_the_guides_blocks_verbatim() {
    let blocks = guide_blocks();
    let fixture = |name: &str| fs::read_to_string(root().join(AS_WRITTEN).join(name)).expect("fixture");
    let yaml: Vec<&String> = blocks.iter().filter(|b| b.0 == "yaml").map(|b| &b.2).collect();
    assert_eq!(yaml.len(), 3, "hub, cinema A, cinema B");
    for (name, body) in ["hub.values.yaml", "spoke-1.values.yaml", "spoke-2.values.yaml"].iter().zip(yaml) {
        assert_eq!(&fixture(name), body, "{name}");
    }
    let mut json = 0;
    for (_, before, body) in blocks.iter().filter(|b| b.0 == "json") {
        let name = before.trim().trim_matches('`');
        assert!(name.starts_with("src/") && name.ends_with(".json"), "a file name before the block: {before}");
        assert_eq!(&fixture(name), body, "{name}");
        json += 1;
    }
    assert_eq!(json, 5, "the five stream files");
    let commands: String = blocks
        .iter()
        .filter(|b| b.0 == "bash")
        .flat_map(|b| b.2.lines())
        .filter(|l| l.starts_with("nats ") && l.contains(" add "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(fixture("setup.sh"), commands);
    let all = files(AS_WRITTEN);
    assert_eq!(all.len(), 3 + 5 + 1, "nothing else in the fixture folder");
}

fn binary(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

#[test]
fn the_binary_validates_the_guide_folders() {
    let output = binary(&["validate", AS_WRITTEN]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}{}", String::from_utf8_lossy(&output.stderr));
    for expected in [
        "tests/fixtures/guide-as-written/hub.values.yaml:11: error helm-unknown-key ",
        "tests/fixtures/guide-as-written/src/hub.sales.json:18: error external-api-unknown-domain ",
        "tests/fixtures/guide-as-written/setup.sh:2: error script-domain-unknown ",
        "tests/fixtures/guide-as-written/setup.sh:3: error script-config-missing ",
        "tests/fixtures/guide-as-written/src/spoke-1.cinema-a-mirror.json:3: warning subject-overlap-across-domains ",
        "tests/fixtures/guide-as-written/src/spoke-1.tickets-1.json:6: warning origin-retention-not-limits ",
        "tests/fixtures/guide-as-written/spoke-1.values.yaml:25: warning system-account-bridge ",
        "tests/fixtures/guide-as-written/hub.values.yaml:7: warning server-name-collision ",
        "tests/fixtures/guide-as-written/hub.values.yaml:19: warning plaintext-password ",
    ] {
        assert!(text.lines().any(|l| l.starts_with(expected)), "{expected} in:\n{text}");
    }

    let output = binary(&["validate", "--format", "json", AS_WRITTEN]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let diagnostics = document["diagnostics"].as_array().expect("diagnostics");
    let unknown_key = diagnostics.iter().find(|d| d["rule"] == "helm-unknown-key").expect("helm-unknown-key");
    assert_eq!(unknown_key["file"], "tests/fixtures/guide-as-written/hub.values.yaml");
    assert_eq!(unknown_key["line"], 11);

    let output = binary(&["validate", CORRECTED]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.lines().last().is_some_and(|l| l.starts_with("0 errors")), "{text}");
}

#[test]
fn the_binary_imports_a_folder_into_a_design_file() {
    let out = std::env::temp_dir().join(format!("nats-topology-import-{}.json", std::process::id()));
    let output = binary(&["import", CORRECTED, "-o", out.to_str().expect("UTF-8 temp path")]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let saved = fs::read_to_string(&out).expect("the design file");
    let _ = fs::remove_file(&out);
    let loaded = nats_topology::model::persist::load(&saved).expect("a loadable design");
    assert_eq!(loaded.design.clusters().count(), 3);
    assert_eq!(loaded.design.streams().count(), 5);

    let output = binary(&["import", AS_WRITTEN, "-o", out.to_str().expect("UTF-8 temp path")]);
    let _ = fs::remove_file(&out);
    assert_eq!(output.status.code(), Some(1), "the import itself finds errors (scripts, keys)");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("setup.sh:3: error script-config-missing "), "{text}");
}
