//! Helm values, one file per cluster, for the chart generation the user picks.
//!
//! Chart 0.19.x (the guide's) reads `nats.*`, `cluster.*`, `leafnodes.*` and `auth.*`; the
//! current chart (1.x, and 2.x with the same schema) reads `config.*` and lets `merge` maps
//! carry what has no first-class key (domain, cluster name, accounts, remotes). Neither chart
//! has a values schema, so a misspelled key is silently ignored: every key written here exists
//! in the chart's default values or lies under a map its templates read freely
//! (`tests/helm_keys.rs` checks this against the charts' own `values.yaml`).
//!
//! Secrets never appear in plain text unless the design keeps them so (`Password::Plain`).
//! Chart 0.19 cannot read a Kubernetes secret for account users or remote URLs, so a secret
//! becomes a named placeholder plus a note; chart 1.x reads it through `container.env` and a
//! whole-value NATS variable (`<< $VAR >>`).
//!
//! Output is deterministic: typed structs serialized by `serde_yaml`, names as data only, notes
//! as `#` comments through `comment_text`.

use super::{comment_text, file_stem, header, Chart, ExportedFile};
use crate::model::url;
use crate::model::{
    Account, Cluster, Design, Export, Import, LeafnodeListener, LeafnodeRemote, LocalSubject, Password,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

mod gateway_values;
mod tls_values;

/// `helm/values-<cluster>.yaml` for every cluster.
pub fn render(design: &Design, chart: Chart) -> Vec<ExportedFile> {
    let mut taken = BTreeSet::new();
    design
        .clusters()
        .map(|(_, cluster)| {
            let path = unique_path(&mut taken, &file_stem(&cluster.name));
            let (yaml, notes) = match chart {
                Chart::V0_19 => v0_19::values(cluster),
                Chart::V1 => v1::values(cluster),
            };
            let generation = match chart {
                Chart::V0_19 => "chart 0.19.x",
                Chart::V1 => "chart 1.x/2.x",
            };
            let title = format!("Helm values for cluster {} ({generation})", comment_text(&cluster.name));
            let mut contents = format!("# {}\n", header(design, &title));
            if !notes.is_empty() {
                contents.push_str("#\n");
                for note in &notes {
                    for line in wrap(&comment_text(note), NOTE_WIDTH) {
                        contents.push_str(format!("# {line}").trim_end());
                        contents.push('\n');
                    }
                }
            }
            contents.push_str(&helm_safe(&yaml));
            ExportedFile { path, contents }
        })
        .collect()
}

/// The width notes are wrapped at (a long name may still make a line longer).
const NOTE_WIDTH: usize = 100;

/// `helm/values-<stem>.yaml`, with `-2`, `-3`, ... when another cluster already has that path.
/// Compared without case, so the files also stay apart on case-insensitive file systems.
fn unique_path(taken: &mut BTreeSet<String>, stem: &str) -> String {
    let mut candidate = stem.to_owned();
    let mut n = 1;
    while taken.contains(&candidate.to_lowercase()) {
        n += 1;
        candidate = format!("{stem}-{n}");
    }
    taken.insert(candidate.to_lowercase());
    format!("helm/values-{candidate}.yaml")
}

fn to_yaml<T: Serialize>(values: &T) -> String {
    serde_yaml::to_string(values).expect("Helm values are plain maps, lists and strings, which always serialize")
}

/// Notes continue on the next line indented, so a list item stays readable when wrapped.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let indent = if text.starts_with("- ") { "  " } else { "" };
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(indent);
        }
        if !line.is_empty() && line != indent {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Words that YAML 1.1 reads as something other than a string. `serde_yaml` follows YAML 1.2
/// and writes them unquoted, but Helm parses values with go-yaml v2 (YAML 1.1), where `no`
/// (Norway's domain) is `false` and `<<` is a merge key.
const YAML_1_1_WORDS: [&str; 23] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true", "True",
    "TRUE", "false", "False", "FALSE", "<<",
];

/// Whether a plain scalar that YAML 1.2 reads as a string could be something else to Helm.
fn ambiguous_in_yaml_1_1(token: &str) -> bool {
    // A plain `true` or `3` is a real boolean or number: serde_yaml quotes such strings itself.
    if !matches!(serde_yaml::from_str::<serde_yaml::Value>(token), Ok(serde_yaml::Value::String(_))) {
        return false;
    }
    // Numbers with `_`, `0b`/`0o` prefixes, sexagesimals and timestamps: quoting a string that
    // merely looks numeric is harmless, so be generous.
    let numeric_start = token.trim_start_matches(['+', '-']).starts_with(|c: char| c.is_ascii_digit() || c == '.');
    YAML_1_1_WORDS.contains(&token)
        || (numeric_start
            && token.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '+' | '-' | ':')))
}

/// Quotes the plain scalars of `serde_yaml` output that Helm's YAML 1.1 parser would not read
/// as strings. Safe because `serde_yaml` writes every scalar on one line (unlimited width) except
/// literal blocks (`|-`), whose content lines are skipped, and because a plain scalar cannot
/// contain `: `, so a line's last `: ` separates the key from a plain value.
pub(super) fn helm_safe(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len());
    // Inside a literal block: lines indented deeper than this column are its content.
    let mut block_parent: Option<usize> = None;
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_parent {
            if line.trim().is_empty() || indent > parent {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            block_parent = None;
        }
        let (prefix, mut rest) = line.split_at(indent);
        let mut fixed = prefix.to_owned();
        // Sequence entries, complex keys and their values may open a line, several at once.
        while let Some(after) = ["- ", "? ", ": "].iter().find_map(|i| rest.strip_prefix(i)) {
            fixed.push_str(&rest[..2]);
            rest = after;
        }
        let column = fixed.len();
        let quote = |token: &str| if ambiguous_in_yaml_1_1(token) { format!("'{token}'") } else { token.to_owned() };
        let (key, value) = match rest.rfind(": ") {
            Some(at) => (Some(&rest[..at]), Some(&rest[at + 2..])),
            None => match rest.strip_suffix(':') {
                Some(key) => (Some(key), None),
                None => (None, Some(rest)),
            },
        };
        if let Some(key) = key {
            fixed.push_str(&quote(key));
            fixed.push(':');
        }
        if let Some(value) = value {
            if key.is_some() {
                fixed.push(' ');
            }
            let is_block =
                value.starts_with('|') && value[1..].chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+');
            if is_block {
                // Content is deeper than the key, or than the indicator holding the block.
                block_parent = Some(if key.is_some() { column } else { column.saturating_sub(2) });
            }
            fixed.push_str(&quote(value));
        }
        out.push_str(&fixed);
        out.push('\n');
    }
    out
}

/// The URL with `user[:password]@` added, both percent-encoded; `None` when the URL already
/// carries user info (the design wrote it there) or has no `scheme://` to add it after.
pub(crate) fn url_with_user(url: &str, user: &str, password: Option<&str>) -> Option<String> {
    crate::model::url::with_userinfo(url, user, password)
}

/// The URL a remote dials, with the user and a password text (already chosen by the chart
/// generation) added when the design keeps them outside the URL.
fn remote_url(remote: &LeafnodeRemote, password: Option<&str>, notes: &mut Vec<String>, at: &str) -> String {
    let Some(user) = &remote.user else { return remote.url.clone() };
    match url_with_user(&remote.url, user, password) {
        Some(url) => url,
        None => {
            if !remote.url.contains("://") {
                notes.push(format!(
                    "- {at}: the URL has no scheme (nats://), so user {user} could not be added to it; fix the URL \
                     in the design."
                ));
            }
            remote.url.clone()
        }
    }
}

/// The port an endpoint names, when it names one.
fn endpoint_port(endpoint: &str) -> Option<u16> {
    url::endpoint_of(endpoint, 0).map(|(_, port)| port).filter(|port| *port != 0)
}

/// Kubernetes' default NodePort range.
const NODE_PORTS: std::ops::RangeInclusive<u16> = 30000..=32767;

/// The folder where both charts' convention mounts credential secrets.
const CREDS_DIR: &str = "/etc/nats-creds";

/// The secret holding credentials files whose path does not name one.
const CREDS_SECRET: &str = "leafnode-credentials";

/// The Kubernetes secret (name, key) a credentials or nkey file is mounted from: the path's own
/// when it is `/etc/nats-creds/<name>/<key>` (the charts' layout), else one shared secret with a
/// key derived from the whole path.
fn file_secret(path: &str) -> (String, String) {
    if let Some(rest) = path.strip_prefix(CREDS_DIR).and_then(|r| r.strip_prefix('/')) {
        if let Some((name, key)) = rest.split_once('/') {
            if !name.is_empty() && !key.is_empty() && !key.contains('/') {
                return (name.to_owned(), key.to_owned());
            }
        }
    }
    (CREDS_SECRET.to_owned(), file_stem(path))
}

fn file_secret_note(at: &str, path: &str, name: &str, key: &str) -> String {
    format!(
        "- {at}: file {path} is mounted from key {key} of Kubernetes secret {name}; create it with \
         kubectl create secret generic {name} --from-file={key}=<the file>."
    )
}

/// The endpoint the leafnode Service is exposed on: NodePort when a public endpoint's port is in
/// the NodePort range, else LoadBalancer; `None` without public endpoints.
fn exposure(listener: &LeafnodeListener) -> Option<(&'static str, Option<u16>)> {
    if listener.public_endpoints.is_empty() {
        return None;
    }
    let node_port = listener.public_endpoints.iter().filter_map(|e| endpoint_port(e)).find(|p| NODE_PORTS.contains(p));
    Some(match node_port {
        Some(port) => ("NodePort", Some(port)),
        None => ("LoadBalancer", None),
    })
}

fn describe_secret(name: &str, key: &str) -> String {
    format!("key \"{key}\" of Kubernetes secret \"{name}\"")
}

/// The cluster name as nats-server accepts it (2.15 refuses whitespace: "cluster name cannot
/// contain spaces"), as the exported confs write it too.
pub fn cluster_name(name: &str, notes: &mut Vec<String>) -> String {
    let inert = super::server_conf::inert_name(name);
    if inert != name {
        notes.push(format!(
            "Cluster name: nats-server refuses whitespace in a cluster name, so it is written as {inert} (as in \
             the exported server confs)."
        ));
    }
    inert
}

/// An account's export as both charts pass it into `nats.conf` (0.19 as JSON, 1.x through
/// `merge`): the nats-server keys, `{stream: "x.>", accounts: [A]}`.
#[derive(Serialize)]
struct ExportValues {
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    accounts: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_type: Option<&'static str>,
}

/// An account's import: `{service: {account: A, subject: "x"}, to: "y"}`.
#[derive(Serialize)]
struct ImportValues {
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<ImportFrom>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<ImportFrom>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<String>,
}

#[derive(Serialize)]
struct ImportFrom {
    account: String,
    subject: String,
}

fn export_values(export: &Export) -> ExportValues {
    let service = export.kind == crate::model::ShareKind::Service;
    ExportValues {
        stream: (!service).then(|| export.subject.clone()),
        service: service.then(|| export.subject.clone()),
        accounts: export.accounts.clone(),
        response_type: export.response_type.filter(|_| service).map(|r| r.as_str()),
    }
}

fn import_values(import: &Import) -> ImportValues {
    let from = ImportFrom { account: import.account.clone(), subject: import.subject.clone() };
    let (stream, service) = match import.kind {
        crate::model::ShareKind::Stream => (Some(from), None),
        crate::model::ShareKind::Service => (None, Some(from)),
    };
    let (to, prefix) = match &import.local {
        Some(LocalSubject::To(to)) => (Some(to.clone()), None),
        Some(LocalSubject::Prefix(prefix)) => (None, Some(prefix.clone())),
        None => (None, None),
    };
    ImportValues { stream, service, to, prefix }
}

/// Chart 0.19.x: the guide's values, with its errors fixed.
pub mod v0_19 {
    use super::*;

    #[derive(Serialize)]
    struct Values {
        nats: Nats,
        cluster: ClusterValues,
        #[serde(skip_serializing_if = "Option::is_none")]
        leafnodes: Option<Leafnodes>,
        #[serde(skip_serializing_if = "Option::is_none")]
        auth: Option<Auth>,
        #[serde(skip_serializing_if = "Option::is_none")]
        gateway: Option<super::gateway_values::GatewayValues019>,
        /// The remotes' secrets when there is no leafnode listener (see [`remote_volumes`]).
        #[serde(rename = "additionalVolumes", skip_serializing_if = "Vec::is_empty")]
        additional_volumes: Vec<SecretVolume019>,
        #[serde(rename = "additionalVolumeMounts", skip_serializing_if = "Vec::is_empty")]
        additional_volume_mounts: Vec<VolumeMount019>,
    }

    #[derive(Serialize)]
    struct SecretVolume019 {
        name: String,
        secret: SecretName019,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct SecretName019 {
        secret_name: String,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct VolumeMount019 {
        name: String,
        mount_path: String,
        read_only: bool,
    }

    /// Chart 0.19 mounts the remotes' credential and TLS secrets only when `leafnodes.enabled`
    /// (the listener) is set (`statefulset.yaml`), yet writes their paths into nats.conf for
    /// every remote: a spoke without a listener would name files that are not there. For such
    /// a cluster the secrets go through `additionalVolumes` and `additionalVolumeMounts`, at
    /// the paths the chart writes.
    fn remote_volumes(leafnodes: Option<&Leafnodes>) -> (Vec<SecretVolume019>, Vec<VolumeMount019>) {
        let Some(leafnodes) = leafnodes.filter(|l| l.enabled != Some(true)) else { return (Vec::new(), Vec::new()) };
        let mut paths: Vec<(String, String)> = Vec::new();
        for remote in &leafnodes.remotes {
            if let Some(credentials) = &remote.credentials {
                paths.push((credentials.secret.name.clone(), format!("{CREDS_DIR}/{}", credentials.secret.name)));
            }
            if let Some(tls) = &remote.tls {
                paths.push((tls.secret_name().to_owned(), format!("/etc/nats-certs/leafnodes/{}", tls.secret_name())));
            }
        }
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .enumerate()
            .map(|(i, (secret, mount_path))| {
                let name = format!("remote-secret-{i}");
                (
                    SecretVolume019 { name: name.clone(), secret: SecretName019 { secret_name: secret } },
                    VolumeMount019 { name, mount_path, read_only: true },
                )
            })
            .unzip()
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Nats {
        #[serde(skip_serializing_if = "Option::is_none")]
        server_name_prefix: Option<String>,
        /// Written by the chart as `"{{ . }}"`, unescaped.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        server_tags: Vec<String>,
        jetstream: JetStream,
        /// The client listener's TLS.
        #[serde(skip_serializing_if = "Option::is_none")]
        tls: Option<super::tls_values::TlsValues019>,
    }

    #[derive(Serialize)]
    struct JetStream {
        enabled: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        domain: Option<String>,
    }

    #[derive(Serialize)]
    struct ClusterValues {
        enabled: bool,
        name: String,
        replicas: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        tls: Option<super::tls_values::TlsValues019>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Leafnodes {
        #[serde(skip_serializing_if = "Option::is_none")]
        enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        port: Option<u16>,
        /// camelCase: the guide's `no_advertise` is not read by the chart.
        #[serde(skip_serializing_if = "Option::is_none")]
        no_advertise: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tls: Option<super::tls_values::TlsValues019>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        remotes: Vec<Remote>,
    }

    #[derive(Serialize)]
    struct Remote {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        credentials: Option<Credentials>,
        /// The remote's own `tls {}` block.
        #[serde(skip_serializing_if = "Option::is_none")]
        tls: Option<super::tls_values::TlsValues019>,
    }

    #[derive(Serialize)]
    struct Credentials {
        secret: SecretKey,
    }

    #[derive(Serialize)]
    struct SecretKey {
        name: String,
        key: String,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Auth {
        enabled: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        basic: Option<Basic>,
        #[serde(skip_serializing_if = "Option::is_none")]
        system_account: Option<String>,
    }

    #[derive(Serialize)]
    struct Basic {
        accounts: BTreeMap<String, AccountValues>,
    }

    #[derive(Serialize)]
    struct AccountValues {
        users: Vec<UserValues>,
        #[serde(skip_serializing_if = "Option::is_none")]
        jetstream: Option<&'static str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        exports: Vec<ExportValues>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        imports: Vec<ImportValues>,
    }

    #[derive(Serialize)]
    struct UserValues {
        user: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pass: Option<String>,
    }

    /// A cluster name as chart 0.19 writes it into nats.conf: bare (`name: {{ .Values.cluster.name }}`),
    /// so a name that is not a plain word is given with its conf quotes, which the chart then
    /// writes as they are and nats-server reads as a quoted string.
    pub fn cluster_name(name: &str, notes: &mut Vec<String>) -> String {
        let name = &super::cluster_name(name, notes);
        let plain = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if plain {
            return name.to_owned();
        }
        notes.push(
            "Cluster name: chart 0.19 writes cluster.name unquoted into nats.conf, so the value carries its own \
             quotes (a NATS config string); keep them."
                .to_owned(),
        );
        crate::model::export::server_conf::conf_string(name)
    }

    /// The server-name prefix as chart 0.19 can carry it: its StatefulSet template writes it as
    /// a bare YAML scalar (`value: {{ .Values.nats.serverNamePrefix }}$(POD_NAME)`), so only
    /// characters that are plain there and in a Kubernetes `$(VAR)` context are kept.
    pub fn server_name_prefix(prefix: &str) -> String {
        prefix
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
            .collect()
    }

    /// Shaped like a bcrypt hash, so nats-server compares with bcrypt and no password matches
    /// it until it is replaced (the placeholder is not a valid hash).
    pub fn user_placeholder(name: &str, key: &str) -> String {
        format!("$2a$11$REPLACE-WITH-BCRYPT-HASH-OF-SECRET-{name}-KEY-{key}")
    }

    /// Goes into a URL's user info, percent-encoded there.
    pub fn url_placeholder(name: &str, key: &str) -> String {
        format!("REPLACE-WITH-PASSWORD-IN-SECRET-{name}-KEY-{key}")
    }

    pub(super) fn values(cluster: &Cluster) -> (String, Vec<String>) {
        let mut notes = Vec::new();
        let mut placeholders = Vec::new();

        let leafnodes = leafnodes(cluster, &mut notes, &mut placeholders);
        let (additional_volumes, additional_volume_mounts) = remote_volumes(leafnodes.as_ref());
        let auth = auth(cluster, &mut placeholders);
        let prefix = server_name_prefix(&cluster.server_name_prefix);
        if prefix != cluster.server_name_prefix {
            notes.push(format!(
                "Server names: chart 0.19 writes nats.serverNamePrefix unquoted into its StatefulSet \
                 (value: <prefix>$(POD_NAME)), where a quote, colon or space breaks the YAML and $(...) is \
                 expanded by Kubernetes, so the prefix is written as {prefix} (characters other than letters, \
                 digits, '.', '_' and '-' become '_')."
            ));
        }
        let values = Values {
            nats: Nats {
                server_name_prefix: (!prefix.is_empty()).then_some(prefix),
                server_tags: super::gateway_values::tags_v0_19(cluster, &mut notes),
                jetstream: JetStream {
                    enabled: cluster.jetstream,
                    domain: cluster.domain().filter(|_| cluster.jetstream).map(str::to_owned),
                },
                tls: cluster
                    .tls
                    .client
                    .as_ref()
                    .and_then(|t| super::tls_values::v0_19(&t.certs, t.verify, "nats.tls", &mut notes)),
            },
            cluster: ClusterValues {
                enabled: cluster.servers > 1,
                name: cluster_name(&cluster.name, &mut notes),
                replicas: cluster.servers,
                tls: cluster
                    .tls
                    .routes
                    .as_ref()
                    .and_then(|t| super::tls_values::v0_19(&t.certs, t.verify, "cluster.tls", &mut notes)),
            },
            additional_volumes,
            additional_volume_mounts,
            leafnodes,
            auth,
            gateway: super::gateway_values::v0_19(cluster, &mut notes),
        };

        if !placeholders.is_empty() {
            let mut all =
                vec!["Secrets: chart 0.19 copies account users and remote URLs into its ConfigMap as they are and \
                 cannot read a Kubernetes secret there, so each secret below is a REPLACE-WITH-... placeholder. \
                 Replace them before installing:"
                    .to_owned()];
            all.extend(placeholders);
            all.push(
                "Instead of account passwords in these values you can keep the accounts in a file of your own \
                 and include it with nats.config or replace the whole config with nats.customConfigSecret. The \
                 account placeholders look like bcrypt hashes but are not valid ones, so no password matches \
                 them until they are replaced."
                    .to_owned(),
            );
            all.append(&mut notes);
            notes = all;
        }
        if let Some((kind, node_port)) = cluster.leafnode_listener.as_ref().and_then(exposure) {
            let port = cluster.leafnode_listener.as_ref().map_or(7422, |l| l.port);
            let target = match node_port {
                Some(p) => format!("a {kind} Service with nodePort {p}"),
                None => format!("a {kind} Service"),
            };
            notes.push(format!(
                "Exposure: chart 0.19 has no value for the Service type; reach leafnode port {port} of the pods \
                 from the public endpoint(s) {} through {target} of your own.",
                cluster.leafnode_listener.as_ref().map(|l| l.public_endpoints.join(", ")).unwrap_or_default()
            ));
        }
        (to_yaml(&values), notes)
    }

    fn leafnodes(cluster: &Cluster, notes: &mut Vec<String>, placeholders: &mut Vec<String>) -> Option<Leafnodes> {
        let listener = cluster.leafnode_listener.as_ref();
        let remotes: Vec<Remote> = cluster
            .remotes
            .iter()
            .enumerate()
            .map(|(i, remote)| {
                let at = format!("leafnodes.remotes[{i}]");
                let password = match &remote.password {
                    None => None,
                    Some(Password::Plain(p) | Password::Bcrypt(p)) => Some(p.clone()),
                    Some(Password::SecretRef { name, key }) if remote.user.is_some() => {
                        placeholders.push(format!(
                            "- {at}.url: the plain password of user {} from {} (percent-encoded; the \
                             dialing side cannot use a hash).",
                            remote.user.as_deref().unwrap_or_default(),
                            describe_secret(name, key)
                        ));
                        Some(url_placeholder(name, key))
                    }
                    Some(Password::SecretRef { .. }) => {
                        notes.push(format!("- {at}: the remote has a password but no user, so neither is sent."));
                        None
                    }
                };
                let url = remote_url(remote, password.as_deref(), notes, &at);
                let credentials = remote.credentials.as_deref().map(|path| {
                    let (name, key) = file_secret(path);
                    notes.push(file_secret_note(&format!("{at}.credentials"), path, &name, &key));
                    Credentials { secret: SecretKey { name, key } }
                });
                if let Some(path) = &remote.nkey {
                    notes.push(format!(
                        "- {at}: chart 0.19 cannot render a remote's nkey; file {path} is not configured. Use a \
                         credentials file or chart 1.x."
                    ));
                }
                let tls = remote
                    .tls
                    .as_ref()
                    .and_then(|t| super::tls_values::v0_19(&t.certs, false, &format!("{at}.tls"), notes));
                Remote { url, account: remote.local_account.clone(), credentials, tls }
            })
            .collect();
        if listener.is_none() && remotes.is_empty() {
            return None;
        }
        Some(Leafnodes {
            enabled: listener.map(|_| true),
            port: listener.map(|l| l.port),
            no_advertise: listener.map(|l| l.no_advertise),
            tls: listener
                .and_then(|l| l.tls.as_ref())
                .and_then(|t| super::tls_values::v0_19(&t.certs, t.verify, "leafnodes.tls", notes)),
            remotes,
        })
    }

    fn auth(cluster: &Cluster, placeholders: &mut Vec<String>) -> Option<Auth> {
        if cluster.accounts.is_empty() && cluster.system_account.is_none() {
            return None;
        }
        let accounts: BTreeMap<String, AccountValues> = cluster
            .accounts
            .iter()
            .map(|(name, account)| (name.clone(), account_values(name, account, placeholders)))
            .collect();
        Some(Auth {
            enabled: true,
            basic: (!accounts.is_empty()).then_some(Basic { accounts }),
            system_account: cluster.system_account.clone(),
        })
    }

    fn account_values(account_name: &str, account: &Account, placeholders: &mut Vec<String>) -> AccountValues {
        let users = account
            .users
            .iter()
            .map(|user| {
                let pass = match &user.password {
                    Password::Plain(p) | Password::Bcrypt(p) => (!p.is_empty()).then(|| p.clone()),
                    Password::SecretRef { name, key } => {
                        placeholders.push(format!(
                            "- auth.basic.accounts.{account_name} user {}: a bcrypt hash (nats server passwd) of \
                             the password in {}.",
                            user.name,
                            describe_secret(name, key)
                        ));
                        Some(user_placeholder(name, key))
                    }
                };
                UserValues { user: user.name.clone(), pass }
            })
            .collect();
        AccountValues {
            users,
            jetstream: account.jetstream.then_some("enabled"),
            exports: account.exports.iter().map(export_values).collect(),
            imports: account.imports.iter().map(import_values).collect(),
        }
    }
}

/// Chart 1.x and 2.x: `config.*` with `merge`, secrets through `container.env`.
/// The secret key chart 1.x values read remote `i`'s whole URL from (see `v1`).
pub(crate) fn v1_leaf_url_key(cluster: &Cluster, i: usize, key: &str) -> String {
    v1::leaf_url_key(cluster, i, key)
}

mod v1 {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Values {
        config: Config,
        #[serde(skip_serializing_if = "Option::is_none")]
        container: Option<Container>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pod_template: Option<PodTemplate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        service: Option<Service>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Config {
        #[serde(skip_serializing_if = "Option::is_none")]
        server_name_prefix: Option<String>,
        /// The client listener's TLS (`config.nats.tls`).
        #[serde(skip_serializing_if = "Option::is_none")]
        nats: Option<NatsValues>,
        cluster: ClusterValues,
        jetstream: JetStream,
        #[serde(skip_serializing_if = "Option::is_none")]
        leafnodes: Option<Leafnodes>,
        #[serde(skip_serializing_if = "Option::is_none")]
        gateway: Option<super::gateway_values::GatewayValues>,
        #[serde(skip_serializing_if = "Option::is_none")]
        merge: Option<ConfigMerge>,
    }

    #[derive(Serialize)]
    struct ClusterValues {
        enabled: bool,
        replicas: u8,
        /// Always set: the default is the release name, the same on every cluster, and a hub
        /// drops a leafnode whose cluster name equals its own.
        merge: NameMerge,
        #[serde(skip_serializing_if = "Option::is_none")]
        tls: Option<super::tls_values::TlsValues>,
    }

    #[derive(Serialize)]
    struct NatsValues {
        tls: super::tls_values::TlsValues,
    }

    #[derive(Serialize)]
    struct NameMerge {
        name: String,
    }

    #[derive(Serialize)]
    struct JetStream {
        enabled: bool,
        /// No first-class key: the maintainers point at `merge` (nats-io/k8s PR #874).
        #[serde(skip_serializing_if = "Option::is_none")]
        merge: Option<DomainMerge>,
    }

    #[derive(Serialize)]
    struct DomainMerge {
        domain: String,
    }

    #[derive(Serialize)]
    struct Leafnodes {
        enabled: bool,
        port: u16,
        /// Only to turn advertising back on: the chart always renders `no_advertise: true`.
        #[serde(skip_serializing_if = "Option::is_none")]
        merge: Option<AdvertiseMerge>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tls: Option<super::tls_values::TlsValues>,
    }

    #[derive(Serialize)]
    struct AdvertiseMerge {
        no_advertise: bool,
    }

    #[derive(Serialize)]
    struct ConfigMerge {
        #[serde(skip_serializing_if = "Option::is_none")]
        system_account: Option<String>,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        accounts: BTreeMap<String, AccountValues>,
        /// Remotes without a listener: `config.leafnodes.enabled` would also open port 7422.
        #[serde(skip_serializing_if = "Option::is_none")]
        leafnodes: Option<RemotesMerge>,
        /// No first-class key in the chart.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        server_tags: Vec<String>,
    }

    #[derive(Serialize)]
    struct AccountValues {
        #[serde(skip_serializing_if = "Option::is_none")]
        jetstream: Option<&'static str>,
        users: Vec<UserValues>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        exports: Vec<ExportValues>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        imports: Vec<ImportValues>,
    }

    #[derive(Serialize)]
    struct UserValues {
        user: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        password: Option<String>,
    }

    #[derive(Serialize)]
    struct RemotesMerge {
        remotes: Vec<Remote>,
    }

    #[derive(Serialize)]
    struct Remote {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        credentials: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        nkey: Option<String>,
        /// The remote's own `tls {}` block (remotes do not take the listener's).
        #[serde(skip_serializing_if = "Option::is_none")]
        tls: Option<RemoteTls>,
    }

    #[derive(Serialize)]
    struct RemoteTls {
        #[serde(skip_serializing_if = "Option::is_none")]
        cert_file: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        key_file: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        ca_file: Option<String>,
    }

    #[derive(Serialize)]
    struct Container {
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        env: BTreeMap<String, EnvVar>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        patch: Vec<JsonPatch<VolumeMount>>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct EnvVar {
        value_from: ValueFrom,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ValueFrom {
        secret_key_ref: SecretKey,
    }

    #[derive(Serialize)]
    struct SecretKey {
        name: String,
        key: String,
    }

    /// One JSON Patch operation, as the chart's `patch` lists take them.
    #[derive(Serialize)]
    struct JsonPatch<T> {
        op: &'static str,
        path: &'static str,
        value: T,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct VolumeMount {
        name: String,
        mount_path: String,
        read_only: bool,
    }

    #[derive(Serialize)]
    struct PodTemplate {
        patch: Vec<JsonPatch<Volume>>,
    }

    #[derive(Serialize)]
    struct Volume {
        name: String,
        secret: SecretVolume,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct SecretVolume {
        secret_name: String,
    }

    #[derive(Serialize)]
    struct Service {
        merge: ServiceMerge,
        #[serde(skip_serializing_if = "Option::is_none")]
        ports: Option<ServicePorts>,
    }

    #[derive(Serialize)]
    struct ServiceMerge {
        spec: ServiceSpec,
    }

    #[derive(Serialize)]
    struct ServiceSpec {
        #[serde(rename = "type")]
        kind: &'static str,
    }

    /// `service.ports.<protocol>` are Kubernetes ServicePort fields merged into the port.
    #[derive(Serialize)]
    struct ServicePorts {
        leafnodes: NodePort,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct NodePort {
        node_port: u16,
    }

    /// Environment variables named from secrets, unique, never shadowing the chart's own.
    struct Env {
        vars: BTreeMap<String, EnvVar>,
        by_secret: BTreeMap<(String, String), String>,
    }

    impl Env {
        fn new() -> Self {
            Self { vars: BTreeMap::new(), by_secret: BTreeMap::new() }
        }

        /// The variable reading `key` of secret `name`, made on first use.
        fn var(&mut self, wanted: &str, name: &str, key: &str) -> String {
            if let Some(var) = self.by_secret.get(&(name.to_owned(), key.to_owned())) {
                return var.clone();
            }
            let base = env_name(wanted);
            let mut var = base.clone();
            let mut n = 1;
            while self.vars.contains_key(&var) || ["POD_NAME", "SERVER_NAME", "GOMEMLIMIT"].contains(&var.as_str()) {
                n += 1;
                var = format!("{base}_{n}");
            }
            let secret_key_ref = SecretKey { name: name.to_owned(), key: key.to_owned() };
            self.vars.insert(var.clone(), EnvVar { value_from: ValueFrom { secret_key_ref } });
            self.by_secret.insert((name.to_owned(), key.to_owned()), var.clone());
            var
        }
    }

    /// An environment variable name that is also a NATS config variable: `[A-Z0-9_]`, not
    /// starting with a digit.
    fn env_name(text: &str) -> String {
        let name: String =
            text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
        if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            name
        } else {
            format!("S_{name}")
        }
    }

    /// A whole-value NATS variable: the chart writes `<< ... >>` unquoted.
    fn variable(var: &str) -> String {
        format!("<< ${var} >>")
    }

    pub(super) fn values(cluster: &Cluster) -> (String, Vec<String>) {
        let mut notes = Vec::new();
        let mut secret_notes = Vec::new();
        let mut env = Env::new();

        let accounts: BTreeMap<String, AccountValues> = cluster
            .accounts
            .iter()
            .map(|(name, account)| (name.clone(), account_values(name, account, &mut env, &mut secret_notes)))
            .collect();
        let mut mounts = Mounts::default();
        let remotes: Vec<Remote> = cluster
            .remotes
            .iter()
            .enumerate()
            .map(|(i, remote)| self::remote(cluster, i, remote, &mut env, &mut mounts, &mut secret_notes, &mut notes))
            .collect();

        let listener = cluster.leafnode_listener.as_ref();
        let merge = ConfigMerge {
            system_account: cluster.system_account.clone(),
            accounts,
            leafnodes: (!remotes.is_empty()).then_some(RemotesMerge { remotes }),
            server_tags: cluster.server_tags.clone(),
        };
        let has_merge = merge.system_account.is_some()
            || !merge.accounts.is_empty()
            || merge.leafnodes.is_some()
            || !merge.server_tags.is_empty();
        let config = Config {
            server_name_prefix: {
                let prefix = v0_19::server_name_prefix(&cluster.server_name_prefix);
                if prefix != cluster.server_name_prefix {
                    notes.push(format!(
                        "Server names: the chart passes <prefix>$(POD_NAME) to nats-server as $SERVER_NAME, and \
                         nats-server reads a variable from the environment as a config value, where a quote, \
                         space or other special character breaks it; the prefix is written as {prefix}."
                    ));
                }
                (!prefix.is_empty()).then_some(prefix)
            },
            nats: cluster.tls.client.as_ref().map(|t| NatsValues { tls: super::tls_values::v1(t) }),
            cluster: ClusterValues {
                enabled: cluster.servers > 1,
                replicas: cluster.servers,
                merge: NameMerge { name: super::cluster_name(&cluster.name, &mut notes) },
                tls: cluster.tls.routes.as_ref().map(super::tls_values::v1),
            },
            jetstream: JetStream {
                enabled: cluster.jetstream,
                merge: cluster.domain().filter(|_| cluster.jetstream).map(|d| DomainMerge { domain: d.to_owned() }),
            },
            leafnodes: listener.map(|l| Leafnodes {
                enabled: true,
                port: l.port,
                merge: (!l.no_advertise).then_some(AdvertiseMerge { no_advertise: false }),
                tls: l.tls.as_ref().map(super::tls_values::v1),
            }),
            gateway: super::gateway_values::v1(cluster, &mut notes, &mut |at, tls, notes| {
                serde_json::to_value(dial_tls(tls, at, &mut mounts, notes)).unwrap_or_default()
            }),
            merge: has_merge.then_some(merge),
        };

        let service = listener.and_then(|l| {
            let (kind, node_port) = exposure(l)?;
            notes.push(match node_port {
                Some(p) => format!(
                    "Exposure: the Service is a NodePort and its leafnode port is pinned to nodePort {p}, the port \
                     of the public endpoint(s) {}.",
                    l.public_endpoints.join(", ")
                ),
                None => format!(
                    "Exposure: no public endpoint port is in the NodePort range, so the Service is a LoadBalancer; \
                     it must forward the public endpoint(s) {} to leafnode port {}.",
                    l.public_endpoints.join(", "),
                    l.port
                ),
            });
            Some(Service {
                merge: ServiceMerge { spec: ServiceSpec { kind } },
                ports: node_port.map(|node_port| ServicePorts { leafnodes: NodePort { node_port } }),
            })
        });

        if !secret_notes.is_empty() {
            let mut all = vec![
                "Secrets come from Kubernetes through container.env; the chart writes \"<< $VAR >>\" unquoted, so \
                 nats-server reads the variable from the environment (whole values only):"
                    .to_owned(),
            ];
            all.append(&mut secret_notes);
            all.append(&mut notes);
            notes = all;
        }
        let Mounts { container_patch, pod_patch, .. } = mounts;
        let container = (!env.vars.is_empty() || !container_patch.is_empty())
            .then_some(Container { env: env.vars, patch: container_patch });
        let values = Values {
            config,
            container,
            pod_template: (!pod_patch.is_empty()).then_some(PodTemplate { patch: pod_patch }),
            service,
        };
        (to_yaml(&values), notes)
    }

    fn account_values(
        account_name: &str,
        account: &Account,
        env: &mut Env,
        secret_notes: &mut Vec<String>,
    ) -> AccountValues {
        let users = account
            .users
            .iter()
            .map(|user| {
                let password = match &user.password {
                    Password::Plain(p) | Password::Bcrypt(p) => (!p.is_empty()).then(|| p.clone()),
                    Password::SecretRef { name, key } => {
                        let known = env.by_secret.contains_key(&(name.clone(), key.clone()));
                        let var = env.var(&format!("{name}_{key}"), name, key);
                        if !known {
                            secret_notes.push(format!(
                                "- {var}: the password of user {} of account {account_name}, in {}.",
                                user.name,
                                describe_secret(name, key)
                            ));
                        }
                        Some(variable(&var))
                    }
                };
                UserValues { user: user.name.clone(), password }
            })
            .collect();
        AccountValues {
            jetstream: account.jetstream.then_some("enabled"),
            users,
            exports: account.exports.iter().map(export_values).collect(),
            imports: account.imports.iter().map(import_values).collect(),
        }
    }

    /// Secret volumes for credentials and nkey files: mounted into the nats container with a
    /// JSON patch, as nats-io/k8s#565 shows.
    #[derive(Default)]
    struct Mounts {
        container_patch: Vec<JsonPatch<VolumeMount>>,
        pod_patch: Vec<JsonPatch<Volume>>,
        secrets: BTreeSet<String>,
    }

    impl Mounts {
        /// The path the file has in the container.
        fn mount(&mut self, name: &str, key: &str) -> String {
            if self.secrets.insert(name.to_owned()) {
                let volume = format!("leafnode-creds-{}", self.secrets.len());
                self.container_patch.push(JsonPatch {
                    op: "add",
                    path: "/volumeMounts/-",
                    value: VolumeMount {
                        name: volume.clone(),
                        mount_path: format!("{CREDS_DIR}/{name}"),
                        read_only: true,
                    },
                });
                self.pod_patch.push(JsonPatch {
                    op: "add",
                    path: "/spec/volumes/-",
                    value: Volume { name: volume, secret: SecretVolume { secret_name: name.to_owned() } },
                });
            }
            format!("{CREDS_DIR}/{name}/{key}")
        }
    }

    fn remote(
        cluster: &Cluster,
        i: usize,
        remote: &LeafnodeRemote,
        env: &mut Env,
        mounts: &mut Mounts,
        secret_notes: &mut Vec<String>,
        notes: &mut Vec<String>,
    ) -> Remote {
        let at = format!("config.merge.leafnodes.remotes[{i}]");
        let url = match (&remote.password, &remote.user) {
            (Some(Password::SecretRef { name, key }), Some(user)) => {
                // A password inside a URL is part of a value, and the chart substitutes whole
                // values only: the whole URL comes from the secret.
                let url_key = leaf_url_key(cluster, i, key);
                let wanted = match &remote.local_account {
                    Some(account) => format!("LEAF_URL_{account}"),
                    None => format!("LEAF_URL_{i}"),
                };
                let var = env.var(&wanted, name, &url_key);
                let shape = url_with_user(&remote.url, user, Some("PASSWORD"))
                    .map(|u| u.replacen(":PASSWORD@", ":<password>@", 1))
                    .unwrap_or_else(|| remote.url.clone());
                secret_notes.push(format!(
                    "- {var} ({at}.url): {} must hold the whole URL {shape}, where <password> is the password in {}, \
                     percent-encoded.",
                    describe_secret(name, &url_key),
                    describe_secret(name, key)
                ));
                variable(&var)
            }
            (Some(Password::Plain(p) | Password::Bcrypt(p)), _) => remote_url(remote, Some(p), notes, &at),
            _ => remote_url(remote, None, notes, &at),
        };
        let mut file = |field: &str, path: &String| {
            let (name, key) = file_secret(path);
            notes.push(file_secret_note(&format!("{at}.{field}"), path, &name, &key));
            mounts.mount(&name, &key)
        };
        let credentials = remote.credentials.as_ref().map(|p| file("credentials", p));
        let nkey = remote.nkey.as_ref().map(|p| file("nkey", p));
        let tls = remote.tls.as_ref().map(|tls| dial_tls(tls, &format!("{at}.tls"), mounts, notes));
        Remote { url, account: remote.local_account.clone(), credentials, nkey, tls }
    }

    /// A dial's `tls {}` block (a remote's, a gateway peer's) as conf entries for a `merge`: a
    /// path is mounted from a secret as the credentials are; a certificate secret's files are
    /// mounted from that secret.
    fn dial_tls(tls: &crate::model::tls::TlsDial, at: &str, mounts: &mut Mounts, notes: &mut Vec<String>) -> RemoteTls {
        let secret = tls.certs.secret.clone().filter(|s| !s.trim().is_empty());
        let mut pick = |field: &str, path: &Option<String>, in_secret: &str| match (
            path.as_ref().filter(|p| !p.trim().is_empty()),
            &secret,
        ) {
            (Some(path), _) => {
                let (name, key) = file_secret(path);
                notes.push(file_secret_note(&format!("{at}.{field}"), path, &name, &key));
                Some(mounts.mount(&name, &key))
            }
            (None, Some(name)) => Some(mounts.mount(name, in_secret)),
            (None, None) => None,
        };
        RemoteTls {
            cert_file: pick("cert_file", &tls.certs.cert_file, "tls.crt"),
            key_file: pick("key_file", &tls.certs.key_file, "tls.key"),
            ca_file: pick("ca_file", &tls.certs.ca_file, "ca.crt"),
        }
    }

    /// The secret key that holds remote `i`'s whole URL, its password being in `key`:
    /// `<key>-leaf-url`, or `<key>-leaf-url-<i>` when an earlier remote of the cluster has that.
    pub(crate) fn leaf_url_key(cluster: &Cluster, i: usize, key: &str) -> String {
        let taken = |k: &str| cluster.remotes.iter().take(i).any(|r| url_key(r).as_deref() == Some(k));
        let url_key = format!("{key}-leaf-url");
        if taken(&url_key) {
            format!("{key}-leaf-url-{i}")
        } else {
            url_key
        }
    }

    /// The secret key an earlier remote's whole URL was given (first choice only; a rare clash
    /// falls back to the remote's index).
    fn url_key(remote: &LeafnodeRemote) -> Option<String> {
        match (&remote.password, &remote.user) {
            (Some(Password::SecretRef { key, .. }), Some(_)) => Some(format!("{key}-leaf-url")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::{guide_corrected, hostile_names};
    use crate::model::{ClusterId, User};
    use serde_yaml::Value;

    /// The values files of a design, parsed, by cluster name (checks the header on the way).
    fn values(design: &Design, chart: Chart) -> Vec<(String, Value)> {
        let files = render(design, chart);
        assert_eq!(files.len(), design.clusters().count(), "one file per cluster");
        design
            .clusters()
            .zip(files)
            .map(|((_, cluster), file)| {
                assert!(file.contents.starts_with("# Helm values for cluster "), "{}", file.contents);
                let value = serde_yaml::from_str(&file.contents)
                    .unwrap_or_else(|e| panic!("{} is not valid YAML ({e}):\n{}", file.path, file.contents));
                (cluster.name.clone(), value)
            })
            .collect()
    }

    /// The value at a dotted path (`a.b.0.c`); `Null` when absent.
    fn at<'v>(value: &'v Value, path: &str) -> &'v Value {
        path.split('.').fold(value, |v, step| match step.parse::<usize>() {
            Ok(i) if v.is_sequence() => &v[i],
            _ => &v[step],
        })
    }

    fn text(value: &Value, path: &str) -> String {
        at(value, path).as_str().unwrap_or_else(|| panic!("{path} is a string in {value:?}")).to_owned()
    }

    fn keys(value: &Value, path: &str) -> Vec<String> {
        at(value, path)
            .as_mapping()
            .unwrap_or_else(|| panic!("{path} is a map"))
            .keys()
            .map(|k| k.as_str().expect("string keys").to_owned())
            .collect()
    }

    fn cluster_id(design: &Design, name: &str) -> ClusterId {
        design.clusters().find(|(_, c)| c.name == name).map(|(id, _)| id).expect("cluster exists")
    }

    #[test]
    fn chart_0_19_values_keep_the_guides_names_domains_accounts_and_remotes_with_its_errors_fixed() {
        let all = values(&guide_corrected(), Chart::V0_19);
        let names: Vec<_> = all.iter().map(|(n, v)| (n.as_str(), text(v, "cluster.name"))).collect();
        assert_eq!(
            names,
            [("headquarter", "headquarter".into()), ("spoke-1", "spoke-1".into()), ("spoke-2", "spoke-2".into())]
        );
        let domains: Vec<_> = all.iter().map(|(_, v)| text(v, "nats.jetstream.domain")).collect();
        assert_eq!(domains, ["hub", "cinema-a", "cinema-b"]);

        let hub = &all[0].1;
        assert_eq!(at(hub, "leafnodes.enabled"), &Value::Bool(true));
        assert_eq!(at(hub, "leafnodes.port").as_u64(), Some(7422));
        assert_eq!(at(hub, "leafnodes.noAdvertise"), &Value::Bool(true), "camelCase, which the chart reads");
        assert!(at(hub, "leafnodes.no_advertise").is_null(), "the guide's key is ignored by the chart");
        assert!(at(hub, "leafnodes.remotes").is_null());

        for (_, v) in &all {
            assert_eq!(at(v, "nats.jetstream.enabled"), &Value::Bool(true));
            assert_eq!(at(v, "cluster.enabled"), &Value::Bool(true));
            assert_eq!(at(v, "cluster.replicas").as_u64(), Some(3));
            assert_eq!(at(v, "auth.enabled"), &Value::Bool(true));
            assert_eq!(text(v, "auth.systemAccount"), "SYS", "spokes declare their system account too");
            assert_eq!(keys(v, "auth.basic.accounts"), ["ACC", "SYS"]);
            assert_eq!(text(v, "auth.basic.accounts.ACC.jetstream"), "enabled");
            assert!(at(v, "auth.basic.accounts.SYS.jetstream").is_null());
            assert_eq!(text(v, "auth.basic.accounts.ACC.users.0.user"), "acc");
            assert_eq!(text(v, "auth.basic.accounts.SYS.users.0.user"), "sys");
        }
        for (_, spoke) in &all[1..] {
            assert!(at(spoke, "leafnodes.enabled").is_null(), "spokes dial out without listening");
            for (i, (user, account)) in [("acc", "ACC"), ("sys", "SYS")].into_iter().enumerate() {
                let url = text(spoke, &format!("leafnodes.remotes.{i}.url"));
                assert!(url.starts_with(&format!("nats://{user}:")), "{url}");
                assert!(url.ends_with("@headquarter.nats.public.address.com:30742"), "{url}");
                assert_eq!(text(spoke, &format!("leafnodes.remotes.{i}.account")), account);
            }
        }
    }

    #[test]
    fn chart_1_values_keep_the_guides_names_domains_accounts_and_remotes_with_its_errors_fixed() {
        let all = values(&guide_corrected(), Chart::V1);
        let names: Vec<_> = all.iter().map(|(_, v)| text(v, "config.cluster.merge.name")).collect();
        assert_eq!(names, ["headquarter", "spoke-1", "spoke-2"], "always set: the default is the release name");
        let domains: Vec<_> = all.iter().map(|(_, v)| text(v, "config.jetstream.merge.domain")).collect();
        assert_eq!(domains, ["hub", "cinema-a", "cinema-b"]);

        let hub = &all[0].1;
        assert_eq!(at(hub, "config.leafnodes.enabled"), &Value::Bool(true));
        assert_eq!(at(hub, "config.leafnodes.port").as_u64(), Some(7422));
        assert!(at(hub, "config.leafnodes.merge").is_null(), "the chart renders no_advertise: true itself");
        assert_eq!(text(hub, "service.merge.spec.type"), "NodePort");
        assert_eq!(at(hub, "service.ports.leafnodes.nodePort").as_u64(), Some(30742));

        for (_, v) in &all {
            assert_eq!(at(v, "config.jetstream.enabled"), &Value::Bool(true));
            assert_eq!(at(v, "config.cluster.enabled"), &Value::Bool(true));
            assert_eq!(at(v, "config.cluster.replicas").as_u64(), Some(3));
            assert_eq!(text(v, "config.merge.system_account"), "SYS", "spokes declare their system account too");
            assert_eq!(keys(v, "config.merge.accounts"), ["ACC", "SYS"]);
            assert_eq!(text(v, "config.merge.accounts.ACC.jetstream"), "enabled");
            let var = text(v, "config.merge.accounts.SYS.users.0.password");
            assert_eq!(var, "<< $NATS_PASSWORDS_SYS >>");
            assert_eq!(text(v, "container.env.NATS_PASSWORDS_SYS.valueFrom.secretKeyRef.name"), "nats-passwords");
            assert_eq!(text(v, "container.env.NATS_PASSWORDS_SYS.valueFrom.secretKeyRef.key"), "sys");
        }
        for (_, spoke) in &all[1..] {
            assert!(at(spoke, "config.leafnodes").is_null(), "no listener on spokes");
            assert!(at(spoke, "service").is_null());
            for (i, account) in ["ACC", "SYS"].into_iter().enumerate() {
                let url = text(spoke, &format!("config.merge.leafnodes.remotes.{i}.url"));
                assert_eq!(url, format!("<< $LEAF_URL_{account} >>"), "the whole URL comes from a secret");
                assert_eq!(text(spoke, &format!("config.merge.leafnodes.remotes.{i}.account")), account);
                let key = text(spoke, &format!("container.env.LEAF_URL_{account}.valueFrom.secretKeyRef.key"));
                assert_eq!(key, format!("{}-leaf-url", account.to_lowercase()));
            }
        }
    }

    #[test]
    fn every_cluster_gets_its_own_server_name_prefix() {
        for (chart, path) in [(Chart::V0_19, "nats.serverNamePrefix"), (Chart::V1, "config.serverNamePrefix")] {
            let prefixes: Vec<_> = values(&guide_corrected(), chart).iter().map(|(_, v)| text(v, path)).collect();
            assert_eq!(prefixes, ["hq-", "s1-", "s2-"], "{chart:?}");
        }
    }

    #[test]
    fn secrets_of_the_example_never_appear_as_plain_passwords() {
        for chart in [Chart::V0_19, Chart::V1] {
            for file in render(&guide_corrected(), chart) {
                for line in file.contents.lines().filter(|l| !l.starts_with('#')) {
                    for secret in ["pass: acc", "pass: sys", "password: acc", "password: sys", ":acc@", ":sys@"] {
                        assert!(!line.contains(secret), "{} has a plain password: {line}", file.path);
                    }
                    if let Some(pass) = line.trim().strip_prefix("pass: ") {
                        assert!(pass.starts_with("$2a$11$REPLACE-WITH-BCRYPT-HASH-OF-SECRET-"), "{line}");
                    }
                    if let Some(password) = line.trim().strip_prefix("password: ") {
                        assert!(password.starts_with("<< $"), "{line}");
                    }
                }
            }
        }
    }

    /// The example's spoke-1 with its passwords replaced.
    fn with_passwords(user: Password, remote: Password) -> Design {
        let mut d = guide_corrected();
        let spoke = d.cluster_mut(cluster_id(&d, "spoke-1")).expect("spoke-1");
        for account in spoke.accounts.values_mut() {
            for u in &mut account.users {
                u.password = user.clone();
            }
        }
        for r in &mut spoke.remotes {
            r.password = Some(remote.clone());
        }
        d
    }

    #[test]
    fn plain_passwords_are_written_as_the_design_says_and_percent_encoded_in_urls() {
        let d = with_passwords(Password::Plain("p@ss:w/rd".into()), Password::Plain("p@ss:w/rd".into()));
        for (chart, pass, url) in [
            (Chart::V0_19, "auth.basic.accounts.ACC.users.0.pass", "leafnodes.remotes.0.url"),
            (Chart::V1, "config.merge.accounts.ACC.users.0.password", "config.merge.leafnodes.remotes.0.url"),
        ] {
            let spoke = &values(&d, chart)[1].1;
            assert_eq!(text(spoke, pass), "p@ss:w/rd");
            assert_eq!(text(spoke, url), "nats://acc:p%40ss%3Aw%2Frd@headquarter.nats.public.address.com:30742");
            assert!(at(spoke, "container").is_null(), "no secrets, no environment");
        }
    }

    #[test]
    fn bcrypt_hashes_are_written_on_the_accepting_side() {
        let hash = "$2a$11$abcdefghijklmnopqrstuuPQRSTUVWXYZabcdefghijklmnopqrstu";
        let d = with_passwords(Password::Bcrypt(hash.into()), Password::Plain("secret".into()));
        assert_eq!(text(&values(&d, Chart::V0_19)[1].1, "auth.basic.accounts.SYS.users.0.pass"), hash);
        assert_eq!(text(&values(&d, Chart::V1)[1].1, "config.merge.accounts.SYS.users.0.password"), hash);
    }

    #[test]
    fn chart_0_19_placeholders_name_the_secret_and_are_explained_in_a_comment() {
        let files = render(&guide_corrected(), Chart::V0_19);
        let spoke = &files[1].contents;
        assert!(spoke.contains("REPLACE-WITH-PASSWORD-IN-SECRET-nats-passwords-KEY-acc@"), "{spoke}");
        assert!(spoke.contains("# - leafnodes.remotes[0].url: the plain password of user acc"), "{spoke}");
        assert!(spoke.contains("nats.customConfigSecret"), "{spoke}");
        let hub = &files[0].contents;
        assert!(hub.contains("nodePort 30742"), "the NodePort is commented: {hub}");
    }

    #[test]
    fn hostile_names_round_trip_through_the_yaml_of_both_charts() {
        let mut d = hostile_names();
        // Names YAML 1.1 or YAML syntax could misread, on top of the example's hostile ones.
        let odd = ["x\ny", "no", "a: b", "- c", "<<", "1_000", "'q' \"dq\" \\", "#not a comment", " lead"];
        let hub = cluster_id(&d, d.clusters().next().map(|(_, c)| c.name.clone()).as_deref().expect("a hub"));
        let mut extra = Cluster::new("y", crate::model::Role::Standalone);
        extra.domain = "no".into();
        extra.server_name_prefix = "on".into();
        for name in odd {
            extra.accounts.insert(
                name.into(),
                Account::new(true, vec![User { name: name.into(), password: Password::Plain(name.into()) }]),
            );
        }
        extra.system_account = Some("NO".into());
        extra.remotes.push(LeafnodeRemote {
            target: Some(hub),
            url: "nats://hq:7422".into(),
            local_account: Some("x\ny".into()),
            user: Some("$(rm -rf ~)".into()),
            password: Some(Password::SecretRef { name: "<script>".into(), key: "\"; drop".into() }),
            ..LeafnodeRemote::default()
        });
        for name in odd {
            let mut c = extra.clone();
            c.name = name.into();
            d.add_cluster(c);
        }
        d.add_cluster(extra);

        for chart in [Chart::V0_19, Chart::V1] {
            let (name_path, domain_path, prefix_path, accounts_path, system_path, account_path) = match chart {
                Chart::V0_19 => (
                    "cluster.name",
                    "nats.jetstream.domain",
                    "nats.serverNamePrefix",
                    "auth.basic.accounts",
                    "auth.systemAccount",
                    "leafnodes.remotes.0.account",
                ),
                Chart::V1 => (
                    "config.cluster.merge.name",
                    "config.jetstream.merge.domain",
                    "config.serverNamePrefix",
                    "config.merge.accounts",
                    "config.merge.system_account",
                    "config.merge.leafnodes.remotes.0.account",
                ),
            };
            for ((_, cluster), (_, v)) in d.clusters().zip(values(&d, chart)) {
                // Chart 0.19 writes the cluster name bare into nats.conf: it carries its conf quotes.
                let name = match chart {
                    Chart::V0_19 => v0_19::cluster_name(&cluster.name, &mut Vec::new()),
                    Chart::V1 => cluster_name(&cluster.name, &mut Vec::new()),
                };
                assert_eq!(text(&v, name_path), name, "{chart:?}");
                if let Some(domain) = cluster.domain() {
                    assert_eq!(text(&v, domain_path), domain, "{chart:?}");
                }
                // Both charts hand the prefix to nats-server through $SERVER_NAME, where only plain
                // characters survive.
                assert_eq!(text(&v, prefix_path), v0_19::server_name_prefix(&cluster.server_name_prefix), "{chart:?}");
                let mut accounts = keys(&v, accounts_path);
                accounts.sort();
                assert_eq!(accounts, cluster.accounts.keys().cloned().collect::<Vec<_>>(), "{chart:?}");
                assert_eq!(at(&v, system_path).as_str(), cluster.system_account.as_deref());
                if let Some(account) = cluster.remotes.first().and_then(|r| r.local_account.as_deref()) {
                    assert_eq!(text(&v, account_path), account, "{chart:?}");
                }
            }
            let user_path = match chart {
                Chart::V0_19 => "auth.basic.accounts.<<.users.0.user",
                Chart::V1 => "config.merge.accounts.<<.users.0.user",
            };
            let last = values(&d, chart).pop().expect("the extra cluster").1;
            assert_eq!(text(&last, user_path), "<<");
        }
    }

    #[test]
    fn words_helm_reads_as_booleans_or_numbers_are_quoted() {
        let mut d = Design::new("norway");
        let mut c = Cluster::new("no", crate::model::Role::Standalone);
        c.domain = "no".into();
        c.server_name_prefix = "1_0".into();
        let user = User { name: "y".into(), password: Password::Plain("no".into()) };
        c.accounts.insert("on".into(), Account::new(false, vec![user]));
        d.add_cluster(c);
        for chart in [Chart::V0_19, Chart::V1] {
            let contents = &render(&d, chart)[0].contents;
            assert!(contents.contains("name: 'no'"), "{contents}");
            assert!(contents.contains("domain: 'no'"), "{contents}");
            assert!(contents.contains("serverNamePrefix: '1_0'"), "{contents}");
            assert!(contents.contains("'on':"), "{contents}");
            assert!(contents.contains("- user: 'y'"), "{contents}");
            assert!(contents.contains("pass: 'no'") || contents.contains("password: 'no'"), "{contents}");
            assert!(contents.contains("enabled: true"), "real booleans stay booleans: {contents}");
        }
    }

    #[test]
    fn helm_safe_leaves_literal_blocks_and_quoted_text_alone() {
        let yaml = "a: |-\n  no\n  b: yes\nc: 'x: no'\nd:\n- no\n- true\n- 3\n";
        assert_eq!(helm_safe(yaml), "a: |-\n  no\n  b: yes\nc: 'x: no'\nd:\n- 'no'\n- true\n- 3\n");
        // A complex key (a name with a newline) and a block inside a sequence entry.
        let yaml = "? |-\n  x\n  y\n: users:\n  - user: |-\n      no\n    pass: no\n  - |-\n    on\n  - on\n";
        let safe = "? |-\n  x\n  y\n: users:\n  - user: |-\n      no\n    pass: 'no'\n  - |-\n    on\n  - 'on'\n";
        assert_eq!(helm_safe(yaml), safe);
    }

    #[test]
    fn clusters_whose_names_give_the_same_file_stem_get_distinct_paths() {
        let mut d = Design::new("twins");
        for name in ["a b", "a/b", "A_b", "a_b-2"] {
            d.add_cluster(Cluster::new(name, crate::model::Role::Standalone));
        }
        let paths: Vec<_> = render(&d, Chart::V1).into_iter().map(|f| f.path).collect();
        assert_eq!(
            paths,
            ["helm/values-a_b.yaml", "helm/values-a_b-2.yaml", "helm/values-A_b-3.yaml", "helm/values-a_b-2-2.yaml"]
        );
    }

    #[test]
    fn the_same_design_gives_byte_identical_values() {
        for chart in [Chart::V0_19, Chart::V1] {
            assert_eq!(render(&hostile_names(), chart), render(&hostile_names(), chart));
        }
    }

    #[test]
    fn credentials_files_come_from_kubernetes_secrets() {
        let mut d = guide_corrected();
        let spoke = d.cluster_mut(cluster_id(&d, "spoke-1")).expect("spoke-1");
        spoke.remotes[0].credentials = Some("/etc/nats-creds/leaf/acc.creds".into());
        spoke.remotes[0].user = None;
        spoke.remotes[0].password = None;

        let v0 = &values(&d, Chart::V0_19)[1].1;
        assert_eq!(text(v0, "leafnodes.remotes.0.credentials.secret.name"), "leaf");
        assert_eq!(text(v0, "leafnodes.remotes.0.credentials.secret.key"), "acc.creds");
        assert_eq!(text(v0, "leafnodes.remotes.0.url"), "nats://headquarter.nats.public.address.com:30742");

        let v1 = &values(&d, Chart::V1)[1].1;
        assert_eq!(text(v1, "config.merge.leafnodes.remotes.0.credentials"), "/etc/nats-creds/leaf/acc.creds");
        assert_eq!(text(v1, "container.patch.0.value.mountPath"), "/etc/nats-creds/leaf");
        assert_eq!(text(v1, "podTemplate.patch.0.value.secret.secretName"), "leaf");
        assert_eq!(text(v1, "container.patch.0.value.name"), text(v1, "podTemplate.patch.0.value.name"));
    }
}
