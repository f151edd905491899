//! The view controls floating over the canvas: zoom, fit, auto layout, snap to grid.

use crate::state::actions::{auto_layout, fit, zoom, ZOOM_STEP};
use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn ViewControls() -> impl IntoView {
    let editor = use_editor();
    let zoom = move |factor: f64| zoom(editor, factor);
    view! {
        <div class="view-controls" role="toolbar" aria-label="View">
            <button type="button" aria-label="Zoom out" title="Zoom out" on:click=move |_| zoom(1.0 / ZOOM_STEP)>"−"</button>
            <span class="zoom" aria-label="Zoom level">{move || format!("{:.0}%", editor.view.viewport.get().zoom * 100.0)}</span>
            <button type="button" aria-label="Zoom in" title="Zoom in" on:click=move |_| zoom(ZOOM_STEP)>"+"</button>
            <button type="button" on:click=move |_| fit(editor)>"Fit"</button>
            <button type="button" on:click=move |_| auto_layout(editor)>"Auto layout"</button>
            <label class="toggle">
                <input type="checkbox" prop:checked=move || editor.view.snap.get() on:change=move |_| editor.view.snap.update(|s| *s = !*s) />
                "Snap to grid"
            </label>
        </div>
    }
}
