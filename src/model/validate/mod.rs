//! The rule engine: every rule of `shared/RULES.md`, as pure functions of the design.
//!
//! Invariants: validation never fails and never panics (a broken design is a normal state of an
//! editor); its output order is stable (severity, then target, then rule); rule ids are the
//! catalog's, a contract shared with tests, the CLI's JSON and the UI.
//!
//! One file per group of the catalog. Each rule is one function that pushes diagnostics.

mod accounts;
mod buckets;
mod catalog;
mod clusters;
pub mod consumers;
mod gateways;
pub mod incremental;
mod leafnodes;
mod rules;
pub mod streams;
mod tls;
mod topology;

pub(crate) use accounts::imports_api_under;
pub use catalog::RULES as RULE_DOCS;
pub use incremental::Incremental;
pub(crate) use leafnodes::{redial, url_dials};
pub use rules::Rule;

use super::command::Command;
use super::ids::{ClusterId, StreamId};
use super::topology::Design;
use crate::model::sort::Sorted;
use std::fmt;

/// How bad a problem is. Ordered worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The server or chart rejects it, or the topology cannot work as drawn.
    Error,
    /// It works but is risky or surprising.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The element a diagnostic concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The design as a whole.
    Design,
    Cluster(ClusterId),
    /// A cluster's leafnode remote (a leafnode link), by its index in `Cluster::remotes`.
    Remote {
        cluster: ClusterId,
        index: usize,
    },
    Stream(StreamId),
    /// A stream's mirror or source (a mirror/source link), by its index in `Stream::origins`.
    Origin {
        stream: StreamId,
        index: usize,
    },
}

/// A repair the user can apply in one step.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// What the fix does, imperative: "set external.api to $JS.cinema-a.API".
    pub label: String,
    pub command: Command,
}

/// One problem found in a design.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub target: Target,
    /// The field of the target at fault, in the wire format's spelling (`num_replicas`,
    /// `external.api`, `domain`), when one field is.
    pub field: Option<&'static str>,
    /// Names the elements and says how to fix it.
    pub message: String,
    pub fix: Option<Fix>,
    /// Where in an imported file the problem is; `None` for designs drawn in the designer.
    pub location: Option<Location>,
}

/// A place in an imported file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file's path as given to the importer.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

impl Diagnostic {
    /// A diagnostic with the rule's catalog severity.
    pub fn new(rule: Rule, target: Target, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity(),
            target,
            field: None,
            message: message.into(),
            fix: None,
            location: None,
        }
    }

    pub fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn fix(mut self, label: impl Into<String>, command: Command) -> Self {
        self.fix = Some(Fix { label: label.into(), command });
        self
    }

    /// Places the diagnostic in an imported file.
    pub fn at(mut self, file: impl Into<String>, line: Option<usize>) -> Self {
        self.location = Some(Location { file: file.into(), line });
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// A human name for the target, as the CLI prints it: `cluster spoke-1`,
    /// `stream sales source tickets-1`.
    pub fn target_name(&self, design: &Design) -> String {
        let cluster = |id| design.cluster(id).map_or_else(|| id.to_string(), |c| c.name.clone());
        let stream = |id| design.stream(id).map_or_else(|| id.to_string(), |s| s.config.name.clone());
        match &self.target {
            Target::Design => "design".to_owned(),
            Target::Cluster(id) => format!("cluster {}", cluster(*id)),
            Target::Remote { cluster: id, index } => {
                let account = design
                    .cluster(*id)
                    .and_then(|c| c.remotes.get(*index))
                    .and_then(|r| r.local_account.clone())
                    .unwrap_or_else(|| format!("#{index}"));
                format!("cluster {} remote {account}", cluster(*id))
            }
            Target::Stream(id) => format!("stream {}", stream(*id)),
            Target::Origin { stream: id, index } => {
                let origin = design.stream(*id).and_then(|s| {
                    let kind = if s.config.mirror.is_some() && *index == 0 { "mirror" } else { "source" };
                    s.origins().nth(*index).map(|o| format!("{kind} {}", o.name))
                });
                format!("stream {} {}", stream(*id), origin.unwrap_or_else(|| format!("origin #{index}")))
            }
        }
    }
}

/// Validates a whole design: every rule that concerns designs (the import-only rules are raised
/// by the importers). Sorted by severity, then target, then rule.
pub fn validate(design: &Design) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (_, check) in FAMILIES {
        check(design, &mut out);
    }
    buckets::supersede(&mut out);
    sort(&mut out);
    out
}

/// One group of rules: its name and the function that checks a design against them.
pub type Family = (&'static str, fn(&Design, &mut Vec<Diagnostic>));

/// The groups of rules, in the order [`validate`] runs them (public for the benchmark, which
/// times each on its own).
pub const FAMILIES: [Family; 9] = [
    ("clusters", clusters::check),
    ("accounts", accounts::check),
    ("leafnodes", leafnodes::check),
    ("gateways", gateways::check),
    ("tls", tls::check),
    ("streams", streams::check),
    ("topology", topology::check),
    ("buckets", buckets::check),
    ("consumers", consumers::check),
];

/// One command that applies the fixes of every problem `rule` raises on `design`, and how many
/// problems it repairs; `None` when fewer than two of them offer a fix.
///
/// The fixes are applied one after the other on a copy, validating again after each: a fix is
/// computed against the design as it is, and two fixes of one cluster each replace the whole
/// cluster, so fixes computed up front would undo each other. The result is one `Batch` (one
/// undo step) of the commands as applied.
pub fn fix_all(design: &Design, rule: Rule) -> Option<(Command, usize)> {
    let fixable =
        |d: &Design| validate(d).into_iter().filter(|x| x.rule == rule && x.fix.is_some()).collect::<Vec<_>>();
    let first = fixable(design);
    if first.len() < 2 {
        return None;
    }
    let mut scratch = design.clone();
    let mut applied = Vec::new();
    let mut left = first.len();
    // Each round must leave fewer fixable problems; a fix that does not is not repeated.
    for _ in 0..first.len() {
        let Some(next) = fixable(&scratch).into_iter().next() else { break };
        let command = next.fix.expect("filtered on fixes").command;
        let mut attempt = scratch.clone();
        if command.clone().apply(&mut attempt).is_err() {
            break;
        }
        let now = fixable(&attempt).len();
        if now >= left {
            break;
        }
        left = now;
        scratch = attempt;
        applied.push(command);
    }
    let repaired = first.len() - left;
    (repaired >= 2).then_some((Command::Batch(applied), repaired))
}

/// Sorts diagnostics in the stable output order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_with(|a, b| {
        (a.severity, &a.target, a.rule, &a.message).cmp(&(b.severity, &b.target, b.rule, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::arbitrary;
    use crate::model::cluster::Password;
    use crate::model::example::guide_corrected;
    use crate::model::history::Document;
    use proptest::prelude::*;

    fn count(design: &Design, rule: Rule) -> usize {
        validate(design).iter().filter(|d| d.rule == rule).count()
    }

    #[test]
    fn fix_all_repairs_every_problem_of_a_rule_as_one_undo_step() {
        let mut design = guide_corrected();
        let ids: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
        for id in ids {
            for account in design.cluster_mut(id).expect("listed").accounts.values_mut() {
                for user in &mut account.users {
                    user.password = Password::Plain("secret".into());
                }
            }
        }
        assert_eq!(count(&design, Rule::PlaintextPassword), 3, "one per cluster");
        let (command, repaired) = fix_all(&design, Rule::PlaintextPassword).expect("three fixes");
        assert_eq!(repaired, 3);
        let mut doc = Document::new(design.clone());
        doc.execute(command).expect("the fixes apply");
        assert_eq!(count(doc.design(), Rule::PlaintextPassword), 0);
        assert!(doc.undo());
        assert_eq!(doc.design(), &design, "one undo brings every password back");
        assert!(!doc.can_undo());
    }

    #[test]
    fn fix_all_needs_two_fixable_problems() {
        let design = guide_corrected();
        assert_eq!(fix_all(&design, Rule::PlaintextPassword), None, "none");
        let mut one = design.clone();
        let hub = one.clusters().next().map(|(id, _)| id).expect("a hub");
        let user = &mut one.cluster_mut(hub).expect("hub").accounts.values_mut().next().expect("an account").users[0];
        user.password = Password::Plain("secret".into());
        assert_eq!(count(&one, Rule::PlaintextPassword), 1);
        assert_eq!(fix_all(&one, Rule::PlaintextPassword), None, "one problem has its own Fix");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn validation_never_panics_and_its_output_is_sorted(design in arbitrary::design()) {
            let diagnostics = validate(&design);
            for pair in diagnostics.windows(2) {
                let key = |d: &Diagnostic| (d.severity, d.target, d.rule);
                prop_assert!(key(&pair[0]) <= key(&pair[1]), "out of order: {:?} before {:?}", pair[0], pair[1]);
            }
            for d in &diagnostics {
                // Every diagnostic names its target, even one the design no longer has.
                prop_assert!(!d.target_name(&design).is_empty());
            }
        }
    }
}
