//! Browser glue for keeping designs: the design the page opens with (share link, autosave or the
//! example), autosave to `localStorage`, downloads, the clipboard and reading picked files.
//!
//! Autosave is the one effect that writes outside the document: debounced, it stores
//! `persist::save(design)` under [`KEY`]. A stored design that cannot be read (corrupted, or from
//! a newer version) is never dropped: it is moved under an [`ASIDE`] key and the user is told.

use crate::model::persist;
use crate::model::{example, generate, share, Design};
use crate::state::{Editor, Message, MessageKind};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// Where autosave keeps the design.
pub const KEY: &str = "nats-topology/design";
/// The prefix of the keys unreadable stored designs are kept under (`.../unreadable-1`, ...).
pub const ASIDE: &str = "nats-topology/unreadable";
/// How long the design must stay unchanged before it is stored.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(300);

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn local_storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The first free aside key.
fn aside_key(storage: &web_sys::Storage) -> String {
    (1..)
        .map(|n| format!("{ASIDE}-{n}"))
        .find(|k| storage.get_item(k).ok().flatten().is_none())
        .expect("an unbounded range has a free key")
}

/// How the page started.
pub struct Start {
    pub design: Design,
    /// What the user should know about it (a repaired or unreadable design).
    pub message: Option<Message>,
    /// Whether edits are autosaved (not for `?generated=` designs, so that trying a large
    /// design never replaces the user's own).
    pub autosave: bool,
}

/// The design the page opens with: a share link's (`#design=`), a generated one
/// (`?generated=CLUSTERSxSTREAMS`), the autosaved one, or the example, in that order.
pub fn start() -> Start {
    let location = window().map(|w| w.location());
    let hash = location.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    let query = location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let mut messages = Vec::new();
    if share::fragment_payload(&hash).is_some() {
        forget_fragment();
        match share::decode(&hash) {
            Ok(loaded) => {
                let message = Message {
                    kind: if loaded.repairs.is_empty() { MessageKind::Info } else { MessageKind::Warning },
                    title: "Opened the design from a share link. Passwords are not shared: they are references to a Kubernetes secret.".into(),
                    details: loaded.repairs,
                };
                return Start { design: loaded.design, message: Some(message), autosave: true };
            }
            Err(e) => messages.push(format!("The share link could not be opened: {e}.")),
        }
    }
    if let Some((clusters, streams)) = generated_size(&query) {
        return Start {
            design: generate::generated(clusters.min(500), streams.min(20_000)),
            message: None,
            autosave: false,
        };
    }
    let mut design = None;
    if let Some(storage) = local_storage() {
        if let Some(text) = storage.get_item(KEY).ok().flatten() {
            match persist::load(&text) {
                Ok(loaded) => {
                    if !loaded.repairs.is_empty() {
                        messages.push("Your last design was restored with repairs:".into());
                        messages.extend(loaded.repairs);
                    }
                    design = Some(loaded.design);
                }
                Err(e) => {
                    let aside = aside_key(&storage);
                    let kept = storage.set_item(&aside, &text).is_ok();
                    let _ = storage.remove_item(KEY);
                    messages.push(format!("Your last autosaved design could not be read: {e}."));
                    messages.push(if kept {
                        format!("It is kept in this browser's storage under \"{aside}\"; the example opened instead.")
                    } else {
                        "It could not be kept aside (storage is full); the example opened instead.".to_owned()
                    });
                }
            }
        }
    }
    let failed = design.is_none() && !messages.is_empty();
    let message = (!messages.is_empty()).then(|| {
        let title = messages.remove(0);
        let kind =
            if failed || title.starts_with("The share link") { MessageKind::Error } else { MessageKind::Warning };
        Message { kind, title, details: messages }
    });
    Start { design: design.unwrap_or_else(example::guide_corrected), message, autosave: true }
}

fn generated_size(query: &str) -> Option<(usize, usize)> {
    let size = query.trim_start_matches('?').split('&').find_map(|pair| pair.strip_prefix("generated="))?;
    let (c, s) = size.split_once('x')?;
    Some((c.parse().ok()?, s.parse().ok()?))
}

/// Drops the fragment from the address bar, so that a reload shows the autosaved design (with
/// the user's edits) rather than the shared one again.
fn forget_fragment() {
    let Some(w) = window() else { return };
    let location = w.location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Stores the design after every change, once it has been unchanged for [`AUTOSAVE_DELAY`].
pub fn install_autosave(editor: Editor) {
    Effect::new(move |pending: Option<Option<leptos::leptos_dom::helpers::TimeoutHandle>>| {
        editor.with_design(|_| ());
        if let Some(Some(handle)) = pending {
            handle.clear();
        }
        set_timeout_with_handle(move || save_now(editor), AUTOSAVE_DELAY).ok()
    });
}

fn save_now(editor: Editor) {
    let text = editor.with_design_untracked(persist::save);
    let stored = local_storage().map(|s| s.set_item(KEY, &text));
    if let Some(Err(e)) = stored {
        let reason = e.as_string().or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok()?.as_string());
        editor
            .messages
            .notice
            .set(Some(format!("Autosave failed: {}", reason.unwrap_or_else(|| "storage refused".into()))));
    }
}

/// The page's address without its fragment.
pub fn page_address() -> String {
    let href = window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// Offers `bytes` as a download named `name`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let fail = |e: JsValue| format!("the browser refused the download ({e:?})");
    let document = window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    let body = document.body().ok_or("no body")?;
    body.append_child(&anchor).map_err(fail)?;
    anchor.click();
    anchor.remove();
    // Revoked later: some browsers read the URL after click() returns.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), Duration::from_secs(10));
    Ok(())
}

/// Copies text to the clipboard; `done` gets whether it worked.
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(w) = window() else { return done(false) };
    let promise = w.navigator().clipboard().write_text(text);
    leptos::task::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Reads a picked or dropped file as text; `done` gets its name and text, or why not.
pub fn read_file(file: web_sys::File, done: impl FnOnce(String, Result<String, String>) + 'static) {
    let name = file.name();
    let promise = file.text();
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| "the file could not be read as text".to_owned());
        done(name, text);
    });
}
