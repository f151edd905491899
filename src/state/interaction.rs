//! The interaction handle: the selection and the gesture in progress with its previews.
//!
//! Shapes subscribe to per-key signals and selectors here, never to `gesture`, so that a
//! pointer move re-runs only what depends on the dragged shape.

use crate::fanout::Fanout;
use crate::model::geometry::Point;
use crate::model::gesture::{Gesture, Shape};
use crate::model::sort::CollectSorted;
use crate::model::{ClusterId, StreamId};
use leptos::prelude::*;
use leptos::reactive::computed::Selector;
use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Copy)]
pub struct Interaction {
    pub selection: RwSignal<BTreeSet<Shape>>,
    selected: Fanout<Shape, bool>,
    /// The gesture in progress (`model::gesture`); only the canvas' overlays read it.
    pub gesture: RwSignal<Gesture>,
    // One offset signal per cluster, created on first use under the editor's owner.
    owner: StoredValue<Owner>,
    offsets: StoredValue<HashMap<ClusterId, RwSignal<Point>>>,
    /// The clusters a drag moves: set when the drag starts, cleared when it ends, not on
    /// every pointer move.
    moving: RwSignal<BTreeSet<ClusterId>>,
    is_moving: Fanout<ClusterId, bool>,
    /// The stream being dragged, and where the pointer is (world units).
    drag_stream: RwSignal<Option<StreamId>>,
    drag_at: RwSignal<Point>,
    dragging: StoredValue<Selector<Option<StreamId>>>,
    /// The shape under the pointer while a link is drawn or a stream dragged.
    hover: RwSignal<Option<Shape>>,
    hovering: StoredValue<Selector<Option<Shape>>>,
}

impl Interaction {
    pub(super) fn new() -> Self {
        let selection = RwSignal::new(BTreeSet::new());
        let selected = Fanout::follow(selection, |selection: &BTreeSet<Shape>, shape| selection.contains(shape));
        let drag_stream = RwSignal::new(None);
        let hover = RwSignal::new(None);
        let moving = RwSignal::new(BTreeSet::new());
        let is_moving = Fanout::follow(moving, |moving: &BTreeSet<ClusterId>, id| moving.contains(id));
        Interaction {
            moving,
            is_moving,
            selection,
            selected,
            gesture: RwSignal::new(Gesture::Idle),
            owner: StoredValue::new(Owner::current().expect("the editor is created inside the app")),
            offsets: StoredValue::new(HashMap::new()),
            drag_stream,
            drag_at: RwSignal::new(Point::default()),
            dragging: StoredValue::new(Selector::new(move || drag_stream.get())),
            hover,
            hovering: StoredValue::new(Selector::new(move || hover.get())),
        }
    }

    /// Selects one shape, or toggles it with `additive` (shift-click).
    pub fn select(&self, shape: Shape, additive: bool) {
        self.selection.update(|sel| {
            if additive {
                if !sel.remove(&shape) {
                    sel.insert(shape);
                }
            } else if !(sel.len() == 1 && sel.contains(&shape)) {
                sel.clear();
                sel.insert(shape);
            }
        });
    }

    /// Whether `shape` is selected (tracked: only this shape's membership).
    pub fn is_selected(&self, shape: Shape) -> bool {
        self.selected.get(shape)
    }

    /// The selected clusters, in order.
    pub fn selected_clusters(&self) -> Vec<ClusterId> {
        self.selection.with_untracked(|sel| {
            sel.iter().filter_map(|s| if let Shape::Cluster(c) = s { Some(*c) } else { None }).collect()
        })
    }

    fn offset_signal(&self, cluster: ClusterId) -> RwSignal<Point> {
        if let Some(signal) = self.offsets.with_value(|m| m.get(&cluster).copied()) {
            return signal;
        }
        let signal = self.owner.with_value(|owner| owner.with(|| RwSignal::new(Point::default())));
        self.offsets.update_value(|m| {
            m.insert(cluster, signal);
        });
        signal
    }

    /// How far a drag has moved a cluster so far (tracked: only this cluster's offset; it
    /// changes on each pointer move). The cluster's shape does not read it: the canvas' drag
    /// overlay moves a copy of it by a transform; the minimap and the supercluster outlines
    /// follow it.
    pub fn preview_offset(&self, cluster: ClusterId) -> Point {
        self.offset_signal(cluster).get()
    }

    /// Shows `clusters` shifted by `delta` (a drag in progress).
    pub fn set_preview(&self, clusters: &[ClusterId], delta: Point) {
        let moving: BTreeSet<ClusterId> = clusters.iter().copied().collect_set();
        if self.moving.with_untracked(|m| *m != moving) {
            self.moving.set(moving);
        }
        for c in clusters {
            self.offset_signal(*c).set(delta);
        }
    }

    /// Ends a move preview.
    pub fn clear_preview(&self, clusters: &[ClusterId]) {
        for c in clusters {
            self.offset_signal(*c).set(Point::default());
        }
        if self.moving.with_untracked(|m| !m.is_empty()) {
            self.moving.set(BTreeSet::new());
        }
    }

    /// Whether a drag is moving `cluster` (tracked: changes when the drag starts and ends only).
    pub fn is_moving(&self, cluster: ClusterId) -> bool {
        self.is_moving.get(cluster)
    }

    /// The clusters a drag is moving (tracked: changes when the drag starts and ends only).
    pub fn moving(&self) -> BTreeSet<ClusterId> {
        self.moving.get()
    }

    /// Starts, updates (`Some`) or ends (`None`) dragging a stream.
    pub fn drag_stream(&self, drag: Option<(StreamId, Point)>) {
        match drag {
            Some((stream, at)) => {
                self.drag_at.set(at);
                if self.drag_stream.get_untracked() != Some(stream) {
                    self.drag_stream.set(Some(stream));
                }
            }
            None => self.drag_stream.set(None),
        }
    }

    /// Whether `stream` is being dragged (changes only when the drag starts or ends).
    pub fn is_dragging(&self, stream: StreamId) -> bool {
        self.dragging.with_value(|s| s.selected(&Some(stream)))
    }

    /// Where the dragged stream is (tracked; read it only while `is_dragging`).
    pub fn drag_at(&self) -> Point {
        self.drag_at.get()
    }

    /// Sets the shape under the pointer during a gesture.
    pub fn set_hover(&self, shape: Option<Shape>) {
        if self.hover.get_untracked() != shape {
            self.hover.set(shape);
        }
    }

    /// Whether `shape` is under the pointer during a gesture.
    pub fn is_hovered(&self, shape: Shape) -> bool {
        self.hovering.with_value(|s| s.selected(&Some(shape)))
    }
}
