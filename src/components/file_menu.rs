//! The file actions of the toolbar: New, Open, Save, Share link and Export, and opening files
//! picked or dropped on the canvas: a design file through `persist::load` (its repairs
//! reported), configuration files through `import` (what they show reported); on an error the
//! current design stays as it is.

use super::app::{use_ui, Dialog};
use super::canvas::fit_soon;
use crate::model::export::file_stem;
use crate::model::import::{self, SourceFile};
use crate::model::persist;
use crate::model::words::plural;
use crate::state::{use_editor, Editor, Message, MessageKind};
use crate::storage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Replaces the design with one read from `text` (a file named `name`), or says why not.
pub fn open_text(editor: Editor, name: &str, text: &str) {
    match persist::load(text) {
        Ok(loaded) => {
            editor.replace_design(loaded.design);
            fit_soon(editor);
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
            title: format!(
                "{name} is a nats-topology design file, but not one this designer can read (what it expected, and \
                 where, is below); the current design is unchanged."
            ),
            details: vec![e.to_string()],
        })),
    }
}

/// Whether `text` is a design file rather than a configuration file to import.
fn is_design_file(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.get("format").and_then(|f| f.as_str()) == Some("nats-topology"))
}

/// A file's name and its text, or why it could not be read.
type ReadFile = (String, Result<String, String>);

/// Opens dropped or picked files: one design file is opened; anything else (Helm values, stream
/// JSON, nats CLI scripts, nats-server confs, any mix) is imported into a new design, laid out
/// automatically, with what the import found shown to the user.
pub fn open_or_import(editor: Editor, files: Vec<web_sys::File>) {
    let total = files.len();
    if total == 0 {
        return;
    }
    let read: std::rc::Rc<std::cell::RefCell<Vec<ReadFile>>> = Default::default();
    for file in files {
        let read = read.clone();
        storage::read_file(file, move |name, text| {
            read.borrow_mut().push((name, text));
            if read.borrow().len() == total {
                let mut all = std::mem::take(&mut *read.borrow_mut());
                all.sort_by(|a, b| a.0.cmp(&b.0));
                finish_open_or_import(editor, all);
            }
        });
    }
}

fn finish_open_or_import(editor: Editor, files: Vec<ReadFile>) {
    if let [(name, Ok(text))] = files.as_slice() {
        if is_design_file(text) {
            open_text(editor, name, text);
            return;
        }
    }
    let mut unreadable = Vec::new();
    let sources: Vec<SourceFile> = files
        .into_iter()
        .filter_map(|(path, text)| match text {
            Ok(text) => Some(SourceFile { path, text }),
            Err(e) => {
                unreadable.push(format!("{path}: {e}"));
                None
            }
        })
        .collect();
    let imported = import::import(&sources);
    let clusters = imported.design.clusters().count();
    let streams = imported.design.streams().count();
    let found: Vec<String> = imported
        .diagnostics
        .iter()
        .map(|d| {
            let at = d.location.as_ref().map(|l| match l.line {
                Some(line) => format!("{}:{line} ", l.file),
                None => format!("{} ", l.file),
            });
            format!("{}{} {}: {}", at.unwrap_or_default(), d.severity, d.rule, d.message)
        })
        .chain(imported.notes.iter().cloned())
        .chain(unreadable)
        .collect();
    if clusters == 0 && streams == 0 {
        editor.message.set(Some(Message {
            kind: MessageKind::Error,
            title: format!(
                "Nothing to import from {}; the current design is unchanged.",
                plural(sources.len(), "file")
            ),
            details: found,
        }));
        return;
    }
    editor.replace_design(imported.design);
    fit_soon(editor);
    editor.message.set(Some(Message {
        kind: if found.is_empty() { MessageKind::Info } else { MessageKind::Warning },
        title: format!(
            "Imported {}: {}, {}. What the files themselves show is listed here; the design's problems are in \
             Problems.",
            plural(sources.len(), "file"),
            plural(clusters, "cluster"),
            plural(streams, "stream"),
        ),
        details: found,
    }));
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
