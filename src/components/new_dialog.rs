//! "New": a fresh design from a template (empty, the guide's hub and two cinemas, a hub with
//! any number of spokes, cross-account sharing, or edge key-value buckets). It replaces the
//! current design as one step: Undo brings it back.
//!
//! By keyboard: the arrows choose a template, Tab only moves the focus (it never changes the
//! choice), Enter anywhere in the form creates, and the focus then goes to the canvas.

use super::modal::Modal;
use crate::model::templates::{Template, MAX_SPOKES};
use crate::state::actions::fit_soon;
use crate::state::use_editor;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    Empty,
    Guide,
    Spokes,
    CrossAccount,
    EdgeKeyValue,
    TwoRegions,
}

#[component]
pub fn NewDialog(on_close: Callback<()>) -> impl IntoView {
    let editor = use_editor();
    let choice = RwSignal::new(Choice::Guide);
    let spokes = RwSignal::new(3usize);
    let commit_spokes = move |text: &str| {
        if let Ok(n) = text.trim().parse::<usize>() {
            spokes.set(n.clamp(1, MAX_SPOKES));
        }
    };
    let create = move || {
        let template = match choice.get_untracked() {
            Choice::Empty => Template::Empty,
            Choice::Guide => Template::Guide,
            Choice::Spokes => Template::HubWithSpokes(spokes.get_untracked()),
            Choice::CrossAccount => Template::CrossAccount,
            Choice::EdgeKeyValue => Template::EdgeKeyValue,
            Choice::TwoRegions => Template::TwoRegions,
        };
        editor.replace_design(template.design());
        editor.messages.message.set(None);
        on_close.run(());
        fit_soon(editor);
        focus_canvas();
    };
    let on_key = move |e: leptos::ev::KeyboardEvent| {
        // Enter on a radio or in the Spokes field confirms, as in any form; buttons keep theirs.
        let on_button = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| el.tag_name() == "BUTTON");
        if e.key() == "Enter" && !on_button {
            e.prevent_default();
            if let Some(input) = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
                .filter(|i| i.type_() == "number")
            {
                commit_spokes(&input.value());
            }
            create();
        }
    };
    let option = move |value: Choice, label: &'static str, hint: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name="template" prop:checked=move || choice.get() == value on:change=move |_| choice.set(value) />
                <span>{label}</span>
                <span class="hint">{hint}</span>
            </label>
        }
    };
    view! {
        <Modal title="New design" on_close class="new-dialog">
            <div class="dialog-body">
                <fieldset class="templates" on:keydown=on_key>
                    <legend>"Start from"</legend>
                    {option(Choice::Empty, "Empty", "an empty canvas")}
                    {option(Choice::Guide, "Hub and two cinemas", "the guide's topology, corrected: headquarter, spoke-1, spoke-2")}
                    {option(Choice::Spokes, "Hub with spokes", "each spoke has one stream, sourced into the hub's all-events")}
                    <label class="field spokes">
                        <span class="field-label">"Spokes"</span>
                        <input type="number" min="1" max=MAX_SPOKES.to_string() prop:value=move || spokes.get().to_string()
                            // Typing a number means this template; passing through does not.
                            on:input=move |_| choice.set(Choice::Spokes)
                            on:change=move |e| commit_spokes(&event_target_value(&e)) />
                    </label>
                    {option(Choice::CrossAccount, "Cross-account sharing", "account APP on a spoke mirrors and sources streams of the hub's account DATA, wired across the leafnode")}
                    {option(Choice::EdgeKeyValue, "Edge key-value", "a hub bucket mirrored into each site's domain, and site buckets sourced into the hub")}
                    {option(Choice::TwoRegions, "Two regions and a site", "two clusters joined by gateways into one supercluster, streams placed by cluster and tag, and a leafnode site sourced into it")}
                </fieldset>
                <p class="hint">"The new design replaces the current one; Undo brings the current one back."</p>
            </div>
            <footer class="dialog-footer">
                <span class="dialog-status"></span>
                <button type="button" class="primary" on:click=move |_| create()>"Create"</button>
            </footer>
        </Modal>
    }
}

/// Puts the keyboard focus on the canvas (after a new design replaced the old one).
fn focus_canvas() {
    request_animation_frame(|| {
        if let Some(svg) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("svg.canvas").ok().flatten())
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::SvgElement>(e).ok())
        {
            let _ = svg.focus();
        }
    });
}
