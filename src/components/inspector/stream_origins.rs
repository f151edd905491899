//! The stream inspector's origins section: its mirror or sources, with their filters and
//! `external.api` prefixes, and adding one.

use super::field_problems;
use super::fields::TextField;
use super::stream::StreamForm;
use super::wire_accounts::{WireAccounts, COPY_RULES};
use crate::model::command::Command;
use crate::model::edit::CopyKind;
use crate::model::validate::Target;
use crate::model::StreamId;
use leptos::prelude::*;

/// One origin row: kind, origin, the prefix used (derived or written), filter.
#[derive(Clone, PartialEq)]
struct OriginRow {
    index: usize,
    mirror: bool,
    name: String,
    api: Option<String>,
    derived: Option<String>,
    filter: String,
}

#[component]
pub fn StreamOrigins(form: StreamForm) -> impl IntoView {
    let StreamForm { id, editor, .. } = form;
    let edit = move |change| form.edit(change);
    let origins = Memo::new(move |_| {
        editor.with_design(|d| {
            let Some(s) = d.stream(id) else { return Vec::new() };
            s.origins()
                .enumerate()
                .map(|(index, o)| {
                    let mut derived_source = o.clone();
                    derived_source.api = None;
                    OriginRow {
                        index,
                        mirror: s.config.mirror.is_some() && index == 0,
                        name: o.name.clone(),
                        api: o.api.clone(),
                        derived: d.effective_api(s, &derived_source),
                        filter: o.filter_subject.clone().unwrap_or_default(),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    // Streams this one could copy from: not itself, and none it already copies from.
    let others = Memo::new(move |_| {
        editor.with_design(|d| {
            let already: Vec<StreamId> =
                d.stream(id).map(|s| s.origins().filter_map(|o| d.resolve_origin(s, o)).collect()).unwrap_or_default();
            d.streams()
                .filter(|s| s.id != id && !already.contains(&s.id))
                .map(|s| {
                    let cluster = d.cluster(s.cluster).map(|c| c.name.clone()).unwrap_or_default();
                    (s.id, format!("{} ({cluster})", s.config.name))
                })
                .collect::<Vec<_>>()
        })
    });
    let chosen_origin = RwSignal::new(String::new());
    let add_origin = move |kind: CopyKind| {
        let Ok(n) = chosen_origin.get_untracked().parse::<u32>() else {
            editor.messages.notice.set(Some("Choose the stream to copy from first".into()));
            return;
        };
        editor.dispatch(Command::ConnectStreams { origin: StreamId(n), copy: id, kind });
    };
    let edit_origin = move |index: usize, change: Box<dyn FnOnce(&mut crate::model::StreamSource)>| {
        edit(Box::new(move |c| {
            if let Some(o) = c.mirror.iter_mut().chain(c.sources.iter_mut()).nth(index) {
                change(o)
            }
        }))
    };
    let remove_origin = move |index: usize| {
        edit(Box::new(move |c| {
            if c.mirror.is_some() {
                if index == 0 {
                    c.mirror = None;
                    return;
                }
                c.sources.remove(index - 1);
            } else if index < c.sources.len() {
                c.sources.remove(index);
            }
        }))
    };

    view! {
            <fieldset>
                <legend>"Mirror and sources"</legend>
                <WireAccounts target=Target::Stream(id) rules=COPY_RULES />
                <ul class="origins" aria-label="Origins">
                    <For each=move || origins.get() key=|o| (o.index, o.name.clone(), o.api.clone(), o.filter.clone()) let:o>
                        <li class="origin">
                            <div class="origin-title">
                                <span class=if o.mirror { "tag mirror" } else { "tag source" }>{if o.mirror { "mirror" } else { "source" }}</span>
                                <span>{o.name.clone()}</span>
                                <button type="button" class="small" aria-label=format!("Remove origin {}", o.name) on:click=move |_| remove_origin(o.index)>"Remove"</button>
                            </div>
                            <WireAccounts target=Target::Origin { stream: id, index: o.index } rules=COPY_RULES />
                            <TextField label="External API"
                                placeholder=""
                                hint="Empty: derived from the origin's domain"
                                value=Signal::derive({ let o = o.clone(); move || o.api.clone().or(o.derived.clone()).unwrap_or_default() })
                                problems=field_problems(Target::Origin { stream: id, index: o.index }, "external.api")
                                on_commit=Callback::new({ let derived = o.derived.clone(); move |v: String| {
                                    let v = v.trim().to_owned();
                                    let api = (!v.is_empty() && Some(&v) != derived.as_ref()).then_some(v);
                                    edit_origin(o.index, Box::new(move |s| s.api = api))
                                }}) />
                            <TextField label="Filter subject" value=o.filter.clone()
                                problems=field_problems(Target::Origin { stream: id, index: o.index }, "filter_subject")
                                on_commit=Callback::new(move |v: String| {
                                    let v = v.trim().to_owned();
                                    edit_origin(o.index, Box::new(move |s| s.filter_subject = (!v.is_empty()).then_some(v)))
                                }) />
                        </li>
                    </For>
                </ul>
                <div class="add-row">
                    <select aria-label="Copy from stream" on:change=move |e| chosen_origin.set(event_target_value(&e))>
                        <option value="">"Copy from…"</option>
                        {move || others.get().into_iter().map(|(sid, label)| view! { <option value=sid.0.to_string()>{label}</option> }).collect_view()}
                    </select>
                    <button type="button" class="small" on:click=move |_| add_origin(CopyKind::Source)>"Add source"</button>
                    <button type="button" class="small" on:click=move |_| add_origin(CopyKind::Mirror)>"Make mirror"</button>
                </div>
            </fieldset>
    }
}
