//! A modal dialog on the browser's own `<dialog>`, opened with `showModal()`: the browser keeps
//! focus inside it, makes the page behind it inert, closes it on Escape and gives focus back to
//! what had it. The accessible name is its heading.
//!
//! Every way of closing (Escape, the close button, a click on the backdrop) closes the native
//! dialog; its `close` event then tells the owner. Keys pressed inside are stopped at the dialog,
//! so that the page's shortcuts (Delete, arrows, Ctrl+Z) never act on the design behind it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str =
    "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href], [tabindex]:not([tabindex=\"-1\"])";

/// The dialog's shell. `title` is its heading and accessible name; `on_close` is called once it
/// closed (Escape, the close button, a click on the backdrop).
#[component]
pub fn Modal(
    title: &'static str,
    on_close: Callback<()>,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Dialog>::new();
    let heading_id = format!("dialog-{}", title.to_lowercase().replace(' ', "-"));
    let labelled_by = heading_id.clone();
    let close = move || {
        if let Some(dialog) = node.get_untracked() {
            dialog.close();
        }
    };
    Effect::new(move |listeners: Option<Option<[gloo::events::EventListener; 2]>>| {
        if let Some(existing) = listeners.flatten() {
            return Some(existing);
        }
        let dialog = node.get()?;
        let target: web_sys::EventTarget = dialog.clone().into();
        if !dialog.open() {
            let _ = dialog.show_modal();
        }
        // The first control after the heading's close button, else the dialog itself.
        let first = dialog.query_selector_all(FOCUSABLE).ok().and_then(|list| list.item(1));
        match first.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            Some(el) => drop(el.focus()),
            None => drop(dialog.focus()),
        }
        let keys = gloo::events::EventListener::new(&target, "keydown", |event| event.stop_propagation());
        let closed = gloo::events::EventListener::new(&target, "close", move |_| on_close.run(()));
        Some([keys, closed])
    });
    view! {
        <dialog
            node_ref=node
            class=format!("dialog {class}")
            aria-modal="true"
            aria-labelledby=labelled_by
            on:click=move |e| {
                // A click on the backdrop reaches the dialog itself, outside its box.
                let Some(dialog) = node.get_untracked() else { return };
                let on_dialog = e.target().is_some_and(|t| t.loose_eq(&dialog));
                let r = dialog.get_bounding_client_rect();
                let (x, y) = (e.client_x() as f64, e.client_y() as f64);
                let outside = x < r.left() || x > r.right() || y < r.top() || y > r.bottom();
                if on_dialog && outside {
                    close();
                }
            }
        >
            <header class="dialog-header">
                <h2 id=heading_id>{title}</h2>
                <button type="button" class="icon" aria-label="Close" title="Close (Escape)" on:click=move |_| close()>"×"</button>
            </header>
            {children()}
        </dialog>
    }
}
