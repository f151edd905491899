//! A listener's TLS in chart 1.x/2.x values (`config.{nats,cluster,leafnodes,gateway}.tls`).
//!
//! The chart mounts `tls.secretName` at `tls.dir` and writes `cert_file`/`key_file` from it
//! (`files/config/tls.yaml`); its CA comes from the chart-wide `tlsCA`, so a listener's CA and
//! `verify` go through `tls.merge`. The secret is mounted at `/etc/nats-certs/<secret>`, where
//! the exported confs read it too. Paths without a secret go through `merge` as well.

use crate::model::tls::{secret_dir, TlsCerts, TlsListener};
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

/// A `tls` block of chart 0.19 (`nats.tls`, `cluster.tls`, `leafnodes.tls`, `gateway.tls`,
/// `leafnodes.remotes[].tls`): every file is a key of one secret (`secret.name`), which the chart
/// mounts at `/etc/nats-certs/<kind>/<secret>` (its `nats.tlsConfig` helper).
#[derive(Serialize)]
pub(super) struct TlsValues019 {
    secret: SecretName,
    #[serde(skip_serializing_if = "Option::is_none")]
    cert: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ca: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    verify: bool,
}

#[derive(Serialize)]
struct SecretName {
    name: String,
}

/// The `tls` of chart 0.19 for `certs` (a listener's with its `verify`, or a dial's), at `at` in
/// the values. The files come from the design's secret: a file path inside the secret's folder
/// (`/etc/nats-certs/<secret>/<key>`) is that key, any other path is mounted from a secret named
/// as the credentials' are ([`super::file_secret`]), noted; the chart has no place for files
/// from two secrets in one block, so a path outside the block's secret is noted and its
/// secret's default file is used.
pub(super) fn v0_19(certs: &TlsCerts, verify: bool, at: &str, notes: &mut Vec<String>) -> Option<TlsValues019> {
    let nonblank = |f: &Option<String>| f.clone().filter(|f| !f.trim().is_empty());
    let fields = [
        ("cert", nonblank(&certs.cert_file), "tls.crt"),
        ("key", nonblank(&certs.key_file), "tls.key"),
        ("ca", nonblank(&certs.ca_file), "ca.crt"),
    ];
    let secret = nonblank(&certs.secret).or_else(|| {
        fields.iter().find_map(|(_, path, _)| {
            path.as_deref().map(|p| in_secret(p).map_or_else(|| super::file_secret(p).0, |(n, _)| n))
        })
    })?;
    let from_secret = certs.secret.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut files = fields.iter().map(|(field, path, default)| match path {
        Some(path) => {
            let (name, key) = in_secret(path).unwrap_or_else(|| super::file_secret(path));
            if name == secret {
                if in_secret(path).is_none() {
                    notes.push(super::file_secret_note(&format!("{at}.{field}"), path, &name, &key));
                }
                Some(key)
            } else {
                notes.push(format!(
                    "- {at}.{field}: chart 0.19 reads every file of a tls block from one secret ({secret}), so file \
                     {path} is not used; key {default} of that secret is."
                ));
                Some((*default).to_owned())
            }
        }
        None => from_secret.then(|| (*default).to_owned()),
    });
    let (cert, key, ca) = (files.next().flatten(), files.next().flatten(), files.next().flatten());
    Some(TlsValues019 { secret: SecretName { name: secret }, cert, key, ca, verify })
}

impl TlsValues019 {
    /// The secret every file of the block is a key of.
    pub(super) fn secret_name(&self) -> &str {
        &self.secret.name
    }
}

/// `(secret, key)` of a path inside a secret's folder, `/etc/nats-certs/<secret>/<key>`.
fn in_secret(path: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix(secret_dir("").as_str())?;
    let (name, key) = rest.split_once('/')?;
    (!name.is_empty() && !key.is_empty() && !key.contains('/')).then(|| (name.to_owned(), key.to_owned()))
}
