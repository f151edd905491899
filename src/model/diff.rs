//! Which elements are drawn differently in two versions of a design.
//!
//! The designer redraws only these after an edit: a shape's drawing depends on its own data, its
//! place (a stream's index in its cluster, a cluster's stream count) and, for a stream, on its
//! cluster (domain, version, position). Computed in one pass over each design, never per element.

use super::ids::{ClusterId, StreamId};
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
