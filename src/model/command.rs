//! Commands: the only way a design changes.
//!
//! `apply` checks preconditions, mutates, and returns the inverse command, so undo is applying
//! the inverse (one step per command). Diagnostics offer commands as fixes.

use super::cluster::{Account, Cluster, Export, Import, LeafnodeListener, Password};
use super::consumer::Consumer;
use super::edit::{self, ConnectError, CopyKind};
use super::geometry::Point;
use super::ids::{ClusterId, StreamId};
use super::stream::{Retention, Stream, StreamConfig};
use super::topology::Design;
use crate::model::sort::CollectSorted;
use std::collections::BTreeSet;
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
    /// Replaces what an account exports and imports.
    SetAccountShares {
        cluster: ClusterId,
        account: String,
        exports: Vec<Export>,
        imports: Vec<Import>,
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
    /// Replaces a stream's consumers (the inspector commits one consumer's add, edit or
    /// removal this way).
    SetStreamConsumers {
        stream: StreamId,
        consumers: Vec<Consumer>,
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
    /// Replaces the whole design (New, Open, an import), so that one undo brings the previous
    /// design back instead of losing it.
    ReplaceDesign(Box<Design>),
    /// Renames the design (downloads are named after it).
    SetDesignName {
        name: String,
    },
    /// Adds a cluster under a fresh id from the design's allocator (`edit::new_cluster` makes
    /// one with sensible defaults).
    AddCluster {
        cluster: Box<Cluster>,
    },
    /// Adds a stream to a cluster and account under a fresh id (`edit::new_stream`).
    AddStream {
        cluster: ClusterId,
        account: String,
        config: Box<StreamConfig>,
    },
    /// Deletes clusters with all their streams, and single streams. What referred to them goes
    /// too: remotes of other clusters that target a removed cluster, mirrors and sources of the
    /// remaining streams whose origin resolves to a removed stream; an origin cluster that
    /// is removed is cleared from the origins that stay (as loading a file does).
    RemoveElements {
        clusters: Vec<ClusterId>,
        streams: Vec<StreamId>,
    },
    /// The inverse of `RemoveElements`: puts clusters and streams back under their own ids,
    /// then applies `then` (the clusters and stream configurations the removal edited, as they
    /// were). Its inverse is the removal again, so redo gives the same ids.
    Restore {
        clusters: Vec<(ClusterId, Box<Cluster>)>,
        streams: Vec<Stream>,
        then: Vec<Command>,
    },
    /// Moves clusters (with their streams) so that their top-left corners are at the given
    /// points: one drag of a selection is one step.
    MoveClusters {
        moves: Vec<(ClusterId, Point)>,
    },
    /// Moves a stream into another cluster; it keeps its id, account and configuration, and
    /// takes its place among the cluster's streams by id.
    SetStreamCluster {
        stream: StreamId,
        cluster: ClusterId,
    },
    /// Replaces a whole cluster (its name, servers, accounts, remotes, ...): the inspector
    /// commits one field edit this way.
    SetCluster {
        cluster: ClusterId,
        value: Box<Cluster>,
    },
    /// `from` dials `to`: one remote per account both clusters have (`edit::leafnode_remotes`),
    /// or only for `accounts` when given ("Connect to hub…" lets the user choose). Refused with
    /// the reason of `edit::can_connect_leafnode`, or when a chosen account is not on both sides.
    ConnectLeafnode {
        from: ClusterId,
        to: ClusterId,
        accounts: Option<Vec<String>>,
    },
    /// `copy` mirrors or sources `origin`. A new mirror clears the copy's subjects (a mirror
    /// has none); a source is appended. Refused with the reason of `edit::can_connect_streams`.
    ConnectStreams {
        origin: StreamId,
        copy: StreamId,
        kind: CopyKind,
    },
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
    #[error("the id {0} is taken")]
    ClusterIdTaken(ClusterId),
    #[error("the id {0} is taken")]
    StreamIdTaken(StreamId),
    /// A connection the designer does not allow; the message is the reason.
    #[error(transparent)]
    Refused(#[from] ConnectError),
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
                let a = account_mut(design, cluster, &account)?;
                let old = std::mem::replace(&mut a.jetstream, enabled);
                Ok(SetAccountJetStream { cluster, account, enabled: old })
            }
            SetAccountShares { cluster, account, exports, imports } => {
                let a = account_mut(design, cluster, &account)?;
                let old_exports = std::mem::replace(&mut a.exports, exports);
                let old_imports = std::mem::replace(&mut a.imports, imports);
                Ok(SetAccountShares { cluster, account, exports: old_exports, imports: old_imports })
            }
            SetUserPassword { cluster, account, user, password } => {
                let a = account_mut(design, cluster, &account)?;
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
            SetStreamConsumers { stream, consumers } => {
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let old = std::mem::replace(&mut s.consumers, consumers);
                Ok(SetStreamConsumers { stream, consumers: old })
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
            ReplaceDesign(mut replacement) => {
                std::mem::swap(design, &mut replacement);
                Ok(ReplaceDesign(replacement))
            }
            SetDesignName { name } => Ok(SetDesignName { name: std::mem::replace(&mut design.name, name) }),
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
            AddCluster { cluster } => {
                let id = design.add_cluster(*cluster);
                Ok(removal_inverse(design, vec![id], Vec::new()))
            }
            AddStream { cluster, account, config } => {
                let id = design.add_stream(cluster, account, *config).ok_or(CommandError::NoCluster(cluster))?;
                Ok(removal_inverse(design, Vec::new(), vec![id]))
            }
            RemoveElements { clusters, streams } => remove(design, clusters, streams),
            Restore { clusters, streams, then } => restore(design, clusters, streams, then),
            MoveClusters { moves } => {
                if let Some((missing, _)) = moves.iter().find(|(id, _)| design.cluster(*id).is_none()) {
                    return Err(CommandError::NoCluster(*missing));
                }
                let mut inverse = Vec::with_capacity(moves.len());
                for (id, to) in moves {
                    let c = design.cluster_mut(id).expect("checked above that every moved cluster exists");
                    inverse.push((id, std::mem::replace(&mut c.position, to)));
                }
                // Reversed, so that a cluster moved twice ends where it started.
                inverse.reverse();
                Ok(MoveClusters { moves: inverse })
            }
            SetStreamCluster { stream, cluster } => {
                if design.cluster(cluster).is_none() {
                    return Err(CommandError::NoCluster(cluster));
                }
                let s = design.stream_mut(stream).ok_or(CommandError::NoStream(stream))?;
                let old = std::mem::replace(&mut s.cluster, cluster);
                Ok(SetStreamCluster { stream, cluster: old })
            }
            SetCluster { cluster, value } => {
                let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
                let old = std::mem::replace(c, *value);
                Ok(SetCluster { cluster, value: Box::new(old) })
            }
            ConnectLeafnode { from, to, accounts } => {
                edit::can_connect_leafnode(design, from, to)?;
                let mut remotes = edit::leafnode_remotes(design, from, to);
                if let Some(chosen) = accounts {
                    edit::check_chosen_accounts(design, from, to, &chosen)?;
                    remotes.retain(|r| r.local_account.as_ref().is_some_and(|a| chosen.contains(a)));
                }
                let c = design.cluster_mut(from).ok_or(CommandError::NoCluster(from))?;
                let old = c.clone();
                c.remotes.extend(remotes);
                Ok(SetCluster { cluster: from, value: Box::new(old) })
            }
            ConnectStreams { origin, copy, kind } => {
                edit::can_connect_streams(design, origin, copy, kind)?;
                let source = edit::origin_of(design, origin).ok_or(CommandError::NoStream(origin))?;
                let s = design.stream_mut(copy).ok_or(CommandError::NoStream(copy))?;
                let old = s.config.clone();
                match kind {
                    CopyKind::Mirror => {
                        s.config.mirror = Some(source);
                        s.config.subjects.clear();
                    }
                    CopyKind::Source => s.config.sources.push(source),
                }
                Ok(SetStreamConfig { stream: copy, config: Box::new(old) })
            }
        }
    }
}

/// What removing some clusters and streams takes with it, worked out before anything changes
/// (origins resolve only while the removed streams exist).
struct Removal {
    clusters: BTreeSet<ClusterId>,
    streams: BTreeSet<StreamId>,
    /// Remaining clusters with the remotes to removed clusters dropped.
    edited_clusters: Vec<(ClusterId, Cluster)>,
    /// Remaining streams with the mirrors and sources of removed streams dropped.
    edited_streams: Vec<(StreamId, StreamConfig)>,
}

impl Removal {
    fn plan(design: &Design, clusters: &[ClusterId], streams: &[StreamId]) -> Result<Removal, CommandError> {
        if let Some(missing) = clusters.iter().find(|id| design.cluster(**id).is_none()) {
            return Err(CommandError::NoCluster(*missing));
        }
        if let Some(missing) = streams.iter().find(|id| design.stream(**id).is_none()) {
            return Err(CommandError::NoStream(*missing));
        }
        let gone_clusters: BTreeSet<ClusterId> = clusters.iter().copied().collect_set();
        let gone_streams: BTreeSet<StreamId> = (design.streams())
            .filter(|s| gone_clusters.contains(&s.cluster) || streams.contains(&s.id))
            .map(|s| s.id)
            .collect_set();

        let mut edited_clusters = Vec::new();
        for (id, c) in design.clusters().filter(|(id, _)| !gone_clusters.contains(id)) {
            let dangling = |r: &super::cluster::LeafnodeRemote| r.target.is_some_and(|t| gone_clusters.contains(&t));
            let dangling_peer = |p: &super::gateway::GatewayPeer| p.target.is_some_and(|t| gone_clusters.contains(&t));
            let peers = c.gateway.iter().flat_map(|g| &g.peers);
            if c.remotes.iter().any(dangling) || peers.clone().any(dangling_peer) {
                let mut edited = c.clone();
                edited.remotes.retain(|r| !dangling(r));
                if let Some(g) = edited.gateway.as_mut() {
                    g.peers.retain(|p| !dangling_peer(p));
                }
                edited_clusters.push((id, edited));
            }
        }

        let mut edited_streams = Vec::new();
        for s in design.streams().filter(|s| !gone_streams.contains(&s.id)) {
            let gone = |o: &super::stream::StreamSource| {
                design.resolve_origin(s, o).is_some_and(|origin| gone_streams.contains(&origin))
            };
            let mut config = s.config.clone();
            config.mirror = config.mirror.filter(|m| !gone(m));
            config.sources.retain(|o| !gone(o));
            for o in config.mirror.iter_mut().chain(config.sources.iter_mut()) {
                if o.origin_cluster.is_some_and(|c| gone_clusters.contains(&c)) {
                    o.origin_cluster = None;
                }
            }
            if config != s.config {
                edited_streams.push((s.id, config));
            }
        }
        Ok(Removal { clusters: gone_clusters, streams: gone_streams, edited_clusters, edited_streams })
    }

    /// The commands that put the edited elements back as they are in `design` now.
    fn restoring(&self, design: &Design) -> Vec<Command> {
        let clusters = self.edited_clusters.iter().filter_map(|(id, _)| {
            Some(Command::SetCluster { cluster: *id, value: Box::new(design.cluster(*id)?.clone()) })
        });
        let streams = self.edited_streams.iter().filter_map(|(id, _)| {
            Some(Command::SetStreamConfig { stream: *id, config: Box::new(design.stream(*id)?.config.clone()) })
        });
        clusters.chain(streams).collect()
    }
}

/// What removing `clusters` and `streams` also takes from the elements that stay: the mirrors
/// and sources of remaining streams, and the remotes of remaining clusters, that pointed at
/// what goes. The editor says so, so that nothing disappears silently.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlsoRemoved {
    pub origins: usize,
    pub remotes: usize,
}

/// See `AlsoRemoved`; zero for a removal that would be refused.
pub fn also_removed(design: &Design, clusters: &[ClusterId], streams: &[StreamId]) -> AlsoRemoved {
    let Ok(removal) = Removal::plan(design, clusters, streams) else { return AlsoRemoved::default() };
    let origins = (removal.edited_streams.iter())
        .filter_map(|(id, config)| {
            Some(design.stream(*id)?.origins().count() - config.mirror.iter().chain(&config.sources).count())
        })
        .sum();
    let remotes = (removal.edited_clusters.iter())
        .filter_map(|(id, cluster)| Some(design.cluster(*id)?.remotes.len() - cluster.remotes.len()))
        .sum();
    AlsoRemoved { origins, remotes }
}

/// The inverse of adding `clusters` and `streams`: their removal, followed by putting back what
/// the removal would otherwise edit. A new stream can be the origin that an existing source
/// names but could not resolve before; removing it must not take that source with it.
fn removal_inverse(design: &Design, clusters: Vec<ClusterId>, streams: Vec<StreamId>) -> Command {
    let restoring = Removal::plan(design, &clusters, &streams).map(|r| r.restoring(design)).unwrap_or_default();
    let remove = Command::RemoveElements { clusters, streams };
    if restoring.is_empty() {
        remove
    } else {
        Command::Batch(std::iter::once(remove).chain(restoring).collect())
    }
}

fn remove(design: &mut Design, clusters: Vec<ClusterId>, streams: Vec<StreamId>) -> Result<Command, CommandError> {
    let removal = Removal::plan(design, &clusters, &streams)?;
    let then = removal.restoring(design);
    for (id, edited) in removal.edited_clusters {
        *design.cluster_mut(id).expect("planned from an existing cluster") = edited;
    }
    for (id, config) in removal.edited_streams {
        design.stream_mut(id).expect("planned from an existing stream").config = config;
    }
    let streams: Vec<Stream> = (removal.streams.iter())
        .map(|id| design.remove_stream(*id).expect("planned from an existing stream"))
        .collect();
    let clusters: Vec<(ClusterId, Box<Cluster>)> = (removal.clusters.iter())
        .map(|id| (*id, Box::new(design.remove_cluster(*id).expect("its streams were removed just before"))))
        .collect();
    Ok(Command::Restore { clusters, streams, then })
}

fn restore(
    design: &mut Design,
    clusters: Vec<(ClusterId, Box<Cluster>)>,
    streams: Vec<Stream>,
    then: Vec<Command>,
) -> Result<Command, CommandError> {
    let mut cluster_ids = BTreeSet::new();
    for (id, _) in &clusters {
        if design.cluster(*id).is_some() || !cluster_ids.insert(*id) {
            return Err(CommandError::ClusterIdTaken(*id));
        }
    }
    let mut stream_ids = BTreeSet::new();
    for s in &streams {
        if design.stream(s.id).is_some() || !stream_ids.insert(s.id) {
            return Err(CommandError::StreamIdTaken(s.id));
        }
        if design.cluster(s.cluster).is_none() && !cluster_ids.contains(&s.cluster) {
            return Err(CommandError::NoCluster(s.cluster));
        }
    }
    for (id, cluster) in clusters {
        design.insert_cluster_with_id(id, *cluster);
    }
    for stream in streams {
        design.insert_stream_with_id(stream);
    }
    if let Err(e) = Command::Batch(then).apply(design) {
        for id in &stream_ids {
            design.remove_stream(*id);
        }
        for id in &cluster_ids {
            design.remove_cluster(*id);
        }
        return Err(e);
    }
    Ok(Command::RemoveElements {
        clusters: cluster_ids.into_iter().collect(),
        streams: stream_ids.into_iter().collect(),
    })
}

/// Account `account` of cluster `cluster`, for the commands that edit one.
fn account_mut<'a>(design: &'a mut Design, cluster: ClusterId, account: &str) -> Result<&'a mut Account, CommandError> {
    let c = design.cluster_mut(cluster).ok_or(CommandError::NoCluster(cluster))?;
    c.accounts.get_mut(account).ok_or_else(|| CommandError::NoAccount { cluster, account: account.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster::Role;
    use crate::model::example::guide_corrected;
    use crate::model::history::Document;
    use crate::model::stream::StreamSource;

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

    fn cluster(d: &Design, name: &str) -> ClusterId {
        d.clusters().find(|(_, c)| c.name == name).map(|(id, _)| id).expect("the cluster exists")
    }

    fn stream(d: &Design, name: &str) -> StreamId {
        d.streams().find(|s| s.config.name == name).map(|s| s.id).expect("the stream exists")
    }

    /// Applies `command` to `design`, checks that its inverse gives `design` back exactly and
    /// that the inverse's inverse (redo) gives the changed design back exactly; returns that.
    fn check(design: &Design, command: Command) -> Design {
        let mut d = design.clone();
        let inverse = command.apply(&mut d).expect("the command applies");
        let changed = d.clone();
        let redo = inverse.apply(&mut d).expect("the inverse applies");
        assert_eq!(&d, design, "undo restores the design exactly");
        redo.apply(&mut d).expect("the redo applies");
        assert_eq!(d, changed, "redo gives the same design, ids included");
        changed
    }

    #[test]
    fn replacing_the_design_is_one_step_that_undo_reverts() {
        let original = guide_corrected();
        let replacement = crate::model::generate::generated(3, 9);
        let changed = check(&original, Command::ReplaceDesign(Box::new(replacement.clone())));
        assert_eq!(changed, replacement);
    }

    #[test]
    fn renaming_the_design_is_one_step_that_undo_reverts() {
        let changed = check(&guide_corrected(), Command::SetDesignName { name: "cinemas \"; drop".into() });
        assert_eq!(changed.name, "cinemas \"; drop");
    }

    /// Applies `command`, expecting a refusal that leaves the design unchanged.
    fn check_refused(design: &Design, command: Command) -> CommandError {
        let mut d = design.clone();
        let error = command.apply(&mut d).expect_err("the command is refused");
        assert_eq!(&d, design, "a refused command changes nothing");
        error
    }

    #[test]
    fn adding_a_cluster_allocates_the_next_id_and_undo_removes_it() {
        let original = guide_corrected();
        let new = edit::new_cluster(&original, Role::Spoke, Point::new(10.0, 10.0));
        let d = check(&original, Command::AddCluster { cluster: Box::new(new.clone()) });
        let (id, added) = d.clusters().last().unwrap();
        assert_eq!((id, added), (ClusterId(9), &new), "after the example's 3 clusters and 5 streams");
    }

    #[test]
    fn adding_a_stream_puts_it_last_in_its_cluster_and_undo_removes_it() {
        let original = guide_corrected();
        let spoke = cluster(&original, "spoke-2");
        let config = edit::new_stream(&original, spoke);
        let d =
            check(&original, Command::AddStream { cluster: spoke, account: "ACC".into(), config: Box::new(config) });
        let names: Vec<_> = d.streams_in(spoke).map(|s| s.config.name.as_str()).collect();
        assert_eq!(names, ["tickets-2", "stream-1"]);
        let refused = check_refused(
            &original,
            Command::AddStream {
                cluster: ClusterId(99),
                account: "ACC".into(),
                config: Box::new(StreamConfig::new("x")),
            },
        );
        assert_eq!(refused, CommandError::NoCluster(ClusterId(99)));
    }

    #[test]
    fn undoing_a_stream_that_an_unresolved_source_named_keeps_that_source() {
        let mut original = guide_corrected();
        let (sales, spoke) = (stream(&original, "sales"), cluster(&original, "spoke-1"));
        let later = StreamSource { name: "later".into(), origin_cluster: Some(spoke), ..StreamSource::default() };
        original.stream_mut(sales).unwrap().config.sources.push(later);
        let d = check(
            &original,
            Command::AddStream { cluster: spoke, account: "ACC".into(), config: Box::new(StreamConfig::new("later")) },
        );
        let sales = d.stream(sales).unwrap();
        assert_eq!(d.resolve_origin(sales, &sales.config.sources[2]), Some(stream(&d, "later")));
    }

    #[test]
    fn removing_a_hub_removes_its_streams_the_spokes_remotes_to_it_and_the_copies_of_its_streams() {
        let original = guide_corrected();
        let hub = cluster(&original, "headquarter");
        let d = check(&original, Command::RemoveElements { clusters: vec![hub], streams: vec![] });
        assert!(d.cluster(hub).is_none());
        assert!(d.streams().all(|s| s.cluster != hub));
        assert!(d.clusters().all(|(_, c)| c.remotes.is_empty()), "the spokes dialed only the hub");
        let mirror = d.stream(stream(&d, "cinema-a-mirror")).unwrap();
        assert_eq!(mirror.config.mirror, None, "its origin cinema-a was in the hub");
        assert!(d.links().is_empty());
    }

    #[test]
    fn removing_an_origin_stream_removes_the_sources_pointing_at_it() {
        let original = guide_corrected();
        let d = check(
            &original,
            Command::RemoveElements { clusters: vec![], streams: vec![stream(&original, "tickets-1")] },
        );
        let sales = d.stream(stream(&d, "sales")).unwrap();
        let names: Vec<_> = sales.config.sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["tickets-2"]);
        assert_eq!(d.clusters().count(), 3);
    }

    #[test]
    fn what_a_removal_also_takes_is_counted() {
        let d = guide_corrected();
        let (t1, t2) = (stream(&d, "tickets-1"), stream(&d, "tickets-2"));
        assert_eq!(also_removed(&d, &[], &[t1, t2]), AlsoRemoved { origins: 2, remotes: 0 }, "both sources of sales");
        assert_eq!(also_removed(&d, &[], &[stream(&d, "sales")]), AlsoRemoved::default(), "sales is nobody's origin");
        let hub = cluster(&d, "headquarter");
        assert_eq!(
            also_removed(&d, &[hub], &[]),
            AlsoRemoved { origins: 1, remotes: 4 },
            "the mirror of cinema-a and the spokes' remotes; sales goes with the hub"
        );
    }

    #[test]
    fn removing_the_newest_elements_hands_their_ids_out_again() {
        let original = guide_corrected();
        let last = original.streams().last().unwrap().id;
        let mut d = original.clone();
        Command::RemoveElements { clusters: vec![], streams: vec![last] }.apply(&mut d).unwrap();
        let again = d.add_stream(cluster(&d, "spoke-2"), "ACC", StreamConfig::new("again")).unwrap();
        assert_eq!(again, last, "the counter is the largest id in use, as after loading a file");
    }

    #[test]
    fn removing_what_does_not_exist_or_restoring_a_taken_id_is_refused() {
        let original = guide_corrected();
        let refused =
            check_refused(&original, Command::RemoveElements { clusters: vec![ClusterId(77)], streams: vec![] });
        assert_eq!(refused, CommandError::NoCluster(ClusterId(77)));
        let hub = cluster(&original, "headquarter");
        let taken = Command::Restore {
            clusters: vec![(hub, Box::new(Cluster::new("again", Role::Hub)))],
            streams: vec![],
            then: vec![],
        };
        assert_eq!(check_refused(&original, taken), CommandError::ClusterIdTaken(hub));
        let broken_then = Command::Restore {
            clusters: vec![(ClusterId(50), Box::new(Cluster::new("new", Role::Hub)))],
            streams: vec![],
            then: vec![Command::SetServers { cluster: ClusterId(51), servers: 1 }],
        };
        assert_eq!(check_refused(&original, broken_then), CommandError::NoCluster(ClusterId(51)));
    }

    #[test]
    fn moving_clusters_is_one_step_even_when_a_cluster_moves_twice() {
        let original = guide_corrected();
        let (hub, spoke) = (cluster(&original, "headquarter"), cluster(&original, "spoke-1"));
        let moves = vec![(hub, Point::new(1.0, 2.0)), (spoke, Point::new(3.0, 4.0)), (hub, Point::new(5.0, 6.0))];
        let d = check(&original, Command::MoveClusters { moves });
        assert_eq!(d.cluster(hub).unwrap().position, Point::new(5.0, 6.0));
        let refused = check_refused(
            &original,
            Command::MoveClusters { moves: vec![(hub, Point::default()), (ClusterId(80), Point::default())] },
        );
        assert_eq!(refused, CommandError::NoCluster(ClusterId(80)));
    }

    #[test]
    fn moving_a_stream_into_another_cluster_keeps_its_id_and_orders_it_by_id() {
        let original = guide_corrected();
        let (hub, tickets) = (cluster(&original, "headquarter"), stream(&original, "tickets-1"));
        let d = check(&original, Command::SetStreamCluster { stream: tickets, cluster: hub });
        let names: Vec<_> = d.streams_in(hub).map(|s| s.config.name.as_str()).collect();
        assert_eq!(names, ["cinema-a", "sales", "tickets-1"]);
        let refused = check_refused(&original, Command::SetStreamCluster { stream: tickets, cluster: ClusterId(90) });
        assert_eq!(refused, CommandError::NoCluster(ClusterId(90)));
    }

    #[test]
    fn setting_a_whole_cluster_is_undone_by_the_old_value() {
        let original = guide_corrected();
        let hub = cluster(&original, "headquarter");
        let mut value = original.cluster(hub).unwrap().clone();
        value.servers = 5;
        value.name = "hq".into();
        let d = check(&original, Command::SetCluster { cluster: hub, value: Box::new(value.clone()) });
        assert_eq!(d.cluster(hub), Some(&value));
    }

    #[test]
    fn connecting_a_new_spoke_adds_a_remote_per_shared_account() {
        let mut original = guide_corrected();
        let spoke = original.add_cluster(edit::new_cluster(&original, Role::Spoke, Point::default()));
        let hub = cluster(&original, "headquarter");
        let d = check(&original, Command::ConnectLeafnode { from: spoke, to: hub, accounts: None });
        let remotes = &d.cluster(spoke).unwrap().remotes;
        let accounts: Vec<_> = remotes.iter().map(|r| r.local_account.as_deref()).collect();
        assert_eq!(accounts, [Some("ACC"), Some("SYS")]);
        assert!(remotes
            .iter()
            .all(|r| r.target == Some(hub) && r.url == "nats://headquarter.nats.public.address.com:30742"));
        assert_eq!(remotes, &edit::leafnode_remotes(&original, spoke, hub));
    }

    #[test]
    fn connecting_with_chosen_accounts_adds_only_their_remotes() {
        let mut original = guide_corrected();
        let spoke = original.add_cluster(edit::new_cluster(&original, Role::Spoke, Point::default()));
        let hub = cluster(&original, "headquarter");
        let d = check(&original, Command::ConnectLeafnode { from: spoke, to: hub, accounts: Some(vec!["SYS".into()]) });
        let accounts: Vec<_> = d.cluster(spoke).unwrap().remotes.iter().map(|r| r.local_account.as_deref()).collect();
        assert_eq!(accounts, [Some("SYS")]);
        let refused =
            check_refused(&original, Command::ConnectLeafnode { from: spoke, to: hub, accounts: Some(vec![]) });
        assert_eq!(refused.to_string(), "choose at least one account for the leafnode from spoke-3 to headquarter");
        let refused = check_refused(
            &original,
            Command::ConnectLeafnode { from: spoke, to: hub, accounts: Some(vec!["ACC".into(), "NOPE".into()]) },
        );
        assert_eq!(refused.to_string(), "spoke-3 and headquarter do not both have account NOPE");
    }

    #[test]
    fn a_refused_connection_carries_its_reason() {
        let original = guide_corrected();
        let (hub, spoke) = (cluster(&original, "headquarter"), cluster(&original, "spoke-1"));
        let refused = check_refused(&original, Command::ConnectLeafnode { from: spoke, to: hub, accounts: None });
        assert_eq!(
            refused,
            CommandError::Refused(ConnectError::AlreadyConnected { from: "spoke-1".into(), to: "headquarter".into() })
        );
        assert_eq!(refused.to_string(), "spoke-1 already has a leafnode to headquarter");

        let (sales, tickets) = (stream(&original, "sales"), stream(&original, "tickets-1"));
        let refused =
            check_refused(&original, Command::ConnectStreams { origin: sales, copy: tickets, kind: CopyKind::Source });
        assert_eq!(refused.to_string(), "this link would close a cycle: tickets-1 → sales → tickets-1");
        let refused =
            check_refused(&original, Command::ConnectStreams { origin: sales, copy: sales, kind: CopyKind::Mirror });
        assert_eq!(refused, CommandError::Refused(ConnectError::SelfLink));
    }

    #[test]
    fn connecting_a_mirror_clears_the_copys_subjects_and_a_source_is_appended() {
        let original = guide_corrected();
        let (cinema_a, tickets_1, tickets_2) =
            (stream(&original, "cinema-a"), stream(&original, "tickets-1"), stream(&original, "tickets-2"));
        let d = check(&original, Command::ConnectStreams { origin: cinema_a, copy: tickets_2, kind: CopyKind::Mirror });
        let copy = d.stream(tickets_2).unwrap();
        assert!(copy.config.subjects.is_empty());
        assert_eq!(d.resolve_origin(copy, copy.config.mirror.as_ref().unwrap()), Some(cinema_a));
        assert_eq!(
            d.effective_api(copy, copy.config.mirror.as_ref().unwrap()).as_deref(),
            Some("$JS.hub.API"),
            "derived from the origin's domain"
        );

        let d =
            check(&original, Command::ConnectStreams { origin: tickets_1, copy: tickets_2, kind: CopyKind::Source });
        let copy = d.stream(tickets_2).unwrap();
        assert_eq!(copy.config.subjects, ["tickets-2.>"]);
        assert_eq!(copy.config.sources.len(), 1);
        assert_eq!(d.resolve_origin(copy, &copy.config.sources[0]), Some(tickets_1));
    }

    #[test]
    fn redo_after_undo_reproduces_the_same_ids() {
        let mut doc = Document::new(guide_corrected());
        let spoke = edit::new_cluster(doc.design(), Role::Spoke, Point::new(0.0, 900.0));
        doc.execute(Command::AddCluster { cluster: Box::new(spoke) }).unwrap();
        let spoke = cluster(doc.design(), "spoke-3");
        let config = edit::new_stream(doc.design(), spoke);
        doc.execute(Command::AddStream { cluster: spoke, account: "ACC".into(), config: Box::new(config) }).unwrap();
        let hub = cluster(doc.design(), "headquarter");
        doc.execute(Command::ConnectLeafnode { from: spoke, to: hub, accounts: None }).unwrap();
        doc.execute(Command::RemoveElements { clusters: vec![hub], streams: vec![] }).unwrap();
        let done = doc.design().clone();
        while doc.undo() {}
        assert_eq!(doc.design(), &guide_corrected());
        while doc.redo() {}
        assert_eq!(doc.design(), &done);
        assert_eq!(doc.design().streams_in(spoke).map(|s| s.id).collect::<Vec<_>>(), [StreamId(10)]);
    }
}
