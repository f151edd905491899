//! The rule catalog as data, for the designer's in-app explanations: every rule of
//! `shared/RULES.md` with its section, id, severity, what it checks and where the behaviour comes
//! from, in catalog order.
//!
//! Invariant: [`RULES`] is exactly the catalog's tables, cell for cell (backticks kept, as the
//! catalog writes them); `tests/rules_doc.rs` re-reads `../shared/RULES.md` and compares.

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

/// Every rule of the catalog, in catalog order.
pub const RULES: [RuleDoc; 56] = [
    RuleDoc {
        section: "Clusters and domains",
        id: "domain-missing",
        severity: "error",
        what: "a JetStream cluster that is joined to others by leafnodes has no JetStream domain",
        source: "nats-server PR 2693 (\"always set a JetStream domain\"); issue 2262 (streams created in two domains)",
    },
    RuleDoc {
        section: "Clusters and domains",
        id: "domain-invalid",
        severity: "error",
        what: "a domain contains whitespace, `.`, `*` or `>`, or `$JS.<domain>.API.>` is not a valid subject",
        source: "nats-server `server/jetstream.go` `validateJetStreamOptions`",
    },
    RuleDoc {
        section: "Clusters and domains",
        id: "domain-duplicate",
        severity: "error",
        what: "two clusters joined by leafnodes share a domain (only the hub/spoke case is guarded by the server; spoke/spoke collisions are not)",
        source: "`server/leafnode.go` `addLeafNodeConnection`; nats.docs jetstream_leafnodes; issue 3019",
    },
    RuleDoc {
        section: "Clusters and domains",
        id: "cluster-name-duplicate",
        severity: "error",
        what: "two clusters share a cluster name; the hub drops a leafnode whose cluster name equals its own",
        source: "`server/leafnode.go` `processLeafNodeConnect` (ErrLeafNodeHasSameClusterName); PR 3232",
    },
    RuleDoc {
        section: "Clusters and domains",
        id: "server-name-collision",
        severity: "warning",
        what: "clusters whose server names would collide (same server-name prefix, e.g. the chart default `nats-0..2` everywhere)",
        source: "nats-io/k8s issue 731",
    },
    RuleDoc {
        section: "Clusters and domains",
        id: "cluster-size-even",
        severity: "warning",
        what: "a JetStream cluster with an even number of servers (2, 4) gains no fault tolerance over one fewer",
        source: "RAFT quorum; 1.x chart values comment (2 or more with JetStream)",
    },
    RuleDoc {
        section: "Clusters and domains",
        id: "cluster-isolated",
        severity: "warning",
        what: "a cluster with no leafnode link to any other cluster in a multi-cluster design",
        source: "design intent",
    },
    RuleDoc {
        section: "Clusters and domains",
        id: "hub-without-jetstream",
        severity: "warning",
        what: "the hub has JetStream disabled or no domain while spokes run JetStream: API requests reach several JetStreams",
        source: "nats-server issue 2262; nats.docs known issue",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "leafnode-listener-missing",
        severity: "error",
        what: "a spoke's remote points at a cluster that has no leafnode listener",
        source: "0.19 chart `configmap.yaml` (leafnodes block); leafnode docs",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "leafnode-url-mismatch",
        severity: "error",
        what: "a remote URL's host:port is not an endpoint the target cluster exposes for leafnodes (its listen port, or its declared public address such as a NodePort)",
        source: "guide (hub listens 7422, spokes dial 30742 through a NodePort)",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "leafnode-account-missing",
        severity: "error",
        what: "a remote binds a local account that the spoke does not define",
        source: "nats-server PR 1739 (\"cannot find local account\")",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "leafnode-account-unbound",
        severity: "warning",
        what: "a remote names no local account, so it binds the global account `$G`",
        source: "nats-server issue 6972",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "leafnode-credentials-unknown",
        severity: "error",
        what: "the user in a remote URL (or credentials) is not a user of the target cluster",
        source: "leafnode docs, authorization block",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "leafnode-account-mismatch",
        severity: "warning",
        what: "a spoke's local account is bridged to a hub user of a differently named account, so per-account JetStream domain mappings do not line up",
        source: "`server/jetstream_api.go` `generateJSMappingTable`",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "system-account-bridge",
        severity: "warning",
        what: "a remote binds the hub's system account but its local account is not the spoke's system account",
        source: "`server/leafnode.go` system-account branches; nats.docs example sets `system_account` on both sides",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "system-account-jetstream",
        severity: "error",
        what: "JetStream enabled on the system account",
        source: "`server/jetstream.go` `EnableJetStream`",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "account-jetstream-disabled",
        severity: "error",
        what: "a stream is placed in an account that has JetStream disabled in that cluster",
        source: "`server/opts.go` account `jetstream`",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "remote-creds-and-nkey",
        severity: "error",
        what: "a remote sets both a credentials file and an nkey",
        source: "`server/opts.go` remote parsing",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "plaintext-password",
        severity: "warning",
        what: "a plaintext password on the accepting side (accounts/users); offer a bcrypt hash (`nats server passwd`) or a secret reference",
        source: "`server/auth.go` `isBcrypt`; guide comment \"use bcrypted password instead\"",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "bcrypt-in-remote-url",
        severity: "error",
        what: "a bcrypt hash in a remote URL: the dialing side must send the plain password",
        source: "`server/auth.go` `comparePasswords`",
    },
    RuleDoc {
        section: "Leafnodes, accounts, credentials",
        id: "duplicate-leaf-connection",
        severity: "warning",
        what: "two remotes connect the same local account to the same target account between the same clusters (duplicate delivery)",
        source: "nats-server issues 1585, 2694, 1872, 3191",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "stream-name-invalid",
        severity: "error",
        what: "empty, longer than 255, or contains whitespace, `.`, `*`, `>` (and `/`, `\\` from server 2.10)",
        source: "`server/stream.go` `checkStreamCfgLocked`; `server/jetstream.go` `isValidAssetName`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "stream-name-duplicate",
        severity: "error",
        what: "two streams with one name in the same domain and account",
        source: "JetStream API (stream name in use, 10058)",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "stream-subjects-missing",
        severity: "error",
        what: "a stream with no subjects, no mirror and no sources (where the server would not default the subjects to the name)",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "subject-invalid",
        severity: "error",
        what: "an invalid subject (empty token, `>` not last, whitespace)",
        source: "`server/sublist.go` `IsValidSubject`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "subject-overlap-in-stream",
        severity: "error",
        what: "a stream's own subjects overlap or repeat",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "subject-overlap-in-domain",
        severity: "error",
        what: "two streams of one account in one domain capture overlapping subjects",
        source: "JetStream API (subjects overlap, 10065)",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "subject-overlap-across-domains",
        severity: "warning",
        what: "streams of one account in different domains capture overlapping subjects: while the leafnode is up both store every message",
        source: "nats.docs jetstream_leafnodes",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "subject-reserved",
        severity: "error",
        what: "`>` alone, or overlap with `$JS.>`, `$JSC.>`, `$NRG.>`, `$SYS.>` without `no_ack`",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "replicas-out-of-range",
        severity: "error",
        what: "`num_replicas` negative or above 5 (0 means 1)",
        source: "`server/stream.go` StreamMaxReplicas",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "replicas-exceed-cluster",
        severity: "error",
        what: "`num_replicas` larger than the number of servers in the stream's cluster",
        source: "JetStream placement (insufficient resources)",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "replicas-even",
        severity: "warning",
        what: "R2 or R4",
        source: "RAFT quorum",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "mirror-has-subjects",
        severity: "error",
        what: "a mirror declares subjects",
        source: "10034",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "mirror-has-sources",
        severity: "error",
        what: "a mirror also has sources",
        source: "10031",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "filter-and-transforms",
        severity: "error",
        what: "a mirror or source sets both `filter_subject` and `subject_transforms`",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "source-duplicate",
        severity: "error",
        what: "the same origin (name + filter + external) listed twice",
        source: "10140",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "duplicate-window-exceeds-max-age",
        severity: "error",
        what: "`duplicate_window` larger than a non-zero `max_age`",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "max-age-too-small",
        severity: "error",
        what: "`max_age` or `duplicate_window` negative, or between 0 and 100 ms",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "sealed-at-create",
        severity: "error",
        what: "`sealed: true` in a configuration used to create a stream",
        source: "`checkStreamCfgLocked` (\"stream configuration for create can not be sealed\")",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "deny-purge-with-rollup",
        severity: "error",
        what: "`deny_purge` together with `allow_rollup_hdrs`",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "discard-new-per-subject",
        severity: "error",
        what: "`discard_new_per_subject` without `discard: new` and `max_msgs_per_subject > 0`",
        source: "`checkStreamCfgLocked`",
    },
    RuleDoc {
        section: "One stream (mirrors the server's own checks)",
        id: "stream-config-schema",
        severity: "error",
        what: "an imported stream file has a field of the wrong type, an enum value the server does not know (`Interest`, `work_queue`: enums are case-sensitive), or an unknown field (measured: 2.15.1 rejects it, 2.9.10 ignores it; an error unless the target is 2.9, then a warning). A field the schema lists as required but the server fills in when absent (`max_consumers`, `max_msgs`, ...) raises nothing: partial files are normal input",
        source: "nats-io/jsm.go `schemas/jetstream/api/v1/stream_configuration.json`; measured on nats-server 2.9.10 and 2.15.1",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "external-api-unknown-domain",
        severity: "error",
        what: "`external.api` is `$JS.<d>.API` but no cluster in the design has domain `<d>` (say which cluster probably was meant, e.g. a cluster *named* `<d>`)",
        source: "`server/stream.go` `ExternalStream.Domain()`; guide (`$JS.spoke-1.API` with domain `cinema-a`)",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "external-api-mismatch",
        severity: "error",
        what: "`external.api` names a domain other than the origin stream's domain",
        source: "natscli mirror/source prompts build `$JS.<domain>.API`; nats.go issue 1089",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "external-api-malformed",
        severity: "error",
        what: "`external.api` or `external.deliver` is not a literal valid subject, or collides with `$JS.API`",
        source: "10021, 10022, 10024; PR 2237",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "origin-stream-missing",
        severity: "error",
        what: "a mirror or source names a stream that does not exist in the origin domain",
        source: "nats.docs (\"each domain is an independent name space\"); server skips this check for external origins",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "external-same-domain",
        severity: "warning",
        what: "`external` points at the stream's own domain (leave it out)",
        source: "`checkStreamCfgLocked` external branch",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "origin-unreachable",
        severity: "error",
        what: "the origin's cluster is not connected to the stream's cluster by a leafnode path for that account",
        source: "leafnode + JetStream domain docs",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "replication-cycle",
        severity: "error",
        what: "mirrors/sources form a cycle across domains",
        source: "`server/stream.go` cycle walk skips external origins; nats.go issue 1591",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "origin-retention-not-limits",
        severity: "warning",
        what: "the origin of a mirror or source uses interest or workqueue retention: undefined before server 2.14, with known loss and stuck-message bugs",
        source: "nats.docs source_and_mirror (\"prior to 2.14 … not supported\"); nats-server issues 5450, 4109, 3795",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "cross-account-exports-missing",
        severity: "error",
        what: "origin and copy are in different accounts without the needed exports/imports (`$JS.<d>.API.CONSUMER.CREATE.*`, the deliver prefix, `$JS.FC.>`)",
        source: "nats.docs jetstream_leafnodes; nats-server issues 3724, 5120",
    },
    RuleDoc {
        section: "Streams across the topology (what no server checks)",
        id: "mirror-max-msg-size",
        severity: "warning",
        what: "a mirror or source accepts smaller messages than its origin",
        source: "10030 / 10046 (checked by the server only for local origins)",
    },
    RuleDoc {
        section: "Scripts, contexts and chart values (found when importing)",
        id: "script-domain-unknown",
        severity: "error",
        what: "a `nats … --js-domain D` command names a domain no cluster has",
        source: "guide (`--js-domain=spoke-1` while the domain is `cinema-a`)",
    },
    RuleDoc {
        section: "Scripts, contexts and chart values (found when importing)",
        id: "script-config-missing",
        severity: "error",
        what: "a `--config FILE` names a file that is not part of the import",
        source: "guide (`spoke-1.ticket-1.json` vs `spoke-1.tickets-1.json`)",
    },
    RuleDoc {
        section: "Scripts, contexts and chart values (found when importing)",
        id: "context-domain-and-prefix",
        severity: "warning",
        what: "a context sets both a JetStream domain and an API prefix",
        source: "natscli issue 1284",
    },
    RuleDoc {
        section: "Scripts, contexts and chart values (found when importing)",
        id: "helm-unknown-key",
        severity: "error",
        what: "a values key that the chart version does not read (e.g. `leafnodes.no_advertise` instead of `leafnodes.noAdvertise` in chart 0.19)",
        source: "chart default values in `reference/helm/`; charts ship no values schema",
    },
];

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
