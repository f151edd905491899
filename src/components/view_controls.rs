//! The view controls floating over the canvas: zoom, fit, auto layout, snap to grid, and the
//! account filter (only the chosen account's streams at full strength, the others dimmed).

use crate::model::account_links::account_names;
use crate::state::actions::{auto_layout, fit, zoom, ZOOM_STEP};
use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn ViewControls() -> impl IntoView {
    let editor = use_editor();
    let zoom = move |factor: f64| zoom(editor, factor);
    let accounts = Memo::new(move |_| editor.with_design(account_names));
    let filter = editor.view.account_filter;
    // A filter on an account the design no longer has is dropped.
    Effect::new(move |_| {
        let gone = filter.with(|f| f.as_ref().is_some_and(|f| accounts.with(|a| !a.contains(f))));
        if gone {
            filter.set(None);
        }
    });
    view! {
        <div class="view-controls" role="toolbar" aria-label="View">
            <button type="button" aria-label="Zoom out" title="Zoom out" on:click=move |_| zoom(1.0 / ZOOM_STEP)>"−"</button>
            <span class="zoom" aria-label="Zoom level">{move || format!("{:.0}%", editor.view.viewport.get().zoom * 100.0)}</span>
            <button type="button" aria-label="Zoom in" title="Zoom in" on:click=move |_| zoom(ZOOM_STEP)>"+"</button>
            <button type="button" on:click=move |_| fit(editor)>"Fit"</button>
            <button type="button" on:click=move |_| auto_layout(editor)>"Auto layout"</button>
            <label class="toggle">
                <input type="checkbox" prop:checked=move || editor.view.snap.get() on:change=move |_| editor.view.snap.update(|s| *s = !*s) />
                "Snap to grid"
            </label>
            <Show when=move || accounts.with(|a| a.len() > 1)>
                <label class="account-filter">
                    <span class="sr-only">"Account"</span>
                    <select aria-label="Show account" title="Show only the streams of one account; the others are dimmed"
                        class:active=move || filter.with(Option::is_some)
                        on:change=move |e| {
                            let v = event_target_value(&e);
                            filter.set((!v.is_empty()).then_some(v));
                        }>
                        <option value="" prop:selected=move || filter.with(Option::is_none)>"All accounts"</option>
                        <For each=move || accounts.get() key=|a| a.clone() let:account>
                            {
                                let shown = account.clone();
                                let value = account.clone();
                                view! {
                                    <option value=value prop:selected=move || filter.with(|f| f.as_ref() == Some(&account))>
                                        {format!("Account {shown}")}
                                    </option>
                                }
                            }
                        </For>
                    </select>
                </label>
            </Show>
        </div>
    }
}
