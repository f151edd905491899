//! Keyboard shortcuts of the whole page: undo/redo, delete, move with arrows, Escape, Enter,
//! search (Ctrl+K or /).

use super::app::{Dialog, Ui};
use crate::model::command::Command;
use crate::model::geometry::Point;
use crate::model::words::plural;
use crate::state::{Editor, Gesture, Shape, GRID};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Whether the key went to a form field, where keys keep their text meaning.
pub fn in_text_field(e: &ev::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Whether the key went to a cluster or stream shape on the canvas.
fn on_shape(e: &ev::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.get_attribute("aria-roledescription").as_deref(), Some("cluster" | "stream")))
}

/// Whether the key went to a button or link, where Enter, Space and Backspace keep their
/// meaning for that control.
fn on_control(e: &ev::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

/// Removes the selection (clusters take their streams), after a confirmation when that removes
/// more than what is selected.
pub fn delete_selection(editor: Editor) {
    let (clusters, streams): (Vec<_>, Vec<_>) = editor.selection.with_untracked(|sel| {
        let clusters = sel.iter().filter_map(|s| if let Shape::Cluster(c) = s { Some(*c) } else { None }).collect();
        let streams = sel.iter().filter_map(|s| if let Shape::Stream(c) = s { Some(*c) } else { None }).collect();
        (clusters, streams)
    });
    if clusters.is_empty() && streams.is_empty() {
        return;
    }
    let extra = editor.with_design_untracked(|d| {
        clusters.iter().map(|c| d.streams_in(*c).filter(|s| !streams.contains(&s.id)).count()).sum::<usize>()
    });
    if extra > 0 {
        let question = format!("Delete the selected clusters with their {extra} streams and the links to them?");
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
        if !confirmed {
            return;
        }
    }
    let also = editor.with_design_untracked(|d| crate::model::command::also_removed(d, &clusters, &streams));
    if editor.dispatch(Command::RemoveElements { clusters, streams }) {
        // What else went, said out loud: links of the remaining shapes disappear with it.
        let mut parts = Vec::new();
        if also.origins > 0 {
            parts.push(plural(also.origins, "source"));
        }
        if also.remotes > 0 {
            parts.push(plural(also.remotes, "leafnode remote"));
        }
        let notice = if parts.is_empty() {
            "Deleted; Undo restores it".to_owned()
        } else {
            format!("Deleted; also removed {}; Undo restores them", parts.join(" and "))
        };
        editor.notice.set(Some(notice));
    }
}

/// Moves the selected clusters by a step of the grid.
fn nudge(editor: Editor, dx: f64, dy: f64) {
    let moves = editor.with_design_untracked(|d| {
        editor.selection.with_untracked(|sel| {
            sel.iter()
                .filter_map(|s| if let Shape::Cluster(c) = s { Some(*c) } else { None })
                .filter_map(|c| d.cluster(c).map(|cl| (c, Point::new(cl.position.x + dx, cl.position.y + dy))))
                .collect::<Vec<_>>()
        })
    });
    if !moves.is_empty() {
        editor.dispatch(Command::MoveClusters { moves });
    }
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
            "a" if command => {
                let all = editor.with_design_untracked(|d| {
                    d.clusters()
                        .map(|(id, _)| Shape::Cluster(id))
                        .chain(d.streams().map(|s| Shape::Stream(s.id)))
                        .collect()
                });
                editor.selection.set(all);
            }
            "Delete" | "Backspace" if !on_control(&e) => delete_selection(editor),
            "Escape" => {
                if editor.gesture.with_untracked(|g| *g == Gesture::Idle) {
                    editor.selection.update(|s| s.clear());
                } else {
                    editor.gesture.set(Gesture::Idle);
                }
            }
            "/" if !command && ui.dialog.get_untracked().is_none() => ui.dialog.set(Some(Dialog::Search)),
            "ArrowLeft" => nudge(editor, -GRID, 0.0),
            "ArrowRight" => nudge(editor, GRID, 0.0),
            "ArrowUp" => nudge(editor, 0.0, -GRID),
            "ArrowDown" => nudge(editor, 0.0, GRID),
            "Enter" if on_shape(&e) => {
                // Enter on a shape opens the inspector: focus its first field.
                if let Some(field) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(".inspector input, .inspector select").ok().flatten())
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = field.focus();
                }
            }
            _ => return,
        }
        e.prevent_default();
    });
}
