//! The view controls floating over the canvas: zoom, fit, auto layout, snap to grid.

use super::canvas::{fit, ZOOM_STEP};
use crate::model::command::Command;
use crate::model::edit;
use crate::model::geometry::Point;
use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn ViewControls() -> impl IntoView {
    let editor = use_editor();
    let zoom = move |factor: f64| {
        let (w, h) = editor.screen.get_untracked();
        editor.viewport.update(|v| *v = v.zoom_at(Point::new(w / 2.0, h / 2.0), factor));
    };
    let auto_layout = move |_| {
        let moves = editor.with_design_untracked(edit::auto_layout);
        if editor.dispatch(Command::MoveClusters { moves }) {
            fit(editor);
        }
    };
    view! {
        <div class="view-controls" role="toolbar" aria-label="View">
            <button type="button" aria-label="Zoom out" title="Zoom out" on:click=move |_| zoom(1.0 / ZOOM_STEP)>"−"</button>
            <span class="zoom" aria-label="Zoom level">{move || format!("{:.0}%", editor.viewport.get().zoom * 100.0)}</span>
            <button type="button" aria-label="Zoom in" title="Zoom in" on:click=move |_| zoom(ZOOM_STEP)>"+"</button>
            <button type="button" on:click=move |_| fit(editor)>"Fit"</button>
            <button type="button" on:click=auto_layout>"Auto layout"</button>
            <label class="toggle">
                <input type="checkbox" prop:checked=move || editor.snap.get() on:change=move |_| editor.snap.update(|s| *s = !*s) />
                "Snap to grid"
            </label>
        </div>
    }
}
