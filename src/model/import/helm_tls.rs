//! TLS in chart values, read back as `export::helm` writes it (`helm/tls_values.rs`, the remotes'
//! and gateway peers' `tls` through `merge`).
//!
//! - Chart 1.x/2.x, a listener: `config.<section>.tls` with `enabled`, `secretName` and the conf
//!   keys under `merge` (`cert_file`, `key_file`, `ca_file`, `verify`); the secret's own CA,
//!   which the exporter writes out, is the secret's again.
//! - Chart 1.x/2.x, a dial: conf keys; three files `tls.crt`, `tls.key`, `ca.crt` of one mounted
//!   secret (`/etc/nats-creds/<secret>/`) are that secret, anything else the paths as written.
//! - Chart 0.19: `{secret: {name}, cert, key, ca, verify}`, every file a key of the secret: all
//!   three given are the secret (a key other than the default is a path in the secret's
//!   folder); fewer are paths, since the model's secret stands for all three.

use crate::model::tls::{secret_dir, TlsCerts, TlsDial, TlsListener};
use serde_yaml::Value;

const CREDS_DIR: &str = "/etc/nats-creds";
const DEFAULTS: [&str; 3] = ["tls.crt", "tls.key", "ca.crt"];

fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned).filter(|s| !s.trim().is_empty())
}

fn verify(value: &Value) -> bool {
    value.get("verify").and_then(Value::as_bool).unwrap_or(false)
}

/// A listener's `config.<section>.tls` of chart 1.x/2.x.
pub(super) fn listener_v1(values: &Value, section: &str) -> Option<TlsListener> {
    let tls = at(values, &format!("config.{section}.tls"))?;
    if tls.get("enabled").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let secret = text(tls.get("secretName"));
    let merge = tls.get("merge").unwrap_or(&Value::Null);
    let mut certs = TlsCerts {
        cert_file: text(merge.get("cert_file")),
        key_file: text(merge.get("key_file")),
        ca_file: text(merge.get("ca_file")),
        secret,
    };
    let own_ca = certs.secret.as_deref().map(|s| format!("{}/ca.crt", secret_dir(s)));
    if certs.ca_file.is_some() && certs.ca_file == own_ca {
        certs.ca_file = None;
    }
    Some(TlsListener { certs, verify: verify(merge) })
}

/// A dial's `tls` block of chart 1.x/2.x (conf keys, files mounted from secrets).
pub(super) fn dial_v1(tls: &Value) -> TlsDial {
    let files = ["cert_file", "key_file", "ca_file"].map(|k| text(tls.get(k)));
    let secret_of = |path: &Option<String>, default: &str| {
        let rest = path.as_deref()?.strip_prefix(CREDS_DIR)?.strip_prefix('/')?;
        let (name, key) = rest.split_once('/')?;
        (key == default && !name.is_empty()).then(|| name.to_owned())
    };
    let secrets: Vec<Option<String>> = files.iter().zip(DEFAULTS).map(|(f, d)| secret_of(f, d)).collect();
    let [cert_file, key_file, ca_file] = files;
    let certs = match (&secrets[0], secrets.iter().all(|s| s.is_some() && *s == secrets[0])) {
        (Some(name), true) => TlsCerts { secret: Some(name.clone()), ..TlsCerts::default() },
        _ => TlsCerts { secret: None, cert_file, key_file, ca_file },
    };
    TlsDial { certs }
}

/// A `tls` block of chart 0.19 (a listener's or a remote's), with its `verify`.
pub(super) fn certs_v0_19(tls: &Value) -> Option<(TlsCerts, bool)> {
    let secret = text(at(tls, "secret.name"))?;
    let keys = ["cert", "key", "ca"].map(|k| text(tls.get(k)));
    let path = |key: &Option<String>| key.as_ref().map(|k| format!("{}/{k}", secret_dir(&secret)));
    let certs = if keys.iter().all(Option::is_some) {
        let other = |key: &Option<String>, default: &str| path(key).filter(|_| key.as_deref() != Some(default));
        TlsCerts {
            secret: Some(secret.clone()),
            cert_file: other(&keys[0], DEFAULTS[0]),
            key_file: other(&keys[1], DEFAULTS[1]),
            ca_file: other(&keys[2], DEFAULTS[2]),
        }
    } else {
        TlsCerts { secret: None, cert_file: path(&keys[0]), key_file: path(&keys[1]), ca_file: path(&keys[2]) }
    };
    Some((certs, verify(tls)))
}

/// A listener's `<section>.tls` of chart 0.19.
pub(super) fn listener_v0_19(values: &Value, section: &str) -> Option<TlsListener> {
    let (certs, verify) = certs_v0_19(at(values, &format!("{section}.tls"))?)?;
    Some(TlsListener { certs, verify })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn a_secrets_own_files_are_the_secret_and_other_files_are_paths() {
        let v1 = yaml(
            "config:\n  gateway:\n    tls:\n      enabled: true\n      secretName: gw\n      merge:\n        ca_file: /etc/nats-certs/gw/ca.crt\n        verify: true\n  nats:\n    tls: {enabled: false, secretName: x}\n",
        );
        let gateway = listener_v1(&v1, "gateway").expect("tls");
        assert_eq!(gateway.certs, TlsCerts { secret: Some("gw".into()), ..TlsCerts::default() });
        assert!(gateway.verify);
        assert_eq!(listener_v1(&v1, "nats"), None, "not enabled");
        let own = yaml("{cert_file: /etc/nats-creds/s/tls.crt, key_file: /etc/nats-creds/s/tls.key, ca_file: /etc/nats-creds/s/ca.crt}");
        assert_eq!(dial_v1(&own).certs, TlsCerts { secret: Some("s".into()), ..TlsCerts::default() });
        let ca_only = yaml("{ca_file: /etc/nats-creds/s/ca.crt}");
        assert_eq!(dial_v1(&ca_only).certs.ca_file.as_deref(), Some("/etc/nats-creds/s/ca.crt"));
        assert!(!dial_v1(&ca_only).certs.presents_certificate(), "a CA alone presents no certificate");
        let old = yaml("{secret: {name: leaf}, cert: server.pem, key: tls.key, ca: ca.crt, verify: true}");
        let (certs, verify) = certs_v0_19(&old).expect("tls");
        assert_eq!(certs.cert_file.as_deref(), Some("/etc/nats-certs/leaf/server.pem"));
        assert_eq!((certs.secret.as_deref(), certs.key_file, verify), (Some("leaf"), None, true));
        let (ca, _) = certs_v0_19(&yaml("{secret: {name: leaf}, ca: ca.crt}")).expect("tls");
        assert_eq!((ca.secret, ca.ca_file.as_deref()), (None, Some("/etc/nats-certs/leaf/ca.crt")));
    }
}
