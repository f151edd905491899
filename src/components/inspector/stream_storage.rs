//! The stream inspector's storage section: retention, storage, replicas, discard.

use super::fields::{NumberField, SelectField};
use super::stream::options;
use super::stream::StreamForm;
use crate::model::stream::{Discard, Retention, Storage};
use leptos::prelude::*;

#[component]
pub fn StreamStorage(form: StreamForm) -> impl IntoView {
    let read = move |f| form.read(f);
    let number = move |f| form.number(f);
    let edit = move |change| form.edit(change);
    let problems = move |field| form.problems(field);
    view! {
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
    }
}
