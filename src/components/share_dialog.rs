//! "Share link": the design in the page address (`#design=...`, compressed), without its
//! secrets, with a button to copy it.

use super::modal::Modal;
use crate::model::share::{self, SECRET_NAME};
use crate::state::use_editor;
use crate::storage;
use leptos::prelude::*;

#[component]
pub fn ShareDialog(on_close: Callback<()>) -> impl IntoView {
    let editor = use_editor();
    let (fragment, stripped) = editor.with_design_untracked(share::encode);
    let link = format!("{}#{fragment}", storage::page_address());
    let status = RwSignal::new(String::new());
    let secrets = if stripped.passwords == 0 {
        "Passwords are never part of a link. This design has none in it: its passwords are references to \
         Kubernetes secrets, which are kept."
            .to_owned()
    } else {
        format!(
            "Passwords are never part of a link: {} password{} (plain text or bcrypt) became references to the Kubernetes secret \"{SECRET_NAME}\", keyed by user name. Whoever opens the link creates that secret.",
            stripped.passwords,
            if stripped.passwords == 1 { "" } else { "s" }
        )
    };
    let size = link.len();
    let copy = {
        let link = link.clone();
        move |_| {
            storage::copy_text(&link, move |ok| {
                status.set(if ok {
                    "Link copied".into()
                } else {
                    "The browser did not allow copying: select the link and copy it".into()
                })
            })
        }
    };
    view! {
        <Modal title="Share link" on_close class="share-dialog">
            <div class="dialog-body">
                <p>"Anyone with this link opens a copy of the design in their browser. Nothing is uploaded: the design is in the link itself."</p>
                <p class="secrets" role="note">{secrets}</p>
                <label class="field">
                    <span class="field-label">{format!("Link ({size} characters)")}</span>
                    <input type="text" readonly prop:value=link on:focus=move |e| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    } />
                </label>
            </div>
            <footer class="dialog-footer">
                <span class="dialog-status" role="status" aria-live="polite">{move || status.get()}</span>
                <button type="button" class="primary" on:click=copy>"Copy link"</button>
            </footer>
        </Modal>
    }
}
