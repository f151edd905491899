//! TLS on a cluster's links: what a listener (client, route, leafnode, gateway) presents and
//! asks for, and what a leafnode remote or gateway peer presents when it dials.
//!
//! Certificates are references, never contents: file paths on the server, or a Kubernetes
//! secret (the chart's `tls.secretName`, holding `tls.crt`, `tls.key` and `ca.crt`) that the
//! exporters mount at [`secret_dir`]. A file path set beside a secret wins for that one file.
//!
//! Measured on nats-server 2.9.10 and 2.15.1 (`tests/corpus/tls-leafnode-measured.txt`): what
//! makes a remote dial with TLS is a `tls {}` block, not the `tls://` scheme; a remote with no
//! `tls {}` block follows a listener that requires TLS but trusts only the system roots. So the
//! model's dial TLS is the block ([`TlsDial`]); the scheme stays in the URL as written.

/// Where the exporters mount a certificate secret: `/etc/nats-certs/<secret>`.
pub fn secret_dir(secret: &str) -> String {
    format!("/etc/nats-certs/{secret}")
}

/// Certificate, key and CA references.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TlsCerts {
    /// A Kubernetes secret with `tls.crt`, `tls.key` and `ca.crt`.
    pub secret: Option<String>,
    /// `cert_file`: the certificate presented.
    pub cert_file: Option<String>,
    /// `key_file`: its private key.
    pub key_file: Option<String>,
    /// `ca_file`: the CA the other side's certificate is checked against.
    pub ca_file: Option<String>,
}

impl TlsCerts {
    fn resolve(&self, file: &Option<String>, in_secret: &str) -> Option<String> {
        let file = file.as_ref().filter(|f| !f.trim().is_empty());
        file.cloned().or_else(|| {
            let secret = self.secret.as_ref().filter(|s| !s.trim().is_empty())?;
            Some(format!("{}/{in_secret}", secret_dir(secret)))
        })
    }

    /// The certificate file the server reads (the secret's `tls.crt` when no path is given).
    pub fn cert(&self) -> Option<String> {
        self.resolve(&self.cert_file, "tls.crt")
    }

    pub fn key(&self) -> Option<String> {
        self.resolve(&self.key_file, "tls.key")
    }

    pub fn ca(&self) -> Option<String> {
        self.resolve(&self.ca_file, "ca.crt")
    }

    /// A certificate and its key are both given: the side can present a certificate.
    pub fn presents_certificate(&self) -> bool {
        self.cert().is_some() && self.key().is_some()
    }
}

/// TLS on a listener: the server requires TLS from every connection to it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TlsListener {
    pub certs: TlsCerts,
    /// `verify: true`: the dialing side must present a certificate the CA signed.
    pub verify: bool,
}

/// TLS on a dial (a leafnode remote, a gateway peer): the `tls {}` block of the remote or peer.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TlsDial {
    /// The CA the listener's certificate is checked against; the client certificate and key
    /// presented to a listener that verifies.
    pub certs: TlsCerts,
}

/// The TLS of a cluster's client and route listeners (leafnode and gateway TLS live on their
/// listeners).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ClusterTls {
    /// The client listener's (`tls {}` at the top level of the conf).
    pub client: Option<TlsListener>,
    /// The route listener's (`cluster { tls {} }`); routes dial with the same block.
    pub routes: Option<TlsListener>,
}

impl ClusterTls {
    pub fn is_empty(&self) -> bool {
        self.client.is_none() && self.routes.is_none()
    }
}

/// Whether `url` names the `tls://` scheme.
pub fn has_tls_scheme(url: &str) -> bool {
    url.trim_start().get(..6).is_some_and(|s| s.eq_ignore_ascii_case("tls://"))
}

/// `url` with the `tls://` scheme (`on`) or `nats://` instead of `tls://`; a URL without a
/// scheme gets `tls://` when turned on. Only the scheme changes (the designer's `tls://` toggle:
/// the scheme alone does not make the dial use TLS, its `tls {}` block does).
pub fn with_tls_scheme(url: &str, on: bool) -> String {
    let url = url.trim();
    let rest = url.split_once("://").map(|(_, rest)| rest);
    match (on, rest) {
        (true, Some(rest)) => format!("tls://{rest}"),
        (true, None) => format!("tls://{url}"),
        (false, Some(rest)) if has_tls_scheme(url) => format!("nats://{rest}"),
        (false, _) => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_toggle_changes_only_the_scheme() {
        assert_eq!(with_tls_scheme("nats://u:p@east:7422", true), "tls://u:p@east:7422");
        assert_eq!(with_tls_scheme("east:7422", true), "tls://east:7422");
        assert_eq!(with_tls_scheme("TLS://east:7422", false), "nats://east:7422");
        assert_eq!(with_tls_scheme("nats://east:7422", false), "nats://east:7422");
        assert!(has_tls_scheme(" tls://x") && !has_tls_scheme("nats://x") && !has_tls_scheme("tl"));
    }

    #[test]
    fn a_secret_gives_the_files_a_path_overrides() {
        let certs = TlsCerts { secret: Some("hub-tls".into()), ca_file: Some("/ca.pem".into()), ..TlsCerts::default() };
        assert_eq!(certs.cert().as_deref(), Some("/etc/nats-certs/hub-tls/tls.crt"));
        assert_eq!(certs.key().as_deref(), Some("/etc/nats-certs/hub-tls/tls.key"));
        assert_eq!(certs.ca().as_deref(), Some("/ca.pem"));
        assert!(certs.presents_certificate());
        let ca_only = TlsCerts { ca_file: Some("/ca.pem".into()), ..TlsCerts::default() };
        assert!(!ca_only.presents_certificate());
        assert_eq!(ca_only.cert(), None);
        let blank = TlsCerts { cert_file: Some(" ".into()), key_file: Some("/k".into()), ..TlsCerts::default() };
        assert!(!blank.presents_certificate(), "a blank path is no certificate");
    }
}
