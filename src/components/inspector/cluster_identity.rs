//! The cluster inspector's identity section: name, role, version, servers, JetStream domain.

use super::cluster::ClusterForm;
use super::fields::{CheckField, NumberField, SelectField, TextField};
use crate::model::cluster::{NatsVersion, Role};
use crate::model::edit;
use leptos::prelude::*;

#[component]
pub fn ClusterIdentity(form: ClusterForm) -> impl IntoView {
    let ClusterForm { id, cluster, editor } = form;
    let read = move |f| form.read(f);
    let edit = move |change| form.edit(change);
    let problems = move |field| form.problems(field);
    let roles = Role::ALL.iter().map(|r| (r.as_str().to_owned(), r.as_str().to_owned())).collect();
    let versions = NatsVersion::ALL.iter().map(|v| (v.as_str().to_owned(), v.as_str().to_owned())).collect();
    view! {
            <fieldset>
                <legend>"Identity"</legend>
                <TextField label="Name" value=read(|c| c.name.clone()) problems=problems("name")
                    on_commit=Callback::new(move |v: String| {
                        if let Some(command) = editor.with_design_untracked(|d| edit::rename_cluster(d, id, &v)) {
                            editor.dispatch(command);
                        }
                    }) />
                <SelectField label="Role" options=roles value=read(|c| c.role.as_str().to_owned()) problems=problems("role")
                    on_commit=Callback::new(move |v: String| {
                        let role = Role::ALL.into_iter().find(|r| r.as_str() == v).unwrap_or(Role::Standalone);
                        edit(Box::new(move |c| c.role = role))
                    }) />
                <SelectField label="NATS version" options=versions value=read(|c| c.version.as_str().to_owned())
                    on_commit=Callback::new(move |v: String| {
                        if let Some(version) = NatsVersion::parse(&v) {
                            edit(Box::new(move |c| c.version = version))
                        }
                    }) />
            </fieldset>
            <fieldset>
                <legend>"Servers"</legend>
                <NumberField label="Servers" min=1 value=Signal::derive(move || cluster.with(|c| c.as_ref().map_or(1, |c| c.servers as i64)))
                    problems=problems("servers")
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| c.servers = n.clamp(1, 255) as u8))) />
                <TextField label="Server name prefix" value=read(|c| c.server_name_prefix.clone()) problems=problems("server_name_prefix")
                    placeholder="chart default: nats-0, nats-1, ..."
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| c.server_name_prefix = v.trim().to_owned()))) />
            </fieldset>
            <fieldset>
                <legend>"JetStream"</legend>
                <CheckField label="JetStream enabled" value=Signal::derive(move || cluster.with(|c| c.as_ref().is_some_and(|c| c.jetstream)))
                    on_commit=Callback::new(move |on: bool| edit(Box::new(move |c| c.jetstream = on))) />
                <TextField label="JetStream domain" value=read(|c| c.domain.clone()) problems=problems("domain")
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| c.domain = v.trim().to_owned()))) />
            </fieldset>
    }
}
