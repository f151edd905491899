//! A shell template that creates the Kubernetes secrets the exported chart 1.x values read: per
//! cluster, one `kubectl create secret generic <name>` with a `--from-literal` per key: the
//! users' passwords, and for each remote whose password is a secret the whole leafnode URL
//! (`<key>-leaf-url`, as `helm.rs` names it) with the password percent-encoded.
//!
//! No secret is in the text: each password is read from the terminal once (`read -rs`, not
//! echoed, not in the shell history, not written to a file) into a variable, and the URLs are
//! built from those variables by a percent-encoding shell function. Every name from the design
//! goes through `cli_script::quote`, and comments are made one line, so hostile names stay text.

use super::cli_script::quote;
use super::helm::{url_with_user, v1_leaf_url_key};
use crate::model::{Design, Password};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Per cluster (by name), its secrets by name, each with its keys.
type ClusterSecrets = Vec<(String, BTreeMap<String, BTreeMap<String, Literal>>)>;

/// What one cluster's secret of one name must hold.
enum Literal {
    /// The password in secret (name, key).
    Password(usize),
    /// A URL: text before the password, the password's number, text after it.
    Url(String, usize, String),
}

/// The template, or `None` when the design keeps no password in a Kubernetes secret.
pub fn kubectl_template(design: &Design) -> Option<String> {
    // Every (secret, key) a password lives in, numbered in order of appearance.
    let mut passwords: Vec<(String, String)> = Vec::new();
    let mut number = |name: &str, key: &str| -> usize {
        match passwords.iter().position(|(n, k)| n == name && k == key) {
            Some(i) => i,
            None => {
                passwords.push((name.to_owned(), key.to_owned()));
                passwords.len() - 1
            }
        }
    };
    let mut clusters: ClusterSecrets = Vec::new();
    for (_, cluster) in design.clusters() {
        let mut secrets: BTreeMap<String, BTreeMap<String, Literal>> = BTreeMap::new();
        for account in cluster.accounts.values() {
            for user in &account.users {
                if let Password::SecretRef { name, key } = &user.password {
                    let n = number(name, key);
                    secrets.entry(name.clone()).or_default().insert(key.clone(), Literal::Password(n));
                }
            }
        }
        for (i, remote) in cluster.remotes.iter().enumerate() {
            let (Some(Password::SecretRef { name, key }), Some(user)) = (&remote.password, &remote.user) else {
                continue;
            };
            // The chart substitutes whole values: the URL with its password is one key.
            let Some(shape) = url_with_user(&remote.url, user, Some("\u{0}")) else { continue };
            let Some((before, after)) = shape.split_once("%00") else { continue };
            let n = number(name, key);
            let url_key = v1_leaf_url_key(cluster, i, key);
            secrets
                .entry(name.clone())
                .or_default()
                .insert(url_key, Literal::Url(before.to_owned(), n, after.to_owned()));
        }
        if !secrets.is_empty() {
            clusters.push((cluster.name.clone(), secrets));
        }
    }
    if clusters.is_empty() {
        return None;
    }
    let mut s = String::new();
    s.push_str(
        "# Percent-encodes its argument byte by byte for a URL's user info.\n\
         urlencode() {\n  local LC_ALL=C s=\"$1\" out='' c i\n  for ((i = 0; i < ${#s}; i++)); do\n    \
         c=\"${s:i:1}\"\n    case \"$c\" in\n      [A-Za-z0-9._~-]) out+=\"$c\" ;;\n      \
         *) printf -v c '%%%02X' \"'$c\"; out+=\"$c\" ;;\n    esac\n  done\n  printf '%s' \"$out\"\n}\n\n",
    );
    s.push_str("# Each password is typed once: not echoed, not stored, not in the shell history.\n");
    for (i, (name, key)) in passwords.iter().enumerate() {
        let prompt = format!("password in secret {name}, key {key}: ");
        let _ = writeln!(s, "read -rsp {} P{i} && echo", quote(&prompt));
    }
    for (cluster, secrets) in &clusters {
        let _ = write!(s, "\n# In cluster {}'s kube context:\n", super::file_stem(cluster));
        for (name, literals) in secrets {
            let _ = write!(s, "kubectl create secret generic {}", quote(name));
            for (key, literal) in literals {
                let value = match literal {
                    Literal::Password(n) => format!("\"$P{n}\""),
                    Literal::Url(before, n, after) => {
                        format!("{}\"$(urlencode \"$P{n}\")\"{}", quote(before), quote(after))
                    }
                };
                let _ = write!(s, " \\\n  --from-literal={}{value}", quote(&format!("{key}=")));
            }
            s.push('\n');
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;

    #[test]
    fn the_guide_gets_one_secret_per_cluster_with_the_spokes_leaf_urls() {
        let text = kubectl_template(&guide_corrected()).expect("the example keeps its passwords in a secret");
        assert!(text.contains("read -rsp 'password in secret nats-passwords, key acc: ' P0 && echo"), "{text}");
        assert_eq!(text.matches("kubectl create secret generic nats-passwords").count(), 3, "{text}");
        assert!(
            text.contains(
                "--from-literal=acc-leaf-url=nats://acc:\"$(urlencode \"$P0\")\"@headquarter.nats.public.address.com:30742"
            ),
            "{text}"
        );
        assert!(!text.contains("%00"), "no marker left");
    }

    #[test]
    fn a_design_without_secret_passwords_needs_no_template() {
        let mut d = guide_corrected();
        let ids: Vec<_> = d.clusters().map(|(id, _)| id).collect();
        for id in ids {
            let c = d.cluster_mut(id).expect("listed");
            for a in c.accounts.values_mut() {
                a.users.iter_mut().for_each(|u| u.password = Password::Plain("x".into()));
            }
            c.remotes.iter_mut().for_each(|r| r.password = None);
        }
        assert_eq!(kubectl_template(&d), None);
    }
}
