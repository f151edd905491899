//! The design file's gateway fields (version 3): a cluster's `gateway` block and `server_tags`.
//! Kept apart from the rest of `persist` so that the gateway format reads in one place.

use super::tls::{dial_file, dial_from_file, listener_file, listener_from_file, TlsDialFile, TlsListenerFile};
use super::{cluster_id, LoadError};
use crate::model::gateway::{Gateway, GatewayPeer, DEFAULT_GATEWAY_PORT};
use crate::model::ids::ClusterId;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

/// Version 3 added a cluster's `gateway` (listener, public endpoints, peers) and
/// `server_tags`; a version-2 file is a version-3 file without them.
pub(super) fn add_gateways(mut document: Value) -> Result<Value, LoadError> {
    if let Some(object) = document.as_object_mut() {
        object.insert("version".to_owned(), Value::from(3));
    }
    Ok(document)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a gateway object")]
pub(super) struct GatewayFile {
    #[serde(default = "gateway_port", skip_serializing_if = "is_gateway_port")]
    port: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    public_endpoints: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    peers: Vec<PeerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls: Option<TlsListenerFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a gateway peer object {\"name\": ..., \"urls\": [...]}")]
struct PeerFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls: Option<TlsDialFile>,
}

fn gateway_port() -> u16 {
    DEFAULT_GATEWAY_PORT
}

fn is_gateway_port(value: &u16) -> bool {
    *value == DEFAULT_GATEWAY_PORT
}

pub(super) fn gateway_file(g: &Gateway) -> GatewayFile {
    GatewayFile {
        port: g.port,
        public_endpoints: g.public_endpoints.clone(),
        peers: (g.peers.iter())
            .map(|p| PeerFile {
                target: p.target.map(|t| t.to_string()),
                name: p.name.clone(),
                urls: p.urls.clone(),
                tls: p.tls.as_ref().map(dial_file),
            })
            .collect(),
        tls: g.tls.as_ref().map(listener_file),
    }
}

/// The gateway of cluster `index` (named `cluster` in repairs); a peer whose target does not
/// exist keeps its name and URLs and loses its target, as a remote does.
pub(super) fn gateway_from_file(
    g: GatewayFile,
    index: usize,
    cluster: &str,
    known: &BTreeSet<ClusterId>,
    repairs: &mut Vec<String>,
) -> Result<Gateway, LoadError> {
    let mut peers = Vec::with_capacity(g.peers.len());
    for (p, peer) in g.peers.into_iter().enumerate() {
        let target = match peer.target {
            None => None,
            Some(text) => {
                let id = cluster_id(&text, || format!("clusters[{index}].gateway.peers[{p}].target"))?;
                if known.contains(&id) {
                    Some(id)
                } else {
                    repairs.push(format!(
                        "cluster {cluster:?}: the gateway {:?} targeted cluster {id}, which does not exist; its target was cleared",
                        peer.name
                    ));
                    None
                }
            }
        };
        peers.push(GatewayPeer { target, name: peer.name, urls: peer.urls, tls: peer.tls.map(dial_from_file) });
    }
    Ok(Gateway { port: g.port, public_endpoints: g.public_endpoints, peers, tls: g.tls.map(listener_from_file) })
}

#[cfg(test)]
mod tests {
    use super::super::{load, save};
    use crate::model::example::guide_corrected;
    use crate::model::gateway::{join_gateways, Gateway, GatewayPeer};
    use crate::model::ids::ClusterId;
    use crate::model::stream::Placement;

    #[test]
    fn a_version_2_file_loads_as_version_3_without_gateways_or_tags() {
        let current = save(&guide_corrected());
        let v2 = current.replacen("\"version\": 3,", "\"version\": 2,", 1);
        let loaded = load(&v2).expect("a version-2 file reads");
        assert!(loaded.repairs.is_empty());
        assert_eq!(loaded.design, guide_corrected());
        assert_eq!(save(&loaded.design), current);
    }

    #[test]
    fn gateways_tags_and_placement_survive_the_round_trip_with_their_wire_names() {
        let mut design = guide_corrected();
        let (hq, spoke) = (ClusterId(1), ClusterId(2));
        join_gateways(&design, hq, spoke).expect("joinable").apply(&mut design).expect("applies");
        let c = design.cluster_mut(hq).expect("hq");
        c.server_tags = vec!["region:eu".into(), "ssd".into()];
        c.gateway.as_mut().expect("joined").public_endpoints = vec!["gw.example.com:30722".into()];
        c.gateway.as_mut().expect("joined").port = 7522;
        let stream = design.streams().next().expect("a stream").id;
        design.stream_mut(stream).expect("exists").config.placement =
            Some(Placement { cluster: Some("spoke-1".into()), tags: vec!["ssd".into()] });
        let text = save(&design);
        assert!(text.contains("\"gateway\": {\n        \"port\": 7522,\n        \"public_endpoints\": [\n          \"gw.example.com:30722\""), "{text}");
        assert!(text.contains("\"server_tags\": [\n        \"region:eu\""), "{text}");
        assert!(text.contains("\"target\": \"c2\",\n            \"name\": \"spoke-1\""), "{text}");
        let loaded = load(&text).expect("reads");
        assert!(loaded.repairs.is_empty());
        assert_eq!(loaded.design, design);
    }

    #[test]
    fn a_gateway_peer_targeting_a_missing_cluster_loses_its_target_and_says_so() {
        let mut design = guide_corrected();
        design.cluster_mut(ClusterId(1)).expect("hq").gateway = Some(Gateway {
            peers: vec![GatewayPeer { target: Some(ClusterId(2)), name: "west".into(), urls: vec![], tls: None }],
            ..Gateway::default()
        });
        let text = save(&design).replace(
            "\"target\": \"c2\",\n            \"name\": \"west\"",
            "\"target\": \"c99\",\n            \"name\": \"west\"",
        );
        let loaded = load(&text).expect("reads");
        assert_eq!(loaded.repairs.len(), 1, "{:?}", loaded.repairs);
        assert!(loaded.repairs[0].contains("gateway \"west\" targeted cluster c99"), "{:?}", loaded.repairs);
        let peers = &loaded.design.cluster(ClusterId(1)).expect("hq").gateway.as_ref().expect("kept").peers;
        assert_eq!(peers[0].target, None);
        assert_eq!(peers[0].name, "west");
    }
}
