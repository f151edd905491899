//! The toolbar: product and design name, undo/redo, view controls, theme switch.

use super::canvas::{fit, ZOOM_STEP};
use crate::model::command::Command;
use crate::model::edit;
use crate::model::geometry::Point;
use crate::state::use_editor;
use leptos::prelude::*;

/// Light or dark: starts from the system preference; the button flips it for this page.
fn initial_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn apply_theme(dark: bool) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let editor = use_editor();
    let dark = RwSignal::new(initial_dark());
    apply_theme(dark.get_untracked());
    let toggle_theme = move |_| {
        dark.update(|d| *d = !*d);
        apply_theme(dark.get_untracked());
    };
    let design_name = move || editor.with_design(|d| d.name.clone());
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
        <header class="toolbar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="12" cy="5" r="3" />
                    <circle cx="5" cy="18" r="3" />
                    <circle cx="19" cy="18" r="3" />
                    <path d="M12 8 L5 15 M12 8 L19 15" />
                </svg>
                <span class="product">"NATS Topology Designer"</span>
                <span class="design-name" title="Design">{design_name}</span>
            </div>
            <div class="actions" role="toolbar" aria-label="Editing">
                <button type="button" on:click=move |_| editor.undo() disabled=move || !editor.can_undo() title="Ctrl+Z">
                    "Undo"
                </button>
                <button type="button" on:click=move |_| editor.redo() disabled=move || !editor.can_redo() title="Shift+Ctrl+Z">
                    "Redo"
                </button>
                <span class="separator" aria-hidden="true"></span>
                <button type="button" aria-label="Zoom out" title="Zoom out" on:click=move |_| zoom(1.0 / ZOOM_STEP)>"−"</button>
                <span class="zoom" aria-label="Zoom level">{move || format!("{:.0}%", editor.viewport.get().zoom * 100.0)}</span>
                <button type="button" aria-label="Zoom in" title="Zoom in" on:click=move |_| zoom(ZOOM_STEP)>"+"</button>
                <button type="button" on:click=move |_| fit(editor)>"Fit"</button>
                <button type="button" on:click=auto_layout>"Auto layout"</button>
                <label class="toggle">
                    <input type="checkbox" prop:checked=move || editor.snap.get() on:change=move |_| editor.snap.update(|s| *s = !*s) />
                    "Snap to grid"
                </label>
                <span class="separator" aria-hidden="true"></span>
                <button type="button" aria-pressed=move || dark.get().to_string() on:click=toggle_theme>
                    {move || if dark.get() { "Light theme" } else { "Dark theme" }}
                </button>
            </div>
        </header>
    }
}
