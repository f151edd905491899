//! The toolbar: product and design name, the design file actions, problem counts (they open
//! the problems panel), undo/redo, theme switch. The view controls float over the canvas
//! (`view_controls.rs`).

use super::file_menu::FileActions;
use crate::model::command::Command;
use crate::model::validate::Severity;
use crate::state::actions::show_problems;
use crate::state::{own_keys, use_editor, use_ui, Dialog};
use leptos::prelude::*;

/// Where the chosen theme is remembered across reloads.
const THEME_KEY: &str = "nats-topology/theme";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Light or dark: the theme chosen with the button, remembered; until then the system's.
fn initial_dark() -> bool {
    match local_storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten()).as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
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
        let dark = dark.get_untracked();
        apply_theme(dark);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(THEME_KEY, if dark { "dark" } else { "light" });
        }
    };
    let design_name = move || editor.with_design(|d| d.name.clone());
    let rename = move |e: leptos::ev::Event| {
        let name = event_target_value(&e).trim().to_owned();
        if !name.is_empty() && editor.with_design_untracked(|d| d.name != name) {
            editor.dispatch(Command::SetDesignName { name });
        }
    };
    let ui = use_ui();
    let counts = Memo::new(move |_| {
        editor.diagnostics().with(|all| {
            let n = |s| all.iter().filter(|d| d.severity == s).count();
            (n(Severity::Error), n(Severity::Warning))
        })
    });
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let node = NodeRef::<leptos::html::Header>::new();
    own_keys(node);
    view! {
        <header node_ref=node class="toolbar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="12" cy="5" r="3" />
                    <circle cx="5" cy="18" r="3" />
                    <circle cx="19" cy="18" r="3" />
                    <path d="M12 8 L5 15 M12 8 L19 15" />
                </svg>
                <span class="product">"NATS Topology Designer"</span>
                <input
                    type="text"
                    class="design-name"
                    aria-label="Design name"
                    title="Design name: downloads are named after it"
                    spellcheck="false"
                    prop:value=design_name
                    on:change=rename
                    on:keydown=move |e: leptos::ev::KeyboardEvent| {
                        if e.key() == "Enter" {
                            if let Some(input) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) {
                                let _ = input.blur();
                            }
                        }
                    }
                />
            </div>
            <FileActions />
            <div class="problem-counts" role="group" aria-label="Problem counts">
                <button type="button" class="count-button error" class:zero=move || counts.get().0 == 0
                    aria-controls="problems" title="Show the errors in the problems panel"
                    on:click=move |_| show_problems(ui, Some(Severity::Error))>
                    <span class="dot" aria-hidden="true"></span>
                    {move || plural(counts.get().0, "error")}
                </button>
                <button type="button" class="count-button warning" class:zero=move || counts.get().1 == 0
                    aria-controls="problems" title="Show the warnings in the problems panel"
                    on:click=move |_| show_problems(ui, Some(Severity::Warning))>
                    <span class="dot" aria-hidden="true"></span>
                    {move || plural(counts.get().1, "warning")}
                </button>
            </div>
            <div class="actions" role="toolbar" aria-label="Editing">
                <button type="button" class="search-button" title="Find a cluster, stream or account (Ctrl+K or /)"
                    aria-keyshortcuts="Control+K /" on:click=move |_| ui.dialog.set(Some(Dialog::Search))>
                    "Search"
                </button>
                <button type="button" on:click=move |_| editor.undo() disabled=move || !editor.doc.can_undo() title="Ctrl+Z">
                    "Undo"
                </button>
                <button type="button" on:click=move |_| editor.redo() disabled=move || !editor.doc.can_redo() title="Shift+Ctrl+Z">
                    "Redo"
                </button>
                <span class="separator" aria-hidden="true"></span>
                <button type="button" aria-pressed=move || dark.get().to_string() on:click=toggle_theme>
                    {move || if dark.get() { "Light theme" } else { "Dark theme" }}
                </button>
            </div>
        </header>
    }
}
