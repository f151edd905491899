//! The cluster inspector's TLS section: TLS on each listener (client, routes, leafnode,
//! gateway) with its certificate, key and CA by path or Kubernetes secret and `verify`; and the
//! `tls {}` block of a dial ([`DialTls`], used by the leafnode remotes and gateway peers).

use super::cluster::ClusterForm;
use super::fields::{answer_focus, FieldProblems, Problems};
use crate::model::tls::{TlsCerts, TlsDial, TlsListener};
use crate::model::Cluster;
use leptos::prelude::*;

/// The text of an optional path; blank text clears it.
fn optional(text: String) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// One certificate reference: a labelled text input whose accessible name says whose it is.
#[component]
fn CertInput(
    label: &'static str,
    of: String,
    #[prop(into)] value: Signal<String>,
    on_commit: Callback<String>,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field-control">
                <span class="field-label">{label}</span>
                <input type="text" aria-label=format!("{label} of {of}") placeholder=placeholder
                    prop:value=move || value.get() on:change=move |e| on_commit.run(event_target_value(&e)) />
            </label>
        </div>
    }
}

/// The secret, certificate, key and CA of `of` (the listener or dial they belong to).
#[component]
fn CertsFields(of: String, certs: Signal<TlsCerts>, on_commit: Callback<TlsCerts>, client: bool) -> impl IntoView {
    let field =
        move |get: fn(&TlsCerts) -> Option<String>| Signal::derive(move || certs.with(|c| get(c).unwrap_or_default()));
    let set = move |put: fn(&mut TlsCerts, Option<String>)| {
        Callback::new(move |text: String| {
            let mut c = certs.get_untracked();
            put(&mut c, optional(text));
            on_commit.run(c);
        })
    };
    let (cert, key) = if client { ("Client certificate", "Client key") } else { ("Certificate file", "Key file") };
    view! {
        <div class="tls-certs">
            <CertInput label="Kubernetes secret" of=of.clone() placeholder="tls.crt, tls.key, ca.crt"
                value=field(|c| c.secret.clone()) on_commit=set(|c, v| c.secret = v) />
            <CertInput label=cert of=of.clone() placeholder="/etc/nats-certs/…/tls.crt"
                value=field(|c| c.cert_file.clone()) on_commit=set(|c, v| c.cert_file = v) />
            <CertInput label=key of=of.clone()
                value=field(|c| c.key_file.clone()) on_commit=set(|c, v| c.key_file = v) />
            <CertInput label="CA file" of=of.clone()
                value=field(|c| c.ca_file.clone()) on_commit=set(|c, v| c.ca_file = v) />
        </div>
    }
}

/// TLS on one listener: off, or its certificates and `verify`.
#[component]
fn ListenerTls(
    of: &'static str,
    value: Signal<Option<TlsListener>>,
    on_commit: Callback<Option<TlsListener>>,
    #[prop(optional)] problems: Problems,
) -> impl IntoView {
    let on = move || value.with(Option::is_some);
    let certs = Signal::derive(move || value.with(|v| v.as_ref().map(|l| l.certs.clone()).unwrap_or_default()));
    // A problem of this listener's TLS, activated in the problems panel, focuses its checkbox.
    let node = NodeRef::<leptos::html::Input>::new();
    answer_focus(problems, node);
    view! {
        <div class="tls-listener" class:invalid=move || problems.list.with(|p| !p.is_empty()) role="group" aria-label=format!("TLS of {of}")>
            <label class="field check">
                <input node_ref=node type="checkbox" aria-label=format!("TLS on {of}") prop:checked=on
                    on:change=move |e| {
                        let checked = event_target_checked(&e);
                        on_commit.run(checked.then(|| value.get_untracked().unwrap_or_default()))
                    } />
                <span class="field-label">{format!("TLS on {of}")}</span>
            </label>
            <Show when=on>
                <CertsFields of=of.to_owned() certs client=false
                    on_commit=Callback::new(move |certs: TlsCerts| {
                        let verify = value.get_untracked().is_some_and(|l| l.verify);
                        on_commit.run(Some(TlsListener { certs, verify }))
                    }) />
                <label class="field check">
                    <input type="checkbox" aria-label=format!("Verify client certificates on {of}")
                        prop:checked=move || value.with(|v| v.as_ref().is_some_and(|l| l.verify))
                        on:change=move |e| {
                            let verify = event_target_checked(&e);
                            let certs = value.get_untracked().map(|l| l.certs).unwrap_or_default();
                            on_commit.run(Some(TlsListener { certs, verify }))
                        } />
                    <span class="field-label">"Verify client certificates"</span>
                </label>
            </Show>
            <FieldProblems problems=problems.list />
        </div>
    }
}

/// The `tls {}` block of a dial (`of`: "remote to east (APP)", "gateway peer west"): whether it
/// dials with TLS, and the CA and client certificate it uses.
#[component]
pub fn DialTls(
    of: String,
    value: Signal<Option<TlsDial>>,
    on_commit: Callback<Option<TlsDial>>,
    #[prop(optional)] problems: Problems,
) -> impl IntoView {
    let on = move || value.with(Option::is_some);
    let certs = Signal::derive(move || value.with(|v| v.as_ref().map(|d| d.certs.clone()).unwrap_or_default()));
    let label = format!("Dial with TLS (tls block) of {of}");
    let node = NodeRef::<leptos::html::Input>::new();
    answer_focus(problems, node);
    view! {
        <div class="tls-dial" class:invalid=move || problems.list.with(|p| !p.is_empty())>
            <label class="field check">
                <input node_ref=node type="checkbox" aria-label=label prop:checked=on
                    on:change=move |e| {
                        let checked = event_target_checked(&e);
                        on_commit.run(checked.then(|| value.get_untracked().unwrap_or_default()))
                    } />
                <span class="field-label">"Dial with TLS (tls block)"</span>
            </label>
            <Show when=on>
                <CertsFields of=of.clone() certs client=true
                    on_commit=Callback::new(move |certs: TlsCerts| on_commit.run(Some(TlsDial { certs }))) />
            </Show>
            <FieldProblems problems=problems.list />
        </div>
    }
}

#[component]
pub fn ClusterTlsSection(form: ClusterForm) -> impl IntoView {
    let ClusterForm { cluster, .. } = form;
    let edit = move |change| form.edit(change);
    let read = move |get: fn(&Cluster) -> Option<TlsListener>| {
        Signal::derive(move || cluster.with(|c| c.as_ref().and_then(get)))
    };
    let has = move |f: fn(&Cluster) -> bool| move || cluster.with(|c| c.as_ref().is_some_and(f));
    view! {
        <fieldset>
            <legend>"TLS"</legend>
            <ListenerTls of="the client listener" value=read(|c| c.tls.client.clone())
                on_commit=Callback::new(move |tls| edit(Box::new(move |c| c.tls.client = tls))) />
            <ListenerTls of="the route listener" value=read(|c| c.tls.routes.clone())
                on_commit=Callback::new(move |tls| edit(Box::new(move |c| c.tls.routes = tls))) />
            <Show when=has(|c| c.leafnode_listener.is_some())>
                <ListenerTls of="the leafnode listener"
                    value=read(|c| c.leafnode_listener.as_ref().and_then(|l| l.tls.clone()))
                    on_commit=Callback::new(move |tls| edit(Box::new(move |c| {
                        if let Some(l) = c.leafnode_listener.as_mut() { l.tls = tls }
                    }))) />
            </Show>
            <Show when=has(|c| c.gateway.is_some())>
                <ListenerTls of="the gateway listener" problems=form.problems("gateway.tls")
                    value=read(|c| c.gateway.as_ref().and_then(|g| g.tls.clone()))
                    on_commit=Callback::new(move |tls| edit(Box::new(move |c| {
                        if let Some(g) = c.gateway.as_mut() { g.tls = tls }
                    }))) />
            </Show>
        </fieldset>
    }
}
