//! The stream inspector's identity section: name, subjects, description.

use super::fields::TextField;
use super::stream::StreamForm;
use leptos::prelude::*;

#[component]
pub fn StreamIdentity(form: StreamForm) -> impl IntoView {
    let read = move |f| form.read(f);
    let edit = move |change| form.edit(change);
    let problems = move |field| form.problems(field);
    view! {
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
    }
}
