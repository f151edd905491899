//! The status bar: counts of problems and the last notice (why something was refused).

use crate::model::validate::Severity;
use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let editor = use_editor();
    let counts = Memo::new(move |_| {
        editor.diagnostics().with(|all| {
            let n = |s| all.iter().filter(|d| d.severity == s).count();
            (n(Severity::Error), n(Severity::Warning))
        })
    });
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    view! {
        <footer class="status-bar">
            <span class="counts" aria-label="Problem counts">
                <span class="count error" class:zero=move || counts.get().0 == 0>{move || plural(counts.get().0, "error")}</span>
                <span class="count warning" class:zero=move || counts.get().1 == 0>{move || plural(counts.get().1, "warning")}</span>
            </span>
            <span class="notice" role="status" aria-live="polite">{move || editor.notice.get().unwrap_or_default()}</span>
        </footer>
    }
}
