//! Rules of the catalog group "Clusters and domains".
//!
//! "Joined by leafnodes" means connected, directly or through other clusters, by remotes whose
//! `target` names another cluster of the design. `Joins` derives these groups once per call; a
//! remote without a target, or whose target is gone, joins nothing (the designer cannot know
//! where it leads). Domains, cluster names and server names only clash inside such a group:
//! unjoined clusters are separate NATS systems. The exception is `cluster-name-duplicate`, which
//! looks at the whole design (see there).

use super::{Diagnostic, Rule, Target};
use crate::model::command::Command;
use crate::model::sort::CollectSorted;
use crate::model::{Cluster, ClusterId, Design, Role};
use std::collections::{BTreeMap, BTreeSet};

/// The cluster name the charts use when none is set: the chart or release name (0.19
/// `configmap.yaml`; 1.x `statefulSet.name`), the same on every cluster.
const CHART_CLUSTER_NAME: &str = "nats";

/// The pod names the chart gives servers, before any prefix: `nats-0`, `nats-1`, ...
const CHART_POD_NAME: &str = "nats-";

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    let joins = Joins::new(design, false);
    // Leafnodes and gateways: a supercluster with its sites is one NATS system.
    let systems = Joins::new(design, true);
    let units = Units::new(design);
    domain_missing(design, &systems, &units, out);
    domain_invalid(design, out);
    domain_duplicate(design, &systems, &units, out);
    cluster_name_duplicate(design, out);
    server_name_collision(design, &systems, out);
    cluster_size_even(design, out);
    cluster_isolated(design, &systems, out);
    hub_without_jetstream(design, &joins, out);
}

/// `domain-missing`: a JetStream cluster joined to others has no domain, so its JetStream API
/// and theirs answer on the same `$JS.API` subjects.
///
/// The clusters of one supercluster are one JetStream: they are joined to others only through
/// a leafnode to a cluster outside their supercluster.
fn domain_missing(design: &Design, joins: &Joins, units: &Units, out: &mut Vec<Diagnostic>) {
    let mut domains = Namer::new(design.clusters().map(|(_, c)| c.domain.clone()));
    for (id, cluster) in design.clusters() {
        let outside = joins.peers(id).any(|p| units.of(p) != units.of(id));
        if !cluster.jetstream || cluster.domain().is_some() || !outside {
            continue;
        }
        let domain = domains.suggest(&sanitize(&cluster.name, "domain"));
        let message = format!(
            "cluster {} runs JetStream and is joined by leafnodes or gateways to {}, but has no JetStream domain: \
             their JetStream APIs would answer each other's requests; give it a domain of its own, e.g. {domain}",
            show(&cluster.name),
            list(joins.peers(id).map(|p| cluster_name(design, p))),
        );
        out.push(Diagnostic::new(Rule::DomainMissing, Target::Cluster(id), message).field("domain").fix(
            format!("set the domain of {} to {domain}", show(&cluster.name)),
            Command::SetClusterDomain { cluster: id, domain },
        ));
    }
}

/// `domain-invalid`: the server's `validateJetStreamOptions` rejects a domain with whitespace,
/// `.`, `*` or `>`, or one for which `$JS.<domain>.API.>` is not a valid subject. Checked with
/// JetStream on or off: the designer derives `external.api` prefixes from the domain either way.
fn domain_invalid(design: &Design, out: &mut Vec<Diagnostic>) {
    let mut domains = Namer::new(design.clusters().map(|(_, c)| c.domain.clone()));
    for (id, cluster) in design.clusters() {
        let Some(domain) = cluster.domain() else { continue };
        let mut faults = Vec::new();
        if domain.chars().any(char::is_whitespace) {
            faults.push("whitespace");
        }
        if domain.contains('.') {
            faults.push("'.'");
        }
        if domain.contains('*') {
            faults.push("'*'");
        }
        if domain.contains('>') {
            faults.push("'>'");
        }
        let api = format!("$JS.{domain}.API.>");
        if faults.is_empty() && is_valid_subject(&api) {
            continue;
        }
        let why = if faults.is_empty() {
            format!("{api} is not a valid subject")
        } else {
            format!("it contains {}", list(faults))
        };
        let mut diagnostic = Diagnostic::new(
            Rule::DomainInvalid,
            Target::Cluster(id),
            format!(
                "cluster {} has JetStream domain {domain:?}, which the server rejects: {why}; \
                 a domain may not contain whitespace, '.', '*' or '>'",
                show(&cluster.name)
            ),
        )
        .field("domain");
        let fixed = domains.suggest(&sanitize(domain, &sanitize(&cluster.name, "domain")));
        if fixed != domain {
            diagnostic = diagnostic.fix(
                format!("set the domain of {} to {fixed}", show(&cluster.name)),
                Command::SetClusterDomain { cluster: id, domain: fixed },
            );
        }
        out.push(diagnostic);
    }
}

/// `domain-duplicate`: two JetStream clusters joined by leafnodes share a domain. The server
/// refuses this only between the two ends of one leafnode connection; two spokes of one hub
/// with the same domain go unnoticed until streams are created in both (issue 3019).
///
/// The clusters of one supercluster share their domain by design (`supercluster-domain-mixed`):
/// a domain clashes only when clusters of two different superclusters (or lone clusters) hold it.
fn domain_duplicate(design: &Design, joins: &Joins, units: &Units, out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<(usize, &str), Vec<ClusterId>> = BTreeMap::new();
    for (id, cluster) in design.clusters() {
        if let (true, Some(domain), Some(group)) = (cluster.jetstream, cluster.domain(), joins.group(id)) {
            groups.entry((group, domain)).or_default().push(id);
        }
    }
    let mut domains = Namer::new(design.clusters().map(|(_, c)| c.domain.clone()));
    for ((_, domain), members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        if members.iter().all(|m| units.of(*m) == units.of(members[0])) {
            continue;
        }
        for &id in members.iter().filter(|m| members.iter().any(|o| units.of(*o) != units.of(**m))) {
            let name = cluster_name(design, id);
            let others = list(members.iter().filter(|m| **m != id).map(|m| cluster_name(design, *m)));
            let fixed = domains.suggest(&sanitize(name, "domain"));
            let message = format!(
                "cluster {name} and {others} both use JetStream domain {domain} and are joined by leafnodes or gateways; \
                 give each cluster its own JetStream domain, e.g. {fixed} for {name}"
            );
            out.push(Diagnostic::new(Rule::DomainDuplicate, Target::Cluster(id), message).field("domain").fix(
                format!("set the domain of {name} to {fixed}"),
                Command::SetClusterDomain { cluster: id, domain: fixed },
            ));
        }
    }
}

/// `cluster-name-duplicate`: two clusters share a cluster name (an empty name is the chart's
/// default, `nats`, the same everywhere).
///
/// Checked across the whole design rather than per joined group: a hub drops a leafnode whose
/// cluster name equals its own, spokes sharing a name are taken for one cluster by the hub's
/// routing, and within the designer the name is what identifies a cluster in exports and
/// messages. The first cluster keeps the name; the others are offered a new one.
fn cluster_name_duplicate(design: &Design, out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<&str, Vec<ClusterId>> = BTreeMap::new();
    for (id, cluster) in design.clusters() {
        groups.entry(effective_cluster_name(cluster)).or_default().push(id);
    }
    let mut names = Namer::new(groups.keys().map(|n| (*n).to_owned()));
    for (name, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
        let how = if name == &CHART_CLUSTER_NAME
            && members.iter().any(|m| design.cluster(*m).is_some_and(|c| c.name.is_empty()))
        {
            " (a cluster without a name gets the chart's default name nats)"
        } else {
            ""
        };
        for (rank, &id) in members.iter().enumerate() {
            let others = list(members.iter().filter(|m| **m != id).map(|m| describe(design, *m)));
            let message = format!(
                "{} clusters are named {name}{how}: this {} and {others}; a hub drops a leafnode whose cluster \
                 name equals its own, so give each cluster a unique name",
                members.len(),
                describe(design, id),
            );
            let mut diagnostic =
                Diagnostic::new(Rule::ClusterNameDuplicate, Target::Cluster(id), message).field("name");
            if rank > 0 {
                let fixed = names.suggest(&sanitize(name, CHART_CLUSTER_NAME));
                diagnostic = diagnostic.fix(
                    format!("rename this cluster {name} to {fixed}"),
                    Command::SetClusterName { cluster: id, name: fixed },
                );
            }
            out.push(diagnostic);
        }
    }
}

/// `hub spoke-1 (domain hub)`: enough to tell clusters of one name apart.
fn describe(design: &Design, id: ClusterId) -> String {
    match design.cluster(id) {
        Some(c) => match c.domain() {
            Some(domain) => format!("{} {} (domain {domain})", c.role, show(&c.name)),
            None => format!("{} {} (no domain)", c.role, show(&c.name)),
        },
        None => id.to_string(),
    }
}

/// `server-name-collision`: joined clusters with the same server-name prefix. The chart names
/// servers `<prefix><pod name>` and pods are `nats-0..N` everywhere, so two such clusters with
/// at least one server each share the name `<prefix>nats-0` (nats-io/k8s issue 731). Clusters
/// with different prefixes never collide: every name ends in `nats-<digits>`, which fixes where
/// the prefix stops. One diagnostic per colliding cluster.
fn server_name_collision(design: &Design, joins: &Joins, out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<(usize, &str), Vec<ClusterId>> = BTreeMap::new();
    for (id, cluster) in design.clusters() {
        if let (true, Some(group)) = (cluster.servers > 0, joins.group(id)) {
            groups.entry((group, cluster.server_name_prefix.as_str())).or_default().push(id);
        }
    }
    let mut prefixes = Namer::new(design.clusters().map(|(_, c)| c.server_name_prefix.clone()));
    for ((_, prefix), members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        let smallest = members.iter().filter_map(|m| design.cluster(*m)).map(|c| c.servers).min().unwrap_or(1);
        let shared = if smallest > 1 {
            format!("{prefix}{CHART_POD_NAME}0..{prefix}{CHART_POD_NAME}{}", smallest - 1)
        } else {
            format!("{prefix}{CHART_POD_NAME}0")
        };
        let whose = if prefix.is_empty() {
            "no server-name prefix (the chart's default names)".to_owned()
        } else {
            format!("server-name prefix {prefix:?}")
        };
        for &id in &members {
            let name = cluster_name(design, id);
            let others = list(members.iter().filter(|m| **m != id).map(|m| cluster_name(design, *m)));
            let fixed = prefixes.suggest(&format!("{}-", sanitize(&name.to_lowercase(), "cluster")));
            let message = format!(
                "cluster {name} and {others} are joined by leafnodes or gateways and all use {whose}, so their servers \
                 share the names {shared}; set a unique server_name_prefix on each, e.g. {fixed:?} for {name}"
            );
            out.push(
                Diagnostic::new(Rule::ServerNameCollision, Target::Cluster(id), message)
                    .field("server_name_prefix")
                    .fix(
                        format!("set the server-name prefix of {name} to {fixed}"),
                        Command::SetServerNamePrefix { cluster: id, prefix: fixed },
                    ),
            );
        }
    }
}

/// `cluster-size-even`: a RAFT group of `n` servers survives `(n - 1) / 2` failures, so an even
/// JetStream cluster tolerates no more than one server fewer would.
fn cluster_size_even(design: &Design, out: &mut Vec<Diagnostic>) {
    for (id, cluster) in design.clusters() {
        let n = cluster.servers;
        if !cluster.jetstream || n == 0 || n % 2 != 0 {
            continue;
        }
        let tolerated = (n - 1) / 2;
        let message = format!(
            "cluster {} runs JetStream on {n} servers, which tolerate {tolerated} failed server(s), \
             no more than {} would; use an odd number of servers ({} or {})",
            show(&cluster.name),
            n - 1,
            n - 1,
            u16::from(n) + 1,
        );
        let mut diagnostic = Diagnostic::new(Rule::ClusterSizeEven, Target::Cluster(id), message).field("servers");
        if let Some(more) = n.checked_add(1) {
            diagnostic = diagnostic.fix(
                format!("run {more} servers in {}", show(&cluster.name)),
                Command::SetServers { cluster: id, servers: more },
            );
        }
        out.push(diagnostic);
    }
}

/// `cluster-isolated`: in a design of several clusters, one that no leafnode or gateway joins to
/// another.
fn cluster_isolated(design: &Design, joins: &Joins, out: &mut Vec<Diagnostic>) {
    let total = design.clusters().count();
    if total < 2 {
        return;
    }
    for (id, cluster) in design.clusters() {
        if joins.is_joined(id) {
            continue;
        }
        let message = format!(
            "cluster {} has no leafnode or gateway link to any of the other {} cluster(s) of the design; \
             add a remote that dials a hub (or have a spoke dial it), join it by a gateway, or remove the cluster",
            show(&cluster.name),
            total - 1
        );
        out.push(Diagnostic::new(Rule::ClusterIsolated, Target::Cluster(id), message));
    }
}

/// `hub-without-jetstream`: a hub without JetStream, or without a domain, between spokes that
/// run JetStream lets a `$JS.API` request that crosses the hub reach several JetStreams
/// (nats-server issue 2262). The domain-less case is also `domain-missing`, which says what to
/// set; this warning explains the consequence for the spokes.
fn hub_without_jetstream(design: &Design, joins: &Joins, out: &mut Vec<Diagnostic>) {
    let mut domains = Namer::new(design.clusters().map(|(_, c)| c.domain.clone()));
    for (id, hub) in design.clusters().filter(|(_, c)| c.role == Role::Hub) {
        if hub.jetstream && hub.domain().is_some() {
            continue;
        }
        let spokes: Vec<&str> = joins
            .peers(id)
            .filter(|p| design.cluster(*p).is_some_and(|c| c.jetstream))
            .map(|p| cluster_name(design, p))
            .collect();
        if spokes.is_empty() {
            continue;
        }
        let name = show(&hub.name);
        let spokes = list(spokes);
        let domain = domains.suggest(&sanitize(&hub.name, "hub"));
        let set_domain = Command::SetClusterDomain { cluster: id, domain: domain.clone() };
        let diagnostic = if hub.jetstream {
            Diagnostic::new(
                Rule::HubWithoutJetstream,
                Target::Cluster(id),
                format!(
                    "hub {name} runs JetStream without a domain while {spokes} run JetStream: JetStream API \
                     requests that cross the hub reach several JetStreams; give the hub a domain, e.g. {domain}"
                ),
            )
            .field("domain")
            .fix(format!("set the domain of {name} to {domain}"), set_domain)
        } else {
            let mut commands = vec![Command::SetClusterJetStream { cluster: id, enabled: true }];
            if hub.domain().is_none() {
                commands.push(set_domain);
            }
            Diagnostic::new(
                Rule::HubWithoutJetstream,
                Target::Cluster(id),
                format!(
                    "hub {name} has JetStream disabled while {spokes} run JetStream: JetStream API requests \
                     that cross the hub reach several JetStreams; enable JetStream on the hub with a domain of its own"
                ),
            )
            .field("jetstream")
            .fix(format!("enable JetStream on {name}"), Command::Batch(commands))
        };
        out.push(diagnostic);
    }
}

/// The groups of clusters joined by leafnodes (the connected components of the graph whose edges
/// are remotes with a target), computed once per validation with a union-find.
struct Joins {
    /// Each cluster's group, or `None` when it is joined to no other cluster.
    group: BTreeMap<ClusterId, usize>,
    /// The clusters of each group, in id order.
    members: Vec<Vec<ClusterId>>,
}

/// Which supercluster each cluster belongs to; a cluster no gateway joins is a unit of its own.
struct Units(BTreeMap<ClusterId, ClusterId>);

impl Units {
    fn new(design: &Design) -> Self {
        let mut unit = BTreeMap::new();
        for group in crate::model::gateway::superclusters(design) {
            for id in &group {
                unit.insert(*id, group[0]);
            }
        }
        Self(unit)
    }

    /// The supercluster's first cluster, or the cluster itself.
    fn of(&self, id: ClusterId) -> ClusterId {
        self.0.get(&id).copied().unwrap_or(id)
    }
}

impl Joins {
    /// Joined by leafnode remotes, and with `gateways` also by gateway peers.
    fn new(design: &Design, gateways: bool) -> Self {
        let ids: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
        let index: BTreeMap<ClusterId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect_map();
        let mut parent: Vec<usize> = (0..ids.len()).collect();
        let mut linked = vec![false; ids.len()];
        for (from, (_, cluster)) in design.clusters().enumerate() {
            let peers = cluster.gateway.iter().flat_map(|g| &g.peers).filter(|_| gateways).map(|p| p.target);
            for target in cluster.remotes.iter().map(|r| r.target).chain(peers) {
                let Some(&to) = target.and_then(|t| index.get(&t)) else { continue };
                if to != from {
                    linked[from] = true;
                    linked[to] = true;
                    let (a, b) = (root(&mut parent, from), root(&mut parent, to));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut group = BTreeMap::new();
        let mut members: Vec<Vec<ClusterId>> = Vec::new();
        let mut by_root: BTreeMap<usize, usize> = BTreeMap::new();
        for i in 0..ids.len() {
            if !linked[i] {
                continue;
            }
            let r = root(&mut parent, i);
            let g = *by_root.entry(r).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[g].push(ids[i]);
            group.insert(ids[i], g);
        }
        Self { group, members }
    }

    /// The group of a cluster joined to at least one other.
    fn group(&self, id: ClusterId) -> Option<usize> {
        self.group.get(&id).copied()
    }

    fn is_joined(&self, id: ClusterId) -> bool {
        self.group.contains_key(&id)
    }

    /// The other clusters joined to `id`, directly or not, in id order.
    fn peers(&self, id: ClusterId) -> impl Iterator<Item = ClusterId> + '_ {
        let members = self.group(id).and_then(|g| self.members.get(g)).map_or(&[][..], Vec::as_slice);
        members.iter().copied().filter(move |m| *m != id)
    }
}

/// The representative of `i`'s set, halving paths on the way.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Hands out names (domains, prefixes, cluster names) not yet in use, remembering what it handed
/// out so that the fixes of one rule never suggest the same name twice.
struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    fn new(taken: impl Iterator<Item = String>) -> Self {
        Self { taken: taken.collect_set() }
    }

    /// `base`, or `base` with the smallest free numeric suffix (`spoke-1` → `spoke-1-2`); a
    /// prefix keeps its trailing dash last (`s1-` → `s1-2-`).
    fn suggest(&mut self, base: &str) -> String {
        let (stem, tail) = match base.strip_suffix('-') {
            Some(stem) if !stem.is_empty() => (stem, "-"),
            _ => (base, ""),
        };
        let mut candidate = base.to_owned();
        let mut n = 2u64;
        // There are at most `taken.len()` names in use, so this ends within that many steps.
        while self.taken.contains(&candidate) {
            candidate = format!("{stem}-{n}{tail}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// `text` reduced to ASCII letters, digits, `-` and `_` (anything else becomes one `-`), safe as
/// a domain, a server-name prefix, a cluster name and a shell word; `fallback` when nothing is
/// left.
fn sanitize(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// A cluster's name as the chart renders it.
fn effective_cluster_name(cluster: &Cluster) -> &str {
    if cluster.name.is_empty() {
        CHART_CLUSTER_NAME
    } else {
        &cluster.name
    }
}

fn cluster_name(design: &Design, id: ClusterId) -> &str {
    design.cluster(id).map_or("(unknown)", |c| show(&c.name))
}

/// A name for messages; an empty one is shown as such rather than vanishing from the sentence.
pub(super) fn show(name: &str) -> &str {
    if name.is_empty() {
        "(unnamed)"
    } else {
        name
    }
}

/// `a`, `a and b`, `a, b and c`; long lists end in `and N more`.
pub(super) fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    const SHOWN: usize = 5;
    let items: Vec<S> = items.into_iter().collect();
    let shown: Vec<&str> = items.iter().take(SHOWN).map(AsRef::as_ref).collect();
    match (shown.split_last(), items.len()) {
        (None, _) => "none".to_owned(),
        (Some((last, [])), _) => (*last).to_owned(),
        (Some((last, rest)), n) if n <= SHOWN => format!("{} and {last}", rest.join(", ")),
        (Some(_), n) => format!("{} and {} more", shown.join(", "), n - SHOWN),
    }
}

/// `server/sublist.go` `IsValidSubject`: no empty token, `>` only as the last token, no
/// whitespace.
fn is_valid_subject(subject: &str) -> bool {
    if subject.is_empty() {
        return false;
    }
    let mut tokens = subject.split('.').peekable();
    while let Some(token) = tokens.next() {
        if token.is_empty() || token.contains([' ', '\t', '\n', '\r', '\u{c}']) {
            return false;
        }
        if token == ">" && tokens.peek().is_some() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::{LeafnodeRemote, Point};

    /// The targets (as the CLI names them) of the diagnostics `rule` raises on `design`.
    fn fired(design: &Design, rule: Rule) -> Vec<String> {
        let mut out = Vec::new();
        check(design, &mut out);
        out.iter().filter(|d| d.rule == rule).map(|d| d.target_name(design)).collect()
    }

    fn diagnostics(design: &Design, rule: Rule) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check(design, &mut out);
        out.retain(|d| d.rule == rule);
        out
    }

    fn id(design: &Design, name: &str) -> ClusterId {
        design.clusters().find(|(_, c)| c.name == name).map(|(id, _)| id).expect("the test names an existing cluster")
    }

    fn edit(design: &mut Design, name: &str, change: impl FnOnce(&mut Cluster)) {
        let id = id(design, name);
        change(design.cluster_mut(id).expect("the cluster exists"));
    }

    /// Applies the fix of every diagnostic `rule` raises, in order.
    fn apply_fixes(design: &mut Design, rule: Rule) {
        for d in diagnostics(design, rule) {
            let fix = d.fix.expect("the rule offers a fix");
            fix.command.apply(design).expect("the fix applies");
        }
    }

    fn standalone(design: &mut Design, name: &str) -> ClusterId {
        let mut c = Cluster::new(name, Role::Standalone);
        c.domain = format!("{name}-domain");
        c.server_name_prefix = format!("{name}-");
        c.position = Point::new(2000.0, 0.0);
        design.add_cluster(c)
    }

    #[test]
    fn the_corrected_guide_raises_nothing_from_the_cluster_rules() {
        let d = guide_corrected();
        let mut out = Vec::new();
        check(&d, &mut out);
        assert_eq!(out, []);
    }

    #[test]
    fn a_joined_jetstream_spoke_without_domain_raises_domain_missing() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.domain.clear());
        assert_eq!(fired(&d, Rule::DomainMissing), ["cluster spoke-1"]);
        let diagnostic = &diagnostics(&d, Rule::DomainMissing)[0];
        assert_eq!(diagnostic.field, Some("domain"));
        assert!(diagnostic.message.contains("headquarter"), "{}", diagnostic.message);
        apply_fixes(&mut d, Rule::DomainMissing);
        assert_eq!(d.cluster(id(&d, "spoke-1")).map(|c| c.domain.as_str()), Some("spoke-1"));
        assert_eq!(fired(&d, Rule::DomainMissing), Vec::<String>::new());
    }

    #[test]
    fn clusters_without_jetstream_or_without_links_need_no_domain() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-2", |c| {
            c.domain.clear();
            c.jetstream = false;
        });
        let lone = standalone(&mut d, "lab");
        d.cluster_mut(lone).expect("added").domain.clear();
        assert_eq!(fired(&d, Rule::DomainMissing), Vec::<String>::new());
    }

    #[test]
    fn domains_with_dots_wildcards_or_whitespace_raise_domain_invalid() {
        for bad in ["cinema.a", "cinema a", "cinema*", "cinema>", "tab\there"] {
            let mut d = guide_corrected();
            edit(&mut d, "spoke-1", |c| c.domain = bad.to_owned());
            assert_eq!(fired(&d, Rule::DomainInvalid), ["cluster spoke-1"], "domain {bad:?}");
            apply_fixes(&mut d, Rule::DomainInvalid);
            assert_eq!(fired(&d, Rule::DomainInvalid), Vec::<String>::new(), "fixed {bad:?}");
        }
    }

    #[test]
    fn domains_of_letters_digits_dashes_and_underscores_are_valid() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.domain = "Cinema_A-01".to_owned());
        assert_eq!(fired(&d, Rule::DomainInvalid), Vec::<String>::new());
        assert!(is_valid_subject("$JS.hub.API.>"));
        assert!(!is_valid_subject("$JS..API.>"));
        assert!(!is_valid_subject("a.>.b"));
    }

    #[test]
    fn spokes_sharing_a_domain_raise_domain_duplicate() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-2", |c| c.domain = "cinema-a".to_owned());
        assert_eq!(fired(&d, Rule::DomainDuplicate), ["cluster spoke-1", "cluster spoke-2"]);
        let message = &diagnostics(&d, Rule::DomainDuplicate)[0].message;
        assert!(message.contains("spoke-1 and spoke-2 both use JetStream domain cinema-a"), "{message}");
        let fix = diagnostics(&d, Rule::DomainDuplicate).remove(1).fix.expect("a fix");
        fix.command.apply(&mut d).expect("applies");
        assert_eq!(fired(&d, Rule::DomainDuplicate), Vec::<String>::new());
    }

    #[test]
    fn unjoined_clusters_may_share_a_domain() {
        let mut d = guide_corrected();
        let lab = standalone(&mut d, "lab");
        d.cluster_mut(lab).expect("added").domain = "hub".to_owned();
        assert_eq!(fired(&d, Rule::DomainDuplicate), Vec::<String>::new());
    }

    #[test]
    fn two_clusters_with_one_name_raise_cluster_name_duplicate() {
        let mut d = guide_corrected();
        let spoke_2 = id(&d, "spoke-2");
        d.cluster_mut(spoke_2).expect("exists").name = "spoke-1".to_owned();
        assert_eq!(fired(&d, Rule::ClusterNameDuplicate), ["cluster spoke-1", "cluster spoke-1"]);
        let found = diagnostics(&d, Rule::ClusterNameDuplicate);
        assert!(found[0].fix.is_none(), "the first cluster keeps its name");
        apply_fixes_where_offered(&mut d, found);
        assert_eq!(d.cluster(spoke_2).map(|c| c.name.as_str()), Some("spoke-1-2"));
        assert_eq!(fired(&d, Rule::ClusterNameDuplicate), Vec::<String>::new());
    }

    fn apply_fixes_where_offered(design: &mut Design, found: Vec<Diagnostic>) {
        for fix in found.into_iter().filter_map(|d| d.fix) {
            fix.command.apply(design).expect("the fix applies");
        }
    }

    #[test]
    fn an_unnamed_cluster_collides_with_the_charts_default_name() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.name.clear());
        edit(&mut d, "spoke-2", |c| c.name = "nats".to_owned());
        assert_eq!(fired(&d, Rule::ClusterNameDuplicate), ["cluster ", "cluster nats"]);
        assert!(diagnostics(&d, Rule::ClusterNameDuplicate)[0].message.contains("default name nats"));
    }

    #[test]
    fn distinct_cluster_names_raise_no_cluster_name_duplicate() {
        let mut d = guide_corrected();
        standalone(&mut d, "lab");
        assert_eq!(fired(&d, Rule::ClusterNameDuplicate), Vec::<String>::new());
    }

    #[test]
    fn default_server_names_everywhere_raise_one_server_name_collision_per_cluster() {
        let mut d = guide_corrected();
        for name in ["headquarter", "spoke-1", "spoke-2"] {
            edit(&mut d, name, |c| c.server_name_prefix.clear());
        }
        assert_eq!(fired(&d, Rule::ServerNameCollision), ["cluster headquarter", "cluster spoke-1", "cluster spoke-2"]);
        let message = &diagnostics(&d, Rule::ServerNameCollision)[0].message;
        assert!(message.contains("nats-0..nats-2"), "{message}");
        apply_fixes(&mut d, Rule::ServerNameCollision);
        let prefixes: Vec<_> = d.clusters().map(|(_, c)| c.server_name_prefix.clone()).collect();
        assert_eq!(prefixes, ["headquarter-", "spoke-1-", "spoke-2-"]);
        assert_eq!(fired(&d, Rule::ServerNameCollision), Vec::<String>::new());
    }

    #[test]
    fn suggested_prefixes_never_repeat_each_other_or_existing_ones() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| c.server_name_prefix = "spoke-1-".to_owned());
        edit(&mut d, "spoke-1", |c| c.server_name_prefix = "spoke-1-".to_owned());
        apply_fixes(&mut d, Rule::ServerNameCollision);
        let prefixes: Vec<_> = d.clusters().map(|(_, c)| c.server_name_prefix.clone()).collect();
        assert_eq!(prefixes, ["headquarter-", "spoke-1-2-", "s2-"]);
    }

    #[test]
    fn unique_prefixes_unjoined_clusters_and_empty_clusters_raise_no_server_name_collision() {
        let mut d = guide_corrected();
        let lab = standalone(&mut d, "lab");
        d.cluster_mut(lab).expect("added").server_name_prefix = "hq-".to_owned();
        edit(&mut d, "spoke-1", |c| c.server_name_prefix = "s2-".to_owned());
        edit(&mut d, "spoke-1", |c| c.servers = 0);
        assert_eq!(fired(&d, Rule::ServerNameCollision), Vec::<String>::new());
    }

    #[test]
    fn a_jetstream_cluster_of_four_servers_raises_cluster_size_even() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.servers = 4);
        assert_eq!(fired(&d, Rule::ClusterSizeEven), ["cluster spoke-1"]);
        apply_fixes(&mut d, Rule::ClusterSizeEven);
        assert_eq!(d.cluster(id(&d, "spoke-1")).map(|c| c.servers), Some(5));
    }

    #[test]
    fn odd_empty_or_non_jetstream_clusters_raise_no_cluster_size_even() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.servers = 1);
        edit(&mut d, "spoke-2", |c| {
            c.servers = 2;
            c.jetstream = false;
        });
        edit(&mut d, "headquarter", |c| c.servers = 0);
        assert_eq!(fired(&d, Rule::ClusterSizeEven), Vec::<String>::new());
    }

    #[test]
    fn a_cluster_without_leafnode_links_raises_cluster_isolated() {
        let mut d = guide_corrected();
        standalone(&mut d, "lab");
        // A remote to a cluster that is gone joins nothing either.
        edit(&mut d, "spoke-2", |c| c.remotes.iter_mut().for_each(|r| r.target = Some(ClusterId(999))));
        assert_eq!(fired(&d, Rule::ClusterIsolated), ["cluster spoke-2", "cluster lab"]);
    }

    #[test]
    fn a_design_of_one_cluster_raises_no_cluster_isolated() {
        let mut d = Design::new("one");
        d.add_cluster(Cluster::new("alone", Role::Standalone));
        assert_eq!(fired(&d, Rule::ClusterIsolated), Vec::<String>::new());
        assert_eq!(fired(&guide_corrected(), Rule::ClusterIsolated), Vec::<String>::new());
    }

    #[test]
    fn a_hub_without_jetstream_between_jetstream_spokes_raises_hub_without_jetstream() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| c.jetstream = false);
        assert_eq!(fired(&d, Rule::HubWithoutJetstream), ["cluster headquarter"]);
        apply_fixes(&mut d, Rule::HubWithoutJetstream);
        assert_eq!(fired(&d, Rule::HubWithoutJetstream), Vec::<String>::new());
    }

    #[test]
    fn a_hub_without_domain_raises_hub_without_jetstream_and_domain_missing() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| c.domain.clear());
        assert_eq!(fired(&d, Rule::HubWithoutJetstream), ["cluster headquarter"]);
        assert_eq!(fired(&d, Rule::DomainMissing), ["cluster headquarter"]);
    }

    #[test]
    fn a_hub_without_jetstream_among_spokes_without_jetstream_is_fine() {
        let mut d = guide_corrected();
        for name in ["headquarter", "spoke-1", "spoke-2"] {
            edit(&mut d, name, |c| c.jetstream = false);
        }
        assert_eq!(fired(&d, Rule::HubWithoutJetstream), Vec::<String>::new());
    }

    #[test]
    fn hostile_names_and_dangling_references_do_not_panic() {
        let mut d = Design::new("hostile");
        let names = ["", "$(rm -rf ~)", "\"; drop", "<script>", "é.ü *>", "-", "nats"];
        let ids: Vec<ClusterId> = names
            .iter()
            .map(|n| {
                let mut c = Cluster::new(*n, Role::Hub);
                c.domain = (*n).to_owned();
                c.server_name_prefix = (*n).to_owned();
                c.servers = u8::MAX - 1;
                d.add_cluster(c)
            })
            .collect();
        for (i, id) in ids.iter().enumerate() {
            let target = Some(ids[(i + 1) % ids.len()]);
            let remotes = [target, Some(*id), Some(ClusterId(u32::MAX)), None];
            d.cluster_mut(*id).expect("added").remotes =
                remotes.into_iter().map(|target| LeafnodeRemote { target, ..LeafnodeRemote::default() }).collect();
        }
        let mut out = Vec::new();
        check(&d, &mut out);
        assert!(out.iter().any(|d| d.rule == Rule::DomainInvalid));
        for fix in out.into_iter().filter_map(|d| d.fix) {
            let mut copy = d.clone();
            fix.command.apply(&mut copy).expect("fixes name existing clusters");
        }
    }

    #[test]
    fn suggestions_are_sanitized_and_unique() {
        assert_eq!(sanitize("$(rm -rf ~)", "x"), "rm-rf");
        assert_eq!(sanitize("<>", "x"), "x");
        let mut namer = Namer::new(["a".to_owned(), "a-2".to_owned()].into_iter());
        assert_eq!(namer.suggest("a"), "a-3");
        assert_eq!(namer.suggest("a"), "a-4");
        assert_eq!(list(["a", "b", "c"]), "a, b and c");
        assert_eq!(list(["1", "2", "3", "4", "5", "6", "7"]), "1, 2, 3, 4, 5 and 2 more");
    }
}
