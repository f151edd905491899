//! A modal dialog: a backdrop, `role="dialog"` with `aria-modal`, its accessible name from its
//! heading, focus moved in on open and kept inside (Tab wraps), Escape closes, and focus goes
//! back to what had it before.
//!
//! Keys are handled by a listener on the dialog element itself that stops them there, so the
//! page's shortcuts (Delete, arrows, Ctrl+Z) never act on the design behind a dialog.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str =
    "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href], [tabindex]:not([tabindex=\"-1\"])";

fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

/// Keeps the keys pressed inside `node` from the page's shortcuts (which would, for example,
/// turn Enter on a button into "focus the inspector", or Delete into removing the selection),
/// except Ctrl/Cmd combinations such as undo. The element's own handling is untouched.
pub fn own_keys<E>(node: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    Effect::new(move |listener: Option<Option<gloo::events::EventListener>>| {
        if let Some(existing) = listener.flatten() {
            return Some(existing);
        }
        let el: web_sys::EventTarget = node.get()?.unchecked_into();
        Some(gloo::events::EventListener::new(&el, "keydown", |event| {
            if let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() {
                if !(e.ctrl_key() || e.meta_key()) {
                    e.stop_propagation();
                }
            }
        }))
    });
}

/// The dialog's shell. `title` is its heading and accessible name; `on_close` is called on
/// Escape, the close button and a click on the backdrop.
#[component]
pub fn Modal(
    title: &'static str,
    on_close: Callback<()>,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let heading_id = format!("dialog-{}", title.to_lowercase().replace(' ', "-"));
    let labelled_by = heading_id.clone();
    let previous = StoredValue::new_local(
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    let close = move || {
        if let Some(el) = previous.get_value() {
            let _ = el.focus();
        }
        on_close.run(());
    };
    Effect::new(move |listener: Option<Option<gloo::events::EventListener>>| {
        if let Some(existing) = listener.flatten() {
            return Some(existing);
        }
        let el: web_sys::HtmlElement = node.get()?.into();
        let root: web_sys::Element = el.clone().into();
        // Focus the first control after the heading's close button, else the dialog itself.
        let first = focusables(&root).into_iter().nth(1);
        let _ = first.map_or_else(|| el.focus(), |f| f.focus());
        let options = gloo::events::EventListenerOptions::enable_prevent_default();
        Some(gloo::events::EventListener::new_with_options(&el, "keydown", options, move |event| {
            let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            e.stop_propagation();
            match e.key().as_str() {
                "Escape" => {
                    e.prevent_default();
                    close();
                }
                "Tab" => {
                    let items = focusables(&root);
                    let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
                    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
                    let at = |x: &web_sys::HtmlElement| {
                        active.as_ref().is_some_and(|a| a == x.unchecked_ref::<web_sys::Element>())
                    };
                    if e.shift_key() && at(first) {
                        e.prevent_default();
                        let _ = last.focus();
                    } else if !e.shift_key() && at(last) {
                        e.prevent_default();
                        let _ = first.focus();
                    }
                }
                _ => {}
            }
        }))
    });
    view! {
        <div class="backdrop" on:click=move |e| {
            // Delegated events have no currentTarget: a click on the backdrop itself has it as target.
            let on_backdrop = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|t| t.class_name() == "backdrop");
            if on_backdrop {
                close();
            }
        }>
            <div
                node_ref=node
                class=format!("dialog {class}")
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                tabindex="-1"
            >
                <header class="dialog-header">
                    <h2 id=heading_id>{title}</h2>
                    <button type="button" class="icon" aria-label="Close" title="Close (Escape)" on:click=move |_| close()>"×"</button>
                </header>
                {children()}
            </div>
        </div>
    }
}
