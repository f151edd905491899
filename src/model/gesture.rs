//! Pointer and keyboard gestures on the canvas as a pure state machine: pointer events in, a
//! preview and at most one `Command` out.
//!
//! The canvas forwards each event here and applies what comes back (a view pan, a drag
//! preview, a selection, one command). Nothing here reads the DOM, so every transition is
//! tested on the host. One drag is one command, hence one undo step.

use super::command::Command;
use super::edit::{self, CopyKind};
use super::geometry::{snap, Point, Rect};
use super::{ClusterId, Design, StreamId};

/// A selectable shape of the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shape {
    Cluster(ClusterId),
    Stream(StreamId),
}

/// A pointer gesture in progress. Only [`Gesture::finish`] turns one into a command.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    #[default]
    Idle,
    /// Dragging the background: the view follows (`last` in screen pixels).
    Pan { last: Point },
    /// Dragging clusters: they are drawn shifted by `delta` (world units) until released.
    MoveClusters { clusters: Vec<ClusterId>, start: Point, delta: Point },
    /// Dragging a stream towards another cluster; `at` is the pointer in world units.
    MoveStream { stream: StreamId, at: Point },
    /// Drawing a selection rectangle between two world points.
    Select { from: Point, to: Point, additive: bool },
    /// Drawing a link from a shape's handle to the pointer.
    Connect { from: Shape, at: Point, kind: CopyKind },
}

/// Where the pointer is: in screen pixels of the canvas (panning) and in world units; `alt`
/// is the modifier that draws a mirror instead of a source.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pointer {
    pub screen: Point,
    pub world: Point,
    pub alt: bool,
}

/// What a pointer move shows besides the gesture itself.
#[derive(Clone, Debug, PartialEq)]
pub enum Preview {
    Nothing,
    /// Pan the view by this many screen pixels.
    PanBy(Point),
    /// Draw these clusters shifted by `delta` (world units).
    Offset {
        clusters: Vec<ClusterId>,
        delta: Point,
    },
    /// Draw the dragged stream at `at`; `hover` is the cluster it would land in.
    DragStream {
        stream: StreamId,
        at: Point,
        hover: Option<Shape>,
    },
    /// The shape a link being drawn would end on.
    Hover(Option<Shape>),
}

/// What releasing (or cancelling) a gesture does.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Nothing,
    /// One edit, one undo step.
    Command(Command),
    /// A link that may not be drawn, and why.
    Refused(String),
    /// A selection rectangle's hits, added to the selection or replacing it.
    Select {
        shapes: Vec<Shape>,
        additive: bool,
    },
}

impl Gesture {
    /// The gesture after a pointer move to `p`, and what to preview.
    pub fn moved(&self, design: &Design, p: Pointer) -> (Gesture, Preview) {
        match self {
            Gesture::Idle => (Gesture::Idle, Preview::Nothing),
            Gesture::Pan { last } => {
                (Gesture::Pan { last: p.screen }, Preview::PanBy(Point::new(p.screen.x - last.x, p.screen.y - last.y)))
            }
            Gesture::MoveClusters { clusters, start, .. } => {
                let delta = Point::new(p.world.x - start.x, p.world.y - start.y);
                (
                    Gesture::MoveClusters { clusters: clusters.clone(), start: *start, delta },
                    Preview::Offset { clusters: clusters.clone(), delta },
                )
            }
            Gesture::MoveStream { stream, .. } => (
                Gesture::MoveStream { stream: *stream, at: p.world },
                Preview::DragStream { stream: *stream, at: p.world, hover: hover_target(design, None, p.world) },
            ),
            Gesture::Select { from, additive, .. } => {
                (Gesture::Select { from: *from, to: p.world, additive: *additive }, Preview::Nothing)
            }
            Gesture::Connect { from, .. } => {
                let kind = if p.alt { CopyKind::Mirror } else { CopyKind::Source };
                let hover = hover_target(design, Some(*from), p.world).filter(|s| s != from);
                (Gesture::Connect { from: *from, at: p.world, kind }, Preview::Hover(hover))
            }
        }
    }

    /// The clusters whose move this gesture previews (to clear the preview at its end).
    pub fn moving(&self) -> &[ClusterId] {
        match self {
            Gesture::MoveClusters { clusters, .. } => clusters,
            _ => &[],
        }
    }

    /// Whether releasing this gesture moves a shape (the view may then follow it).
    pub fn moves_shapes(&self) -> bool {
        matches!(self, Gesture::MoveClusters { .. } | Gesture::MoveStream { .. })
    }

    /// What releasing the gesture does; `grid` snaps moved clusters when given.
    pub fn finish(self, design: &Design, grid: Option<f64>) -> Outcome {
        let snapped = |p: Point| grid.map_or(p, |g| snap(p, g));
        match self {
            Gesture::MoveClusters { clusters, delta, .. } if delta != Point::default() => {
                let moves: Vec<_> = clusters
                    .iter()
                    .filter_map(|id| {
                        let p = design.cluster(*id)?.position;
                        Some((*id, snapped(Point::new(p.x + delta.x, p.y + delta.y))))
                    })
                    .collect();
                if moves.is_empty() {
                    Outcome::Nothing
                } else {
                    Outcome::Command(Command::MoveClusters { moves })
                }
            }
            Gesture::MoveStream { stream, at } => {
                match (edit::cluster_at(design, at), design.stream(stream).map(|s| s.cluster)) {
                    (Some(target), Some(current)) if target != current => {
                        Outcome::Command(Command::SetStreamCluster { stream, cluster: target })
                    }
                    _ => Outcome::Nothing,
                }
            }
            Gesture::Select { from, to, additive } => {
                let area = Rect::from_corners(from, to);
                if area.width < 3.0 && area.height < 3.0 {
                    return Outcome::Nothing;
                }
                let clusters = edit::clusters_in(design, area).into_iter().map(Shape::Cluster);
                let streams = design
                    .streams()
                    .filter(|s| design.stream_rect(s.id).is_some_and(|r| r.intersects(&area)))
                    .map(|s| Shape::Stream(s.id));
                Outcome::Select { shapes: clusters.chain(streams).collect(), additive }
            }
            Gesture::Connect { from, at, kind } => match connection_at(design, from, at, kind) {
                Some(Ok(command)) => Outcome::Command(command),
                Some(Err(reason)) => Outcome::Refused(reason),
                None => Outcome::Nothing,
            },
            _ => Outcome::Nothing,
        }
    }
}

/// The shape a gesture from `from` would end on at `at`: a stream for stream links, a cluster
/// for leafnodes and for dragged streams.
pub fn hover_target(design: &Design, from: Option<Shape>, at: Point) -> Option<Shape> {
    match from {
        Some(Shape::Stream(_)) => edit::stream_at(design, at).map(Shape::Stream),
        _ => edit::cluster_at(design, at).map(Shape::Cluster),
    }
}

/// What a connection dropped at `at` would be, or why it cannot be; `None` over nothing.
pub fn connection_at(design: &Design, from: Shape, at: Point, kind: CopyKind) -> Option<Result<Command, String>> {
    match from {
        Shape::Stream(origin) => {
            let copy = edit::stream_at(design, at)?;
            Some(
                edit::can_connect_streams(design, origin, copy, kind)
                    .map(|()| Command::ConnectStreams { origin, copy, kind })
                    .map_err(|e| e.to_string()),
            )
        }
        Shape::Cluster(spoke) => {
            let hub = edit::cluster_at(design, at)?;
            if hub == spoke {
                return None;
            }
            Some(
                edit::can_connect_leafnode(design, spoke, hub)
                    .map(|()| Command::ConnectLeafnode { from: spoke, to: hub, accounts: None })
                    .map_err(|e| e.to_string()),
            )
        }
    }
}

/// The shapes a connection from `from` can end on, each with a point where a drop hits it: the
/// other clusters for a leafnode, the other streams for a mirror or source; in id order. A
/// shape covered by others everywhere it is tried is left out (a drop could not reach it either).
pub fn connect_candidates(design: &Design, from: Shape) -> Vec<(Shape, Point)> {
    /// Points of `r` to try, the centre first.
    fn probes(r: Rect) -> [Point; 5] {
        let inset = |fx: f64, fy: f64| Point::new(r.x + r.width * fx, r.y + r.height * fy);
        [r.center(), inset(0.5, 0.1), inset(0.1, 0.1), inset(0.9, 0.9), inset(0.1, 0.9)]
    }
    match from {
        Shape::Cluster(c) => design
            .clusters()
            .filter(|(id, _)| *id != c)
            .filter_map(|(id, _)| {
                let at =
                    probes(design.cluster_rect(id)?).into_iter().find(|p| edit::cluster_at(design, *p) == Some(id))?;
                Some((Shape::Cluster(id), at))
            })
            .collect(),
        Shape::Stream(s) => design
            .streams()
            .filter(|st| st.id != s)
            .filter_map(|st| {
                let at = probes(design.stream_rect(st.id)?)
                    .into_iter()
                    .find(|p| edit::stream_at(design, *p) == Some(st.id))?;
                Some((Shape::Stream(st.id), at))
            })
            .collect(),
    }
}

/// What a key pressed on a shape's handle does to the keyboard connection from that shape.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyStep {
    /// Not a key of the connection: the page's shortcuts have it.
    Ignored,
    /// There is nothing to connect to; the text says so.
    Nothing(String),
    /// The connection now points at `to`; `announce` says where and whether it may end there.
    Point { gesture: Gesture, to: Option<Shape>, announce: String },
    /// Enter on a connection in progress: release it (as a drop).
    Finish,
    /// Escape: cancel it.
    Cancel,
}

/// The keyboard path of a handle's drag: Enter or Space starts a connection from `from` and
/// points it at the first other shape; the arrows step through the shapes it can end on, M
/// switches a stream link between source and mirror, Enter connects and Escape cancels.
pub fn connect_key(design: &Design, current: &Gesture, from: Shape, key: &str) -> KeyStep {
    let current = match current {
        Gesture::Connect { from: f, at, kind } if *f == from => Some((*at, *kind)),
        _ => None,
    };
    let point = |to: Shape, at: Point, kind: CopyKind| KeyStep::Point {
        gesture: Gesture::Connect { from, at, kind },
        to: Some(to),
        announce: announce_connection(design, from, to, at, kind),
    };
    match (key, current) {
        ("Enter" | " ", None) => match connect_candidates(design, from).first() {
            Some((to, at)) => point(*to, *at, CopyKind::Source),
            None => KeyStep::Nothing("Nothing to connect to yet".into()),
        },
        ("Enter" | " ", Some(_)) => KeyStep::Finish,
        ("Escape", Some(_)) => KeyStep::Cancel,
        ("ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp", Some((at, kind))) => {
            let candidates = connect_candidates(design, from);
            if candidates.is_empty() {
                return KeyStep::Ignored;
            }
            let here = candidates.iter().position(|(_, p)| *p == at).unwrap_or(0);
            let n = candidates.len();
            let next = if matches!(key, "ArrowRight" | "ArrowDown") { (here + 1) % n } else { (here + n - 1) % n };
            let (to, at) = candidates[next];
            point(to, at, kind)
        }
        ("m" | "M", Some((at, kind))) if matches!(from, Shape::Stream(_)) => {
            let kind = if kind == CopyKind::Mirror { CopyKind::Source } else { CopyKind::Mirror };
            match hover_target(design, Some(from), at) {
                Some(to) => point(to, at, kind),
                None => {
                    KeyStep::Point { gesture: Gesture::Connect { from, at, kind }, to: None, announce: String::new() }
                }
            }
        }
        _ => KeyStep::Ignored,
    }
}

/// Says which shape a keyboard connection would end on, and whether it may (the status line is
/// a live region: a screen reader hears it).
pub fn announce_connection(design: &Design, from: Shape, to: Shape, at: Point, kind: CopyKind) -> String {
    let name = match to {
        Shape::Cluster(c) => design.cluster(c).map(|c| format!("cluster {}", c.name)),
        Shape::Stream(s) => design.stream(s).map(|s| format!("stream {}", s.config.name)),
    };
    let verb = match (from, kind) {
        (Shape::Cluster(_), _) => "Leafnode to",
        (_, CopyKind::Mirror) => "Mirror into",
        (_, CopyKind::Source) => "Source into",
    };
    let hint = match connection_at(design, from, at, kind) {
        Some(Ok(_)) => "Enter connects".to_owned(),
        Some(Err(reason)) => format!("not allowed: {reason}"),
        None => "not allowed".to_owned(),
    };
    let mirror = if matches!(from, Shape::Stream(_)) { ", M switches mirror/source" } else { "" };
    format!("{verb} {}: {hint}; arrows choose another{mirror}, Escape cancels", name.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::new_cluster;
    use crate::model::history::Document;
    use crate::model::Role;

    /// A hub and a spoke side by side, each with one stream, all in one account.
    fn two_clusters() -> (Design, ClusterId, ClusterId, StreamId, StreamId) {
        let mut doc = Document::new(Design::default());
        for (role, x) in [(Role::Hub, 0.0), (Role::Spoke, 600.0)] {
            let cluster = new_cluster(doc.design(), role, Point::new(x, 0.0));
            doc.execute(Command::AddCluster { cluster: Box::new(cluster) }).unwrap();
        }
        let ids: Vec<_> = doc.design().clusters().map(|(id, _)| id).collect();
        for c in &ids {
            let account = edit::default_account(doc.design(), *c);
            let config = edit::new_stream(doc.design(), *c);
            doc.execute(Command::AddStream { cluster: *c, account, config: Box::new(config) }).unwrap();
        }
        let design = doc.design().clone();
        let streams: Vec<_> = design.streams().map(|s| s.id).collect();
        (design, ids[0], ids[1], streams[0], streams[1])
    }

    fn at(world: Point) -> Pointer {
        Pointer { screen: world, world, alt: false }
    }

    fn center_of(design: &Design, shape: Shape) -> Point {
        match shape {
            Shape::Cluster(c) => design.cluster_rect(c).unwrap().center(),
            Shape::Stream(s) => design.stream_rect(s).unwrap().center(),
        }
    }

    #[test]
    fn panning_moves_the_view_by_the_pointer_in_screen_pixels() {
        let (design, ..) = two_clusters();
        let g = Gesture::Pan { last: Point::new(10.0, 10.0) };
        let (g, preview) =
            g.moved(&design, Pointer { screen: Point::new(15.0, 7.0), world: Point::default(), alt: false });
        assert_eq!(preview, Preview::PanBy(Point::new(5.0, -3.0)));
        assert_eq!(g, Gesture::Pan { last: Point::new(15.0, 7.0) });
        assert_eq!(g.finish(&design, Some(24.0)), Outcome::Nothing);
    }

    #[test]
    fn dragging_clusters_previews_an_offset_and_releases_one_snapped_move() {
        let (design, hub, spoke, ..) = two_clusters();
        let start = Point::new(10.0, 10.0);
        let g = Gesture::MoveClusters { clusters: vec![hub, spoke], start, delta: Point::default() };
        let (g, preview) = g.moved(&design, at(Point::new(60.0, 35.0)));
        let delta = Point::new(50.0, 25.0);
        assert_eq!(preview, Preview::Offset { clusters: vec![hub, spoke], delta });
        assert_eq!(g.moving(), &[hub, spoke]);
        assert!(g.moves_shapes());
        let hub_at = design.cluster(hub).unwrap().position;
        let Outcome::Command(Command::MoveClusters { moves }) = g.clone().finish(&design, Some(24.0)) else {
            panic!("a drag is one move command")
        };
        assert_eq!(moves.len(), 2);
        assert_eq!(moves[0].0, hub);
        assert_eq!(moves[0].1, snap(Point::new(hub_at.x + 50.0, hub_at.y + 25.0), 24.0));
        let Outcome::Command(Command::MoveClusters { moves }) = g.finish(&design, None) else { panic!() };
        assert_eq!(moves[0].1, Point::new(hub_at.x + 50.0, hub_at.y + 25.0));
        // A click without a move is no edit.
        let still = Gesture::MoveClusters { clusters: vec![hub], start, delta: Point::default() };
        assert_eq!(still.finish(&design, Some(24.0)), Outcome::Nothing);
    }

    #[test]
    fn a_stream_dropped_on_another_cluster_moves_there_and_nowhere_else() {
        let (design, hub, spoke, s_hub, _) = two_clusters();
        let g = Gesture::MoveStream { stream: s_hub, at: center_of(&design, Shape::Stream(s_hub)) };
        let over_spoke = center_of(&design, Shape::Cluster(spoke));
        let (g, preview) = g.moved(&design, at(over_spoke));
        assert_eq!(preview, Preview::DragStream { stream: s_hub, at: over_spoke, hover: Some(Shape::Cluster(spoke)) });
        assert_eq!(
            g.finish(&design, None),
            Outcome::Command(Command::SetStreamCluster { stream: s_hub, cluster: spoke })
        );
        let home = Gesture::MoveStream { stream: s_hub, at: center_of(&design, Shape::Cluster(hub)) };
        assert_eq!(home.finish(&design, None), Outcome::Nothing);
        let nowhere = Gesture::MoveStream { stream: s_hub, at: Point::new(-5000.0, -5000.0) };
        assert_eq!(nowhere.finish(&design, None), Outcome::Nothing);
    }

    #[test]
    fn a_selection_rectangle_selects_what_it_touches_and_a_click_selects_nothing() {
        let (design, hub, _, s_hub, _) = two_clusters();
        let r = design.cluster_rect(hub).unwrap();
        let g = Gesture::Select {
            from: Point::new(r.x - 10.0, r.y - 10.0),
            to: Point::new(r.x - 10.0, r.y - 10.0),
            additive: true,
        };
        let (g, _) = g.moved(&design, at(Point::new(r.x + r.width + 5.0, r.y + r.height + 5.0)));
        assert_eq!(
            g.finish(&design, None),
            Outcome::Select { shapes: vec![Shape::Cluster(hub), Shape::Stream(s_hub)], additive: true }
        );
        let click = Gesture::Select { from: Point::new(1.0, 1.0), to: Point::new(2.0, 2.0), additive: false };
        assert_eq!(click.finish(&design, None), Outcome::Nothing);
    }

    #[test]
    fn drawing_a_link_hovers_its_end_and_releases_a_connect_or_a_refusal() {
        let (design, hub, spoke, s_hub, s_spoke) = two_clusters();
        let from = Shape::Stream(s_hub);
        let g = Gesture::Connect { from, at: center_of(&design, from), kind: CopyKind::Source };
        let target = center_of(&design, Shape::Stream(s_spoke));
        let (g, preview) = g.moved(&design, Pointer { alt: true, ..at(target) });
        assert_eq!(preview, Preview::Hover(Some(Shape::Stream(s_spoke))));
        assert_eq!(
            g.finish(&design, None),
            Outcome::Command(Command::ConnectStreams { origin: s_hub, copy: s_spoke, kind: CopyKind::Mirror })
        );
        // Onto itself: no hover, and a refusal that says why.
        let own = Gesture::Connect { from, at: center_of(&design, from), kind: CopyKind::Source };
        let (own, preview) = own.moved(&design, at(center_of(&design, from)));
        assert_eq!(preview, Preview::Hover(None));
        assert!(matches!(own.finish(&design, None), Outcome::Refused(r) if r.contains("itself")));
        // A leafnode from the spoke to the hub, and none from the hub to itself.
        let leaf = Gesture::Connect {
            from: Shape::Cluster(spoke),
            at: center_of(&design, Shape::Cluster(hub)),
            kind: CopyKind::Source,
        };
        assert_eq!(
            leaf.finish(&design, None),
            Outcome::Command(Command::ConnectLeafnode { from: spoke, to: hub, accounts: None })
        );
        let to_self = Gesture::Connect {
            from: Shape::Cluster(hub),
            at: center_of(&design, Shape::Cluster(hub)),
            kind: CopyKind::Source,
        };
        assert_eq!(to_self.finish(&design, None), Outcome::Nothing);
        // Released over the background: nothing.
        let lost = Gesture::Connect { from, at: Point::new(-5000.0, 0.0), kind: CopyKind::Source };
        assert_eq!(lost.finish(&design, None), Outcome::Nothing);
    }

    #[test]
    fn the_keyboard_path_points_steps_switches_and_connects() {
        let (design, _, _, s_hub, s_spoke) = two_clusters();
        let from = Shape::Stream(s_hub);
        assert_eq!(connect_key(&design, &Gesture::Idle, from, "ArrowRight"), KeyStep::Ignored);
        let KeyStep::Point { gesture, to, announce } = connect_key(&design, &Gesture::Idle, from, "Enter") else {
            panic!("Enter starts a connection")
        };
        assert_eq!(to, Some(Shape::Stream(s_spoke)));
        assert!(announce.starts_with("Source into stream"), "{announce}");
        assert!(announce.contains("Enter connects"), "{announce}");
        // One other stream: the arrows come back to it.
        let KeyStep::Point { gesture: stepped, to, .. } = connect_key(&design, &gesture, from, "ArrowLeft") else {
            panic!()
        };
        assert_eq!(to, Some(Shape::Stream(s_spoke)));
        let KeyStep::Point { gesture: mirror, announce, .. } = connect_key(&design, &stepped, from, "m") else {
            panic!()
        };
        assert!(announce.starts_with("Mirror into"), "{announce}");
        assert_eq!(connect_key(&design, &mirror, from, "Enter"), KeyStep::Finish);
        assert_eq!(connect_key(&design, &mirror, from, "Escape"), KeyStep::Cancel);
        assert_eq!(
            mirror.finish(&design, None),
            Outcome::Command(Command::ConnectStreams { origin: s_hub, copy: s_spoke, kind: CopyKind::Mirror })
        );
        // A connection from another shape is not this handle's.
        assert_eq!(connect_key(&design, &stepped, Shape::Stream(s_spoke), "Escape"), KeyStep::Ignored);
        let lonely = Design::default();
        assert!(matches!(connect_key(&lonely, &Gesture::Idle, from, " "), KeyStep::Nothing(_)));
    }
}
