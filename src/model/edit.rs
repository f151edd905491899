//! What the designer needs to create and connect elements: unique names, new clusters and
//! streams with sensible defaults, which connections are allowed (and why not), hit testing,
//! and automatic layout. Pure functions of the design; changes still go through `Command`s.
//!
//! Names are numbered from 1 (`spoke-1`, `stream-1`) and skip what is in use, so creating the
//! same element twice in the same design gives the same name: no counter lives outside the design.

use super::cluster::{Account, Cluster, LeafnodeListener, LeafnodeRemote, Password, Role, User};
use super::command::Command;
use super::geometry::{Point, Rect};
use super::ids::{ClusterId, StreamId};
use super::stream::{StreamConfig, StreamSource};
use super::topology::Design;
use super::validate;
use crate::model::sort::Sorted;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The Kubernetes secret that new users' passwords refer to (one key per user).
pub const PASSWORD_SECRET: &str = "nats-passwords";

/// The kind of stream link a user draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyKind {
    Mirror,
    Source,
}

/// Why a connection cannot be made; `Display` is the reason shown to the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    #[error("a stream cannot copy from itself")]
    SelfLink,
    #[error("{0} already mirrors a stream: a mirror has one origin")]
    MirrorTaken(String),
    #[error("{0} is a mirror: a mirror cannot also have sources")]
    MirrorHasNoSources(String),
    #[error("{0} has sources: a stream with sources cannot become a mirror")]
    SourcesTaken(String),
    #[error("{copy} already copies from {origin}")]
    AlreadyLinked { copy: String, origin: String },
    #[error("this link would close a cycle: {0}")]
    Cycle(String),
    #[error("{copy} cannot copy from {origin}: they are in different accounts ({copy_account} and {origin_account})")]
    OtherAccount { copy: String, origin: String, copy_account: String, origin_account: String },
    #[error("{copy} cannot tell {origin} from another stream of that name in the same domain and account")]
    Ambiguous { copy: String, origin: String },
    #[error("only a spoke or standalone cluster dials a hub; {0} cannot")]
    NotASpoke(String),
    #[error("{0} is not a hub")]
    NotAHub(String),
    #[error("{0} cannot dial itself")]
    DialsItself(String),
    #[error("{from} already has a leafnode to {to}")]
    AlreadyConnected { from: String, to: String },
    #[error("{from} and {to} share no account to bind a leafnode to")]
    NoSharedAccount { from: String, to: String },
    #[error("choose at least one account for the leafnode from {from} to {to}")]
    NoAccountChosen { from: String, to: String },
    #[error("{from} and {to} do not both have account {account}")]
    AccountNotShared { from: String, to: String, account: String },
    #[error("the element no longer exists")]
    Gone,
}

/// The first of `base-1`, `base-2`, ... that `taken` refuses; `base` alone first when `bare`.
pub(crate) fn unique(base: &str, bare: bool, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.trim().is_empty() { "cluster" } else { base.trim() };
    if bare && !taken(base) {
        return base.to_owned();
    }
    (if bare { 2.. } else { 1.. })
        .map(|n| format!("{base}-{n}"))
        .find(|name| !taken(name))
        .expect("a design holds finitely many names")
}

/// A name based on `base` that no cluster has yet: `spoke-3`.
pub fn unique_cluster_name(design: &Design, base: &str) -> String {
    unique(base, false, |name| design.clusters().any(|(_, c)| c.name == name))
}

/// A JetStream domain based on `base` that no cluster has yet: `base` itself when free (new
/// clusters pass their name, so `spoke-3` gets the domain `spoke-3`), else `base-2`, `base-3`, ...
pub fn unique_domain(design: &Design, base: &str) -> String {
    unique(base, true, |domain| design.clusters().any(|(_, c)| c.domain == domain))
}

/// A stream name based on `base` that no stream of `cluster`'s domain has yet.
///
/// Unique in the whole design, which is stricter than the server needs (names are per account
/// and domain) but keeps names unambiguous on the canvas and in links.
pub fn unique_stream_name(design: &Design, _cluster: ClusterId, base: &str) -> String {
    unique(base, false, |name| design.streams().any(|s| s.config.name == name))
}

/// A password kept in the designer's Kubernetes secret under the user's name.
fn secret(user: &str) -> Password {
    Password::SecretRef { name: PASSWORD_SECRET.to_owned(), key: user.to_owned() }
}

/// The accounts of every cluster (names, JetStream flags and user names; first seen wins) and
/// the system account most clusters would agree on: the first one declared. A design without
/// accounts gets the usual pair: `SYS` (system) and `ACC` (JetStream).
fn design_accounts(design: &Design) -> (BTreeMap<String, Account>, Option<String>) {
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    for (_, cluster) in design.clusters() {
        for (name, account) in &cluster.accounts {
            let entry = accounts.entry(name.clone()).or_insert_with(|| Account::new(account.jetstream, Vec::new()));
            for user in &account.users {
                if !entry.users.iter().any(|u| u.name == user.name) {
                    entry.users.push(User { name: user.name.clone(), password: secret(&user.name) });
                }
            }
        }
    }
    let declared = |c: &Cluster| c.system_account.clone().filter(|a| c.accounts.contains_key(a));
    let system = design
        .clusters()
        .find_map(|(_, c)| declared(c))
        .or_else(|| design.clusters().find_map(|(_, c)| c.system_account.clone()));
    if accounts.is_empty() {
        let user = |name: &str| User { name: name.to_owned(), password: secret(name) };
        accounts.insert("SYS".into(), Account::new(false, vec![user("sys")]));
        accounts.insert("ACC".into(), Account::new(true, vec![user("acc")]));
        return (accounts, Some("SYS".into()));
    }
    if let Some(account) = system.as_ref().and_then(|s| accounts.get_mut(s)) {
        // The system account never has JetStream.
        account.jetstream = false;
    }
    (accounts, system)
}

/// A new cluster of `role` at `at` with a unique name and domain, the accounts the design
/// already uses, and a leafnode listener for hubs.
///
/// Three servers on 2.14 with JetStream; the server-name prefix `<name>-` (numbered when another
/// cluster has it); passwords from the Kubernetes secret `nats-passwords`, one key per user.
pub fn new_cluster(design: &Design, role: Role, at: Point) -> Cluster {
    let name = unique_cluster_name(design, role.as_str());
    let mut c = Cluster::new(name.clone(), role);
    c.domain = unique_domain(design, &name);
    let prefix_taken = |p: &str| design.clusters().any(|(_, c)| c.server_name_prefix == p);
    c.server_name_prefix = format!("{name}-");
    if prefix_taken(&c.server_name_prefix) {
        c.server_name_prefix =
            (2..).map(|n| format!("{name}-{n}-")).find(|p| !prefix_taken(p)).expect("finitely many prefixes");
    }
    let (accounts, system) = design_accounts(design);
    c.accounts = accounts;
    c.system_account = system;
    if role == Role::Hub {
        c.leafnode_listener = Some(LeafnodeListener::default());
    }
    c.position = at;
    c
}

/// A new stream for `cluster` with a unique name and a subject derived from it: `stream-N`
/// on `stream-N.>`, limits retention, as many replicas as the cluster allows up to 3 (always
/// odd, so 1 or 3).
pub fn new_stream(design: &Design, cluster: ClusterId) -> StreamConfig {
    let mut config = StreamConfig::new(unique_stream_name(design, cluster, "stream"));
    config.subjects = vec![format!("{}.>", config.name)];
    let servers = design.cluster(cluster).map_or(1, |c| i64::from(c.servers));
    config.num_replicas = if servers >= 3 { 3 } else { 1 };
    config
}

/// The account a new stream of `cluster` goes into: its first JetStream-enabled account that is
/// not the system account, else its first account, else `ACC`.
pub fn default_account(design: &Design, cluster: ClusterId) -> String {
    let Some(c) = design.cluster(cluster) else { return "ACC".to_owned() };
    let system = c.system_account.as_deref();
    c.accounts
        .iter()
        .find(|(name, a)| a.jetstream && Some(name.as_str()) != system)
        .or_else(|| c.accounts.iter().next())
        .map_or_else(|| "ACC".to_owned(), |(name, _)| name.clone())
}

/// Whether `origin` → `copy` may be drawn as `kind`.
///
/// A mirror has exactly one origin and neither sources nor subjects of its own; drawing a mirror
/// onto a stream with subjects is allowed because `Command::ConnectStreams` clears them. The link
/// must resolve to `origin` (same account, no other stream of that name where the copy looks)
/// and must not close a cycle of copies.
pub fn can_connect_streams(
    design: &Design,
    origin: StreamId,
    copy: StreamId,
    kind: CopyKind,
) -> Result<(), ConnectError> {
    let (Some(o), Some(c)) = (design.stream(origin), design.stream(copy)) else {
        return Err(ConnectError::Gone);
    };
    if origin == copy {
        return Err(ConnectError::SelfLink);
    }
    let copy_name = || c.config.name.clone();
    match kind {
        CopyKind::Mirror if c.config.mirror.is_some() => return Err(ConnectError::MirrorTaken(copy_name())),
        CopyKind::Mirror if !c.config.sources.is_empty() => return Err(ConnectError::SourcesTaken(copy_name())),
        CopyKind::Source if c.config.mirror.is_some() => return Err(ConnectError::MirrorHasNoSources(copy_name())),
        _ => {}
    }
    let new = origin_of(design, origin).ok_or(ConnectError::Gone)?;
    let same = |s: &StreamSource| s.name == new.name && s.origin_cluster == new.origin_cluster;
    if c.origins().any(|s| same(s) || design.resolve_origin(c, s) == Some(origin)) {
        return Err(ConnectError::AlreadyLinked { copy: copy_name(), origin: o.config.name.clone() });
    }
    if design.resolve_origin(c, &new) != Some(origin) {
        return Err(if o.account != c.account {
            ConnectError::OtherAccount {
                copy: copy_name(),
                origin: o.config.name.clone(),
                copy_account: c.account.clone(),
                origin_account: o.account.clone(),
            }
        } else {
            ConnectError::Ambiguous { copy: copy_name(), origin: o.config.name.clone() }
        });
    }
    if let Some(path) = upstream_path(design, origin, copy) {
        // `path` runs from `origin` up to `copy`; messages flow the other way, then into `copy`.
        let mut names: Vec<&str> =
            path.iter().rev().filter_map(|id| design.stream(*id)).map(|s| s.config.name.as_str()).collect();
        names.push(c.config.name.as_str());
        return Err(ConnectError::Cycle(names.join(" → ")));
    }
    Ok(())
}

/// The mirror or source a link from `origin` gets: its name and cluster, the API derived.
pub fn origin_of(design: &Design, origin: StreamId) -> Option<StreamSource> {
    let o = design.stream(origin)?;
    Some(StreamSource { name: o.config.name.clone(), origin_cluster: Some(o.cluster), ..StreamSource::default() })
}

/// The streams from `from` up its resolved origins to `to`, both included, if `from` copies
/// (directly or through others) from `to`. Breadth first, so the path is a shortest one.
fn upstream_path(design: &Design, from: StreamId, to: StreamId) -> Option<Vec<StreamId>> {
    let mut came_from: BTreeMap<StreamId, StreamId> = BTreeMap::new();
    let mut seen = BTreeSet::from([from]);
    let mut queue = VecDeque::from([from]);
    while let Some(current) = queue.pop_front() {
        if current == to {
            let mut path = vec![to];
            let mut at = to;
            while let Some(next) = came_from.get(&at) {
                path.push(*next);
                at = *next;
            }
            path.reverse();
            return Some(path);
        }
        let Some(stream) = design.stream(current) else { continue };
        for up in stream.origins().filter_map(|s| design.resolve_origin(stream, s)) {
            if seen.insert(up) {
                came_from.insert(up, current);
                queue.push_back(up);
            }
        }
    }
    None
}

/// Whether `from` may dial `to` through a leafnode.
///
/// `from` is a spoke or a standalone cluster, `to` a hub or a cluster with a leafnode listener,
/// not yet dialed by `from`, and the two share at least one account to bind remotes to.
pub fn can_connect_leafnode(design: &Design, from: ClusterId, to: ClusterId) -> Result<(), ConnectError> {
    let (Some(f), Some(t)) = (design.cluster(from), design.cluster(to)) else {
        return Err(ConnectError::Gone);
    };
    if from == to {
        return Err(ConnectError::DialsItself(f.name.clone()));
    }
    if f.role == Role::Hub {
        return Err(ConnectError::NotASpoke(f.name.clone()));
    }
    if t.role != Role::Hub && t.leafnode_listener.is_none() {
        return Err(ConnectError::NotAHub(t.name.clone()));
    }
    if f.remotes.iter().any(|r| r.target == Some(to)) {
        return Err(ConnectError::AlreadyConnected { from: f.name.clone(), to: t.name.clone() });
    }
    if shared_accounts(f, t).is_empty() {
        return Err(ConnectError::NoSharedAccount { from: f.name.clone(), to: t.name.clone() });
    }
    Ok(())
}

/// The accounts both clusters have, application accounts by name first, then `from`'s system
/// account (the order of the guide's remotes).
fn shared_accounts<'a>(from: &'a Cluster, to: &Cluster) -> Vec<&'a str> {
    let system = from.system_account.as_deref();
    let mut shared: Vec<&str> = from
        .accounts
        .keys()
        .map(String::as_str)
        .filter(|a| to.accounts.contains_key(*a) && Some(*a) != system)
        .collect();
    shared.extend(system.filter(|s| from.accounts.contains_key(*s) && to.accounts.contains_key(*s)));
    shared
}

/// The remotes that connect `from` to `to`: one per account both have, bound to that account,
/// presenting the first user of the target's account of the same name. The password is the
/// target user's when it is a secret reference, else a reference into `nats-passwords`. The URL
/// is the target's first public endpoint, else `<target name>:<listener port>`.
pub fn leafnode_remotes(design: &Design, from: ClusterId, to: ClusterId) -> Vec<LeafnodeRemote> {
    let (Some(f), Some(t)) = (design.cluster(from), design.cluster(to)) else { return Vec::new() };
    let listener = t.leafnode_listener.clone().unwrap_or_default();
    let host = match listener.public_endpoints.first() {
        Some(endpoint) => endpoint.clone(),
        None => format!("{}:{}", t.name, listener.port),
    };
    shared_accounts(f, t)
        .into_iter()
        .map(|account| {
            let user = t.accounts.get(account).and_then(|a| a.users.first());
            let password = user.map(|u| match &u.password {
                p @ Password::SecretRef { .. } => p.clone(),
                _ => secret(&u.name),
            });
            LeafnodeRemote {
                target: Some(to),
                url: format!("nats://{host}"),
                local_account: Some(account.to_owned()),
                user: user.map(|u| u.name.clone()),
                password,
                ..LeafnodeRemote::default()
            }
        })
        .collect()
}

/// The accounts a leafnode from `from` to `to` can bind, in the order `leafnode_remotes` adds
/// them (application accounts by name, then the system account): what "Connect to hub…" offers.
pub fn connectable_accounts(design: &Design, from: ClusterId, to: ClusterId) -> Vec<String> {
    match (design.cluster(from), design.cluster(to)) {
        (Some(f), Some(t)) => shared_accounts(f, t).into_iter().map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// Whether `chosen` is a non-empty list of accounts both clusters have.
pub fn check_chosen_accounts(
    design: &Design,
    from: ClusterId,
    to: ClusterId,
    chosen: &[String],
) -> Result<(), ConnectError> {
    let (Some(f), Some(t)) = (design.cluster(from), design.cluster(to)) else { return Err(ConnectError::Gone) };
    if chosen.is_empty() {
        return Err(ConnectError::NoAccountChosen { from: f.name.clone(), to: t.name.clone() });
    }
    let shared = shared_accounts(f, t);
    match chosen.iter().find(|a| !shared.contains(&a.as_str())) {
        Some(account) => {
            Err(ConnectError::AccountNotShared { from: f.name.clone(), to: t.name.clone(), account: account.clone() })
        }
        None => Ok(()),
    }
}

/// The clusters `from` may dial now (`can_connect_leafnode`), in id order: what "Connect to
/// hub…" lists.
pub fn connectable_hubs(design: &Design, from: ClusterId) -> Vec<ClusterId> {
    design.clusters().map(|(id, _)| id).filter(|to| can_connect_leafnode(design, from, *to).is_ok()).collect()
}

/// The address remotes dial to reach `cluster`'s leafnode listener as the designer writes it
/// (`leafnode_remotes`): its first public endpoint, else `<name>:<listen port>`.
fn dialed_endpoint(cluster: &Cluster) -> Option<(String, u16)> {
    let listener = cluster.leafnode_listener.as_ref()?;
    let endpoint = match listener.public_endpoints.first() {
        Some(endpoint) => endpoint.clone(),
        None => format!("{}:{}", cluster.name, listener.port),
    };
    Some((endpoint, listener.port))
}

/// Sets `cluster`'s public leafnode endpoints, and moves every remote that dialed the old
/// address (the first endpoint, or `<name>:<port>` while there was none) to the new first
/// endpoint, keeping each URL's scheme and user: one command, so one undo step puts the
/// endpoints and every URL back. Remotes that dial some other address are left alone.
pub fn set_public_endpoints(design: &Design, cluster: ClusterId, endpoints: Vec<String>) -> Option<Command> {
    let current = design.cluster(cluster)?;
    let mut value = current.clone();
    value.leafnode_listener.get_or_insert_with(LeafnodeListener::default).public_endpoints = endpoints;
    let mut commands = match (dialed_endpoint(current), dialed_endpoint(&value)) {
        (Some((old, port)), Some((new, _))) => redial_remotes(design, cluster, &old, &new, port),
        _ => Vec::new(),
    };
    commands.insert(0, Command::SetCluster { cluster, value: Box::new(value) });
    Some(if commands.len() == 1 { commands.remove(0) } else { Command::Batch(commands) })
}

/// Renames `cluster`; a server-name prefix derived from the old name (`<old>-`, or `<old>-<n>-`
/// as `new_cluster` numbers it) follows the new name, so exported server names do not keep the
/// old one. A prefix the user wrote stays.
pub fn rename_cluster(design: &Design, cluster: ClusterId, name: &str) -> Option<Command> {
    let mut value = design.cluster(cluster)?.clone();
    let name = name.trim().to_owned();
    let derived = value.server_name_prefix.strip_prefix(&format!("{}-", value.name)).and_then(|rest| {
        if rest.is_empty() {
            Some(String::new())
        } else {
            let n = rest.strip_suffix('-')?;
            (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{n}-"))
        }
    });
    if let Some(suffix) = derived {
        if !name.is_empty() {
            value.server_name_prefix = format!("{name}-{suffix}");
        }
    }
    let old = dialed_endpoint(&value);
    let gateway_peers = super::gateway::follow_rename(design, cluster, &value.name, &name);
    value.name = name;
    // Without a public endpoint, remotes dial the cluster by its name: they follow it.
    let mut commands = Vec::new();
    if let (Some((old, port)), Some((new, _))) = (old, dialed_endpoint(&value)) {
        let has_endpoints = value.leafnode_listener.as_ref().is_some_and(|l| !l.public_endpoints.is_empty());
        if !has_endpoints && !value.name.is_empty() {
            commands = redial_remotes(design, cluster, &old, &new, port);
        }
    }
    // Whole-cluster replacements of the peers first: the remote URL edits then apply on top.
    for (i, command) in gateway_peers.into_iter().enumerate() {
        commands.insert(i, command);
    }
    commands.insert(0, Command::SetCluster { cluster, value: Box::new(value) });
    Some(if commands.len() == 1 { commands.remove(0) } else { Command::Batch(commands) })
}

/// `SetRemoteUrl` for every remote that targets `cluster` and dials `old`, to dial `new`.
fn redial_remotes(design: &Design, cluster: ClusterId, old: &str, new: &str, port: u16) -> Vec<Command> {
    let mut commands = Vec::new();
    if old.eq_ignore_ascii_case(new) {
        return commands;
    }
    for (id, c) in design.clusters() {
        for (index, r) in c.remotes.iter().enumerate() {
            if r.target != Some(cluster) || !validate::url_dials(&r.url, old, port) {
                continue;
            }
            if let Some(url) = validate::redial(&r.url, new, port) {
                commands.push(Command::SetRemoteUrl { cluster: id, remote: index, url });
            }
        }
    }
    commands
}

/// The topmost cluster whose box holds `p` (clusters are drawn in id order, so the last one).
pub fn cluster_at(design: &Design, p: Point) -> Option<ClusterId> {
    design.clusters().map(|(id, _)| id).filter(|id| design.cluster_rect(*id).is_some_and(|r| r.contains(p))).last()
}

/// The stream whose box holds `p`, in the topmost cluster there (a stream hidden under another
/// cluster's box is not hit).
pub fn stream_at(design: &Design, p: Point) -> Option<StreamId> {
    let cluster = cluster_at(design, p)?;
    design.streams_in(cluster).map(|s| s.id).find(|id| design.stream_rect(*id).is_some_and(|r| r.contains(p)))
}

/// Clusters whose boxes intersect `area` (a selection rectangle), in id order.
pub fn clusters_in(design: &Design, area: Rect) -> Vec<ClusterId> {
    design
        .clusters()
        .map(|(id, _)| id)
        .filter(|id| design.cluster_rect(*id).is_some_and(|r| r.intersects(&area)))
        .collect()
}

/// Space between boxes placed by `auto_layout`.
const LAYOUT_GAP: f64 = 80.0;
/// Where the top-left corner of a laid-out design goes.
const LAYOUT_MARGIN: f64 = 40.0;

/// Positions for every cluster: hubs in the middle, spokes on a ring around them, standalone
/// clusters in a row below. Streams follow their clusters.
///
/// Boxes are kept apart through their circumscribed circles: the ring is wide enough that the
/// largest spoke clears the block of hubs and its neighbours on the ring, whatever its height.
/// The result is in id order, with whole-unit positions, the design's top-left at (40, 40).
pub fn auto_layout(design: &Design) -> Vec<(ClusterId, Point)> {
    let boxes: Vec<(ClusterId, Role, Rect)> = design
        .clusters()
        .filter_map(|(id, c)| Some((id, c.role, design.cluster_rect(id)?)))
        .map(|(id, role, r)| (id, role, Rect { x: 0.0, y: 0.0, ..r }))
        .collect();
    let of = |role: Role| boxes.iter().filter(move |(_, r, _)| *r == role);
    let mut placed: Vec<(ClusterId, Rect)> = Vec::with_capacity(boxes.len());

    // Hubs side by side, top-aligned, centred on the origin.
    let hub_width = of(Role::Hub).map(|(_, _, r)| r.width + LAYOUT_GAP).sum::<f64>() - LAYOUT_GAP;
    let hub_height = of(Role::Hub).map(|(_, _, r)| r.height).fold(0.0, f64::max);
    let mut x = -hub_width / 2.0;
    for (id, _, r) in of(Role::Hub) {
        placed.push((*id, Rect { x, y: -hub_height / 2.0, ..*r }));
        x += r.width + LAYOUT_GAP;
    }

    // Spokes evenly on a ring, the first ones on the left and going round below the hubs.
    let spokes: Vec<_> = of(Role::Spoke).collect();
    let n = spokes.len() as f64;
    let spoke_radius = spokes.iter().map(|(_, _, r)| r.width.hypot(r.height) / 2.0).fold(0.0, f64::max);
    let clear_hubs =
        if placed.is_empty() { 0.0 } else { hub_width.hypot(hub_height) / 2.0 + spoke_radius + LAYOUT_GAP };
    let clear_neighbours = if spokes.len() < 2 {
        0.0
    } else {
        (2.0 * spoke_radius + LAYOUT_GAP) / (2.0 * (std::f64::consts::PI / n).sin())
    };
    let ring = clear_hubs.max(clear_neighbours);
    for (i, (id, _, r)) in spokes.iter().enumerate() {
        let angle = std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * ((n - 1.0) / 2.0 - i as f64) / n;
        let centre = Point::new(ring * angle.cos(), ring * angle.sin());
        placed.push((*id, Rect { x: centre.x - r.width / 2.0, y: centre.y - r.height / 2.0, ..*r }));
    }

    // Standalone clusters in a row below everything else.
    let row_top = placed.iter().map(|(_, r)| r.bottom() + LAYOUT_GAP).fold(f64::NEG_INFINITY, f64::max);
    let row_top = if row_top.is_finite() { row_top } else { 0.0 };
    let row_width = of(Role::Standalone).map(|(_, _, r)| r.width + LAYOUT_GAP).sum::<f64>() - LAYOUT_GAP;
    let mut x = -row_width / 2.0;
    for (id, _, r) in of(Role::Standalone) {
        placed.push((*id, Rect { x, y: row_top, ..*r }));
        x += r.width + LAYOUT_GAP;
    }

    let left = placed.iter().map(|(_, r)| r.x).fold(f64::INFINITY, f64::min);
    let top = placed.iter().map(|(_, r)| r.y).fold(f64::INFINITY, f64::min);
    let mut layout: Vec<(ClusterId, Point)> = placed
        .into_iter()
        .map(|(id, r)| (id, Point::new((r.x - left + LAYOUT_MARGIN).round(), (r.y - top + LAYOUT_MARGIN).round())))
        .collect();
    layout.sort_with_key(|(id, _)| *id);
    layout
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::generate::generated;
    use crate::model::stream::Retention;

    fn cluster(d: &Design, name: &str) -> ClusterId {
        d.clusters().find(|(_, c)| c.name == name).map(|(id, _)| id).expect("the cluster exists")
    }

    fn stream(d: &Design, name: &str) -> StreamId {
        d.streams().find(|s| s.config.name == name).map(|s| s.id).expect("the stream exists")
    }

    fn check_streams(d: &Design, origin: &str, copy: &str, kind: CopyKind, expected: Result<(), ConnectError>) {
        assert_eq!(can_connect_streams(d, stream(d, origin), stream(d, copy), kind), expected, "{origin} → {copy}");
    }

    fn check_leafnode(d: &Design, from: &str, to: &str, expected: Result<(), ConnectError>) {
        assert_eq!(can_connect_leafnode(d, cluster(d, from), cluster(d, to)), expected, "{from} → {to}");
    }

    /// The example with a spare stream in each spoke, free to be linked.
    fn example_with_spares() -> Design {
        let mut d = guide_corrected();
        for spoke in ["spoke-1", "spoke-2"] {
            let id = cluster(&d, spoke);
            let mut config = StreamConfig::new(format!("spare-{spoke}"));
            config.subjects = vec![format!("spare.{spoke}.>")];
            d.add_stream(id, "ACC", config).expect("the spoke exists");
        }
        d
    }

    #[test]
    fn new_names_skip_the_ones_in_use() {
        let d = guide_corrected();
        assert_eq!(unique_cluster_name(&d, "spoke"), "spoke-3");
        assert_eq!(unique_cluster_name(&d, "hub"), "hub-1");
        assert_eq!(unique_domain(&d, "spoke-3"), "spoke-3");
        assert_eq!(unique_domain(&d, "hub"), "hub-2");
        assert_eq!(unique_domain(&d, "cinema-a"), "cinema-a-2");
        assert_eq!(unique_stream_name(&d, cluster(&d, "spoke-1"), "stream"), "stream-1");
        assert_eq!(unique_cluster_name(&Design::default(), " "), "cluster-1");
    }

    #[test]
    fn a_new_spoke_gets_unique_names_and_the_designs_accounts() {
        let d = guide_corrected();
        let c = new_cluster(&d, Role::Spoke, Point::new(5.0, 6.0));
        assert_eq!(
            (c.name.as_str(), c.domain.as_str(), c.server_name_prefix.as_str()),
            ("spoke-3", "spoke-3", "spoke-3-")
        );
        assert_eq!((c.servers, c.version, c.position), (3, crate::model::NatsVersion::V2_14, Point::new(5.0, 6.0)));
        assert!(c.jetstream && c.leafnode_listener.is_none() && c.remotes.is_empty());
        assert_eq!(c.system_account.as_deref(), Some("SYS"));
        let accounts: Vec<_> = c.accounts.iter().map(|(n, a)| (n.as_str(), a.jetstream, a.users.len())).collect();
        assert_eq!(accounts, [("ACC", true, 1), ("SYS", false, 1)]);
        assert_eq!(c.accounts["ACC"].users[0], User { name: "acc".into(), password: secret("acc") });
    }

    #[test]
    fn a_new_hub_listens_for_leafnodes_and_an_empty_design_gets_the_usual_accounts() {
        let hub = new_cluster(&Design::default(), Role::Hub, Point::default());
        assert_eq!((hub.name.as_str(), hub.domain.as_str()), ("hub-1", "hub-1"));
        assert_eq!(hub.leafnode_listener, Some(LeafnodeListener::default()));
        assert_eq!(hub.accounts.keys().collect::<Vec<_>>(), ["ACC", "SYS"]);
        assert_eq!(hub.system_account.as_deref(), Some("SYS"));
    }

    #[test]
    fn a_new_cluster_numbers_its_server_name_prefix_when_taken() {
        let mut d = guide_corrected();
        let hq = cluster(&d, "headquarter");
        d.cluster_mut(hq).unwrap().server_name_prefix = "spoke-3-".into();
        assert_eq!(new_cluster(&d, Role::Spoke, Point::default()).server_name_prefix, "spoke-3-2-");
    }

    #[test]
    fn a_new_stream_has_a_subject_and_odd_replicas_the_cluster_can_hold() {
        let mut d = guide_corrected();
        let spoke = cluster(&d, "spoke-1");
        let s = new_stream(&d, spoke);
        assert_eq!(
            (s.name.as_str(), s.subjects.as_slice(), s.num_replicas),
            ("stream-1", &["stream-1.>".to_owned()][..], 3)
        );
        assert_eq!(s.retention, Retention::Limits);
        for (servers, replicas) in [(0, 1), (1, 1), (2, 1), (3, 3), (5, 3)] {
            d.cluster_mut(spoke).unwrap().servers = servers;
            assert_eq!(new_stream(&d, spoke).num_replicas, replicas, "{servers} servers");
        }
    }

    #[test]
    fn new_streams_go_into_the_first_jetstream_account_that_is_not_the_system_account() {
        let mut d = guide_corrected();
        let hub = cluster(&d, "headquarter");
        assert_eq!(default_account(&d, hub), "ACC");
        let c = d.cluster_mut(hub).unwrap();
        c.accounts.get_mut("ACC").unwrap().jetstream = false;
        c.accounts.get_mut("SYS").unwrap().jetstream = true;
        assert_eq!(default_account(&d, hub), "ACC", "the first account when none qualifies");
        d.cluster_mut(hub).unwrap().accounts.clear();
        assert_eq!(default_account(&d, hub), "ACC");
        assert_eq!(default_account(&d, ClusterId(999)), "ACC");
    }

    #[test]
    fn streams_connect_when_nothing_forbids_it() {
        let d = example_with_spares();
        check_streams(&d, "tickets-1", "spare-spoke-2", CopyKind::Source, Ok(()));
        check_streams(&d, "cinema-a", "spare-spoke-2", CopyKind::Mirror, Ok(()));
        check_streams(
            &d,
            "tickets-2",
            "sales",
            CopyKind::Source,
            Err(ConnectError::AlreadyLinked { copy: "sales".into(), origin: "tickets-2".into() }),
        );
    }

    #[test]
    fn stream_connections_are_refused_with_their_reason() {
        let d = example_with_spares();
        check_streams(&d, "sales", "sales", CopyKind::Source, Err(ConnectError::SelfLink));
        check_streams(
            &d,
            "tickets-1",
            "cinema-a-mirror",
            CopyKind::Mirror,
            Err(ConnectError::MirrorTaken("cinema-a-mirror".into())),
        );
        check_streams(
            &d,
            "tickets-1",
            "cinema-a-mirror",
            CopyKind::Source,
            Err(ConnectError::MirrorHasNoSources("cinema-a-mirror".into())),
        );
        check_streams(&d, "cinema-a", "sales", CopyKind::Mirror, Err(ConnectError::SourcesTaken("sales".into())));
        let gone = can_connect_streams(&d, StreamId(999), stream(&d, "sales"), CopyKind::Source);
        assert_eq!(gone, Err(ConnectError::Gone));
    }

    #[test]
    fn a_link_closing_a_cycle_is_refused_naming_the_streams() {
        let d = example_with_spares();
        // sales sources tickets-1; tickets-1 sourcing sales closes the loop.
        let refused = can_connect_streams(&d, stream(&d, "sales"), stream(&d, "tickets-1"), CopyKind::Source);
        assert_eq!(refused, Err(ConnectError::Cycle("tickets-1 → sales → tickets-1".into())));
        // A longer one: cinema-a-mirror ← cinema-a; cinema-a sourcing from a stream fed by the mirror.
        let mut d = d;
        let spare = stream(&d, "spare-spoke-1");
        let mut config = d.stream(spare).unwrap().config.clone();
        config.sources.push(origin_of(&d, stream(&d, "cinema-a-mirror")).unwrap());
        d.stream_mut(spare).unwrap().config = config;
        let refused = can_connect_streams(&d, spare, stream(&d, "cinema-a"), CopyKind::Source);
        assert_eq!(refused, Err(ConnectError::Cycle("cinema-a → cinema-a-mirror → spare-spoke-1 → cinema-a".into())));
    }

    #[test]
    fn a_link_across_accounts_is_refused() {
        let mut d = example_with_spares();
        let spare = stream(&d, "spare-spoke-2");
        d.stream_mut(spare).unwrap().account = "OTHER".into();
        let refused = can_connect_streams(&d, stream(&d, "tickets-1"), spare, CopyKind::Source);
        assert!(matches!(refused, Err(ConnectError::OtherAccount { .. })), "{refused:?}");
        assert!(refused.unwrap_err().to_string().contains("different accounts"));
    }

    #[test]
    fn leafnodes_connect_spokes_to_hubs_only_once() {
        let mut d = guide_corrected();
        let spoke = d.add_cluster(new_cluster(&d, Role::Spoke, Point::default()));
        let name = d.cluster(spoke).unwrap().name.clone();
        check_leafnode(&d, &name, "headquarter", Ok(()));
        check_leafnode(
            &d,
            "spoke-1",
            "headquarter",
            Err(ConnectError::AlreadyConnected { from: "spoke-1".into(), to: "headquarter".into() }),
        );
        check_leafnode(&d, "headquarter", "spoke-1", Err(ConnectError::NotASpoke("headquarter".into())));
        check_leafnode(&d, &name, "spoke-1", Err(ConnectError::NotAHub("spoke-1".into())));
        check_leafnode(&d, "spoke-1", "spoke-1", Err(ConnectError::DialsItself("spoke-1".into())));
        assert_eq!(can_connect_leafnode(&d, spoke, ClusterId(999)), Err(ConnectError::Gone));
        d.cluster_mut(spoke).unwrap().accounts.clear();
        check_leafnode(
            &d,
            &name,
            "headquarter",
            Err(ConnectError::NoSharedAccount { from: name.clone(), to: "headquarter".into() }),
        );
    }

    #[test]
    fn new_remotes_match_the_guides_remotes() {
        let d = guide_corrected();
        let (spoke, hub) = (cluster(&d, "spoke-1"), cluster(&d, "headquarter"));
        assert_eq!(leafnode_remotes(&d, spoke, hub), d.cluster(spoke).unwrap().remotes);
    }

    #[test]
    fn new_remotes_dial_the_listener_port_without_a_public_endpoint() {
        let mut d = guide_corrected();
        let (spoke, hub) = (cluster(&d, "spoke-1"), cluster(&d, "headquarter"));
        let c = d.cluster_mut(hub).unwrap();
        c.leafnode_listener.as_mut().unwrap().public_endpoints.clear();
        c.accounts.get_mut("ACC").unwrap().users[0].password = Password::Plain("secret".into());
        let remotes = leafnode_remotes(&d, spoke, hub);
        assert_eq!(remotes[0].url, "nats://headquarter:7422");
        assert_eq!(remotes[0].password, Some(secret("acc")));
    }

    #[test]
    fn hit_tests_find_the_topmost_shape() {
        let mut d = guide_corrected();
        let (hub, spoke) = (cluster(&d, "headquarter"), cluster(&d, "spoke-1"));
        let hub_rect = d.cluster_rect(hub).unwrap();
        assert_eq!(cluster_at(&d, hub_rect.center()), Some(hub));
        assert_eq!(cluster_at(&d, Point::new(-1000.0, -1000.0)), None);
        let cinema_a = stream(&d, "cinema-a");
        assert_eq!(stream_at(&d, d.stream_rect(cinema_a).unwrap().center()), Some(cinema_a));
        assert_eq!(stream_at(&d, Point::new(hub_rect.x + 2.0, hub_rect.y + 2.0)), None, "the header is no stream");
        // spoke-1 dragged over the hub's streams hides them.
        d.move_cluster(spoke, Point::new(hub_rect.x, hub_rect.y));
        assert_eq!(cluster_at(&d, hub_rect.center()), Some(spoke));
        assert_ne!(stream_at(&d, d.stream_rect(cinema_a).unwrap().center()), Some(cinema_a));
    }

    #[test]
    fn a_selection_rectangle_takes_the_clusters_it_touches() {
        let d = guide_corrected();
        let hub = d.cluster_rect(cluster(&d, "headquarter")).unwrap();
        let area = Rect::from_corners(Point::new(0.0, 0.0), hub.center());
        assert_eq!(clusters_in(&d, area), [cluster(&d, "headquarter")]);
        assert_eq!(clusters_in(&d, d.bounds()).len(), 3);
        assert!(clusters_in(&d, Rect { x: -500.0, y: -500.0, width: 10.0, height: 10.0 }).is_empty());
    }

    fn laid_out(mut d: Design) -> Design {
        for (id, at) in auto_layout(&d) {
            d.move_cluster(id, at);
        }
        d
    }

    fn assert_apart(d: &Design) {
        let rects: Vec<_> = d.clusters().filter_map(|(id, _)| Some((id, d.cluster_rect(id)?))).collect();
        for (i, (a_id, a)) in rects.iter().enumerate() {
            for (b_id, b) in &rects[i + 1..] {
                assert!(!a.inflate(LAYOUT_GAP / 2.0 - 1.0).intersects(b), "{a_id} {a:?} overlaps {b_id} {b:?}");
            }
        }
    }

    #[test]
    fn auto_layout_keeps_boxes_apart() {
        assert_apart(&laid_out(guide_corrected()));
        assert_apart(&laid_out(generated(50, 1000)));
        assert_apart(&laid_out(generated(3, 40)));
        let mut mixed = generated(7, 30);
        for role in [Role::Hub, Role::Standalone, Role::Standalone] {
            mixed.add_cluster(new_cluster(&mixed, role, Point::default()));
        }
        assert_apart(&laid_out(mixed));
    }

    #[test]
    fn auto_layout_puts_hubs_in_the_middle_and_standalone_clusters_below() {
        let mut d = guide_corrected();
        let alone = d.add_cluster(new_cluster(&d, Role::Standalone, Point::default()));
        let layout = auto_layout(&d);
        assert_eq!(
            layout.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            d.clusters().map(|(id, _)| id).collect::<Vec<_>>()
        );
        assert_eq!(auto_layout(&d), layout, "deterministic");
        let d = laid_out(d);
        let rect = |name: &str| d.cluster_rect(cluster(&d, name)).unwrap();
        let (hub, left, right) = (rect("headquarter"), rect("spoke-1"), rect("spoke-2"));
        assert!(left.right() < hub.x && hub.right() < right.x, "spokes either side of the hub");
        let alone = d.cluster_rect(alone).unwrap();
        assert!([hub, left, right].iter().all(|r| r.bottom() < alone.y));
        assert_eq!((d.bounds().x, d.bounds().y), (LAYOUT_MARGIN, LAYOUT_MARGIN));
        assert!(auto_layout(&Design::default()).is_empty());
    }

    #[test]
    fn adding_a_public_endpoint_moves_the_remotes_that_dialed_the_cluster_name_in_one_step() {
        use crate::model::history::Document;
        let mut design = crate::model::templates::hub_with_spokes(2);
        let hub = cluster(&design, "hub");
        let spoke = cluster(&design, "spoke-2");
        // One remote dials a host the user wrote: it stays where it is.
        design.cluster_mut(spoke).unwrap().remotes[1].url = "nats://sys:pw@elsewhere.example.com:7422".into();
        let command = set_public_endpoints(&design, hub, vec!["hq.example.com:30742".into()]).unwrap();
        let mut doc = Document::new(design.clone());
        doc.execute(command).unwrap();
        let urls: Vec<String> =
            doc.design().clusters().flat_map(|(_, c)| c.remotes.iter().map(|r| r.url.clone())).collect();
        assert_eq!(
            urls,
            [
                "nats://hq.example.com:30742",
                "nats://hq.example.com:30742",
                "nats://hq.example.com:30742",
                "nats://sys:pw@elsewhere.example.com:7422"
            ]
        );
        assert_eq!(
            doc.design().cluster(hub).unwrap().leafnode_listener.as_ref().unwrap().public_endpoints,
            ["hq.example.com:30742"]
        );
        // Changing the endpoint again moves them from the first endpoint to the new one.
        let again = set_public_endpoints(doc.design(), hub, vec!["hq2.example.com:30743".into()]).unwrap();
        doc.execute(again).unwrap();
        assert_eq!(doc.design().cluster(spoke).unwrap().remotes[0].url, "nats://hq2.example.com:30743");
        assert!(doc.undo());
        assert!(doc.undo(), "endpoint and remotes as one step");
        assert_eq!(doc.design(), &design);
    }

    #[test]
    fn renaming_a_hub_without_public_endpoint_moves_the_remotes_that_dial_its_name() {
        let design = crate::model::templates::hub_with_spokes(1);
        let hub = cluster(&design, "hub");
        let mut d = design.clone();
        let inverse = rename_cluster(&design, hub, "headquarter").unwrap().apply(&mut d).unwrap();
        let urls: Vec<_> = d.clusters().flat_map(|(_, c)| c.remotes.iter().map(|r| r.url.clone())).collect();
        assert_eq!(urls, ["nats://headquarter:7422", "nats://headquarter:7422"]);
        inverse.apply(&mut d).unwrap();
        assert_eq!(d, design, "one step back");
        // With a public endpoint the remotes dial that, and a rename leaves them alone.
        let with_endpoint = {
            let mut d = design.clone();
            set_public_endpoints(&design, hub, vec!["hq.example.com:30742".into()]).unwrap().apply(&mut d).unwrap();
            d
        };
        let mut d = with_endpoint.clone();
        rename_cluster(&with_endpoint, hub, "headquarter").unwrap().apply(&mut d).unwrap();
        assert!(d.clusters().flat_map(|(_, c)| c.remotes.iter()).all(|r| r.url == "nats://hq.example.com:30742"));
    }

    #[test]
    fn renaming_a_cluster_renames_a_derived_server_name_prefix_only() {
        let mut d = Design::new("t");
        let hub = d.add_cluster(new_cluster(&d, Role::Hub, Point::default()));
        let second = d.add_cluster(new_cluster(&d, Role::Hub, Point::default()));
        d.cluster_mut(second).unwrap().name = "hub-1".into();
        assert_eq!(d.cluster(second).unwrap().server_name_prefix, "hub-2-");
        let renamed = |d: &Design, id, name: &str| {
            let mut d = d.clone();
            rename_cluster(&d, id, name).unwrap().apply(&mut d).unwrap();
            let c = d.cluster(id).unwrap();
            (c.name.clone(), c.server_name_prefix.clone())
        };
        assert_eq!(renamed(&d, hub, " headquarter "), ("headquarter".into(), "headquarter-".into()));
        d.cluster_mut(second).unwrap().server_name_prefix = "hub-1-2-".into();
        assert_eq!(renamed(&d, second, "hq"), ("hq".into(), "hq-2-".into()), "a numbered prefix keeps its number");
        d.cluster_mut(hub).unwrap().server_name_prefix = "edge-".into();
        assert_eq!(renamed(&d, hub, "hq"), ("hq".into(), "edge-".into()), "a prefix the user wrote stays");
        d.cluster_mut(hub).unwrap().server_name_prefix = String::new();
        assert_eq!(renamed(&d, hub, "hq"), ("hq".into(), String::new()), "the chart default stays");
    }
}
