//! The cluster inspector's leafnodes section: the listener, the remotes it dials, and
//! "Connect to hub…" with the accounts to bind.

use super::cluster::ClusterForm;
use super::cluster_tls::DialTls;
use super::field_problems;
use super::fields::{CheckField, FieldProblems, NumberField, TextField};
use crate::model::command::Command;
use crate::model::edit;
use crate::model::tls::{self, TlsDial};
use crate::model::validate::Target;
use crate::model::ClusterId;
use leptos::prelude::*;

#[component]
pub fn ClusterLeafnodes(form: ClusterForm) -> impl IntoView {
    let ClusterForm { id, cluster, editor } = form;
    let read = move |f| form.read(f);
    let edit = move |change| form.edit(change);
    let problems = move |field| form.problems(field);
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
                                let url_problems = field_problems(Target::Remote { cluster: id, index: r.0 }, "url");
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
                            {
                                // TLS of the dial: its tls {} block (what makes it use TLS), and the
                                // tls:// scheme, which alone does not.
                                let of = format!("remote to {} ({})", r.1, r.2);
                                let tls_problems = field_problems(Target::Remote { cluster: id, index: r.0 }, "tls");
                                let scheme = tls::has_tls_scheme(&r.3);
                                view! {
                                    <DialTls of=of.clone() problems=tls_problems
                                        value=Signal::derive(move || cluster.with(|c| c.as_ref().and_then(|c| c.remotes.get(r.0)).and_then(|x| x.tls.clone())))
                                        on_commit=Callback::new(move |value: Option<TlsDial>| edit(Box::new(move |c| {
                                            if let Some(remote) = c.remotes.get_mut(r.0) { remote.tls = value }
                                        }))) />
                                    <label class="field check">
                                        <input type="checkbox" aria-label=format!("tls:// scheme of {of}") prop:checked=scheme
                                            on:change=move |e| {
                                                let url = tls::with_tls_scheme(&r.3, event_target_checked(&e));
                                                editor.dispatch(Command::SetRemoteUrl { cluster: id, remote: r.0, url });
                                            } />
                                        <span class="field-label">"tls:// scheme"</span>
                                    </label>
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
    }
}
