//! The stream inspector's consumers section: the stream's durable consumers, each editable
//! (name, pull or push, deliver subject, filter subjects, deliver and ack policy, max deliver,
//! ack wait, replicas) and removable, and "Add consumer". Every edit replaces the stream's
//! consumers as one command (`Command::SetStreamConsumers`), so one undo takes it back. The
//! consumer rules' problems (field `consumers` of the stream) are listed at the top.

use super::field_problems;
use super::fields::{FieldProblems, NumberField, SecondsField, SelectField, TextField};
use super::stream::options;
use crate::model::command::Command;
use crate::model::consumer::{AckPolicy, Consumer, DeliverPolicy};
use crate::model::validate::Target;
use crate::model::StreamId;
use crate::state::use_editor;
use leptos::prelude::*;

/// A durable name no consumer of `consumers` has: `consumer`, `consumer-2`, ...
fn unique_name(consumers: &[Consumer]) -> String {
    let taken = |n: &str| consumers.iter().any(|c| c.durable == n);
    if !taken("consumer") {
        return "consumer".to_owned();
    }
    (2..).map(|n| format!("consumer-{n}")).find(|n| !taken(n)).expect("finitely many consumers")
}

#[component]
pub fn StreamConsumers(id: StreamId) -> impl IntoView {
    let editor = use_editor();
    let consumers = Memo::new(move |_| editor.with_design(|d| d.stream(id).map(|s| s.consumers.clone())));
    let problems = field_problems(Target::Stream(id), "consumers");
    let count = move || consumers.with(|c| c.as_ref().map_or(0, Vec::len));
    let add = move |_| {
        if let Some(mut list) = consumers.get_untracked() {
            list.push(Consumer::pull(unique_name(&list)));
            editor.dispatch(Command::SetStreamConsumers { stream: id, consumers: list });
        }
    };
    view! {
        <fieldset class="consumers">
            <legend>{move || format!("Consumers ({})", count())}</legend>
            <FieldProblems problems=problems.list />
            <For each=move || 0..count() key=|i| *i let:i>
                <ConsumerFields id consumers index=i />
            </For>
            <button type="button" class="add-consumer" on:click=add>"Add consumer"</button>
        </fieldset>
    }
}

#[component]
fn ConsumerFields(id: StreamId, consumers: Memo<Option<Vec<Consumer>>>, index: usize) -> impl IntoView {
    let editor = use_editor();
    let read = move |f: fn(&Consumer) -> String| {
        Signal::derive(move || consumers.with(|c| c.as_ref().and_then(|c| c.get(index)).map(f).unwrap_or_default()))
    };
    let number = move |f: fn(&Consumer) -> i64| {
        Signal::derive(move || consumers.with(|c| c.as_ref().and_then(|c| c.get(index)).map_or(0, f)))
    };
    let edit = move |change: Box<dyn FnOnce(&mut Consumer)>| {
        if let Some(mut list) = consumers.get_untracked() {
            if let Some(c) = list.get_mut(index) {
                change(c);
                editor.dispatch(Command::SetStreamConsumers { stream: id, consumers: list });
            }
        }
    };
    let remove = move |_| {
        if let Some(mut list) = consumers.get_untracked() {
            if index < list.len() {
                list.remove(index);
                editor.dispatch(Command::SetStreamConsumers { stream: id, consumers: list });
            }
        }
    };
    let name = read(|c| c.durable.clone());
    let push = Signal::derive(move || {
        consumers.with(|c| c.as_ref().and_then(|c| c.get(index)).is_some_and(Consumer::is_push))
    });
    let policies: Vec<&str> = DeliverPolicy::ALL.iter().map(|p| p.as_str()).collect();
    let acks: Vec<&str> = AckPolicy::ALL.iter().map(|p| p.as_str()).collect();
    view! {
        <fieldset class="consumer" aria-label=move || format!("Consumer {}", name.get())>
            <legend>{move || name.get()}</legend>
            <TextField label="Durable name" value=name
                on_commit=Callback::new(move |v: String| edit(Box::new(move |c| c.durable = v))) />
            <SelectField label="Kind" options=options(&["pull", "push"]) value=read(|c| c.kind().to_owned())
                on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                    c.deliver_subject = (v == "push").then(|| format!("deliver.{}", c.durable));
                    if c.deliver_subject.is_none() {
                        c.deliver_group = None;
                        c.flow_control = false;
                        c.idle_heartbeat = None;
                    }
                }))) />
            <Show when=move || push.get()>
                <TextField label="Deliver subject" value=read(|c| c.deliver_subject.clone().unwrap_or_default())
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| c.deliver_subject = Some(v)))) />
            </Show>
            <TextField label="Filter subjects" placeholder="all of the stream's" hint="Comma-separated"
                value=read(|c| c.filter_subjects.join(", "))
                on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                    c.filter_subjects = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
                }))) />
            <SelectField label="Deliver policy" options=options(&policies) value=read(|c| c.deliver_policy.as_str().to_owned())
                on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                    c.deliver_policy = DeliverPolicy::parse(&v).unwrap_or_default();
                }))) />
            <SelectField label="Ack policy" options=options(&acks) value=read(|c| c.ack_policy.as_str().to_owned())
                on_commit=Callback::new(move |v: String| edit(Box::new(move |c| c.ack_policy = AckPolicy::parse(&v).unwrap_or_default()))) />
            <SecondsField label="Ack wait (s)" hint="0 for the server's 30s" nanos=number(|c| c.ack_wait.unwrap_or(0))
                on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.ack_wait = (n != 0).then_some(n)))) />
            <NumberField label="Max deliver" hint="-1 for no limit" value=number(|c| c.max_deliver.unwrap_or(-1))
                on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.max_deliver = (n != -1 && n != 0).then_some(n)))) />
            <NumberField label="Consumer replicas" hint="0 for the stream's" min=0 value=number(|c| c.replicas)
                on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.replicas = n))) />
            <button type="button" class="remove-consumer" on:click=remove
                aria-label=move || format!("Remove consumer {}", name.get())>"Remove"</button>
        </fieldset>
    }
}
