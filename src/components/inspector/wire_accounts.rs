//! "Wire accounts": the fix of a diagnostic that names missing or mismatched exports and
//! imports between two accounts, offered where the problem is edited. Any such diagnostic with
//! a fix gets the button; applying it is the fix's one command (one undo step).

use crate::model::validate::Target;
use crate::state::use_editor;
use leptos::prelude::*;

/// The rules whose fixes wire a copy's account to its origin's.
pub const COPY_RULES: &[&str] = &["cross-account-exports-missing", "cross-account-prefix-mismatch"];
/// The rules whose fixes add the export an import of the cluster needs.
pub const ACCOUNT_RULES: &[&str] = &["account-import-not-exported"];

#[component]
pub fn WireAccounts(target: Target, rules: &'static [&'static str]) -> impl IntoView {
    let editor = use_editor();
    let fixes = Memo::new(move |_| {
        editor.diagnostics().with(|all| {
            all.iter()
                .filter(|d| d.target == target && rules.contains(&d.rule.as_str()))
                .filter_map(|d| d.fix.as_ref().map(|f| (f.label.clone(), f.command.clone())))
                .enumerate()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || fixes.with(|f| !f.is_empty())>
            <ul class="wire-accounts" aria-label="Account wiring">
                <For each=move || fixes.get() key=|(i, f)| (*i, f.0.clone()) let:fix>
                    {
                        let (label, command) = fix.1;
                        let applied = label.clone();
                        view! {
                            <li>
                                <button type="button" class="small primary" title=label.clone()
                                    on:click=move |_| {
                                        if editor.dispatch(command.clone()) {
                                            editor.messages.say(format!("Wired accounts: {applied}; Undo removes it"));
                                        }
                                    }>
                                    "Wire accounts"
                                </button>
                                <span class="hint">{label}</span>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}
