//! The toolbar: product name, design name, theme switch.

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
    let toggle = move |_| {
        dark.update(|d| *d = !*d);
        apply_theme(dark.get_untracked());
    };
    let design_name = move || editor.with_design(|d| d.name.clone());
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
            <div class="actions">
                <button
                    type="button"
                    class="icon-button"
                    aria-pressed=move || dark.get().to_string()
                    on:click=toggle
                >
                    {move || if dark.get() { "Light theme" } else { "Dark theme" }}
                </button>
            </div>
        </header>
    }
}
