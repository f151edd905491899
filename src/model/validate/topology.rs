//! Rules of the catalog group "Streams across the topology (what no server checks)".
//!
//! A server skips most checks for an origin behind `external` (nats-server `server/stream.go`
//! `checkStreamCfg`: existence, size and cycle checks run only for local origins). These rules
//! make them across the whole design, for every mirror and source (`Stream::origins`, so origin
//! 0 is the mirror when there is one).
//!
//! Decisions:
//! - Only an `external.api` the user wrote is checked for its form and domain; a derived prefix
//!   names an existing domain by construction. A literal prefix that is not `$JS.<domain>.API`
//!   (an import prefix of another account, say) hides the origin from the design: nothing more
//!   is said about it.
//! - `origin-unreachable`: clusters are joined per account. A remote with a target joins the
//!   spoke's bound account (`$G` without one) to the target's account of the user it presents
//!   (from `user` or the URL); when that user is unknown, to the account of the same name
//!   (`leafnode-credentials-unknown` reports the user). Messages flow both ways and through
//!   intermediate clusters, so reachability is connectivity of (cluster, account) pairs. For a
//!   cross-account origin the copy's account reaching the origin's cluster is enough (the imports
//!   happen there).
//! - `cross-account-exports-missing` / `cross-account-prefix-mismatch`: an origin in another
//!   account (in the linked cluster, the prefix's domain, or behind an import prefix) is judged
//!   on its own cluster, in the account there that the copy's leafnode binding joins (the
//!   copy's own account when both are in one cluster); the pieces and what was measured are in
//!   `accounts.rs`. A binding onto the origin's own account needs no imports.
//! - `replication-cycle`: one diagnostic per strongly connected group of streams, naming the
//!   shortest cycle through its first stream; filters are not considered (a filtered cycle is
//!   still a loop waiting for the wrong subject).

use super::accounts;
use super::streams::subject;
use super::{Diagnostic, Rule, Severity, Target};
use crate::model::cluster::{Cluster, LeafnodeRemote, NatsVersion};
use crate::model::command::Command;
use crate::model::fast_map::{FastMap, FastSet};
use crate::model::ids::{ClusterId, StreamId};
use crate::model::sort::{CollectSorted, Sorted};
use crate::model::stream::{Retention, Stream, StreamSource};
use crate::model::Design;
use std::collections::{BTreeSet, VecDeque};

/// The local JetStream API prefix, which an external prefix must not collide with.
const LOCAL_API: &str = "$JS.API";

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    let context = Context::new(design, None);
    let mut graph = Graph::new(design);
    let mut edges = Vec::new();
    for (from, stream) in design.streams().enumerate() {
        edges.clear();
        check_one(design, &context, stream, out, &mut edges);
        for &(origin, index) in &edges {
            graph.add(from, origin, index);
        }
    }
    replication_cycles(design, &graph, out);
}

/// What the rules of one stream's origins read of the rest of the design: streams by name,
/// which (cluster, account) pairs are joined, and every `external.deliver`.
pub(super) struct Context<'a> {
    names: Names<'a>,
    reach: Reach<'a>,
    /// Every `external.deliver` of the design, by copy and origin index: an import serving
    /// another copy is no hint of the prefix a cross-account copy should name.
    delivers: Vec<(StreamId, usize, &'a str)>,
}

impl<'a> Context<'a> {
    /// `only`: the names the origins to check name, when they are a few: streams are indexed by
    /// name for these alone (one pass over the design without an entry per stream); `None`
    /// indexes every stream.
    pub(super) fn new(design: &'a Design, only: Option<&FastSet<&str>>) -> Self {
        let delivers = design
            .streams()
            .flat_map(|s| {
                s.origins()
                    .enumerate()
                    .filter_map(move |(i, o)| Some((s.id, i, o.deliver.as_deref().filter(|d| !d.is_empty())?)))
            })
            .collect();
        let names = match only {
            None => Names::new(design),
            Some(only) => {
                let mut names: FastMap<&str, Vec<&Stream>> = FastMap::default();
                for stream in design.streams().filter(|s| only.contains(s.config.name.as_str())) {
                    names.entry(stream.config.name.as_str()).or_default().push(stream);
                }
                Names(names)
            }
        };
        Self { names, reach: Reach::new(design), delivers }
    }
}

/// The rules of this group on the origins of one stream. They read the stream, the clusters,
/// the streams named like its origins and every `external.deliver`, nothing else
/// (`validate::incremental` relies on it). Pushes each origin resolved to a stream of the design
/// to `edges`, as (origin stream, origin index), for the cycle search.
pub(super) fn check_one(
    design: &Design,
    context: &Context,
    stream: &Stream,
    out: &mut Vec<Diagnostic>,
    edges: &mut Vec<(StreamId, usize)>,
) {
    let Context { names, reach, delivers } = context;
    for (index, source) in stream.origins().enumerate() {
        let origin = Origin { design, names, stream, source, index };
        let before = out.len();
        let settled = origin.external(out);
        match origin.resolve() {
            Some(o) => {
                origin.unreachable(o, reach, out);
                origin.retention(o, out);
                origin.max_msg_size(o, out);
                edges.push((o.id, index));
            }
            None => match origin.in_other_account() {
                Some(o) if out.len() == before => {
                    origin.cross_account(o, reach, delivers, out);
                    origin.retention(o, out);
                    origin.max_msg_size(o, out);
                    edges.push((o.id, index));
                }
                _ if !settled => origin.missing(out),
                _ => {}
            },
        }
    }
}

/// `replication-cycle` over the mirror and source links `edges` gives for each stream (the
/// design's streams in id order, each with what `check_one` pushed for it). Returns the streams
/// of every cycle found: the diagnostics read nothing else of them than the links (their names,
/// clusters and kinds of origin).
pub(super) fn cycles<'e>(
    design: &Design,
    edges: impl Iterator<Item = (StreamId, &'e [(StreamId, usize)])>,
    out: &mut Vec<Diagnostic>,
) -> Vec<StreamId> {
    let mut graph = Graph::new(design);
    for (stream, links) in edges {
        let Some(&from) = graph.position.get(&stream) else { continue };
        for &(origin, index) in links {
            graph.add(from, origin, index);
        }
    }
    replication_cycles(design, &graph, out)
}

/// A value for messages: quoted and escaped, cut short when long.
fn show(text: &str) -> String {
    const MAX: usize = 64;
    if text.chars().count() > MAX {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut:?}…")
    } else {
        format!("{text:?}")
    }
}

fn cluster_name(design: &Design, id: ClusterId) -> String {
    show(&design.cluster(id).map_or_else(|| id.to_string(), |c| c.name.clone()))
}

fn version_of(design: &Design, stream: &Stream) -> NatsVersion {
    design.cluster(stream.cluster).map_or(NatsVersion::V2_14, |c| c.version)
}

/// Streams by name, each list in id order.
struct Names<'a>(FastMap<&'a str, Vec<&'a Stream>>);

impl<'a> Names<'a> {
    fn new(design: &'a Design) -> Self {
        let mut names: FastMap<&str, Vec<&Stream>> =
            FastMap::with_capacity_and_hasher(design.stream_count(), Default::default());
        for stream in design.streams() {
            names.entry(stream.config.name.as_str()).or_default().push(stream);
        }
        Self(names)
    }

    fn named(&self, name: &str) -> impl Iterator<Item = &'a Stream> + Clone + '_ {
        self.0.get(name).into_iter().flatten().copied()
    }
}

/// Where an origin is looked for: a domain, or a cluster without one.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Place {
    Domain(String),
    Cluster(ClusterId),
}

impl Place {
    fn holds(&self, design: &Design, stream: &Stream) -> bool {
        match self {
            Place::Domain(d) => design.stream_domain(stream) == Some(d.as_str()),
            Place::Cluster(c) => stream.cluster == *c,
        }
    }

    fn describe(&self, design: &Design) -> String {
        match self {
            Place::Domain(d) => format!("domain {}", show(d)),
            Place::Cluster(c) => format!("cluster {}", cluster_name(design, *c)),
        }
    }
}

/// The user a remote presents to its target: `user`, or the one in its URL.
fn remote_user(remote: &LeafnodeRemote) -> Option<&str> {
    if let Some(user) = remote.user.as_deref() {
        return Some(user);
    }
    let rest = remote.url.split_once("://").map_or(remote.url.as_str(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    userinfo.split(':').next().filter(|u| !u.is_empty())
}

fn account_of_user<'a>(cluster: &'a Cluster, user: &str) -> Option<&'a str> {
    cluster.accounts.iter().find(|(_, a)| a.users.iter().any(|u| u.name == user)).map(|(name, _)| name.as_str())
}

/// Which (cluster, account) pairs leafnodes and gateways join, directly or through other
/// clusters.
struct Reach<'a> {
    component: FastMap<(ClusterId, &'a str), usize>,
}

impl<'a> Reach<'a> {
    fn new(design: &'a Design) -> Self {
        let mut ids: FastMap<(ClusterId, &'a str), usize> = FastMap::default();
        let mut parent: Vec<usize> = Vec::new();
        let mut node = |key: (ClusterId, &'a str), parent: &mut Vec<usize>| {
            *ids.entry(key).or_insert_with(|| {
                parent.push(parent.len());
                parent.len() - 1
            })
        };
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (id, cluster) in design.clusters() {
            for remote in &cluster.remotes {
                let Some((target_id, target)) = remote.target.and_then(|t| Some((t, design.cluster(t)?))) else {
                    continue;
                };
                let local = remote.local_account.as_deref().unwrap_or("$G");
                let far = remote_user(remote).and_then(|u| account_of_user(target, u)).unwrap_or(local);
                let a = node((id, local), &mut parent);
                let b = node((target_id, far), &mut parent);
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
            // Gateways carry every account by its name to the clusters they join.
            let peers = cluster.gateway.iter().flat_map(|g| &g.peers).filter_map(|p| p.target);
            for target in peers.filter(|t| *t != id && design.cluster(*t).is_some()) {
                for account in cluster.accounts.keys().map(String::as_str).chain(["$G"]) {
                    let a = node((id, account), &mut parent);
                    let b = node((target, account), &mut parent);
                    let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                    parent[ra] = rb;
                }
            }
        }
        let component = ids.into_iter().map(|(key, i)| (key, root(&mut parent, i))).collect();
        Self { component }
    }

    fn joined(&self, a: (ClusterId, &str), b: (ClusterId, &str)) -> bool {
        a == b || matches!((self.component.get(&a), self.component.get(&b)), (Some(x), Some(y)) if x == y)
    }
}

/// Origin `index` of a configuration (0 is the mirror when there is one), to edit.
fn origin_mut(config: &mut crate::model::StreamConfig, index: usize) -> Option<&mut StreamSource> {
    config.mirror.iter_mut().chain(config.sources.iter_mut()).nth(index)
}

/// One mirror or source of a stream, with what the rules need to judge it.
struct Origin<'a, 'n> {
    design: &'a Design,
    names: &'n Names<'a>,
    stream: &'a Stream,
    source: &'a StreamSource,
    index: usize,
}

impl<'a> Origin<'a, '_> {
    fn target(&self) -> Target {
        Target::Origin { stream: self.stream.id, index: self.index }
    }

    fn is_mirror(&self) -> bool {
        self.index == 0 && self.stream.config.mirror.is_some()
    }

    /// The field naming this origin in the stream's configuration.
    fn field(&self) -> &'static str {
        if self.is_mirror() {
            "mirror"
        } else {
            "sources"
        }
    }

    /// `the source "tickets-1" of stream "sales"`.
    fn describe(&self) -> String {
        let kind = if self.is_mirror() { "mirror" } else { "source" };
        format!("the {kind} {} of stream {}", show(&self.source.name), show(&self.stream.config.name))
    }

    fn own_domain(&self) -> Option<&'a str> {
        self.design.stream_domain(self.stream)
    }

    /// Where the origin is looked for, as `Design::resolve_origin` does; `None` behind a prefix
    /// that names no domain.
    fn place(&self) -> Option<Place> {
        let design = self.design;
        match design.effective_api(self.stream, self.source) {
            Some(api) => Some(Place::Domain(Design::api_domain(&api)?.to_owned())),
            None => match self.source.origin_cluster {
                Some(c) => Some(match design.cluster(c)?.domain() {
                    Some(d) => Place::Domain(d.to_owned()),
                    None => Place::Cluster(c),
                }),
                None => Some(match self.own_domain() {
                    Some(d) => Place::Domain(d.to_owned()),
                    None => Place::Cluster(self.stream.cluster),
                }),
            },
        }
    }

    /// The origin stream, exactly as `Design::resolve_origin` finds it, through the name index.
    fn resolve(&self) -> Option<&'a Stream> {
        let place = self.place()?;
        let (design, stream) = (self.design, self.stream);
        self.names
            .named(&self.source.name)
            .find(|s| s.id != stream.id && s.account == stream.account && place.holds(design, s))
    }

    /// What removing the override derives, for fix labels.
    fn derived_api(&self) -> Option<String> {
        let origin = self.design.cluster(self.source.origin_cluster?)?.domain()?;
        (Some(origin) != self.own_domain()).then(|| format!("$JS.{origin}.API"))
    }

    fn api_fix(&self, api: Option<String>) -> (String, Command) {
        let label = match (&api, self.derived_api()) {
            (Some(api), _) => format!("set external.api to {api}"),
            (None, Some(derived)) => format!("remove the external.api override (the link derives {derived})"),
            (None, None) => "remove the external.api override (no prefix is needed within one domain)".to_owned(),
        };
        (label, Command::SetOriginApi { stream: self.stream.id, index: self.index, api })
    }

    /// The checks of a written `external` block. Returns whether the origin's whereabouts are
    /// already reported or cannot be judged, so that `origin-stream-missing` stays quiet.
    fn external(&self, out: &mut Vec<Diagnostic>) -> bool {
        if let Some(deliver) = self.source.deliver.as_deref().filter(|d| !d.is_empty()) {
            if !subject::is_literal(deliver) {
                let message = format!(
                    "external.deliver {} of {} is not a literal subject (no wildcards, no empty tokens, no \
                     whitespace): use a plain prefix such as \"deliver.{}\", or leave it empty",
                    show(deliver),
                    self.describe(),
                    self.stream.config.name.replace(|c: char| !c.is_alphanumeric() && c != '-' && c != '_', "-")
                );
                out.push(Diagnostic::new(Rule::ExternalApiMalformed, self.target(), message).field("external.deliver"));
            }
        }
        let Some(api) = self.source.api.as_deref() else {
            return false;
        };
        let problem = if api.is_empty() {
            Some("is empty".to_owned())
        } else if !subject::is_literal(api) {
            Some("is not a literal subject (no wildcards, no empty tokens, no whitespace)".to_owned())
        } else if subject::collide(api, LOCAL_API) {
            Some(format!("collides with {LOCAL_API}, the local JetStream API"))
        } else {
            None
        };
        if let Some(problem) = problem {
            let message = format!(
                "external.api {} of {} {problem}: use $JS.<domain>.API of the origin's domain, or remove it \
                 when the origin is in the same domain",
                show(api),
                self.describe()
            );
            let diagnostic = Diagnostic::new(Rule::ExternalApiMalformed, self.target(), message).field("external.api");
            let (label, command) = self.api_fix(None);
            out.push(if self.source.origin_cluster.is_some() { diagnostic.fix(label, command) } else { diagnostic });
            return true;
        }
        let Some(domain) = Design::api_domain(api) else {
            return true;
        };
        if !self.design.clusters().any(|(_, c)| c.domain() == Some(domain)) {
            self.unknown_domain(api, domain, out);
            return true;
        }
        if let Some(c) = self.source.origin_cluster {
            if let Some(cluster) = self.design.cluster(c) {
                if cluster.domain() != Some(domain) {
                    let has = cluster
                        .domain()
                        .map_or_else(|| "has no domain".to_owned(), |d| format!("has domain {}", show(d)));
                    let message = format!(
                        "external.api {} of {} names domain {}, but the link points at cluster {}, which {has}: \
                         the API requests would reach the wrong JetStream; use the origin's domain",
                        show(api),
                        self.describe(),
                        show(domain),
                        show(&cluster.name)
                    );
                    let (label, command) = self.api_fix(None);
                    let d = Diagnostic::new(Rule::ExternalApiMismatch, self.target(), message).field("external.api");
                    out.push(d.fix(label, command));
                    return true;
                }
            }
        }
        if Some(domain) == self.own_domain() {
            let message = format!(
                "external.api {} of {} names the stream's own domain {}: within one domain no external block \
                 is needed; leave it out",
                show(api),
                self.describe(),
                show(domain)
            );
            let (label, command) = self.api_fix(None);
            let d = Diagnostic::new(Rule::ExternalSameDomain, self.target(), message).field("external.api");
            out.push(d.fix(label, command));
            return false;
        }
        if self.source.origin_cluster.is_none() && self.resolve().is_none() {
            return self.mismatch_by_name(api, domain, out);
        }
        false
    }

    /// Without a link, the origin's domain is guessed from where a stream of that name lives.
    fn mismatch_by_name(&self, api: &str, domain: &str, out: &mut Vec<Diagnostic>) -> bool {
        let (design, stream) = (self.design, self.stream);
        let domains: BTreeSet<&str> = self
            .names
            .named(&self.source.name)
            .filter(|s| s.id != stream.id && s.account == stream.account)
            .filter_map(|s| design.stream_domain(s))
            .collect_set();
        let mut domains = domains.into_iter();
        let (Some(found), None) = (domains.next(), domains.next()) else {
            return false;
        };
        let message = format!(
            "external.api {} of {} names domain {}, which has no stream {}; the only one in account {} is in \
             domain {}: point external.api there",
            show(api),
            self.describe(),
            show(domain),
            show(&self.source.name),
            show(&stream.account),
            show(found)
        );
        let api = (Some(found) != self.own_domain()).then(|| format!("$JS.{found}.API"));
        let (label, command) = self.api_fix(api);
        out.push(
            Diagnostic::new(Rule::ExternalApiMismatch, self.target(), message)
                .field("external.api")
                .fix(label, command),
        );
        true
    }

    fn unknown_domain(&self, api: &str, domain: &str, out: &mut Vec<Diagnostic>) {
        let design = self.design;
        let with_domain = |id: ClusterId| design.cluster(id).filter(|c| c.domain().is_some()).map(|c| (id, c));
        let named = design.clusters().find(|(_, c)| c.name == domain && c.domain().is_some());
        let linked = self.source.origin_cluster.and_then(with_domain);
        let holding = || {
            let clusters: BTreeSet<ClusterId> = self
                .names
                .named(&self.source.name)
                .filter(|s| s.id != self.stream.id && s.account == self.stream.account)
                .map(|s| s.cluster)
                .collect_set();
            let mut clusters = clusters.into_iter();
            match (clusters.next(), clusters.next()) {
                (Some(only), None) => with_domain(only),
                _ => None,
            }
        };
        let guess = named.or(linked).or_else(holding);
        let mut message = format!(
            "external.api {} of {} names JetStream domain {}, but no cluster has that domain",
            show(api),
            self.describe(),
            show(domain)
        );
        let Some((id, cluster)) = guess else {
            let mut domains: Vec<&str> = design.clusters().filter_map(|(_, c)| c.domain()).collect();
            domains.sort_all();
            domains.dedup();
            let list: Vec<String> = domains.iter().take(10).map(|d| show(d)).collect();
            message.push_str(&format!(": use $JS.<domain>.API with one of the domains {}", list.join(", ")));
            out.push(Diagnostic::new(Rule::ExternalApiUnknownDomain, self.target(), message).field("external.api"));
            return;
        };
        let guessed = cluster.domain().unwrap_or_default();
        let prefix = format!("$JS.{guessed}.API");
        message.push_str(&format!(
            "; cluster {} has domain {}, so it probably means {}",
            show(&cluster.name),
            show(guessed),
            show(&prefix)
        ));
        let api = if Some(guessed) == self.own_domain() || self.source.origin_cluster == Some(id) {
            None
        } else {
            Some(prefix)
        };
        let (label, command) = self.api_fix(api);
        let d = Diagnostic::new(Rule::ExternalApiUnknownDomain, self.target(), message).field("external.api");
        out.push(d.fix(label, command));
    }

    /// The origin, when it lives in another account than the copy: found as the designer's links
    /// find it ([`crate::model::account_links::origin_in_other_account`]), so the rule and the
    /// drawn link never disagree.
    fn in_other_account(&self) -> Option<&'a Stream> {
        crate::model::account_links::origin_in_other_account(
            self.design,
            self.stream,
            self.source,
            self.names.named(&self.source.name),
        )
    }

    /// A copy of a stream of another account: its requests land in some account of the
    /// origin's cluster (the copy's own there, or the one its leafnode binds), which must import
    /// the origin account's consumer creation, deliveries and flow control.
    fn cross_account(
        &self,
        origin: &'a Stream,
        reach: &Reach,
        delivers: &[(StreamId, usize, &'a str)],
        out: &mut Vec<Diagnostic>,
    ) {
        let (design, stream) = (self.design, self.stream);
        let Some(cluster) = design.cluster(origin.cluster) else {
            return;
        };
        let from = (stream.cluster, stream.account.as_str());
        let joined = |account: &str| reach.joined(from, (origin.cluster, account));
        if joined(&origin.account) {
            // The leafnode binds the origin's own account: nothing to import.
            return;
        }
        let landing = if joined(&stream.account) {
            Some(stream.account.as_str())
        } else {
            cluster.accounts.keys().map(String::as_str).find(|a| joined(a))
        };
        let Some(landing) = landing else {
            let message = format!(
                "{} copies stream {} of account {} in cluster {}, and no leafnode path carries account {} from \
                 cluster {} to it: add a leafnode remote (directly or through a hub) that binds account {} to an \
                 account of cluster {}, which then imports what account {} exports",
                self.describe(),
                show(&origin.config.name),
                show(&origin.account),
                cluster_name(design, origin.cluster),
                show(&stream.account),
                cluster_name(design, stream.cluster),
                show(&stream.account),
                cluster_name(design, origin.cluster),
                show(&origin.account)
            );
            out.push(Diagnostic::new(Rule::OriginUnreachable, self.target(), message).field(self.field()));
            return;
        };
        let api = design.effective_api(stream, self.source);
        let other_delivers = delivers
            .iter()
            .filter(|(id, index, _)| (*id, *index) != (stream.id, self.index))
            .map(|(.., d)| *d)
            .collect();
        let link = accounts::CrossLink {
            cluster: origin.cluster,
            accounts: &cluster.accounts,
            origin_account: &origin.account,
            landing,
            origin: &origin.config.name,
            api: api.as_deref(),
            deliver: self.source.deliver.as_deref().filter(|d| !d.is_empty()),
            filtered: self.source.filter_subject.as_deref().is_some_and(|f| !f.is_empty())
                || !self.source.subject_transforms.is_empty(),
            other_delivers,
        };
        let wiring = link.wiring();
        let head = format!(
            "{} copies stream {} of account {} in cluster {}; its requests and deliveries travel in account {} \
             there",
            self.describe(),
            show(&origin.config.name),
            show(&origin.account),
            cluster_name(design, origin.cluster),
            show(landing)
        );
        // Prefix mismatches: the account imports the piece under another prefix than the copy names.
        let mut config = stream.config.clone();
        // Whether a mismatch's fix already edits the copy's `external` block.
        let mut mismatched = false;
        if let Err(Some(prefix)) = &wiring.api {
            let message = format!(
                "{head}, which imports the JetStream API of {} under {}, but external.api is {}: the consumer \
                 is never created and nothing arrives",
                show(&origin.account),
                show(prefix),
                api.as_deref().map_or_else(|| "not set".to_owned(), show)
            );
            let (label, command) = self.api_fix(Some(prefix.clone()));
            out.push(
                Diagnostic::new(Rule::CrossAccountPrefixMismatch, self.target(), message)
                    .field("external.api")
                    .fix(label, command),
            );
            mismatched = true;
        }
        if let Err(Some(prefix)) = &wiring.deliver {
            let message = format!(
                "{head}, which imports the deliveries of {} on {}.>, but external.deliver is {}: the messages \
                 are delivered where the copy does not listen",
                show(&origin.account),
                show(prefix),
                link.deliver.map_or_else(|| "not set".to_owned(), show)
            );
            if let Some(source) = origin_mut(&mut config, self.index) {
                source.deliver = Some(prefix.clone());
            }
            let command = Command::SetStreamConfig { stream: stream.id, config: Box::new(config.clone()) };
            out.push(
                Diagnostic::new(Rule::CrossAccountPrefixMismatch, self.target(), message)
                    .field("external.deliver")
                    .fix(format!("set external.deliver to {prefix}"), command),
            );
            mismatched = true;
        }
        let mut missing = Vec::new();
        if wiring.api == Err(None) {
            missing.push(accounts::Piece::Api);
        }
        if wiring.deliver == Err(None) {
            missing.push(accounts::Piece::Deliver);
        }
        if !wiring.flow_control {
            missing.push(accounts::Piece::FlowControl);
        }
        if missing.is_empty() {
            return;
        }
        let api_prefix = match &wiring.api {
            Err(Some(prefix)) => prefix.clone(),
            _ => link.chosen_api(),
        };
        let deliver = match &wiring.deliver {
            Err(Some(prefix)) => prefix.clone(),
            _ => link.chosen_deliver(&stream.account, &stream.config.name),
        };
        let origin_name = &origin.config.name;
        let pieces: Vec<String> = missing
            .iter()
            .map(|piece| match piece {
                accounts::Piece::Api => format!(
                    "the API (account {} exporting the service $JS.API.CONSUMER.CREATE.{origin_name} and account {} \
                     importing it under the prefix {api_prefix}, which external.api names)",
                    show(&origin.account),
                    show(landing)
                ),
                accounts::Piece::Deliver => format!(
                    "the deliveries (account {} exporting the stream {deliver}.> and account {} importing it, \
                     {deliver} being external.deliver)",
                    show(&origin.account),
                    show(landing)
                ),
                accounts::Piece::FlowControl => format!(
                    "flow control (account {} exporting the service {} and account {} importing it)",
                    show(&origin.account),
                    accounts::FLOW_CONTROL,
                    show(landing)
                ),
            })
            .collect();
        let only_flow_control = missing == [accounts::Piece::FlowControl];
        let consequence = if only_flow_control {
            "a few messages still arrive, then the copy stalls on flow control for good (measured on 2.9.10 and \
             2.15.1: about 1,900 of 20,000 messages of 1 KB; 2.15 reports error 10228, 2.9 nothing)"
        } else {
            "nothing is delivered and the copy reports no error"
        };
        let message = format!("{head}, which lacks {}: {consequence}", pieces.join(", "));
        let mut commands = link.complete(&api_prefix, &deliver).unwrap_or_default();
        let mut copy_config = stream.config.clone();
        if let Some(source) = origin_mut(&mut copy_config, self.index) {
            if missing.contains(&accounts::Piece::Api) && api.as_deref() != Some(api_prefix.as_str()) {
                source.api = Some(api_prefix.clone());
            }
            if missing.contains(&accounts::Piece::Deliver) && link.deliver != Some(deliver.as_str()) {
                source.deliver = Some(deliver.clone());
            }
        }
        let wirable = cluster.accounts.contains_key(landing) && cluster.accounts.contains_key(&origin.account);
        if copy_config != stream.config && !mismatched && wirable {
            commands.push(Command::SetStreamConfig { stream: stream.id, config: Box::new(copy_config) });
        }
        let names: Vec<&str> = missing
            .iter()
            .map(|p| match p {
                accounts::Piece::Api => "API",
                accounts::Piece::Deliver => "deliveries",
                accounts::Piece::FlowControl => "flow control",
            })
            .collect();
        let label = format!(
            "Wire accounts: {} from {} to {} in cluster {}",
            names.join(", "),
            show(&origin.account),
            show(landing),
            cluster_name(design, origin.cluster)
        );
        let field = if missing.contains(&accounts::Piece::Api) { "external.api" } else { "external.deliver" };
        let mut diagnostic = Diagnostic::new(Rule::CrossAccountExportsMissing, self.target(), message).field(field);
        if only_flow_control {
            diagnostic = diagnostic.severity(Severity::Warning);
        }
        if !commands.is_empty() {
            diagnostic = diagnostic.fix(label, Command::Batch(commands));
        }
        out.push(diagnostic);
    }

    fn missing(&self, out: &mut Vec<Diagnostic>) {
        let Some(place) = self.place() else {
            return;
        };
        let (design, stream) = (self.design, self.stream);
        let elsewhere = self.names.named(&self.source.name).filter(|s| s.id != stream.id);
        let mut message = format!(
            "{} names no stream of account {} in {}: create it there, or correct the name",
            self.describe(),
            show(&stream.account),
            place.describe(design)
        );
        if let Some(other) = elsewhere.clone().find(|s| s.account == stream.account) {
            let at = design.stream_domain(other).map_or_else(String::new, |d| format!(" (domain {})", show(d)));
            message.push_str(&format!(
                "; a stream of that name lives in cluster {}{at}: point the {} there",
                cluster_name(design, other.cluster),
                if self.is_mirror() { "mirror" } else { "source" }
            ));
        }
        out.push(Diagnostic::new(Rule::OriginStreamMissing, self.target(), message).field("name"));
    }

    fn unreachable(&self, origin: &Stream, reach: &Reach, out: &mut Vec<Diagnostic>) {
        let stream = self.stream;
        if origin.cluster == stream.cluster {
            return;
        }
        let from = (stream.cluster, stream.account.as_str());
        let reached = reach.joined(from, (origin.cluster, origin.account.as_str()))
            || reach.joined(from, (origin.cluster, stream.account.as_str()));
        if reached {
            return;
        }
        let message = format!(
            "{} lives in cluster {}, and no leafnode path carries account {} from cluster {} to it: add a \
             leafnode remote (directly or through a hub) that binds account {} on both sides",
            self.describe(),
            cluster_name(self.design, origin.cluster),
            show(&stream.account),
            cluster_name(self.design, stream.cluster),
            show(&stream.account)
        );
        out.push(Diagnostic::new(Rule::OriginUnreachable, self.target(), message).field(self.field()));
    }

    fn retention(&self, origin: &Stream, out: &mut Vec<Diagnostic>) {
        if origin.config.retention == Retention::Limits {
            return;
        }
        let (copy_version, origin_version) = (version_of(self.design, self.stream), version_of(self.design, origin));
        let oldest = copy_version.min(origin_version);
        if oldest >= NatsVersion::V2_14 {
            return;
        }
        let message = format!(
            "{} copies stream {} (cluster {}), which uses {} retention: mirrors and sources of interest or \
             workqueue streams are not supported before server 2.14 (messages get lost or stuck) and this link \
             runs on {oldest}; use limits retention on the origin, or upgrade both clusters to 2.14",
            self.describe(),
            show(&origin.config.name),
            cluster_name(self.design, origin.cluster),
            origin.config.retention.as_str()
        );
        let label = format!("set the retention of stream {} to limits", show(&origin.config.name));
        let command = Command::SetStreamRetention { stream: origin.id, retention: Retention::Limits };
        let d = Diagnostic::new(Rule::OriginRetentionNotLimits, self.target(), message).field("retention");
        out.push(d.fix(label, command));
    }

    fn max_msg_size(&self, origin: &Stream, out: &mut Vec<Diagnostic>) {
        let copy = self.stream.config.max_msg_size;
        let theirs = origin.config.max_msg_size;
        if copy <= 0 || (theirs > 0 && copy >= theirs) {
            return;
        }
        let accepts = if theirs > 0 { format!("up to {theirs} bytes") } else { "any size".to_owned() };
        let message = format!(
            "stream {} accepts messages up to {copy} bytes, but its origin {} accepts {accepts}: larger \
             messages cannot be copied and stall the {}; raise max_msg_size to match the origin",
            show(&self.stream.config.name),
            show(&origin.config.name),
            if self.is_mirror() { "mirror" } else { "source" }
        );
        let size = if theirs > 0 { theirs } else { -1 };
        let mut config = self.stream.config.clone();
        config.max_msg_size = size;
        let label =
            if size > 0 { format!("set max_msg_size to {size}") } else { "remove the max_msg_size limit".to_owned() };
        let command = Command::SetStreamConfig { stream: self.stream.id, config: Box::new(config) };
        let d = Diagnostic::new(Rule::MirrorMaxMsgSize, self.target(), message).field("max_msg_size");
        out.push(d.fix(label, command));
    }
}

/// Mirror and source links between the design's streams, by position in id order: dense
/// vectors instead of maps keyed by id, so that the cycle search costs no lookups.
struct Graph {
    ids: Vec<StreamId>,
    position: FastMap<StreamId, usize>,
    /// Per stream, its resolved origins as (origin position, origin index in the stream).
    successors: Vec<Vec<(usize, usize)>>,
}

impl Graph {
    fn new(design: &Design) -> Self {
        let ids: Vec<StreamId> = design.streams().map(|s| s.id).collect();
        let position = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        Self { successors: vec![Vec::new(); ids.len()], ids, position }
    }

    /// Records that the stream at position `from` (in `design.streams()` order, as `new` lists
    /// them) copies `origin` through its mirror or source number `index`.
    fn add(&mut self, from: usize, origin: StreamId, index: usize) {
        if let (Some(&to), Some(successors)) = (self.position.get(&origin), self.successors.get_mut(from)) {
            successors.push((to, index));
        }
    }

    /// Strongly connected groups of streams, as positions (Tarjan's algorithm, iterative so that
    /// long chains of sources cannot exhaust the stack), in the order they complete.
    fn strongly_connected(&self) -> Vec<Vec<usize>> {
        const UNSEEN: usize = usize::MAX;
        let n = self.successors.len();
        let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
        let mut visited = 0;
        let mut stack: Vec<usize> = Vec::new();
        let mut groups = Vec::new();
        for start in 0..n {
            if index[start] != UNSEEN || self.successors[start].is_empty() {
                continue;
            }
            let mut calls: Vec<(usize, usize)> = vec![(start, 0)];
            (index[start], low[start], on_stack[start]) = (visited, visited, true);
            visited += 1;
            stack.push(start);
            while let Some(&(v, next)) = calls.last() {
                if let Some(&(w, _)) = self.successors[v].get(next) {
                    if let Some(call) = calls.last_mut() {
                        call.1 += 1;
                    }
                    if index[w] == UNSEEN {
                        (index[w], low[w], on_stack[w]) = (visited, visited, true);
                        visited += 1;
                        stack.push(w);
                        calls.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut group = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        group.push(w);
                        if w == v {
                            break;
                        }
                    }
                    groups.push(group);
                }
            }
        }
        groups
    }

    /// The shortest walk from `start` back to it inside `members`, as (position reached, origin
    /// index used) steps.
    fn shortest_cycle(&self, members: &[bool], start: usize) -> Option<Vec<(usize, usize)>> {
        // Sized by the group, not the design: a design with many small cycles stays linear.
        let mut came_from: FastMap<usize, (usize, usize)> = FastMap::default();
        let mut queue = VecDeque::from([start]);
        let mut last = None;
        'search: while let Some(v) = queue.pop_front() {
            for &(w, index) in &self.successors[v] {
                if w == start {
                    last = Some((v, index));
                    break 'search;
                }
                if members[w] && !came_from.contains_key(&w) {
                    came_from.insert(w, (v, index));
                    queue.push_back(w);
                }
            }
        }
        let (mut v, index) = last?;
        let mut steps = vec![(start, index)];
        while v != start {
            let &(prev, index) = came_from.get(&v)?;
            steps.push((v, index));
            v = prev;
        }
        steps.reverse();
        Some(steps)
    }
}

/// Returns the streams of the groups it judged.
fn replication_cycles(design: &Design, graph: &Graph, out: &mut Vec<Diagnostic>) -> Vec<StreamId> {
    let mut members = vec![false; graph.ids.len()];
    let mut judged = Vec::new();
    for group in graph.strongly_connected() {
        if group.len() < 2 {
            continue;
        }
        // Positions follow id order: the group's first stream is its lowest position.
        let Some(&start) = group.iter().min() else {
            continue;
        };
        group.iter().for_each(|&m| members[m] = true);
        let cycle = graph.shortest_cycle(&members, start);
        group.iter().for_each(|&m| members[m] = false);
        judged.extend(group.iter().map(|&m| graph.ids[m]));
        let Some(cycle) = cycle else {
            continue;
        };
        let Some(&(_, first_index)) = cycle.first() else {
            continue;
        };
        let id = |position: usize| graph.ids[position];
        let name = |position: usize| {
            let id = id(position);
            design.stream(id).map_or_else(
                || id.to_string(),
                |s| format!("{} (cluster {})", show(&s.config.name), cluster_name(design, s.cluster)),
            )
        };
        let is_mirror = |position: usize, index: usize| {
            index == 0 && design.stream(id(position)).is_some_and(|s| s.config.mirror.is_some())
        };
        let mut text = name(start);
        let mut from = start;
        for (step, &(to, index)) in cycle.iter().enumerate() {
            let verb = if is_mirror(from, index) { "mirrors" } else { "sources" };
            let which = if step == 0 { "" } else { "which " };
            text.push_str(&format!(", {which}{verb} {}", name(to)));
            from = to;
        }
        let message = format!(
            "mirrors and sources form a cycle: {text}; every message would circle between the streams (no \
             server checks this across domains): remove one of these mirrors or sources"
        );
        let field = if is_mirror(start, first_index) { "mirror" } else { "sources" };
        let target = Target::Origin { stream: id(start), index: first_index };
        out.push(Diagnostic::new(Rule::ReplicationCycle, target, message).field(field));
    }
    judged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::validate::Severity;

    /// The diagnostics of this group, as (rule, stream name, origin index) triples, sorted.
    fn check_design(design: &Design) -> Vec<(Rule, String, usize)> {
        let mut found: Vec<_> = diagnostics(design)
            .iter()
            .map(|d| match d.target {
                Target::Origin { stream, index } => {
                    let name = design.stream(stream).map_or_else(String::new, |s| s.config.name.clone());
                    (d.rule, name, index)
                }
                _ => (d.rule, String::new(), usize::MAX),
            })
            .collect();
        found.sort();
        found
    }

    fn diagnostics(design: &Design) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check(design, &mut out);
        out
    }

    fn stream_id(design: &Design, name: &str) -> StreamId {
        design.streams().find(|s| s.config.name == name).map(|s| s.id).expect("the example has this stream")
    }

    fn cluster_id(design: &Design, name: &str) -> ClusterId {
        design.clusters().find(|(_, c)| c.name == name).map(|(id, _)| id).expect("the example has this cluster")
    }

    fn edit(design: &mut Design, name: &str, change: impl FnOnce(&mut Stream)) {
        let id = stream_id(design, name);
        if let Some(s) = design.stream_mut(id) {
            change(s);
        }
    }

    fn one(rule: Rule, stream: &str, index: usize) -> Vec<(Rule, String, usize)> {
        vec![(rule, stream.to_owned(), index)]
    }

    #[test]
    fn the_corrected_guide_raises_nothing_from_these_rules() {
        assert_eq!(check_design(&guide_corrected()), []);
    }

    #[test]
    fn the_guides_spoke_names_as_domains_are_unknown_domains_with_a_fix() {
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| {
            s.config.sources[0].api = Some("$JS.spoke-1.API".into());
            s.config.sources[1].api = Some("$JS.spoke-2.API".into());
        });
        let out = diagnostics(&d);
        assert_eq!(out.len(), 2, "{out:?}");
        let first = &out[0];
        assert_eq!(first.rule, Rule::ExternalApiUnknownDomain);
        assert_eq!(first.target, Target::Origin { stream: stream_id(&d, "sales"), index: 0 });
        assert_eq!(first.field, Some("external.api"));
        assert!(first.message.contains("\"spoke-1\"") && first.message.contains("\"cinema-a\""), "{}", first.message);
        // The link already points at spoke-1, so dropping the override derives the right prefix.
        let fix = first.fix.clone().expect("a fix");
        assert_eq!(fix.command, Command::SetOriginApi { stream: stream_id(&d, "sales"), index: 0, api: None });
        assert!(fix.label.contains("$JS.cinema-a.API"), "{}", fix.label);

        let mut fixed = d.clone();
        for diagnostic in out {
            if let Some(fix) = diagnostic.fix {
                fix.command.apply(&mut fixed).expect("the fix applies");
            }
        }
        assert_eq!(check_design(&fixed), []);
    }

    #[test]
    fn an_imported_guide_without_links_gets_the_prefix_written_out() {
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| {
            s.config.sources[0].api = Some("$JS.spoke-1.API".into());
            s.config.sources[0].origin_cluster = None;
        });
        let out = diagnostics(&d);
        assert_eq!(out.len(), 1, "{out:?}");
        let fix = out[0].fix.clone().map(|f| f.command);
        let sales = stream_id(&d, "sales");
        assert_eq!(fix, Some(Command::SetOriginApi { stream: sales, index: 0, api: Some("$JS.cinema-a.API".into()) }));
    }

    #[test]
    fn a_prefix_of_a_known_domain_is_not_unknown() {
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| s.config.sources[0].api = Some("$JS.cinema-a.API".into()));
        assert_eq!(check_design(&d), []);
    }

    #[test]
    fn an_unknown_domain_without_a_likely_cluster_lists_the_domains() {
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| {
            s.config.sources[0].api = Some("$JS.nowhere.API".into());
            s.config.sources[0].origin_cluster = None;
            s.config.sources[0].name = "unknown".into();
        });
        let out = diagnostics(&d);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].rule, Rule::ExternalApiUnknownDomain);
        assert!(out[0].fix.is_none());
        assert!(out[0].message.contains("\"cinema-b\""), "{}", out[0].message);
    }

    #[test]
    fn a_prefix_naming_another_domain_than_the_link_is_a_mismatch() {
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| s.config.sources[0].api = Some("$JS.cinema-b.API".into()));
        assert_eq!(check_design(&d), one(Rule::ExternalApiMismatch, "sales", 0));
        let fix = diagnostics(&d)[0].fix.clone().map(|f| f.command);
        assert_eq!(fix, Some(Command::SetOriginApi { stream: stream_id(&d, "sales"), index: 0, api: None }));
    }

    #[test]
    fn without_a_link_a_mismatch_is_found_by_the_origins_name() {
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| {
            s.config.sources[0].api = Some("$JS.cinema-b.API".into());
            s.config.sources[0].origin_cluster = None;
        });
        assert_eq!(check_design(&d), one(Rule::ExternalApiMismatch, "sales", 0));
        let fix = diagnostics(&d)[0].fix.clone().map(|f| f.command);
        let sales = stream_id(&d, "sales");
        assert_eq!(fix, Some(Command::SetOriginApi { stream: sales, index: 0, api: Some("$JS.cinema-a.API".into()) }));
    }

    #[test]
    fn malformed_prefixes_are_refused() {
        for bad in ["", "$JS.*.API", "$JS..API", "$JS.API", "$JS.>", "a b"] {
            let mut d = guide_corrected();
            edit(&mut d, "sales", |s| s.config.sources[0].api = Some(bad.into()));
            assert_eq!(check_design(&d), one(Rule::ExternalApiMalformed, "sales", 0), "{bad:?}");
        }
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| s.config.sources[0].deliver = Some("deliver.*".into()));
        assert_eq!(check_design(&d), one(Rule::ExternalApiMalformed, "sales", 0));
        let field = diagnostics(&d)[0].field;
        assert_eq!(field, Some("external.deliver"));
    }

    #[test]
    fn a_custom_literal_prefix_or_an_empty_deliver_is_accepted_unjudged() {
        let mut d = guide_corrected();
        edit(&mut d, "sales", |s| {
            s.config.sources[0].api = Some("JS.ACC.API".into());
            s.config.sources[0].deliver = Some(String::new());
        });
        assert_eq!(check_design(&d), []);
    }

    #[test]
    fn a_prefix_of_the_streams_own_domain_is_a_warning() {
        let mut d = guide_corrected();
        let hub = cluster_id(&d, "headquarter");
        let mut copy = crate::model::stream::StreamConfig::new("copy");
        copy.sources = vec![StreamSource {
            name: "cinema-a".into(),
            origin_cluster: Some(hub),
            api: Some("$JS.hub.API".into()),
            ..StreamSource::default()
        }];
        d.add_stream(hub, "ACC", copy);
        let out = diagnostics(&d);
        assert_eq!(check_design(&d), one(Rule::ExternalSameDomain, "copy", 0));
        assert_eq!(out[0].severity, Severity::Warning);
        let fix = out[0].fix.clone().map(|f| f.command);
        assert_eq!(fix, Some(Command::SetOriginApi { stream: stream_id(&d, "copy"), index: 0, api: None }));
    }

    #[test]
    fn an_origin_that_does_not_exist_is_missing() {
        let mut d = guide_corrected();
        edit(&mut d, "cinema-a-mirror", |s| {
            if let Some(m) = &mut s.config.mirror {
                m.name = "cinema-x".into();
            }
        });
        assert_eq!(check_design(&d), one(Rule::OriginStreamMissing, "cinema-a-mirror", 0));
    }

    #[test]
    fn an_origin_linked_to_the_wrong_cluster_is_missing_and_says_where_it_is() {
        let mut d = guide_corrected();
        let spoke_2 = cluster_id(&d, "spoke-2");
        edit(&mut d, "sales", |s| s.config.sources[0].origin_cluster = Some(spoke_2));
        let out = diagnostics(&d);
        assert_eq!(check_design(&d), one(Rule::OriginStreamMissing, "sales", 0));
        assert!(out[0].message.contains("\"spoke-1\""), "{}", out[0].message);
    }

    #[test]
    fn an_origin_without_a_leafnode_path_for_its_account_is_unreachable() {
        let mut d = guide_corrected();
        let spoke_1 = cluster_id(&d, "spoke-1");
        if let Some(c) = d.cluster_mut(spoke_1) {
            c.remotes.retain(|r| r.local_account.as_deref() != Some("ACC"));
        }
        assert_eq!(
            check_design(&d),
            [
                (Rule::OriginUnreachable, "cinema-a-mirror".to_owned(), 0),
                (Rule::OriginUnreachable, "sales".to_owned(), 0)
            ]
        );
    }

    #[test]
    fn a_mirror_across_a_gateway_reaches_its_origin_and_without_the_gateway_does_not() {
        let mut d = crate::model::templates::two_regions_and_a_site();
        let (east, west) = (cluster_id(&d, "east"), cluster_id(&d, "west"));
        let mut copy = crate::model::StreamConfig::new("orders-east-copy");
        copy.mirror = Some(StreamSource { name: "orders-east".into(), ..StreamSource::default() });
        d.add_stream(west, "APP", copy);
        assert_eq!(check_design(&d), []);
        let leave = crate::model::gateway::leave_gateways(&d, east, west).expect("joined");
        leave.apply(&mut d).expect("both exist");
        let rules: Vec<Rule> = check_design(&d).into_iter().map(|(rule, _, _)| rule).collect();
        assert!(rules.contains(&Rule::OriginUnreachable), "{rules:?}");
    }

    #[test]
    fn a_remote_whose_user_belongs_to_another_account_does_not_carry_the_stream() {
        let mut d = guide_corrected();
        let spoke_1 = cluster_id(&d, "spoke-1");
        if let Some(c) = d.cluster_mut(spoke_1) {
            for r in c.remotes.iter_mut().filter(|r| r.local_account.as_deref() == Some("ACC")) {
                r.user = None;
                r.url = "nats://sys:pw@headquarter.nats.public.address.com:30742".into();
            }
        }
        let rules: Vec<Rule> = diagnostics(&d).iter().map(|x| x.rule).collect();
        assert_eq!(rules, [Rule::OriginUnreachable, Rule::OriginUnreachable]);
    }

    #[test]
    fn spokes_reach_each_other_through_the_hub() {
        let mut d = guide_corrected();
        let spoke_1 = cluster_id(&d, "spoke-1");
        edit(&mut d, "tickets-2", |s| {
            s.config.sources = vec![StreamSource {
                name: "tickets-1".into(),
                origin_cluster: Some(spoke_1),
                ..StreamSource::default()
            }];
        });
        assert_eq!(check_design(&d), []);
    }

    #[test]
    fn sources_that_copy_each_other_form_a_cycle_reported_once() {
        let mut d = guide_corrected();
        let hub = cluster_id(&d, "headquarter");
        edit(&mut d, "tickets-1", |s| {
            s.config.sources =
                vec![StreamSource { name: "sales".into(), origin_cluster: Some(hub), ..StreamSource::default() }];
        });
        let out = diagnostics(&d);
        assert_eq!(check_design(&d), one(Rule::ReplicationCycle, "sales", 0));
        let message = &out[0].message;
        assert!(message.contains("\"sales\" (cluster \"headquarter\"), sources \"tickets-1\""), "{message}");
        assert!(message.contains("which sources \"sales\""), "{message}");
    }

    #[test]
    fn a_chain_without_a_way_back_is_no_cycle() {
        let mut d = guide_corrected();
        let hub = cluster_id(&d, "headquarter");
        edit(&mut d, "tickets-2", |s| {
            s.config.sources =
                vec![StreamSource { name: "cinema-a".into(), origin_cluster: Some(hub), ..StreamSource::default() }];
        });
        assert_eq!(check_design(&d), []);
    }

    #[test]
    fn a_three_stream_cycle_through_a_mirror_names_every_step() {
        let mut d = guide_corrected();
        let spoke_1 = cluster_id(&d, "spoke-1");
        // cinema-a (hub) sources cinema-a-mirror (spoke-1), which mirrors cinema-a.
        edit(&mut d, "cinema-a", |s| {
            s.config.sources = vec![StreamSource {
                name: "cinema-a-mirror".into(),
                origin_cluster: Some(spoke_1),
                ..StreamSource::default()
            }];
        });
        let out = diagnostics(&d);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].rule, Rule::ReplicationCycle);
        assert!(out[0].message.contains("which mirrors \"cinema-a\""), "{}", out[0].message);
    }

    #[test]
    fn interest_origins_are_a_warning_before_2_14_only() {
        let mut d = guide_corrected();
        edit(&mut d, "tickets-1", |s| s.config.retention = Retention::Interest);
        let out = diagnostics(&d);
        assert_eq!(check_design(&d), one(Rule::OriginRetentionNotLimits, "sales", 0));
        assert_eq!(out[0].severity, Severity::Warning);
        let tickets_1 = stream_id(&d, "tickets-1");
        let fix = out[0].fix.clone().map(|f| f.command);
        assert_eq!(fix, Some(Command::SetStreamRetention { stream: tickets_1, retention: Retention::Limits }));

        let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        for id in ids {
            if let Some(c) = d.cluster_mut(id) {
                c.version = NatsVersion::V2_14;
            }
        }
        assert_eq!(check_design(&d), []);
        let spoke_1 = cluster_id(&d, "spoke-1");
        if let Some(c) = d.cluster_mut(spoke_1) {
            c.version = NatsVersion::V2_12;
        }
        assert_eq!(check_design(&d), one(Rule::OriginRetentionNotLimits, "sales", 0));
    }

    #[test]
    fn an_origin_in_another_account_needs_exports() {
        let mut d = guide_corrected();
        edit(&mut d, "tickets-1", |s| s.account = "OTHER".into());
        assert_eq!(check_design(&d), one(Rule::CrossAccountExportsMissing, "sales", 0));
        let found = &diagnostics(&d)[0];
        let message = &found.message;
        assert!(message.contains("$JS.API.CONSUMER.CREATE.tickets-1"), "{message}");
        assert!(message.contains("travel in account \"ACC\""), "the remote binds ACC on cinema-a: {message}");
        assert!(found.fix.is_none(), "cinema-a has no account OTHER to export from");
    }

    use crate::model::templates::{cross_account_sharing, cross_account_unwired};

    fn cross_rules(d: &Design) -> Vec<(Rule, String, usize)> {
        check_design(d)
    }

    /// Applies the fix of the first diagnostic of `rule` on `copy`, checks that it undoes in one
    /// step, and returns the fixed design.
    fn apply_fix(d: &Design, rule: Rule, copy: &str) -> (Design, String) {
        let id = stream_id(d, copy);
        let found = diagnostics(d)
            .into_iter()
            .find(|x| x.rule == rule && matches!(x.target, Target::Origin { stream, .. } if stream == id))
            .unwrap_or_else(|| panic!("{rule:?} on {copy}: {:?}", check_design(d)));
        let fix = found.fix.unwrap_or_else(|| panic!("{rule:?} on {copy} has a fix"));
        let mut fixed = d.clone();
        let undo = fix.command.apply(&mut fixed).expect("the fix applies");
        let mut undone = fixed.clone();
        undo.apply(&mut undone).expect("the undo applies");
        assert_eq!(&undone, d, "one undoable step");
        (fixed, fix.label)
    }

    #[test]
    fn a_cross_account_copy_without_its_pieces_is_wired_by_one_fix_per_link() {
        let d = cross_account_unwired();
        assert_eq!(
            cross_rules(&d),
            [
                (Rule::CrossAccountExportsMissing, "events-copy".into(), 0),
                (Rule::CrossAccountExportsMissing, "orders-mirror".into(), 0)
            ]
        );
        let message = diagnostics(&d).into_iter().find(|x| x.rule == Rule::CrossAccountExportsMissing).unwrap().message;
        for piece in ["the API", "the deliveries", "flow control", "$JS.API.CONSUMER.CREATE.", "$JS.FC.>"] {
            assert!(message.contains(piece), "{piece}: {message}");
        }
        let (fixed, label) = apply_fix(&d, Rule::CrossAccountExportsMissing, "orders-mirror");
        assert_eq!(label, "Wire accounts: API, deliveries, flow control from \"DATA\" to \"APP\" in cluster \"hub\"");
        assert_eq!(cross_rules(&fixed), one(Rule::CrossAccountExportsMissing, "events-copy", 0));
        let mirror = fixed.stream(stream_id(&fixed, "orders-mirror")).unwrap().config.mirror.clone().unwrap();
        assert_eq!(
            (mirror.api.as_deref(), mirror.deliver.as_deref()),
            (Some("JS.DATA.API"), Some("deliver.APP.orders-mirror"))
        );
        let (fixed, _) = apply_fix(&fixed, Rule::CrossAccountExportsMissing, "events-copy");
        assert_eq!(cross_rules(&fixed), []);
        assert_eq!(fixed, cross_account_sharing(), "the template is the wired design");
        let everything: Vec<_> =
            crate::model::validate::validate(&fixed).into_iter().filter(|x| x.severity != Severity::Info).collect();
        assert_eq!(everything, [], "the template validates clean");
    }

    #[test]
    fn a_wired_copy_keeps_the_prefixes_it_names() {
        let mut d = cross_account_unwired();
        edit(&mut d, "orders-mirror", |s| {
            let m = s.config.mirror.as_mut().unwrap();
            m.api = Some("JS.orders.API".into());
            m.deliver = Some("in.orders".into());
        });
        let (fixed, _) = apply_fix(&d, Rule::CrossAccountExportsMissing, "orders-mirror");
        assert_eq!(cross_rules(&fixed), one(Rule::CrossAccountExportsMissing, "events-copy", 0));
        let hub = fixed.cluster(cluster_id(&fixed, "hub")).unwrap();
        let locals: Vec<String> = hub.accounts["APP"].imports.iter().map(|i| i.local_subject()).collect();
        assert_eq!(locals, ["JS.orders.API.CONSUMER.CREATE.orders", "in.orders.>", "$JS.FC.>"]);
    }

    #[test]
    fn a_missing_flow_control_import_is_a_warning_under_the_same_id() {
        let mut d = cross_account_sharing();
        let hub = cluster_id(&d, "hub");
        d.cluster_mut(hub).unwrap().accounts.get_mut("APP").unwrap().imports.retain(|i| i.subject != "$JS.FC.>");
        let found = diagnostics(&d);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().all(|x| x.rule == Rule::CrossAccountExportsMissing && x.severity == Severity::Warning));
        let (fixed, label) = apply_fix(&d, Rule::CrossAccountExportsMissing, "orders-mirror");
        assert_eq!(label, "Wire accounts: flow control from \"DATA\" to \"APP\" in cluster \"hub\"");
        assert_eq!(cross_rules(&fixed), [], "one import of $JS.FC.> serves both links");
    }

    #[test]
    fn an_import_exported_to_nobody_is_no_piece() {
        let mut d = cross_account_sharing();
        let hub = cluster_id(&d, "hub");
        d.cluster_mut(hub).unwrap().accounts.get_mut("DATA").unwrap().exports.retain(|e| !e.subject.contains("orders"));
        assert_eq!(cross_rules(&d), one(Rule::CrossAccountExportsMissing, "orders-mirror", 0));
        let message = &diagnostics(&d)[0].message;
        assert!(message.contains("lacks the API") && message.contains("the deliveries"), "{message}");
        let (fixed, _) = apply_fix(&d, Rule::CrossAccountExportsMissing, "orders-mirror");
        assert_eq!(cross_rules(&fixed), []);
    }

    #[test]
    fn a_filtered_copy_needs_the_extended_create_subject() {
        let mut d = cross_account_sharing();
        edit(&mut d, "orders-mirror", |s| s.config.mirror.as_mut().unwrap().filter_subject = Some("orders.eu".into()));
        assert_eq!(cross_rules(&d), one(Rule::CrossAccountExportsMissing, "orders-mirror", 0));
        let (fixed, _) = apply_fix(&d, Rule::CrossAccountExportsMissing, "orders-mirror");
        assert_eq!(cross_rules(&fixed), []);
        let hub = fixed.cluster(cluster_id(&fixed, "hub")).unwrap();
        assert!(hub.accounts["DATA"].exports.iter().any(|e| e.subject == "$JS.API.CONSUMER.CREATE.orders.>"));
    }

    #[test]
    fn a_copy_naming_other_prefixes_than_its_account_imports_is_a_mismatch() {
        let mut d = cross_account_sharing();
        edit(&mut d, "orders-mirror", |s| s.config.mirror.as_mut().unwrap().api = Some("JS.ELSEWHERE.API".into()));
        edit(&mut d, "events-copy", |s| s.config.sources[0].deliver = Some("deliver.wrong".into()));
        assert_eq!(
            cross_rules(&d),
            [
                (Rule::CrossAccountPrefixMismatch, "events-copy".into(), 0),
                (Rule::CrossAccountPrefixMismatch, "orders-mirror".into(), 0)
            ]
        );
        let (fixed, label) = apply_fix(&d, Rule::CrossAccountPrefixMismatch, "orders-mirror");
        assert_eq!(label, "set external.api to JS.DATA.API");
        let (fixed, label) = apply_fix(&fixed, Rule::CrossAccountPrefixMismatch, "events-copy");
        assert_eq!(label, "set external.deliver to deliver.APP.events-copy");
        assert_eq!(cross_rules(&fixed), []);
        assert_eq!(fixed, cross_account_sharing());
        // The derived $JS.hub.API reaches APP's own JetStream on the hub, not DATA's.
        edit(&mut d, "orders-mirror", |s| s.config.mirror.as_mut().unwrap().api = None);
        let found = diagnostics(&d);
        assert!(
            found.iter().any(|x| x.rule == Rule::CrossAccountPrefixMismatch && x.message.contains("\"$JS.hub.API\"")),
            "{found:#?}"
        );
    }

    #[test]
    fn a_copy_in_another_account_of_the_same_cluster_imports_into_its_own_account() {
        let mut d = cross_account_sharing();
        let hub = cluster_id(&d, "hub");
        let mut local = crate::model::StreamConfig::new("orders-local");
        local.mirror =
            Some(StreamSource { name: "orders".into(), origin_cluster: Some(hub), ..StreamSource::default() });
        d.add_stream(hub, "APP", local);
        // APP imports DATA's consumer creation of orders under JS.DATA.API already; no deliveries.
        assert_eq!(
            cross_rules(&d),
            [
                (Rule::CrossAccountExportsMissing, "orders-local".into(), 0),
                (Rule::CrossAccountPrefixMismatch, "orders-local".into(), 0)
            ]
        );
        let (fixed, label) = apply_fix(&d, Rule::CrossAccountPrefixMismatch, "orders-local");
        assert_eq!(label, "set external.api to JS.DATA.API");
        let found = diagnostics(&fixed);
        assert_eq!(cross_rules(&fixed), one(Rule::CrossAccountExportsMissing, "orders-local", 0), "{found:#?}");
        assert!(
            found[0].message.contains("lacks the deliveries") && found[0].message.contains("travel in account \"APP\"")
        );
        let (fixed, _) = apply_fix(&fixed, Rule::CrossAccountExportsMissing, "orders-local");
        assert_eq!(cross_rules(&fixed), []);
    }

    #[test]
    fn a_leafnode_bound_to_the_origins_account_needs_no_imports_and_none_is_unreachable() {
        let mut d = cross_account_unwired();
        let spoke = cluster_id(&d, "spoke");
        d.cluster_mut(spoke).unwrap().remotes[0].user = Some("data".into());
        assert_eq!(cross_rules(&d), [], "the requests land in DATA itself");
        d.cluster_mut(spoke).unwrap().remotes.remove(0);
        assert_eq!(
            cross_rules(&d),
            [(Rule::OriginUnreachable, "events-copy".into(), 0), (Rule::OriginUnreachable, "orders-mirror".into(), 0)]
        );
    }

    #[test]
    fn a_copy_accepting_smaller_messages_than_its_origin_is_a_warning() {
        for (copy, origin, warn) in [
            (1024, -1, true),
            (1024, 0, true),
            (1024, 2048, true),
            (1024, 1024, false),
            (-1, 2048, false),
            (2048, 1024, false),
        ] {
            let mut d = guide_corrected();
            edit(&mut d, "cinema-a-mirror", |s| s.config.max_msg_size = copy);
            edit(&mut d, "cinema-a", |s| s.config.max_msg_size = origin);
            let expected = if warn { one(Rule::MirrorMaxMsgSize, "cinema-a-mirror", 0) } else { Vec::new() };
            assert_eq!(check_design(&d), expected, "copy {copy}, origin {origin}");
        }
    }

    #[test]
    fn origins_resolve_exactly_as_the_design_resolves_them() {
        let mut designs = vec![guide_corrected()];
        let mut d = guide_corrected();
        let spoke_2 = cluster_id(&d, "spoke-2");
        edit(&mut d, "sales", |s| {
            s.config.sources[0].api = Some("$JS.cinema-b.API".into());
            s.config.sources[1].origin_cluster = None;
            s.config.sources.push(StreamSource {
                name: "tickets-2".into(),
                origin_cluster: Some(spoke_2),
                ..StreamSource::default()
            });
        });
        edit(&mut d, "tickets-2", |s| s.config.name = "tickets-1".into());
        designs.push(d);
        for d in designs {
            let names = Names::new(&d);
            for stream in d.streams() {
                for (index, source) in stream.origins().enumerate() {
                    let origin = Origin { design: &d, names: &names, stream, source, index };
                    assert_eq!(origin.resolve().map(|s| s.id), d.resolve_origin(stream, source));
                }
            }
        }
    }

    /// A hub and 99 spokes of 50 streams each: every spoke stream sources its neighbour, every
    /// hub stream sources a spoke stream in another domain.
    fn large_design() -> Design {
        use crate::model::cluster::{Account, Role, User};
        use crate::model::stream::StreamConfig;
        let mut d = Design::new("large");
        let accounts = |c: &mut Cluster| {
            let user = User { name: "acc".into(), password: crate::model::cluster::Password::Plain("x".into()) };
            c.accounts.insert("ACC".into(), Account::new(true, vec![user]));
        };
        let mut hub = Cluster::new("hub", crate::model::cluster::Role::Hub);
        hub.domain = "hub".into();
        accounts(&mut hub);
        let hub = d.add_cluster(hub);
        let mut spokes = Vec::new();
        for i in 1..100 {
            let mut c = Cluster::new(format!("spoke-{i}"), Role::Spoke);
            c.domain = format!("d{i}");
            accounts(&mut c);
            c.remotes.push(LeafnodeRemote {
                target: Some(hub),
                url: "nats://acc:x@hub:7422".into(),
                local_account: Some("ACC".into()),
                ..LeafnodeRemote::default()
            });
            spokes.push(d.add_cluster(c));
        }
        for (i, cluster) in std::iter::once(hub).chain(spokes.iter().copied()).enumerate() {
            for j in 0..50 {
                let mut s = StreamConfig::new(format!("s{i}-{j}"));
                s.subjects = vec![format!("c{i}.s{j}.>"), format!("orders.c{i}.s{j}"), format!("x.*.c{i}.s{j}")];
                if i == 0 {
                    let spoke = spokes[j % spokes.len()];
                    s.sources = vec![StreamSource {
                        name: format!("s{}-{j}", j % spokes.len() + 1),
                        origin_cluster: Some(spoke),
                        ..StreamSource::default()
                    }];
                } else if j > 0 {
                    s.sources = vec![StreamSource {
                        name: format!("s{i}-{}", j - 1),
                        origin_cluster: Some(cluster),
                        ..StreamSource::default()
                    }];
                }
                d.add_stream(cluster, "ACC", s);
            }
        }
        d
    }

    #[test]
    fn a_design_of_100_clusters_and_5000_streams_validates_cleanly() {
        let d = large_design();
        assert_eq!(d.streams().count(), 5000);
        let mut out = Vec::new();
        super::super::streams::check(&d, &mut out);
        check(&d, &mut out);
        assert_eq!(out, []);
    }

    #[test]
    fn dangling_and_hostile_origins_never_panic() {
        let mut d = guide_corrected();
        for text in ["", "$(rm -rf ~)", "\"; drop", "<script>", "$JS..API", "$JS.API", ">", "://@"] {
            edit(&mut d, "sales", |s| {
                s.account = text.into();
                s.config.sources.push(StreamSource {
                    name: text.into(),
                    origin_cluster: Some(ClusterId(999)),
                    api: Some(text.into()),
                    deliver: Some(text.into()),
                    ..StreamSource::default()
                });
                s.config.max_msg_size = i64::MIN;
            });
            let spoke_1 = cluster_id(&d, "spoke-1");
            if let Some(c) = d.cluster_mut(spoke_1) {
                c.remotes.push(LeafnodeRemote {
                    target: Some(ClusterId(999)),
                    url: text.into(),
                    ..LeafnodeRemote::default()
                });
            }
            let _ = diagnostics(&d);
        }
    }
}
