//! Canvas geometry in world coordinates: points, rectangles, the boxes that the canvas draws
//! for clusters and streams, the routes of links and how they bend around obstacles, and the
//! viewport (screen <-> world).
//!
//! Streams are laid out inside their cluster in one column, so a cluster's box is derived from
//! its position and its number of streams; nothing here is stored twice.
//!
//! Routing around obstacles is a cheap search, not a path finder: a route that crosses a box
//! tries detours by one or two corners of what blocks it, shortest first, and keeps the direct
//! route when none is clear. It runs for every link on every edit: each route tests each box
//! once by its bounding box, and only the few it overlaps segment by segment.

use crate::model::sort::Sorted;

/// A point in world coordinates (canvas units, y grows downwards).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn center(&self) -> Point {
        Point::new(self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect { x, y, width: self.right().max(other.right()) - x, height: self.bottom().max(other.bottom()) - y }
    }

    /// The rectangle moved by `by`.
    pub fn translate(&self, by: Point) -> Rect {
        Rect { x: self.x + by.x, y: self.y + by.y, ..*self }
    }

    /// Whether `p` lies inside (edges included).
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }

    /// Whether the two rectangles share any point.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x <= other.right() && other.x <= self.right() && self.y <= other.bottom() && other.y <= self.bottom()
    }

    /// The rectangle spanned by two corners, in any order.
    pub fn from_corners(a: Point, b: Point) -> Rect {
        Rect { x: a.x.min(b.x), y: a.y.min(b.y), width: (a.x - b.x).abs(), height: (a.y - b.y).abs() }
    }

    /// Whether `other` lies wholly inside.
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x && other.right() <= self.right() && other.y >= self.y && other.bottom() <= self.bottom()
    }

    /// Grows the rectangle by `margin` on every side.
    pub fn inflate(&self, margin: f64) -> Rect {
        Rect {
            x: self.x - margin,
            y: self.y - margin,
            width: self.width + 2.0 * margin,
            height: self.height + 2.0 * margin,
        }
    }

    /// Where the segment from the centre towards `toward` leaves the rectangle.
    pub fn boundary_toward(&self, toward: Point) -> Point {
        let c = self.center();
        let (dx, dy) = (toward.x - c.x, toward.y - c.y);
        if dx == 0.0 && dy == 0.0 {
            return c;
        }
        let sx = if dx != 0.0 { (self.width / 2.0) / dx.abs() } else { f64::INFINITY };
        let sy = if dy != 0.0 { (self.height / 2.0) / dy.abs() } else { f64::INFINITY };
        let s = sx.min(sy);
        Point::new(c.x + dx * s, c.y + dy * s)
    }
}

/// Width of a cluster box.
pub const CLUSTER_WIDTH: f64 = 260.0;
/// Height of a cluster box's header (name, role, domain, servers).
pub const CLUSTER_HEADER: f64 = 64.0;
/// Height of a stream box.
pub const STREAM_HEIGHT: f64 = 48.0;
/// Vertical gap between stream boxes and below the last one.
pub const STREAM_GAP: f64 = 12.0;
/// Horizontal inset of stream boxes inside their cluster.
pub const STREAM_INSET: f64 = 16.0;

/// The box of a cluster at `origin` holding `streams` streams.
pub fn cluster_rect(origin: Point, streams: usize) -> Rect {
    let rows = streams.max(1) as f64;
    Rect {
        x: origin.x,
        y: origin.y,
        width: CLUSTER_WIDTH,
        height: CLUSTER_HEADER + rows * (STREAM_HEIGHT + STREAM_GAP) + STREAM_GAP,
    }
}

/// The box of the `index`-th stream of a cluster at `origin`.
pub fn stream_rect(origin: Point, index: usize) -> Rect {
    Rect {
        x: origin.x + STREAM_INSET,
        y: origin.y + CLUSTER_HEADER + STREAM_GAP + index as f64 * (STREAM_HEIGHT + STREAM_GAP),
        width: CLUSTER_WIDTH - 2.0 * STREAM_INSET,
        height: STREAM_HEIGHT,
    }
}

/// One cubic Bézier piece of a route: from `from` to `to` with control points `c1` and `c2`.
/// A straight piece has its control points on its ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    pub from: Point,
    pub c1: Point,
    pub c2: Point,
    pub to: Point,
}

/// Into how many straight segments a curved piece is cut when testing what it crosses.
const CURVE_SEGMENTS: usize = 16;

impl Curve {
    /// A straight piece.
    pub const fn line(from: Point, to: Point) -> Curve {
        Curve { from, c1: from, c2: to, to }
    }

    fn is_line(&self) -> bool {
        self.c1 == self.from && self.c2 == self.to
    }

    /// The point at `t` (0 at `from`, 1 at `to`) along the piece.
    pub fn at(&self, t: f64) -> Point {
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        Point::new(
            a * self.from.x + b * self.c1.x + c * self.c2.x + d * self.to.x,
            a * self.from.y + b * self.c1.y + c * self.c2.y + d * self.to.y,
        )
    }

    /// A box holding the piece (the box of its control points).
    fn bounds(&self) -> Rect {
        let xs = [self.from.x, self.c1.x, self.c2.x, self.to.x];
        let ys = [self.from.y, self.c1.y, self.c2.y, self.to.y];
        let (x0, x1) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let (y0, y1) = ys.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
    }

    /// About how long the piece is: the mean of its chord and its control polygon, which
    /// bound the true length from below and above.
    fn length(&self) -> f64 {
        let chord = distance(self.from, self.to);
        if self.is_line() {
            return chord;
        }
        let polygon = distance(self.from, self.c1) + distance(self.c1, self.c2) + distance(self.c2, self.to);
        (chord + polygon) / 2.0
    }

    /// Whether the piece (cut into straight segments) has a point in `r`.
    fn crosses(&self, r: &Rect) -> bool {
        if !self.bounds().intersects(r) {
            return false;
        }
        if self.is_line() {
            return segment_crosses(self.from, self.to, r);
        }
        let mut last = self.from;
        (1..=CURVE_SEGMENTS).any(|i| {
            let next = self.at(i as f64 / CURVE_SEGMENTS as f64);
            let hit = segment_crosses(last, next, r);
            last = next;
            hit
        })
    }
}

fn distance(a: Point, b: Point) -> f64 {
    (b.x - a.x).hypot(b.y - a.y)
}

/// Whether the segment from `a` to `b` has a point in `r` (Liang–Barsky clipping).
fn segment_crosses(a: Point, b: Point, r: &Rect) -> bool {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [(-dx, a.x - r.x), (dx, r.right() - a.x), (-dy, a.y - r.y), (dy, r.bottom() - a.y)] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                if t > t1 {
                    return false;
                }
                t0 = t0.max(t);
            } else {
                if t < t0 {
                    return false;
                }
                t1 = t1.min(t);
            }
        }
    }
    t0 <= t1
}

/// How a link is drawn: one or more cubic pieces joined end to end.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pieces: Vec<Curve>,
}

/// How far the curve of a side-to-side route reaches out of its boxes, at least.
const MIN_REACH: f64 = 48.0;
/// Radius of the rounded corners of a route that bends around shapes.
const CORNER_RADIUS: f64 = 28.0;

impl Route {
    /// A route of one piece.
    pub fn curve(piece: Curve) -> Route {
        Route { pieces: vec![piece] }
    }

    /// A straight route between two boxes, from and to the sides that face each other; `offset`
    /// shifts it sideways, for parallel links between the same boxes.
    pub fn straight(a: &Rect, b: &Rect, offset: f64) -> Route {
        let (ca, cb) = (a.center(), b.center());
        let (nx, ny) = normal(ca, cb);
        let shift = |p: Point| Point::new(p.x + nx * offset, p.y + ny * offset);
        let (from, to) = (shift(a.boundary_toward(cb)), shift(b.boundary_toward(ca)));
        Route::curve(Curve::line(from, to))
    }

    /// A curve that leaves `a` and enters `b` horizontally, through their left or right sides:
    /// the sides facing each other, or both right sides when the boxes share a column.
    pub fn side_to_side(a: &Rect, b: &Rect) -> Route {
        let (ca, cb) = (a.center(), b.center());
        let dx = cb.x - ca.x;
        let same_column = dx.abs() < (a.width + b.width) / 2.0;
        if same_column {
            let reach = MIN_REACH.max((cb.y - ca.y).abs() * 0.35);
            let from = Point::new(a.right(), ca.y);
            let to = Point::new(b.right(), cb.y);
            return Route::curve(Curve {
                from,
                c1: Point::new(from.x + reach, from.y),
                c2: Point::new(to.x + reach, to.y),
                to,
            });
        }
        let dir = dx.signum();
        let from = Point::new(if dir > 0.0 { a.right() } else { a.x }, ca.y);
        let to = Point::new(if dir > 0.0 { b.x } else { b.right() }, cb.y);
        let reach = MIN_REACH.max((to.x - from.x).abs() * 0.5);
        Route::curve(Curve {
            from,
            c1: Point::new(from.x + dir * reach, from.y),
            c2: Point::new(to.x - dir * reach, to.y),
            to,
        })
    }

    /// A route along the polyline `points`, its corners rounded.
    pub fn through(points: &[Point]) -> Route {
        let mut pieces = Vec::with_capacity(points.len() * 2);
        let Some(&first) = points.first() else { return Route { pieces } };
        let mut at = first;
        for i in 1..points.len().saturating_sub(1) {
            let (prev, corner, next) = (points[i - 1], points[i], points[i + 1]);
            let r = CORNER_RADIUS.min(distance(prev, corner) / 2.0).min(distance(corner, next) / 2.0);
            let toward = |p: Point, by: f64| {
                let d = distance(corner, p).max(f64::EPSILON);
                Point::new(corner.x + (p.x - corner.x) * by / d, corner.y + (p.y - corner.y) * by / d)
            };
            let (enter, leave) = (toward(prev, r), toward(next, r));
            if enter != at {
                pieces.push(Curve::line(at, enter));
            }
            // 0.45 of the radius from the corner: close to a quarter circle for right angles.
            pieces.push(Curve { from: enter, c1: toward(prev, r * 0.45), c2: toward(next, r * 0.45), to: leave });
            at = leave;
        }
        let last = *points.last().expect("points is not empty");
        if last != at || pieces.is_empty() {
            pieces.push(Curve::line(at, last));
        }
        Route { pieces }
    }

    /// The pieces, in order from the start.
    pub fn pieces(&self) -> &[Curve] {
        &self.pieces
    }

    /// Where the route starts.
    pub fn from(&self) -> Point {
        self.pieces.first().map(|p| p.from).unwrap_or_default()
    }

    /// Where the route ends.
    pub fn to(&self) -> Point {
        self.pieces.last().map(|p| p.to).unwrap_or_default()
    }

    /// About how long the route is.
    pub fn length(&self) -> f64 {
        self.pieces.iter().map(Curve::length).sum()
    }

    /// The point at about `t` of the route's length (0 at the start, 1 at the end).
    pub fn at(&self, t: f64) -> Point {
        self.measured().at(t)
    }

    /// The route with the lengths of its pieces, for finding several points along it.
    pub fn measured(&self) -> Measured<'_> {
        let lengths: Vec<f64> = self.pieces.iter().map(Curve::length).collect();
        let total = lengths.iter().sum::<f64>();
        Measured { pieces: &self.pieces, lengths, total }
    }

    /// Whether any point of the route lies in `r`.
    pub fn crosses(&self, r: &Rect) -> bool {
        self.pieces.iter().any(|p| p.crosses(r))
    }

    /// A box holding the route.
    pub fn bounds(&self) -> Rect {
        self.pieces.iter().map(Curve::bounds).reduce(|a, b| a.union(&b)).unwrap_or_default()
    }

    /// A cheap stand-in for the route while a drag moves its start by `from_by` and its end by
    /// `to_by`: one cubic between the moved ends that leaves and arrives in the directions the
    /// route did (a straight piece at an end gives no direction there). Drawn while one end
    /// of a link follows the pointer; the link is routed properly when the drag ends.
    pub fn stretched(&self, from_by: Point, to_by: Point) -> Route {
        let (Some(first), Some(last)) = (self.pieces.first(), self.pieces.last()) else { return self.clone() };
        let shift = |p: Point, by: Point| Point::new(p.x + by.x, p.y + by.y);
        let (from, to) = (shift(first.from, from_by), shift(last.to, to_by));
        let c1 = if first.is_line() { from } else { shift(first.c1, from_by) };
        let c2 = if last.is_line() { to } else { shift(last.c2, to_by) };
        Route::curve(Curve { from, c1, c2, to })
    }

    /// One cubic standing for a bundle of routes while a drag moves one end of each: the mean
    /// of their stretched cubics (`stretched` unmoved), so that it runs down the bundle's
    /// middle. A drag draws the links between the moved cluster and each other cluster as one
    /// such curve: the hub's 1,078 links as some 150 curves. `None` for no routes.
    pub fn bundled<'a>(routes: impl IntoIterator<Item = &'a Route>) -> Option<Route> {
        let (mut sum, mut n) = ([Point::default(); 4], 0.0);
        for route in routes {
            let Some(c) = route.stretched(Point::default(), Point::default()).pieces.first().copied() else { continue };
            for (s, p) in sum.iter_mut().zip([c.from, c.c1, c.c2, c.to]) {
                *s = Point::new(s.x + p.x, s.y + p.y);
            }
            n += 1.0;
        }
        let [from, c1, c2, to] = sum.map(|s| Point::new(s.x / n, s.y / n));
        (n > 0.0).then_some(Route::curve(Curve { from, c1, c2, to }))
    }

    /// The route moved by `by` as a whole.
    pub fn translate(&self, by: Point) -> Route {
        let shift = |p: Point| Point::new(p.x + by.x, p.y + by.y);
        let pieces = self
            .pieces
            .iter()
            .map(|p| Curve { from: shift(p.from), c1: shift(p.c1), c2: shift(p.c2), to: shift(p.to) })
            .collect();
        Route { pieces }
    }

    /// The SVG path data of the route.
    pub fn svg_path(&self) -> String {
        use std::fmt::Write;
        let mut d = String::with_capacity(24 + self.pieces.len() * 40);
        let _ = write!(d, "M{:.1} {:.1}", self.from().x, self.from().y);
        for p in &self.pieces {
            if p.is_line() {
                let _ = write!(d, " L{:.1} {:.1}", p.to.x, p.to.y);
            } else {
                let _ =
                    write!(d, " C{:.1} {:.1} {:.1} {:.1} {:.1} {:.1}", p.c1.x, p.c1.y, p.c2.x, p.c2.y, p.to.x, p.to.y);
            }
        }
        d
    }
}

/// A route whose pieces are measured (`Route::measured`).
pub struct Measured<'a> {
    pieces: &'a [Curve],
    lengths: Vec<f64>,
    total: f64,
}

impl Measured<'_> {
    /// The point at about `t` of the route's length (0 at the start, 1 at the end).
    pub fn at(&self, t: f64) -> Point {
        let mut left = t.clamp(0.0, 1.0) * self.total;
        let last = self.pieces.len().saturating_sub(1);
        for (i, (piece, len)) in self.pieces.iter().zip(&self.lengths).enumerate() {
            if left <= *len || i == last {
                return piece.at(if *len > 0.0 { (left / len).min(1.0) } else { 0.0 });
            }
            left -= len;
        }
        Point::default()
    }
}

/// The unit normal of the direction from `a` to `b` (zero-safe).
pub fn normal(a: Point, b: Point) -> (f64, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy).max(1.0);
    (-dy / len, dx / len)
}

/// Rectangles that routes go around, each with the key of the shape it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Obstacles<K> {
    rects: Vec<(K, Rect)>,
}

impl<K> Default for Obstacles<K> {
    fn default() -> Self {
        Self { rects: Vec::new() }
    }
}

/// How far a route that bends around shapes keeps from them.
pub const CLEARANCE: f64 = 24.0;
/// How many times a detour may grow to take in shapes that its previous attempt ran into.
const DETOUR_ROUNDS: usize = 3;

impl<K: Copy + PartialEq> Obstacles<K> {
    pub fn new(rects: Vec<(K, Rect)>) -> Self {
        Self { rects }
    }

    /// The obstacles with their keys, in the order given.
    pub fn rects(&self) -> &[(K, Rect)] {
        &self.rects
    }

    /// The boxes of the obstacles other than those in `ignore` that `route` crosses.
    fn hits<'a>(&'a self, route: &'a Route, ignore: &'a [K]) -> impl Iterator<Item = Rect> + 'a {
        let area = route.bounds();
        self.rects
            .iter()
            .filter(move |(key, r)| r.intersects(&area) && !ignore.contains(key) && route.crosses(r))
            .map(|(_, r)| *r)
    }

    /// Whether `route` crosses an obstacle other than those in `ignore`.
    pub fn blocks(&self, route: &Route, ignore: &[K]) -> bool {
        self.hits(route, ignore).next().is_some()
    }

    /// `direct` when it crosses no obstacle (other than those in `ignore`); otherwise the
    /// shortest detour around the corners of what blocks it that crosses none, built by
    /// `through` from its waypoints; `direct` again when every detour is blocked too.
    ///
    /// A detour passes one corner, or two neighbouring corners (around one side), of the box
    /// holding the blocking shapes grown by `CLEARANCE`. When every such detour runs into
    /// other shapes, the box takes those in and the search repeats, a few times at most.
    pub fn avoid(&self, direct: Route, ignore: &[K], through: impl Fn(&[Point]) -> Route) -> Route {
        let Some(mut blockers) = self.hits(&direct, ignore).reduce(|a, b| a.union(&b)) else { return direct };
        for _ in 0..DETOUR_ROUNDS {
            let area = blockers.inflate(CLEARANCE);
            let corners = [
                Point::new(area.x, area.y),
                Point::new(area.right(), area.y),
                Point::new(area.right(), area.bottom()),
                Point::new(area.x, area.bottom()),
            ];
            let mut candidates: Vec<Route> = Vec::with_capacity(12);
            for i in 0..4 {
                let j = (i + 1) % 4;
                candidates.push(through(&[corners[i]]));
                candidates.push(through(&[corners[i], corners[j]]));
                candidates.push(through(&[corners[j], corners[i]]));
            }
            let mut ranked: Vec<(f64, Route)> = candidates.into_iter().map(|r| (r.length(), r)).collect();
            ranked.sort_with(|a, b| a.0.total_cmp(&b.0));
            // The shortest detour that ran into shapes outside the box says which to take in.
            let mut grow: Option<Rect> = None;
            for (_, candidate) in ranked {
                let hit = {
                    let mut hits = self.hits(&candidate, ignore).peekable();
                    if hits.peek().is_none() {
                        None
                    } else if grow.is_none() {
                        Some(hits.filter(|r| !area.contains_rect(r)).reduce(|a, b| a.union(&b)))
                    } else {
                        Some(None)
                    }
                };
                match hit {
                    None => return candidate,
                    Some(outside) => grow = grow.or(outside),
                }
            }
            match grow {
                Some(hit) => blockers = blockers.union(&hit),
                None => break,
            }
        }
        direct
    }
}

/// The visible part of the world: the world point at the top-left of the screen and the zoom
/// (screen pixels per world unit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub origin: Point,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Self { origin: Point::default(), zoom: 1.0 }
    }
}

/// Space kept clear at each side of the screen, in screen pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Insets {
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub left: f64,
}

/// Zoom limits of the canvas.
pub const MIN_ZOOM: f64 = 0.01;
pub const MAX_ZOOM: f64 = 4.0;

impl Viewport {
    /// The world point under a screen point (relative to the canvas' top-left).
    pub fn to_world(&self, screen: Point) -> Point {
        Point::new(self.origin.x + screen.x / self.zoom, self.origin.y + screen.y / self.zoom)
    }

    /// The screen point of a world point.
    pub fn to_screen(&self, world: Point) -> Point {
        Point::new((world.x - self.origin.x) * self.zoom, (world.y - self.origin.y) * self.zoom)
    }

    /// Zooms by `factor` keeping the world point under `screen` in place; clamped to
    /// `MIN_ZOOM..=MAX_ZOOM`. A factor that is not a positive number changes nothing.
    pub fn zoom_at(&self, screen: Point, factor: f64) -> Viewport {
        if !(factor.is_finite() && factor > 0.0) {
            return *self;
        }
        let zoom = clamp_zoom(self.zoom * factor);
        let anchor = self.to_world(screen);
        Viewport { origin: Point::new(anchor.x - screen.x / zoom, anchor.y - screen.y / zoom), zoom }
    }

    /// The view while two fingers pinch: `start` was the view when they touched down at
    /// `from`; they are now at `to`. The zoom follows the distance between them, and the world
    /// point under their midpoint stays under it as it moves (zooming and panning at once).
    pub fn pinch(start: &Viewport, from: (Point, Point), to: (Point, Point)) -> Viewport {
        let distance = |(a, b): (Point, Point)| (b.x - a.x).hypot(b.y - a.y);
        let mid = |(a, b): (Point, Point)| Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
        let (d0, d1) = (distance(from), distance(to));
        // Fingers on top of each other say nothing about a zoom.
        let factor = if d0 > 1.0 && d1 > 1.0 { d1 / d0 } else { 1.0 };
        let (m0, m1) = (mid(from), mid(to));
        start.zoom_at(m0, factor).pan_by(m1.x - m0.x, m1.y - m0.y)
    }

    /// Zoom factor for a wheel event of `pixels` (`deltaY`, in pixels; positive = away from the
    /// user = zoom out). Proportional, so that a trackpad's many small events zoom smoothly and
    /// a mouse notch (about 100 px) zooms by about one step of the +/− buttons. `pinch` is a
    /// trackpad pinch, which browsers send as a wheel event with Ctrl and much smaller deltas.
    pub fn wheel_factor(pixels: f64, pinch: bool) -> f64 {
        if !pixels.is_finite() {
            return 1.0;
        }
        let rate = if pinch { 0.01 } else { 0.002 };
        // One event never zooms by more than two button steps, whatever the device reports.
        (-pixels * rate).exp().clamp(1.0 / 1.44, 1.44)
    }

    /// Moves the view by a screen distance (dragging the background): the world follows the
    /// pointer, so the origin moves the other way, by the distance in world units.
    pub fn pan_by(&self, dx: f64, dy: f64) -> Viewport {
        if !(dx.is_finite() && dy.is_finite()) {
            return *self;
        }
        Viewport { origin: Point::new(self.origin.x - dx / self.zoom, self.origin.y - dy / self.zoom), zoom: self.zoom }
    }

    /// The viewport that shows `bounds` whole and centred on a screen of `width` x `height`,
    /// with `margin` screen pixels around, never zooming in beyond 1 (nor out beyond
    /// `MIN_ZOOM`, where very large bounds are centred but cut).
    pub fn fit(bounds: Rect, width: f64, height: f64, margin: f64) -> Viewport {
        let m = if margin.is_finite() { margin } else { 0.0 };
        Self::fit_within(bounds, width, height, Insets { top: m, right: m, bottom: m, left: m })
    }

    /// The part of a `width` x `height` screen that `insets` leave, in screen pixels. Insets
    /// that would leave less than half of either side are scaled down until they leave half.
    pub fn room(width: f64, height: f64, insets: Insets) -> Rect {
        let finite = |v: f64, or: f64| if v.is_finite() { v } else { or };
        let (width, height) = (finite(width, 0.0).max(1.0), finite(height, 0.0).max(1.0));
        let side = |v: f64| finite(v, 0.0).max(0.0);
        let (mut top, mut right, mut bottom, mut left) =
            (side(insets.top), side(insets.right), side(insets.bottom), side(insets.left));
        if left + right > width / 2.0 {
            let k = width / 2.0 / (left + right);
            (left, right) = (left * k, right * k);
        }
        if top + bottom > height / 2.0 {
            let k = height / 2.0 / (top + bottom);
            (top, bottom) = (top * k, bottom * k);
        }
        Rect { x: left, y: top, width: width - left - right, height: height - top - bottom }
    }

    /// The viewport that shows `bounds` whole, centred in the part of a `width` x `height`
    /// screen that `insets` leave clear (of the overlays on the canvas), never zooming in beyond
    /// 1 (nor out beyond `MIN_ZOOM`, where very large bounds are centred but cut).
    pub fn fit_within(bounds: Rect, width: f64, height: f64, insets: Insets) -> Viewport {
        let finite = |v: f64, or: f64| if v.is_finite() { v } else { or };
        let room = Self::room(width, height, insets);
        let (bw, bh) = (finite(bounds.width, 0.0).max(1.0), finite(bounds.height, 0.0).max(1.0));
        let zoom = (room.width / bw).min(room.height / bh).clamp(MIN_ZOOM, 1.0);
        let centre = Point::new(finite(bounds.x, 0.0) + bw / 2.0, finite(bounds.y, 0.0) + bh / 2.0);
        let at = room.center();
        Viewport { origin: Point::new(centre.x - at.x / zoom, centre.y - at.y / zoom), zoom }
    }

    /// The viewport that brings `target` into the room `insets` leave, at least at `readable`
    /// zoom (and at most 1): whole and centred when it fits at that zoom, else its top-left part.
    pub fn focus(target: Rect, width: f64, height: f64, insets: Insets, readable: f64) -> Viewport {
        let fitted = Self::fit_within(target, width, height, insets);
        let readable = if readable.is_finite() { readable.clamp(MIN_ZOOM, 1.0) } else { 1.0 };
        if fitted.zoom >= readable {
            return fitted;
        }
        let zoom = readable;
        let room = Self::room(width, height, insets);
        let axis = |start: f64, size: f64, room_start: f64, room_size: f64| {
            if size * zoom <= room_size {
                start + size / 2.0 - (room_start + room_size / 2.0) / zoom
            } else {
                start - room_start / zoom
            }
        };
        Viewport {
            origin: Point::new(
                axis(target.x, target.width, room.x, room.width),
                axis(target.y, target.height, room.y, room.height),
            ),
            zoom,
        }
    }

    /// The same view on a screen that changed from `from` to `to` (width, height): the world
    /// point at the centre stays at the centre, at the same zoom.
    pub fn resized(&self, from: (f64, f64), to: (f64, f64)) -> Viewport {
        let ok = |(w, h): (f64, f64)| w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0;
        if !(ok(from) && ok(to)) {
            return *self;
        }
        let centre = self.to_world(Point::new(from.0 / 2.0, from.1 / 2.0));
        self.centred_on(centre, to.0, to.1)
    }

    /// The viewport that shows `bounds` whole and centred on a screen of `width` x `height`,
    /// at whatever zoom that takes (the minimap's: no limits, no margin).
    pub fn overview(bounds: Rect, width: f64, height: f64) -> Viewport {
        let positive = |v: f64| if v.is_finite() && v > 0.0 { v } else { 1.0 };
        let (width, height) = (positive(width), positive(height));
        let (bw, bh) = (positive(bounds.width), positive(bounds.height));
        let zoom = (width / bw).min(height / bh);
        let centre = Point::new(bounds.x + bw / 2.0, bounds.y + bh / 2.0);
        let centre = if centre.x.is_finite() && centre.y.is_finite() { centre } else { Point::default() };
        Viewport { origin: Point::new(centre.x - width / 2.0 / zoom, centre.y - height / 2.0 / zoom), zoom }
    }

    /// The same zoom, moved so that the world point `at` is at the centre of a screen of
    /// `width` x `height`. A point that is not finite changes nothing.
    pub fn centred_on(&self, at: Point, width: f64, height: f64) -> Viewport {
        if !(at.x.is_finite() && at.y.is_finite() && width.is_finite() && height.is_finite()) {
            return *self;
        }
        Viewport {
            origin: Point::new(at.x - width / 2.0 / self.zoom, at.y - height / 2.0 / self.zoom),
            zoom: self.zoom,
        }
    }

    /// The world rectangle a screen of `width` x `height` shows.
    pub fn visible(&self, width: f64, height: f64) -> Rect {
        Rect { x: self.origin.x, y: self.origin.y, width: width / self.zoom, height: height / self.zoom }
    }

    /// The SVG `viewBox` for a screen of `width` x `height`.
    pub fn view_box(&self, width: f64, height: f64) -> String {
        format!("{:.1} {:.1} {:.1} {:.1}", self.origin.x, self.origin.y, width / self.zoom, height / self.zoom)
    }
}

fn clamp_zoom(zoom: f64) -> f64 {
    if zoom.is_nan() {
        1.0
    } else {
        zoom.clamp(MIN_ZOOM, MAX_ZOOM)
    }
}

/// `p` rounded to the nearest multiple of `grid`; unchanged when `grid` is not a positive number.
pub fn snap(p: Point, grid: f64) -> Point {
    if !(grid.is_finite() && grid > 0.0) {
        return p;
    }
    // `+ 0.0` turns the `-0.0` of rounding small negative values into `0.0`.
    Point::new((p.x / grid).round() * grid + 0.0, (p.y / grid).round() * grid + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_point_lies_on_the_edge_facing_the_target() {
        let r = Rect { x: 0.0, y: 0.0, width: 100.0, height: 50.0 };
        assert_eq!(r.boundary_toward(Point::new(500.0, 25.0)), Point::new(100.0, 25.0));
        assert_eq!(r.boundary_toward(Point::new(50.0, -300.0)), Point::new(50.0, 0.0));
        assert_eq!(r.boundary_toward(r.center()), r.center());
    }

    #[test]
    fn parallel_straight_routes_are_apart() {
        let a = Rect { x: 0.0, y: 0.0, width: 100.0, height: 50.0 };
        let b = Rect { x: 400.0, y: 0.0, width: 100.0, height: 50.0 };
        let (left, right) = (Route::straight(&a, &b, -8.0), Route::straight(&a, &b, 8.0));
        assert_eq!((left.from().x, right.from().x), (100.0, 100.0));
        assert_eq!(right.from().y - left.from().y, 16.0);
        assert_eq!(left.at(0.5), Point::new(250.0, 17.0));
        assert_eq!(left.svg_path(), "M100.0 17.0 L400.0 17.0");
    }

    #[test]
    fn side_to_side_routes_leave_and_enter_horizontally_on_facing_sides() {
        let a = Rect { x: 400.0, y: 0.0, width: 100.0, height: 50.0 };
        let b = Rect { x: 0.0, y: 300.0, width: 100.0, height: 50.0 };
        let r = Route::side_to_side(&a, &b);
        let c = r.pieces()[0];
        assert_eq!((r.from(), r.to()), (Point::new(400.0, 25.0), Point::new(100.0, 325.0)));
        assert_eq!((c.c1.y, c.c2.y), (c.from.y, c.to.y));
        assert!(c.c1.x < c.from.x && c.c2.x > c.to.x);
        assert_eq!(r.svg_path(), "M400.0 25.0 C250.0 25.0 250.0 325.0 100.0 325.0");
    }

    #[test]
    fn side_to_side_routes_in_one_column_loop_out_to_the_right() {
        let a = Rect { x: 0.0, y: 0.0, width: 100.0, height: 50.0 };
        let b = Rect { x: 0.0, y: 100.0, width: 100.0, height: 50.0 };
        let r = Route::side_to_side(&a, &b);
        assert_eq!((r.from().x, r.to().x), (100.0, 100.0));
        assert!(r.at(0.5).x > 100.0);
    }

    #[test]
    fn a_stretched_route_moves_its_ends_and_keeps_their_directions() {
        let a = Rect { x: 400.0, y: 0.0, width: 100.0, height: 50.0 };
        let b = Rect { x: 0.0, y: 300.0, width: 100.0, height: 50.0 };
        let r = Route::side_to_side(&a, &b);
        assert_eq!(r.stretched(Point::default(), Point::default()), r, "unmoved, it is the route");
        let s = r.stretched(Point::new(30.0, -20.0), Point::default());
        assert_eq!((s.from(), s.to()), (Point::new(430.0, 5.0), r.to()));
        let (c, old) = (s.pieces()[0], r.pieces()[0]);
        assert_eq!((c.c1.y, c.c2), (c.from.y, old.c2), "leaves horizontally as before, arrives as before");
        // A detour of straight pieces and corners becomes one piece between the moved ends.
        let bent = Route::through(&[Point::new(0.0, 0.0), Point::new(100.0, 0.0), Point::new(100.0, 100.0)]);
        let s = bent.stretched(Point::default(), Point::new(0.0, 50.0));
        assert_eq!(s.pieces().len(), 1);
        assert_eq!((s.from(), s.to()), (Point::new(0.0, 0.0), Point::new(100.0, 150.0)));
        assert_eq!(bent.translate(Point::new(5.0, 5.0)).to(), Point::new(105.0, 105.0));
        assert_eq!(bent.translate(Point::new(5.0, 5.0)).pieces().len(), bent.pieces().len());
    }

    #[test]
    fn a_bundle_runs_down_the_middle_of_its_routes() {
        let a = Rect { x: 400.0, y: 0.0, width: 100.0, height: 50.0 };
        let (b, c) = (Rect { x: 0.0, y: 300.0, ..a }, Rect { x: 0.0, y: 340.0, ..a });
        let (r1, r2) = (Route::side_to_side(&a, &b), Route::side_to_side(&a, &c));
        let bundle = Route::bundled([&r1, &r2]).expect("two routes");
        assert_eq!(bundle.pieces().len(), 1);
        assert_eq!(bundle.from(), r1.from(), "both leave the same side of the same box");
        assert_eq!(bundle.to(), Point::new(r1.to().x, (r1.to().y + r2.to().y) / 2.0));
        assert_eq!(Route::bundled([&r1]), Some(r1.stretched(Point::default(), Point::default())));
        assert_eq!(Route::bundled([]), None);
    }

    /// Whether any of `n` points spread along the drawn route lies inside `r` (edges excluded).
    fn sampled_inside(route: &Route, r: &Rect, n: usize) -> bool {
        route.pieces().iter().any(|p| {
            (0..=n)
                .map(|i| p.at(i as f64 / n as f64))
                .any(|q| q.x > r.x && q.x < r.right() && q.y > r.y && q.y < r.bottom())
        })
    }

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect { x, y, width, height }
    }

    #[test]
    fn segments_cross_only_the_rectangles_they_enter() {
        let r = rect(0.0, 0.0, 10.0, 10.0);
        assert!(segment_crosses(Point::new(-5.0, 5.0), Point::new(15.0, 5.0), &r), "through");
        assert!(segment_crosses(Point::new(2.0, 2.0), Point::new(3.0, 3.0), &r), "inside");
        assert!(!segment_crosses(Point::new(-5.0, -1.0), Point::new(15.0, -1.0), &r), "above");
        assert!(!segment_crosses(Point::new(-5.0, 26.0), Point::new(26.0, -5.0), &r), "past the corner");
        assert!(segment_crosses(Point::new(-5.0, 14.0), Point::new(14.0, -5.0), &r), "cuts the corner");
    }

    #[test]
    fn a_route_without_obstacles_in_its_way_is_the_direct_one() {
        let (a, b) = (rect(0.0, 0.0, 100.0, 50.0), rect(600.0, 0.0, 100.0, 50.0));
        let aside = Obstacles::new(vec![(1, rect(300.0, 200.0, 80.0, 80.0)), (2, rect(300.0, -300.0, 80.0, 80.0))]);
        for direct in [Route::straight(&a, &b, 0.0), Route::side_to_side(&a, &b)] {
            let routed = aside.avoid(direct.clone(), &[], |_| unreachable!("no detour is needed"));
            assert_eq!(routed, direct);
        }
    }

    #[test]
    fn a_route_bends_around_a_rectangle_in_its_way() {
        let (a, b) = (rect(0.0, 0.0, 100.0, 50.0), rect(600.0, 0.0, 100.0, 50.0));
        let wall = rect(300.0, -100.0, 80.0, 180.0);
        let obstacles = Obstacles::new(vec![(7, wall)]);
        let direct = Route::straight(&a, &b, 0.0);
        assert!(direct.crosses(&wall) && sampled_inside(&direct, &wall, 100));
        let through = |w: &[Point]| {
            let mut points = vec![a.boundary_toward(w[0])];
            points.extend_from_slice(w);
            points.push(b.boundary_toward(w[w.len() - 1]));
            Route::through(&points)
        };
        let routed = obstacles.avoid(direct.clone(), &[], through);
        assert_ne!(routed, direct);
        assert!(!routed.crosses(&wall) && !sampled_inside(&routed, &wall, 200), "{}", routed.svg_path());
        // Around the nearer (lower) end of the wall, and not much longer than needed.
        assert!(routed.at(0.5).y > wall.bottom(), "{}", routed.svg_path());
        assert!(routed.length() < direct.length() + 2.0 * (80.0 + CLEARANCE) + 100.0);
        // The wall is one of the link's own ends: no detour.
        assert_eq!(obstacles.avoid(direct.clone(), &[7], through), direct);
    }

    #[test]
    fn a_detour_takes_in_rectangles_its_first_attempt_runs_into() {
        let (a, b) = (rect(0.0, 0.0, 100.0, 50.0), rect(800.0, 0.0, 100.0, 50.0));
        // A wall across the line, with a second block right below its lower corner and a third
        // above its upper one: the detour has to go round all three.
        let rects = vec![
            (1, rect(400.0, -60.0, 60.0, 160.0)),
            (2, rect(380.0, 110.0, 100.0, 300.0)),
            (3, rect(380.0, -400.0, 100.0, 330.0)),
        ];
        let obstacles = Obstacles::new(rects.clone());
        let direct = Route::straight(&a, &b, 0.0);
        let routed = obstacles.avoid(direct.clone(), &[], |w| {
            let mut points = vec![a.boundary_toward(w[0])];
            points.extend_from_slice(w);
            points.push(b.boundary_toward(w[w.len() - 1]));
            Route::through(&points)
        });
        assert_ne!(routed, direct);
        for (_, r) in &rects {
            assert!(!sampled_inside(&routed, r, 200), "{r:?}: {}", routed.svg_path());
        }
    }

    #[test]
    fn a_route_with_no_way_around_stays_direct() {
        let (a, b) = (rect(0.0, 0.0, 100.0, 50.0), rect(600.0, 0.0, 100.0, 50.0));
        // Boxed in: whatever way round, the detour ends inside a shape.
        let obstacles = Obstacles::new(vec![
            (1, rect(300.0, -100.0, 80.0, 250.0)),
            (2, rect(-1000.0, -1000.0, 3000.0, 900.0)),
            (3, rect(-1000.0, 160.0, 3000.0, 900.0)),
        ]);
        let direct = Route::straight(&a, &b, 0.0);
        assert_eq!(obstacles.avoid(direct.clone(), &[], |w| Route::through(&[a.center(), w[0], b.center()])), direct);
    }

    #[test]
    fn rounded_polylines_pass_near_their_corners_and_keep_their_ends() {
        let route = Route::through(&[Point::new(0.0, 0.0), Point::new(100.0, 0.0), Point::new(100.0, 100.0)]);
        assert_eq!((route.from(), route.to()), (Point::new(0.0, 0.0), Point::new(100.0, 100.0)));
        let mid = route.at(0.5);
        assert!(mid.x > 80.0 && mid.x < 100.0 && mid.y > 0.0 && mid.y < 20.0, "{mid:?}");
        assert!((route.length() - 200.0).abs() < 20.0, "{}", route.length());
        assert_eq!(Route::through(&[Point::new(1.0, 2.0), Point::new(3.0, 4.0)]).svg_path(), "M1.0 2.0 L3.0 4.0");
    }

    #[test]
    fn cluster_box_grows_with_its_streams_and_holds_them() {
        let origin = Point::new(10.0, 20.0);
        let empty = cluster_rect(origin, 0);
        let three = cluster_rect(origin, 3);
        assert!(three.height > empty.height);
        let last = stream_rect(origin, 2);
        assert!(last.bottom() < three.bottom() && last.right() < three.right());
    }

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn screen_and_world_points_round_trip() {
        let views = [
            Viewport::default(),
            Viewport { origin: Point::new(-120.5, 33.25), zoom: 0.37 },
            Viewport { origin: Point::new(4000.0, -900.0), zoom: 3.5 },
        ];
        for view in views {
            for p in [Point::new(0.0, 0.0), Point::new(17.5, -3.0), Point::new(-2500.0, 8000.0)] {
                assert!(close(view.to_world(view.to_screen(p)), p), "{view:?} {p:?}");
                assert!(close(view.to_screen(view.to_world(p)), p), "{view:?} {p:?}");
            }
        }
    }

    #[test]
    fn zooming_keeps_the_world_point_under_the_cursor() {
        let view = Viewport { origin: Point::new(100.0, -50.0), zoom: 0.8 };
        let cursor = Point::new(312.0, 205.0);
        let anchor = view.to_world(cursor);
        for factor in [1.1, 0.5, 2.0, 1.0 / 1.1] {
            let zoomed = view.zoom_at(cursor, factor);
            assert!((zoomed.zoom - 0.8 * factor).abs() < 1e-12);
            assert!(close(zoomed.to_world(cursor), anchor), "{factor}");
        }
    }

    #[test]
    fn zoom_is_clamped_and_still_keeps_the_anchor() {
        let view = Viewport { origin: Point::new(10.0, 10.0), zoom: 1.0 };
        let cursor = Point::new(50.0, 80.0);
        let far_in = view.zoom_at(cursor, 1000.0);
        assert_eq!(far_in.zoom, MAX_ZOOM);
        assert!(close(far_in.to_world(cursor), view.to_world(cursor)));
        let far_out = view.zoom_at(cursor, 0.0001);
        assert_eq!(far_out.zoom, MIN_ZOOM);
        assert!(close(far_out.to_world(cursor), view.to_world(cursor)));
        for nonsense in [0.0, -2.0, f64::NAN, f64::INFINITY] {
            assert_eq!(view.zoom_at(cursor, nonsense), view);
        }
    }

    #[test]
    fn a_pinch_zooms_by_the_fingers_distance_and_keeps_the_point_between_them() {
        let start = Viewport { origin: Point::new(40.0, -20.0), zoom: 0.5 };
        let from = (Point::new(100.0, 100.0), Point::new(200.0, 100.0));
        let between = start.to_world(Point::new(150.0, 100.0));
        // Spread to twice the distance, and move the pair 30 px right and 10 px down.
        let to = (Point::new(80.0, 110.0), Point::new(280.0, 110.0));
        let view = Viewport::pinch(&start, from, to);
        assert!((view.zoom - 1.0).abs() < 1e-12);
        assert!(close(view.to_world(Point::new(180.0, 110.0)), between));
        // Fingers that do not move change nothing; fingers on one spot only pan.
        assert_eq!(Viewport::pinch(&start, from, from), start);
        let same = (Point::new(5.0, 5.0), Point::new(5.0, 5.0));
        assert_eq!(Viewport::pinch(&start, same, same).zoom, start.zoom);
    }

    #[test]
    fn wheel_zoom_is_proportional_and_bounded() {
        // A mouse notch is about one button step, either way.
        let notch = Viewport::wheel_factor(-100.0, false);
        assert!((1.15..1.3).contains(&notch), "{notch}");
        assert!((Viewport::wheel_factor(100.0, false) * notch - 1.0).abs() < 1e-12);
        // Many small trackpad events add up to what one big one does.
        let small: f64 = (0..10).map(|_| Viewport::wheel_factor(-10.0, false)).product();
        assert!((small - notch).abs() < 1e-9);
        // A pinch's small deltas zoom noticeably; nothing zooms by more than two steps at once.
        assert!(Viewport::wheel_factor(-5.0, true) > 1.04);
        assert_eq!(Viewport::wheel_factor(-1e6, false), 1.44);
        assert_eq!(Viewport::wheel_factor(f64::NAN, true), 1.0);
    }

    #[test]
    fn panning_moves_the_world_with_the_pointer() {
        let view = Viewport { origin: Point::new(0.0, 0.0), zoom: 2.0 };
        let grabbed = view.to_world(Point::new(100.0, 100.0));
        let panned = view.pan_by(30.0, -10.0);
        assert_eq!(panned.origin, Point::new(-15.0, 5.0));
        assert!(close(panned.to_world(Point::new(130.0, 90.0)), grabbed));
        assert_eq!(panned.zoom, 2.0);
    }

    #[test]
    fn fit_shows_the_bounds_whole_and_centred() {
        let (width, height, margin) = (1200.0, 800.0, 40.0);
        for bounds in [
            Rect { x: -300.0, y: 100.0, width: 5000.0, height: 900.0 },
            Rect { x: 80.0, y: 40.0, width: 1040.0, height: 560.0 },
            Rect { x: 10.0, y: 10.0, width: 100.0, height: 50.0 },
        ] {
            let view = Viewport::fit(bounds, width, height, margin);
            assert!(view.zoom <= 1.0 && view.zoom >= MIN_ZOOM, "{view:?}");
            let top_left = view.to_screen(Point::new(bounds.x, bounds.y));
            let bottom_right = view.to_screen(Point::new(bounds.right(), bounds.bottom()));
            assert!(top_left.x >= margin - 1e-9 && top_left.y >= margin - 1e-9, "{bounds:?} {top_left:?}");
            assert!(bottom_right.x <= width - margin + 1e-9 && bottom_right.y <= height - margin + 1e-9);
            assert!(close(view.to_screen(bounds.center()), Point::new(width / 2.0, height / 2.0)));
        }
        let small = Viewport::fit(Rect { x: 0.0, y: 0.0, width: 10.0, height: 10.0 }, width, height, margin);
        assert_eq!(small.zoom, 1.0, "never zooms in beyond 1");
        let huge = Viewport::fit(Rect { x: 0.0, y: 0.0, width: 1e9, height: 1e9 }, width, height, margin);
        assert_eq!(huge.zoom, MIN_ZOOM);
        let degenerate = Viewport::fit(Rect::default(), 0.0, f64::NAN, 1e6);
        assert!(degenerate.zoom.is_finite() && degenerate.origin.x.is_finite() && degenerate.origin.y.is_finite());
    }

    #[test]
    fn fit_within_keeps_the_bounds_out_of_the_insets() {
        let (width, height) = (1280.0, 600.0);
        let insets = Insets { top: 24.0, right: 240.0, bottom: 80.0, left: 24.0 };
        for bounds in [
            Rect { x: 0.0, y: 0.0, width: 1200.0, height: 700.0 },
            Rect { x: -50.0, y: 30.0, width: 300.0, height: 200.0 },
        ] {
            let view = Viewport::fit_within(bounds, width, height, insets);
            let tl = view.to_screen(Point::new(bounds.x, bounds.y));
            let br = view.to_screen(Point::new(bounds.right(), bounds.bottom()));
            assert!(tl.x >= 24.0 - 1e-9 && tl.y >= 24.0 - 1e-9, "{tl:?}");
            assert!(br.x <= width - 240.0 + 1e-9 && br.y <= height - 80.0 + 1e-9, "{br:?}");
        }
        // Insets larger than the screen are scaled down to leave half of it.
        let room = Viewport::room(400.0, 300.0, Insets { top: 0.0, right: 1000.0, bottom: 0.0, left: 1000.0 });
        assert!((room.width - 200.0).abs() < 1e-9 && room.x > 0.0);
    }

    #[test]
    fn a_huge_design_fits_far_out_rather_than_cut() {
        // 50 clusters of 20 streams laid out in a ring are about 20,000 units across.
        let bounds = Rect { x: -10000.0, y: -10500.0, width: 20260.0, height: 21400.0 };
        let view = Viewport::fit(bounds, 900.0, 700.0, 48.0);
        let (tl, br) = (
            view.to_screen(Point::new(bounds.x, bounds.y)),
            view.to_screen(Point::new(bounds.right(), bounds.bottom())),
        );
        assert!(tl.y >= 0.0 && br.y <= 700.0 && tl.x >= 0.0 && br.x <= 900.0, "{tl:?} {br:?}");
    }

    #[test]
    fn focus_zooms_to_a_readable_size_and_shows_a_big_target_from_its_top_left() {
        let (width, height) = (1000.0, 600.0);
        let small = Rect { x: 5000.0, y: -300.0, width: 200.0, height: 48.0 };
        let view = Viewport::focus(small, width, height, Insets::default(), 0.75);
        assert_eq!(view.zoom, 1.0);
        assert!(close(view.to_screen(small.center()), Point::new(500.0, 300.0)));
        let tall = Rect { x: 0.0, y: 0.0, width: 260.0, height: 3000.0 };
        let view = Viewport::focus(tall, width, height, Insets { top: 20.0, ..Insets::default() }, 0.75);
        assert_eq!(view.zoom, 0.75);
        let tl = view.to_screen(Point::new(tall.x, tall.y));
        assert!((tl.y - 20.0).abs() < 1e-9, "top edge under the inset: {tl:?}");
        assert!(close(Point::new(view.to_screen(tall.center()).x, 0.0), Point::new(500.0, 0.0)), "centred across");
    }

    #[test]
    fn a_resize_keeps_the_centre_and_the_zoom() {
        let view = Viewport { origin: Point::new(100.0, 50.0), zoom: 0.5 };
        let centre = view.to_world(Point::new(400.0, 300.0));
        let after = view.resized((800.0, 600.0), (800.0, 380.0));
        assert_eq!(after.zoom, 0.5);
        assert!(close(after.to_world(Point::new(400.0, 190.0)), centre));
        assert_eq!(view.resized((0.0, 600.0), (800.0, 380.0)), view);
    }

    #[test]
    fn the_overview_shows_everything_at_any_zoom_and_centring_moves_only_the_origin() {
        let bounds = Rect { x: -9000.0, y: 400.0, width: 22000.0, height: 18000.0 };
        let map = Viewport::overview(bounds, 200.0, 140.0);
        assert!(map.zoom < MIN_ZOOM, "no zoom limit: {map:?}");
        let (tl, br) =
            (map.to_screen(Point::new(bounds.x, bounds.y)), map.to_screen(Point::new(bounds.right(), bounds.bottom())));
        assert!(tl.x >= -1e-9 && tl.y >= -1e-9 && br.x <= 200.0 + 1e-9 && br.y <= 140.0 + 1e-9, "{tl:?} {br:?}");
        assert!(close(map.to_screen(bounds.center()), Point::new(100.0, 70.0)));
        let empty = Viewport::overview(Rect::default(), 0.0, f64::NAN);
        assert!(empty.zoom.is_finite() && empty.origin.x.is_finite());

        let view = Viewport { origin: Point::new(10.0, 20.0), zoom: 0.5 };
        let centred = view.centred_on(Point::new(1000.0, -500.0), 800.0, 600.0);
        assert_eq!(centred.zoom, 0.5);
        assert!(close(centred.to_screen(Point::new(1000.0, -500.0)), Point::new(400.0, 300.0)));
        assert_eq!(view.centred_on(Point::new(f64::NAN, 0.0), 800.0, 600.0), view);
        let seen = centred.visible(800.0, 600.0);
        assert!(close(seen.center(), Point::new(1000.0, -500.0)) && seen.width == 1600.0 && seen.height == 1200.0);
    }

    #[test]
    fn snapping_rounds_to_the_nearest_grid_point() {
        assert_eq!(snap(Point::new(13.0, 11.9), 24.0), Point::new(24.0, 0.0));
        assert_eq!(snap(Point::new(-13.0, 37.0), 24.0), Point::new(-24.0, 48.0));
        assert_eq!(snap(Point::new(-1.0, 0.4), 24.0), Point::new(0.0, 0.0));
        assert!(snap(Point::new(-1.0, -1.0), 24.0).x.is_sign_positive(), "no negative zero");
        assert_eq!(snap(Point::new(5.5, 6.5), 0.0), Point::new(5.5, 6.5));
        assert_eq!(snap(Point::new(5.5, 6.5), f64::NAN), Point::new(5.5, 6.5));
    }

    #[test]
    fn rectangles_know_what_they_hold_and_touch() {
        let r = Rect::from_corners(Point::new(100.0, 50.0), Point::new(0.0, 0.0));
        assert_eq!(r, Rect { x: 0.0, y: 0.0, width: 100.0, height: 50.0 });
        assert!(r.contains(Point::new(100.0, 0.0)) && !r.contains(Point::new(100.1, 0.0)));
        assert!(r.intersects(&Rect { x: 90.0, y: 40.0, width: 50.0, height: 50.0 }));
        assert!(!r.intersects(&Rect { x: 101.0, y: 0.0, width: 5.0, height: 5.0 }));
    }
}
