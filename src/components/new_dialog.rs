//! "New": a fresh design from a template (empty, the guide's hub and two cinemas, or a hub with
//! any number of spokes). It replaces the current design as one step: Undo brings it back.

use super::app::relayout;
use super::canvas::fit;
use super::modal::Modal;
use crate::model::templates::{Template, MAX_SPOKES};
use crate::state::use_editor;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    Empty,
    Guide,
    Spokes,
}

#[component]
pub fn NewDialog(on_close: Callback<()>) -> impl IntoView {
    let editor = use_editor();
    let choice = RwSignal::new(Choice::Guide);
    let spokes = RwSignal::new(3usize);
    let create = move |_| {
        let template = match choice.get_untracked() {
            Choice::Empty => Template::Empty,
            Choice::Guide => Template::Guide,
            Choice::Spokes => Template::HubWithSpokes(spokes.get_untracked()),
        };
        editor.replace_design(template.design());
        editor.message.set(None);
        on_close.run(());
        relayout();
        fit(editor);
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
                <fieldset class="templates">
                    <legend>"Start from"</legend>
                    {option(Choice::Empty, "Empty", "an empty canvas")}
                    {option(Choice::Guide, "Hub and two cinemas", "the guide's topology, corrected: headquarter, spoke-1, spoke-2")}
                    {option(Choice::Spokes, "Hub with spokes", "each spoke has one stream, sourced into the hub's all-events")}
                    <label class="field spokes">
                        <span class="field-label">"Spokes"</span>
                        <input type="number" min="1" max=MAX_SPOKES.to_string() prop:value=move || spokes.get().to_string()
                            on:focus=move |_| choice.set(Choice::Spokes)
                            on:change=move |e| {
                                if let Ok(n) = event_target_value(&e).trim().parse::<usize>() {
                                    spokes.set(n.clamp(1, MAX_SPOKES));
                                }
                                choice.set(Choice::Spokes);
                            } />
                    </label>
                </fieldset>
                <p class="hint">"The new design replaces the current one; Undo brings the current one back."</p>
            </div>
            <footer class="dialog-footer">
                <span class="dialog-status"></span>
                <button type="button" class="primary" on:click=create>"Create"</button>
            </footer>
        </Modal>
    }
}
