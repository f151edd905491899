//! A cluster's gateway in both charts' values.
//!
//! Chart 1.x/2.x (`files/config/gateway.yaml`) names the gateway `{{ $.Values.statefulSet.name }}`
//! (the release name by default), while nats-server requires the gateway name to equal the
//! cluster name ("cluster name conflicts between cluster and gateway definitions", measured on
//! 2.9.10 and 2.15.1) and the peers dial it by the design's cluster name. The exporter already
//! sets the cluster name through `config.cluster.merge.name`; the gateway name goes the same
//! way, `config.gateway.merge.name`, which the chart's merge writes over the derived one (checked
//! by `helm template` in `tests/real_helm.rs`). Peers go to `config.gateway.merge.gateways`.
//!
//! Chart 0.19 reads `gateway.name` (unquoted into nats.conf), `gateway.port` and
//! `gateway.gateways[].name/url/urls`, `urls` joined unquoted: each URL carries its own quotes.

use crate::model::cluster::Cluster;
use crate::model::export::server_conf::conf_string;
use crate::model::tls::TlsDial;
use serde::Serialize;

/// `config.gateway` of chart 1.x/2.x.
#[derive(Serialize)]
pub(super) struct GatewayValues {
    enabled: bool,
    port: u16,
    merge: GatewayMerge,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<super::tls_values::TlsValues>,
}

#[derive(Serialize)]
struct GatewayMerge {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    gateways: Vec<PeerValues>,
}

#[derive(Serialize)]
struct PeerValues {
    name: String,
    urls: Vec<String>,
    /// The peer's own `tls {}` block (chart 1.x/2.x, through `merge`).
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<serde_json::Value>,
}

/// The peers as written: the URLs nats-server can parse, peers without one left out (noted).
fn peers(
    cluster: &Cluster,
    notes: &mut Vec<String>,
    name: impl Fn(&str, &mut Vec<String>) -> String,
) -> Vec<PeerValues> {
    let Some(gateway) = &cluster.gateway else { return Vec::new() };
    let mut out = Vec::new();
    for peer in &gateway.peers {
        let urls: Vec<String> = peer.urls.iter().filter(|u| super::super::server_conf::dialable(u)).cloned().collect();
        if urls.is_empty() {
            notes.push(format!(
                "Gateway {}: not written, it has no URL nats-server can dial.",
                super::super::comment_text(&peer.name)
            ));
            continue;
        }
        out.push(PeerValues { name: name(&peer.name, notes), urls, tls: None });
    }
    out
}

/// `config.gateway` for chart 1.x/2.x, or `None` without a gateway.
/// `dial_tls` makes a peer's `tls {}` block, mounting its files (`helm.rs`), from the values
/// path it is written at.
pub(super) fn v1(
    cluster: &Cluster,
    notes: &mut Vec<String>,
    dial_tls: &mut dyn FnMut(&str, &TlsDial, &mut Vec<String>) -> serde_json::Value,
) -> Option<GatewayValues> {
    let gateway = cluster.gateway.as_ref()?;
    let mut quiet = Vec::new();
    let name = super::cluster_name(&cluster.name, &mut quiet);
    let mut gateways = peers(cluster, notes, |n, _| crate::model::export::server_conf::inert_name(n));
    // `peers` leaves out the peers without a URL: match the written ones back by position.
    let written = gateway.peers.iter().filter(|p| p.urls.iter().any(|u| super::super::server_conf::dialable(u)));
    for (index, (values, peer)) in gateways.iter_mut().zip(written).enumerate() {
        if let Some(tls) = &peer.tls {
            values.tls = Some(dial_tls(&format!("config.gateway.merge.gateways[{index}].tls"), tls, notes));
        }
    }
    notes.push(format!(
        "Gateway: the chart names the gateway after the StatefulSet (statefulSet.name); config.gateway.merge.name \
         sets it to the cluster name {name}, which nats-server requires and the other clusters dial."
    ));
    let tls = gateway.tls.as_ref().map(super::tls_values::v1);
    Some(GatewayValues { enabled: true, port: gateway.port, merge: GatewayMerge { name, gateways }, tls })
}

/// `gateway` of chart 0.19.
#[derive(Serialize)]
pub(super) struct GatewayValues019 {
    enabled: bool,
    port: u16,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<super::tls_values::TlsValues019>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    gateways: Vec<PeerValues>,
}

/// `gateway` for chart 0.19, or `None` without a gateway.
pub(super) fn v0_19(cluster: &Cluster, notes: &mut Vec<String>) -> Option<GatewayValues019> {
    let gateway = cluster.gateway.as_ref()?;
    let mut quiet = Vec::new();
    let name = super::v0_19::cluster_name(&cluster.name, &mut quiet);
    let mut gateways = peers(cluster, notes, |n, _| super::v0_19::cluster_name(n, &mut Vec::new()));
    // The chart joins `urls` unquoted: each URL is written as a conf string.
    for peer in &mut gateways {
        peer.urls = peer.urls.iter().map(|u| conf_string(u)).collect();
    }
    let tls = gateway.tls.as_ref().and_then(|t| super::tls_values::v0_19(&t.certs, t.verify, "gateway.tls", notes));
    for peer in gateway.peers.iter().filter(|p| p.tls.is_some()) {
        notes.push(format!(
            "- gateway.gateways ({}): chart 0.19 has no tls for one gateway it dials; it dials every gateway with \
             gateway.tls, so this peer's own tls block is not written.",
            super::super::comment_text(&peer.name)
        ));
    }
    Some(GatewayValues019 { enabled: true, port: gateway.port, name, tls, gateways })
}

/// `nats.serverTags` for chart 0.19, which writes each tag as `"{{ . }}"` without escaping: a
/// tag with a quote, a backslash or a control character is left out, with a note.
pub(super) fn tags_v0_19(cluster: &Cluster, notes: &mut Vec<String>) -> Vec<String> {
    let (kept, dropped): (Vec<&String>, Vec<&String>) =
        cluster.server_tags.iter().partition(|t| !t.chars().any(|c| c == '"' || c == '\\' || c.is_control()));
    if !dropped.is_empty() {
        notes.push(format!(
            "Server tags: chart 0.19 writes nats.serverTags into nats.conf in quotes without escaping, so {} \
             tag(s) with a quote, backslash or control character are left out; placement on them will fail.",
            dropped.len()
        ));
    }
    kept.into_iter().cloned().collect()
}
