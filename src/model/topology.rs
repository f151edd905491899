//! The design: the aggregate of clusters and streams, with the queries every front end needs.
//!
//! Invariants: every stream's `cluster` names a cluster of this design; ids are unique and come
//! from the design's own counter, which is always the largest id in use. They hold for designs
//! built through these methods; `persist` repairs designs loaded from files before they reach here.

use super::cluster::Cluster;
use super::geometry::{self, Point, Rect};
use super::ids::{ClusterId, StreamId};
use super::stream::{Stream, StreamConfig, StreamSource};
use std::collections::BTreeMap;

/// A whole topology: what the designer edits and what exporters read.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Design {
    pub name: String,
    clusters: BTreeMap<ClusterId, Cluster>,
    streams: BTreeMap<StreamId, Stream>,
    next_id: u32,
}

impl Design {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    fn allocate(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// Adds a cluster and returns its id.
    pub fn add_cluster(&mut self, cluster: Cluster) -> ClusterId {
        let id = ClusterId(self.allocate());
        self.clusters.insert(id, cluster);
        id
    }

    /// Adds a stream to a cluster and account; `None` when the cluster does not exist.
    pub fn add_stream(
        &mut self,
        cluster: ClusterId,
        account: impl Into<String>,
        config: StreamConfig,
    ) -> Option<StreamId> {
        if !self.clusters.contains_key(&cluster) {
            return None;
        }
        let id = StreamId(self.allocate());
        self.streams.insert(id, Stream { id, cluster, account: account.into(), config, consumers: Vec::new() });
        Some(id)
    }

    /// Adds a cluster under an id chosen by the caller (`persist` rebuilding a saved design);
    /// `false`, and nothing added, when the id is taken. Later ids are allocated above it.
    pub(crate) fn insert_cluster_with_id(&mut self, id: ClusterId, cluster: Cluster) -> bool {
        if self.clusters.contains_key(&id) {
            return false;
        }
        self.next_id = self.next_id.max(id.0);
        self.clusters.insert(id, cluster);
        true
    }

    /// Adds a stream under its own id; `false`, and nothing added, when the id is taken or its
    /// cluster does not exist. Later ids are allocated above it.
    pub(crate) fn insert_stream_with_id(&mut self, stream: Stream) -> bool {
        if self.streams.contains_key(&stream.id) || !self.clusters.contains_key(&stream.cluster) {
            return false;
        }
        self.next_id = self.next_id.max(stream.id.0);
        self.streams.insert(stream.id, stream);
        true
    }

    /// Removes a cluster that has no streams left; `None`, and nothing removed, when it does
    /// not exist or still holds streams (remove those first, so no stream is left without its
    /// cluster). References to it from other clusters and streams are the caller's concern.
    pub(crate) fn remove_cluster(&mut self, id: ClusterId) -> Option<Cluster> {
        if self.streams.values().any(|s| s.cluster == id) {
            return None;
        }
        let removed = self.clusters.remove(&id)?;
        self.lower_next_id();
        Some(removed)
    }

    /// Removes a stream; `None` when it does not exist. Mirrors and sources naming it are the
    /// caller's concern.
    pub(crate) fn remove_stream(&mut self, id: StreamId) -> Option<Stream> {
        let removed = self.streams.remove(&id)?;
        self.lower_next_id();
        Some(removed)
    }

    /// Keeps `next_id` at the largest id in use, as every other way of building a design does
    /// (adding allocates the next id, inserting raises it to the id inserted, loading inserts).
    /// The counter is then a function of the elements: undoing a removal gives the design back
    /// exactly, and `load(save(d)) == d` holds after a removal too. The newest id is handed out
    /// again after its element is removed; a linear undo history keeps that consistent.
    fn lower_next_id(&mut self) {
        let last_cluster = self.clusters.keys().next_back().map_or(0, |id| id.0);
        let last_stream = self.streams.keys().next_back().map_or(0, |id| id.0);
        self.next_id = last_cluster.max(last_stream);
    }

    pub fn cluster(&self, id: ClusterId) -> Option<&Cluster> {
        self.clusters.get(&id)
    }

    pub fn cluster_mut(&mut self, id: ClusterId) -> Option<&mut Cluster> {
        self.clusters.get_mut(&id)
    }

    pub fn stream(&self, id: StreamId) -> Option<&Stream> {
        self.streams.get(&id)
    }

    pub fn stream_mut(&mut self, id: StreamId) -> Option<&mut Stream> {
        self.streams.get_mut(&id)
    }

    /// Clusters in id order.
    pub fn clusters(&self) -> impl Iterator<Item = (ClusterId, &Cluster)> {
        self.clusters.iter().map(|(id, c)| (*id, c))
    }

    pub fn stream_count(&self) -> usize {
        self.streams.len()
    }

    /// Streams in id order.
    pub fn streams(&self) -> impl Iterator<Item = &Stream> {
        self.streams.values()
    }

    /// The streams of one cluster, in drawing order (id order).
    pub fn streams_in(&self, cluster: ClusterId) -> impl Iterator<Item = &Stream> {
        self.streams.values().filter(move |s| s.cluster == cluster)
    }

    /// The cluster with this JetStream domain, if exactly one has it.
    pub fn cluster_with_domain(&self, domain: &str) -> Option<ClusterId> {
        let mut found = self.clusters().filter(|(_, c)| c.domain() == Some(domain)).map(|(id, _)| id);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The domain a stream lives in (its cluster's), if any.
    pub fn stream_domain(&self, stream: &Stream) -> Option<&str> {
        self.cluster(stream.cluster).and_then(Cluster::domain)
    }

    /// The `external.api` a mirror or source of `stream` uses: the override if the user wrote
    /// one, else `$JS.<origin domain>.API` when the origin is in another domain, else none.
    pub fn effective_api(&self, stream: &Stream, source: &StreamSource) -> Option<String> {
        if let Some(api) = &source.api {
            return Some(api.clone());
        }
        let origin = self.cluster(source.origin_cluster?)?;
        let origin_domain = origin.domain()?;
        (Some(origin_domain) != self.stream_domain(stream)).then(|| format!("$JS.{origin_domain}.API"))
    }

    /// The domain named by an `external.api` of the form `$JS.<domain>.API`.
    pub fn api_domain(api: &str) -> Option<&str> {
        api.strip_prefix("$JS.")?.strip_suffix(".API").filter(|d| !d.is_empty())
    }

    /// The stream a mirror or source of `stream` copies from, if the design has it.
    ///
    /// The origin is looked up by name in the domain the effective API names (or the stream's
    /// own domain without one), in the same account.
    pub fn resolve_origin(&self, stream: &Stream, source: &StreamSource) -> Option<StreamId> {
        self.resolve_origin_among(stream, source, self.streams.values())
    }

    /// `resolve_origin` among `candidates` (streams in id order, at least every stream named
    /// like the origin): callers resolving many origins pass a name index's bucket instead of
    /// scanning the whole design each time.
    pub(crate) fn resolve_origin_among<'a>(
        &self,
        stream: &Stream,
        source: &StreamSource,
        candidates: impl IntoIterator<Item = &'a Stream>,
    ) -> Option<StreamId> {
        let domain = match self.effective_api(stream, source) {
            Some(api) => Some(Self::api_domain(&api)?.to_owned()),
            None => match source.origin_cluster {
                Some(c) => self.cluster(c)?.domain().map(str::to_owned),
                None => self.stream_domain(stream).map(str::to_owned),
            },
        };
        let in_place = |s: &&Stream| match (&domain, source.origin_cluster) {
            (Some(d), _) => self.stream_domain(s) == Some(d.as_str()),
            (None, Some(c)) => s.cluster == c,
            (None, None) => s.cluster == stream.cluster,
        };
        candidates
            .into_iter()
            .filter(|s| s.id != stream.id && s.config.name == source.name && s.account == stream.account)
            .find(in_place)
            .map(|s| s.id)
    }

    /// The box of a cluster on the canvas.
    pub fn cluster_rect(&self, id: ClusterId) -> Option<Rect> {
        let cluster = self.cluster(id)?;
        Some(geometry::cluster_rect(cluster.position, self.streams_in(id).count()))
    }

    /// The box of a stream on the canvas, inside its cluster's.
    pub fn stream_rect(&self, id: StreamId) -> Option<Rect> {
        let stream = self.stream(id)?;
        let cluster = self.cluster(stream.cluster)?;
        let index = self.streams_in(stream.cluster).position(|s| s.id == id)?;
        Some(geometry::stream_rect(cluster.position, index))
    }

    /// The rectangle holding every shape; a default one for an empty design.
    pub fn bounds(&self) -> Rect {
        self.clusters.keys().filter_map(|id| self.cluster_rect(*id)).reduce(|a, b| a.union(&b)).unwrap_or(Rect {
            x: 0.0,
            y: 0.0,
            width: 800.0,
            height: 600.0,
        })
    }

    /// Moves a cluster (with its streams) so its top-left corner is at `to`.
    pub fn move_cluster(&mut self, id: ClusterId, to: Point) -> bool {
        match self.clusters.get_mut(&id) {
            Some(c) => {
                c.position = to;
                true
            }
            None => false,
        }
    }
}
