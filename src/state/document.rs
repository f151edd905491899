//! The document handle: the design with its undo history, and what is derived from it once
//! per change (diagnostics, the layout of every box, per-shape drawing revisions).

use crate::fanout::Fanout;
use crate::model::command::{Command, CommandError};
use crate::model::diff::{Edits, Snapshot};
use crate::model::gesture::Shape;
use crate::model::history::Document;
use crate::model::links::LinkLayout;
use crate::model::validate::{Diagnostic, Incremental, Severity, Target};
use crate::model::Design;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The design, its history and what is derived from it. Writes go through [`Doc::execute`]
/// (a `Command`), undo and redo only.
#[derive(Clone, Copy)]
pub struct Doc {
    doc: RwSignal<Document>,
    /// Counts the document's changes, so that each is compared with the snapshot once.
    revision: StoredValue<u64>,
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
        // What each edit changed, found by comparing the design with a snapshot of the one
        // before (kept up to date element by element, never copied whole again), once per
        // revision of the document, and handed to the two readers of it: the validation and the
        // shapes' revisions. `None`: the reader must start over. The snapshot is taken when the
        // shapes' effect first runs, after the page's first render drew this very design, so
        // that opening a page neither copies the design during that render nor compares it with
        // itself.
        let changes = StoredValue::new(None::<Changes>);
        let revision = StoredValue::new(0u64);
        // The problems: validated in full once, then again only where an edit can have changed
        // them; the cache remembers the revision it is at.
        let cache = StoredValue::new(None::<(Incremental, u64)>);
        let diagnostics = Memo::new(move |_| {
            doc.with(|d| {
                let (design, now) = (d.design(), revision.get_value());
                let since = cache.with_value(|c| c.as_ref().map(|(_, at)| *at));
                let edits = since.and_then(|since| {
                    changes.try_update_value(|c| c.as_mut()?.take(design, now, Reader::Problems(since))).flatten()
                });
                cache
                    .try_update_value(|cache| {
                        if let (Some((kept, at)), Some(edits)) = (cache.as_mut(), &edits) {
                            *at = now;
                            return kept.update(design, edits);
                        }
                        let (fresh, all) = Incremental::new(design);
                        *cache = Some((fresh, now));
                        all
                    })
                    .unwrap_or_default()
            })
        });
        let revisions = Fanout::manual(0);
        // Each fan-out is fed by one effect, the only subscriber of its source.
        Effect::new(move |_| {
            doc.with(|d| {
                let design = d.design();
                let now = revision.get_value();
                let edits = changes.try_update_value(|c| match c {
                    Some(c) => c.take(design, now, Reader::Shapes),
                    None => {
                        *c = Some(Changes::new(design, now));
                        None
                    }
                });
                let Some(edits) = edits.flatten() else { return };
                let changed = edits.changed(design);
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
        Doc { doc, revision, diagnostics, revisions, worst, layout }
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
        self.revision.update_value(|r| *r += 1);
        self.doc.update(|doc| result = doc.execute(command));
        result
    }

    /// Undoes the last step; true when there was one.
    pub fn undo(&self) -> bool {
        let mut done = false;
        self.revision.update_value(|r| *r += 1);
        self.doc.update(|doc| done = doc.undo());
        done
    }

    /// Redoes the last undone step; true when there was one.
    pub fn redo(&self) -> bool {
        let mut done = false;
        self.revision.update_value(|r| *r += 1);
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

/// The two readers of what changed.
#[derive(Clone, Copy)]
enum Reader {
    /// The validation, with the revision its cache is at.
    Problems(u64),
    Shapes,
}

/// The snapshot of the design as last compared, and per reader what changed since it last
/// looked.
struct Changes {
    snapshot: Snapshot,
    /// The revision the snapshot is at.
    revision: u64,
    /// What changed since revision `problems_since`.
    problems: Edits,
    problems_since: u64,
    shapes: Edits,
}

impl Changes {
    fn new(design: &Design, revision: u64) -> Self {
        Self {
            snapshot: Snapshot::of(design),
            revision,
            problems: Edits::default(),
            problems_since: revision,
            shapes: Edits::default(),
        }
    }

    /// What changed for `reader` since it last asked, the snapshot brought to `design` first
    /// when the document moved on since; `None` when the validation's cache is at a revision
    /// the snapshot cannot tell the changes since (it must start over).
    fn take(&mut self, design: &Design, revision: u64, reader: Reader) -> Option<Edits> {
        if revision != self.revision {
            let edits = self.snapshot.update(design);
            self.problems.merge(edits.clone());
            self.shapes.merge(edits);
            self.revision = revision;
        }
        match reader {
            Reader::Problems(since) => {
                let edits = std::mem::take(&mut self.problems);
                let known = since == self.problems_since;
                self.problems_since = revision;
                known.then_some(edits)
            }
            Reader::Shapes => Some(std::mem::take(&mut self.shapes)),
        }
    }
}
