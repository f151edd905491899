//! The cluster inspector's gateway section: whether the cluster joins a supercluster by
//! gateways, its gateway (named after the cluster), listen port, public endpoints, the peers it
//! dials with their gateway URLs and `tls {}` blocks, "Join cluster…"; and the servers' tags
//! that stream placement matches. Edits go through `model::gateway` (one undo step each).

use super::cluster::ClusterForm;
use super::cluster_tls::DialTls;
use super::fields::{CheckField, FieldProblems, NumberField, TextField};
use crate::model::command::Command;
use crate::model::gateway::{self, DEFAULT_GATEWAY_PORT};
use crate::model::tls::TlsDial;
use crate::model::ClusterId;
use leptos::prelude::*;

/// A comma-separated list, trimmed, blanks dropped.
fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

#[component]
pub fn ClusterGateway(form: ClusterForm) -> impl IntoView {
    let ClusterForm { id, cluster, editor } = form;
    let edit = move |change| form.edit(change);
    let run = move |command: Option<Command>| {
        if let Some(command) = command {
            editor.dispatch(command);
        }
    };
    let open = move || cluster.with(|c| c.as_ref().is_some_and(|c| c.gateway.is_some()));
    // (index, gateway name, target id, URLs) of each peer.
    let peers = Memo::new(move |_| {
        cluster.with(|c| {
            c.as_ref()
                .and_then(|c| c.gateway.as_ref())
                .map(|g| {
                    g.peers.iter().enumerate().map(|(i, p)| (i, p.name.clone(), p.target, p.urls.join(", "))).collect()
                })
                .unwrap_or_else(Vec::<(usize, String, Option<ClusterId>, String)>::new)
        })
    });
    // "Join cluster…": the clusters this one does not dial yet.
    let joinable = Memo::new(move |_| {
        editor.with_design(|d| {
            let dialed: Vec<ClusterId> = d
                .cluster(id)
                .and_then(|c| c.gateway.as_ref())
                .map(|g| g.peers.iter().filter_map(|p| p.target).collect())
                .unwrap_or_default();
            d.clusters()
                .filter(|(other, _)| *other != id && !dialed.contains(other))
                .map(|(other, c)| (other.0.to_string(), c.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(String::new());
    let join = move |_| {
        let pick = chosen.get_untracked();
        let target = joinable
            .with_untracked(|j| j.iter().find(|(v, _)| *v == pick).or(j.first()).and_then(|(v, _)| v.parse().ok()));
        if let Some(target) = target.map(ClusterId) {
            run(editor.with_design_untracked(|d| gateway::join_gateways(d, id, target)));
            chosen.set(String::new());
        }
    };
    let gateway_problems = form.problems("gateway");

    view! {
        <fieldset>
            <legend>"Gateway and placement tags"</legend>
            <TextField label="Server tags" placeholder="region:east, ssd"
                hint="The servers' tags (server_tags), which stream placement matches"
                value=form.read(|c| c.server_tags.join(", "))
                on_commit=Callback::new(move |v: String| run(editor.with_design_untracked(|d| gateway::set_server_tags(d, id, &list(&v))))) />
            <CheckField label="Gateway (joins a supercluster)" value=Signal::derive(open)
                on_commit=Callback::new(move |on: bool| {
                    let value = on.then(|| cluster.get_untracked().and_then(|c| c.gateway).unwrap_or_default());
                    run(editor.with_design_untracked(|d| gateway::set_gateway(d, id, value)))
                }) />
            <Show when=open>
                <p class="field-note">
                    "Gateway name: " <strong>{move || cluster.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default())}</strong>
                    " (the cluster's name)"
                </p>
                <NumberField label="Gateway port" min=1
                    value=Signal::derive(move || cluster.with(|c| c.as_ref().and_then(|c| c.gateway.as_ref()).map_or(DEFAULT_GATEWAY_PORT as i64, |g| g.port as i64)))
                    on_commit=Callback::new(move |n: i64| edit(Box::new(move |c| {
                        if let Some(g) = c.gateway.as_mut() { g.port = n.clamp(1, 65535) as u16 }
                    }))) />
                <TextField label="Gateway public endpoints" placeholder="host:port, host:port"
                    hint="Where other clusters reach this gateway listener (a load balancer, a NodePort)"
                    value=form.read(|c| c.gateway.as_ref().map(|g| g.public_endpoints.join(", ")).unwrap_or_default())
                    on_commit=Callback::new(move |v: String| edit(Box::new(move |c| {
                        if let Some(g) = c.gateway.as_mut() { g.public_endpoints = list(&v) }
                    }))) />
                <ul class="remotes" aria-label="Gateway peers">
                    <For each=move || peers.get() key=|p| p.clone() let:p>
                        <li class="remote">
                            <div class="remote-title">
                                <span>{format!("dials gateway {}", p.1)}</span>
                                <button type="button" class="small" aria-label=format!("Remove gateway peer {}", p.1)
                                    on:click=move |_| match p.2 {
                                        Some(target) => run(editor.with_design_untracked(|d| gateway::leave_gateways(d, id, target))),
                                        None => edit(Box::new(move |c| {
                                            if let Some(g) = c.gateway.as_mut() { if p.0 < g.peers.len() { g.peers.remove(p.0); } }
                                        })),
                                    }>
                                    "Remove"
                                </button>
                            </div>
                            <div class="field">
                            <label class="field-control">
                                <span class="field-label">"Gateway URLs"</span>
                                <input type="text" aria-label=format!("Gateway URLs of peer {}", p.1) prop:value=p.3.clone()
                                    on:change=move |e| {
                                        let urls = list(&event_target_value(&e));
                                        edit(Box::new(move |c| {
                                            if let Some(peer) = c.gateway.as_mut().and_then(|g| g.peers.get_mut(p.0)) { peer.urls = urls }
                                        }))
                                    } />
                            </label>
                            </div>
                            <DialTls of=format!("gateway peer {}", p.1)
                                value=Signal::derive(move || cluster.with(|c| c.as_ref().and_then(|c| c.gateway.as_ref()).and_then(|g| g.peers.get(p.0)).and_then(|peer| peer.tls.clone())))
                                on_commit=Callback::new(move |tls: Option<TlsDial>| edit(Box::new(move |c| {
                                    if let Some(peer) = c.gateway.as_mut().and_then(|g| g.peers.get_mut(p.0)) { peer.tls = tls }
                                }))) />
                        </li>
                    </For>
                </ul>
                <FieldProblems problems=gateway_problems.list />
                <Show when=move || joinable.with(|j| !j.is_empty())>
                    <div class="connect-hub" role="group" aria-label="Join cluster by gateways">
                        <label class="field-control">
                            <span class="field-label">"Join cluster…"</span>
                            <select aria-label="Cluster to join by gateways" on:change=move |e| chosen.set(event_target_value(&e))>
                                {move || joinable.get().into_iter().map(|(v, name)| {
                                    let selected = chosen.with(|c| *c == v);
                                    view! { <option value=v prop:selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="button" class="small" on:click=join>"Join"</button>
                    </div>
                </Show>
            </Show>
        </fieldset>
    }
}
