//! The catalog of rules (`shared/RULES.md`): the generated `Rule` enum (ids, severities, in
//! `catalog.rs`), and what the code adds to it.

use std::fmt;

pub use super::catalog::Rule;

impl Rule {
    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == id)
    }

    /// Raised by the importers only, on configuration files rather than designs.
    pub fn is_import_only(self) -> bool {
        matches!(
            self,
            Rule::HelmUnknownKey
                | Rule::ScriptDomainUnknown
                | Rule::ScriptConfigMissing
                | Rule::StreamConfigSchema
                | Rule::ContextDomainAndPrefix
                | Rule::GatewayNameChart
                | Rule::TlsBlockPlacement
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
