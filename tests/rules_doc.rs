//! The designer's rule explanations (`model::rules_doc::RULES`) are the catalog's tables,
//! cell for cell: a change to `../shared/RULES.md` or to this repository's supplement
//! `docs/RULES-consumers.md` (read after it) fails here until the table follows it.

mod support;

use nats_topology::model::rules_doc::RULES;
use std::fs;

/// `../shared/RULES.md` followed by the repository's own `docs/RULES-consumers.md` (RULES.md is
/// read-only shared material), failing with a clear message when either is absent.
fn catalog() -> String {
    let supplement = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/RULES-consumers.md");
    let supplement =
        fs::read_to_string(&supplement).unwrap_or_else(|e| panic!("{} could not be read ({e})", supplement.display()));
    shared_catalog() + "\n" + &supplement
}

/// `../shared/RULES.md`, failing with a clear message when it is absent.
fn shared_catalog() -> String {
    let file = support::shared_dir().join("RULES.md");
    fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{} is needed by this test and could not be read ({e}); the project expects ../shared beside the checkout, or NATS_TOPOLOGY_SHARED naming a copy (README, \"Reference material\")",
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

/// `id-like-this` → `IdLikeThis`.
fn variant(id: &str) -> String {
    id.split('-').map(|part| part[..1].to_ascii_uppercase() + &part[1..]).collect()
}

/// `src/model/validate/catalog.rs` as RULES.md makes it: the `Rule` enum, its ids and
/// severities in catalog order, and the explanations the designer shows.
fn generated_catalog(catalog: &str) -> String {
    let rows = rows(catalog);
    let mut out = String::from(
        "//! The rule catalog, generated from `shared/RULES.md` and `docs/RULES-consumers.md` by\n\
         //! `tests/rules_doc.rs`: do not edit by hand; `UPDATE_CATALOG=1 cargo test --test rules_doc`\n\
         //! writes it again after either changes.\n\n\
         use super::Severity;\nuse crate::model::rules_doc::RuleDoc;\n\n\
         /// A rule of the catalog. Its id (`as_str`) is a stable contract.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]\npub enum Rule {\n",
    );
    for row in &rows {
        out.push_str(&format!("    {},\n", variant(&row[1])));
    }
    out.push_str("}\n\nimpl Rule {\n    /// Every rule, in catalog order.\n");
    out.push_str(&format!("    pub const ALL: [Rule; {}] = [\n", rows.len()));
    for row in &rows {
        out.push_str(&format!("        Rule::{},\n", variant(&row[1])));
    }
    out.push_str("    ];\n\n    /// The rule's stable id, as in the catalog.\n    pub fn as_str(self) -> &'static str {\n        match self {\n");
    for row in &rows {
        out.push_str(&format!("            Rule::{} => {:?},\n", variant(&row[1]), row[1]));
    }
    out.push_str("        }\n    }\n\n    /// The catalog severity; a few rules lower it depending on the target version.\n    pub fn severity(self) -> Severity {\n        match self {\n");
    for row in &rows {
        let severity = match row[2].as_str() {
            "error" => "Error",
            "warning" => "Warning",
            "info" => "Info",
            other => panic!("unknown severity {other} of {}", row[1]),
        };
        out.push_str(&format!("            Rule::{} => Severity::{severity},\n", variant(&row[1])));
    }
    out.push_str(
        "        }\n    }\n}\n\n/// Every rule of the catalog as the designer explains it, in catalog order.\n",
    );
    out.push_str(&format!("pub const RULES: [RuleDoc; {}] = [\n", rows.len()));
    for row in &rows {
        out.push_str(&format!(
            "    RuleDoc {{\n        section: {:?},\n        id: {:?},\n        severity: {:?},\n        what: {:?},\n        source: {:?},\n    }},\n",
            row[0], row[1], row[2], row[3], row[4]
        ));
    }
    out.push_str("];\n");
    out
}

#[test]
fn the_catalog_module_is_generated_from_rules_md() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model/validate/catalog.rs");
    let wanted = generated_catalog(&catalog());
    if std::env::var_os("UPDATE_CATALOG").is_some() {
        fs::write(&path, &wanted).expect("the catalog module is writable");
    }
    let found = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        found == wanted,
        "src/model/validate/catalog.rs is not what RULES.md makes: run UPDATE_CATALOG=1 cargo test --test rules_doc"
    );
}
