//! The rule catalog in the app: every rule's id, severity, what it finds and its source, by
//! section, generated from `model::rules_doc`. Opened on one rule, it scrolls to it.

use super::modal::Modal;
use crate::model::rules_doc::{code_spans, RULES};
use leptos::prelude::*;

/// Catalog text with its inline code, as text nodes only.
fn rich(text: &'static str) -> impl IntoView {
    code_spans(text)
        .into_iter()
        .map(|(code, t)| if code { view! { <code>{t}</code> }.into_any() } else { t.into_any() })
        .collect_view()
}

#[component]
pub fn RulesDialog(current: Option<&'static str>, on_close: Callback<()>) -> impl IntoView {
    let mut sections: Vec<&'static str> = Vec::new();
    for r in &RULES {
        if !sections.contains(&r.section) {
            sections.push(r.section);
        }
    }
    // Opened on one rule: scrolled to it once the catalog is in the page.
    let body = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let (Some(id), Some(body)) = (current, body.get()) else { return };
        request_animation_frame(move || {
            if let Ok(Some(el)) = body.query_selector(&format!("#rule-{id}")) {
                el.scroll_into_view();
            }
        });
    });
    view! {
        <Modal title="Rules" on_close class="rules-dialog">
            <div node_ref=body class="dialog-body rules">
                <p class="lead">
                    "What the designer checks, and where each behaviour comes from. "
                    <strong>"error"</strong>": the server or chart rejects it, or the topology cannot work as drawn; "
                    <strong>"warning"</strong>": it works but is risky or surprising."
                </p>
                {sections
                    .into_iter()
                    .map(|section| view! {
                        <h3>{section}</h3>
                        <dl class="rule-list">
                            {RULES
                                .iter()
                                .filter(|r| r.section == section)
                                .map(|r| view! {
                                    <div class="rule" class:current=current == Some(r.id) id=format!("rule-{}", r.id)>
                                        <dt>
                                            <code class="rule-id">{r.id}</code>
                                            <span class=format!("tag {}", r.severity)>{r.severity}</span>
                                        </dt>
                                        <dd class="what">{rich(r.what)}</dd>
                                        <dd class="source">"Source: "{rich(r.source)}</dd>
                                    </div>
                                })
                                .collect_view()}
                        </dl>
                    })
                    .collect_view()}
            </div>
        </Modal>
    }
}
