//! A listener's TLS in chart 1.x/2.x values (`config.{nats,cluster,leafnodes,gateway}.tls`).
//!
//! The chart mounts `tls.secretName` at `tls.dir` and writes `cert_file`/`key_file` from it
//! (`files/config/tls.yaml`); its CA comes from the chart-wide `tlsCA`, so a listener's CA and
//! `verify` go through `tls.merge`. The secret is mounted at `/etc/nats-certs/<secret>`, where
//! the exported confs read it too. Paths without a secret go through `merge` as well.

use crate::model::tls::{secret_dir, TlsListener};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TlsValues {
    enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dir: Option<String>,
    #[serde(skip_serializing_if = "TlsMerge::is_empty")]
    merge: TlsMerge,
}

#[derive(Serialize, Default)]
struct TlsMerge {
    #[serde(skip_serializing_if = "Option::is_none")]
    cert_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ca_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verify: Option<bool>,
}

impl TlsMerge {
    fn is_empty(&self) -> bool {
        self.cert_file.is_none() && self.key_file.is_none() && self.ca_file.is_none() && self.verify.is_none()
    }
}

/// The `tls` of one listener's section.
pub(super) fn v1(tls: &TlsListener) -> TlsValues {
    let secret = tls.certs.secret.clone().filter(|s| !s.trim().is_empty());
    let nonblank = |f: &Option<String>| f.clone().filter(|f| !f.trim().is_empty());
    TlsValues {
        enabled: true,
        dir: secret.as_deref().map(secret_dir),
        secret_name: secret,
        merge: TlsMerge {
            cert_file: nonblank(&tls.certs.cert_file),
            key_file: nonblank(&tls.certs.key_file),
            ca_file: tls.certs.ca(),
            verify: tls.verify.then_some(true),
        },
    }
}
