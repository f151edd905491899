//! A dismissable message over the canvas: what opening a file or a link found (repairs), or why
//! it failed, or why the autosaved design was kept aside.

use crate::state::{use_editor, MessageKind};
use leptos::prelude::*;

#[component]
pub fn MessageBanner() -> impl IntoView {
    let editor = use_editor();
    move || {
        editor.messages.message.get().map(|m| {
            let (class, role) = match m.kind {
                MessageKind::Info => ("banner info", "status"),
                MessageKind::Warning => ("banner warning", "status"),
                MessageKind::Error => ("banner error", "alert"),
            };
            view! {
                <div class=class role=role>
                    <div class="banner-text">
                        <p class="banner-title">{m.title}</p>
                        {(!m.details.is_empty()).then(|| view! {
                            <ul>{m.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        })}
                    </div>
                    <button type="button" class="small" on:click=move |_| editor.messages.message.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}
