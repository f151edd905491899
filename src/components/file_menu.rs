//! The file actions of the toolbar: New, Open, Save, Share link and Export, and opening a design
//! file picked or dropped on the canvas (through `persist::load`, its repairs reported; on an
//! error the current design stays as it is).

use super::app::{relayout, use_ui, Dialog};
use super::canvas::fit;
use crate::model::export::file_stem;
use crate::model::persist;
use crate::state::{use_editor, Editor, Message, MessageKind};
use crate::storage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Replaces the design with one read from `text` (a file named `name`), or says why not.
pub fn open_text(editor: Editor, name: &str, text: &str) {
    match persist::load(text) {
        Ok(loaded) => {
            editor.replace_design(loaded.design);
            relayout();
            fit(editor);
            let message = if loaded.repairs.is_empty() {
                Message { kind: MessageKind::Info, title: format!("Opened {name}."), details: Vec::new() }
            } else {
                Message {
                    kind: MessageKind::Warning,
                    title: format!("Opened {name}, with {} repairs:", loaded.repairs.len()),
                    details: loaded.repairs,
                }
            };
            editor.message.set(Some(message));
        }
        Err(e) => editor.message.set(Some(Message {
            kind: MessageKind::Error,
            title: format!("{name} could not be opened; the current design is unchanged."),
            details: vec![e.to_string()],
        })),
    }
}

/// Opens a picked or dropped file, if it looks like a design file (`.json`).
pub fn open_file(editor: Editor, file: web_sys::File) {
    let name = file.name();
    if !name.to_ascii_lowercase().ends_with(".json") && file.type_() != "application/json" {
        editor.message.set(Some(Message {
            kind: MessageKind::Error,
            title: format!("{name} is not a design file; the designer opens .json design files."),
            details: vec![
                "Configuration files (Helm values, stream JSON, scripts) are read by `nats-topology import`.".into(),
            ],
        }));
        return;
    }
    storage::read_file(file, move |name, text| match text {
        Ok(text) => open_text(editor, &name, &text),
        Err(e) => editor.message.set(Some(Message {
            kind: MessageKind::Error,
            title: format!("{name} could not be opened; the current design is unchanged."),
            details: vec![e],
        })),
    });
}

/// Downloads the design file.
pub fn save(editor: Editor) {
    let (name, text) = editor.with_design_untracked(|d| (format!("{}.json", file_stem(&d.name)), persist::save(d)));
    match storage::download(&name, text.as_bytes(), "application/json") {
        Ok(()) => editor.notice.set(Some(format!("Saved {name}"))),
        Err(e) => editor.notice.set(Some(format!("Not saved: {e}"))),
    }
}

#[component]
pub fn FileActions() -> impl IntoView {
    let editor = use_editor();
    let ui = use_ui();
    let picker = NodeRef::<leptos::html::Input>::new();
    let on_pick = move |e: leptos::ev::Event| {
        let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            open_file(editor, file);
        }
        // Picking the same file again must fire `change` again.
        input.set_value("");
    };
    view! {
        <div class="file-actions" role="group" aria-label="Design file">
            <button type="button" on:click=move |_| ui.dialog.set(Some(Dialog::New))>"New"</button>
            <button type="button" title="Open a design file (.json); you can also drop one on the canvas"
                on:click=move |_| { if let Some(input) = picker.get_untracked() { input.click(); } }>
                "Open"
            </button>
            <input node_ref=picker type="file" class="hidden-picker" accept=".json,application/json"
                aria-label="Design file to open" tabindex="-1" on:change=on_pick />
            <button type="button" title="Download the design file (.json)" on:click=move |_| save(editor)>"Save"</button>
            <button type="button" on:click=move |_| ui.dialog.set(Some(Dialog::Share))>"Share link"</button>
            <button type="button" class="primary" on:click=move |_| ui.dialog.set(Some(Dialog::Export))>"Export"</button>
        </div>
    }
}
