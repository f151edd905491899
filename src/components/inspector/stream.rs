//! The inspector of one stream: placement, subjects, retention and limits, and its mirror or
//! sources with their filters and `external.api` prefixes.

use super::fields::{CheckField, NumberField, SecondsField, SelectField, TextField};
use super::{field_problems, ElementProblems};
use crate::model::command::Command;
use crate::model::edit::CopyKind;
use crate::model::stream::{Discard, Retention, Storage, StreamConfig};
use crate::model::validate::Target;
use crate::model::StreamId;
use crate::state::use_editor;
use leptos::prelude::*;

const FIELDS: &[&str] = &[
    "name",
    "subjects",
    "retention",
    "storage",
    "num_replicas",
    "discard",
    "max_age",
    "duplicate_window",
    "max_msgs",
    "max_bytes",
    "max_msgs_per_subject",
    "max_msg_size",
];

fn options(values: &[&str]) -> Vec<(String, String)> {
    values.iter().map(|v| ((*v).to_owned(), (*v).to_owned())).collect()
}

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
pub fn StreamInspector(id: StreamId) -> impl IntoView {
    let editor = use_editor();
    let config = Memo::new(move |_| editor.with_design(|d| d.stream(id).map(|s| s.config.clone())));
    let read = move |f: fn(&StreamConfig) -> String| {
        Signal::derive(move || config.with(|c| c.as_ref().map(f).unwrap_or_default()))
    };
    let number = move |f: fn(&StreamConfig) -> i64| Signal::derive(move || config.with(|c| c.as_ref().map_or(0, f)));
    let edit = move |change: Box<dyn FnOnce(&mut StreamConfig)>| {
        if let Some(mut c) = config.get_untracked() {
            change(&mut c);
            editor.dispatch(Command::SetStreamConfig { stream: id, config: Box::new(c) });
        }
    };
    let target = Target::Stream(id);
    let problems = move |field| field_problems(target, field);
    let placement = Memo::new(move |_| {
        editor.with_design(|d| {
            d.stream(id).and_then(|s| {
                let c = d.cluster(s.cluster)?;
                Some((
                    c.name.clone(),
                    c.domain.clone(),
                    s.account.clone(),
                    c.accounts.keys().cloned().collect::<Vec<_>>(),
                ))
            })
        })
    });
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
        <section class="inspector-body" aria-label="Stream properties">
            <h2>
                <span class="kind">"Stream"</span>
                {move || config.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default())}
            </h2>
            <p class="placement">
                {move || placement.get().map(|(cluster, domain, account, _)| {
                    let domain = if domain.is_empty() { "no domain".to_owned() } else { format!("domain {domain}") };
                    format!("in cluster {cluster} ({domain}), account {account}")
                })}
            </p>
            <ElementProblems target shown_fields=FIELDS />
            <fieldset>
                <legend>"Stream"</legend>
                <TextField label="Name" value=read(|c| c.name.clone()) problems=problems("name")
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| c.name = v.trim().to_owned()))) />
                <TextField label="Subjects" placeholder="orders.>, invoices.*" value=read(|c| c.subjects.join(", ")) problems=problems("subjects")
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                        c.subjects = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
                    }))) />
                <TextField label="Description" value=read(|c| c.description.clone().unwrap_or_default())
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| c.description = (!v.is_empty()).then_some(v)))) />
            </fieldset>
            <fieldset>
                <legend>"Storage and replication"</legend>
                <SelectField label="Retention" options=options(&["limits", "interest", "workqueue"]) value=read(|c| c.retention.as_str().to_owned())
                    problems=problems("retention")
                    on_commit=Callback::new(move |v: String| {
                        let r = match v.as_str() { "interest" => Retention::Interest, "workqueue" => Retention::WorkQueue, _ => Retention::Limits };
                        edit(Box::new(move |c| c.retention = r))
                    }) />
                <SelectField label="Storage" options=options(&["file", "memory"]) value=read(|c| c.storage.as_str().to_owned())
                    on_commit=Callback::new(move |v: String| {
                        let s = if v == "memory" { Storage::Memory } else { Storage::File };
                        edit(Box::new(move |c| c.storage = s))
                    }) />
                <NumberField label="Replicas" min=1 value=number(|c| c.num_replicas) problems=problems("num_replicas")
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.num_replicas = n))) />
                <SelectField label="Discard" options=options(&["old", "new"]) value=read(|c| c.discard.as_str().to_owned())
                    problems=problems("discard")
                    on_commit=Callback::new(move |v: String| {
                        let d = if v == "new" { Discard::New } else { Discard::Old };
                        edit(Box::new(move |c| c.discard = d))
                    }) />
            </fieldset>
            <fieldset>
                <legend>"Limits"</legend>
                <SecondsField label="Max age (s)" nanos=number(|c| c.max_age) problems=problems("max_age") hint="0 keeps messages forever"
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.max_age = n))) />
                <SecondsField label="Duplicate window (s)" nanos=number(|c| c.duplicate_window.unwrap_or(0)) problems=problems("duplicate_window")
                    hint="0 uses the server default (2 minutes)"
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.duplicate_window = (n != 0).then_some(n)))) />
                <NumberField label="Max messages" value=number(|c| c.max_msgs) problems=problems("max_msgs") hint="-1 for no limit"
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.max_msgs = n))) />
                <NumberField label="Max bytes" value=number(|c| c.max_bytes) problems=problems("max_bytes") hint="-1 for no limit"
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.max_bytes = n))) />
                <NumberField label="Max messages per subject" value=number(|c| c.max_msgs_per_subject) problems=problems("max_msgs_per_subject")
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.max_msgs_per_subject = n))) />
                <NumberField label="Max message size" value=number(|c| c.max_msg_size) problems=problems("max_msg_size")
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.max_msg_size = n))) />
                <NumberField label="Max consumers" value=number(|c| c.max_consumers)
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.max_consumers = n))) />
            </fieldset>
            <fieldset>
                <legend>"Options"</legend>
                <CheckField label="Deny delete" value=Signal::derive(move || config.with(|c| c.as_ref().is_some_and(|c| c.deny_delete)))
                    on_commit=Callback::new(move |b: bool| edit(Box::new(move |c| c.deny_delete = b))) />
                <CheckField label="Deny purge" value=Signal::derive(move || config.with(|c| c.as_ref().is_some_and(|c| c.deny_purge)))
                    on_commit=Callback::new(move |b: bool| edit(Box::new(move |c| c.deny_purge = b))) />
                <CheckField label="Allow roll-ups" value=Signal::derive(move || config.with(|c| c.as_ref().is_some_and(|c| c.allow_rollup_hdrs)))
                    on_commit=Callback::new(move |b: bool| edit(Box::new(move |c| c.allow_rollup_hdrs = b))) />
                <CheckField label="Allow direct get" value=Signal::derive(move || config.with(|c| c.as_ref().is_some_and(|c| c.allow_direct)))
                    on_commit=Callback::new(move |b: bool| edit(Box::new(move |c| c.allow_direct = b))) />
                <CheckField label="No ack" value=Signal::derive(move || config.with(|c| c.as_ref().is_some_and(|c| c.no_ack)))
                    on_commit=Callback::new(move |b: bool| edit(Box::new(move |c| c.no_ack = b))) />
            </fieldset>
            <fieldset>
                <legend>"Mirror and sources"</legend>
                <ul class="origins" aria-label="Origins">
                    <For each=move || origins.get() key=|o| (o.index, o.name.clone(), o.api.clone(), o.filter.clone()) let:o>
                        <li class="origin">
                            <div class="origin-title">
                                <span class=if o.mirror { "tag mirror" } else { "tag source" }>{if o.mirror { "mirror" } else { "source" }}</span>
                                <span>{o.name.clone()}</span>
                                <button type="button" class="small" aria-label=format!("Remove origin {}", o.name) on:click=move |_| remove_origin(o.index)>"Remove"</button>
                            </div>
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
        </section>
    }
}
