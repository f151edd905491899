//! Commands: the only way a design changes.
//!
//! `apply` checks preconditions, mutates, and returns the inverse command, so undo is applying
//! the inverse (one step per command). Diagnostics offer commands as fixes.

use super::cluster::{LeafnodeListener, Password};
use super::ids::{ClusterId, StreamId};
use super::stream::{Retention, StreamConfig};
use super::topology::Design;
use thiserror::Error;

/// A domain edit of a design.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    SetClusterDomain {
        cluster: ClusterId,
        domain: String,
    },
    SetClusterName {
        cluster: ClusterId,
        name: String,
    },
    SetServerNamePrefix {
        cluster: ClusterId,
        prefix: String,
    },
    SetServers {
        cluster: ClusterId,
        servers: u8,
    },
    SetSystemAccount {
        cluster: ClusterId,
        account: Option<String>,
    },
    SetAccountJetStream {
        cluster: ClusterId,
        account: String,
        enabled: bool,
    },
    SetUserPassword {
        cluster: ClusterId,
        account: String,
        user: String,
        password: Password,
    },
    SetRemoteAccount {
        cluster: ClusterId,
        remote: usize,
        account: Option<String>,
    },
    SetRemoteUrl {
        cluster: ClusterId,
        remote: usize,
        url: String,
    },
    SetStreamReplicas {
        stream: StreamId,
        replicas: i64,
    },
    SetStreamRetention {
        stream: StreamId,
        retention: Retention,
    },
    SetStreamSubjects {
        stream: StreamId,
        subjects: Vec<String>,
    },
    SetStreamSealed {
        stream: StreamId,
        sealed: bool,
    },
    /// Replaces a stream's whole configuration (its name, limits, mirror and sources, ...):
    /// the repair of a rule that touches a field no narrower command covers.
    SetStreamConfig {
        stream: StreamId,
        config: Box<StreamConfig>,
    },
    /// Sets `external.api` of origin `index` (0 is the mirror when there is one, as in
    /// `Stream::origins`); `None` returns to the derived prefix.
    SetOriginApi {
        stream: StreamId,
        index: usize,
        api: Option<String>,
    },
    SetClusterJetStream {
        cluster: ClusterId,
        enabled: bool,
    },
    /// Opens (`Some`) or closes (`None`) a cluster's leafnode listener.
    SetLeafnodeListener {
        cluster: ClusterId,
        listener: Option<LeafnodeListener>,
    },
    /// Several commands as one undo step.
    Batch(Vec<Command>),
}

/// Why a command could not be applied; the design is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CommandError {
    #[error("no cluster {0}")]
    NoCluster(ClusterId),
    #[error("no stream {0}")]
    NoStream(StreamId),
    #[error("no account {account} in cluster {cluster}")]
    NoAccount { cluster: ClusterId, account: String },
    #[error("no user {user} in account {account}")]
    NoUser { account: String, user: String },
    #[error("no remote {remote} in cluster {cluster}")]
    NoRemote { cluster: ClusterId, remote: usize },
    #[error("no origin {index} in stream {stream}")]
    NoOrigin { stream: StreamId, index: usize },
}

impl Command {
    /// Applies the command and returns its inverse.
    pub fn apply(self, design: &mut Design) -> Result<Command, CommandError> {
        use Command::*;
        match self {
            SetClusterDomain { cluster, domain } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(&mut c.domain, domain);
                Ok(SetClusterDomain { cluster, domain: old })
            }
            SetClusterName { cluster, name } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(&mut c.name, name);
                Ok(SetClusterName { cluster, name: old })
            }
            SetServerNamePrefix { cluster, prefix } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(&mut c.server_name_prefix, prefix);
                Ok(SetServerNamePrefix { cluster, prefix: old })
            }
            SetServers { cluster, servers } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(&mut c.servers, servers);
                Ok(SetServers { cluster, servers: old })
            }
            SetSystemAccount { cluster, account } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(&mut c.system_account, account);
                Ok(SetSystemAccount { cluster, account: old })
            }
            SetAccountJetStream { cluster, account, enabled } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let a = c
                    .accounts
                    .get_mut(&account)
                    .ok_or(CommandError::NoAccount { cluster, account: account.clone() })?;
                let old = std::mem::replace(&mut a.jetstream, enabled);
                Ok(SetAccountJetStream { cluster, account, enabled: old })
            }
            SetUserPassword { cluster, account, user, password } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let a = c
                    .accounts
                    .get_mut(&account)
                    .ok_or(CommandError::NoAccount { cluster, account: account.clone() })?;
                let u = a
                    .users
                    .iter_mut()
                    .find(|u| u.name == user)
                    .ok_or(CommandError::NoUser { account: account.clone(), user: user.clone() })?;
                let old = std::mem::replace(&mut u.password, password);
                Ok(SetUserPassword { cluster, account, user, password: old })
            }
            SetRemoteAccount { cluster, remote, account } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let r = c.remotes.get_mut(remote).ok_or(CommandError::NoRemote { cluster, remote })?;
                let old = std::mem::replace(&mut r.local_account, account);
                Ok(SetRemoteAccount { cluster, remote, account: old })
            }
            SetRemoteUrl { cluster, remote, url } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let r = c.remotes.get_mut(remote).ok_or(CommandError::NoRemote { cluster, remote })?;
                let old = std::mem::replace(&mut r.url, url);
                Ok(SetRemoteUrl { cluster, remote, url: old })
            }
            SetStreamReplicas { stream, replicas } => {
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let old = std::mem::replace(&mut s.config.num_replicas, replicas);
                Ok(SetStreamReplicas { stream, replicas: old })
            }
            SetStreamRetention { stream, retention } => {
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let old = std::mem::replace(&mut s.config.retention, retention);
                Ok(SetStreamRetention { stream, retention: old })
            }
            SetStreamSubjects { stream, subjects } => {
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let old = std::mem::replace(&mut s.config.subjects, subjects);
                Ok(SetStreamSubjects { stream, subjects: old })
            }
            SetStreamSealed { stream, sealed } => {
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let old = std::mem::replace(&mut s.config.sealed, sealed);
                Ok(SetStreamSealed { stream, sealed: old })
            }
            SetStreamConfig { stream, config } => {
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let old = std::mem::replace(&mut s.config, *config);
                Ok(SetStreamConfig { stream, config: Box::new(old) })
            }
            SetOriginApi { stream, index, api } => {
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let c = &mut s.config;
                let origin = c.mirror.iter_mut().chain(c.sources.iter_mut()).nth(index);
                let origin = origin.ok_or(CommandError::NoOrigin { stream, index })?;
                let old = std::mem::replace(&mut origin.api, api);
                Ok(SetOriginApi { stream, index, api: old })
            }
            SetClusterJetStream { cluster, enabled } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(&mut c.jetstream, enabled);
                Ok(SetClusterJetStream { cluster, enabled: old })
            }
            SetLeafnodeListener { cluster, listener } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(&mut c.leafnode_listener, listener);
                Ok(SetLeafnodeListener { cluster, listener: old })
            }
            Batch(commands) => {
                let mut inverses = Vec::with_capacity(commands.len());
                for command in commands {
                    match command.apply(design) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(e) => {
                            // Roll back what was applied so the design is unchanged on error.
                            for inverse in inverses.into_iter().rev() {
                                let _ = inverse.apply(design);
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                Ok(Batch(inverses))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;

    #[test]
    fn applying_the_inverse_restores_the_design() {
        let original = guide_corrected();
        let mut d = original.clone();
        let hub = d.clusters().next().map(|(id, _)| id).unwrap();
        let sales = d.streams().find(|s| s.config.name == "sales").unwrap().id;
        let inverse = Command::Batch(vec![
            Command::SetClusterDomain { cluster: hub, domain: "hq".into() },
            Command::SetOriginApi { stream: sales, index: 1, api: Some("$JS.x.API".into()) },
        ])
        .apply(&mut d)
        .unwrap();
        assert_ne!(d, original);
        inverse.apply(&mut d).unwrap();
        assert_eq!(d, original);
    }

    #[test]
    fn a_failing_batch_leaves_the_design_unchanged() {
        let original = guide_corrected();
        let mut d = original.clone();
        let hub = d.clusters().next().map(|(id, _)| id).unwrap();
        let result = Command::Batch(vec![
            Command::SetClusterDomain { cluster: hub, domain: "hq".into() },
            Command::SetStreamReplicas { stream: StreamId(999), replicas: 1 },
        ])
        .apply(&mut d);
        assert_eq!(result, Err(CommandError::NoStream(StreamId(999))));
        assert_eq!(d, original);
    }
}
