//! Rules of the catalog group "Gateways and superclusters".
//!
//! A supercluster is a group of clusters joined, directly or through others, by gateway peers
//! whose `target` names another cluster of the design (`gateway::superclusters`). A peer without
//! a target joins nothing: the designer cannot know where it leads, so its URLs are not checked.
//! `gateway-name-chart` is raised by the values importer (the design itself always exports the
//! gateway name it holds, see `export::helm`).

use super::clusters::{list, show};
use super::{Diagnostic, Rule, Target};
use crate::model::command::Command;
use crate::model::gateway::{gateway_url, superclusters, Gateway, DEFAULT_GATEWAY_PORT};
use crate::model::sort::CollectSorted;
use crate::model::url::{endpoint_of, Url};
use crate::model::{Cluster, ClusterId, Design};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    check_clusters(design, out);
    check_placement(design, out);
}

/// The rules of this group that read the clusters alone.
pub(super) fn check_clusters(design: &Design, out: &mut Vec<Diagnostic>) {
    for group in &superclusters(design) {
        let members: Vec<(ClusterId, &Cluster)> =
            group.iter().filter_map(|id| Some((*id, design.cluster(*id)?))).collect();
        gateway_name_duplicate(&members, out);
        supercluster_system_account(&members, out);
        supercluster_domain_mixed(&members, out);
        supercluster_cluster_without_routes(&members, out);
    }
    gateway_url_mismatch(design, out);
}

/// `placement-unknown` on every stream: it reads the stream and every cluster of its
/// supercluster.
pub(super) fn check_placement(design: &Design, out: &mut Vec<Diagnostic>) {
    if design.streams().all(|s| s.config.placement.is_none()) {
        return;
    }
    placement_unknown(design, &superclusters(design), out);
}

/// The name a cluster's servers use as cluster and gateway name (the chart's `nats` when empty).
fn gateway_name(cluster: &Cluster) -> &str {
    if cluster.name.is_empty() {
        "nats"
    } else {
        &cluster.name
    }
}

/// `gateway-name-duplicate`: two clusters of one supercluster with one name. A gateway is known
/// to the others by its name, so the second one's connections are taken for the first's.
fn gateway_name_duplicate(members: &[(ClusterId, &Cluster)], out: &mut Vec<Diagnostic>) {
    let mut by_name: BTreeMap<&str, Vec<ClusterId>> = BTreeMap::new();
    for (id, c) in members {
        by_name.entry(gateway_name(c)).or_default().push(*id);
    }
    for (name, ids) in by_name.into_iter().filter(|(_, ids)| ids.len() > 1) {
        for id in &ids {
            let message = format!(
                "{} clusters of one supercluster are named {}: the gateway name is the cluster name, and the \
                 supercluster takes their gateways for one; give each cluster of the supercluster a unique name",
                ids.len(),
                show(name)
            );
            out.push(Diagnostic::new(Rule::GatewayNameDuplicate, Target::Cluster(*id), message).field("name"));
        }
    }
}

/// `gateway-url-mismatch`: a peer with a target must name the target's gateway and dial an
/// endpoint the target's gateway listener exposes (a public endpoint, or its listen port when it
/// declares none). One diagnostic per peer at fault; the fix rewrites that peer (and opens the
/// target's gateway when it has none).
fn gateway_url_mismatch(design: &Design, out: &mut Vec<Diagnostic>) {
    for (id, cluster) in design.clusters() {
        let Some(gateway) = &cluster.gateway else { continue };
        for (index, peer) in gateway.peers.iter().enumerate() {
            let Some(target_id) = peer.target.filter(|t| *t != id) else { continue };
            let Some(target) = design.cluster(target_id) else { continue };
            let describe = format!("cluster {}'s gateway to {}", show(&cluster.name), show(&target.name));
            let mut fixed = cluster.clone();
            let fixed_peer = &mut fixed.gateway.as_mut().expect("checked above").peers[index];
            let mut extra = Vec::new();
            let problem = match &target.gateway {
                None => {
                    let opened = Gateway::default();
                    let mut target_fixed = target.clone();
                    target_fixed.gateway = Some(opened);
                    fixed_peer.name = gateway_name(target).to_owned();
                    fixed_peer.urls = gateway_url(&target_fixed).into_iter().collect();
                    extra.push(Command::SetCluster { cluster: target_id, value: Box::new(target_fixed) });
                    format!(
                        "{describe} dials cluster {}, which has no gateway, so nothing accepts the connection; \
                         open a gateway on {} (port {DEFAULT_GATEWAY_PORT})",
                        show(&target.name),
                        show(&target.name)
                    )
                }
                Some(listener) => {
                    let mut faults = Vec::new();
                    if peer.name != gateway_name(target) {
                        faults.push(format!(
                            "names the gateway {:?} while the cluster's gateway is named {:?} (the server drops a \
                             gateway connection whose remote name differs from the one configured)",
                            peer.name,
                            gateway_name(target)
                        ));
                        fixed_peer.name = gateway_name(target).to_owned();
                    }
                    let endpoints: Vec<(String, u16)> =
                        listener.public_endpoints.iter().filter_map(|e| endpoint_of(e, listener.port)).collect();
                    let accepts = |url: &str| match Url::parse(url) {
                        Ok(u) => {
                            let port = u.port_or(DEFAULT_GATEWAY_PORT);
                            if listener.public_endpoints.is_empty() {
                                port == listener.port
                            } else {
                                endpoints.iter().any(|(h, p)| *h == u.host && *p == port)
                            }
                        }
                        Err(_) => false,
                    };
                    if peer.urls.is_empty() {
                        faults.push("has no URL (the server refuses a gateway without one)".to_owned());
                    }
                    let wrong: Vec<&String> = peer.urls.iter().filter(|u| !accepts(u)).collect();
                    if !wrong.is_empty() {
                        let expected = if listener.public_endpoints.is_empty() {
                            format!("port {} (its gateway listen port)", listener.port)
                        } else {
                            format!("its public gateway endpoint(s) {}", list(listener.public_endpoints.iter()))
                        };
                        faults.push(format!(
                            "dials {}, which is not where cluster {} accepts gateways ({expected})",
                            list(wrong.iter().map(|u| format!("{u:?}"))),
                            show(&target.name)
                        ));
                    }
                    if faults.is_empty() {
                        continue;
                    }
                    let redial = |url: &String| match (Url::parse(url), endpoints.first()) {
                        (Ok(u), Some((h, p))) => Some(u.with_endpoint(h, *p)),
                        (Ok(u), None) => Some(u.with_endpoint(&u.host.clone(), listener.port)),
                        (Err(_), _) => None,
                    };
                    let mut urls: Vec<String> = Vec::new();
                    for url in &peer.urls {
                        let url = if accepts(url) { Some(url.clone()) } else { redial(url) };
                        if let Some(url) = url.filter(|u| !urls.contains(u)) {
                            urls.push(url);
                        }
                    }
                    if urls.is_empty() {
                        urls.extend(gateway_url(target));
                    }
                    fixed_peer.urls = urls;
                    format!("{describe} {}", faults.join("; and "))
                }
            };
            let mut commands = vec![Command::SetCluster { cluster: id, value: Box::new(fixed) }];
            commands.extend(extra);
            let command = if commands.len() == 1 { commands.remove(0) } else { Command::Batch(commands) };
            out.push(
                Diagnostic::new(Rule::GatewayUrlMismatch, Target::Cluster(id), problem)
                    .field("gateway")
                    .fix(format!("dial the gateway of {} where it listens", show(&target.name)), command),
            );
        }
    }
}

/// `supercluster-system-account`: with JetStream on, every cluster of a supercluster must name
/// the same system account (its servers share one meta group over it). The fix sets the one
/// system account the others agree on, when exactly one is named.
fn supercluster_system_account(members: &[(ClusterId, &Cluster)], out: &mut Vec<Diagnostic>) {
    if !members.iter().any(|(_, c)| c.jetstream) {
        return;
    }
    let named: BTreeSet<&str> = members.iter().filter_map(|(_, c)| c.system_account.as_deref()).collect_set();
    let unnamed = members.iter().any(|(_, c)| c.system_account.is_none());
    if named.len() <= 1 && !unnamed {
        return;
    }
    let only = (named.len() == 1).then(|| named.iter().next().map(|s| (*s).to_owned())).flatten();
    let names = list(members.iter().map(|(_, c)| show(&c.name)));
    for (id, c) in members {
        if c.system_account.is_some() && c.system_account.as_deref() == only.as_deref() {
            continue;
        }
        let has = match &c.system_account {
            Some(a) => format!("system account {}", show(a)),
            None => "no system account".to_owned(),
        };
        let message = format!(
            "cluster {} has {has}, while the clusters of its supercluster ({names}) run JetStream with one meta \
             group that needs one system account on all of them{}",
            show(&c.name),
            match &only {
                Some(a) => format!("; set {}", show(a)),
                None => "; choose one system account and set it on every cluster".to_owned(),
            }
        );
        let mut diagnostic =
            Diagnostic::new(Rule::SuperclusterSystemAccount, Target::Cluster(*id), message).field("system_account");
        // The account must exist in the cluster for the fix to be a whole one.
        if let Some(account) = only.as_ref().filter(|a| c.accounts.contains_key(a.as_str())) {
            diagnostic = diagnostic.fix(
                format!("set the system account of {} to {}", show(&c.name), show(account)),
                Command::SetSystemAccount { cluster: *id, account: Some(account.clone()) },
            );
        }
        out.push(diagnostic);
    }
}

/// `supercluster-domain-mixed`: clusters of one supercluster with different JetStream domains
/// (no domain counts as one). The fix sets the one domain set anywhere, when exactly one is.
fn supercluster_domain_mixed(members: &[(ClusterId, &Cluster)], out: &mut Vec<Diagnostic>) {
    let domains: BTreeSet<&str> = members.iter().map(|(_, c)| c.domain.as_str()).collect_set();
    if domains.len() <= 1 {
        return;
    }
    let set: Vec<&str> = domains.iter().copied().filter(|d| !d.is_empty()).collect();
    let only = (set.len() == 1).then(|| set[0].to_owned());
    let names = list(members.iter().map(|(_, c)| show(&c.name)));
    let shown = list(domains.iter().map(|d| if d.is_empty() { "(none)".to_owned() } else { (*d).to_owned() }));
    for (id, c) in members {
        if only.as_deref() == Some(c.domain.as_str()) {
            continue;
        }
        let message = format!(
            "the clusters of one supercluster ({names}) have the JetStream domains {shown}: a supercluster is one \
             JetStream with one domain, and servers of another domain see each other as offline; give cluster {} \
             the supercluster's domain",
            show(&c.name)
        );
        let mut diagnostic =
            Diagnostic::new(Rule::SuperclusterDomainMixed, Target::Cluster(*id), message).field("domain");
        if let Some(domain) = &only {
            diagnostic = diagnostic.fix(
                format!("set the domain of {} to {domain}", show(&c.name)),
                Command::SetClusterDomain { cluster: *id, domain: domain.clone() },
            );
        }
        out.push(diagnostic);
    }
}

/// `supercluster-cluster-without-routes`: a one-server JetStream cluster of a supercluster is
/// exported without a `cluster` block (there is no other server to route to), and nats-server
/// then exits: "JetStream cluster requires configured routes or solicited leafnode for the
/// system account".
fn supercluster_cluster_without_routes(members: &[(ClusterId, &Cluster)], out: &mut Vec<Diagnostic>) {
    for (id, c) in members.iter().filter(|(_, c)| c.jetstream && c.servers == 1) {
        let message = format!(
            "cluster {} runs JetStream on one server in a supercluster: without a cluster block and routes the \
             server exits (\"JetStream cluster requires configured routes\"); run 3 servers, or turn JetStream off there",
            show(&c.name)
        );
        out.push(
            Diagnostic::new(Rule::SuperclusterClusterWithoutRoutes, Target::Cluster(*id), message).field("servers"),
        );
    }
}

/// `placement-unknown`: a stream placed on a cluster name, or on tags, that no cluster it can be
/// placed on has (its supercluster, or its own cluster alone): the API answers 10005. Tags must
/// all be on one cluster's servers. Not raised for a one-server cluster outside any
/// supercluster, whose unclustered JetStream ignores placement.
fn placement_unknown(design: &Design, groups: &[Vec<ClusterId>], out: &mut Vec<Diagnostic>) {
    for stream in design.streams() {
        let Some(placement) = &stream.config.placement else { continue };
        let candidates =
            groups.iter().find(|g| g.contains(&stream.cluster)).cloned().unwrap_or_else(|| vec![stream.cluster]);
        let clusters: Vec<&Cluster> = candidates.iter().filter_map(|id| design.cluster(*id)).collect();
        // A lone server (no cluster block, no supercluster) runs JetStream unclustered and
        // ignores placement: `stream add --cluster c1` and `--tag az1` on one server are
        // created (measured with natscli against 2.9.10 and 2.15.1, tests/corpus/natscli-flags.txt).
        if candidates.len() == 1 && clusters.iter().all(|c| c.servers <= 1) {
            continue;
        }
        let named: Vec<&Cluster> = match placement.cluster.as_deref().filter(|n| !n.is_empty()) {
            Some(name) => clusters.iter().copied().filter(|c| gateway_name(c) == name).collect(),
            None => clusters.clone(),
        };
        let tagged = named.iter().any(|c| placement.tags.iter().all(|t| c.server_tags.contains(t)));
        if !named.is_empty() && tagged {
            continue;
        }
        let among = list(clusters.iter().map(|c| show(&c.name)));
        let problem = match (&placement.cluster, named.is_empty()) {
            (Some(name), true) => format!("on cluster {name:?}, which is none of {among}"),
            _ => format!(
                "on tags {}, which no{} cluster's servers carry all of",
                list(placement.tags.iter().map(|t| format!("{t:?}"))),
                placement.cluster.as_deref().map(|n| format!(" {n:?}")).unwrap_or_default()
            ),
        };
        let message = format!(
            "stream {} is placed {problem}: the JetStream API refuses it with 10005 (no suitable peers for \
             placement); place it on a cluster of {among}, or give that cluster's servers the tags",
            show(&stream.config.name)
        );
        out.push(Diagnostic::new(Rule::PlacementUnknown, Target::Stream(stream.id), message).field("placement"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster::Role;
    use crate::model::gateway::{join_gateways, set_gateway};
    use crate::model::stream::{Placement, StreamConfig};
    use crate::model::validate::validate;

    /// East and west joined by gateways (one domain, one system account), and a site.
    fn regions() -> (Design, ClusterId, ClusterId, ClusterId) {
        let mut d = Design::new("regions");
        let mut add = |name: &str, role| {
            let mut c = Cluster::new(name, role);
            c.domain = "core".into();
            c.server_name_prefix = format!("{name}-");
            c.accounts.insert("SYS".into(), crate::model::Account::default());
            c.system_account = Some("SYS".into());
            d.add_cluster(c)
        };
        let (east, west) = (add("east", Role::Hub), add("west", Role::Hub));
        let site = add("site", Role::Spoke);
        d.cluster_mut(site).expect("site").domain = "site".into();
        join_gateways(&d, east, west).expect("joinable").apply(&mut d).expect("applies");
        (d, east, west, site)
    }

    fn fired(design: &Design, rule: Rule) -> Vec<String> {
        validate(design).into_iter().filter(|d| d.rule == rule).map(|d| d.target_name(design)).collect()
    }

    fn fix(design: &mut Design, rule: Rule) {
        for d in validate(design).into_iter().filter(|d| d.rule == rule) {
            d.fix.expect("a fix").command.apply(design).expect("applies");
        }
    }

    const NONE: [&str; 0] = [];

    #[test]
    fn a_consistent_supercluster_raises_no_gateway_rule() {
        let (d, ..) = regions();
        let rules: Vec<Rule> = validate(&d).into_iter().map(|x| x.rule).collect();
        for rule in [
            Rule::GatewayNameDuplicate,
            Rule::GatewayUrlMismatch,
            Rule::SuperclusterSystemAccount,
            Rule::SuperclusterDomainMixed,
            Rule::SuperclusterClusterWithoutRoutes,
            Rule::PlacementUnknown,
            Rule::DomainDuplicate,
            Rule::ServerNameCollision,
        ] {
            assert!(!rules.contains(&rule), "{rule} on {:?}", validate(&d));
        }
        assert_eq!(fired(&d, Rule::ClusterIsolated), ["cluster site"], "only the unjoined site");
    }

    #[test]
    fn two_clusters_of_one_name_in_a_supercluster_raise_gateway_name_duplicate() {
        let (mut d, _, west, site) = regions();
        d.cluster_mut(west).expect("west").name = "east".into();
        assert_eq!(fired(&d, Rule::GatewayNameDuplicate), ["cluster east", "cluster east"]);
        // Same name outside the supercluster: cluster-name-duplicate only.
        let (mut other, ..) = regions();
        other.cluster_mut(site).expect("site").name = "east".into();
        assert_eq!(fired(&other, Rule::GatewayNameDuplicate), NONE);
    }

    #[test]
    fn a_gateway_url_that_misses_the_listener_raises_gateway_url_mismatch_and_the_fix_redials() {
        let (mut d, east, west, _) = regions();
        d.cluster_mut(east).expect("east").gateway.as_mut().expect("joined").peers[0].urls =
            vec!["nats://west:7422".into()];
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), ["cluster east"]);
        fix(&mut d, Rule::GatewayUrlMismatch);
        assert_eq!(d.cluster(east).expect("east").gateway.as_ref().expect("kept").peers[0].urls, ["nats://west:7222"]);
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), NONE);
        // A public endpoint: only it is accepted.
        d.cluster_mut(west).expect("west").gateway.as_mut().expect("open").public_endpoints =
            vec!["gw.west.example:30722".into()];
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), ["cluster east"]);
        fix(&mut d, Rule::GatewayUrlMismatch);
        assert_eq!(
            d.cluster(east).expect("east").gateway.as_ref().expect("kept").peers[0].urls,
            ["nats://gw.west.example:30722"]
        );
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), NONE);
    }

    #[test]
    fn a_wrong_peer_name_no_url_or_a_closed_target_raise_gateway_url_mismatch() {
        let (mut d, east, west, _) = regions();
        d.cluster_mut(east).expect("east").gateway.as_mut().expect("joined").peers[0].name = "West".into();
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), ["cluster east"]);
        fix(&mut d, Rule::GatewayUrlMismatch);
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), NONE);
        d.cluster_mut(east).expect("east").gateway.as_mut().expect("joined").peers[0].urls.clear();
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), ["cluster east"]);
        fix(&mut d, Rule::GatewayUrlMismatch);
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), NONE);
        let saved = d.cluster(west).expect("west").gateway.clone();
        d.cluster_mut(west).expect("west").gateway = None;
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), ["cluster east"]);
        fix(&mut d, Rule::GatewayUrlMismatch);
        assert_eq!(d.cluster(west).expect("west").gateway.as_ref().map(|g| g.port), Some(7222));
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), NONE);
        assert!(saved.is_some());
        // A peer without a target is not checked.
        let closed = set_gateway(&d, west, None).expect("exists");
        closed.apply(&mut d).expect("applies");
        assert_eq!(fired(&d, Rule::GatewayUrlMismatch), NONE);
    }

    #[test]
    fn different_or_missing_system_accounts_raise_supercluster_system_account() {
        let (mut d, _, west, _) = regions();
        d.cluster_mut(west).expect("west").system_account = None;
        assert_eq!(fired(&d, Rule::SuperclusterSystemAccount), ["cluster west"]);
        fix(&mut d, Rule::SuperclusterSystemAccount);
        assert_eq!(d.cluster(west).expect("west").system_account.as_deref(), Some("SYS"));
        assert_eq!(fired(&d, Rule::SuperclusterSystemAccount), NONE);
        let c = d.cluster_mut(west).expect("west");
        c.accounts.insert("OTHER".into(), crate::model::Account::default());
        c.system_account = Some("OTHER".into());
        assert_eq!(fired(&d, Rule::SuperclusterSystemAccount), ["cluster east", "cluster west"]);
        assert!(validate(&d).iter().filter(|x| x.rule == Rule::SuperclusterSystemAccount).all(|x| x.fix.is_none()));
        // Without JetStream anywhere, no meta group: nothing to share.
        let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        for id in ids {
            d.cluster_mut(id).expect("listed").jetstream = false;
        }
        assert_eq!(fired(&d, Rule::SuperclusterSystemAccount), NONE);
    }

    #[test]
    fn different_domains_in_a_supercluster_raise_supercluster_domain_mixed_not_domain_duplicate() {
        let (mut d, east, west, _) = regions();
        d.cluster_mut(west).expect("west").domain.clear();
        assert_eq!(fired(&d, Rule::SuperclusterDomainMixed), ["cluster west"]);
        fix(&mut d, Rule::SuperclusterDomainMixed);
        assert_eq!(d.cluster(west).expect("west").domain, "core");
        assert_eq!(fired(&d, Rule::SuperclusterDomainMixed), NONE);
        assert_eq!(fired(&d, Rule::DomainDuplicate), NONE, "one domain across a supercluster is the point");
        d.cluster_mut(east).expect("east").domain = "other".into();
        assert_eq!(fired(&d, Rule::SuperclusterDomainMixed), ["cluster east", "cluster west"]);
    }

    #[test]
    fn a_site_sharing_the_supercluster_domain_raises_domain_duplicate() {
        let (mut d, east, _, site) = regions();
        let remote =
            crate::model::LeafnodeRemote { target: Some(east), url: "nats://east:7422".into(), ..Default::default() };
        d.cluster_mut(site).expect("site").remotes.push(remote);
        assert_eq!(fired(&d, Rule::DomainDuplicate), NONE);
        d.cluster_mut(site).expect("site").domain = "core".into();
        assert_eq!(fired(&d, Rule::DomainDuplicate), ["cluster east", "cluster west", "cluster site"]);
    }

    #[test]
    fn server_names_collide_across_gateways() {
        let (mut d, east, west, site) = regions();
        d.cluster_mut(east).expect("east").server_name_prefix.clear();
        d.cluster_mut(west).expect("west").server_name_prefix.clear();
        d.cluster_mut(site).expect("site").server_name_prefix.clear();
        assert_eq!(fired(&d, Rule::ServerNameCollision), ["cluster east", "cluster west"], "the site is not joined");
        fix(&mut d, Rule::ServerNameCollision);
        assert_eq!(fired(&d, Rule::ServerNameCollision), NONE);
    }

    #[test]
    fn a_one_server_jetstream_cluster_in_a_supercluster_raises_supercluster_cluster_without_routes() {
        let (mut d, _, west, site) = regions();
        d.cluster_mut(site).expect("site").servers = 1;
        assert_eq!(fired(&d, Rule::SuperclusterClusterWithoutRoutes), NONE, "not in a supercluster");
        d.cluster_mut(west).expect("west").servers = 1;
        assert_eq!(fired(&d, Rule::SuperclusterClusterWithoutRoutes), ["cluster west"]);
        d.cluster_mut(west).expect("west").jetstream = false;
        assert_eq!(fired(&d, Rule::SuperclusterClusterWithoutRoutes), NONE);
    }

    #[test]
    fn placement_on_a_cluster_or_tags_no_cluster_has_raises_placement_unknown() {
        let (mut d, east, west, site) = regions();
        d.cluster_mut(west).expect("west").server_tags = vec!["ssd".into(), "region:west".into()];
        let mut config = StreamConfig::new("orders");
        config.subjects = vec!["orders.>".into()];
        let stream = d.add_stream(east, "APP", config).expect("added");
        let place = |d: &mut Design, cluster: Option<&str>, tags: &[&str]| {
            d.stream_mut(stream).expect("exists").config.placement = Some(Placement {
                cluster: cluster.map(str::to_owned),
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            });
        };
        for (cluster, tags) in
            [(Some("west"), &[][..]), (Some("east"), &[]), (None, &["ssd"]), (Some("west"), &["ssd", "region:west"])]
        {
            place(&mut d, cluster, tags);
            assert_eq!(fired(&d, Rule::PlacementUnknown), NONE, "{cluster:?} {tags:?}");
        }
        for (cluster, tags) in
            [(Some("site"), &[][..]), (Some("nowhere"), &[]), (None, &["hdd"]), (Some("east"), &["ssd"])]
        {
            place(&mut d, cluster, tags);
            assert_eq!(fired(&d, Rule::PlacementUnknown), ["stream orders"], "{cluster:?} {tags:?}");
        }
        // A one-server cluster outside a supercluster ignores placement (measured, see the rule).
        let mut single = d.clone();
        single.cluster_mut(site).expect("site").servers = 1;
        let mut alone = StreamConfig::new("alone");
        alone.subjects = vec!["alone.>".into()];
        alone.placement = Some(Placement { cluster: Some("c1".into()), tags: vec!["az1".into()] });
        single.add_stream(site, "APP", alone);
        place(&mut single, Some("east"), &[]);
        assert_eq!(fired(&single, Rule::PlacementUnknown), NONE);
        // A stream of a cluster outside any supercluster can be placed only on it.
        let mut lone = StreamConfig::new("local");
        lone.subjects = vec!["local.>".into()];
        lone.placement = Some(Placement { cluster: Some("east".into()), tags: vec![] });
        let local = d.add_stream(site, "APP", lone).expect("added");
        place(&mut d, Some("west"), &[]);
        assert_eq!(fired(&d, Rule::PlacementUnknown), ["stream local"]);
        d.stream_mut(local).expect("exists").config.placement =
            Some(Placement { cluster: Some("site".into()), tags: vec![] });
        assert_eq!(fired(&d, Rule::PlacementUnknown), NONE);
    }
}
