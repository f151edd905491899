//! The only glue between Leptos and the model: the editor's signals.
//!
//! One document signal holds the design and its history; every change is a `Command`
//! dispatched here, so undo/redo has a single entry point. Selection, view and the gesture in
//! progress are separate signals and never become undo steps. Components read through `Editor`
//! and never hold a writable handle to the document.

use crate::model::command::Command;
use crate::model::edit::CopyKind;
use crate::model::geometry::{Point, Viewport};
use crate::model::history::Document;
use crate::model::validate::{validate, Diagnostic, Severity, Target};
use crate::model::{ClusterId, Design, StreamId};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

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
    pub gesture: RwSignal<Gesture>,
    pub snap: RwSignal<bool>,
    /// A short message for the status bar: why something was refused, what happened.
    pub notice: RwSignal<Option<String>>,
    diagnostics: Memo<Vec<Diagnostic>>,
    worst: Memo<BTreeMap<Target, Severity>>,
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

    /// The worst severity of the problems of one element, if it has any.
    pub fn worst(&self, target: &Target) -> Option<Severity> {
        self.worst.with(|w| w.get(target).copied())
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

    pub fn is_selected(&self, shape: Shape) -> bool {
        self.selection.with(|sel| sel.contains(&shape))
    }

    /// How far a cluster is drawn from its position while a drag previews a move.
    pub fn preview_offset(&self, cluster: ClusterId) -> Point {
        self.gesture.with(|g| match g {
            Gesture::MoveClusters { clusters, delta, .. } if clusters.contains(&cluster) => *delta,
            _ => Point::default(),
        })
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
    let worst = Memo::new(move |_| {
        diagnostics.with(|all| {
            let mut worst = BTreeMap::new();
            for d in all {
                worst.entry(d.target).and_modify(|s: &mut Severity| *s = (*s).min(d.severity)).or_insert(d.severity);
            }
            worst
        })
    });
    let editor = Editor {
        doc,
        selection: RwSignal::new(BTreeSet::new()),
        viewport: RwSignal::new(Viewport::default()),
        screen: RwSignal::new((1200.0, 800.0)),
        gesture: RwSignal::new(Gesture::Idle),
        snap: RwSignal::new(true),
        notice: RwSignal::new(None),
        diagnostics,
        worst,
    };
    provide_context(editor);
    editor
}

/// The editor provided by `App`.
pub fn use_editor() -> Editor {
    expect_context::<Editor>()
}
