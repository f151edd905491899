//! The designer's rule explanations (`model::rules_doc::RULES`) are the catalog's tables,
//! cell for cell: a change to `../shared/RULES.md` fails here until the table follows it.

use nats_topology::model::rules_doc::RULES;
use std::fs;
use std::path::Path;

/// `../shared/RULES.md`, failing with a clear message when it is absent.
fn catalog() -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/RULES.md");
    fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{} is needed by this test and could not be read ({e}); the project expects ../shared beside the checkout",
            file.display()
        )
    })
}

/// The catalog's rule rows as (section, id, severity, what, source).
fn rows(catalog: &str) -> Vec<[String; 5]> {
    let mut section = String::new();
    let mut rows = Vec::new();
    for line in catalog.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_owned();
        }
        if !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 4, "a rule row has four cells: {line}");
        rows.push([
            section.clone(),
            cells[0].trim_matches('`').to_owned(),
            cells[1].to_owned(),
            cells[2].to_owned(),
            cells[3].to_owned(),
        ]);
    }
    rows
}

#[test]
fn the_rule_explanations_are_exactly_the_catalogs_tables() {
    let expected = rows(&catalog());
    let ours: Vec<[String; 5]> =
        RULES.iter().map(|r| [r.section, r.id, r.severity, r.what, r.source].map(str::to_owned)).collect();
    for (n, (a, b)) in ours.iter().zip(&expected).enumerate() {
        assert_eq!(a, b, "row {n} differs from RULES.md: update src/model/rules_doc.rs");
    }
    assert_eq!(ours.len(), expected.len(), "RULES.md has {} rules, rules_doc.rs {}", expected.len(), ours.len());
}
