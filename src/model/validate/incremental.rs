//! Validation again after an edit, recomputing only what the edit can have changed; the result
//! is always exactly `validate(design)`.
//!
//! The rules fall in these kinds:
//! - rules that read the clusters alone (clusters, accounts, leafnode remotes, gateways, TLS):
//!   run again when a cluster changed, else kept;
//! - per stream, kept in a [`Unit`] and run again only for the streams an edit can have
//!   changed them for:
//!   - rules that read the stream, its cluster and its origins' clusters (`check_stream`):
//!     run again when the stream changed;
//!   - `stream-name-duplicate`, which reads the streams of its name: run again when a stream
//!     of that name (before or after the edit) changed;
//!   - the subject overlaps with earlier streams of its account: run again when a changed
//!     stream of that account (before or after the edit) captured subjects colliding with its;
//!   - the rules of its mirrors and sources (`topology::check_one`), which read the streams
//!     named like its origins and every `external.deliver`: run again when a stream of such a
//!     name changed;
//! - `replication-cycle`, over the links the units resolved: run again when a link came or went
//!   or a stream of a cycle changed (its messages name the streams of the cycle);
//! - the rules of placement and bucket mirrors: run again on every edit (passes over the
//!   streams that skip those without placement or buckets).
//!
//! Every cluster edit, and an edit of a stream with an `external.deliver` (before or after),
//! starts over: clusters decide domains, reach and names in messages everywhere.
//!
//! Why the order is the same: `validate` sorts by (severity, target, rule, message) with a
//! stable sort, so only diagnostics equal in all four keep the order they were pushed in. Those
//! share a rule and a target, and each rule is pushed for one target by one of the parts above,
//! in the order `validate` pushes them. So the parts, put together in any order and sorted the
//! same way, give the same list (`tests` checks it against `validate` after random edits).

use super::{
    accounts, buckets, clusters, consumers, gateways, leafnodes, sort, streams, tls, topology, Diagnostic, Rule, Target,
};
use crate::model::diff::Edits;
use crate::model::fast_map::FastSet;
use crate::model::ids::StreamId;
use crate::model::sort::CollectSorted;
use crate::model::stream::Stream;
use crate::model::Design;
use std::collections::{BTreeMap, BTreeSet};

/// Above this many streams to look again at, the design is validated from scratch: each costs
/// a pass over the streams.
const START_OVER_ABOVE: usize = 64;

/// The rules that read the clusters alone.
fn check_clusters(design: &Design, out: &mut Vec<Diagnostic>) {
    clusters::check(design, out);
    accounts::check(design, out);
    leafnodes::check_clusters(design, out);
    gateways::check_clusters(design, out);
    tls::check(design, out);
}

/// The rules that judge one stream by itself, its cluster and its origins' clusters.
fn check_stream(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    leafnodes::account_jetstream_disabled(design, stream, out);
    streams::check_one(design, stream, out);
    buckets::check_one(stream, out);
    consumers::check_one(design, stream, out);
}

/// What the rules say of one stream, by what they read, and what the next edit is compared
/// with: the stream's name, account and captured subjects as they were.
#[derive(Clone, Debug, Default)]
struct Unit {
    own: Vec<Diagnostic>,
    name: Vec<Diagnostic>,
    overlap: Vec<Diagnostic>,
    origins: Vec<Diagnostic>,
    /// The origins resolved to streams of the design, as (origin stream, origin index).
    edges: Vec<(StreamId, usize)>,
    stream_name: String,
    account: String,
    subjects: Vec<String>,
    /// Whether one of its origins has an `external.deliver`.
    delivers: bool,
}

impl Unit {
    fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.own.iter().chain(&self.name).chain(&self.overlap).chain(&self.origins)
    }
}

fn delivers(stream: &Stream) -> bool {
    stream.origins().any(|o| o.deliver.as_deref().is_some_and(|d| !d.is_empty()))
}

/// The diagnostics of a design, kept between edits.
#[derive(Clone, Debug, Default)]
pub struct Incremental {
    clusters: Vec<Diagnostic>,
    units: BTreeMap<StreamId, Unit>,
    /// `replication-cycle`, and the streams of the cycles: kept while no stream's resolved
    /// links change and no stream of a cycle is edited.
    cycles: Vec<Diagnostic>,
    in_cycles: BTreeSet<StreamId>,
}

impl Incremental {
    /// Validates `design` from scratch; the same as `validate(design)`.
    pub fn new(design: &Design) -> (Self, Vec<Diagnostic>) {
        let mut cache = Self::default();
        cache.refresh_all(design);
        let all = cache.assemble(design);
        (cache, all)
    }

    /// Validates `design` again after `edits`, which must list every element that differs from
    /// the design this cache last saw (as `diff::Snapshot::update` finds them). The same as
    /// `validate(design)`.
    pub fn update(&mut self, design: &Design, edits: &Edits) -> Vec<Diagnostic> {
        let deliver_edited = edits
            .streams
            .iter()
            .any(|id| self.units.get(id).is_some_and(|u| u.delivers) || design.stream(*id).is_some_and(delivers));
        if !edits.clusters.is_empty() || deliver_edited {
            self.refresh_all(design);
        } else if !edits.streams.is_empty() {
            let links_changed = self.refresh_streams(design, &edits.streams);
            if links_changed || edits.streams.iter().any(|id| self.in_cycles.contains(id)) {
                self.refresh_cycles(design);
            }
        }
        self.assemble(design)
    }

    fn refresh_cycles(&mut self, design: &Design) {
        self.cycles.clear();
        let edges = self.units.iter().map(|(id, u)| (*id, u.edges.as_slice()));
        self.in_cycles = topology::cycles(design, edges, &mut self.cycles).into_iter().collect_set();
    }

    fn refresh_all(&mut self, design: &Design) {
        self.clusters.clear();
        check_clusters(design, &mut self.clusters);
        self.units.clear();
        let context = topology::Context::new(design, None);
        for stream in design.streams() {
            let mut unit = Unit {
                stream_name: stream.config.name.clone(),
                account: stream.account.clone(),
                subjects: streams::captured(design, stream).into_iter().map(str::to_owned).collect(),
                delivers: delivers(stream),
                ..Unit::default()
            };
            check_stream(design, stream, &mut unit.own);
            topology::check_one(design, &context, stream, &mut unit.origins, &mut unit.edges);
            self.units.insert(stream.id, unit);
        }
        let mut between = Vec::new();
        streams::check_between(design, &mut between);
        for d in between {
            // These rules name the later stream of each pair.
            let unit = match d.target {
                Target::Stream(id) => self.units.get_mut(&id),
                _ => None,
            };
            match unit {
                Some(unit) if d.rule == Rule::StreamNameDuplicate => unit.name.push(d),
                Some(unit) => unit.overlap.push(d),
                None => self.clusters.push(d),
            }
        }
        self.refresh_cycles(design);
    }

    /// Looks again at the streams `edited` (and no cluster) can have changed the diagnostics of.
    /// Returns whether a link between streams (an origin resolved) came or went.
    fn refresh_streams(&mut self, design: &Design, edited: &BTreeSet<StreamId>) -> bool {
        // The edited streams' names, accounts and subjects, before and after.
        let mut names: BTreeSet<&str> = BTreeSet::new();
        let mut subjects: Vec<(&str, &str)> = Vec::new();
        for id in edited {
            if let Some(old) = self.units.get(id) {
                names.insert(&old.stream_name);
                subjects.extend(old.subjects.iter().map(|s| (old.account.as_str(), s.as_str())));
            }
            if let Some(new) = design.stream(*id) {
                names.insert(&new.config.name);
                subjects.extend(streams::captured(design, new).into_iter().map(|s| (new.account.as_str(), s)));
            }
        }
        // Whether an unedited stream's subjects (as its unit keeps them) collide with an edited
        // stream's of its account.
        let collides = |unit: &Unit| {
            subjects.iter().any(|(account, theirs)| {
                *account == unit.account && unit.subjects.iter().any(|mine| streams::subject::collide(mine, theirs))
            })
        };
        // Which parts of which units to compute again.
        let mut again: Vec<(&Stream, bool, bool, bool, bool)> = Vec::new();
        for stream in design.streams() {
            let unit = self.units.get(&stream.id);
            let edited = unit.is_none() || edited.contains(&stream.id);
            let name = edited || names.contains(stream.config.name.as_str());
            let origins = edited || stream.origins().any(|o| names.contains(o.name.as_str()));
            let overlap = edited || unit.is_some_and(collides);
            if name || origins || overlap {
                again.push((stream, edited, name, overlap, origins));
            }
        }
        if again.len() > START_OVER_ABOVE {
            // Each part looked at again scans the design: past some, starting over is cheaper.
            self.refresh_all(design);
            return false;
        }
        // Links of removed streams go with them.
        let mut links_changed = edited
            .iter()
            .any(|id| design.stream(*id).is_none() && self.units.get(id).is_some_and(|u| !u.edges.is_empty()));
        // The streams named like the origins to check, found in one pass.
        let needed: FastSet<&str> = again
            .iter()
            .filter(|(.., origins)| *origins)
            .flat_map(|(stream, ..)| stream.origins().map(|o| o.name.as_str()))
            .collect();
        let context = topology::Context::new(design, Some(&needed));
        let mut recomputed = Vec::with_capacity(again.len());
        for (stream, edited, name, overlap, origins) in again {
            let old_edges = self.units.get(&stream.id).map(|u| u.edges.clone()).unwrap_or_default();
            let mut unit = if edited { Unit::default() } else { self.units.remove(&stream.id).unwrap_or_default() };
            if edited {
                unit.stream_name = stream.config.name.clone();
                unit.account = stream.account.clone();
                unit.subjects = streams::captured(design, stream).into_iter().map(str::to_owned).collect();
                unit.delivers = delivers(stream);
                check_stream(design, stream, &mut unit.own);
            }
            if name {
                unit.name.clear();
                let named = design.streams().filter(|s| s.config.name == stream.config.name);
                streams::name_duplicate_one(design, stream, named, &mut unit.name);
            }
            if overlap {
                unit.overlap.clear();
                streams::overlap_one(design, stream, &mut unit.overlap);
            }
            if origins {
                unit.origins.clear();
                unit.edges.clear();
                topology::check_one(design, &context, stream, &mut unit.origins, &mut unit.edges);
            }
            links_changed |= unit.edges != old_edges;
            recomputed.push((stream.id, unit));
        }
        for id in edited {
            self.units.remove(id);
        }
        self.units.extend(recomputed);
        links_changed
    }

    fn assemble(&self, design: &Design) -> Vec<Diagnostic> {
        let mut out = self.clusters.clone();
        out.extend(self.units.values().flat_map(Unit::diagnostics).cloned());
        out.extend(self.cycles.iter().cloned());
        gateways::check_placement(design, &mut out);
        buckets::check_between(design, &mut out);
        buckets::supersede(&mut out);
        sort(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::arbitrary;
    use crate::model::diff::{self, Snapshot};
    use crate::model::ids::ClusterId;
    use crate::model::stream::StreamConfig;
    use crate::model::validate::validate;
    use proptest::prelude::*;
    use proptest::sample::Index;

    /// An edit of a design, drawing what it sets from another (arbitrary) design, the donor, or
    /// from the design itself (a name or subject another stream has, a domain another cluster
    /// has), so that edits make and break duplicates, overlaps and the resolution of origins.
    #[derive(Clone, Debug)]
    enum Step {
        /// A stream takes a configuration of the donor.
        Config(Index, Index),
        /// A stream takes the name of another stream of the design.
        Rename(Index, Index),
        /// A stream takes the subjects of another stream.
        Subjects(Index, Index),
        /// A stream's first origin takes the name of another stream (or the mirror is dropped).
        OriginName(Index, Index),
        /// A stream moves to another account of the design.
        Account(Index, Index),
        /// A stream moves to another cluster.
        Cluster(Index, Index),
        Replicas(Index, i64),
        /// A cluster takes the domain of another cluster, or none.
        Domain(Index, Index, bool),
        /// A cluster takes a cluster of the donor (its references may point anywhere).
        ReplaceCluster(Index, Index),
        Servers(Index, u8),
        AddStream(Index, Index),
        RemoveStream(Index),
        RemoveCluster(Index),
    }

    fn step() -> impl Strategy<Value = Step> {
        let i = any::<Index>;
        prop_oneof![
            2 => (i(), i()).prop_map(|(a, b)| Step::Config(a, b)),
            2 => (i(), i()).prop_map(|(a, b)| Step::Rename(a, b)),
            2 => (i(), i()).prop_map(|(a, b)| Step::Subjects(a, b)),
            2 => (i(), i()).prop_map(|(a, b)| Step::OriginName(a, b)),
            1 => (i(), i()).prop_map(|(a, b)| Step::Account(a, b)),
            1 => (i(), i()).prop_map(|(a, b)| Step::Cluster(a, b)),
            1 => (i(), -1i64..7).prop_map(|(a, n)| Step::Replicas(a, n)),
            2 => (i(), i(), any::<bool>()).prop_map(|(a, b, none)| Step::Domain(a, b, none)),
            1 => (i(), i()).prop_map(|(a, b)| Step::ReplaceCluster(a, b)),
            1 => (i(), 0u8..6).prop_map(|(a, n)| Step::Servers(a, n)),
            1 => (i(), i()).prop_map(|(a, b)| Step::AddStream(a, b)),
            1 => i().prop_map(Step::RemoveStream),
            1 => i().prop_map(Step::RemoveCluster),
        ]
    }

    fn pick<T: Copy>(items: &[T], i: &Index) -> Option<T> {
        (!items.is_empty()).then(|| items[i.index(items.len())])
    }

    /// Applies `step` to `d`; nothing when the design lacks what it needs.
    fn apply(d: &mut Design, donor: &Design, step: &Step) {
        let streams: Vec<StreamId> = d.streams().map(|s| s.id).collect();
        let clusters: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        let donor_configs: Vec<&StreamConfig> = donor.streams().map(|s| &s.config).collect();
        let stream = |i: &Index| pick(&streams, i);
        let cluster = |i: &Index| pick(&clusters, i);
        match step {
            Step::Config(a, b) => {
                if let (Some(id), Some(config)) = (stream(a), pick(&donor_configs, b)) {
                    d.stream_mut(id).expect("listed").config = config.clone();
                }
            }
            Step::Rename(a, b) | Step::Subjects(a, b) | Step::OriginName(a, b) | Step::Account(a, b) => {
                let (Some(id), Some(other)) = (stream(a), stream(b)) else { return };
                let other = d.stream(other).expect("listed").clone();
                let s = d.stream_mut(id).expect("listed");
                match step {
                    Step::Rename(..) => s.config.name = other.config.name,
                    Step::Subjects(..) => s.config.subjects = other.config.subjects,
                    Step::Account(..) => s.account = other.account,
                    _ => match s.config.mirror.as_mut().or(s.config.sources.first_mut()) {
                        Some(origin) => origin.name = other.config.name,
                        None => s
                            .config
                            .sources
                            .push(crate::model::StreamSource { name: other.config.name, ..Default::default() }),
                    },
                }
            }
            Step::Cluster(a, b) => {
                if let (Some(id), Some(c)) = (stream(a), cluster(b)) {
                    d.stream_mut(id).expect("listed").cluster = c;
                }
            }
            Step::Replicas(a, n) => {
                if let Some(id) = stream(a) {
                    d.stream_mut(id).expect("listed").config.num_replicas = *n;
                }
            }
            Step::Domain(a, b, none) => {
                let (Some(id), Some(other)) = (cluster(a), cluster(b)) else { return };
                let domain = if *none { String::new() } else { d.cluster(other).expect("listed").domain.clone() };
                d.cluster_mut(id).expect("listed").domain = domain;
            }
            Step::ReplaceCluster(a, b) => {
                let donors: Vec<ClusterId> = donor.clusters().map(|(id, _)| id).collect();
                if let (Some(id), Some(from)) = (cluster(a), pick(&donors, b)) {
                    *d.cluster_mut(id).expect("listed") = donor.cluster(from).expect("listed").clone();
                }
            }
            Step::Servers(a, n) => {
                if let Some(id) = cluster(a) {
                    d.cluster_mut(id).expect("listed").servers = *n;
                }
            }
            Step::AddStream(a, b) => {
                if let (Some(c), Some(config)) = (cluster(a), pick(&donor_configs, b)) {
                    d.add_stream(c, "ACC", config.clone());
                }
            }
            Step::RemoveStream(a) => {
                if let Some(id) = stream(a) {
                    d.remove_stream(id);
                }
            }
            Step::RemoveCluster(a) => {
                if let Some(id) = cluster(a) {
                    let inside: Vec<StreamId> = d.streams_in(id).map(|s| s.id).collect();
                    for s in inside {
                        d.remove_stream(s);
                    }
                    d.remove_cluster(id);
                }
            }
        }
    }

    /// A design with its cache and snapshot, edited step by step, each step checked against
    /// `validate`.
    struct Editing {
        design: Design,
        cache: Incremental,
        snapshot: Snapshot,
    }

    impl Editing {
        fn new(design: Design) -> Self {
            let (cache, _) = Incremental::new(&design);
            Self { snapshot: Snapshot::of(&design), cache, design }
        }

        /// Edits, validates again and returns the diagnostics, which must be `validate`'s.
        fn edit(&mut self, f: impl FnOnce(&mut Design)) -> Vec<Diagnostic> {
            f(&mut self.design);
            let edits = self.snapshot.update(&self.design);
            let got = self.cache.update(&self.design, &edits);
            assert_eq!(got, validate(&self.design));
            got
        }

        fn stream(&self, name: &str) -> StreamId {
            self.design.streams().find(|s| s.config.name == name).map(|s| s.id).expect("the design has it")
        }
    }

    fn count(all: &[Diagnostic], rule: Rule) -> usize {
        all.iter().filter(|d| d.rule == rule).count()
    }

    #[test]
    fn renaming_an_origin_reaches_the_unedited_copies_of_it() {
        let mut e = Editing::new(crate::model::generate::generated(4, 40));
        let name = e.design.streams().find_map(|s| s.config.mirror.as_ref()).expect("a mirror").name.clone();
        let origin = e.stream(&name);
        let copies =
            |d: &Design| d.streams().filter(|s| s.origins().any(|o| o.name == name)).map(|s| s.id).collect::<Vec<_>>();
        assert!(!copies(&e.design).is_empty());
        let renamed = e.edit(|d| d.stream_mut(origin).expect("listed").config.name = "catalog-x".into());
        // Every copy, none of them edited, now names a stream the design lacks.
        let missing: Vec<StreamId> = renamed
            .iter()
            .filter(|d| d.rule == Rule::OriginStreamMissing)
            .filter_map(|d| match d.target {
                Target::Origin { stream, .. } => Some(stream),
                _ => None,
            })
            .collect();
        for copy in copies(&e.design) {
            assert!(missing.contains(&copy), "{copy} lost its origin");
        }
        let back = e.edit(|d| d.stream_mut(origin).expect("listed").config.name = name.clone());
        assert_eq!(count(&back, Rule::OriginStreamMissing), 0);
    }

    #[test]
    fn a_cluster_taking_another_domain_reaches_the_streams_in_it_and_copying_from_it() {
        let mut e = Editing::new(crate::model::generate::generated(4, 40));
        let spokes: Vec<ClusterId> = e.design.clusters().map(|(id, _)| id).skip(1).collect();
        let before = e.edit(|_| {});
        // Two spokes in one domain: their streams' origins and names are judged in it.
        let after = e.edit(|d| {
            let domain = d.cluster(spokes[0]).expect("listed").domain.clone();
            d.cluster_mut(spokes[1]).expect("listed").domain = domain;
        });
        assert_ne!(before, after);
        assert!(count(&after, Rule::DomainDuplicate) > 0);
        // And no domain at all.
        e.edit(|d| d.cluster_mut(spokes[1]).expect("listed").domain.clear());
    }

    #[test]
    fn an_export_added_in_the_origins_cluster_settles_the_unedited_copy() {
        let mut e = Editing::new(crate::model::templates::cross_account_unwired());
        let first = e.edit(|_| {});
        let missing = count(&first, Rule::CrossAccountExportsMissing);
        assert!(missing > 0);
        let fix = first
            .iter()
            .find(|d| d.rule == Rule::CrossAccountExportsMissing)
            .and_then(|d| d.fix.clone())
            .expect("the rule offers its fix");
        // The fix edits the hub's accounts, not the copy.
        let fixed = e.edit(|d| {
            fix.command.apply(d).expect("applies");
        });
        assert!(count(&fixed, Rule::CrossAccountExportsMissing) < missing);
    }

    #[test]
    fn a_stream_edited_into_a_duplicate_or_an_overlap_of_an_unedited_later_one_reaches_it() {
        let mut e = Editing::new(crate::model::generate::generated(2, 12));
        let ids: Vec<StreamId> = e.design.streams().map(|s| s.id).collect();
        let (first, later) = (ids[0], ids[ids.len() - 1]);
        let (name, subjects, account, cluster) = {
            let s = e.design.stream(later).expect("listed");
            (s.config.name.clone(), vec!["everything.>".to_owned()], s.account.clone(), s.cluster)
        };
        e.edit(|d| d.stream_mut(later).expect("listed").config.subjects = subjects.clone());
        // The first stream becomes the later one's twin: the later one (not edited) is the duplicate.
        let twin = e.edit(|d| {
            let s = d.stream_mut(first).expect("listed");
            s.config.name = name.clone();
            s.config.mirror = None;
            s.config.subjects = vec!["everything.x".into()];
            s.account = account.clone();
            s.cluster = cluster;
        });
        assert!(twin.iter().any(|d| d.rule == Rule::StreamNameDuplicate && d.target == Target::Stream(later)));
        assert!(twin.iter().any(|d| d.rule == Rule::SubjectOverlapInDomain && d.target == Target::Stream(later)));
        let apart = e.edit(|d| d.stream_mut(first).expect("listed").config.subjects = vec!["elsewhere".into()]);
        assert!(!apart.iter().any(|d| d.rule == Rule::SubjectOverlapInDomain && d.target == Target::Stream(later)));
        e.edit(|d| {
            d.remove_stream(first);
        });
    }

    #[test]
    fn a_cycle_made_renamed_and_broken_by_edits_of_its_streams() {
        let mut e = Editing::new(crate::model::generate::generated(2, 12));
        let hub = e.design.streams().find(|s| !s.config.sources.is_empty()).expect("a hub stream sources").clone();
        let spoke = e.design.resolve_origin(&hub, &hub.config.sources[0]).expect("resolved");
        let closed = e.edit(|d| {
            d.stream_mut(spoke).expect("listed").config.sources.push(crate::model::StreamSource {
                name: hub.config.name.clone(),
                origin_cluster: Some(hub.cluster),
                ..Default::default()
            })
        });
        assert_eq!(count(&closed, Rule::ReplicationCycle), 1);
        // A member renamed: the same cycle, named anew (its copy follows the name).
        let renamed = e.edit(|d| {
            d.stream_mut(spoke).expect("listed").config.name.push_str("-renamed");
            let source = &mut d.stream_mut(hub.id).expect("listed").config.sources[0];
            source.name.push_str("-renamed");
        });
        let message = |all: &[Diagnostic]| {
            all.iter().find(|d| d.rule == Rule::ReplicationCycle).map(|d| d.message.clone()).expect("a cycle")
        };
        assert_ne!(message(&closed), message(&renamed));
        assert!(message(&renamed).contains("-renamed"));
        let broken = e.edit(|d| d.stream_mut(hub.id).expect("listed").config.name.push('x'));
        assert_eq!(count(&broken, Rule::ReplicationCycle), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// From scratch, the incremental validation is the full one.
        #[test]
        fn a_new_cache_validates_as_validate_does(design in arbitrary::design()) {
            prop_assert_eq!(Incremental::new(&design).1, validate(&design));
        }

        /// After every edit of a sequence, the cache updated with what the snapshot found
        /// differing gives exactly what `validate` gives, and the snapshot's edits redraw what
        /// `diff::changed` finds between a full copy of the design before and the design after.
        #[test]
        fn after_each_edit_the_cache_validates_as_validate_does(
            original in arbitrary::design(),
            donor in arbitrary::design(),
            steps in proptest::collection::vec(step(), 1..24),
        ) {
            let mut design = original;
            let (mut cache, _) = Incremental::new(&design);
            let mut snapshot = Snapshot::of(&design);
            for step in &steps {
                let before = design.clone();
                apply(&mut design, &donor, step);
                let edits = snapshot.update(&design);
                prop_assert_eq!(edits.changed(&design), diff::changed(&before, &design), "after {:?}", step);
                prop_assert_eq!(cache.update(&design, &edits), validate(&design), "after {:?}", step);
            }
        }
    }
}
