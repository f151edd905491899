//! The problems panel: every diagnostic of the design, live, grouped by severity. Activating one
//! selects its element, brings it into view and focuses the field at fault in the inspector; a
//! problem with a fix offers it as one undoable command; each rule id opens its explanation.

use crate::model::command::Command;
use crate::model::rules_doc;
use crate::model::validate::{Severity, Target};
use crate::state::actions::activate_problem;
use crate::state::{own_keys, use_editor, use_ui, Dialog, Focus};
use leptos::prelude::*;
use std::collections::HashMap;
use wasm_bindgen::JsCast;

/// How many problems of one severity are listed; the rest are counted.
const SHOWN: usize = 300;
/// The open panel's smallest height, in pixels: its header and two rows.
const MIN_HEIGHT: f64 = 96.0;

/// One row of the panel.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    severity: Severity,
    rule: &'static str,
    target: Target,
    field: Option<&'static str>,
    target_name: String,
    message: String,
    fix: Option<(String, Command)>,
    /// On the first fixable problem of a rule with several: how many "Fix all" repairs.
    fix_all: Option<usize>,
}

#[component]
pub fn ProblemsPanel() -> impl IntoView {
    let editor = use_editor();
    let ui = use_ui();
    let diagnostics = editor.diagnostics();
    let rows = Memo::new(move |_| {
        diagnostics.with(|all| {
            let mut fixable: HashMap<&str, usize> = HashMap::new();
            for d in all.iter().filter(|d| d.fix.is_some()) {
                *fixable.entry(d.rule.as_str()).or_default() += 1;
            }
            let mut offered = std::collections::HashSet::new();
            editor.with_design(|design| {
                all.iter()
                    .map(|d| Row {
                        fix_all: fixable
                            .get(d.rule.as_str())
                            .copied()
                            .filter(|n| *n > 1 && d.fix.is_some() && offered.insert(d.rule.as_str())),
                        severity: d.severity,
                        rule: d.rule.as_str(),
                        target: d.target,
                        field: d.field,
                        target_name: d.target_name(design),
                        message: d.message.clone(),
                        fix: d.fix.as_ref().map(|f| (f.label.clone(), f.command.clone())),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let count = move |s: Severity| rows.with(|r| r.iter().filter(|d| d.severity == s).count());
    let summary = move || {
        let (e, w, i) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
        if e + w + i == 0 {
            return "no problems".to_owned();
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut parts = vec![plural(e, "error"), plural(w, "warning")];
        if i > 0 {
            parts.push(plural(i, "note"));
        }
        parts.join(", ")
    };
    let toggle = move |_| {
        ui.problems_open.update(|o| *o = !*o);
    };
    let group = move |severity: Severity, heading: &'static str| {
        // Keyed by what a row shows (and which of identical rows it is), so that a change adds or
        // removes only its own rows instead of re-rendering the ones after it.
        let items = Memo::new(move |_| {
            rows.with(|r| {
                let mut seen: HashMap<(&str, Target, &str), usize> = HashMap::new();
                r.iter()
                    .filter(|d| d.severity == severity)
                    .take(SHOWN)
                    .map(|row| {
                        let nth = seen.entry((row.rule, row.target, row.message.as_str())).or_default();
                        *nth += 1;
                        (*nth, row.clone())
                    })
                    .collect::<Vec<_>>()
            })
        });
        let hidden = move || count(severity).saturating_sub(SHOWN);
        view! {
            <Show when=move || items.with(|i| !i.is_empty())>
                <h3 class=format!("problems-group {}", severity.as_str())>
                    {heading}" "<span class="n">{move || count(severity)}</span>
                </h3>
                <ul class="problem-list" aria-label=heading>
                    <For each=move || items.get() key=|(i, row)| (*i, row.rule, row.target, row.message.clone(), row.target_name.clone(), row.fix_all) let:item>
                        <ProblemRow row=item.1 />
                    </For>
                    <Show when=move || { hidden() > 0 }>
                        <li class="more">{move || format!("and {} more", hidden())}</li>
                    </Show>
                </ul>
            </Show>
        }
    };
    let node = NodeRef::<leptos::html::Section>::new();
    own_keys(node);
    // "Show the errors" asks for the first error; the panel answers once it is drawn.
    ui.take_focus(node, |request, panel| {
        let Focus::Problems(severity) = request else { return None };
        let selector = match severity {
            Some(s) => format!(".problem.{} .problem-main", s.as_str()),
            None => ".problems-toggle".to_owned(),
        };
        let found = panel.query_selector(&selector).ok().flatten();
        found.or_else(|| panel.query_selector(".problems-toggle").ok().flatten())?.dyn_into().ok()
    });
    // The open panel's height: dragging its top edge (or the arrows on it) changes it, between
    // a few rows and most of the workspace; the canvas above re-measures itself.
    let max_height = move || {
        node.get_untracked()
            .and_then(|n| n.parent_element())
            .map(|w| w.get_bounding_client_rect().height() * 0.7)
            .unwrap_or(600.0)
            .max(MIN_HEIGHT)
    };
    let set_height = move |h: f64| ui.problems_height.set(h.clamp(MIN_HEIGHT, max_height()).round());
    let drag = RwSignal::new(None::<(f64, f64)>);
    let on_resize_down = move |e: leptos::ev::PointerEvent| {
        if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_pointer_capture(e.pointer_id());
        }
        drag.set(Some((e.client_y() as f64, ui.problems_height.get_untracked())));
    };
    let on_resize_move = move |e: leptos::ev::PointerEvent| {
        if let Some((y0, h0)) = drag.get_untracked() {
            set_height(h0 + y0 - e.client_y() as f64);
        }
    };
    let on_resize_key = move |e: leptos::ev::KeyboardEvent| {
        let h = ui.problems_height.get_untracked();
        match e.key().as_str() {
            "ArrowUp" => set_height(h + 24.0),
            "ArrowDown" => set_height(h - 24.0),
            "Home" => set_height(MIN_HEIGHT),
            "End" => set_height(f64::INFINITY),
            _ => return,
        }
        e.prevent_default();
    };
    view! {
        <section node_ref=node class="problems" class:open=move || ui.problems_open.get() aria-label="Problems" id="problems"
            style:height=move || ui.problems_open.get().then(|| format!("{}px", ui.problems_height.get()))>
            <Show when=move || ui.problems_open.get()>
                <div
                    class="problems-resizer"
                    role="separator"
                    aria-orientation="horizontal"
                    aria-label="Problems panel height"
                    aria-controls="problems"
                    aria-valuemin=MIN_HEIGHT
                    aria-valuenow=move || ui.problems_height.get()
                    title="Drag (or use the arrow keys) to resize the problems panel"
                    tabindex="0"
                    on:pointerdown=on_resize_down
                    on:pointermove=on_resize_move
                    on:pointerup=move |_| drag.set(None)
                    on:pointercancel=move |_| drag.set(None)
                    on:keydown=on_resize_key
                ></div>
            </Show>
            <header class="problems-header">
                <button
                    type="button"
                    class="problems-toggle"
                    aria-expanded=move || ui.problems_open.get().to_string()
                    aria-controls="problems-body"
                    on:click=toggle
                >
                    <span class="chevron" aria-hidden="true">{move || if ui.problems_open.get() { "▾" } else { "▸" }}</span>
                    "Problems"
                </button>
                <span class="summary" class:clean=move || count(Severity::Error) + count(Severity::Warning) == 0>{summary}</span>
                <button type="button" class="link" on:click=move |_| ui.dialog.set(Some(Dialog::Rules(None)))>"All rules"</button>
            </header>
            <Show when=move || ui.problems_open.get()>
                <div class="problems-body" id="problems-body">
                    <Show when=move || rows.with(Vec::is_empty)>
                        <p class="empty">"No problems: the design passes every rule of the catalog."</p>
                    </Show>
                    {group(Severity::Error, "Errors")}
                    {group(Severity::Warning, "Warnings")}
                    {group(Severity::Info, "Notes")}
                </div>
            </Show>
        </section>
    }
}

#[component]
fn ProblemRow(row: Row) -> impl IntoView {
    let editor = use_editor();
    let ui = use_ui();
    let Row { severity, rule, target, field, target_name, message, fix, fix_all } = row;
    let explained = rules_doc::by_id(rule).map(|r| r.id);
    let title = format!("{target_name}: {message}");
    view! {
        <li class=format!("problem {}", severity.as_str())>
            <span class="severity-dot" aria-hidden="true"></span>
            <button type="button" class="problem-main" title=title on:click=move |_| activate_problem(editor, ui, target, field)>
                <span class="sr-only">{format!("{severity}: ")}</span>
                <span class="target">{target_name}</span>
                <span class="message">{message}</span>
            </button>
            <button
                type="button"
                class="rule-link"
                aria-label=format!("Explain rule {rule}")
                title="What this rule checks and why"
                on:click=move |_| ui.dialog.set(Some(Dialog::Rules(explained)))
            >
                {rule}
            </button>
            {fix.map(|(fix_label, command)| {
                view! {
                    <button type="button" class="fix" title=fix_label
                        on:click=move |_| { editor.dispatch(command.clone()); }>
                        "Fix"
                    </button>
                }
            })}
            {fix_all.map(|n| {
                view! {
                    <button type="button" class="fix fix-all" aria-label=format!("Fix all {n} {rule} problems")
                        title="Repair every problem of this rule, as one undo step"
                        on:click=move |_| {
                            let Some(rule) = crate::model::validate::Rule::from_id(rule) else { return };
                            match editor.with_design_untracked(|d| crate::model::validate::fix_all(d, rule)) {
                                Some((command, repaired)) => {
                                    if editor.dispatch(command) {
                                        let s = if repaired == 1 { "" } else { "s" };
                                        editor.messages.notice.set(Some(format!("Fixed {repaired} {rule} problem{s}; Undo restores them")));
                                    }
                                }
                                None => editor.messages.notice.set(Some("Nothing left to fix".into())),
                            }
                        }>
                        "Fix all"
                    </button>
                }
            })}
        </li>
    }
}
