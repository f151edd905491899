//! The rule catalog as data, for the designer's in-app explanations: every rule of
//! `shared/RULES.md` with its section, id, severity, what it checks and where the behaviour comes
//! from, in catalog order.
//!
//! Invariant: [`RULES`] is exactly the catalog's tables, cell for cell (backticks kept, as the
//! catalog writes them): it is generated with the `Rule` enum into `validate/catalog.rs`, and
//! `tests/rules_doc.rs` re-reads `../shared/RULES.md` and compares.

use super::validate::Rule;

/// One row of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    /// The catalog section (`Clusters and domains`, ...).
    pub section: &'static str,
    /// The stable rule id (`domain-missing`).
    pub id: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// What the rule finds; inline code in backticks.
    pub what: &'static str,
    /// Where the behaviour is documented or implemented; inline code in backticks.
    pub source: &'static str,
}

/// The explanation of one rule.
pub fn doc(rule: Rule) -> Option<&'static RuleDoc> {
    by_id(rule.as_str())
}

/// The explanation of a rule by its id.
pub fn by_id(id: &str) -> Option<&'static RuleDoc> {
    RULES.iter().find(|r| r.id == id)
}

/// A catalog text split into plain and code parts (`(is_code, text)`), at backticks, for
/// rendering inline code without markup.
pub fn code_spans(text: &str) -> Vec<(bool, &str)> {
    text.split('`').enumerate().filter(|(_, t)| !t.is_empty()).map(|(i, t)| (i % 2 == 1, t)).collect()
}

/// Every rule of the catalog, in catalog order (generated from RULES.md).
pub use super::validate::RULE_DOCS as RULES;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_of_the_validator_is_explained_with_its_severity() {
        assert_eq!(RULES.len(), Rule::ALL.len());
        for rule in Rule::ALL {
            let doc = doc(rule).unwrap_or_else(|| panic!("{rule} has no explanation"));
            assert_eq!(doc.severity, rule.severity().as_str(), "{rule}");
        }
    }

    #[test]
    fn code_spans_alternate_at_backticks() {
        assert_eq!(code_spans("a `b` c"), vec![(false, "a "), (true, "b"), (false, " c")]);
        assert_eq!(code_spans("`x`"), vec![(true, "x")]);
        assert_eq!(code_spans(""), Vec::<(bool, &str)>::new());
    }
}
