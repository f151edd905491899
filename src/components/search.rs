//! Search (Ctrl+K or /): clusters, streams and accounts by name. Typing filters, the arrows
//! move through the hits, Enter selects one and shows it at a readable size.

use super::modal::Modal;
use crate::model::search::{search, Hit, HitKind};
use crate::state::actions::show_shape;
use crate::state::{use_editor, Editor, Shape};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// How many hits are listed; the rest are counted.
const LIMIT: usize = 50;

/// Selects what `hit` names, shows it, and puts the keyboard focus on its shape.
fn pick(editor: Editor, hit: &Hit) {
    let (shape, selector) = match hit.stream {
        Some(s) => (Shape::Stream(s), format!("g.stream[data-id=\"{s}\"]")),
        None => {
            (Shape::Cluster(hit.cluster), format!("[aria-roledescription=\"cluster\"][data-id=\"{}\"]", hit.cluster))
        }
    };
    show_shape(editor, shape);
    request_animation_frame(move || {
        let found = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok());
        if let Some(el) = found {
            let _ = el.focus();
        }
    });
}

#[component]
pub fn SearchDialog(on_close: Callback<()>) -> impl IntoView {
    let editor = use_editor();
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let found = Memo::new(move |_| query.with(|q| editor.with_design(|d| search(d, q, LIMIT))));
    let choose = move |index: usize| {
        let hit = found.with_untracked(|(hits, _)| hits.get(index).cloned());
        if let Some(hit) = hit {
            on_close.run(());
            pick(editor, &hit);
        }
    };
    let on_key = move |e: ev::KeyboardEvent| {
        let n = found.with_untracked(|(hits, _)| hits.len());
        match e.key().as_str() {
            "ArrowDown" if n > 0 => active.update(|a| *a = (*a + 1) % n),
            "ArrowUp" if n > 0 => active.update(|a| *a = (*a + n - 1) % n),
            "Enter" => choose(active.get_untracked()),
            _ => return,
        }
        e.prevent_default();
    };
    let status = move || {
        found.with(|(hits, total)| match (hits.len(), *total) {
            _ if query.with(|q| q.trim().is_empty()) => "Type a name: clusters, streams and accounts.".to_owned(),
            (0, _) => "No matches.".to_owned(),
            (1, 1) => "1 match; Enter shows it.".to_owned(),
            (n, t) if n == t => format!("{n} matches; Enter shows the highlighted one."),
            (n, t) => format!("The first {n} of {t} matches; type more to narrow them."),
        })
    };
    let option_id = |i: usize| format!("search-hit-{i}");
    view! {
        <Modal title="Search" on_close class="search-dialog">
            <div class="dialog-body">
                <input
                    type="search"
                    class="search-input"
                    role="combobox"
                    aria-label="Search clusters, streams and accounts"
                    aria-expanded=move || found.with(|(h, _)| !h.is_empty()).to_string()
                    aria-controls="search-hits"
                    aria-autocomplete="list"
                    aria-activedescendant=move || found.with(|(h, _)| (!h.is_empty()).then(|| option_id(active.get())))
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="Name of a cluster, stream or account"
                    prop:value=move || query.get()
                    on:input=move |e| {
                        query.set(event_target_value(&e));
                        active.set(0);
                    }
                    on:keydown=on_key
                />
                <p class="search-status" role="status">{status}</p>
                <ul class="search-hits" id="search-hits" role="listbox" aria-label="Matches">
                    {move || found.with(|(hits, _)| hits.iter().cloned().enumerate().map(|(i, hit)| {
                        let kind = hit.kind;
                        let context = match kind {
                            HitKind::Cluster => hit.context.clone(),
                            HitKind::Stream | HitKind::Account => format!("in {}", hit.context),
                        };
                        view! {
                            <li
                                id=option_id(i)
                                role="option"
                                class="search-hit"
                                aria-selected=move || (active.get() == i).to_string()
                                on:click=move |_| choose(i)
                                on:pointermove=move |_| if active.get_untracked() != i { active.set(i) }
                            >
                                <span class=format!("tag {}", kind.as_str())>{kind.as_str()}</span>
                                <span class="hit-name">{hit.name}</span>
                                <span class="hit-context">{context}</span>
                            </li>
                        }
                    }).collect_view())}
                </ul>
            </div>
        </Modal>
    }
}
