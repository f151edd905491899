//! The stream inspector's limits section: ages, counts and sizes, and the stream's options.

use super::fields::{CheckField, NumberField, SecondsField};
use super::stream::StreamForm;
use leptos::prelude::*;

#[component]
pub fn StreamLimits(form: StreamForm) -> impl IntoView {
    let StreamForm { config, .. } = form;
    let number = move |f| form.number(f);
    let edit = move |change| form.edit(change);
    let problems = move |field| form.problems(field);
    view! {
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
    }
}
