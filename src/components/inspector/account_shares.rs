//! What one account of a cluster exports and imports, edited as rows (kind, subject, allowed
//! accounts and response type; kind, exporting account, subject and where it appears). Every
//! change replaces the account's exports and imports with `Command::SetAccountShares`, so each
//! is one undo step.

use super::cluster::ClusterForm;
use crate::model::cluster::{Export, Import, LocalSubject, ResponseType, ShareKind};
use crate::model::command::Command;
use leptos::prelude::*;

type Shares = (Vec<Export>, Vec<Import>);

fn kind_of(v: &str) -> ShareKind {
    if v == "service" {
        ShareKind::Service
    } else {
        ShareKind::Stream
    }
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

#[component]
pub fn AccountShares(form: ClusterForm, account: String) -> impl IntoView {
    let ClusterForm { id, cluster, editor } = form;
    let name = StoredValue::new(account.clone());
    let shares = Memo::new(move |_| {
        cluster.with(|c| {
            c.as_ref()
                .and_then(|c| name.with_value(|n| c.accounts.get(n)))
                .map(|a| (a.exports.clone(), a.imports.clone()))
                .unwrap_or_default()
        })
    });
    // The cluster's other accounts: where an import can come from.
    let others = Memo::new(move |_| {
        cluster.with(|c| {
            c.as_ref()
                .map(|c| c.accounts.keys().filter(|a| name.with_value(|n| *a != n)).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let change = move |f: Box<dyn FnOnce(&mut Shares)>| {
        let mut both = shares.get_untracked();
        f(&mut both);
        if both != shares.get_untracked() {
            let (exports, imports) = both;
            editor.dispatch(Command::SetAccountShares { cluster: id, account: name.get_value(), exports, imports });
        }
    };
    let export_count = Memo::new(move |_| shares.with(|s| s.0.len()));
    let import_count = Memo::new(move |_| shares.with(|s| s.1.len()));
    let export = move |i: usize| Memo::new(move |_| shares.with(|s| s.0.get(i).cloned()));
    let import = move |i: usize| Memo::new(move |_| shares.with(|s| s.1.get(i).cloned()));
    let acc = account.clone();
    let acc2 = account.clone();
    let acc3 = account.clone();
    let acc4 = account.clone();

    view! {
        <div class="shares">
            <h4 class="shares-heading">{format!("Exports of {account}")}</h4>
            <ul class="share-rows" aria-label=format!("Exports of {account}")>
                <For each=move || 0..export_count.get() key=|i| *i let:i>
                    {
                        let row = export(i);
                        let who = format!("export {} of {acc}", i + 1);
                        let edit = move |f: Box<dyn FnOnce(&mut Export)>| change(Box::new(move |s| if let Some(e) = s.0.get_mut(i) { f(e) }));
                        view! {
                            <li class="share-row export" role="group" aria-label=format!("Export {} of {acc}", i + 1)>
                                <label class="share-field kind">
                                    <span class="field-label">"Kind"</span>
                                    <select aria-label=format!("Kind of {who}")
                                        on:change=move |e| { let k = kind_of(&event_target_value(&e)); edit(Box::new(move |x| { x.kind = k; if k == ShareKind::Stream { x.response_type = None } })) }>
                                        {["stream", "service"].map(|k| view! {
                                            <option value=k prop:selected=move || row.with(|r| r.as_ref().is_some_and(|r| r.kind.as_str() == k))>{k}</option>
                                        })}
                                    </select>
                                </label>
                                <label class="share-field subject">
                                    <span class="field-label">"Subject"</span>
                                    <input type="text" aria-label=format!("Subject of {who}") placeholder="orders.>"
                                        prop:value=move || row.with(|r| r.as_ref().map(|r| r.subject.clone()).unwrap_or_default())
                                        on:change=move |e| { let v = event_target_value(&e).trim().to_owned(); edit(Box::new(move |x| x.subject = v)) } />
                                </label>
                                <label class="share-field allowed">
                                    <span class="field-label">"Allowed accounts"</span>
                                    <input type="text" aria-label=format!("Accounts allowed to import {who}") placeholder="every account"
                                        prop:value=move || row.with(|r| r.as_ref().map(|r| r.accounts.join(", ")).unwrap_or_default())
                                        on:change=move |e| { let v = list(&event_target_value(&e)); edit(Box::new(move |x| x.accounts = v)) } />
                                </label>
                                <label class="share-field response">
                                    <span class="field-label">"Response"</span>
                                    <select aria-label=format!("Response type of {who}")
                                        disabled=move || row.with(|r| r.as_ref().is_none_or(|r| r.kind == ShareKind::Stream))
                                        on:change=move |e| {
                                            let v = event_target_value(&e);
                                            let t = [ResponseType::Singleton, ResponseType::Stream, ResponseType::Chunked].into_iter().find(|t| t.as_str() == v);
                                            edit(Box::new(move |x| x.response_type = t))
                                        }>
                                        <option value="" prop:selected=move || row.with(|r| r.as_ref().is_none_or(|r| r.response_type.is_none()))>"default"</option>
                                        {[ResponseType::Singleton, ResponseType::Stream, ResponseType::Chunked].map(|t| view! {
                                            <option value=t.as_str() prop:selected=move || row.with(|r| r.as_ref().is_some_and(|r| r.response_type == Some(t)))>{t.as_str()}</option>
                                        })}
                                    </select>
                                </label>
                                <button type="button" class="small remove" aria-label=format!("Remove {who}")
                                    on:click=move |_| change(Box::new(move |s| { if i < s.0.len() { s.0.remove(i); } }))>"Remove"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <button type="button" class="small" aria-label=format!("Add export to {acc2}")
                on:click=move |_| change(Box::new(|s| s.0.push(Export::new(ShareKind::Stream, ""))))>"Add export"</button>

            <h4 class="shares-heading">{format!("Imports of {account}")}</h4>
            <ul class="share-rows" aria-label=format!("Imports of {account}")>
                <For each=move || 0..import_count.get() key=|i| *i let:i>
                    {
                        let row = import(i);
                        let who = format!("import {} of {acc3}", i + 1);
                        let edit = move |f: Box<dyn FnOnce(&mut Import)>| change(Box::new(move |s| if let Some(x) = s.1.get_mut(i) { f(x) }));
                        let mode = move || row.with(|r| match r.as_ref().and_then(|r| r.local.as_ref()) {
                            None => "same",
                            Some(LocalSubject::To(_)) => "to",
                            Some(LocalSubject::Prefix(_)) => "prefix",
                        });
                        view! {
                            <li class="share-row import" role="group" aria-label=format!("Import {} of {acc3}", i + 1)>
                                <label class="share-field kind">
                                    <span class="field-label">"Kind"</span>
                                    <select aria-label=format!("Kind of {who}")
                                        on:change=move |e| {
                                            let k = kind_of(&event_target_value(&e));
                                            edit(Box::new(move |x| {
                                                x.kind = k;
                                                // A prefix is for stream imports only.
                                                if k == ShareKind::Service && matches!(x.local, Some(LocalSubject::Prefix(_))) { x.local = None }
                                            }))
                                        }>
                                        {["stream", "service"].map(|k| view! {
                                            <option value=k prop:selected=move || row.with(|r| r.as_ref().is_some_and(|r| r.kind.as_str() == k))>{k}</option>
                                        })}
                                    </select>
                                </label>
                                <label class="share-field from">
                                    <span class="field-label">"From account"</span>
                                    <select aria-label=format!("Account that {who} comes from")
                                        on:change=move |e| { let v = event_target_value(&e); edit(Box::new(move |x| x.account = v)) }>
                                        {move || {
                                            let current = row.with(|r| r.as_ref().map(|r| r.account.clone()).unwrap_or_default());
                                            let mut names = others.get();
                                            if !names.contains(&current) {
                                                names.insert(0, current.clone());
                                            }
                                            names.into_iter().map(|n| {
                                                let selected = n == current;
                                                let shown = if n.is_empty() { "(choose)".to_owned() } else { n.clone() };
                                                view! { <option value=n prop:selected=selected>{shown}</option> }
                                            }).collect_view()
                                        }}
                                    </select>
                                </label>
                                <label class="share-field subject">
                                    <span class="field-label">"Subject"</span>
                                    <input type="text" aria-label=format!("Subject of {who}") placeholder="as exported"
                                        prop:value=move || row.with(|r| r.as_ref().map(|r| r.subject.clone()).unwrap_or_default())
                                        on:change=move |e| { let v = event_target_value(&e).trim().to_owned(); edit(Box::new(move |x| x.subject = v)) } />
                                </label>
                                <label class="share-field local-mode">
                                    <span class="field-label">"Appears as"</span>
                                    <select aria-label=format!("Where {who} appears")
                                        on:change=move |e| {
                                            let v = event_target_value(&e);
                                            edit(Box::new(move |x| {
                                                let text = match &x.local { Some(LocalSubject::To(t) | LocalSubject::Prefix(t)) => t.clone(), None => String::new() };
                                                x.local = match v.as_str() {
                                                    "to" => Some(LocalSubject::To(text)),
                                                    "prefix" => Some(LocalSubject::Prefix(text)),
                                                    _ => None,
                                                };
                                            }))
                                        }>
                                        <option value="same" prop:selected=move || mode() == "same">"the same"</option>
                                        <option value="to" prop:selected=move || mode() == "to">"a subject (to)"</option>
                                        <option value="prefix" prop:selected=move || mode() == "prefix"
                                            disabled=move || row.with(|r| r.as_ref().is_some_and(|r| r.kind == ShareKind::Service))>"a prefix"</option>
                                    </select>
                                </label>
                                <label class="share-field local">
                                    <span class="field-label">{move || if mode() == "prefix" { "Prefix" } else { "Local subject" }}</span>
                                    <input type="text" aria-label=format!("Local subject or prefix of {who}")
                                        disabled=move || mode() == "same"
                                        prop:value=move || row.with(|r| match r.as_ref().and_then(|r| r.local.as_ref()) {
                                            Some(LocalSubject::To(t) | LocalSubject::Prefix(t)) => t.clone(),
                                            None => String::new(),
                                        })
                                        on:change=move |e| {
                                            let v = event_target_value(&e).trim().to_owned();
                                            edit(Box::new(move |x| match &mut x.local {
                                                Some(LocalSubject::To(t) | LocalSubject::Prefix(t)) => *t = v,
                                                None => {}
                                            }))
                                        } />
                                </label>
                                <button type="button" class="small remove" aria-label=format!("Remove {who}")
                                    on:click=move |_| change(Box::new(move |s| { if i < s.1.len() { s.1.remove(i); } }))>"Remove"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <button type="button" class="small" aria-label=format!("Add import to {acc4}")
                on:click=move |_| {
                    let from = others.get_untracked().into_iter().next().unwrap_or_default();
                    change(Box::new(move |s| s.1.push(Import::new(ShareKind::Stream, from, ""))))
                }>"Add import"</button>
        </div>
    }
}
