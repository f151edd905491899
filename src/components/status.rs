//! The status bar: what the design holds, what is selected, and the last notice (why
//! something was refused, what just happened). Problem counts live in the toolbar.

use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let editor = use_editor();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let sizes = Memo::new(move |_| editor.with_design(|d| (d.clusters().count(), d.stream_count())));
    let summary = move || {
        let (clusters, streams) = sizes.get();
        let selected = editor.interaction.selection.with(|s| s.len());
        let mut text = format!("{} · {}", plural(clusters, "cluster"), plural(streams, "stream"));
        if selected > 0 {
            text.push_str(&format!(" · {selected} selected"));
        }
        text
    };
    view! {
        <footer class="status-bar">
            <span class="summary">{summary}</span>
            <span class="notice" role="status" aria-live="polite">{move || editor.messages.notice.get().unwrap_or_default()}</span>
        </footer>
    }
}
