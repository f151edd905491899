//! The design file's TLS fields: a cluster's `tls` (client and route listeners), and `tls` on
//! a leafnode listener, a remote, a gateway and a gateway peer. All optional and left out when
//! unset, so a version-3 file without them loads unchanged and no version bump was needed.

use crate::model::tls::{ClusterTls, TlsCerts, TlsDial, TlsListener};
use serde::{Deserialize, Serialize};

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a TLS listener object")]
pub(super) struct TlsListenerFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    verify: bool,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a TLS dial object")]
pub(super) struct TlsDialFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_file: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a cluster TLS object {\"client\": ..., \"routes\": ...}")]
pub(super) struct ClusterTlsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client: Option<TlsListenerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    routes: Option<TlsListenerFile>,
}

pub(super) fn listener_file(t: &TlsListener) -> TlsListenerFile {
    TlsListenerFile {
        secret: t.certs.secret.clone(),
        cert_file: t.certs.cert_file.clone(),
        key_file: t.certs.key_file.clone(),
        ca_file: t.certs.ca_file.clone(),
        verify: t.verify,
    }
}

pub(super) fn listener_from_file(t: TlsListenerFile) -> TlsListener {
    TlsListener {
        certs: TlsCerts { secret: t.secret, cert_file: t.cert_file, key_file: t.key_file, ca_file: t.ca_file },
        verify: t.verify,
    }
}

pub(super) fn dial_file(t: &TlsDial) -> TlsDialFile {
    TlsDialFile {
        secret: t.certs.secret.clone(),
        cert_file: t.certs.cert_file.clone(),
        key_file: t.certs.key_file.clone(),
        ca_file: t.certs.ca_file.clone(),
    }
}

pub(super) fn dial_from_file(t: TlsDialFile) -> TlsDial {
    TlsDial { certs: TlsCerts { secret: t.secret, cert_file: t.cert_file, key_file: t.key_file, ca_file: t.ca_file } }
}

pub(super) fn cluster_tls_file(t: &ClusterTls) -> Option<ClusterTlsFile> {
    (!t.is_empty()).then(|| ClusterTlsFile {
        client: t.client.as_ref().map(listener_file),
        routes: t.routes.as_ref().map(listener_file),
    })
}

pub(super) fn cluster_tls_from_file(t: Option<ClusterTlsFile>) -> ClusterTls {
    let t = t.unwrap_or_default();
    ClusterTls { client: t.client.map(listener_from_file), routes: t.routes.map(listener_from_file) }
}

#[cfg(test)]
mod tests {
    use super::super::{load, save};
    use crate::model::example::guide_corrected;
    use crate::model::gateway::{join_gateways, GatewayPeer};
    use crate::model::ids::ClusterId;
    use crate::model::tls::{TlsCerts, TlsDial, TlsListener};

    #[test]
    fn a_file_without_tls_loads_and_saves_unchanged() {
        let text = save(&guide_corrected());
        assert!(!text.contains("\"tls\""), "no TLS written when none is set");
        let loaded = load(&text).expect("reads");
        assert_eq!(loaded.design, guide_corrected());
        assert_eq!(save(&loaded.design), text);
    }

    #[test]
    fn tls_on_every_listener_and_dial_survives_the_round_trip() {
        let mut design = guide_corrected();
        let (hq, spoke) = (ClusterId(1), ClusterId(2));
        join_gateways(&design, hq, spoke).expect("joinable").apply(&mut design).expect("applies");
        let secret =
            TlsListener { certs: TlsCerts { secret: Some("hq-tls".into()), ..TlsCerts::default() }, verify: true };
        let files = TlsCerts {
            cert_file: Some("/c.pem".into()),
            key_file: Some("/k.pem".into()),
            ca_file: Some("/ca.pem".into()),
            ..TlsCerts::default()
        };
        let c = design.cluster_mut(hq).expect("hq");
        c.tls.client = Some(secret.clone());
        c.tls.routes = Some(TlsListener { certs: files.clone(), verify: false });
        c.leafnode_listener.as_mut().expect("the hub listens").tls = Some(secret.clone());
        let gateway = c.gateway.as_mut().expect("joined");
        gateway.tls = Some(secret);
        gateway.peers.push(GatewayPeer {
            name: "far".into(),
            urls: vec!["nats://far:7222".into()],
            tls: Some(TlsDial { certs: files.clone() }),
            ..GatewayPeer::default()
        });
        design.cluster_mut(spoke).expect("spoke").remotes[0].tls = Some(TlsDial { certs: files });
        let text = save(&design);
        assert!(
            text.contains(
                "\"tls\": {\n        \"client\": {\n          \"secret\": \"hq-tls\",\n          \"verify\": true"
            ),
            "{text}"
        );
        let loaded = load(&text).expect("reads");
        assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
        assert_eq!(loaded.design, design);
        assert_eq!(save(&loaded.design), text);
    }

    #[test]
    fn an_unknown_tls_field_is_refused() {
        let text = save(&guide_corrected()).replacen(
            "\"leafnode_listener\": {",
            "\"leafnode_listener\": {\n\"tls\": {\"cert\": \"x\"},",
            1,
        );
        let error = load(&text).expect_err("unknown field").to_string();
        assert!(error.contains("cert"), "{error}");
    }
}
