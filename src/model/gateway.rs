//! Gateways and superclusters: clusters joined by gateways form one NATS system with one
//! JetStream domain, one meta group and one system account; streams are placed on its clusters
//! by cluster name or server tags.
//!
//! A gateway's name is its cluster's name (nats-server `server/gateway.go`: the gateway block's
//! `name` must equal the cluster name), so the model stores none. Superclusters are derived
//! from the peers' targets, never stored (ARCHITECTURE invariant 4). Edits here return
//! `Command`s (batches of `SetCluster`), so each has its inverse.

use super::cluster::Cluster;
use super::command::Command;
use super::geometry::Rect;
use super::ids::ClusterId;
use super::tls::{TlsDial, TlsListener};
use super::topology::Design;
use crate::model::sort::{CollectSorted, Sorted};
use std::collections::BTreeMap;

/// The port nats-server and the charts listen on for gateways by default.
pub const DEFAULT_GATEWAY_PORT: u16 = 7222;

/// Where a cluster accepts gateway connections, and the gateways it dials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    /// The port the servers listen on (7222 by default).
    pub port: u16,
    /// `host:port` endpoints through which other clusters reach the listener (a load balancer,
    /// a NodePort); empty: `<cluster name>:<port>`.
    pub public_endpoints: Vec<String>,
    /// The gateways this cluster dials (`gateways: [...]` in the block).
    pub peers: Vec<GatewayPeer>,
    /// TLS required on the gateway listener; gateways dial each other with the same block
    /// unless a peer has its own.
    pub tls: Option<TlsListener>,
}

impl Default for Gateway {
    fn default() -> Self {
        Self { port: DEFAULT_GATEWAY_PORT, public_endpoints: Vec::new(), peers: Vec::new(), tls: None }
    }
}

/// One entry of a gateway block's `gateways` list: the named gateway and the URLs dialed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GatewayPeer {
    /// The cluster this entry reaches, when the design knows it.
    pub target: Option<ClusterId>,
    /// The gateway name written (the target's cluster name).
    pub name: String,
    /// `nats://host:port` URLs of the target's gateway listener.
    pub urls: Vec<String>,
    /// The peer's own `tls {}` block, used to dial it.
    pub tls: Option<TlsDial>,
}

/// The address other clusters dial to reach `cluster`'s gateway: its first public endpoint,
/// else `<name>:<port>`.
pub fn gateway_endpoint(cluster: &Cluster) -> Option<String> {
    let gateway = cluster.gateway.as_ref()?;
    Some(match gateway.public_endpoints.first() {
        Some(endpoint) => endpoint.clone(),
        None => format!("{}:{}", cluster.name, gateway.port),
    })
}

/// The gateway URL the designer writes for dialing `cluster`.
pub fn gateway_url(cluster: &Cluster) -> Option<String> {
    gateway_endpoint(cluster).map(|endpoint| format!("nats://{endpoint}"))
}

/// The superclusters of a design: groups of two or more clusters joined, directly or through
/// others, by gateway peers whose target is another cluster of the design. Each group in id
/// order, groups ordered by their first cluster.
pub fn superclusters(design: &Design) -> Vec<Vec<ClusterId>> {
    let ids: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
    let index: BTreeMap<ClusterId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect_map();
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut linked = vec![false; ids.len()];
    for (from, (_, cluster)) in design.clusters().enumerate() {
        for peer in cluster.gateway.iter().flat_map(|g| &g.peers) {
            let Some(&to) = peer.target.and_then(|t| index.get(&t)) else { continue };
            if to != from {
                linked[from] = true;
                linked[to] = true;
                let (a, b) = (root(&mut parent, from), root(&mut parent, to));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<ClusterId>> = BTreeMap::new();
    for i in 0..ids.len() {
        if linked[i] {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(ids[i]);
        }
    }
    groups.into_values().collect()
}

/// The supercluster `cluster` belongs to (itself included), or `None` when no gateway joins it.
pub fn supercluster_of(design: &Design, cluster: ClusterId) -> Option<Vec<ClusterId>> {
    superclusters(design).into_iter().find(|g| g.contains(&cluster))
}

/// The clusters a stream of `cluster` may be placed on: its supercluster, or itself alone.
pub fn placement_candidates(design: &Design, cluster: ClusterId) -> Vec<ClusterId> {
    supercluster_of(design, cluster).unwrap_or_else(|| vec![cluster])
}

/// How the canvas labels a supercluster: its clusters' names (the first three, then how many
/// more) and its JetStream domain ("no domain", or every domain when they differ, which the
/// rule `supercluster-domain-mixed` reports).
pub fn supercluster_label(design: &Design, members: &[ClusterId]) -> String {
    let clusters: Vec<&Cluster> = members.iter().filter_map(|id| design.cluster(*id)).collect();
    let mut names: Vec<&str> = clusters.iter().take(3).map(|c| c.name.as_str()).collect();
    let more = clusters.len().saturating_sub(3);
    let more = if more > 0 { format!(" + {more} more") } else { String::new() };
    let mut domains: Vec<&str> = clusters.iter().map(|c| c.domain.as_str()).collect();
    domains.sort_all();
    domains.dedup();
    let domain = match domains.as_slice() {
        [""] | [] => "no domain".to_owned(),
        [one] => format!("domain {one}"),
        many => format!(
            "domains {}",
            many.iter().map(|d| if d.is_empty() { "(none)" } else { d }).collect::<Vec<_>>().join(", ")
        ),
    };
    names.dedup();
    format!("supercluster {}{more} · {domain}", names.join(" + "))
}

/// Space between a supercluster's clusters and its drawn outline, and the room above them for
/// its label.
pub const SUPERCLUSTER_PAD: f64 = 18.0;
pub const SUPERCLUSTER_LABEL_ROOM: f64 = 30.0;

/// The outline drawn around a supercluster whose clusters' boxes are `boxes`.
pub fn supercluster_outline(boxes: impl IntoIterator<Item = Rect>) -> Option<Rect> {
    let union = boxes.into_iter().reduce(|a, b| a.union(&b))?;
    Some(Rect {
        x: union.x - SUPERCLUSTER_PAD,
        y: union.y - SUPERCLUSTER_PAD - SUPERCLUSTER_LABEL_ROOM,
        width: union.width + 2.0 * SUPERCLUSTER_PAD,
        height: union.height + 2.0 * SUPERCLUSTER_PAD + SUPERCLUSTER_LABEL_ROOM,
    })
}

/// What the canvas draws of `design`: its clusters' bounds and every supercluster's outline,
/// so that fitting the view shows the outlines and their labels too.
pub fn drawn_bounds(design: &Design) -> Rect {
    superclusters(design)
        .iter()
        .filter_map(|group| supercluster_outline(group.iter().filter_map(|id| design.cluster_rect(*id))))
        .fold(design.bounds(), |all, outline| all.union(&outline))
}

/// Joins `a` and `b` by gateways: opens a gateway on each that has none (port 7222) and adds
/// to each a peer entry dialing the other (at its first public endpoint, else
/// `<name>:<port>`). One undo step. `None` when either cluster is missing, `a == b`, or they
/// already dial each other.
pub fn join_gateways(design: &Design, a: ClusterId, b: ClusterId) -> Option<Command> {
    if a == b {
        return None;
    }
    let (mut ca, mut cb) = (design.cluster(a)?.clone(), design.cluster(b)?.clone());
    let dials = |c: &Cluster, to: ClusterId| c.gateway.iter().flat_map(|g| &g.peers).any(|p| p.target == Some(to));
    if dials(&ca, b) && dials(&cb, a) {
        return None;
    }
    ca.gateway.get_or_insert_with(Gateway::default);
    cb.gateway.get_or_insert_with(Gateway::default);
    let peer = |to: ClusterId, c: &Cluster| GatewayPeer {
        tls: None,
        target: Some(to),
        name: c.name.clone(),
        urls: gateway_url(c).into_iter().collect(),
    };
    let (to_b, to_a) = (peer(b, &cb), peer(a, &ca));
    let mut commands = Vec::new();
    if !dials(&ca, b) {
        ca.gateway.as_mut().expect("opened above").peers.push(to_b);
        commands.push(Command::SetCluster { cluster: a, value: Box::new(ca) });
    }
    if !dials(&cb, a) {
        cb.gateway.as_mut().expect("opened above").peers.push(to_a);
        commands.push(Command::SetCluster { cluster: b, value: Box::new(cb) });
    }
    Some(Command::Batch(commands))
}

/// Removes the peer entries by which `a` and `b` dial each other (their gateways stay open).
/// `None` when neither dials the other.
pub fn leave_gateways(design: &Design, a: ClusterId, b: ClusterId) -> Option<Command> {
    let mut commands = Vec::new();
    for (from, to) in [(a, b), (b, a)] {
        let mut value = design.cluster(from)?.clone();
        let Some(gateway) = value.gateway.as_mut() else { continue };
        let before = gateway.peers.len();
        gateway.peers.retain(|p| p.target != Some(to));
        if gateway.peers.len() != before {
            commands.push(Command::SetCluster { cluster: from, value: Box::new(value) });
        }
    }
    (!commands.is_empty()).then_some(Command::Batch(commands))
}

/// Opens (`Some`) or closes (`None`) `cluster`'s gateway. Closing also removes the peers of
/// other clusters that dial it, so no entry is left dialing a closed listener. One undo step.
pub fn set_gateway(design: &Design, cluster: ClusterId, gateway: Option<Gateway>) -> Option<Command> {
    let mut value = design.cluster(cluster)?.clone();
    let closing = gateway.is_none();
    value.gateway = gateway;
    let mut commands = vec![Command::SetCluster { cluster, value: Box::new(value) }];
    if closing {
        for (id, c) in design.clusters().filter(|(id, _)| *id != cluster) {
            let Some(g) = &c.gateway else { continue };
            if g.peers.iter().any(|p| p.target == Some(cluster)) {
                let mut edited = c.clone();
                if let Some(g) = edited.gateway.as_mut() {
                    g.peers.retain(|p| p.target != Some(cluster));
                }
                commands.push(Command::SetCluster { cluster: id, value: Box::new(edited) });
            }
        }
    }
    Some(if commands.len() == 1 { commands.remove(0) } else { Command::Batch(commands) })
}

/// The edits that keep other clusters' gateway peers on `cluster` when it is renamed from `old`
/// to `new`: a peer that targets it under the old name takes the new one (the gateway name is
/// the cluster name), and its URLs that dialed `<old>:<port>` dial `<new>:<port>` while the
/// cluster declares no public gateway endpoint. One `SetCluster` per cluster changed.
pub(crate) fn follow_rename(design: &Design, cluster: ClusterId, old: &str, new: &str) -> Vec<Command> {
    let Some(port) =
        design.cluster(cluster).and_then(|c| c.gateway.as_ref()).map(|g| (g.port, g.public_endpoints.is_empty()))
    else {
        return Vec::new();
    };
    let mut commands = Vec::new();
    for (id, c) in design.clusters().filter(|(id, _)| *id != cluster) {
        let mut edited = c.clone();
        let Some(gateway) = edited.gateway.as_mut() else { continue };
        for peer in gateway.peers.iter_mut().filter(|p| p.target == Some(cluster)) {
            if peer.name == old {
                peer.name = new.to_owned();
            }
            if port.1 {
                let (from, to) = (format!("nats://{old}:{}", port.0), format!("nats://{new}:{}", port.0));
                for url in peer.urls.iter_mut().filter(|u| u.eq_ignore_ascii_case(&from)) {
                    *url = to.clone();
                }
            }
        }
        if &edited != c {
            commands.push(Command::SetCluster { cluster: id, value: Box::new(edited) });
        }
    }
    commands
}

/// "Add region": a new hub cluster at `at` joined by gateways to every cluster of `from`'s
/// supercluster (to `from` alone when it has none, forming one), as one undo step. The region
/// takes the supercluster's domain, system account (with its accounts), JetStream and version,
/// so that the supercluster rules hold; its name is `region-N` and its server names are
/// prefixed with it (no collision across the joined clusters); a `region:<name>` tag of `from`
/// becomes `region:<new name>`. `None` when `from` is missing.
pub fn add_region(design: &Design, from: ClusterId, at: crate::model::geometry::Point) -> Option<Command> {
    let source = design.cluster(from)?;
    let members = placement_candidates(design, from);
    let mut region = super::edit::new_cluster(design, super::cluster::Role::Hub, at);
    let name = super::edit::unique_cluster_name(design, "region");
    let prefix_taken = |p: &str| design.clusters().any(|(_, c)| c.server_name_prefix == p);
    region.server_name_prefix = (1..)
        .map(|n| if n == 1 { format!("{name}-") } else { format!("{name}-{n}-") })
        .find(|p| !prefix_taken(p))
        .expect("finitely many prefixes");
    region.name = name.clone();
    region.domain = source.domain.clone();
    region.jetstream = source.jetstream;
    region.version = source.version;
    region.system_account = source.system_account.clone();
    for (account, value) in &source.accounts {
        region.accounts.entry(account.clone()).or_insert_with(|| value.clone());
    }
    region.server_tags = source
        .server_tags
        .iter()
        .filter(|t| t.starts_with("region:"))
        .map(|_| format!("region:{name}"))
        .take(1)
        .collect();
    region.gateway = Some(Gateway::default());
    let mut scratch = design.clone();
    let add = Command::AddCluster { cluster: Box::new(region.clone()) };
    let id = scratch.add_cluster(region);
    let mut commands = vec![add];
    for member in members {
        if let Some(join) = join_gateways(&scratch, member, id) {
            join.clone().apply(&mut scratch).ok()?;
            commands.push(join);
        }
    }
    Some(Command::Batch(commands))
}

/// Sets the server tags of `cluster` (`server_tags`, what stream placement tags match).
/// Tags are trimmed; empty ones and repeats are dropped, order kept.
pub fn set_server_tags(design: &Design, cluster: ClusterId, tags: &[String]) -> Option<Command> {
    let mut value = design.cluster(cluster)?.clone();
    let mut kept: Vec<String> = Vec::new();
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !kept.iter().any(|k| k == tag) {
            kept.push(tag.to_owned());
        }
    }
    value.server_tags = kept;
    Some(Command::SetCluster { cluster, value: Box::new(value) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster::Role;
    use crate::model::history::Document;

    fn two_regions() -> (Design, ClusterId, ClusterId, ClusterId) {
        let mut d = Design::new("regions");
        let east = d.add_cluster(Cluster::new("east", Role::Standalone));
        let west = d.add_cluster(Cluster::new("west", Role::Standalone));
        let site = d.add_cluster(Cluster::new("site", Role::Spoke));
        (d, east, west, site)
    }

    #[test]
    fn joining_opens_gateways_dials_both_ways_and_undoes_in_one_step() {
        let (d, east, west, site) = two_regions();
        let mut doc = Document::new(d.clone());
        doc.execute(join_gateways(&d, east, west).expect("joinable")).expect("applies");
        let e = doc.design().cluster(east).expect("east");
        let g = e.gateway.as_ref().expect("opened");
        assert_eq!(g.port, 7222);
        assert_eq!(
            g.peers,
            [GatewayPeer { tls: None, target: Some(west), name: "west".into(), urls: vec!["nats://west:7222".into()] }]
        );
        assert_eq!(superclusters(doc.design()), [vec![east, west]]);
        assert_eq!(supercluster_of(doc.design(), site), None);
        assert_eq!(placement_candidates(doc.design(), site), [site]);
        assert_eq!(join_gateways(doc.design(), east, west), None, "already joined");
        assert!(doc.undo());
        assert_eq!(doc.design(), &d);
    }

    #[test]
    fn leaving_and_closing_remove_the_peers_that_dial() {
        let (mut d, east, west, site) = two_regions();
        join_gateways(&d, east, west).expect("joinable").apply(&mut d).expect("applies");
        join_gateways(&d, west, site).expect("joinable").apply(&mut d).expect("applies");
        assert_eq!(superclusters(&d), [vec![east, west, site]], "joined through west");
        let before = d.clone();
        leave_gateways(&d, west, site).expect("joined").apply(&mut d).expect("applies");
        assert_eq!(superclusters(&d), [vec![east, west]]);
        let mut closed = before.clone();
        let inverse = set_gateway(&before, west, None).expect("exists").apply(&mut closed).expect("applies");
        assert!(superclusters(&closed).is_empty());
        assert!(closed.clusters().all(|(_, c)| c.gateway.iter().all(|g| g.peers.is_empty())));
        inverse.apply(&mut closed).expect("undoes");
        assert_eq!(closed, before);
    }

    #[test]
    fn renaming_a_cluster_renames_the_peers_that_dial_it_by_name_in_one_step() {
        let (mut d, east, west, _) = two_regions();
        join_gateways(&d, east, west).expect("joinable").apply(&mut d).expect("applies");
        let before = d.clone();
        let mut doc = Document::new(d.clone());
        doc.execute(crate::model::edit::rename_cluster(&d, west, "eu-west").expect("exists")).expect("applies");
        let peer = &doc.design().cluster(east).expect("east").gateway.as_ref().expect("open").peers[0];
        assert_eq!((peer.name.as_str(), peer.urls.as_slice()), ("eu-west", &["nats://eu-west:7222".to_owned()][..]));
        assert!(doc.undo());
        assert_eq!(doc.design(), &before);
    }

    #[test]
    fn adding_a_region_joins_the_whole_supercluster_in_one_step_and_keeps_its_rules() {
        use crate::model::validate::{validate, Severity};
        let d = crate::model::templates::two_regions_and_a_site();
        let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        let (east, west) = (ids[0], ids[1]);
        let errors = |d: &Design| validate(d).into_iter().filter(|x| x.severity != Severity::Info).count();
        let mut doc = Document::new(d.clone());
        let command = add_region(&d, west, crate::model::geometry::Point::new(840.0, 0.0)).expect("west exists");
        doc.execute(command).expect("applies");
        let after = doc.design();
        let (region, c) = after.clusters().last().expect("added");
        assert_eq!(
            (c.name.as_str(), c.domain.as_str(), c.server_name_prefix.as_str()),
            ("region-1", "core", "region-1-")
        );
        assert_eq!(c.system_account.as_deref(), Some("SYS"));
        assert_eq!(c.server_tags, ["region:region-1"]);
        assert_eq!(superclusters(after), [vec![east, west, region]], "dials both regions");
        assert_eq!(errors(after), errors(&d), "no new error or warning");
        assert!(doc.undo());
        assert_eq!(doc.design(), &d);
        // A lone cluster forms a supercluster with its new region.
        let (lone, a, _, _) = two_regions();
        let mut lone = lone;
        add_region(&lone.clone(), a, crate::model::geometry::Point::default())
            .expect("exists")
            .apply(&mut lone)
            .expect("applies");
        assert_eq!(superclusters(&lone).len(), 1);
        assert_eq!(add_region(&lone, ClusterId(999), crate::model::geometry::Point::default()), None);
    }

    #[test]
    fn a_supercluster_is_labelled_with_its_clusters_and_domain() {
        let (mut d, east, west, site) = two_regions();
        join_gateways(&d, east, west).expect("joinable").apply(&mut d).expect("applies");
        assert_eq!(supercluster_label(&d, &[east, west]), "supercluster east + west · no domain");
        for id in [east, west] {
            let mut c = d.cluster(id).expect("exists").clone();
            c.domain = "core".into();
            Command::SetCluster { cluster: id, value: Box::new(c) }.apply(&mut d).expect("applies");
        }
        assert_eq!(supercluster_label(&d, &[east, west]), "supercluster east + west · domain core");
        join_gateways(&d, west, site).expect("joinable").apply(&mut d).expect("applies");
        assert_eq!(
            supercluster_label(&d, &[east, west, site]),
            "supercluster east + west + site · domains (none), core"
        );
    }

    #[test]
    fn the_drawn_bounds_hold_the_supercluster_outline_and_its_label() {
        let (mut d, east, west, _) = two_regions();
        let plain = d.bounds();
        assert_eq!(drawn_bounds(&d), plain, "no supercluster, nothing around");
        join_gateways(&d, east, west).expect("joinable").apply(&mut d).expect("applies");
        let outline = supercluster_outline([d.cluster_rect(east).expect("east"), d.cluster_rect(west).expect("west")])
            .expect("two boxes");
        let drawn = drawn_bounds(&d);
        assert_eq!(drawn.y, plain.y - SUPERCLUSTER_PAD - SUPERCLUSTER_LABEL_ROOM);
        assert_eq!(drawn, plain.union(&outline));
        assert_eq!(supercluster_outline(std::iter::empty()), None);
    }

    #[test]
    fn server_tags_are_trimmed_and_unique() {
        let (mut d, east, _, _) = two_regions();
        let tags = ["ssd".to_owned(), " ssd ".to_owned(), String::new(), "region:east".to_owned()];
        set_server_tags(&d, east, &tags).expect("exists").apply(&mut d).expect("applies");
        assert_eq!(d.cluster(east).expect("east").server_tags, ["ssd", "region:east"]);
    }
}
