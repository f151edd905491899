//! The file actions of the toolbar: New, Open, Save, Share link and Export. Opening and saving
//! are `state::actions::open_or_import` and `save`.

use crate::state::actions::{open_or_import, save};
use crate::state::{use_editor, use_ui, Dialog};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn FileActions() -> impl IntoView {
    let editor = use_editor();
    let ui = use_ui();
    let picker = NodeRef::<leptos::html::Input>::new();
    let on_pick = move |e: leptos::ev::Event| {
        let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(list) = input.files() {
            open_or_import(editor, (0..list.length()).filter_map(|i| list.get(i)).collect());
        }
        // Picking the same file again must fire `change` again.
        input.set_value("");
    };
    view! {
        <div class="file-actions" role="group" aria-label="Design file">
            <button type="button" on:click=move |_| ui.dialog.set(Some(Dialog::New))>"New"</button>
            <button type="button" title="Open a design file, or import configuration files (Helm values, stream JSON, nats scripts, nats-server.conf); you can also drop them on the canvas"
                on:click=move |_| { if let Some(input) = picker.get_untracked() { input.click(); } }>
                "Open"
            </button>
            <input node_ref=picker type="file" class="hidden-picker" multiple
                aria-label="Files to open" tabindex="-1" on:change=on_pick />
            <button type="button" title="Download the design file (.json)" on:click=move |_| save(editor)>"Save"</button>
            <button type="button" on:click=move |_| ui.dialog.set(Some(Dialog::Share))>"Share link"</button>
            <button type="button" class="primary" on:click=move |_| ui.dialog.set(Some(Dialog::Export))>"Export"</button>
        </div>
    }
}
