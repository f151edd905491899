//! nats-server.conf files, read into clusters: the servers of one cluster are the confs that
//! share a cluster name (`cluster { name }`), counted.
//!
//! Read: `server_name`, `cluster { name, routes }`, `jetstream { domain }`,
//! `leafnodes { listen | port, no_advertise, remotes [ { url | urls, account, credentials } ] }`,
//! `accounts { NAME: { jetstream, users [ { user, password } ] } }`, `system_account`, and
//! `tls { cert_file, key_file, ca_file, verify }` at the top level (client), in `cluster`,
//! `leafnodes`, each remote, `gateway` and each gateway peer. A `tls {}` block at the `leafnodes`
//! level of a conf with remotes and no listener raises `tls-block-placement`.
//! Variables the file leaves to the environment (`$NATS_PASSWORDS_ACC`) are secrets: the header
//! that `export::server_conf` writes says which secret and key each one holds, and is read back.

use super::conf_syntax::{get, ConfValue, Entry};
use super::lines::KeyLines;
use super::{file_stem, password, split_url, Place, ReadCluster};
use crate::model::tls::{secret_dir, TlsCerts, TlsDial, TlsListener};
use crate::model::validate::Rule;
use crate::model::{
    Account, Cluster, Export, Import, LeafnodeListener, LeafnodeRemote, LocalSubject, NatsVersion, Password,
    ResponseType, Role, ShareKind, User,
};
use std::collections::BTreeMap;

/// Top-level options of nats-server: a file using one is a server configuration.
const OPTIONS: [&str; 30] = [
    "server_name",
    "listen",
    "port",
    "host",
    "jetstream",
    "cluster",
    "leafnodes",
    "accounts",
    "system_account",
    "authorization",
    "http",
    "http_port",
    "monitor_port",
    "gateway",
    "websocket",
    "mqtt",
    "debug",
    "trace",
    "logfile",
    "log_file",
    "pid_file",
    "max_payload",
    "server_tags",
    "operator",
    "resolver",
    "no_auth_user",
    "tls",
    "store_dir",
    "lame_duck_duration",
    "write_deadline",
];

/// Whether parsed entries are a server configuration (or a fragment one includes).
pub(super) fn recognize(entries: &[Entry]) -> bool {
    !entries.is_empty()
        && entries.iter().any(|e| match e {
            Entry::Pair { key, .. } => OPTIONS.contains(&key.to_ascii_lowercase().as_str()),
            Entry::Include { .. } => true,
        })
}

/// What a variable of the conf stands for, as the export's header says.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Meaning {
    Password { secret: String, key: String },
    RemoteUrl { url: String, user: String, secret: String, key: String },
}

/// What the header comment of an exported conf says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Header {
    cluster: Option<String>,
    version: Option<NatsVersion>,
    variables: BTreeMap<String, Meaning>,
}

/// `<password in secret S, key K>` → (S, K).
fn secret_of(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix("secret ")?;
    let (secret, key) = rest.rsplit_once(", key ")?;
    Some((secret.to_owned(), key.to_owned()))
}

/// Reads the leading comment block of a conf.
pub(super) fn header(text: &str) -> Header {
    let mut header = Header::default();
    for line in text.lines().map_while(|l| l.strip_prefix('#')) {
        if let Some((before, version)) = line.rsplit_once(", for nats-server ") {
            header.version = NatsVersion::parse(version.trim().trim_end_matches('.'));
            if let Some((_, after)) = before.split_once(") of ") {
                if let Some((_, name)) = after.split_once(" cluster ") {
                    let name = name.rsplit_once(", JetStream domain ").map_or(name, |(n, _)| n);
                    header.cluster = Some(name.to_owned());
                }
            }
            continue;
        }
        let Some(variable) = line.strip_prefix("   ") else { continue };
        let Some((name, meaning)) = variable.split_once(": ") else { continue };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        if let Some((secret, key)) = meaning.strip_prefix("the password in ").and_then(secret_of) {
            header.variables.insert(name.to_owned(), Meaning::Password { secret, key });
        } else if let Some(shown) = meaning.strip_prefix("the leafnode URL ") {
            let shown = shown.trim_end_matches(" (percent-encode the password)");
            let Some((start, rest)) = shown.split_once(":<password in ") else { continue };
            let Some((secret, rest)) = rest.split_once(">@") else { continue };
            let Some((secret, key)) = secret_of(secret) else { continue };
            let (scheme, user) = start.rsplit_once("://").map_or(("", start), |(s, u)| (s, u));
            let url = if scheme.is_empty() { rest.to_owned() } else { format!("{scheme}://{rest}") };
            let user = crate::model::url::percent_decode(user);
            header.variables.insert(name.to_owned(), Meaning::RemoteUrl { url, user, secret, key });
        }
    }
    header
}

/// One server's conf, with its includes expanded.
pub(super) struct Server {
    pub path: String,
    pub entries: Vec<Entry>,
    pub header: Header,
    /// How many servers run this conf: 1 for a file of one server, the StatefulSet's replicas
    /// for a chart's ConfigMap.
    pub replicas: usize,
}

/// The conf of a NATS StatefulSet in Kubernetes manifests (`helm template` output), read as
/// its pods would run it: variables the container sets from plain values or the pod's fields
/// (`$SERVER_NAME` = `<prefix>$(POD_NAME)`) take the first pod's values; variables from
/// secrets stay references to their secret and key. A secret whose value `secrets` knows and
/// that holds a whole leafnode URL (`nats://user:password@host:port`) is read as that URL, its
/// password a reference to the key of the same secret that holds the same password.
pub(super) fn from_manifest(
    path: &str,
    pod: &crate::model::k8s::NatsPod,
    secrets: &BTreeMap<(String, String), String>,
) -> Result<Server, super::conf_syntax::ConfError> {
    use crate::model::k8s::{pod_env, EnvSource};
    let mut entries = super::conf_syntax::parse(&pod.conf)?;
    let plain = pod_env(pod, 0, "default", &|_, _| None);
    let mut header = Header::default();
    for var in &pod.env {
        let EnvSource::Secret { name, key } = &var.source else { continue };
        let meaning = secrets
            .get(&(name.clone(), key.clone()))
            .and_then(|value| {
                let (url, user, pass) = split_url(value);
                let (user, pass) = (user?, pass?);
                let (_, password_key) = secrets.iter().find(|((n, k), v)| n == name && k != key && **v == pass)?.0;
                Some(Meaning::RemoteUrl { url, user, secret: name.clone(), key: password_key.clone() })
            })
            .unwrap_or_else(|| Meaning::Password { secret: name.clone(), key: key.clone() });
        header.variables.insert(var.name.clone(), meaning);
    }
    let values: BTreeMap<String, String> =
        plain.into_iter().filter(|(name, _)| !header.variables.contains_key(name)).collect();
    resolve(&mut entries, &values);
    Ok(Server { path: path.to_owned(), entries, header, replicas: usize::from(pod.replicas) })
}

/// Replaces `$NAME` by `values[NAME]` everywhere in the entries.
fn resolve(entries: &mut [Entry], values: &BTreeMap<String, String>) {
    fn value(v: &mut ConfValue, values: &BTreeMap<String, String>) {
        match v {
            ConfValue::Var(name) => {
                if let Some(text) = values.get(name.as_str()) {
                    *v = ConfValue::Str(text.clone());
                }
            }
            ConfValue::List(items) => items.iter_mut().for_each(|i| value(&mut i.value, values)),
            ConfValue::Map(entries) => resolve(entries, values),
            _ => {}
        }
    }
    for entry in entries {
        if let Entry::Pair { value: v, .. } = entry {
            value(v, values);
        }
    }
}

fn text_of(value: Option<(&ConfValue, usize)>) -> Option<String> {
    match value?.0 {
        ConfValue::Str(s) => Some(s.clone()),
        ConfValue::Int(n) => Some(n.to_string()),
        ConfValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The port of `host:port`, a bare port, or a number.
fn port_of(value: Option<(&ConfValue, usize)>) -> Option<u16> {
    match value?.0 {
        ConfValue::Int(n) => u16::try_from(*n).ok(),
        ConfValue::Str(s) => s.rsplit(':').next()?.parse().ok(),
        _ => None,
    }
}

/// Every key path of the entries and its line, for locating findings.
fn key_lines(entries: &[Entry]) -> KeyLines {
    let mut out = KeyLines::default();
    // Iterative, so that nesting cannot overflow the stack.
    let mut stack: Vec<(String, &ConfValue)> = Vec::new();
    for entry in entries {
        if let Entry::Pair { key, value, line } = entry {
            let path = key.to_ascii_lowercase();
            out.insert(path.clone(), *line);
            stack.push((path, value));
        }
    }
    while let Some((path, value)) = stack.pop() {
        match value {
            ConfValue::Map(entries) => {
                for entry in entries {
                    if let Entry::Pair { key, value, line } = entry {
                        let child = format!("{path}.{key}");
                        out.insert(child.clone(), *line);
                        stack.push((child, value));
                    }
                }
            }
            ConfValue::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let child = format!("{path}[{i}]");
                    out.insert(child.clone(), item.line);
                    stack.push((child, &item.value));
                }
            }
            _ => {}
        }
    }
    out
}

pub(super) const EXPORT_SHAPE: &str =
    "an export is { stream: SUBJECT } or { service: SUBJECT }, with optional accounts: [...]";
pub(super) const IMPORT_SHAPE: &str =
    "an import is { stream: { account: NAME, subject: SUBJECT } } or { service: { ... } }, with optional to or prefix";

/// `{ stream: "x.>", accounts: [A] }` or `{ service: "x", response_type: stream }`.
pub(super) fn read_export(value: &ConfValue) -> Option<Export> {
    let (kind, subject) = match (text_of(value.get("stream")), text_of(value.get("service"))) {
        (Some(subject), None) => (ShareKind::Stream, subject),
        (None, Some(subject)) => (ShareKind::Service, subject),
        _ => return None,
    };
    let accounts = match value.get("accounts") {
        None => Vec::new(),
        Some((ConfValue::List(items), _)) => {
            items.iter().map(|item| text_of(Some((&item.value, item.line)))).collect::<Option<Vec<_>>>()?
        }
        Some(_) => return None,
    };
    let response_type = match text_of(value.get("response_type").or_else(|| value.get("response"))) {
        None => None,
        Some(text) => Some(match text.to_ascii_lowercase().as_str() {
            "singleton" => ResponseType::Singleton,
            "stream" => ResponseType::Stream,
            "chunked" => ResponseType::Chunked,
            _ => return None,
        }),
    };
    Some(Export { kind, subject, accounts, response_type })
}

/// `{ stream: { account: A, subject: "x.>" }, to: "y.>" }` (or `prefix`), or a service import.
pub(super) fn read_import(value: &ConfValue) -> Option<Import> {
    let (kind, from) = match (value.get("stream"), value.get("service")) {
        (Some((from, _)), None) => (ShareKind::Stream, from),
        (None, Some((from, _))) => (ShareKind::Service, from),
        _ => return None,
    };
    let account = text_of(from.get("account"))?;
    let subject = text_of(from.get("subject"))?;
    let local = match (text_of(value.get("to")), text_of(value.get("prefix"))) {
        (Some(to), None) => Some(LocalSubject::To(to)),
        (None, Some(prefix)) => Some(LocalSubject::Prefix(prefix)),
        (None, None) => None,
        (Some(_), Some(_)) => return None,
    };
    Some(Import { kind, account, subject, local })
}

struct Reader<'a> {
    header: &'a Header,
    path: &'a str,
    notes: Vec<String>,
}

impl Reader<'_> {
    /// A note that the entry at `at` (on `line`) was not read, and what was expected.
    fn skipped(&mut self, line: usize, at: &str, expected: &str) {
        self.notes.push(format!("{}:{line}: {at} was not read: {expected}", self.path));
    }

    fn password(&mut self, value: Option<(&ConfValue, usize)>, at: &str) -> Password {
        match value.map(|v| v.0) {
            Some(ConfValue::Var(name)) => match self.header.variables.get(name) {
                Some(Meaning::Password { secret, key }) => {
                    Password::SecretRef { name: secret.clone(), key: key.clone() }
                }
                _ => {
                    self.notes.push(format!(
                        "{}: {at} is ${name}, read from nats-server's environment; kept as a reference to key \
                         {name} of secret \"env\"",
                        self.path
                    ));
                    Password::SecretRef { name: "env".into(), key: name.clone() }
                }
            },
            _ => password(&text_of(value).unwrap_or_default()),
        }
    }

    fn remote(&mut self, value: &ConfValue, at: &str) -> LeafnodeRemote {
        let mut remote = LeafnodeRemote {
            local_account: text_of(value.get("account")),
            credentials: text_of(value.get("credentials")),
            nkey: text_of(value.get("nkey")),
            tls: value.get("tls").map(|(block, _)| TlsDial { certs: tls_certs(block) }),
            ..LeafnodeRemote::default()
        };
        let url = match (value.get("url"), value.get("urls")) {
            (Some(url), _) => Some(url.0.clone()),
            (None, Some((ConfValue::List(items), _))) => {
                if items.len() > 1 {
                    self.notes.push(format!("{}: {at}.urls has several URLs; the first is kept", self.path));
                }
                items.first().map(|i| i.value.clone())
            }
            (None, Some((other, _))) => Some(other.clone()),
            (None, None) => None,
        };
        match url {
            Some(ConfValue::Var(name)) => match self.header.variables.get(&name) {
                Some(Meaning::RemoteUrl { url, user, secret, key }) => {
                    remote.url = url.clone();
                    remote.user = Some(user.clone());
                    remote.password = Some(Password::SecretRef { name: secret.clone(), key: key.clone() });
                }
                _ => self.notes.push(format!(
                    "{}: the URL of {at} is ${name}, read from nats-server's environment; its target cannot be known",
                    self.path
                )),
            },
            Some(ConfValue::Str(url)) => {
                let (url, user, pass) = split_url(&url);
                remote.url = url;
                remote.user = user;
                remote.password = pass.map(|p| password(&p));
            }
            _ => {}
        }
        remote
    }
}

/// The certificate files of a `tls {}` block; files at a secret's mount
/// (`/etc/nats-certs/<secret>/tls.crt` ...) come back as that secret.
fn tls_certs(block: &ConfValue) -> TlsCerts {
    let mut certs = TlsCerts {
        secret: None,
        cert_file: text_of(block.get("cert_file")),
        key_file: text_of(block.get("key_file")),
        ca_file: text_of(block.get("ca_file")),
    };
    let secret = certs.cert_file.as_deref().and_then(|c| c.strip_suffix("/tls.crt")).and_then(|dir| {
        let name = dir.strip_prefix("/etc/nats-certs/")?;
        (!name.is_empty() && !name.contains('/') && secret_dir(name) == dir).then(|| name.to_owned())
    });
    if let Some(secret) = secret {
        let dir = secret_dir(&secret);
        for (file, in_secret) in
            [(&mut certs.cert_file, "tls.crt"), (&mut certs.key_file, "tls.key"), (&mut certs.ca_file, "ca.crt")]
        {
            if file.as_deref() == Some(format!("{dir}/{in_secret}").as_str()) {
                *file = None;
            }
        }
        certs.secret = Some(secret);
    }
    certs
}

fn tls_listener(block: &ConfValue) -> TlsListener {
    TlsListener { certs: tls_certs(block), verify: block.get("verify").is_some_and(|(v, _)| v.truthy()) }
}

/// The server-name prefix of the chart's naming (`<prefix>nats-<index>`), else the name less
/// its trailing digits.
fn prefix_of(server_name: &str) -> String {
    let digits = server_name.trim_end_matches(|c: char| c.is_ascii_digit());
    if digits.len() < server_name.len() {
        if let Some(prefix) = digits.strip_suffix("nats-") {
            return prefix.to_owned();
        }
    }
    digits.to_owned()
}

/// The cluster name a server belongs to.
fn cluster_name(server: &Server) -> String {
    get(&server.entries, "cluster")
        .and_then(|(c, _)| text_of(c.get("name")))
        .or_else(|| server.header.cluster.clone())
        .or_else(|| text_of(get(&server.entries, "server_name")))
        .unwrap_or_else(|| file_stem(&server.path))
}

/// Groups servers into clusters by cluster name, in order of first appearance.
pub(super) fn clusters(servers: Vec<Server>) -> Vec<ReadCluster> {
    let mut groups: Vec<(String, Vec<Server>)> = Vec::new();
    for server in servers {
        let name = cluster_name(&server);
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, members)) => members.push(server),
            None => groups.push((name, vec![server])),
        }
    }
    groups.into_iter().map(|(name, members)| cluster(name, &members)).collect()
}

fn cluster(name: String, members: &[Server]) -> ReadCluster {
    let first = &members[0];
    let entries = &first.entries;
    let mut r = Reader { header: &first.header, path: &first.path, notes: Vec::new() };
    let mut cluster = Cluster::new(name, Role::Standalone);
    let routes = get(entries, "cluster")
        .and_then(|(c, _)| match c.get("routes")?.0 {
            ConfValue::List(items) => Some(items.len()),
            _ => None,
        })
        .unwrap_or(0);
    let run: usize = members.iter().map(|m| m.replicas).sum();
    cluster.servers = run.max(routes).clamp(1, usize::from(u8::MAX)) as u8;
    let names: Vec<String> = members.iter().filter_map(|s| text_of(get(&s.entries, "server_name"))).collect();
    cluster.server_name_prefix = names.first().map(|n| prefix_of(n)).unwrap_or_default();
    cluster.version = first.header.version.unwrap_or(NatsVersion::V2_14);
    match get(entries, "jetstream") {
        Some((js @ ConfValue::Map(_), _)) => {
            cluster.jetstream = js.get("enabled").is_none_or(|(v, _)| v.truthy());
            cluster.domain = text_of(js.get("domain")).unwrap_or_default();
        }
        Some((other, _)) => cluster.jetstream = other.truthy(),
        None => cluster.jetstream = false,
    }
    let mut remote_lines = Vec::new();
    if let Some((leafnodes, _)) = get(entries, "leafnodes") {
        if let Some(port) = port_of(leafnodes.get("listen")).or_else(|| port_of(leafnodes.get("port"))) {
            cluster.leafnode_listener = Some(LeafnodeListener {
                tls: leafnodes.get("tls").map(|(block, _)| tls_listener(block)),
                port,
                public_endpoints: Vec::new(),
                no_advertise: leafnodes.get("no_advertise").is_some_and(|(v, _)| v.truthy()),
            });
        }
        if let Some((ConfValue::List(items), _)) = leafnodes.get("remotes") {
            for (i, item) in items.iter().enumerate() {
                remote_lines.push(Some(item.line));
                let remote = r.remote(&item.value, &format!("leafnodes.remotes[{i}]"));
                cluster.remotes.push(remote);
            }
        }
    }
    cluster.tls.client = get(entries, "tls").map(|(block, _)| tls_listener(block));
    cluster.tls.routes = get(entries, "cluster").and_then(|(c, _)| c.get("tls")).map(|(block, _)| tls_listener(block));
    let mut plain_at = None;
    if let Some((ConfValue::Map(accounts), _)) = get(entries, "accounts") {
        for entry in accounts {
            let Entry::Pair { key: name, value, .. } = entry else { continue };
            let jetstream = value.get("jetstream").is_some_and(|(v, _)| v.truthy());
            let mut users = Vec::new();
            if let Some((ConfValue::List(items), _)) = value.get("users") {
                for (i, item) in items.iter().enumerate() {
                    let Some(user) = text_of(item.value.get("user").or_else(|| item.value.get("username"))) else {
                        continue;
                    };
                    let key = if item.value.get("pass").is_some() { "pass" } else { "password" };
                    let at = format!("accounts.{name}.users[{i}].{key}");
                    let password = r.password(item.value.get(key), &at);
                    if matches!(&password, Password::Plain(p) if !p.is_empty()) && plain_at.is_none() {
                        plain_at = Some(at);
                    }
                    users.push(User { name: user, password });
                }
            }
            let mut account = Account::new(jetstream, users);
            if let Some((ConfValue::List(items), _)) = value.get("exports") {
                for (i, item) in items.iter().enumerate() {
                    match read_export(&item.value) {
                        Some(export) => account.exports.push(export),
                        None => r.skipped(item.line, &format!("accounts.{name}.exports[{i}]"), EXPORT_SHAPE),
                    }
                }
            }
            if let Some((ConfValue::List(items), _)) = value.get("imports") {
                for (i, item) in items.iter().enumerate() {
                    match read_import(&item.value) {
                        Some(import) => account.imports.push(import),
                        None => r.skipped(item.line, &format!("accounts.{name}.imports[{i}]"), IMPORT_SHAPE),
                    }
                }
            }
            cluster.accounts.insert(name.clone(), account);
        }
    }
    cluster.system_account = text_of(get(entries, "system_account"));
    let (gateway, tags, gateway_notes) = super::gateways::from_conf(entries, &cluster.name, &first.path);
    cluster.gateway = gateway;
    if let (Some(gateway), Some((block, _))) = (cluster.gateway.as_mut(), get(entries, "gateway")) {
        gateway.tls = block.get("tls").map(|(tls, _)| tls_listener(tls));
        if let Some((ConfValue::List(items), _)) = block.get("gateways") {
            for item in items {
                let (Some(name), Some((tls, _))) = (text_of(item.value.get("name")), item.value.get("tls")) else {
                    continue;
                };
                if let Some(peer) = gateway.peers.iter_mut().find(|p| p.name == name) {
                    peer.tls = Some(TlsDial { certs: tls_certs(tls) });
                }
            }
        }
    }
    cluster.server_tags = tags;
    r.notes.extend(gateway_notes);

    let mut fields: BTreeMap<&'static str, String> = BTreeMap::new();
    fields.insert("name", "cluster.name".into());
    fields.insert("domain", "jetstream.domain".into());
    fields.insert("jetstream", "jetstream".into());
    fields.insert("server_name_prefix", "server_name".into());
    fields.insert("system_account", "system_account".into());
    fields.insert("leafnode_listener", "leafnodes".into());
    fields.insert("accounts", "accounts".into());
    if let Some(at) = plain_at {
        fields.insert("password", at);
    }
    let lines = key_lines(entries);
    let line = lines.get("cluster.name").or_else(|| lines.get("server_name")).or(Some(1));
    let notes = r.notes;
    let mut findings = Vec::new();
    if let Some(at) = lines.get("leafnodes.authorization.token") {
        findings.push(super::Finding::new(
            Rule::LeafnodeTokenAuth,
            Some(at),
            "leafnodes.authorization has a token: a leafnode listener accepts users, nkeys and credentials, not \
             tokens, and nats-server exits at start (unknown field \"token\"); define a user with a password for \
             the remotes instead",
        ));
    }
    let leafnodes = get(entries, "leafnodes").map(|(l, _)| l);
    if let Some(leafnodes) = leafnodes.filter(|_| cluster.leafnode_listener.is_none() && !cluster.remotes.is_empty()) {
        if leafnodes.get("tls").is_some() {
            findings.push(super::Finding::new(
                Rule::TlsBlockPlacement,
                lines.get("leafnodes.tls").or_else(|| lines.get("leafnodes")),
                "leafnodes has a tls {} block but no listener, only remotes: a block at the leafnodes level is \
                 the listener's, and the remotes do not use it (nats-server issue 2868), so they dial without \
                 TLS; move the block inside each remote",
            ));
        }
    }
    ReadCluster {
        cluster,
        place: Place { file: first.path.clone(), line, lines, fields, remotes: remote_lines, ..Place::default() },
        findings,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::super::conf_syntax::parse;
    use super::*;

    fn server(path: &str, text: &str) -> Server {
        Server { path: path.into(), entries: parse(text).expect("conf"), header: header(text), replicas: 1 }
    }

    #[test]
    fn the_exports_header_is_read_back() {
        let text = "# nats-server.conf: generated\n# Server hq-nats-0 (1 of 3) of hub cluster head quarter, JetStream domain hub, for nats-server 2.9.\n# Read from nats-server's environment\n#   NATS_PASSWORDS_ACC: the password in secret nats-passwords, key acc\n#   LEAF_URL_ACC: the leafnode URL nats://acc:<password in secret nats-passwords, key acc>@hq:30742 (percent-encode the password)\n\nserver_name: \"x\"\n";
        let h = header(text);
        assert_eq!(h.cluster.as_deref(), Some("head quarter"));
        assert_eq!(h.version, Some(NatsVersion::V2_9));
        assert_eq!(
            h.variables.get("NATS_PASSWORDS_ACC"),
            Some(&Meaning::Password { secret: "nats-passwords".into(), key: "acc".into() })
        );
        assert_eq!(
            h.variables.get("LEAF_URL_ACC"),
            Some(&Meaning::RemoteUrl {
                url: "nats://hq:30742".into(),
                user: "acc".into(),
                secret: "nats-passwords".into(),
                key: "acc".into()
            })
        );
    }

    #[test]
    fn servers_sharing_a_cluster_name_are_one_cluster() {
        let conf = |n: usize| {
            format!(
                "server_name: \"s1-nats-{n}\"\njetstream {{ store_dir: \"/data\", domain: \"cinema-a\" }}\ncluster {{\n  name: \"spoke-1\"\n  routes = [\"nats://a:6222\", \"nats://b:6222\", \"nats://c:6222\"]\n}}\nleafnodes {{\n  remotes = [\n    {{ url: \"nats://acc:acc@hq:30742\", account: \"ACC\" }}\n  ]\n}}\naccounts {{\n  \"ACC\" {{ jetstream: enabled, users = [ {{ user: \"acc\", password: \"acc\" }} ] }}\n}}\nsystem_account: \"SYS\"\n"
            )
        };
        let read = clusters(vec![server("a.conf", &conf(0)), server("b.conf", &conf(1))]);
        assert_eq!(read.len(), 1);
        let c = &read[0].cluster;
        assert_eq!(
            (c.name.as_str(), c.servers, c.domain.as_str(), c.server_name_prefix.as_str()),
            ("spoke-1", 3, "cinema-a", "s1-")
        );
        assert_eq!(c.remotes[0].url, "nats://hq:30742");
        assert_eq!(c.remotes[0].user.as_deref(), Some("acc"));
        assert!(c.accounts["ACC"].jetstream);
        assert_eq!(c.system_account.as_deref(), Some("SYS"));
        assert_eq!(read[0].place.remotes, [Some(9)]);
        assert_eq!(read[0].place.lines.get("accounts.ACC.users[0].password"), Some(13));
    }

    #[test]
    fn prefixes_follow_the_charts_naming() {
        assert_eq!(prefix_of("hq-nats-0"), "hq-");
        assert_eq!(prefix_of("nats-2"), "");
        assert_eq!(prefix_of("n1"), "n");
        assert_eq!(prefix_of("solo"), "solo");
    }
}
