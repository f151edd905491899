//! The inspector: every property of the selected cluster or stream, grouped, each field
//! committing as one command and showing its problems inline.

mod account_shares;
mod bucket_settings;
mod cluster;
mod cluster_accounts;
mod cluster_gateway;
mod cluster_identity;
mod cluster_leafnodes;
mod cluster_tls;
mod consumers;
pub mod fields;
mod stream;
mod stream_identity;
mod stream_limits;
mod stream_origins;
mod stream_placement;
mod stream_storage;
mod wire_accounts;

use crate::model::validate::Target;
use crate::state::{use_editor, Focus, Shape};
use cluster::ClusterInspector;
use leptos::prelude::*;
use stream::StreamInspector;
use wasm_bindgen::JsCast;

/// The messages of the problems of one field of one element (wire spelling, e.g. `domain`).
pub fn field_problems(target: Target, field: &'static str) -> fields::Problems {
    let editor = use_editor();
    let diagnostics = editor.diagnostics();
    let list = Signal::derive(move || {
        diagnostics.with(|all| {
            all.iter().filter(|d| d.target == target && d.field == Some(field)).map(|d| d.message.clone()).collect()
        })
    });
    fields::Problems { target: Some(target), field, list }
}

/// The problems of an element that concern no single field of the form.
#[component]
pub fn ElementProblems(target: Target, shown_fields: &'static [&'static str]) -> impl IntoView {
    let editor = use_editor();
    let diagnostics = editor.diagnostics();
    let problems = Memo::new(move |_| {
        diagnostics.with(|all| {
            all.iter()
                .filter(|d| d.target == target && !d.field.is_some_and(|f| shown_fields.contains(&f)))
                .map(|d| (d.severity.as_str(), d.rule.as_str(), d.message.clone()))
                .collect::<Vec<_>>()
        })
    });
    // A problem of no single field focuses this list (its element's, once it is drawn).
    let node = NodeRef::<leptos::html::Ul>::new();
    crate::state::use_ui().take_focus(node, move |request, list| match request {
        Focus::Field { target: t, field: None } if *t == target => Some(list.clone()),
        _ => None,
    });
    view! {
        <Show when=move || problems.with(|p| !p.is_empty())>
            <ul node_ref=node class="element-problems" tabindex="-1" aria-label="Problems of this element">
                <For each=move || problems.get() key=|p| p.clone() let:p>
                    <li class=p.0><span class="rule">{p.1}</span>" "{p.2}</li>
                </For>
            </ul>
        </Show>
    }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let editor = use_editor();
    let ui = crate::state::use_ui();
    let node = NodeRef::<leptos::html::Aside>::new();
    // Enter on a shape asks for the inspector's first field.
    ui.take_focus(node, |request, inspector| match request {
        Focus::Inspector => inspector.query_selector("input, select").ok().flatten()?.dyn_into().ok(),
        _ => None,
    });
    let selected = Memo::new(move |_| editor.interaction.selection.with(|s| s.iter().copied().collect::<Vec<_>>()));
    // On phones the inspector is a sheet over the canvas, open while something is selected.
    let close_sheet = move |_| ui.inspector_closed_for.set(Some(editor.interaction.selection.get_untracked()));
    view! {
        <aside node_ref=node class="inspector" class:sheet-open=move || ui.inspector_sheet_open(editor) aria-label="Inspector">
            <button type="button" class="sheet-close phone-only" aria-label="Close the inspector" on:click=close_sheet>"Close"</button>
            {move || match selected.get().as_slice() {
                [] => view! {
                    <div class="inspector-empty">
                        <h2>"Inspector"</h2>
                        <p>"Select a cluster or a stream to edit it."</p>
                        <p class="hint">"Drag a hub, spoke or stream from the palette onto the canvas. Drag from a cluster's round handle to a hub to connect a leafnode; from a stream's handle to another stream to make it a source (hold Alt for a mirror)."</p>
                    </div>
                }.into_any(),
                [Shape::Cluster(id)] => view! { <ClusterInspector id=*id /> }.into_any(),
                [Shape::Stream(id)] => view! { <StreamInspector id=*id /> }.into_any(),
                many => {
                    let n = many.len();
                    view! {
                        <div class="inspector-empty">
                            <h2>{format!("{n} selected")}</h2>
                            <p>"Drag to move them together, arrow keys nudge them, Delete removes them."</p>
                        </div>
                    }.into_any()
                }
            }}
        </aside>
    }
}
