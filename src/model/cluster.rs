//! A NATS cluster as the designer sees it: its servers, JetStream domain, leafnode listener and
//! remotes, accounts and users.
//!
//! Plain data: rules about what makes a cluster valid live in `validate`, so that a broken
//! design is still a design the editor can show.

use super::gateway::Gateway;
use super::geometry::Point;
use super::ids::ClusterId;
use super::tls::{ClusterTls, TlsDial, TlsListener};
use std::collections::BTreeMap;
use std::fmt;

/// The part a cluster plays in a hub-and-spoke topology.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Accepts leafnode connections from spokes.
    Hub,
    /// Dials the hub through leafnode remotes.
    Spoke,
    /// Neither: a cluster on its own.
    Standalone,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Hub, Role::Spoke, Role::Standalone];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Hub => "hub",
            Role::Spoke => "spoke",
            Role::Standalone => "standalone",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The nats-server release line a cluster runs; rules that changed between releases honour it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NatsVersion {
    V2_9,
    V2_10,
    V2_11,
    V2_12,
    V2_14,
}

impl NatsVersion {
    pub const ALL: [NatsVersion; 5] =
        [NatsVersion::V2_9, NatsVersion::V2_10, NatsVersion::V2_11, NatsVersion::V2_12, NatsVersion::V2_14];

    pub fn as_str(self) -> &'static str {
        match self {
            NatsVersion::V2_9 => "2.9",
            NatsVersion::V2_10 => "2.10",
            NatsVersion::V2_11 => "2.11",
            NatsVersion::V2_12 => "2.12",
            NatsVersion::V2_14 => "2.14",
        }
    }

    /// Parses `2.9`, `2.9.19`, `v2.14.2` and the like to their release line.
    pub fn parse(text: &str) -> Option<NatsVersion> {
        let text = text.trim().trim_start_matches('v');
        let mut parts = text.split('.');
        let major = parts.next()?;
        let minor = parts.next()?;
        if major != "2" {
            return None;
        }
        NatsVersion::ALL.into_iter().find(|v| v.as_str() == format!("2.{minor}"))
    }
}

impl fmt::Display for NatsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a password is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Password {
    /// Written as is; exporters put it in files only where the design says so.
    Plain(String),
    /// A bcrypt hash (`$2a$...`), usable on the accepting side only.
    Bcrypt(String),
    /// A Kubernetes secret holding the plain password.
    SecretRef { name: String, key: String },
}

/// A user of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub password: Password,
}

/// An account of a cluster, with its users and what it shares with the cluster's other
/// accounts.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Account {
    pub jetstream: bool,
    pub users: Vec<User>,
    pub exports: Vec<Export>,
    pub imports: Vec<Import>,
}

impl Account {
    /// An account with these users and nothing exported or imported.
    pub fn new(jetstream: bool, users: Vec<User>) -> Self {
        Self { jetstream, users, ..Self::default() }
    }
}

/// What an export or import carries: messages on subjects, or requests to a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShareKind {
    Stream,
    Service,
}

impl ShareKind {
    /// As nats-server confs write it: `stream`, `service`.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareKind::Stream => "stream",
            ShareKind::Service => "service",
        }
    }
}

impl fmt::Display for ShareKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a service answers (`response_type` of a service export).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ResponseType {
    #[default]
    Singleton,
    Stream,
    Chunked,
}

impl ResponseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseType::Singleton => "singleton",
            ResponseType::Stream => "stream",
            ResponseType::Chunked => "chunked",
        }
    }
}

/// Subjects (or a service) an account offers to other accounts of its cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub kind: ShareKind,
    pub subject: String,
    /// The accounts allowed to import it; empty: every account.
    pub accounts: Vec<String>,
    /// Services only; `None` is the server's default (singleton).
    pub response_type: Option<ResponseType>,
}

/// Subjects (or a service) an account takes from another account of its cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub kind: ShareKind,
    /// The exporting account.
    pub account: String,
    /// The subject as the exporting account exports it.
    pub subject: String,
    /// Where it appears in the importing account: the local subject (`to`), or for a stream
    /// import written with `prefix`, the prefix put before the subject. `None`: the same
    /// subject.
    pub local: Option<LocalSubject>,
}

/// Where an import appears in the importing account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalSubject {
    /// `to: <subject>`.
    To(String),
    /// `prefix: <p>` (stream imports): the subject appears as `<p>.<subject>`.
    Prefix(String),
}

impl Export {
    /// An export of `subject` to every account, with the server's default response type.
    pub fn new(kind: ShareKind, subject: impl Into<String>) -> Self {
        Self { kind, subject: subject.into(), accounts: Vec::new(), response_type: None }
    }

    /// The same export, allowed only to `accounts`.
    pub fn to<S: AsRef<str>>(mut self, accounts: &[S]) -> Self {
        self.accounts = accounts.iter().map(|a| a.as_ref().to_owned()).collect();
        self
    }
}

impl Import {
    /// An import of `subject` from `account`, on the same subject.
    pub fn new(kind: ShareKind, account: impl Into<String>, subject: impl Into<String>) -> Self {
        Self { kind, account: account.into(), subject: subject.into(), local: None }
    }

    /// The same import, appearing where `local` says.
    pub fn at(mut self, local: LocalSubject) -> Self {
        self.local = Some(local);
        self
    }

    /// The subject the import appears on in the importing account.
    pub fn local_subject(&self) -> String {
        match &self.local {
            None => self.subject.clone(),
            Some(LocalSubject::To(to)) => to.clone(),
            Some(LocalSubject::Prefix(prefix)) => format!("{prefix}.{}", self.subject),
        }
    }
}

/// Where a cluster accepts leafnode connections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafnodeListener {
    /// The port the servers listen on (7422 by default).
    pub port: u16,
    /// `host:port` endpoints through which other clusters reach the listener, such as a
    /// Kubernetes NodePort on a public address.
    pub public_endpoints: Vec<String>,
    /// Do not advertise the cluster's other servers to leafnodes (`no_advertise`).
    pub no_advertise: bool,
    /// TLS required on the listener.
    pub tls: Option<TlsListener>,
}

impl Default for LeafnodeListener {
    fn default() -> Self {
        Self { port: 7422, public_endpoints: Vec::new(), no_advertise: true, tls: None }
    }
}

/// A leafnode connection that this cluster dials.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LeafnodeRemote {
    /// The cluster this remote reaches, when the design knows it.
    pub target: Option<ClusterId>,
    /// The URL dialed, `nats://host:port`, possibly with `user:password@`.
    pub url: String,
    /// The local account bound to the connection; none binds the global account `$G`.
    pub local_account: Option<String>,
    /// The user presented to the target, when not written in the URL.
    pub user: Option<String>,
    /// That user's password.
    pub password: Option<Password>,
    /// A credentials file (`.creds`) presented to the target.
    pub credentials: Option<String>,
    /// An nkey seed file presented to the target.
    pub nkey: Option<String>,
    /// The remote's `tls {}` block: it dials with TLS (the `tls://` scheme alone does not).
    pub tls: Option<TlsDial>,
}

/// A NATS cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    pub name: String,
    pub role: Role,
    pub jetstream: bool,
    /// The JetStream domain; empty means none.
    pub domain: String,
    /// The number of servers (the chart's replicas).
    pub servers: u8,
    /// The prefix of server names; empty gives the chart's default names (`nats-0`, ...).
    pub server_name_prefix: String,
    pub version: NatsVersion,
    pub leafnode_listener: Option<LeafnodeListener>,
    pub remotes: Vec<LeafnodeRemote>,
    pub accounts: BTreeMap<String, Account>,
    pub system_account: Option<String>,
    /// Where the cluster accepts gateways and which gateways it dials (a supercluster).
    pub gateway: Option<Gateway>,
    /// The servers' tags (`server_tags`), what stream placement tags match.
    pub server_tags: Vec<String>,
    /// TLS on the client and route listeners.
    pub tls: ClusterTls,
    /// The top-left corner of the cluster's box on the canvas.
    pub position: Point,
}

impl Cluster {
    /// A cluster with the designer's defaults: three servers, JetStream on, no accounts.
    pub fn new(name: impl Into<String>, role: Role) -> Self {
        Self {
            name: name.into(),
            role,
            jetstream: true,
            domain: String::new(),
            servers: 3,
            server_name_prefix: String::new(),
            version: NatsVersion::V2_14,
            leafnode_listener: None,
            remotes: Vec::new(),
            accounts: BTreeMap::new(),
            system_account: None,
            gateway: None,
            server_tags: Vec::new(),
            tls: ClusterTls::default(),
            position: Point::default(),
        }
    }

    /// The domain, if one is set.
    pub fn domain(&self) -> Option<&str> {
        (!self.domain.is_empty()).then_some(self.domain.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_from_full_release_numbers() {
        assert_eq!(NatsVersion::parse("2.9.19"), Some(NatsVersion::V2_9));
        assert_eq!(NatsVersion::parse("v2.14.2"), Some(NatsVersion::V2_14));
        assert_eq!(NatsVersion::parse("2.10"), Some(NatsVersion::V2_10));
        assert_eq!(NatsVersion::parse("2.13"), None);
        assert_eq!(NatsVersion::parse("3.0"), None);
        assert_eq!(NatsVersion::parse(""), None);
    }
}
