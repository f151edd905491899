//! Links are derived, never stored: a leafnode link per remote whose target is known, a mirror
//! or source link per origin the design can resolve; and where they are drawn, around the
//! clusters that are not their ends (`LinkLayout`).

use super::fast_map::FastMap;
use super::geometry::{self, Obstacles, Point, Rect, Route, CLEARANCE};
use super::ids::{ClusterId, StreamId};
use super::tls::{TlsCerts, TlsListener};
use super::topology::Design;
use crate::model::sort::Sorted;

/// What a link stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkKind {
    Leafnode,
    /// Two clusters of a supercluster joined by gateways (one link for both directions).
    Gateway,
    Mirror,
    Source,
}

impl LinkKind {
    /// The accessible role description of the link's shape.
    pub fn role_description(self) -> &'static str {
        match self {
            LinkKind::Leafnode => "leafnode link",
            LinkKind::Gateway => "gateway link",
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
    /// `a` and `b` (`a < b`) are joined by gateways: either dials the other.
    Gateway { a: ClusterId, b: ClusterId },
    /// `copy` mirrors or sources `origin` (its origin number `index`: 0 for the mirror).
    Stream { kind: LinkKind, origin: StreamId, copy: StreamId, index: usize, api: Option<String> },
    /// `copy`'s origin number `index` names a stream the design cannot find (no cluster has the
    /// domain its `external.api` names, or no such stream there): drawn as a link that ends in
    /// the open, so that the copy never silently shows fewer origins than it has.
    Dangling { kind: LinkKind, copy: StreamId, index: usize, name: String },
}

impl Link {
    pub fn kind(&self) -> LinkKind {
        match self {
            Link::Leafnode { .. } => LinkKind::Leafnode,
            Link::Gateway { .. } => LinkKind::Gateway,
            Link::Stream { kind, .. } | Link::Dangling { kind, .. } => *kind,
        }
    }

    /// A stable key for keyed rendering. It holds both ends: removing a remote or an origin
    /// renumbers the ones after it, and a drawn link must not keep the ends of the one that
    /// had its number before (labels are read from the design, see `label`).
    pub fn key(&self) -> String {
        match self {
            Link::Leafnode { from, remote, to, .. } => format!("leaf-{from}-{remote}-{to}"),
            Link::Gateway { a, b } => format!("gateway-{a}-{b}"),
            Link::Stream { copy, index, kind, origin, .. } => {
                format!("{kind:?}-{copy}-{index}-{origin}").to_lowercase()
            }
            Link::Dangling { copy, index, kind, .. } => format!("{kind:?}-{copy}-{index}-dangling").to_lowercase(),
        }
    }

    /// What the link's label shows, read from `design` as it is now: a leafnode's local
    /// account (empty for none), a mirror's or source's `external.api` prefix, followed for a
    /// copy of another account's stream by the accounts it joins (`$JS.DATA.API · APP ← DATA`),
    /// so that the label is placed clear of the clusters at its whole width.
    pub fn label(&self, design: &Design) -> String {
        let api = |copy: &StreamId, index: &usize| {
            design
                .stream(*copy)
                .and_then(|s| s.origins().nth(*index).and_then(|o| design.effective_api(s, o)))
                .unwrap_or_default()
        };
        match self {
            Link::Leafnode { from, remote, .. } => design
                .cluster(*from)
                .and_then(|c| c.remotes.get(*remote))
                .and_then(|r| r.local_account.clone())
                .unwrap_or_default(),
            Link::Gateway { .. } => String::new(),
            Link::Stream { copy, index, .. } => {
                let api = api(copy, index);
                match super::account_links::link_accounts(design, self) {
                    Some((copy, origin)) if api.is_empty() => format!("{copy} ← {origin}"),
                    Some((copy, origin)) => format!("{api} · {copy} ← {origin}"),
                    None => api,
                }
            }
            Link::Dangling { copy, index, .. } => api(copy, index),
        }
    }
}

/// Whether a link between clusters crosses the network with TLS, as the canvas' lock shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkTls {
    /// Neither the dial nor the listener has TLS (and every stream link).
    Plain,
    /// The dial has a `tls {}` block and the listener requires TLS.
    Secure,
    /// One side has TLS and the other not, or the listener verifies a certificate the dial does
    /// not present: what the rules `tls-mismatch` and `tls-verify-without-client-cert` report.
    Mismatch,
}

/// One dial (its `tls {}` block's certificates, if any) against the listener it reaches.
fn dial_tls(dial: Option<&TlsCerts>, listener: Option<&TlsListener>) -> LinkTls {
    match (dial, listener) {
        (None, None) => LinkTls::Plain,
        (Some(certs), Some(l)) if !l.verify || certs.presents_certificate() => LinkTls::Secure,
        _ => LinkTls::Mismatch,
    }
}

impl Link {
    /// The TLS of the link as the rules of "TLS on links" judge it (see `validate::tls`): a
    /// leafnode by its remote's `tls {}` block against the hub's leafnode listener; a gateway
    /// by both directions, each dialing with its peer's block, else its gateway's.
    pub fn tls(&self, design: &Design) -> LinkTls {
        match self {
            Link::Leafnode { from, to, remote, .. } => {
                let dial = design.cluster(*from).and_then(|c| c.remotes.get(*remote)).and_then(|r| r.tls.as_ref());
                let listener =
                    design.cluster(*to).and_then(|c| c.leafnode_listener.as_ref()).and_then(|l| l.tls.as_ref());
                dial_tls(dial.map(|d| &d.certs), listener)
            }
            Link::Gateway { a, b } => {
                let one_way = |from: ClusterId, to: ClusterId| {
                    let gateway = design.cluster(from)?.gateway.as_ref()?;
                    let peer = gateway.peers.iter().find(|p| p.target == Some(to))?;
                    let dial = peer.tls.as_ref().map(|t| &t.certs).or_else(|| gateway.tls.as_ref().map(|t| &t.certs));
                    let listener = design.cluster(to)?.gateway.as_ref()?.tls.as_ref();
                    Some(dial_tls(dial, listener))
                };
                let ways: Vec<LinkTls> = [one_way(*a, *b), one_way(*b, *a)].into_iter().flatten().collect();
                if ways.contains(&LinkTls::Mismatch) {
                    LinkTls::Mismatch
                } else if ways.contains(&LinkTls::Secure) {
                    LinkTls::Secure
                } else {
                    LinkTls::Plain
                }
            }
            Link::Stream { .. } | Link::Dangling { .. } => LinkTls::Plain,
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
        let mut joined = std::collections::BTreeSet::new();
        for (id, cluster) in self.clusters() {
            for peer in cluster.gateway.iter().flat_map(|g| &g.peers) {
                if let Some(to) = peer.target.filter(|t| *t != id && self.cluster(*t).is_some()) {
                    joined.insert((id.min(to), id.max(to)));
                }
            }
        }
        links.extend(joined.into_iter().map(|(a, b)| Link::Gateway { a, b }));
        // Streams by name, in id order, so that resolving every origin is not quadratic.
        let mut by_name: FastMap<&str, Vec<&crate::model::Stream>> = FastMap::default();
        for stream in self.streams() {
            by_name.entry(stream.config.name.as_str()).or_default().push(stream);
        }
        for stream in self.streams() {
            let mirror = stream.config.mirror.iter().map(|m| (LinkKind::Mirror, m));
            let sources = stream.config.sources.iter().map(|s| (LinkKind::Source, s));
            for (index, (kind, source)) in mirror.chain(sources).enumerate() {
                let candidates = || by_name.get(source.name.as_str()).into_iter().flatten().copied();
                let origin = self.resolve_origin_among(stream, source, candidates()).or_else(|| {
                    super::account_links::origin_in_other_account(self, stream, source, candidates()).map(|s| s.id)
                });
                if let Some(origin) = origin {
                    let api = self.effective_api(stream, source);
                    links.push(Link::Stream { kind, origin, copy: stream.id, index, api });
                } else {
                    links.push(Link::Dangling { kind, copy: stream.id, index, name: source.name.clone() });
                }
            }
        }
        links
    }
}

/// A link's route and where its label goes.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkRoute {
    pub route: Route,
    pub label: Point,
}

/// The width of a link label's text, estimated: 11.5 px bold is about 7 px a character, with
/// the halo around it.
fn label_width(text: &str) -> f64 {
    text.chars().count().max(1) as f64 * 7.0 + 8.0
}

/// How far a label reaches above its point (the text) and below it (the problem badge).
const LABEL_ABOVE: f64 = 20.0;
const LABEL_BELOW: f64 = 20.0;

/// The box a label at `at` covers: its text above, its problem badge below.
fn label_box(at: Point, width: f64) -> Rect {
    Rect { x: at.x - width / 2.0, y: at.y - LABEL_ABOVE, width, height: LABEL_ABOVE + LABEL_BELOW }
}

/// Where a link's label would like to be: a fraction along its route, or a fixed point.
#[derive(Clone, Copy, Debug)]
enum Label {
    Along { preferred: f64, width: f64 },
    At(Point),
}

/// Boxes in a grid of cells, so that a box is tested against its neighbours only: the labels
/// placed so far (1,000 links converge on a generated design's hub), and the clusters they
/// keep clear of.
#[derive(Default)]
struct PlacedLabels {
    cells: FastMap<(i64, i64), Vec<Rect>>,
}

impl PlacedLabels {
    const CELL: f64 = 256.0;

    fn cells(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let span = |from: f64, to: f64| (from / Self::CELL).floor() as i64..=(to / Self::CELL).floor() as i64;
        let rows = span(r.y, r.bottom());
        span(r.x, r.right()).flat_map(move |x| rows.clone().map(move |y| (x, y)))
    }

    fn hits(&self, r: &Rect) -> bool {
        Self::cells(r).any(|cell| self.cells.get(&cell).is_some_and(|boxes| boxes.iter().any(|b| b.intersects(r))))
    }

    fn insert(&mut self, r: Rect) {
        for cell in Self::cells(&r) {
            self.cells.entry(cell).or_default().push(r);
        }
    }
}

/// How far out of its cluster a dangling link starts.
const DANGLING_REACH: f64 = 90.0;

/// Space between parallel leafnode links of one pair of clusters.
const PARALLEL_GAP: f64 = 14.0;

/// What of a design, besides its boxes (`LinkLayout`) and its links, decides where the links
/// are drawn: each link's label (its width decides where along the link it sits) and each
/// cluster's remote targets (parallel leafnodes, and the gateways beside them, are shifted
/// sideways). Routes are a function of these three, so the canvas routes again only when one
/// of them changes, and not on an edit such as a stream's replicas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteInputs {
    labels: Vec<String>,
    remotes: Vec<(ClusterId, Vec<Option<ClusterId>>)>,
}

impl RouteInputs {
    pub fn new(design: &Design, links: &[Link]) -> RouteInputs {
        RouteInputs {
            labels: links.iter().map(|link| link.label(design)).collect(),
            remotes: design.clusters().map(|(id, c)| (id, c.remotes.iter().map(|r| r.target).collect())).collect(),
        }
    }
}

/// The boxes links are routed between and around, computed once for all links of a design:
/// asking the design for one box walks every stream, which is fine once but not per link.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkLayout {
    clusters: FastMap<ClusterId, Rect>,
    streams: FastMap<StreamId, (ClusterId, Rect)>,
    obstacles: Obstacles<ClusterId>,
}

impl LinkLayout {
    /// The boxes of every cluster and stream of `design`; the clusters are the obstacles.
    pub fn new(design: &Design) -> LinkLayout {
        let mut counts: FastMap<ClusterId, usize> = FastMap::default();
        let mut streams = FastMap::default();
        for stream in design.streams() {
            let Some(cluster) = design.cluster(stream.cluster) else { continue };
            let index = counts.entry(stream.cluster).or_default();
            streams.insert(stream.id, (stream.cluster, geometry::stream_rect(cluster.position, *index)));
            *index += 1;
        }
        let clusters: FastMap<ClusterId, Rect> = design
            .clusters()
            .map(|(id, c)| (id, geometry::cluster_rect(c.position, counts.get(&id).copied().unwrap_or(0))))
            .collect();
        let mut boxes: Vec<(ClusterId, Rect)> = clusters.iter().map(|(id, r)| (*id, *r)).collect();
        boxes.sort_with_key(|(id, _)| *id);
        LinkLayout { clusters, streams, obstacles: Obstacles::new(boxes) }
    }

    /// A cluster's box.
    pub fn cluster_rect(&self, id: ClusterId) -> Option<Rect> {
        self.clusters.get(&id).copied()
    }

    /// Every cluster's box, in id order.
    pub fn clusters(&self) -> impl Iterator<Item = (ClusterId, Rect)> + '_ {
        self.obstacles.rects().iter().copied()
    }

    /// The rectangle holding every cluster, if there is one.
    pub fn bounds(&self) -> Option<Rect> {
        self.clusters().map(|(_, r)| r).reduce(|a, b| a.union(&b))
    }

    /// A stream's box.
    pub fn stream_rect(&self, id: StreamId) -> Option<Rect> {
        self.streams.get(&id).map(|(_, r)| *r)
    }

    /// The clusters at a link's two ends (one cluster twice for a dangling link or a link
    /// between streams of one cluster); `None` when an end is gone.
    pub fn ends(&self, link: &Link) -> Option<(ClusterId, ClusterId)> {
        let cluster_of = |s: &StreamId| self.streams.get(s).map(|(c, _)| *c);
        match link {
            Link::Leafnode { from, to, .. } => Some((*from, *to)),
            Link::Gateway { a, b } => Some((*a, *b)),
            Link::Stream { origin, copy, .. } => Some((cluster_of(origin)?, cluster_of(copy)?)),
            Link::Dangling { copy, .. } => cluster_of(copy).map(|c| (c, c)),
        }
    }

    /// Where along `route` a label `width` wide goes: at `preferred` (a fraction of its length)
    /// when its box lies clear of every cluster and of the labels `placed` before it, else at
    /// the nearest fraction that does, trying both directions step by step; when none is clear
    /// of both, at the nearest clear of the clusters; at `preferred` when none is (a route that
    /// lies inside clusters all along).
    fn clear_label(
        &self,
        route: &Route,
        preferred: f64,
        width: f64,
        clusters: &PlacedLabels,
        placed: &PlacedLabels,
    ) -> Point {
        let clear = |p: Point| !clusters.hits(&label_box(p, width));
        // Candidates are tried in order and only as far as needed: most labels take the first.
        // The route's pieces are measured once for all of them.
        let along = route.measured();
        let mut clear_of_clusters = None;
        let fractions = (0..=12)
            .flat_map(|step| [preferred - step as f64 * 0.04, preferred + step as f64 * 0.04])
            .filter(|t| (0.02..=0.98).contains(t));
        for p in fractions.map(|t| along.at(t)).filter(|p| clear(*p)) {
            if !placed.hits(&label_box(p, width)) {
                return p;
            }
            clear_of_clusters.get_or_insert(p);
        }
        clear_of_clusters.unwrap_or_else(|| along.at(preferred))
    }

    /// The clusters' boxes in a grid, for testing labels against them.
    fn cluster_cells(&self) -> PlacedLabels {
        let mut cells = PlacedLabels::default();
        for (_, r) in self.obstacles.rects() {
            cells.insert(*r);
        }
        cells
    }

    /// Where `link` of `design` is drawn, with each cluster's box (and its streams) shifted by
    /// `offset`, around the other clusters where it can (at their unshifted places).
    ///
    /// Its label is clear of the clusters, not of other links' labels: `routes` places every
    /// link's label clear of the others too.
    pub fn route(&self, design: &Design, link: &Link, offset: impl Fn(ClusterId) -> Point) -> Option<LinkRoute> {
        let (route, label) = self.unlabelled(design, link, offset)?;
        let label = self.place(&route, label, &self.cluster_cells(), &mut PlacedLabels::default());
        Some(LinkRoute { route, label })
    }

    /// Where each of `links` is drawn, with every label clear of the clusters and, where the
    /// route leaves room, of the labels of the links before it: labels of links running side
    /// by side do not cover each other.
    pub fn routes(&self, design: &Design, links: &[Link]) -> Vec<Option<LinkRoute>> {
        let clusters = self.cluster_cells();
        let mut placed = PlacedLabels::default();
        links
            .iter()
            .map(|link| {
                let (route, label) = self.unlabelled(design, link, |_| Point::default())?;
                let label = self.place(&route, label, &clusters, &mut placed);
                Some(LinkRoute { route, label })
            })
            .collect()
    }

    /// Places a label along `route` (see `clear_label`) and records its box in `placed`.
    fn place(&self, route: &Route, label: Label, clusters: &PlacedLabels, placed: &mut PlacedLabels) -> Point {
        let (at, width) = match label {
            Label::Along { preferred, width } => (self.clear_label(route, preferred, width, clusters, placed), width),
            Label::At(at) => (at, label_width("")),
        };
        placed.insert(label_box(at, width));
        at
    }

    /// A link's route, and where its label would like to be.
    /// Reads of `design` only what `RouteInputs` holds: a link's label and the remotes' targets.
    fn unlabelled(&self, design: &Design, link: &Link, offset: impl Fn(ClusterId) -> Point) -> Option<(Route, Label)> {
        let cluster_rect = |id: ClusterId| self.cluster_rect(id).map(|r| r.translate(offset(id)));
        let stream_rect = |id: StreamId| self.streams.get(&id).map(|(c, r)| (*c, r.translate(offset(*c))));
        match link {
            Link::Leafnode { from, to, remote, .. } => {
                let (shift, t) = parallel(design, *from, *to, *remote)?;
                let (a, b) = (cluster_rect(*from)?, cluster_rect(*to)?);
                let (nx, ny) = geometry::normal(a.center(), b.center());
                let direct = Route::straight(&a, &b, shift);
                let route = self.obstacles.avoid(direct, &[*from, *to], |waypoints| {
                    let (first, last) = (waypoints[0], waypoints[waypoints.len() - 1]);
                    let mut points = Vec::with_capacity(waypoints.len() + 2);
                    points.push(a.boundary_toward(first));
                    points.extend_from_slice(waypoints);
                    points.push(b.boundary_toward(last));
                    // Parallel links keep their distance along the detour too.
                    for p in &mut points {
                        *p = Point::new(p.x + nx * shift, p.y + ny * shift);
                    }
                    Route::through(&points)
                });
                Some((route, Label::Along { preferred: t, width: label_width(&link.label(design)) }))
            }
            Link::Gateway { a: ca, b: cb } => {
                // Beside the leafnodes between the same clusters, if there are any.
                let leafnodes = [(*ca, *cb), (*cb, *ca)]
                    .iter()
                    .filter_map(|(f, t)| {
                        design.cluster(*f).map(|c| c.remotes.iter().filter(|r| r.target == Some(*t)).count())
                    })
                    .sum::<usize>();
                let shift = if leafnodes == 0 { 0.0 } else { (leafnodes as f64 / 2.0 + 0.5) * PARALLEL_GAP };
                let (a, b) = (cluster_rect(*ca)?, cluster_rect(*cb)?);
                let (nx, ny) = geometry::normal(a.center(), b.center());
                let direct = Route::straight(&a, &b, shift);
                let route = self.obstacles.avoid(direct, &[*ca, *cb], |waypoints| {
                    let (first, last) = (waypoints[0], waypoints[waypoints.len() - 1]);
                    let mut points = Vec::with_capacity(waypoints.len() + 2);
                    points.push(a.boundary_toward(first));
                    points.extend_from_slice(waypoints);
                    points.push(b.boundary_toward(last));
                    for p in &mut points {
                        *p = Point::new(p.x + nx * shift, p.y + ny * shift);
                    }
                    Route::through(&points)
                });
                Some((route, Label::Along { preferred: 0.5, width: label_width("") }))
            }
            Link::Stream { origin, copy, .. } => {
                let ((ka, a), (kb, b)) = (stream_rect(*origin)?, stream_rect(*copy)?);
                let direct = Route::side_to_side(&a, &b);
                let route = self.obstacles.avoid(direct, &[ka, kb], |waypoints| {
                    // Out of the side facing the first waypoint, into the side facing the last.
                    let (first, last) = (waypoints[0], waypoints[waypoints.len() - 1]);
                    let out = if first.x >= a.center().x { (a.right(), 1.0) } else { (a.x, -1.0) };
                    let into = if last.x >= b.center().x { (b.right(), 1.0) } else { (b.x, -1.0) };
                    let (ya, yb) = (a.center().y, b.center().y);
                    let mut points = Vec::with_capacity(waypoints.len() + 4);
                    points.push(Point::new(out.0, ya));
                    points.push(Point::new(out.0 + out.1 * STUB, ya));
                    points.extend_from_slice(waypoints);
                    points.push(Point::new(into.0 + into.1 * STUB, yb));
                    points.push(Point::new(into.0, yb));
                    Route::through(&points)
                });
                // Near the copy: the prefix is part of the copy's configuration, and labels of links that
                // cross between the same clusters in opposite directions stay apart.
                Some((route, Label::Along { preferred: 0.75, width: label_width(&link.label(design)) }))
            }
            Link::Dangling { copy, index, .. } => {
                // From the open, left of the copy's cluster, into the copy's left side; origins
                // of one stream one above the other.
                let (cluster, b) = stream_rect(*copy)?;
                let c = cluster_rect(cluster)?;
                let y = b.center().y + (*index as f64 % 3.0 - 1.0) * 6.0;
                let start = Point::new(c.x - DANGLING_REACH, y - DANGLING_REACH / 2.0);
                let route = Route::through(&[start, Point::new(c.x - STUB, y), Point::new(b.x, y)]);
                // The label (and its badge below it) above the open end, which stays visible.
                Some((route, Label::At(Point::new(start.x, start.y - 24.0))))
            }
        }
    }
}

/// How far the leafnode from `from`'s remote number `remote` to `to` is shifted sideways,
/// off the centre line, for parallel links between the same clusters, and where along it its
/// label sits: at different distances, so that labels of parallel links never overlap.
fn parallel(design: &Design, from: ClusterId, to: ClusterId, remote: usize) -> Option<(f64, f64)> {
    let remotes = &design.cluster(from)?.remotes;
    let parallel: Vec<usize> = (0..remotes.len()).filter(|i| remotes[*i].target == Some(to)).collect();
    let rank = parallel.iter().position(|i| *i == remote)? as f64 - (parallel.len() as f64 - 1.0) / 2.0;
    Some((rank * PARALLEL_GAP, 0.5 + rank * 0.16))
}

/// How far a detoured stream link runs straight out of (and into) its streams' sides: past
/// the cluster's edge, so that it never cuts through its own cluster's other streams.
const STUB: f64 = geometry::STREAM_INSET + CLEARANCE;

impl Design {
    /// Where a link is drawn, or `None` if one of its ends is gone.
    ///
    /// Leafnodes run straight between cluster boxes, side by side when a spoke has several
    /// remotes to one hub; stream links curve out of the streams' sides. A link whose direct
    /// line crosses another cluster bends around it when it can.
    pub fn link_route(&self, link: &Link) -> Option<LinkRoute> {
        self.link_route_with(link, |_| Point::default())
    }

    /// Like `link_route`, with each cluster's box (and its streams) shifted by `offset`: the
    /// canvas previews a drag this way without touching the design.
    pub fn link_route_with(&self, link: &Link, offset: impl Fn(ClusterId) -> Point) -> Option<LinkRoute> {
        LinkLayout::new(self).route(self, link, offset)
    }

    /// Where each of `links` is drawn, computing the boxes once, the labels clear of each other.
    pub fn link_routes(&self, links: &[Link]) -> Vec<Option<LinkRoute>> {
        LinkLayout::new(self).routes(self, links)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster::{Cluster, LeafnodeRemote, Role};
    use crate::model::generate::generated;
    use crate::model::stream::{StreamConfig, StreamSource};
    use proptest::prelude::*;

    proptest! {
        /// An edit that leaves the boxes, the links and the route inputs alone leaves every
        /// route alone: the canvas relies on it to skip routing (`RouteInputs`). A label that
        /// changes changes the inputs.
        #[test]
        fn routes_follow_the_layout_the_links_and_the_route_inputs(design in crate::model::arbitrary::design()) {
            let links = design.links();
            let before = (LinkLayout::new(&design), RouteInputs::new(&design, &links));
            let mut edited = design.clone();
            let ids: Vec<StreamId> = edited.streams().map(|s| s.id).collect();
            for id in ids {
                let stream = edited.stream_mut(id).expect("stream");
                stream.config.num_replicas = stream.config.num_replicas % 5 + 1;
                stream.config.description = Some("edited".into());
            }
            prop_assert_eq!(&edited.links(), &links);
            prop_assert_eq!(&(LinkLayout::new(&edited), RouteInputs::new(&edited, &links)), &before);
            prop_assert_eq!(before.0.routes(&edited, &links), before.0.routes(&design, &links));

            let leafnode = links.iter().find_map(|l| match l {
                Link::Leafnode { from, remote, .. } => Some((*from, *remote)),
                _ => None,
            });
            if let Some((from, index)) = leafnode {
                let remote = &mut edited.cluster_mut(from).expect("cluster").remotes[index];
                remote.local_account = Some(format!("{}-other", remote.local_account.clone().unwrap_or_default()));
                prop_assert_ne!(RouteInputs::new(&edited, &edited.links()), before.1);
            }
        }
    }

    /// The route a link had before routing went around shapes.
    fn direct(design: &Design, link: &Link) -> Option<Route> {
        let layout = LinkLayout::new(design);
        Some(match link {
            Link::Leafnode { from, to, remote, .. } => {
                let (shift, _) = parallel(design, *from, *to, *remote)?;
                Route::straight(&layout.cluster_rect(*from)?, &layout.cluster_rect(*to)?, shift)
            }
            Link::Gateway { .. } => return None,
            Link::Stream { origin, copy, .. } => {
                Route::side_to_side(&layout.stream_rect(*origin)?, &layout.stream_rect(*copy)?)
            }
            Link::Dangling { .. } => return None,
        })
    }

    fn ends(design: &Design, link: &Link) -> [ClusterId; 2] {
        match link {
            Link::Leafnode { from, to, .. } => [*from, *to],
            Link::Gateway { a, b } => [*a, *b],
            Link::Stream { origin, copy, .. } => {
                [design.stream(*origin).expect("origin").cluster, design.stream(*copy).expect("copy").cluster]
            }
            Link::Dangling { copy, .. } => [design.stream(*copy).expect("copy").cluster; 2],
        }
    }

    /// Clusters other than the link's ends that its route has a point inside (edges excluded),
    /// sampled finely along the drawn curve.
    fn crossed(design: &Design, link: &Link, route: &Route) -> Vec<String> {
        let ends = ends(design, link);
        design
            .clusters()
            .filter(|(id, _)| !ends.contains(id))
            .filter(|(id, _)| {
                let r = design.cluster_rect(*id).expect("cluster");
                route.pieces().iter().any(|p| {
                    (0..=200)
                        .map(|i| p.at(i as f64 / 200.0))
                        .any(|q| q.x > r.x && q.x < r.right() && q.y > r.y && q.y < r.bottom())
                })
            })
            .map(|(_, c)| c.name.clone())
            .collect()
    }

    /// A hub and a spoke far apart on one row, and a third cluster between them.
    fn blocked() -> (Design, ClusterId, ClusterId) {
        let mut design = Design::new("blocked");
        let mut hub = Cluster::new("hub", Role::Hub);
        hub.position = Point::new(1000.0, 0.0);
        let hub = design.add_cluster(hub);
        let mut spoke = Cluster::new("spoke", Role::Spoke);
        spoke.remotes = vec![LeafnodeRemote { target: Some(hub), ..LeafnodeRemote::default() }];
        let spoke = design.add_cluster(spoke);
        let mut middle = Cluster::new("middle", Role::Spoke);
        middle.position = Point::new(500.0, -20.0);
        let middle = design.add_cluster(middle);
        let origin = design.add_stream(spoke, "ACC", StreamConfig::new("orders")).expect("spoke");
        let _ = origin;
        let mut copy = StreamConfig::new("all-orders");
        copy.sources =
            vec![StreamSource { name: "orders".into(), origin_cluster: Some(spoke), ..StreamSource::default() }];
        design.add_stream(hub, "ACC", copy).expect("hub");
        design.add_stream(middle, "ACC", StreamConfig::new("local")).expect("middle");
        (design, hub, middle)
    }

    #[test]
    fn links_that_used_to_cross_a_cluster_bend_around_it() {
        let (design, _, _) = blocked();
        let links = design.links();
        assert_eq!(links.len(), 2, "{links:?}");
        for link in &links {
            let before = direct(&design, link).expect("direct");
            assert_eq!(crossed(&design, link, &before), ["middle"], "the direct route crosses it: {link:?}");
            let after = design.link_route(link).expect("routed").route;
            assert!(crossed(&design, link, &after).is_empty(), "{link:?}: {}", after.svg_path());
            assert!(after.length() < before.length() * 2.0, "a short detour");
        }
    }

    #[test]
    fn links_with_nothing_in_their_way_keep_their_direct_route() {
        let (mut design, _, middle) = blocked();
        // Out of the way, below the row.
        design.move_cluster(middle, Point::new(500.0, 900.0));
        for link in design.links() {
            assert_eq!(design.link_route(&link).map(|r| r.route), direct(&design, &link), "{link:?}");
        }
        let example = crate::model::example::guide_corrected();
        for link in example.links() {
            let route = example.link_route(&link).expect("routed").route;
            assert_eq!(Some(route), direct(&example, &link), "{link:?}");
        }
    }

    #[test]
    fn a_drag_preview_routes_against_the_other_clusters() {
        let (design, hub, _) = blocked();
        let link = design.links().into_iter().find(|l| l.kind() == LinkKind::Leafnode).expect("leafnode");
        // The hub dragged below the row: the line no longer passes the middle cluster.
        let moved =
            design.link_route_with(&link, |c| if c == hub { Point::new(0.0, 1200.0) } else { Point::default() });
        let moved = moved.expect("routed").route;
        assert_eq!(moved.pieces().len(), 1, "straight again: {}", moved.svg_path());
    }

    #[test]
    fn a_leafnode_label_is_the_account_of_the_remote_as_it_is_now() {
        let mut design = crate::model::example::guide_corrected();
        let spoke = design.clusters().find(|(_, c)| c.name == "spoke-1").map(|(id, _)| id).expect("spoke-1");
        let link =
            design.links().into_iter().find(|l| matches!(l, Link::Leafnode { from, remote: 0, .. } if *from == spoke));
        let link = link.expect("spoke-1's first leafnode");
        assert_eq!(link.label(&design), "ACC");
        design.cluster_mut(spoke).expect("spoke-1").remotes.remove(0);
        assert_eq!(link.label(&design), "SYS", "the remote now numbered 0 binds SYS");
        let now: Vec<_> =
            design.links().iter().filter(|l| l.kind() == LinkKind::Leafnode).map(|l| l.label(&design)).collect();
        assert_eq!(now, ["SYS", "ACC", "SYS"]);
    }

    #[test]
    fn an_origin_in_an_unknown_domain_is_a_dangling_link_left_of_its_copy() {
        let mut design = crate::model::example::guide_corrected();
        let sales = design.streams().find(|s| s.config.name == "sales").map(|s| s.id).expect("sales");
        design.stream_mut(sales).expect("sales").config.sources[1].api = Some("$JS.nowhere.API".into());
        let links = design.links();
        let dangling: Vec<&Link> = links.iter().filter(|l| matches!(l, Link::Dangling { .. })).collect();
        assert_eq!(
            dangling,
            [&Link::Dangling { kind: LinkKind::Source, copy: sales, index: 1, name: "tickets-2".into() }]
        );
        assert_eq!(links.iter().filter(|l| l.kind() == LinkKind::Source).count(), 2, "sales still shows two sources");
        assert_eq!(dangling[0].label(&design), "$JS.nowhere.API");
        // A copy of another account's stream names the accounts it joins after its prefix.
        let shared = crate::model::templates::cross_account_sharing();
        let labels: Vec<String> =
            shared.links().iter().filter(|l| l.kind() != LinkKind::Leafnode).map(|l| l.label(&shared)).collect();
        assert_eq!(labels, ["JS.DATA.API · APP ← DATA", "JS.DATA.API · APP ← DATA"]);
        let route = design.link_route(dangling[0]).expect("drawn");
        let cluster = design.cluster_rect(design.stream(sales).expect("sales").cluster).expect("hub");
        let stream = design.stream_rect(sales).expect("sales");
        assert!(route.label.x < cluster.x, "the open end is outside the copy's cluster");
        assert_eq!(route.route.at(1.0).x, stream.x, "it ends on the copy's side");
    }

    /// The box a label with `text` takes at `at` (text above the point, the badge below it).
    fn text_box(at: Point, text: &str) -> Rect {
        super::label_box(at, label_width(text))
    }

    #[test]
    fn labels_sit_clear_of_every_cluster_in_the_example_and_the_templates() {
        let designs = [
            crate::model::example::guide_corrected(),
            crate::model::templates::hub_with_spokes(3),
            crate::model::templates::hub_with_spokes(8),
            crate::model::templates::cross_account_sharing(),
            crate::model::templates::edge_key_value(),
        ];
        for design in designs {
            for link in design.links() {
                let route = design.link_route(&link).expect("drawn");
                let text = link.label(&design);
                let label = text_box(route.label, &text);
                for (id, c) in design.clusters() {
                    let r = design.cluster_rect(id).expect("cluster");
                    assert!(!r.intersects(&label), "{text} of {link:?} lies on cluster {}", c.name);
                }
            }
        }
    }

    #[test]
    fn gateways_are_one_link_per_joined_pair_with_the_tls_the_rules_judge() {
        use crate::model::tls::{TlsDial, TlsListener};
        use crate::model::validate::{validate, Rule, Target};
        let mut d = crate::model::templates::two_regions_and_a_site();
        let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        let (east, west, site) = (ids[0], ids[1], ids[2]);
        let gateways: Vec<Link> = d.links().into_iter().filter(|l| l.kind() == LinkKind::Gateway).collect();
        assert_eq!(gateways, [Link::Gateway { a: east, b: west }]);
        assert!(d.link_route(&gateways[0]).is_some());
        let leaf =
            d.links().into_iter().find(|l| matches!(l, Link::Leafnode { from, .. } if *from == site)).expect("leaf");
        let mismatches = |d: &Design| {
            validate(d).into_iter().filter(|x| x.rule == Rule::TlsMismatch).map(|x| x.target).collect::<Vec<_>>()
        };
        assert_eq!((leaf.tls(&d), gateways[0].tls(&d)), (LinkTls::Plain, LinkTls::Plain));
        // TLS on the remote only: the lock and the mismatch the rule reports.
        let mut c = d.cluster(site).expect("site").clone();
        c.remotes[0].tls = Some(TlsDial::default());
        crate::model::command::Command::SetCluster { cluster: site, value: Box::new(c) }
            .apply(&mut d)
            .expect("applies");
        assert_eq!(leaf.tls(&d), LinkTls::Mismatch);
        assert_eq!(mismatches(&d), [Target::Remote { cluster: site, index: 0 }]);
        let mut c = d.cluster(east).expect("east").clone();
        c.leafnode_listener.as_mut().expect("hub").tls = Some(TlsListener::default());
        crate::model::command::Command::SetCluster { cluster: east, value: Box::new(c) }
            .apply(&mut d)
            .expect("applies");
        assert_eq!(leaf.tls(&d), LinkTls::Secure);
        assert_eq!(mismatches(&d), [Target::Remote { cluster: site, index: 1 }], "the site's other remote");
        let mut c = d.cluster(site).expect("site").clone();
        c.remotes[1].tls = Some(TlsDial::default());
        crate::model::command::Command::SetCluster { cluster: site, value: Box::new(c) }
            .apply(&mut d)
            .expect("applies");
        assert_eq!(mismatches(&d), []);
        // A gateway with TLS on one side only.
        let mut c = d.cluster(west).expect("west").clone();
        c.gateway.as_mut().expect("joined").tls = Some(TlsListener::default());
        crate::model::command::Command::SetCluster { cluster: west, value: Box::new(c) }
            .apply(&mut d)
            .expect("applies");
        assert_eq!(gateways[0].tls(&d), LinkTls::Mismatch);
        assert!(!mismatches(&d).is_empty());
    }

    #[test]
    fn the_layout_has_the_designs_boxes() {
        let design = generated(6, 40);
        let layout = LinkLayout::new(&design);
        for (id, _) in design.clusters() {
            assert_eq!(layout.cluster_rect(id), design.cluster_rect(id));
        }
        for stream in design.streams() {
            assert_eq!(layout.stream_rect(stream.id), design.stream_rect(stream.id));
        }
        assert_eq!(layout.bounds(), Some(design.bounds()));
        assert_eq!(layout.clusters().count(), 6);
        let links = design.links();
        let all = design.link_routes(&links);
        for (link, route) in links.iter().zip(all) {
            // The same routes; labels may have moved out of each other's way.
            assert_eq!(route.map(|r| r.route), design.link_route(link).map(|r| r.route));
        }
    }

    /// The boxes of the labels of `routes` that intersect, by their links' keys.
    fn covered(links: &[Link], routes: &[Option<LinkRoute>], design: &Design) -> Vec<(String, String)> {
        let boxes: Vec<(String, Rect)> = links
            .iter()
            .zip(routes)
            .filter_map(|(link, r)| Some((link.key(), text_box(r.as_ref()?.label, &link.label(design)))))
            .collect();
        let mut pairs = Vec::new();
        for (i, (a, ra)) in boxes.iter().enumerate() {
            for (b, rb) in &boxes[i + 1..] {
                if ra.intersects(rb) {
                    pairs.push((a.clone(), b.clone()));
                }
            }
        }
        pairs
    }

    #[test]
    fn labels_of_links_side_by_side_do_not_cover_each_other() {
        // The template's mirror and source run side by side from the hub to the spoke below it.
        let design = crate::model::templates::cross_account_sharing();
        let links: Vec<Link> = design.links().into_iter().filter(|l| matches!(l, Link::Stream { .. })).collect();
        assert_eq!(links.len(), 2, "{links:?}");
        let layout = LinkLayout::new(&design);
        let one_by_one: Vec<Option<LinkRoute>> =
            links.iter().map(|l| layout.route(&design, l, |_| Point::default())).collect();
        assert_eq!(covered(&links, &one_by_one, &design).len(), 1, "placed one by one, they overlap");
        let together = layout.routes(&design, &links);
        assert_eq!(covered(&links, &together, &design), [], "placed together, they do not");
        for (alone, placed) in one_by_one.iter().zip(&together) {
            let (alone, placed) = (alone.as_ref().expect("routed"), placed.as_ref().expect("routed"));
            assert_eq!(alone.route, placed.route, "the routes are the same");
            let label = text_box(placed.label, "");
            assert!(layout.clusters().all(|(_, r)| !r.intersects(&label)), "clear of the clusters");
        }
        // Two parallel leafnodes and the design's other links too.
        let all = design.links();
        assert_eq!(covered(&all, &design.link_routes(&all), &design), []);
    }

    /// The labels `routes` places, found again the slow way: every candidate tested against every
    /// cluster and every label before it, the route measured for each point.
    fn labels_by_linear_scan(design: &Design, links: &[Link]) -> Vec<Option<Point>> {
        let layout = LinkLayout::new(design);
        let mut placed: Vec<Rect> = Vec::new();
        links
            .iter()
            .map(|link| {
                let (route, label) = layout.unlabelled(design, link, |_| Point::default())?;
                let (at, width) = match label {
                    Label::Along { preferred, width } => {
                        let clear = |p: Point| layout.clusters().all(|(_, r)| !r.intersects(&label_box(p, width)));
                        let free = |p: Point| placed.iter().all(|b| !b.intersects(&label_box(p, width)));
                        let candidates: Vec<Point> = (0..=12)
                            .flat_map(|step| [preferred - step as f64 * 0.04, preferred + step as f64 * 0.04])
                            .filter(|t| (0.02..=0.98).contains(t))
                            .map(|t| route.at(t))
                            .filter(|p| clear(*p))
                            .collect();
                        let at = candidates
                            .iter()
                            .find(|p| free(**p))
                            .or(candidates.first())
                            .copied()
                            .unwrap_or_else(|| route.at(preferred));
                        (at, width)
                    }
                    Label::At(at) => (at, label_width("")),
                };
                placed.push(label_box(at, width));
                Some(at)
            })
            .collect()
    }

    #[test]
    fn labels_are_placed_as_a_linear_scan_places_them() {
        let designs = [
            generated(50, 1000),
            generated(12, 300),
            crate::model::example::guide_corrected(),
            crate::model::templates::cross_account_sharing(),
            crate::model::templates::two_regions_and_a_site(),
        ];
        for design in designs {
            let links = design.links();
            let placed: Vec<Option<Point>> =
                design.link_routes(&links).into_iter().map(|r| r.map(|r| r.label)).collect();
            assert_eq!(placed, labels_by_linear_scan(&design, &links), "{}", design.name);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A route is the direct one when that crosses no other cluster; otherwise it is either
        /// a detour that crosses none, or the direct one when no detour was found.
        #[test]
        fn routes_avoid_clusters_or_stay_direct(design in crate::model::arbitrary::design()) {
            let layout = LinkLayout::new(&design);
            for link in design.links() {
                let Some(routed) = design.link_route(&link) else { continue };
                let Some(direct) = direct(&design, &link) else { continue };
                let ignore = ends(&design, &link);
                if !layout.obstacles.blocks(&direct, &ignore) {
                    prop_assert_eq!(&routed.route, &direct);
                } else if routed.route != direct {
                    prop_assert!(!layout.obstacles.blocks(&routed.route, &ignore), "{}", routed.route.svg_path());
                }
            }
        }
    }
}
