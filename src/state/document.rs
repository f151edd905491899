//! The document handle: the design with its undo history, and what is derived from it once
//! per change (diagnostics, the layout of every box, per-shape drawing revisions).

use crate::fanout::Fanout;
use crate::model::command::{Command, CommandError};
use crate::model::diff;
use crate::model::gesture::Shape;
use crate::model::history::Document;
use crate::model::links::LinkLayout;
use crate::model::validate::{validate, Diagnostic, Severity, Target};
use crate::model::Design;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The design, its history and what is derived from it. Writes go through [`Doc::execute`]
/// (a `Command`), undo and redo only.
#[derive(Clone, Copy)]
pub struct Doc {
    doc: RwSignal<Document>,
    diagnostics: Memo<Vec<Diagnostic>>,
    // What thousands of shapes read goes through per-key signals (see `Fanout`): each shape's
    // drawing revision and its worst severity.
    revisions: Fanout<Shape, u64>,
    worst: Fanout<Target, Option<Severity>>,
    /// The boxes of every cluster and stream, for routing links and the minimap.
    layout: Memo<LinkLayout>,
}

impl Doc {
    pub(super) fn new(design: Design) -> Self {
        let doc = RwSignal::new(Document::new(design));
        let diagnostics = Memo::new(move |_| doc.with(|d| validate(d.design())));
        let revisions = Fanout::manual(0);
        // Each fan-out is fed by one effect, the only subscriber of its source.
        // The design as the shapes last drew it: taken when the effect first runs, after the
        // page's first render drew this very design, so that opening a page neither copies the
        // design twice nor compares it with itself.
        let drawn = StoredValue::new(None::<Design>);
        Effect::new(move |_| {
            doc.with(|d| {
                let design = d.design();
                let Some(changed) = drawn.with_value(|old| old.as_ref().map(|old| diff::changed(old, design))) else {
                    drawn.set_value(Some(design.clone()));
                    return;
                };
                drawn.set_value(Some(design.clone()));
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
        let worst = Fanout::follow_map(worst_by_target, |severity: Option<&Severity>| severity.copied());
        let layout = Memo::new(move |_| doc.with(|d| LinkLayout::new(d.design())));
        Doc { doc, diagnostics, revisions, worst, layout }
    }

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

    /// The worst severity of the problems of one element (tracked: only this element's).
    pub fn worst(&self, target: &Target) -> Option<Severity> {
        self.worst.get(*target)
    }

    /// Tracks changes to `shape`'s drawing (see `model::diff`).
    pub fn track(&self, shape: Shape) {
        self.revisions.get(shape);
    }

    /// Applies a command as one undo step.
    pub fn execute(&self, command: Command) -> Result<(), CommandError> {
        let mut result = Ok(());
        self.doc.update(|doc| result = doc.execute(command));
        result
    }

    /// Undoes the last step; true when there was one.
    pub fn undo(&self) -> bool {
        let mut done = false;
        self.doc.update(|doc| done = doc.undo());
        done
    }

    /// Redoes the last undone step; true when there was one.
    pub fn redo(&self) -> bool {
        let mut done = false;
        self.doc.update(|doc| done = doc.redo());
        done
    }

    pub fn can_undo(&self) -> bool {
        self.doc.with(Document::can_undo)
    }

    pub fn can_redo(&self) -> bool {
        self.doc.with(Document::can_redo)
    }
}
