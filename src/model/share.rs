//! Share links: a design carried in a URL fragment, `#design=<base64url(deflate(json))>`.
//!
//! Invariants: a shared copy carries no secret material. Every password the design holds
//! (plain text or bcrypt hash, on users and on leafnode remotes, and a password written into a
//! remote URL) becomes a reference to the Kubernetes secret [`SECRET_NAME`], keyed by the user's
//! name, which the recipient has to create; credentials and nkey *paths* are kept, they name
//! files, not their contents. [`decode`] never panics: garbage gives a [`ShareError`] that says
//! what is wrong, and the inflated size is bounded so a crafted link cannot exhaust memory.

use super::cluster::{LeafnodeRemote, Password};
use super::persist::{self, LoadError, Loaded};
use super::topology::Design;
use thiserror::Error;

/// The fragment parameter that carries a design.
pub const PARAM: &str = "design";

/// The Kubernetes secret shared passwords are replaced with a reference to.
pub const SECRET_NAME: &str = "nats-passwords";

/// The largest design a link may inflate to (bytes of JSON).
const MAX_JSON: usize = 16 * 1024 * 1024;

/// Why a link could not be read as a design.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ShareError {
    #[error("the link carries no design (expected #design=...)")]
    NoDesign,
    #[error("the link is damaged: {found:?} at position {position} is not base64url")]
    NotBase64 { found: char, position: usize },
    #[error("the link is damaged: it was cut short or changed ({reason})")]
    NotDeflate { reason: String },
    #[error("the design in the link is larger than {MAX_JSON} bytes")]
    TooLarge,
    #[error("the link is damaged: the design is not UTF-8 text")]
    NotText,
    #[error("the design in the link cannot be read: {0}")]
    Load(#[from] LoadError),
}

/// What [`strip_secrets`] removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stripped {
    /// How many passwords became secret references.
    pub passwords: usize,
}

/// A copy of `design` without secret material, and what was removed.
pub fn strip_secrets(design: &Design) -> (Design, Stripped) {
    let mut copy = design.clone();
    let mut stripped = Stripped::default();
    let ids: Vec<_> = copy.clusters().map(|(id, _)| id).collect();
    for id in ids {
        let Some(cluster) = copy.cluster_mut(id) else { continue };
        for account in cluster.accounts.values_mut() {
            for user in &mut account.users {
                if hide(&mut user.password, &user.name) {
                    stripped.passwords += 1;
                }
            }
        }
        for (index, remote) in cluster.remotes.iter_mut().enumerate() {
            stripped.passwords += strip_remote(remote, index);
        }
    }
    (copy, stripped)
}

/// Replaces a plain or bcrypt password by a secret reference; true when it did.
fn hide(password: &mut Password, key: &str) -> bool {
    if matches!(password, Password::SecretRef { .. }) {
        return false;
    }
    *password = Password::SecretRef { name: SECRET_NAME.to_owned(), key: key.to_owned() };
    true
}

/// Moves a remote's URL credentials into its user/password fields and hides the password;
/// returns how many passwords were hidden.
fn strip_remote(remote: &mut LeafnodeRemote, index: usize) -> usize {
    let mut hidden = 0;
    if let Some((url, user, password)) = split_userinfo(&remote.url) {
        remote.url = url;
        if remote.user.is_none() && !user.is_empty() {
            remote.user = Some(user);
        }
        if password.is_some() {
            let key = remote.user.clone().unwrap_or_else(|| format!("remote-{index}"));
            remote.password = Some(Password::SecretRef { name: SECRET_NAME.to_owned(), key });
            hidden += 1;
        }
    }
    if let Some(password) = remote.password.as_mut() {
        let key = remote.user.clone().unwrap_or_else(|| format!("remote-{index}"));
        if hide(password, &key) {
            hidden += 1;
        }
    }
    hidden
}

/// `scheme://user:password@host/...` as (the URL without user info, user, password), decoded;
/// `None` when the URL has no user info.
fn split_userinfo(url: &str) -> Option<(String, String, Option<String>)> {
    crate::model::url::take_userinfo(url)
}

/// The fragment (`design=...`, without `#`) carrying `design` with its secrets removed.
pub fn encode(design: &Design) -> (String, Stripped) {
    let (copy, stripped) = strip_secrets(design);
    let pretty = persist::save(&copy);
    // The file is pretty-printed for diffs; a link wants it short.
    let compact =
        serde_json::from_str::<serde_json::Value>(&pretty).map(|v| v.to_string()).expect("persist::save writes JSON");
    let packed = miniz_oxide::deflate::compress_to_vec(compact.as_bytes(), 9);
    (format!("{PARAM}={}", base64url(&packed)), stripped)
}

/// The design parameter of a URL fragment (with or without its `#`), if it has one.
pub fn fragment_payload(fragment: &str) -> Option<&str> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment.split('&').find_map(|pair| pair.strip_prefix(PARAM).and_then(|rest| rest.strip_prefix('=')))
}

/// Reads the design of a fragment (`#design=...`, or the bare payload) through `persist::load`.
pub fn decode(fragment: &str) -> Result<Loaded, ShareError> {
    let payload = if fragment.trim_start_matches('#').contains('=') {
        fragment_payload(fragment).ok_or(ShareError::NoDesign)?
    } else {
        fragment.trim_start_matches('#')
    };
    if payload.is_empty() {
        return Err(ShareError::NoDesign);
    }
    let packed = from_base64url(payload)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
        _ => ShareError::NotDeflate { reason: e.to_string() },
    })?;
    let text = String::from_utf8(json).map_err(|_| ShareError::NotText)?;
    Ok(persist::load(&text)?)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 base64url, without padding.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// Decodes base64url; padding is accepted and ignored.
fn from_base64url(text: &str) -> Result<Vec<u8>, ShareError> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (position, c) in text.chars().enumerate() {
        let value = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' | '+' => 62,
            '_' | '/' => 63,
            found => return Err(ShareError::NotBase64 { found, position }),
        };
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example;
    use proptest::prelude::*;

    fn passwords(design: &Design) -> Vec<Password> {
        design
            .clusters()
            .flat_map(|(_, c)| {
                let users = c.accounts.values().flat_map(|a| a.users.iter().map(|u| u.password.clone()));
                users.chain(c.remotes.iter().filter_map(|r| r.password.clone())).collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn a_design_without_secrets_survives_the_round_trip_unchanged() {
        let design = example::guide_corrected();
        let (fragment, stripped) = encode(&design);
        assert_eq!(stripped, Stripped::default());
        let loaded = decode(&format!("#{fragment}")).expect("decodes");
        assert_eq!(loaded.design, design);
        assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
        assert!(fragment.len() < 3000, "the example's link is short enough to paste: {}", fragment.len());
    }

    /// The example with the guide's habits: plain passwords everywhere, and in remote URLs.
    fn with_plain_passwords() -> Design {
        let mut design = example::guide_corrected();
        let ids: Vec<_> = design.clusters().map(|(id, _)| id).collect();
        for id in ids {
            let cluster = design.cluster_mut(id).expect("listed cluster");
            for account in cluster.accounts.values_mut() {
                for user in &mut account.users {
                    user.password = Password::Plain(user.name.clone());
                }
            }
            for remote in &mut cluster.remotes {
                let user = remote.user.take().unwrap_or_default();
                remote.password = None;
                remote.url = remote.url.replacen("://", &format!("://{user}:{user}@"), 1);
            }
        }
        design
    }

    #[test]
    fn passwords_are_gone_from_a_shared_design() {
        let design = with_plain_passwords();
        let (fragment, stripped) = encode(&design);
        assert!(stripped.passwords >= 6, "{stripped:?}");
        let shared = decode(&fragment).expect("decodes").design;
        assert!(passwords(&shared).iter().all(|p| matches!(p, Password::SecretRef { .. })));
        for (_, cluster) in shared.clusters() {
            for remote in &cluster.remotes {
                assert!(!remote.url.contains('@'), "no credentials in {}", remote.url);
                assert!(remote.user.is_some() && remote.password.is_some(), "{remote:?}");
            }
        }
        let json = persist::save(&shared);
        assert!(!json.contains("\"plain\"") && !json.contains("acc:acc@"), "{json}");
        // Everything else is kept.
        assert_eq!(shared.streams().count(), design.streams().count());
        assert_eq!(shared.name, design.name);
    }

    #[test]
    fn bcrypt_hashes_are_secret_material_too() {
        let mut design = example::guide_corrected();
        let id = design.clusters().next().map(|(id, _)| id).expect("a cluster");
        let cluster = design.cluster_mut(id).expect("cluster");
        let account = cluster.accounts.values_mut().next().expect("an account");
        account.users[0].password = Password::Bcrypt("$2a$11$abcdefghijklmnopqrstuv".into());
        let (copy, stripped) = strip_secrets(&design);
        assert_eq!(stripped.passwords, 1);
        assert!(passwords(&copy).iter().all(|p| matches!(p, Password::SecretRef { .. })));
    }

    #[test]
    fn user_info_is_split_from_urls() {
        assert_eq!(
            split_userinfo("nats://acc:secret@hq.example.com:7422"),
            Some(("nats://hq.example.com:7422".into(), "acc".into(), Some("secret".into())))
        );
        assert_eq!(split_userinfo("nats://u@h:1/x"), Some(("nats://h:1/x".into(), "u".into(), None)));
        assert_eq!(split_userinfo("nats://h:1"), None);
        assert_eq!(split_userinfo("no url"), None);
    }

    #[test]
    fn garbage_fragments_give_clear_errors() {
        assert_eq!(decode(""), Err(ShareError::NoDesign));
        assert_eq!(decode("#other=1"), Err(ShareError::NoDesign));
        assert_eq!(decode("#design="), Err(ShareError::NoDesign));
        assert!(matches!(decode("#design=abc$def"), Err(ShareError::NotBase64 { found: '$', position: 3 })));
        assert!(matches!(decode("#design=AAAA"), Err(ShareError::NotDeflate { .. })));
        let (fragment, _) = encode(&example::guide_corrected());
        let cut = &fragment[..fragment.len() / 2];
        assert!(matches!(decode(cut), Err(ShareError::NotDeflate { .. })), "{:?}", decode(cut));
        let not_a_design = base64url(&miniz_oxide::deflate::compress_to_vec(b"{\"format\": \"x\"}", 6));
        assert!(matches!(decode(&not_a_design), Err(ShareError::Load(LoadError::FormatWrong { .. }))));
        let not_text = base64url(&miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 6));
        assert_eq!(decode(&not_text), Err(ShareError::NotText));
        let bomb = base64url(&miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_JSON + 10], 9));
        assert_eq!(decode(&bomb), Err(ShareError::TooLarge));
    }

    #[test]
    fn fragments_with_other_parameters_are_read() {
        assert_eq!(fragment_payload("#a=1&design=xyz&b=2"), Some("xyz"));
        assert_eq!(fragment_payload("designer=1"), None);
    }

    proptest! {
        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(from_base64url(&base64url(&bytes)).expect("decodes"), bytes);
        }

        #[test]
        fn decode_never_panics(text in "\\PC{0,200}") {
            let _ = decode(&text);
            let _ = decode(&format!("#design={text}"));
        }
    }
}
