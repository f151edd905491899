//! The sandbox's throwaway certificates: a CA made for one run, and one certificate it signs
//! (Ed25519 keys, made and signed in pure Rust: rcgen and ed25519-dalek)
//! for `127.0.0.1` and `localhost`, good for both ends of a link (server and client
//! authentication). They are written in the run's temporary folder (the keys readable by the
//! owner only), removed with it, and never printed.
//!
//! The design's certificate references (paths on a server, Kubernetes secrets) name files that
//! do not exist here, so the sandbox points every `tls {}` block at these files and keeps what
//! decides how a link behaves: which listeners require TLS, which `verify`, which dials have a
//! `tls {}` block and which of those present a client certificate. A dial's block always trusts
//! the run's CA (a design's block without a CA trusts the system roots, which know no sandbox
//! CA). The client listener's TLS is left out: the probes speak plain NATS.

use crate::model::tls::{TlsCerts, TlsDial, TlsListener};
use crate::model::Design;
use std::path::{Path, PathBuf};

/// The files of one run's CA and certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxCerts {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl SandboxCerts {
    /// Makes a fresh CA and a certificate for 127.0.0.1 in `dir/tls`.
    pub fn generate(dir: &Path) -> Result<SandboxCerts, String> {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyUsagePurpose,
            SanType,
        };
        let failed = |e: rcgen::Error| format!("cannot make the sandbox's certificates: {e}");
        let ca_key = Ed25519Key::generate()?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.serial_number = Some(serial()?);
        ca_params.distinguished_name.push(DnType::CommonName, "nats-topology sandbox CA");
        ca_params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let ca = ca_params.self_signed(&ca_key).map_err(failed)?;
        let issuer = Issuer::new(ca_params, ca_key);

        let key = Ed25519Key::generate()?;
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).map_err(failed)?;
        params.serial_number = Some(serial()?);
        params.subject_alt_names.push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
        params.distinguished_name.push(DnType::CommonName, "nats-topology sandbox server");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        let cert = params.signed_by(&key, &issuer).map_err(failed)?;

        let folder = dir.join("tls");
        std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let files = SandboxCerts {
            ca: folder.join("ca.pem"),
            cert: folder.join("server.pem"),
            key: folder.join("server-key.pem"),
        };
        write(&files.ca, &ca.pem(), false)?;
        write(&files.cert, &cert.pem(), false)?;
        write(&files.key, &key.pkcs8_pem(), true)?;
        Ok(files)
    }

    fn path(path: &Path) -> Option<String> {
        Some(path.display().to_string())
    }

    /// A listener's block: this run's certificate, key and CA, `verify` as designed.
    fn listener(&self, tls: &mut TlsListener) {
        tls.certs = TlsCerts {
            secret: None,
            cert_file: Self::path(&self.cert),
            key_file: Self::path(&self.key),
            ca_file: Self::path(&self.ca),
        };
    }

    /// A dial's block: this run's CA, and its certificate where the design presents one.
    fn dial(&self, tls: &mut TlsDial) {
        let presents = tls.certs.presents_certificate();
        tls.certs = TlsCerts {
            secret: None,
            cert_file: presents.then(|| Self::path(&self.cert)).flatten(),
            key_file: presents.then(|| Self::path(&self.key)).flatten(),
            ca_file: Self::path(&self.ca),
        };
    }
}

/// An Ed25519 key (Go's TLS, and so nats-server, takes Ed25519 certificates), signing for rcgen.
struct Ed25519Key {
    signing: ed25519_dalek::SigningKey,
    public: [u8; 32],
}

impl Ed25519Key {
    /// A fresh key from the system's random source.
    fn generate() -> Result<Self, String> {
        let seed = random::<32>()?;
        let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
        let public = signing.verifying_key().to_bytes();
        Ok(Self { signing, public })
    }

    /// The private key as PKCS#8 PEM (RFC 8410: the seed in an OCTET STRING).
    fn pkcs8_pem(&self) -> String {
        let mut der =
            vec![0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        der.extend_from_slice(self.signing.as_bytes());
        let encoded = base64(&der);
        format!("-----BEGIN PRIVATE KEY-----\n{encoded}\n-----END PRIVATE KEY-----\n")
    }
}

impl rcgen::PublicKeyData for Ed25519Key {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ED25519
    }
}

impl rcgen::SigningKey for Ed25519Key {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        use ed25519_dalek::Signer;
        Ok(self.signing.sign(msg).to_bytes().to_vec())
    }
}

/// Bytes from the system's random source.
fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut source| std::io::Read::read_exact(&mut source, &mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom for the sandbox's certificates: {e}"))?;
    Ok(bytes)
}

/// A random positive serial number (RFC 5280: at most 20 octets).
fn serial() -> Result<rcgen::SerialNumber, String> {
    let mut bytes = random::<16>()?;
    bytes[0] &= 0x7f;
    Ok(rcgen::SerialNumber::from_slice(&bytes))
}

/// RFC 4648 base64 with padding (the key is 48 bytes: one PEM line).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn write(path: &Path, text: &str, secret: bool) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(path).map_err(failed)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(failed)
}

/// Whether any link of the design uses TLS (a listener's or a dial's `tls {}` block).
pub fn uses_tls(design: &Design) -> bool {
    design.clusters().any(|(_, c)| {
        c.tls.routes.is_some()
            || c.leafnode_listener.as_ref().is_some_and(|l| l.tls.is_some())
            || c.remotes.iter().any(|r| r.tls.is_some())
            || c.gateway.as_ref().is_some_and(|g| g.tls.is_some() || g.peers.iter().any(|p| p.tls.is_some()))
    })
}

/// Points every `tls {}` block of `design` at `certs`; drops the client listener's TLS. Returns
/// what it changed, as notes.
pub fn localize(design: &mut Design, certs: &SandboxCerts) -> Vec<String> {
    let ids: Vec<_> = design.clusters().map(|(id, _)| id).collect();
    let mut client = Vec::new();
    for id in ids {
        let cluster = design.cluster_mut(id).expect("ids were just listed");
        if cluster.tls.client.take().is_some() {
            client.push(cluster.name.clone());
        }
        if let Some(tls) = &mut cluster.tls.routes {
            certs.listener(tls);
        }
        if let Some(tls) = cluster.leafnode_listener.as_mut().and_then(|l| l.tls.as_mut()) {
            certs.listener(tls);
        }
        for tls in cluster.remotes.iter_mut().filter_map(|r| r.tls.as_mut()) {
            certs.dial(tls);
        }
        if let Some(gateway) = &mut cluster.gateway {
            if let Some(tls) = &mut gateway.tls {
                certs.listener(tls);
            }
            for tls in gateway.peers.iter_mut().filter_map(|p| p.tls.as_mut()) {
                certs.dial(tls);
            }
        }
    }
    let mut notes =
        vec!["TLS links use certificates of a CA made for this run (in the temporary folder, removed with it); every \
         tls {} block of a dial trusts that CA"
            .to_owned()];
    if !client.is_empty() {
        notes.push(format!(
            "the client listener's TLS is left out in {} (the probes connect in plain text)",
            super::printable(&client.join(", "))
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;

    #[test]
    fn every_block_points_at_the_runs_files_and_keeps_what_decides_the_link() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let certs = SandboxCerts::generate(dir.path()).expect("certificates");
        let ca = std::fs::read_to_string(&certs.ca).expect("the CA");
        assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");
        let key = std::fs::read_to_string(&certs.key).expect("the key");
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"), "an Ed25519 PKCS#8 key");
        assert_eq!(base64(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
        assert_eq!(base64(b"any carnal pleasu"), "YW55IGNhcm5hbCBwbGVhc3U=");
        assert_eq!(base64(b"any carnal pleasur"), "YW55IGNhcm5hbCBwbGVhc3Vy");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&certs.key).expect("the key").permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key is the owner's only: {mode:o}");
        }
        let mut design = guide_corrected();
        assert!(!uses_tls(&design));
        let ids: Vec<_> = design.clusters().map(|(id, _)| id).collect();
        let with_remote = *ids.iter().find(|id| !design.cluster(**id).unwrap().remotes.is_empty()).expect("a spoke");
        let spoke = design.cluster_mut(with_remote).unwrap();
        spoke.tls.client = Some(TlsListener::default());
        spoke.remotes[0].tls =
            Some(TlsDial { certs: TlsCerts { secret: Some("spoke-tls".into()), ..TlsCerts::default() } });
        spoke.remotes.push(spoke.remotes[0].clone());
        spoke.remotes[1].tls =
            Some(TlsDial { certs: TlsCerts { ca_file: Some("/nope".into()), ..TlsCerts::default() } });
        assert!(uses_tls(&design));
        let notes = localize(&mut design, &certs);
        assert_eq!(notes.len(), 2, "{notes:?}");
        let spoke = design.cluster(with_remote).unwrap();
        assert_eq!(spoke.tls.client, None);
        let with_cert = &spoke.remotes[0].tls.as_ref().unwrap().certs;
        assert_eq!(with_cert.cert_file.as_deref(), Some(certs.cert.to_str().unwrap()));
        assert_eq!(with_cert.ca_file.as_deref(), Some(certs.ca.to_str().unwrap()));
        assert_eq!(with_cert.secret, None);
        let ca_only = &spoke.remotes[1].tls.as_ref().unwrap().certs;
        assert!(!ca_only.presents_certificate(), "a dial without a certificate stays without one");
        assert_eq!(ca_only.ca_file.as_deref(), Some(certs.ca.to_str().unwrap()));
    }
}
