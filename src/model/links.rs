//! Links are derived, never stored: a leafnode link per remote whose target is known, a mirror
//! or source link per origin the design can resolve.

use super::geometry::{Point, Route};
use super::ids::{ClusterId, StreamId};
use super::topology::Design;

/// What a link stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkKind {
    Leafnode,
    Mirror,
    Source,
}

impl LinkKind {
    /// The accessible role description of the link's shape.
    pub fn role_description(self) -> &'static str {
        match self {
            LinkKind::Leafnode => "leafnode link",
            LinkKind::Mirror => "mirror link",
            LinkKind::Source => "source link",
        }
    }
}

/// One line on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub enum Link {
    /// `from` dials `to` through its remote number `remote`.
    Leafnode { from: ClusterId, to: ClusterId, remote: usize, account: Option<String> },
    /// `copy` mirrors or sources `origin` (its origin number `index`: 0 for the mirror).
    Stream { kind: LinkKind, origin: StreamId, copy: StreamId, index: usize, api: Option<String> },
}

impl Link {
    pub fn kind(&self) -> LinkKind {
        match self {
            Link::Leafnode { .. } => LinkKind::Leafnode,
            Link::Stream { kind, .. } => *kind,
        }
    }

    /// A stable key for keyed rendering.
    pub fn key(&self) -> String {
        match self {
            Link::Leafnode { from, remote, .. } => format!("leaf-{from}-{remote}"),
            Link::Stream { copy, index, kind, .. } => format!("{kind:?}-{copy}-{index}").to_lowercase(),
        }
    }
}

impl Design {
    /// Every link of the design, leafnodes first, in a stable order.
    pub fn links(&self) -> Vec<Link> {
        let mut links = Vec::new();
        for (id, cluster) in self.clusters() {
            for (remote, r) in cluster.remotes.iter().enumerate() {
                if let Some(to) = r.target.filter(|t| self.cluster(*t).is_some()) {
                    links.push(Link::Leafnode { from: id, to, remote, account: r.local_account.clone() });
                }
            }
        }
        // Streams by name, in id order, so that resolving every origin is not quadratic.
        let mut by_name: std::collections::HashMap<&str, Vec<&crate::model::Stream>> = std::collections::HashMap::new();
        for stream in self.streams() {
            by_name.entry(stream.config.name.as_str()).or_default().push(stream);
        }
        for stream in self.streams() {
            let mirror = stream.config.mirror.iter().map(|m| (LinkKind::Mirror, m));
            let sources = stream.config.sources.iter().map(|s| (LinkKind::Source, s));
            for (index, (kind, source)) in mirror.chain(sources).enumerate() {
                let candidates = by_name.get(source.name.as_str()).into_iter().flatten().copied();
                if let Some(origin) = self.resolve_origin_among(stream, source, candidates) {
                    let api = self.effective_api(stream, source);
                    links.push(Link::Stream { kind, origin, copy: stream.id, index, api });
                }
            }
        }
        links
    }
}

/// A link's curve and where its label goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkRoute {
    pub route: Route,
    pub label: Point,
}

/// Space between parallel leafnode links of one pair of clusters.
const PARALLEL_GAP: f64 = 14.0;

impl Design {
    /// Where a link is drawn, or `None` if one of its ends is gone.
    ///
    /// Leafnodes run straight between cluster boxes, side by side when a spoke has several
    /// remotes to one hub; stream links curve out of the streams' sides.
    pub fn link_route(&self, link: &Link) -> Option<LinkRoute> {
        self.link_route_with(link, |_| Point::default())
    }

    /// Like `link_route`, with each cluster's box (and its streams) shifted by `offset`: the
    /// canvas previews a drag this way without touching the design.
    pub fn link_route_with(&self, link: &Link, offset: impl Fn(ClusterId) -> Point) -> Option<LinkRoute> {
        let cluster_rect = |id: ClusterId| self.cluster_rect(id).map(|r| r.translate(offset(id)));
        let stream_rect = |id: StreamId| {
            let cluster = self.stream(id)?.cluster;
            self.stream_rect(id).map(|r| r.translate(offset(cluster)))
        };
        match link {
            Link::Leafnode { from, to, remote, .. } => {
                let remotes = &self.cluster(*from)?.remotes;
                let parallel: Vec<usize> = (0..remotes.len()).filter(|i| remotes[*i].target == Some(*to)).collect();
                let rank = parallel.iter().position(|i| i == remote)? as f64;
                let offset = (rank - (parallel.len() as f64 - 1.0) / 2.0) * PARALLEL_GAP;
                let route = Route::straight(&cluster_rect(*from)?, &cluster_rect(*to)?, offset);
                // Labels of parallel links sit at different distances so that they never overlap.
                let t = 0.5 + (rank - (parallel.len() as f64 - 1.0) / 2.0) * 0.16;
                Some(LinkRoute { route, label: route.at(t) })
            }
            Link::Stream { origin, copy, .. } => {
                let route = Route::side_to_side(&stream_rect(*origin)?, &stream_rect(*copy)?);
                // Near the copy: the prefix is part of the copy's configuration, and labels of links that
                // cross between the same clusters in opposite directions stay apart.
                Some(LinkRoute { route, label: route.at(0.75) })
            }
        }
    }
}
