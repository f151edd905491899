//! Which elements are drawn differently in two versions of a design.
//!
//! The designer redraws only these after an edit: a shape's drawing depends on its own data, its
//! place (a stream's index in its cluster, a cluster's stream count) and, for a stream, on its
//! cluster (domain, version, position). Computed in one pass over each design, never per element.

use super::cluster::Cluster;
use super::ids::{ClusterId, StreamId};
use super::stream::Stream;
use super::topology::Design;
use crate::model::sort::CollectSorted;
use std::collections::{BTreeMap, BTreeSet};

/// The elements of either design whose drawing may differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    pub clusters: BTreeSet<ClusterId>,
    pub streams: BTreeSet<StreamId>,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty() && self.streams.is_empty()
    }
}

/// Each cluster's streams in drawing order, and each stream's index among them.
struct Places {
    members: BTreeMap<ClusterId, Vec<StreamId>>,
    index: BTreeMap<StreamId, usize>,
}

impl Places {
    fn of(design: &Design) -> Self {
        let mut members: BTreeMap<ClusterId, Vec<StreamId>> = BTreeMap::new();
        let mut index = BTreeMap::new();
        for stream in design.streams() {
            let list = members.entry(stream.cluster).or_default();
            index.insert(stream.id, list.len());
            list.push(stream.id);
        }
        Self { members, index }
    }
}

/// The elements an edit (or several) added, removed or changed, found by comparing a design
/// with the [`Snapshot`] of the one before. Sets only grow: edits not yet handled accumulate
/// with [`Edits::merge`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    /// Clusters added, removed or changed in any field.
    pub clusters: BTreeSet<ClusterId>,
    /// Streams added, removed or changed in any field (their cluster among them).
    pub streams: BTreeSet<StreamId>,
    /// Clusters a stream entered or left: their streams are drawn at other places.
    pub members: BTreeSet<ClusterId>,
}

impl Edits {
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty() && self.streams.is_empty() && self.members.is_empty()
    }

    pub fn merge(&mut self, other: Edits) {
        self.clusters.extend(other.clusters);
        self.streams.extend(other.streams);
        self.members.extend(other.members);
    }

    /// The shapes these edits change in `design` (the design after them), as [`changed`] finds
    /// them from a copy of the design before: the changed clusters and those a stream entered
    /// or left, the changed streams and every stream of those clusters.
    pub fn changed(&self, design: &Design) -> Changed {
        let clusters: BTreeSet<ClusterId> = self.clusters.union(&self.members).copied().collect_set();
        let mut streams = self.streams.clone();
        if !clusters.is_empty() {
            streams.extend(design.streams().filter(|s| clusters.contains(&s.cluster)).map(|s| s.id));
        }
        Changed { clusters, streams }
    }
}

/// The clusters and streams of a design as last seen, kept up to date element by element: an
/// edit costs one comparison per element and a copy of the elements it changed, where copying
/// the whole design would allocate every string of it again.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    clusters: BTreeMap<ClusterId, Cluster>,
    streams: BTreeMap<StreamId, Stream>,
}

impl Snapshot {
    pub fn of(design: &Design) -> Self {
        Self {
            clusters: design.clusters().map(|(id, c)| (id, c.clone())).collect_map(),
            streams: design.streams().map(|s| (s.id, s.clone())).collect_map(),
        }
    }

    /// Brings the snapshot to `design` and returns what differed.
    pub fn update(&mut self, design: &Design) -> Edits {
        let mut edits = Edits::default();
        let clusters: Vec<ClusterId> = diverging(&self.clusters, design.clusters());
        for id in clusters {
            edits.clusters.insert(id);
            match design.cluster(id) {
                Some(c) => {
                    self.clusters.insert(id, c.clone());
                }
                None => {
                    self.clusters.remove(&id);
                }
            }
        }
        let streams: Vec<StreamId> = diverging(&self.streams, design.streams().map(|s| (s.id, s)));
        for id in streams {
            edits.streams.insert(id);
            let old = self.streams.get(&id).map(|s| s.cluster);
            let new = design.stream(id).map(|s| s.cluster);
            if old != new {
                edits.members.extend(old.into_iter().chain(new));
            }
            match design.stream(id) {
                Some(s) => {
                    self.streams.insert(id, s.clone());
                }
                None => {
                    self.streams.remove(&id);
                }
            }
        }
        edits
    }
}

/// The keys whose values differ between a map and an iterator of the same kind of pairs in key
/// order (present in one only, or unequal), in key order.
fn diverging<'a, K: Ord + Copy, V: PartialEq + 'a>(
    old: &BTreeMap<K, V>,
    new: impl Iterator<Item = (K, &'a V)>,
) -> Vec<K> {
    let mut out = Vec::new();
    let mut old = old.iter().peekable();
    for (key, value) in new {
        while let Some((&k, _)) = old.next_if(|(k, _)| **k < key) {
            out.push(k);
        }
        match old.next_if(|(k, _)| **k == key) {
            Some((_, before)) if before == value => {}
            _ => out.push(key),
        }
    }
    out.extend(old.map(|(k, _)| *k));
    out
}

/// What differs between `old` and `new`, element by element.
pub fn changed(old: &Design, new: &Design) -> Changed {
    let (before, after) = (Places::of(old), Places::of(new));
    let cluster_ids: BTreeSet<ClusterId> = old.clusters().chain(new.clusters()).map(|(id, _)| id).collect_set();
    let clusters: BTreeSet<ClusterId> = cluster_ids
        .into_iter()
        .filter(|&id| old.cluster(id) != new.cluster(id) || before.members.get(&id) != after.members.get(&id))
        .collect_set();
    let stream_ids: BTreeSet<StreamId> = old.streams().chain(new.streams()).map(|s| s.id).collect_set();
    let streams = stream_ids
        .into_iter()
        .filter(|&id| {
            let (a, b) = (old.stream(id), new.stream(id));
            a != b
                || before.index.get(&id) != after.index.get(&id)
                || a.into_iter().chain(b).any(|s| clusters.contains(&s.cluster))
        })
        .collect_set();
    Changed { clusters, streams }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::command::Command;
    use crate::model::example::guide_corrected;
    use crate::model::generate::generated;
    use crate::model::Point;

    fn ids(design: &Design) -> (Vec<ClusterId>, Vec<StreamId>) {
        (design.clusters().map(|(id, _)| id).collect(), design.streams().map(|s| s.id).collect())
    }

    #[test]
    fn an_unchanged_design_changes_nothing() {
        let design = guide_corrected();
        assert!(changed(&design, &design.clone()).is_empty());
    }

    #[test]
    fn an_edited_stream_changes_alone() {
        let old = generated(5, 40);
        let (_, streams) = ids(&old);
        let mut new = old.clone();
        let mut config = new.stream(streams[3]).unwrap().config.clone();
        config.max_msgs = 1234;
        Command::SetStreamConfig { stream: streams[3], config: Box::new(config) }.apply(&mut new).unwrap();
        assert_eq!(changed(&old, &new), Changed { clusters: BTreeSet::new(), streams: [streams[3]].into() });
    }

    #[test]
    fn a_moved_cluster_changes_with_its_streams_only() {
        let old = generated(5, 40);
        let (clusters, _) = ids(&old);
        let mut new = old.clone();
        let at = old.cluster(clusters[1]).unwrap().position;
        let to = Point::new(at.x + 30.0, at.y);
        Command::MoveClusters { moves: vec![(clusters[1], to)] }.apply(&mut new).unwrap();
        let inside: BTreeSet<StreamId> = new.streams_in(clusters[1]).map(|s| s.id).collect();
        assert!(!inside.is_empty());
        assert_eq!(changed(&old, &new), Changed { clusters: [clusters[1]].into(), streams: inside });
    }

    #[test]
    fn removing_a_stream_changes_its_cluster_and_the_streams_drawn_below_it() {
        let old = generated(3, 12);
        let (_, streams) = ids(&old);
        let victim = old.stream(streams[0]).unwrap();
        let cluster = victim.cluster;
        let mut new = old.clone();
        new.remove_stream(victim.id);
        let got = changed(&old, &new);
        assert_eq!(got.clusters, [cluster].into());
        // The removed stream itself, and every later one of its cluster (their index shifts up).
        let expected: BTreeSet<StreamId> = old.streams_in(cluster).map(|s| s.id).collect();
        assert_eq!(got.streams, expected);
    }
}
