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
}
