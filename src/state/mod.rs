//! The only glue between Leptos and the model: small `Copy` handles of signals, and the
//! editor's actions.
//!
//! - [`Doc`] (`document.rs`): the design with its history, diagnostics and layout. Every
//!   change is a `Command`, so undo/redo has a single entry point.
//! - [`View`] (`view.rs`): viewport, canvas size, snapping, the account filter.
//! - [`Interaction`] (`interaction.rs`): selection, the gesture in progress and its previews.
//! - [`Messages`] (`messages.rs`): the status line's notice and the banner.
//! - [`Ui`] (`ui.rs`): panels, the open dialog, focus requests.
//! - `actions.rs`: every editor action a component triggers (create, fit, open, save, delete,
//!   nudge, the gestures' effects...). Components call actions and read handles; they never
//!   call into one another, so no component module depends on another's internals.
//!
//! Selection, view and gestures never become undo steps. Components never hold a writable
//! handle to the document.

pub mod actions;
mod document;
mod interaction;
mod messages;
mod ui;
mod view;

pub use crate::model::gesture::{Gesture, Shape};
pub use document::Doc;
pub use interaction::Interaction;
pub use messages::{Message, MessageKind, Messages};
pub use ui::{in_text_field, own_keys, use_ui, Dialog, Focus, Ui};
pub use view::{View, GRID};

use crate::model::command::Command;
use crate::model::Design;
use leptos::prelude::*;

/// The editor's handles together, cheap to copy into closures. Each field is itself a small
/// `Copy` handle; a component uses the ones it needs.
#[derive(Clone, Copy)]
pub struct Editor {
    pub doc: Doc,
    pub view: View,
    pub interaction: Interaction,
    pub messages: Messages,
}

impl Editor {
    /// Tracks and reads the design.
    pub fn with_design<R>(&self, f: impl FnOnce(&Design) -> R) -> R {
        self.doc.with_design(f)
    }

    /// Reads the design without tracking (event handlers).
    pub fn with_design_untracked<R>(&self, f: impl FnOnce(&Design) -> R) -> R {
        self.doc.with_design_untracked(f)
    }

    /// Every problem of the design, recomputed once per change.
    pub fn diagnostics(&self) -> Memo<Vec<crate::model::validate::Diagnostic>> {
        self.doc.diagnostics()
    }

    /// Reads the design, tracking only what changes `shape`'s drawing: its own data, its place
    /// and, for a stream, its cluster (see `model::diff`). Shapes read through this rather than
    /// `with_design`, so that an edit re-runs only the shapes it changes.
    pub fn with_design_of<R>(&self, shape: Shape, f: impl FnOnce(&Design) -> R) -> R {
        self.doc.track(shape);
        self.doc.with_design_untracked(f)
    }

    /// Applies a command as one undo step; a refusal becomes the notice. True when applied.
    pub fn dispatch(&self, command: Command) -> bool {
        match self.doc.execute(command) {
            Ok(()) => {
                self.prune_selection();
                true
            }
            Err(e) => {
                self.messages.say(e.to_string());
                false
            }
        }
    }

    /// Replaces the whole design (New, Open, an import) as one undo step, so that nothing is
    /// lost: Undo brings the previous design back. Nothing stays selected.
    pub fn replace_design(&self, design: Design) {
        self.interaction.selection.set(Default::default());
        self.interaction.gesture.set(Gesture::Idle);
        if self.dispatch(Command::ReplaceDesign(Box::new(design))) {
            self.messages.say("Undo brings the previous design back");
        }
    }

    pub fn undo(&self) {
        if self.doc.undo() {
            self.prune_selection();
        }
    }

    pub fn redo(&self) {
        if self.doc.redo() {
            self.prune_selection();
        }
    }

    /// Drops selected shapes that no longer exist (after a delete or an undo).
    fn prune_selection(&self) {
        let exists = |s: &Shape| {
            self.with_design_untracked(|d| match s {
                Shape::Cluster(id) => d.cluster(*id).is_some(),
                Shape::Stream(id) => d.stream(*id).is_some(),
            })
        };
        let selection = self.interaction.selection;
        if selection.with_untracked(|sel| !sel.iter().all(exists)) {
            selection.update(|sel| sel.retain(exists));
        }
    }
}

/// Creates the editor for `design` and makes it, and each of its handles, available to every
/// component below.
pub fn provide_editor(design: Design) -> Editor {
    let editor =
        Editor { doc: Doc::new(design), view: View::new(), interaction: Interaction::new(), messages: Messages::new() };
    provide_context(editor);
    editor
}

/// The editor provided by `App`.
pub fn use_editor() -> Editor {
    expect_context::<Editor>()
}
