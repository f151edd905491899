//! The catalog of rules (`shared/RULES.md`): ids, default severities, where each is explained.

use super::Severity;
use std::fmt;

/// A rule of the catalog. Its id (`as_str`) is a stable contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    DomainMissing,
    DomainInvalid,
    DomainDuplicate,
    ClusterNameDuplicate,
    ServerNameCollision,
    ClusterSizeEven,
    ClusterIsolated,
    HubWithoutJetstream,
    LeafnodeListenerMissing,
    LeafnodeUrlMismatch,
    LeafnodeAccountMissing,
    LeafnodeAccountUnbound,
    LeafnodeCredentialsUnknown,
    LeafnodeAccountMismatch,
    SystemAccountBridge,
    SystemAccountJetstream,
    AccountJetstreamDisabled,
    RemoteCredsAndNkey,
    PlaintextPassword,
    BcryptInRemoteUrl,
    DuplicateLeafConnection,
    StreamNameInvalid,
    StreamNameDuplicate,
    StreamSubjectsMissing,
    SubjectInvalid,
    SubjectOverlapInStream,
    SubjectOverlapInDomain,
    SubjectOverlapAcrossDomains,
    SubjectReserved,
    ReplicasOutOfRange,
    ReplicasExceedCluster,
    ReplicasEven,
    MirrorHasSubjects,
    MirrorHasSources,
    FilterAndTransforms,
    SourceDuplicate,
    DuplicateWindowExceedsMaxAge,
    MaxAgeTooSmall,
    SealedAtCreate,
    DenyPurgeWithRollup,
    DiscardNewPerSubject,
    StreamConfigSchema,
    ExternalApiUnknownDomain,
    ExternalApiMismatch,
    ExternalApiMalformed,
    OriginStreamMissing,
    ExternalSameDomain,
    OriginUnreachable,
    ReplicationCycle,
    OriginRetentionNotLimits,
    CrossAccountExportsMissing,
    MirrorMaxMsgSize,
    ScriptDomainUnknown,
    ScriptConfigMissing,
    ContextDomainAndPrefix,
    HelmUnknownKey,
}

impl Rule {
    /// Every rule, in catalog order.
    pub const ALL: [Rule; 56] = [
        Rule::DomainMissing,
        Rule::DomainInvalid,
        Rule::DomainDuplicate,
        Rule::ClusterNameDuplicate,
        Rule::ServerNameCollision,
        Rule::ClusterSizeEven,
        Rule::ClusterIsolated,
        Rule::HubWithoutJetstream,
        Rule::LeafnodeListenerMissing,
        Rule::LeafnodeUrlMismatch,
        Rule::LeafnodeAccountMissing,
        Rule::LeafnodeAccountUnbound,
        Rule::LeafnodeCredentialsUnknown,
        Rule::LeafnodeAccountMismatch,
        Rule::SystemAccountBridge,
        Rule::SystemAccountJetstream,
        Rule::AccountJetstreamDisabled,
        Rule::RemoteCredsAndNkey,
        Rule::PlaintextPassword,
        Rule::BcryptInRemoteUrl,
        Rule::DuplicateLeafConnection,
        Rule::StreamNameInvalid,
        Rule::StreamNameDuplicate,
        Rule::StreamSubjectsMissing,
        Rule::SubjectInvalid,
        Rule::SubjectOverlapInStream,
        Rule::SubjectOverlapInDomain,
        Rule::SubjectOverlapAcrossDomains,
        Rule::SubjectReserved,
        Rule::ReplicasOutOfRange,
        Rule::ReplicasExceedCluster,
        Rule::ReplicasEven,
        Rule::MirrorHasSubjects,
        Rule::MirrorHasSources,
        Rule::FilterAndTransforms,
        Rule::SourceDuplicate,
        Rule::DuplicateWindowExceedsMaxAge,
        Rule::MaxAgeTooSmall,
        Rule::SealedAtCreate,
        Rule::DenyPurgeWithRollup,
        Rule::DiscardNewPerSubject,
        Rule::StreamConfigSchema,
        Rule::ExternalApiUnknownDomain,
        Rule::ExternalApiMismatch,
        Rule::ExternalApiMalformed,
        Rule::OriginStreamMissing,
        Rule::ExternalSameDomain,
        Rule::OriginUnreachable,
        Rule::ReplicationCycle,
        Rule::OriginRetentionNotLimits,
        Rule::CrossAccountExportsMissing,
        Rule::MirrorMaxMsgSize,
        Rule::ScriptDomainUnknown,
        Rule::ScriptConfigMissing,
        Rule::ContextDomainAndPrefix,
        Rule::HelmUnknownKey,
    ];

    /// The rule's stable id, as in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::DomainMissing => "domain-missing",
            Rule::DomainInvalid => "domain-invalid",
            Rule::DomainDuplicate => "domain-duplicate",
            Rule::ClusterNameDuplicate => "cluster-name-duplicate",
            Rule::ServerNameCollision => "server-name-collision",
            Rule::ClusterSizeEven => "cluster-size-even",
            Rule::ClusterIsolated => "cluster-isolated",
            Rule::HubWithoutJetstream => "hub-without-jetstream",
            Rule::LeafnodeListenerMissing => "leafnode-listener-missing",
            Rule::LeafnodeUrlMismatch => "leafnode-url-mismatch",
            Rule::LeafnodeAccountMissing => "leafnode-account-missing",
            Rule::LeafnodeAccountUnbound => "leafnode-account-unbound",
            Rule::LeafnodeCredentialsUnknown => "leafnode-credentials-unknown",
            Rule::LeafnodeAccountMismatch => "leafnode-account-mismatch",
            Rule::SystemAccountBridge => "system-account-bridge",
            Rule::SystemAccountJetstream => "system-account-jetstream",
            Rule::AccountJetstreamDisabled => "account-jetstream-disabled",
            Rule::RemoteCredsAndNkey => "remote-creds-and-nkey",
            Rule::PlaintextPassword => "plaintext-password",
            Rule::BcryptInRemoteUrl => "bcrypt-in-remote-url",
            Rule::DuplicateLeafConnection => "duplicate-leaf-connection",
            Rule::StreamNameInvalid => "stream-name-invalid",
            Rule::StreamNameDuplicate => "stream-name-duplicate",
            Rule::StreamSubjectsMissing => "stream-subjects-missing",
            Rule::SubjectInvalid => "subject-invalid",
            Rule::SubjectOverlapInStream => "subject-overlap-in-stream",
            Rule::SubjectOverlapInDomain => "subject-overlap-in-domain",
            Rule::SubjectOverlapAcrossDomains => "subject-overlap-across-domains",
            Rule::SubjectReserved => "subject-reserved",
            Rule::ReplicasOutOfRange => "replicas-out-of-range",
            Rule::ReplicasExceedCluster => "replicas-exceed-cluster",
            Rule::ReplicasEven => "replicas-even",
            Rule::MirrorHasSubjects => "mirror-has-subjects",
            Rule::MirrorHasSources => "mirror-has-sources",
            Rule::FilterAndTransforms => "filter-and-transforms",
            Rule::SourceDuplicate => "source-duplicate",
            Rule::DuplicateWindowExceedsMaxAge => "duplicate-window-exceeds-max-age",
            Rule::MaxAgeTooSmall => "max-age-too-small",
            Rule::SealedAtCreate => "sealed-at-create",
            Rule::DenyPurgeWithRollup => "deny-purge-with-rollup",
            Rule::DiscardNewPerSubject => "discard-new-per-subject",
            Rule::StreamConfigSchema => "stream-config-schema",
            Rule::ExternalApiUnknownDomain => "external-api-unknown-domain",
            Rule::ExternalApiMismatch => "external-api-mismatch",
            Rule::ExternalApiMalformed => "external-api-malformed",
            Rule::OriginStreamMissing => "origin-stream-missing",
            Rule::ExternalSameDomain => "external-same-domain",
            Rule::OriginUnreachable => "origin-unreachable",
            Rule::ReplicationCycle => "replication-cycle",
            Rule::OriginRetentionNotLimits => "origin-retention-not-limits",
            Rule::CrossAccountExportsMissing => "cross-account-exports-missing",
            Rule::MirrorMaxMsgSize => "mirror-max-msg-size",
            Rule::ScriptDomainUnknown => "script-domain-unknown",
            Rule::ScriptConfigMissing => "script-config-missing",
            Rule::ContextDomainAndPrefix => "context-domain-and-prefix",
            Rule::HelmUnknownKey => "helm-unknown-key",
        }
    }

    /// The catalog severity; a few rules lower it depending on the target version.
    pub fn severity(self) -> Severity {
        match self {
            Rule::ServerNameCollision
            | Rule::ClusterSizeEven
            | Rule::ClusterIsolated
            | Rule::HubWithoutJetstream
            | Rule::LeafnodeAccountUnbound
            | Rule::LeafnodeAccountMismatch
            | Rule::SystemAccountBridge
            | Rule::PlaintextPassword
            | Rule::DuplicateLeafConnection
            | Rule::SubjectOverlapAcrossDomains
            | Rule::ReplicasEven
            | Rule::ExternalSameDomain
            | Rule::OriginRetentionNotLimits
            | Rule::MirrorMaxMsgSize
            | Rule::ContextDomainAndPrefix => Severity::Warning,
            _ => Severity::Error,
        }
    }

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
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
