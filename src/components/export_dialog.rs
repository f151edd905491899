//! The export dialog: the chart generation, the files the bundle will hold, a highlighted
//! preview of one, copy and download per file, and the whole bundle as `<design>.zip` (built
//! in wasm). The files come from the import and export worker (`offload`), loaded the first time
//! the dialog opens. A design with errors says so first and exports the zip only after an
//! explicit "Export anyway".

use super::modal::Modal;
use crate::model::export::{bundle, Chart, ExportedFile};
use crate::model::highlight::{highlight, Language};
use crate::model::persist;
use crate::model::validate::Severity;
use crate::offload::{self, Request, Response};
use crate::state::use_editor;
use crate::storage;
use leptos::prelude::*;

fn mime(path: &str) -> &'static str {
    match Language::of(path) {
        Language::Json => "application/json",
        Language::Yaml => "application/yaml",
        Language::Shell => "text/x-shellscript",
        _ => "text/plain",
    }
}

#[component]
pub fn ExportDialog(on_close: Callback<()>) -> impl IntoView {
    let editor = use_editor();
    let chart = RwSignal::new(Chart::V1);
    let selected = RwSignal::new(0usize);
    let anyway = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    // The bundle's files for the design and chart as they are; a newer request wins over an
    // older answer still on its way.
    let files = RwSignal::new(Vec::<ExportedFile>::new());
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let request = Request::Export { design: editor.with_design(persist::save), chart: chart.get().into() };
        let number = asked.get_value().wrapping_add(1);
        asked.set_value(number);
        leptos::task::spawn_local(async move {
            let response = offload::client::call(&request).await;
            if asked.get_value() != number {
                return;
            }
            match response {
                Response::Exported { files: all } => {
                    files.set(all.into_iter().map(|(path, contents)| ExportedFile { path, contents }).collect())
                }
                Response::Failed(why) => status.set(format!("Export failed: {why}")),
                Response::Imported { .. } => status.set("Export failed: the worker answered an import".into()),
            }
        });
    });
    let errors = Memo::new(move |_| {
        editor.diagnostics().with(|all| {
            editor.with_design(|d| {
                all.iter()
                    .filter(|x| x.severity == Severity::Error)
                    .map(|x| (x.rule.as_str(), format!("{}: {}", x.target_name(d), x.message)))
                    .collect::<Vec<_>>()
            })
        })
    });
    let has_errors = move || errors.with(|e| !e.is_empty());
    let current = Memo::new(move |_| files.with(|f| f.get(selected.get()).or(f.first()).cloned()));
    let zip_name = move || editor.with_design(bundle::zip_name);

    let copy = move |_| {
        let Some(file) = current.get_untracked() else { return };
        let path = file.path.clone();
        storage::copy_text(&file.contents, move |ok| {
            status.set(if ok { format!("Copied {path}") } else { "The browser did not allow copying".into() })
        });
    };
    let download_one = move |_| {
        let Some(file) = current.get_untracked() else { return };
        let name = file.path.rsplit('/').next().unwrap_or(&file.path).to_owned();
        match storage::download(&name, file.contents.as_bytes(), mime(&file.path)) {
            Ok(()) => status.set(format!("Downloaded {name}")),
            Err(e) => status.set(e),
        }
    };
    let download_all = move |_| {
        let (name, bytes) = files.with_untracked(|all| {
            editor.with_design_untracked(|d| (bundle::zip_name(d), bundle::zip_files(&d.name, all)))
        });
        if files.with_untracked(Vec::is_empty) {
            status.set("The files are still being prepared".into());
            return;
        }
        match storage::download(&name, &bytes, "application/zip") {
            Ok(()) => status.set(format!("Downloaded {name} ({} KB)", bytes.len().div_ceil(1024))),
            Err(e) => status.set(e),
        }
    };
    let chart_choice = move |value: Chart, label: &'static str, hint: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name="chart" prop:checked=move || chart.get() == value on:change=move |_| chart.set(value) />
                <span>{label}</span>
                <span class="hint">{hint}</span>
            </label>
        }
    };

    view! {
        <Modal title="Export" on_close class="export-dialog">
            <div class="dialog-body export">
                <Show when=has_errors>
                    <div class="export-errors" role="alert">
                        <p><strong>{move || {
                            let n = errors.with(Vec::len);
                            format!("The design has {n} error{}: the servers or the chart would reject what is exported.", if n == 1 { "" } else { "s" })
                        }}</strong></p>
                        <ul>
                            {move || errors.get().into_iter().take(8).map(|(rule, text)| view! {
                                <li><code>{rule}</code>" "{text}</li>
                            }).collect_view()}
                            <Show when=move || { errors.with(Vec::len) > 8 }>
                                <li>{move || format!("and {} more (see Problems)", errors.with(Vec::len) - 8)}</li>
                            </Show>
                        </ul>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || anyway.get() on:change=move |e| anyway.set(event_target_checked(&e)) />
                            "Export anyway"
                        </label>
                    </div>
                </Show>
                <fieldset class="charts">
                    <legend>"Helm chart"</legend>
                    {chart_choice(Chart::V1, "Current chart (1.x, 2.x)", "config.* with merge")}
                    {chart_choice(Chart::V0_19, "Chart 0.19", "the guide's: nats.*, cluster.*, leafnodes.*")}
                </fieldset>
                <div class="export-main">
                    <nav class="file-list" aria-label="Files">
                        <p class="files-heading">{move || format!("{} in {}", crate::model::words::plural(files.with(Vec::len), "file"), zip_name())}</p>
                        <ul>
                            {move || {
                                files.with(|f| {
                                    f.iter().enumerate().map(|(i, file)| {
                                        let (folder, name) = match file.path.rsplit_once('/') {
                                            Some((folder, name)) => (format!("{folder}/"), name.to_owned()),
                                            None => (String::new(), file.path.clone()),
                                        };
                                        view! {
                                            <li>
                                                <button type="button" class="file"
                                                    aria-current=move || (selected.get() == i).then_some("true")
                                                    aria-label=file.path.clone()
                                                    on:click=move |_| selected.set(i)>
                                                    <span class="folder">{folder}</span>
                                                    <span class="name">{name}</span>
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()
                                })
                            }}
                        </ul>
                    </nav>
                    <section class="preview" aria-label="Preview">
                        <header class="preview-header">
                            <span class="path">{move || current.with(|f| f.as_ref().map(|f| f.path.clone()).unwrap_or_default())}</span>
                            <button type="button" class="small" on:click=copy>"Copy"</button>
                            <button type="button" class="small" on:click=download_one>"Download"</button>
                        </header>
                        <pre class="code" tabindex="0" aria-label="File contents"><code>
                            {move || current.with(|f| f.as_ref().map(|f| {
                                highlight(Language::of(&f.path), &f.contents)
                                    .into_iter()
                                    .map(|(token, text)| {
                                        let text = text.to_owned();
                                        match token.class() {
                                            "" => text.into_any(),
                                            class => view! { <span class=class>{text}</span> }.into_any(),
                                        }
                                    })
                                    .collect_view()
                            }))}
                        </code></pre>
                    </section>
                </div>
            </div>
            <footer class="dialog-footer">
                <span class="dialog-status" role="status" aria-live="polite">{move || status.get()}</span>
                <button type="button" class="primary" disabled=move || has_errors() && !anyway.get() on:click=download_all>
                    "Download all"
                </button>
            </footer>
        </Modal>
    }
}
