//! Keyboard shortcuts of the whole page: undo/redo, delete, move with arrows, Escape, Enter,
//! search (Ctrl+K or /).

use crate::state::actions::{delete_selection, nudge, select_all};
use crate::state::{in_text_field, Dialog, Editor, Focus, Gesture, Ui, GRID};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Whether the key went to a cluster or stream shape on the canvas.
fn on_shape(e: &ev::KeyboardEvent) -> bool {
    e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
        matches!(
            el.get_attribute("aria-roledescription").as_deref(),
            Some("cluster" | "stream" | "key-value bucket" | "object store")
        )
    })
}

/// Whether the key went to a button or link, where Enter, Space and Backspace keep their
/// meaning for that control.
fn on_control(e: &ev::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

/// Installs the page's shortcuts.
pub fn install(editor: Editor, ui: Ui) {
    let _ = window_event_listener(ev::keydown, move |e| {
        let command = e.ctrl_key() || e.meta_key();
        if command && e.key().eq_ignore_ascii_case("k") && ui.dialog.get_untracked().is_none() {
            ui.dialog.set(Some(Dialog::Search));
            e.prevent_default();
            return;
        }
        if in_text_field(&e) {
            return;
        }
        match e.key().as_str() {
            "z" | "Z" if command && e.shift_key() => editor.redo(),
            "z" if command => editor.undo(),
            "y" if command => editor.redo(),
            "a" if command => select_all(editor),
            "Delete" | "Backspace" if !on_control(&e) => delete_selection(editor),
            "Escape" => {
                if editor.interaction.gesture.with_untracked(|g| *g == Gesture::Idle) {
                    editor.interaction.selection.update(|s| s.clear());
                } else {
                    editor.interaction.gesture.set(Gesture::Idle);
                }
            }
            "/" if !command && ui.dialog.get_untracked().is_none() => ui.dialog.set(Some(Dialog::Search)),
            "ArrowLeft" => nudge(editor, -GRID, 0.0),
            "ArrowRight" => nudge(editor, GRID, 0.0),
            "ArrowUp" => nudge(editor, 0.0, -GRID),
            "ArrowDown" => nudge(editor, 0.0, GRID),
            // Enter on a shape opens the inspector: its first field takes the focus.
            "Enter" if on_shape(&e) => ui.request_focus(Focus::Inspector),
            _ => return,
        }
        e.prevent_default();
    });
}
