//! The inspector of one cluster: identity, servers, JetStream, leafnodes, accounts.

use super::fields::{CheckField, FieldProblems, NumberField, SelectField, TextField};
use super::{field_problems, ElementProblems};
use crate::model::cluster::{Account, Cluster, NatsVersion, Role};
use crate::model::command::Command;
use crate::model::edit;
use crate::model::validate::Target;
use crate::model::ClusterId;
use crate::state::use_editor;
use leptos::prelude::*;

const FIELDS: &[&str] = &["name", "role", "domain", "servers", "server_name_prefix", "system_account"];

#[component]
pub fn ClusterInspector(id: ClusterId) -> impl IntoView {
    let editor = use_editor();
    let cluster = Memo::new(move |_| editor.with_design(|d| d.cluster(id).cloned()));
    let read = move |f: fn(&Cluster) -> String| {
        Signal::derive(move || cluster.with(|c| c.as_ref().map(f).unwrap_or_default()))
    };
    // One field edit: a changed copy of the cluster, committed as one command.
    let edit = move |change: Box<dyn FnOnce(&mut Cluster)>| {
        if let Some(mut c) = cluster.get_untracked() {
            change(&mut c);
            editor.dispatch(Command::SetCluster { cluster: id, value: Box::new(c) });
        }
    };
    let target = Target::Cluster(id);
    let problems = move |field| field_problems(target, field);
    let roles = Role::ALL.iter().map(|r| (r.as_str().to_owned(), r.as_str().to_owned())).collect();
    let versions = NatsVersion::ALL.iter().map(|v| (v.as_str().to_owned(), v.as_str().to_owned())).collect();
    let accounts = Memo::new(move |_| {
        cluster.with(|c| {
            c.as_ref()
                .map(|c| c.accounts.iter().map(|(n, a)| (n.clone(), a.clone())).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let remotes = Memo::new(move |_| {
        editor.with_design(|d| {
            d.cluster(id)
                .map(|c| {
                    c.remotes
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let to =
                                r.target.and_then(|t| d.cluster(t)).map_or_else(|| r.url.clone(), |t| t.name.clone());
                            (i, to, r.local_account.clone().unwrap_or_else(|| "$G".into()), r.url.clone())
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let new_account = RwSignal::new(String::new());
    // "Connect to hub…": the hubs this cluster may dial now, and the accounts to bind.
    let hubs = Memo::new(move |_| {
        editor.with_design(|d| {
            edit::connectable_hubs(d, id)
                .into_iter()
                .filter_map(|h| Some((h.0.to_string(), d.cluster(h)?.name.clone())))
                .collect::<Vec<_>>()
        })
    });
    let chosen_hub = RwSignal::new(String::new());
    let hub_id = move || {
        let chosen = chosen_hub.get();
        hubs.with(|h| h.iter().find(|(v, _)| *v == chosen).or(h.first()).and_then(|(v, _)| v.parse().ok()))
            .map(ClusterId)
    };
    let hub_accounts = Memo::new(move |_| {
        hub_id().map(|h| editor.with_design(|d| edit::connectable_accounts(d, id, h))).unwrap_or_default()
    });
    let unchecked = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let connect = move |_| {
        let Some(hub) = hub_id() else { return };
        let accounts: Vec<String> =
            hub_accounts.get_untracked().into_iter().filter(|a| !unchecked.with_untracked(|u| u.contains(a))).collect();
        if editor.dispatch(Command::ConnectLeafnode { from: id, to: hub, accounts: Some(accounts) }) {
            unchecked.set(Default::default());
            chosen_hub.set(String::new());
        }
    };

    view! {
        <section class="inspector-body" aria-label="Cluster properties">
            <h2>
                <span class="kind">"Cluster"</span>
                {move || cluster.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default())}
            </h2>
            <ElementProblems target shown_fields=FIELDS />
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
            <fieldset>
                <legend>"Leafnodes"</legend>
                <CheckField label="Accepts leafnodes" value=Signal::derive(move || cluster.with(|c| c.as_ref().is_some_and(|c| c.leafnode_listener.is_some())))
                    on_commit=Callback::new(move |on: bool| edit(Box::new(move |c| {
                        c.leafnode_listener = on.then(|| c.leafnode_listener.clone().unwrap_or_default())
                    }))) />
                <Show when=move || cluster.with(|c| c.as_ref().is_some_and(|c| c.leafnode_listener.is_some()))>
                    <NumberField label="Leafnode port" min=1
                        value=Signal::derive(move || cluster.with(|c| c.as_ref().and_then(|c| c.leafnode_listener.as_ref()).map_or(7422, |l| l.port as i64)))
                        problems=problems("leafnodes.port")
                        on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| {
                            if let Some(l) = c.leafnode_listener.as_mut() { l.port = n.clamp(1, 65535) as u16 }
                        }))) />
                    <TextField label="Public endpoints" placeholder="host:port, host:port"
                        hint="Where other clusters reach this listener, e.g. a NodePort on a public address"
                        value=read(|c| c.leafnode_listener.as_ref().map(|l| l.public_endpoints.join(", ")).unwrap_or_default())
                        problems=problems("leafnodes.public_endpoints")
                        // Remotes that dialed the old address follow the new one, in the same step.
                        on_commit=Callback::new(move |v: String| {
                            let endpoints = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
                            if let Some(command) = editor.with_design_untracked(|d| edit::set_public_endpoints(d, id, endpoints)) {
                                editor.dispatch(command);
                            }
                        }) />
                </Show>
                <ul class="remotes" aria-label="Leafnode remotes">
                    <For each=move || remotes.get() key=|r| r.clone() let:r>
                        <li class="remote">
                            <div class="remote-title">
                                <span>{format!("to {} as {}", r.1, r.2)}</span>
                                <button type="button" class="small" aria-label=format!("Remove remote to {} ({})", r.1, r.2)
                                    on:click=move |_| edit(Box::new(move |c| { if r.0 < c.remotes.len() { c.remotes.remove(r.0); } }))>
                                    "Remove"
                                </button>
                            </div>
                            {
                                let url_problems = super::field_problems(Target::Remote { cluster: id, index: r.0 }, "url");
                                view! {
                                    <div class="field" class:invalid=move || url_problems.list.with(|p| !p.is_empty())>
                                        <label class="field-control">
                                            <span class="field-label">"URL"</span>
                                            <input type="text" data-field="url" prop:value=r.3.clone()
                                                aria-label=format!("URL of remote to {} ({})", r.1, r.2)
                                                on:change=move |e| {
                                                    let url = event_target_value(&e).trim().to_owned();
                                                    editor.dispatch(Command::SetRemoteUrl { cluster: id, remote: r.0, url });
                                                } />
                                        </label>
                                        <FieldProblems problems=url_problems.list />
                                    </div>
                                }
                            }
                        </li>
                    </For>
                </ul>
                <Show when=move || hubs.with(|h| !h.is_empty())>
                    <div class="connect-hub" role="group" aria-label="Connect to hub…">
                        <p class="field-label">"Connect to hub…"</p>
                        <label class="field-control">
                            <span class="field-label">"Hub"</span>
                            <select aria-label="Hub to connect to" on:change=move |e| { unchecked.set(Default::default()); chosen_hub.set(event_target_value(&e)) }>
                                {move || hubs.get().into_iter().map(|(v, name)| {
                                    let selected = hub_id().is_some_and(|h| h.0.to_string() == v);
                                    view! { <option value=v prop:selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <div class="connect-accounts">
                            {move || hub_accounts.get().into_iter().map(|account| {
                                let name = account.clone();
                                let name2 = account.clone();
                                view! {
                                    <label class="inline">
                                        <input type="checkbox"
                                            prop:checked=move || !unchecked.with(|u| u.contains(&name))
                                            on:change=move |e| {
                                                let on = event_target_checked(&e);
                                                let a = name2.clone();
                                                unchecked.update(|u| { if on { u.remove(&a); } else { u.insert(a); } });
                                            } />
                                        {format!("account {account}")}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <button type="button" class="small" on:click=connect>"Connect"</button>
                    </div>
                </Show>
            </fieldset>
            <fieldset>
                <legend>"Accounts"</legend>
                <TextField label="System account" value=read(|c| c.system_account.clone().unwrap_or_default()) problems=problems("system_account")
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                        let v = v.trim().to_owned();
                        c.system_account = (!v.is_empty()).then_some(v);
                    }))) />
                <ul class="accounts" aria-label="Accounts">
                    <For each=move || accounts.get() key=|a| format!("{a:?}") let:account>
                        <li>
                            <span class="account-name">{account.0.clone()}</span>
                            <span class="users">{account.1.users.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join(", ")}</span>
                            <label class="inline">
                                <input type="checkbox" prop:checked=account.1.jetstream
                                    on:change={
                                        let name = account.0.clone();
                                        move |e| {
                                            let on = event_target_checked(&e);
                                            let name = name.clone();
                                            edit(Box::new(move |c| { if let Some(a) = c.accounts.get_mut(&name) { a.jetstream = on } }))
                                        }
                                    } />
                                "JetStream"
                            </label>
                        </li>
                    </For>
                </ul>
                <div class="add-row">
                    <input type="text" aria-label="New account name" placeholder="new account" prop:value=move || new_account.get()
                        on:input=move |e| new_account.set(event_target_value(&e)) />
                    <button type="button" class="small" on:click=move |_| {
                        let name = new_account.get_untracked().trim().to_owned();
                        if !name.is_empty() {
                            new_account.set(String::new());
                            edit(Box::new(move |c| { c.accounts.entry(name).or_insert_with(Account::default); }))
                        }
                    }>"Add account"</button>
                </div>
            </fieldset>
        </section>
    }
}
