//! The only glue between Leptos and the model: the editor's signals.
//!
//! Components read the design through `Editor`; none holds a writable handle to it. Later
//! edits arrive as model commands dispatched here, so undo/redo has a single entry point.

use crate::model::Design;
use leptos::prelude::*;

/// Handle to the editor's state, cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Editor {
    design: RwSignal<Design>,
}

impl Editor {
    /// Tracks and reads the design.
    pub fn with_design<R>(&self, f: impl FnOnce(&Design) -> R) -> R {
        self.design.with(f)
    }
}

/// Creates the editor for `design` and makes it available to every component below.
pub fn provide_editor(design: Design) -> Editor {
    let editor = Editor { design: RwSignal::new(design) };
    provide_context(editor);
    editor
}

/// The editor provided by `App`.
pub fn use_editor() -> Editor {
    expect_context::<Editor>()
}
