//! Canvas geometry in world coordinates: points, rectangles, and the boxes that the canvas
//! draws for clusters and streams.
//!
//! Streams are laid out inside their cluster in one column, so a cluster's box is derived from
//! its position and its number of streams; nothing here is stored twice.

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

/// How a link is drawn: a cubic curve from `from` to `to` with control points `c1` and `c2`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Route {
    pub from: Point,
    pub c1: Point,
    pub c2: Point,
    pub to: Point,
}

/// How far the curve of a side-to-side route reaches out of its boxes, at least.
const MIN_REACH: f64 = 48.0;

impl Route {
    /// A straight route between two boxes, from and to the sides that face each other; `offset`
    /// shifts it sideways, for parallel links between the same boxes.
    pub fn straight(a: &Rect, b: &Rect, offset: f64) -> Route {
        let (ca, cb) = (a.center(), b.center());
        let (dx, dy) = (cb.x - ca.x, cb.y - ca.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (nx, ny) = (-dy / len, dx / len);
        let shift = |p: Point| Point::new(p.x + nx * offset, p.y + ny * offset);
        let (from, to) = (shift(a.boundary_toward(cb)), shift(b.boundary_toward(ca)));
        Route { from, c1: from, c2: to, to }
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
            return Route { from, c1: Point::new(from.x + reach, from.y), c2: Point::new(to.x + reach, to.y), to };
        }
        let dir = dx.signum();
        let from = Point::new(if dir > 0.0 { a.right() } else { a.x }, ca.y);
        let to = Point::new(if dir > 0.0 { b.x } else { b.right() }, cb.y);
        let reach = MIN_REACH.max((to.x - from.x).abs() * 0.5);
        Route { from, c1: Point::new(from.x + dir * reach, from.y), c2: Point::new(to.x - dir * reach, to.y), to }
    }

    /// The point at `t` (0 at `from`, 1 at `to`) along the curve.
    pub fn at(&self, t: f64) -> Point {
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        Point::new(
            a * self.from.x + b * self.c1.x + c * self.c2.x + d * self.to.x,
            a * self.from.y + b * self.c1.y + c * self.c2.y + d * self.to.y,
        )
    }

    /// The SVG path data of the curve.
    pub fn svg_path(&self) -> String {
        format!(
            "M{:.1} {:.1} C{:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
            self.from.x, self.from.y, self.c1.x, self.c1.y, self.c2.x, self.c2.y, self.to.x, self.to.y
        )
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

/// Zoom limits of the canvas.
pub const MIN_ZOOM: f64 = 0.04;
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
        let finite = |v: f64, or: f64| if v.is_finite() { v } else { or };
        let (width, height) = (finite(width, 0.0).max(1.0), finite(height, 0.0).max(1.0));
        let margin = finite(margin, 0.0).clamp(0.0, (width.min(height) / 2.0 - 0.5).max(0.0));
        let (room_x, room_y) = (width - 2.0 * margin, height - 2.0 * margin);
        let (bw, bh) = (finite(bounds.width, 0.0).max(1.0), finite(bounds.height, 0.0).max(1.0));
        let zoom = (room_x / bw).min(room_y / bh).clamp(MIN_ZOOM, 1.0);
        let centre = Point::new(finite(bounds.x, 0.0) + bw / 2.0, finite(bounds.y, 0.0) + bh / 2.0);
        Viewport { origin: Point::new(centre.x - width / 2.0 / zoom, centre.y - height / 2.0 / zoom), zoom }
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
        assert_eq!((left.from.x, right.from.x), (100.0, 100.0));
        assert_eq!(right.from.y - left.from.y, 16.0);
        assert_eq!(left.at(0.5), Point::new(250.0, 17.0));
    }

    #[test]
    fn side_to_side_routes_leave_and_enter_horizontally_on_facing_sides() {
        let a = Rect { x: 400.0, y: 0.0, width: 100.0, height: 50.0 };
        let b = Rect { x: 0.0, y: 300.0, width: 100.0, height: 50.0 };
        let r = Route::side_to_side(&a, &b);
        assert_eq!((r.from, r.to), (Point::new(400.0, 25.0), Point::new(100.0, 325.0)));
        assert_eq!((r.c1.y, r.c2.y), (r.from.y, r.to.y));
        assert!(r.c1.x < r.from.x && r.c2.x > r.to.x);
        assert_eq!(r.svg_path(), "M400.0 25.0 C250.0 25.0 250.0 325.0 100.0 325.0");
    }

    #[test]
    fn side_to_side_routes_in_one_column_loop_out_to_the_right() {
        let a = Rect { x: 0.0, y: 0.0, width: 100.0, height: 50.0 };
        let b = Rect { x: 0.0, y: 100.0, width: 100.0, height: 50.0 };
        let r = Route::side_to_side(&a, &b);
        assert_eq!((r.from.x, r.to.x), (100.0, 100.0));
        assert!(r.at(0.5).x > 100.0);
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
