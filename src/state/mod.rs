//! The only glue between Leptos and the model: the editor's signals.
//!
//! One document signal holds the design and its history; every change is a `Command`
//! dispatched here, so undo/redo has a single entry point. Selection, view and the gesture in
//! progress are separate signals and never become undo steps. Components read through `Editor`
//! and never hold a writable handle to the document.

use crate::fanout::Fanout;
use crate::model::command::Command;
use crate::model::diff;
use crate::model::edit::CopyKind;
use crate::model::geometry::{Point, Viewport};
use crate::model::history::Document;
use crate::model::links::LinkLayout;
use crate::model::validate::{validate, Diagnostic, Severity, Target};
use crate::model::{ClusterId, Design, StreamId};
use leptos::prelude::*;
use leptos::reactive::computed::Selector;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A selectable shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shape {
    Cluster(ClusterId),
    Stream(StreamId),
}

/// A pointer gesture in progress. Only `Editor::finish_gesture` turns one into a command.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    #[default]
    Idle,
    /// Dragging the background: the view follows.
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

/// Handle to the editor's state, cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Editor {
    doc: RwSignal<Document>,
    pub selection: RwSignal<BTreeSet<Shape>>,
    pub viewport: RwSignal<Viewport>,
    /// The canvas' size in screen pixels.
    pub screen: RwSignal<(f64, f64)>,
    /// The view "Fit" last chose: while the view is still that, a resized canvas fits again.
    pub last_fit: StoredValue<Option<Viewport>>,
    pub gesture: RwSignal<Gesture>,
    pub snap: RwSignal<bool>,
    /// A short message for the status bar: why something was refused, what happened.
    pub notice: RwSignal<Option<String>>,
    /// A message the user dismisses: what opening a file or link found, what went wrong.
    pub message: RwSignal<Option<Message>>,
    diagnostics: Memo<Vec<Diagnostic>>,
    // What thousands of shapes read goes through per-key signals (see `Fanout`): each shape's
    // drawing revision, its worst severity and whether it is selected.
    revisions: Fanout<Shape, u64>,
    worst: Fanout<Target, Option<Severity>>,
    selected: Fanout<Shape, bool>,
    /// The boxes of every cluster and stream, for routing links and the minimap.
    layout: Memo<LinkLayout>,
    // Fine-grained drag state: shapes subscribe to these, never to `gesture`, so that a
    // pointer move re-runs only what depends on the dragged shape. One offset signal per
    // cluster, created on first use under the editor's owner.
    owner: StoredValue<Owner>,
    offsets: StoredValue<HashMap<ClusterId, RwSignal<Point>>>,
    /// The stream being dragged, and where the pointer is (world units).
    drag_stream: RwSignal<Option<StreamId>>,
    drag_at: RwSignal<Point>,
    dragging: StoredValue<Selector<Option<StreamId>>>,
    /// The shape under the pointer while a link is drawn or a stream dragged.
    hover: RwSignal<Option<Shape>>,
    hovering: StoredValue<Selector<Option<Shape>>>,
}

/// How a [`Message`] is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
}

/// A message with details (the repairs of a loaded file, why a stored design was kept aside).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub kind: MessageKind,
    pub title: String,
    pub details: Vec<String>,
}

/// Grid step of "snap to grid", in world units.
pub const GRID: f64 = 24.0;

impl Editor {
    /// Tracks and reads the design.
    pub fn with_design<R>(&self, f: impl FnOnce(&Design) -> R) -> R {
        self.doc.with(|doc| f(doc.design()))
    }

    /// Reads the design without tracking (event handlers).
    pub fn with_design_untracked<R>(&self, f: impl FnOnce(&Design) -> R) -> R {
        self.doc.with_untracked(|doc| f(doc.design()))
    }

    /// Every problem of the design, recomputed once per change.
    pub fn diagnostics(&self) -> Memo<Vec<Diagnostic>> {
        self.diagnostics
    }

    /// The boxes of every cluster and stream, recomputed once per change.
    pub fn layout(&self) -> Memo<LinkLayout> {
        self.layout
    }

    /// The worst severity of the problems of one element, if it has any (tracked: only this
    /// element's).
    pub fn worst(&self, target: &Target) -> Option<Severity> {
        self.worst.get(*target)
    }

    /// Reads the design, tracking only what changes `shape`'s drawing: its own data, its place
    /// and, for a stream, its cluster (see `model::diff`). Shapes read through this rather than
    /// `with_design`, so that an edit re-runs only the shapes it changes.
    pub fn with_design_of<R>(&self, shape: Shape, f: impl FnOnce(&Design) -> R) -> R {
        self.track(shape);
        self.with_design_untracked(f)
    }

    /// Tracks changes to `shape`'s drawing (see `with_design_of`).
    pub fn track(&self, shape: Shape) {
        self.revisions.get(shape);
    }

    /// Applies a command as one undo step; a refusal becomes the notice. True when applied.
    pub fn dispatch(&self, command: Command) -> bool {
        let mut result = Ok(());
        self.doc.update(|doc| result = doc.execute(command));
        match result {
            Ok(()) => {
                self.prune_selection();
                true
            }
            Err(e) => {
                self.notice.set(Some(e.to_string()));
                false
            }
        }
    }

    /// Replaces the whole design (New, Open, an import) as one undo step, so that nothing is
    /// lost: Undo brings the previous design back. Nothing stays selected.
    pub fn replace_design(&self, design: Design) {
        self.selection.set(BTreeSet::new());
        self.gesture.set(Gesture::Idle);
        if self.dispatch(Command::ReplaceDesign(Box::new(design))) {
            self.notice.set(Some("Undo brings the previous design back".to_owned()));
        }
    }

    pub fn undo(&self) {
        let mut done = false;
        self.doc.update(|doc| done = doc.undo());
        if done {
            self.prune_selection();
        }
    }

    pub fn redo(&self) {
        let mut done = false;
        self.doc.update(|doc| done = doc.redo());
        if done {
            self.prune_selection();
        }
    }

    pub fn can_undo(&self) -> bool {
        self.doc.with(Document::can_undo)
    }

    pub fn can_redo(&self) -> bool {
        self.doc.with(Document::can_redo)
    }

    /// Drops selected shapes that no longer exist (after a delete or an undo).
    fn prune_selection(&self) {
        let exists = |s: &Shape| {
            self.with_design_untracked(|d| match s {
                Shape::Cluster(id) => d.cluster(*id).is_some(),
                Shape::Stream(id) => d.stream(*id).is_some(),
            })
        };
        if self.selection.with_untracked(|sel| !sel.iter().all(exists)) {
            self.selection.update(|sel| sel.retain(exists));
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

    /// How far a cluster is drawn from its position while a drag previews a move (tracked:
    /// only this cluster's offset).
    pub fn preview_offset(&self, cluster: ClusterId) -> Point {
        self.offset_signal(cluster).get()
    }

    /// Shows `clusters` shifted by `delta` (a drag in progress).
    pub fn set_preview(&self, clusters: &[ClusterId], delta: Point) {
        for c in clusters {
            self.offset_signal(*c).set(delta);
        }
    }

    /// Ends a move preview.
    pub fn clear_preview(&self, clusters: &[ClusterId]) {
        self.set_preview(clusters, Point::default());
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

    /// The world point at the centre of the view.
    pub fn view_center(&self) -> Point {
        let (w, h) = self.screen.get_untracked();
        self.viewport.get_untracked().to_world(Point::new(w / 2.0, h / 2.0))
    }

    /// `p` on the grid when snapping is on.
    pub fn snapped(&self, p: Point) -> Point {
        if self.snap.get_untracked() {
            crate::model::geometry::snap(p, GRID)
        } else {
            p
        }
    }
}

/// Creates the editor for `design` and makes it available to every component below.
pub fn provide_editor(design: Design) -> Editor {
    let doc = RwSignal::new(Document::new(design));
    let diagnostics = Memo::new(move |_| doc.with(|d| validate(d.design())));
    let owner = StoredValue::new(Owner::current().expect("the editor is created inside the app"));
    let selection = RwSignal::new(BTreeSet::new());
    let revisions = Fanout::manual(0);
    // Each fan-out is fed by one effect, the only subscriber of its source.
    let drawn = StoredValue::new(doc.with_untracked(|d| d.design().clone()));
    Effect::new(move |_| {
        doc.with(|d| {
            let design = d.design();
            let changed = drawn.with_value(|old| diff::changed(old, design));
            drawn.set_value(design.clone());
            let clusters = changed.clusters.into_iter().map(Shape::Cluster);
            for shape in clusters.chain(changed.streams.into_iter().map(Shape::Stream)) {
                revisions.update(shape, |n| *n += 1);
            }
        })
    });
    let worst_by_target = Memo::new(move |_| {
        diagnostics.with(|all| {
            let mut by_target: BTreeMap<Target, Severity> = BTreeMap::new();
            for d in all {
                by_target.entry(d.target).and_modify(|s| *s = (*s).min(d.severity)).or_insert(d.severity);
            }
            by_target
        })
    });
    let worst = Fanout::follow(worst_by_target, |by_target: &BTreeMap<Target, Severity>, target| {
        by_target.get(target).copied()
    });
    let selected = Fanout::follow(selection, |selection: &BTreeSet<Shape>, shape| selection.contains(shape));
    let layout = Memo::new(move |_| doc.with(|d| LinkLayout::new(d.design())));
    let drag_stream = RwSignal::new(None);
    let hover = RwSignal::new(None);
    let editor = Editor {
        owner,
        offsets: StoredValue::new(HashMap::new()),
        drag_stream,
        drag_at: RwSignal::new(Point::default()),
        dragging: StoredValue::new(Selector::new(move || drag_stream.get())),
        hover,
        hovering: StoredValue::new(Selector::new(move || hover.get())),
        doc,
        selection,
        viewport: RwSignal::new(Viewport::default()),
        screen: RwSignal::new((1200.0, 800.0)),
        last_fit: StoredValue::new(None),
        gesture: RwSignal::new(Gesture::Idle),
        snap: RwSignal::new(true),
        notice: RwSignal::new(None),
        message: RwSignal::new(None),
        diagnostics,
        revisions,
        worst,
        selected,
        layout,
    };
    provide_context(editor);
    editor
}

/// The editor provided by `App`.
pub fn use_editor() -> Editor {
    expect_context::<Editor>()
}
