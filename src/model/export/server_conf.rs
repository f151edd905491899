//! nats-server.conf, one per server, equivalent to what the chart renders: server name, client,
//! monitoring, cluster and leafnode listeners, JetStream with its domain, leafnode remotes,
//! accounts with their users, and the system account.
//!
//! Server names are the chart's: `<prefix>nats-<index>` (the pod name behind the prefix), so
//! that a conf and the Helm values of one design name the same servers. The VM layout (what
//! [`render`] writes) listens on `0.0.0.0` with the chart's ports and reaches the servers of a
//! cluster as `<server>.<cluster>` (DNS labels of both: `hq-nats-0.headquarter`), which the
//! header asks the operator to resolve; leafnode remotes dial the URL the design gives.
//! [`render_with`] places clusters on one host instead (the local sandbox).
//!
//! Quoting follows nats-server's `conf/lex.go`: every value from the design is a double-quoted
//! string (escapes `\" \\ \n \r \t \xHH`), which the server never expands, so `$` and the like
//! are inert; only the variables written here are bare `$NAME`. Account names are map keys,
//! quoted with `"` (no escapes exist there), or with `'` when the name holds a `"`.
//!
//! Secrets never reach a file: a password kept in a Kubernetes secret is the variable
//! `$<SECRET>_<KEY>` (`nats-passwords`/`acc` → `$NATS_PASSWORDS_ACC`), which nats-server resolves
//! from its environment; a remote whose password is a secret takes its whole URL from a
//! variable (the conf language cannot splice a variable into a string). Each conf lists the
//! variables it reads in its header.

use super::cli_script::UniquePaths;
use super::{comment_text, file_stem, header, ExportedFile};
use crate::model::tls::{TlsCerts, TlsListener};
use crate::model::{Cluster, ClusterId, Design, Export, Import, LocalSubject, Password, ShareKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The chart's client port.
pub const CLIENT_PORT: u16 = 4222;
/// The chart's route (cluster) port.
pub const CLUSTER_PORT: u16 = 6222;
/// The chart's leafnode port, used when a cluster has no listener of its own to say otherwise.
pub const LEAFNODE_PORT: u16 = 7422;
/// The chart's monitoring port.
pub const HTTP_PORT: u16 = 8222;
/// The chart's JetStream volume; each server stores under `<root>/<cluster>/<server>`.
pub const STORE_ROOT: &str = "/data";

/// The ports one server listens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerPorts {
    pub client: u16,
    pub cluster: u16,
    pub leafnode: u16,
    pub http: u16,
    /// The gateway listen port, used when the cluster has a gateway.
    pub gateway: u16,
}

impl Default for ServerPorts {
    fn default() -> Self {
        Self {
            client: CLIENT_PORT,
            cluster: CLUSTER_PORT,
            leafnode: LEAFNODE_PORT,
            http: HTTP_PORT,
            gateway: crate::model::gateway::DEFAULT_GATEWAY_PORT,
        }
    }
}

/// A cluster whose servers all run on one host, each with ports of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalCluster {
    /// The host the servers listen on and are reached at (`127.0.0.1`).
    pub host: String,
    /// Ports by server index; a server past the end gets the chart's ports.
    pub servers: Vec<ServerPorts>,
}

impl LocalCluster {
    fn ports(&self, index: usize) -> ServerPorts {
        self.servers.get(index).copied().unwrap_or_default()
    }
}

/// How to render the confs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfOptions {
    /// Clusters placed on one host; the others get the VM layout.
    pub local: BTreeMap<ClusterId, LocalCluster>,
    /// The folder under which each server's JetStream store lives, `<root>/<cluster>/<server>`.
    pub store_root: String,
    /// Remotes whose target is a local cluster dial its first server's leafnode port on its host
    /// instead of the design's URL (which names a public address).
    pub remotes_to_local: bool,
}

impl Default for ServerConfOptions {
    fn default() -> Self {
        Self { local: BTreeMap::new(), store_root: STORE_ROOT.to_owned(), remotes_to_local: false }
    }
}

impl ServerConfOptions {
    /// Every cluster of `design` on `host`, five consecutive ports per server (client, cluster,
    /// leafnode, http, gateway) counted up from `first_port` in cluster and server order, stores under
    /// `store_root`, remotes dialing their local targets. Ports stop at 65535 (saturate): a
    /// design too large for the range gets clashing ports.
    pub fn local(design: &Design, host: &str, first_port: u16, store_root: &str) -> Self {
        let mut next = first_port;
        let mut take = || {
            let port = next;
            next = next.saturating_add(1);
            port
        };
        let local = design
            .clusters()
            .map(|(id, cluster)| {
                let servers = (0..cluster.servers)
                    .map(|_| ServerPorts {
                        client: take(),
                        cluster: take(),
                        leafnode: take(),
                        http: take(),
                        gateway: take(),
                    })
                    .collect();
                (id, LocalCluster { host: host.to_owned(), servers })
            })
            .collect();
        Self { local, store_root: store_root.to_owned(), remotes_to_local: true }
    }
}

/// The name of server `index` of `cluster`, as the chart names it (`<prefix>nats-<index>`), with
/// whitespace and control characters as `_`: nats-server refuses a name with spaces.
pub fn server_name(cluster: &Cluster, index: usize) -> String {
    inert_name(&format!("{}nats-{index}", cluster.server_name_prefix))
}

/// A server or cluster name nats-server accepts: whitespace and control characters become `_`.
pub fn inert_name(name: &str) -> String {
    name.chars().map(|c| if c.is_whitespace() || c.is_control() { '_' } else { c }).collect()
}

/// A DNS label for a host name: lowercase ASCII letters, digits and inner `-`, at most 63
/// characters; `fallback` when nothing is left.
fn dns_label(text: &str, fallback: &str) -> String {
    let mut label = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            label.push(c);
        } else if !label.ends_with('-') {
            label.push('-');
        }
    }
    let label: String = label.trim_matches('-').chars().take(63).collect();
    let label = label.trim_end_matches('-');
    if label.is_empty() {
        fallback.to_owned()
    } else {
        label.to_owned()
    }
}

/// What a NATS config variable stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VariableValue {
    /// The password kept in a Kubernetes secret.
    Password { secret: String, key: String },
    /// A leafnode remote's URL, `url` with `user:<the secret's password>@` in it.
    RemoteUrl { url: String, user: String, secret: String, key: String },
}

/// A variable the confs read from nats-server's environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfVariable {
    pub name: String,
    pub value: VariableValue,
}

impl ConfVariable {
    /// The environment value that gives this variable `password` (the secret's content).
    ///
    /// nats-server parses an environment value as a config value (`conf/parse.go`
    /// `lookupVariable`), so a bare `12345` would be a number and `a b` an error: the value is
    /// written as a double-quoted config string.
    pub fn env_value(&self, password: &str) -> String {
        match &self.value {
            VariableValue::Password { .. } => conf_string(password),
            VariableValue::RemoteUrl { url, user, .. } => conf_string(&with_userinfo(url, user, Some(password))),
        }
    }

    /// What to set it to, for the header.
    fn meaning(&self) -> String {
        match &self.value {
            VariableValue::Password { secret, key } => format!("the password in secret {secret}, key {key}"),
            VariableValue::RemoteUrl { url, user, secret, key } => {
                let placeholder = format!("<password in secret {secret}, key {key}>");
                // Percent-encoding would garble the placeholder; it is for reading only.
                let shown = with_userinfo(url, user, None).replacen('@', &format!(":{placeholder}@"), 1);
                format!("the leafnode URL {shown} (percent-encode the password)")
            }
        }
    }
}

/// `user[:password]@` put into `url` after its scheme, percent-encoded; `url` unchanged when it
/// already has user information (or no scheme, which `remote-url-invalid` reports).
fn with_userinfo(url: &str, user: &str, password: Option<&str>) -> String {
    crate::model::url::with_userinfo(url, user, password).unwrap_or_else(|| url.to_owned())
}

/// An environment variable name from free text: uppercase ASCII letters, digits and `_`,
/// starting with a letter (`S_` is put before anything else), as the Helm export names them.
fn env_name(text: &str) -> String {
    let name: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("S_{name}")
    }
}

/// The variables of one cluster's confs (its servers share one environment), named as the Helm
/// export names them: `<SECRET>_<KEY>` for a password, `LEAF_URL_<ACCOUNT>` for a remote's URL.
/// Unique, and never an account name: nats-server looks a variable up in the enclosing maps,
/// `accounts` among them, before the environment.
struct Variables {
    taken: BTreeSet<String>,
    passwords: BTreeMap<(String, String), String>,
    urls: BTreeMap<(String, String, String, String), String>,
    all: Vec<ConfVariable>,
}

impl Variables {
    fn new(design: &Design, cluster: &Cluster) -> Self {
        let taken = design.clusters().flat_map(|(_, c)| c.accounts.keys().cloned()).collect();
        let mut variables = Self { taken, passwords: BTreeMap::new(), urls: BTreeMap::new(), all: Vec::new() };
        // Passwords first, in secret order, so that their names do not depend on where they are used.
        let mut secrets = BTreeSet::new();
        let users = cluster.accounts.values().flat_map(|a| &a.users).map(|u| &u.password);
        for password in users.chain(cluster.remotes.iter().filter_map(|r| r.password.as_ref())) {
            if let Password::SecretRef { name, key } = password {
                secrets.insert((name.clone(), key.clone()));
            }
        }
        for (secret, key) in secrets {
            variables.password(&secret, &key);
        }
        variables
    }

    fn claim(&mut self, base: String, value: VariableValue) -> String {
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        self.all.push(ConfVariable { name: name.clone(), value });
        name
    }

    fn password(&mut self, secret: &str, key: &str) -> String {
        let id = (secret.to_owned(), key.to_owned());
        if let Some(name) = self.passwords.get(&id) {
            return name.clone();
        }
        let value = VariableValue::Password { secret: secret.to_owned(), key: key.to_owned() };
        let name = self.claim(env_name(&format!("{secret}_{key}")), value);
        self.passwords.insert(id, name.clone());
        name
    }

    /// One variable per distinct URL, user and secret, named after the remote's account (or its
    /// number `index` when it binds none).
    fn remote_url(
        &mut self,
        index: usize,
        account: Option<&str>,
        url: &str,
        user: &str,
        secret: &str,
        key: &str,
    ) -> String {
        let id = (url.to_owned(), user.to_owned(), secret.to_owned(), key.to_owned());
        if let Some(name) = self.urls.get(&id) {
            return name.clone();
        }
        let base = env_name(&match account {
            Some(account) => format!("LEAF_URL_{account}"),
            None => format!("LEAF_URL_{index}"),
        });
        let value = VariableValue::RemoteUrl {
            url: url.to_owned(),
            user: user.to_owned(),
            secret: secret.to_owned(),
            key: key.to_owned(),
        };
        let name = self.claim(base, value);
        self.urls.insert(id, name.clone());
        name
    }

    fn get(&self, name: &str) -> Option<&ConfVariable> {
        self.all.iter().find(|v| v.name == name)
    }
}

// ---------------------------------------------------------------------------------------------
// The conf language

/// A value of nats-server's config language.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    /// Text, always double-quoted.
    Str(String),
    /// A bare keyword: `true`, `enabled`.
    Word(&'static str),
    /// `$NAME`, resolved by nats-server.
    Var(String),
    List(Vec<Value>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
enum Entry {
    Pair(Key, Value),
    Comment(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Key {
    /// An option nats-server knows, written bare.
    Option(&'static str),
    /// A name from the design (an account), quoted.
    Name(String),
}

fn pair(key: &'static str, value: Value) -> Entry {
    Entry::Pair(Key::Option(key), value)
}

/// A double-quoted config string that stands for exactly `text`; never variable-expanded.
pub(crate) fn conf_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An account name that can be a map key. Quoted keys have no escapes in nats-server's lexer, so
/// a name with both kinds of quote is written bare when it can be (measured on 2.9.10 and
/// 2.15.1: the bare key `ACC"\'x` defines the account a remote's `account: "ACC\"\\'x"` finds);
/// one that cannot (it also holds a blank, a separator or a bracket, or starts a comment) loses
/// its `"` (written `_`) everywhere it appears.
fn account_name(name: &str) -> String {
    if name.contains('"') && name.contains('\'') && !is_bare_key(name) {
        name.replace('"', "_")
    } else {
        name.to_owned()
    }
}

/// Whether `name` reads back as itself when written as an unquoted key, by nats-server
/// (`conf/lex.go` `lexKeyStart`, `lexKey`: a key ends at a blank, `:` or `=`) and by this tool's
/// conf parser (which also ends it at brackets, `,` and `;`).
fn is_bare_key(name: &str) -> bool {
    let starts_otherwise = name.starts_with(['"', '\'', '#']) || name.starts_with("//");
    !name.is_empty()
        && !starts_otherwise
        && !name.chars().any(|c| c.is_whitespace() || matches!(c, '=' | ':' | '{' | '[' | '}' | ']' | ',' | ';'))
}

fn key_text(key: &Key) -> String {
    match key {
        Key::Option(option) => (*option).to_owned(),
        Key::Name(name) if name.contains('"') && name.contains('\'') => name.clone(),
        Key::Name(name) if name.contains('"') => format!("'{name}'"),
        Key::Name(name) => format!("\"{name}\""),
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Str(text) => Some(conf_string(text)),
        Value::Word(word) => Some((*word).to_owned()),
        Value::Var(name) => Some(format!("${name}")),
        Value::List(_) | Value::Map(_) => None,
    }
}

/// `{ user: "acc", password: $X }` for a short map of scalars.
fn inline_map(entries: &[Entry]) -> Option<String> {
    let mut parts = Vec::new();
    for entry in entries {
        match entry {
            Entry::Pair(key, value) => parts.push(format!("{}: {}", key_text(key), scalar_text(value)?)),
            Entry::Comment(_) => return None,
        }
    }
    let text = format!("{{ {} }}", parts.join(", "));
    (text.len() <= 80).then_some(text)
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    match value {
        Value::List(items) => {
            out.push_str("[\n");
            for item in items {
                out.push_str(&indent);
                out.push_str("  ");
                write_value(out, item, depth + 1);
                out.push('\n');
            }
            out.push_str(&indent);
            out.push(']');
        }
        Value::Map(entries) => match inline_map(entries) {
            Some(text) if depth > 0 && !entries.is_empty() => out.push_str(&text),
            _ if entries.is_empty() => out.push_str("{}"),
            _ => {
                out.push_str("{\n");
                write_entries(out, entries, depth + 1);
                out.push_str(&indent);
                out.push('}');
            }
        },
        scalar => out.push_str(&scalar_text(scalar).expect("lists and maps are handled above")),
    }
}

fn write_entries(out: &mut String, entries: &[Entry], depth: usize) {
    let indent = "  ".repeat(depth);
    for entry in entries {
        out.push_str(&indent);
        match entry {
            Entry::Comment(text) => {
                out.push_str("# ");
                out.push_str(&comment_text(text));
            }
            Entry::Pair(key, value) => {
                out.push_str(&key_text(key));
                out.push_str(match (key, value) {
                    (Key::Option(_), Value::Map(_)) => " ",
                    (_, Value::List(_)) => " = ",
                    _ => ": ",
                });
                write_value(out, value, depth);
            }
        }
        out.push('\n');
    }
}

// ---------------------------------------------------------------------------------------------
// Servers

/// Where one cluster's servers are, for one render.
struct Placement<'a> {
    local: Option<&'a LocalCluster>,
    cluster: &'a Cluster,
}

impl Placement<'_> {
    fn ports(&self, index: usize) -> ServerPorts {
        match self.local {
            Some(local) => local.ports(index),
            None => ServerPorts {
                leafnode: self.cluster.leafnode_listener.as_ref().map_or(LEAFNODE_PORT, |l| l.port),
                gateway: self.cluster.gateway.as_ref().map_or(ServerPorts::default().gateway, |g| g.port),
                ..ServerPorts::default()
            },
        }
    }

    fn listen(&self, port: u16) -> String {
        match self.local {
            Some(local) => format!("{}:{port}", local.host),
            None => format!("0.0.0.0:{port}"),
        }
    }

    /// The host other servers reach server `index` at.
    fn host(&self, index: usize) -> String {
        match self.local {
            Some(local) => local.host.clone(),
            None => format!(
                "{}.{}",
                dns_label(&server_name(self.cluster, index), "server"),
                dns_label(&self.cluster.name, "cluster")
            ),
        }
    }
}

/// A `tls {}` block: the certificate files (a secret's mounted at its directory) and, on a
/// listener, `verify`. Paths are quoted strings like every value from the design.
fn tls_value(certs: &TlsCerts, verify: bool) -> Value {
    let mut entries = Vec::new();
    for (key, file) in [("cert_file", certs.cert()), ("key_file", certs.key()), ("ca_file", certs.ca())] {
        if let Some(file) = file {
            entries.push(pair(key, Value::Str(file)));
        }
    }
    if verify {
        entries.push(pair("verify", Value::Word("true")));
    }
    Value::Map(entries)
}

fn listener_tls(tls: &TlsListener) -> Entry {
    pair("tls", tls_value(&tls.certs, tls.verify))
}

/// The scheme of a local URL replacing the URLs written: `tls` when the first written one says
/// `tls://` (which alone does not make a dial use TLS, as measured, but is kept as written).
fn local_scheme<'a>(mut urls: impl Iterator<Item = &'a str>) -> &'static str {
    match urls.next() {
        Some(url) if url.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("tls://")) => "tls",
        _ => "nats",
    }
}

/// The entries of one remote, and comments about what could not be written.
fn remote_entries(
    design: &Design,
    options: &ServerConfOptions,
    variables: &mut Variables,
    (index, remote): (usize, &crate::model::LeafnodeRemote),
) -> Result<Vec<Entry>, String> {
    let target = remote.target.and_then(|t| Some((t, design.cluster(t)?)));
    let local_target =
        target.filter(|_| options.remotes_to_local).and_then(|(id, cluster)| Some((options.local.get(&id)?, cluster)));
    let url = match (local_target, target) {
        (Some((local, cluster)), _) => {
            let port = Placement { local: Some(local), cluster }.ports(0).leafnode;
            format!("{}://{}:{port}", local_scheme(std::iter::once(remote.url.as_str())), local.host)
        }
        _ if !remote.url.is_empty() => remote.url.clone(),
        (None, Some((_, cluster))) => match cluster.leafnode_listener.as_ref() {
            Some(listener) => match listener.public_endpoints.first() {
                Some(endpoint) => format!("nats://{endpoint}"),
                None => format!("nats://{}:{}", Placement { local: None, cluster }.host(0), listener.port),
            },
            None => return Err(format!("its target {} has no leafnode listener and it has no URL", cluster.name)),
        },
        (None, None) => return Err("it has no URL and no target".to_owned()),
    };
    let mut entries = Vec::new();
    let url = match (&remote.user, &remote.password) {
        (None, password) => {
            if password.is_some() {
                entries.push(Entry::Comment("the remote's password is not used: it has no user".into()));
            }
            Value::Str(url)
        }
        (Some(user), None) => Value::Str(with_userinfo(&url, user, None)),
        (Some(user), Some(Password::Plain(password))) => Value::Str(with_userinfo(&url, user, Some(password))),
        (Some(user), Some(Password::Bcrypt(_))) => {
            entries.push(Entry::Comment(
                "the design holds only a bcrypt hash of this remote's password, which the dialing side cannot \
                 use: put the plain password in the URL"
                    .into(),
            ));
            Value::Str(with_userinfo(&url, user, None))
        }
        (Some(user), Some(Password::SecretRef { name, key })) => {
            if with_userinfo(&url, user, None) == url {
                // The URL carries its own user information; the design's user is not added.
                Value::Str(url)
            } else {
                Value::Var(variables.remote_url(index, remote.local_account.as_deref(), &url, user, name, key))
            }
        }
    };
    entries.push(pair("url", url));
    if let Some(account) = &remote.local_account {
        entries.push(pair("account", Value::Str(account_name(account))));
    }
    if let Some(credentials) = &remote.credentials {
        entries.push(pair("credentials", Value::Str(credentials.clone())));
    }
    if let Some(tls) = &remote.tls {
        // Inside the remote: a block at the `leafnodes` level is the listener's, and remotes do
        // not take it (nats-server issue 2868).
        entries.push(pair("tls", tls_value(&tls.certs, false)));
    }
    if let Some(nkey) = &remote.nkey {
        entries.push(Entry::Comment(format!(
            "nkey seed file {nkey} not written: nats-server 2.9 has no `nkey` for remotes and later ones want \
             the seed itself; use a credentials file"
        )));
    }
    Ok(entries)
}

fn password_value(variables: &mut Variables, password: &Password) -> Value {
    match password {
        // A bcrypt hash is recognised by its `$2a$` prefix; quoted, it is not a variable.
        Password::Plain(text) | Password::Bcrypt(text) => Value::Str(text.clone()),
        Password::SecretRef { name, key } => Value::Var(variables.password(name, key)),
    }
}

fn accounts_entries(cluster: &Cluster, variables: &mut Variables) -> Vec<Entry> {
    cluster
        .accounts
        .iter()
        .map(|(name, account)| {
            let mut entries = Vec::new();
            if account.jetstream {
                entries.push(pair("jetstream", Value::Word("enabled")));
            }
            if !account.users.is_empty() {
                let users = account
                    .users
                    .iter()
                    .map(|user| {
                        Value::Map(vec![
                            pair("user", Value::Str(user.name.clone())),
                            pair("password", password_value(variables, &user.password)),
                        ])
                    })
                    .collect();
                entries.push(pair("users", Value::List(users)));
            }
            if !account.exports.is_empty() {
                entries.push(pair("exports", Value::List(account.exports.iter().map(export_value).collect())));
            }
            if !account.imports.is_empty() {
                entries.push(pair("imports", Value::List(account.imports.iter().map(import_value).collect())));
            }
            Entry::Pair(Key::Name(account_name(name)), Value::Map(entries))
        })
        .collect()
}

/// `{ stream: "deliver.>", accounts: ["APP"] }`, `{ service: "...", response_type: stream }`.
fn export_value(export: &Export) -> Value {
    let mut entries = vec![pair(export.kind.as_str(), Value::Str(export.subject.clone()))];
    if !export.accounts.is_empty() {
        let accounts = export.accounts.iter().map(|a| Value::Str(account_name(a))).collect();
        entries.push(pair("accounts", Value::List(accounts)));
    }
    if let (ShareKind::Service, Some(response)) = (export.kind, export.response_type) {
        entries.push(pair("response_type", Value::Word(response.as_str())));
    }
    Value::Map(entries)
}

/// `{ service: { account: "DATA", subject: "$JS.hub.API.>" }, to: "JS.DATA.API.>" }`.
fn import_value(import: &Import) -> Value {
    let from = Value::Map(vec![
        pair("account", Value::Str(account_name(&import.account))),
        pair("subject", Value::Str(import.subject.clone())),
    ]);
    let mut entries = vec![pair(import.kind.as_str(), from)];
    match &import.local {
        Some(LocalSubject::To(to)) => entries.push(pair("to", Value::Str(to.clone()))),
        Some(LocalSubject::Prefix(prefix)) => entries.push(pair("prefix", Value::Str(prefix.clone()))),
        None => {}
    }
    Value::Map(entries)
}

/// Which address a deployment outside Kubernetes must expose for `cluster`'s leafnode listener:
/// the spokes dial the public endpoint the design declares (in the guide a NodePort, 30742),
/// while the servers listen on the listener's port (7422); without Kubernetes nothing maps one
/// to the other. `None` when the cluster accepts no leafnodes.
pub fn vm_leafnode_note(cluster: &Cluster) -> Option<String> {
    let listener = cluster.leafnode_listener.as_ref()?;
    let port = listener.port;
    Some(match listener.public_endpoints.as_slice() {
        [] => format!(
            "Outside Kubernetes: this listener is port {port} on every server, and no public endpoint is \
             declared: the spokes must reach port {port} of these servers at an address of their own network"
        ),
        endpoints => {
            let endpoints = endpoints.join(", ");
            format!(
                "Outside Kubernetes: this listener is port {port} on every server, but the spokes dial {endpoints} \
                 (in Kubernetes the hub's Service maps it to {port}); expose {endpoints} and forward it to port \
                 {port} of these servers, or change the spokes' remote URLs to dial port {port}"
            )
        }
    })
}

/// The conf of server `index` of cluster `id`, and the variables it reads.
fn server_entries(
    design: &Design,
    options: &ServerConfOptions,
    variables: &mut Variables,
    (id, cluster): (ClusterId, &Cluster),
    index: usize,
    store_dir: String,
) -> Vec<Entry> {
    let place = Placement { local: options.local.get(&id), cluster };
    let ports = place.ports(index);
    let mut entries = vec![
        pair("server_name", Value::Str(server_name(cluster, index))),
        pair("listen", Value::Str(place.listen(ports.client))),
        pair("http", Value::Str(place.listen(ports.http))),
    ];
    if let Some(tls) = &cluster.tls.client {
        entries.push(listener_tls(tls));
    }
    if cluster.jetstream {
        let mut jetstream = vec![pair("store_dir", Value::Str(store_dir))];
        if let Some(domain) = cluster.domain() {
            jetstream.push(pair("domain", Value::Str(domain.to_owned())));
        }
        entries.push(pair("jetstream", Value::Map(jetstream)));
    }
    // A lone JetStream server in a supercluster still needs a cluster block with routes: without
    // one it exits at start, "JetStream cluster requires configured routes or solicited leafnode
    // for the system account" (measured on 2.9.10 and 2.15.1); a route to itself is enough.
    let lone_in_supercluster = cluster.servers == 1
        && cluster.jetstream
        && cluster.gateway.is_some()
        && crate::model::gateway::supercluster_of(design, id).is_some();
    if cluster.servers > 1 || lone_in_supercluster {
        let routes = (0..usize::from(cluster.servers))
            .map(|i| Value::Str(format!("nats://{}:{}", place.host(i), place.ports(i).cluster)))
            .collect();
        let mut block = vec![
            pair("name", Value::Str(inert_name(&cluster.name))),
            pair("listen", Value::Str(place.listen(ports.cluster))),
        ];
        if let Some(tls) = &cluster.tls.routes {
            block.push(listener_tls(tls));
        }
        block.push(pair("routes", Value::List(routes)));
        entries.push(pair("cluster", Value::Map(block)));
    }
    let mut leafnodes = Vec::new();
    if let Some(listener) = &cluster.leafnode_listener {
        if place.local.is_none() {
            if let Some(note) = vm_leafnode_note(cluster) {
                entries.push(Entry::Comment(note));
            }
        }
        leafnodes.push(pair("listen", Value::Str(place.listen(ports.leafnode))));
        if listener.no_advertise {
            leafnodes.push(pair("no_advertise", Value::Word("true")));
        }
        if let Some(tls) = &listener.tls {
            leafnodes.push(listener_tls(tls));
        }
    }
    let mut remotes = Vec::new();
    for (i, remote) in cluster.remotes.iter().enumerate() {
        match remote_entries(design, options, variables, (i, remote)) {
            Ok(remote) => remotes.push(Value::Map(remote)),
            Err(why) => leafnodes.push(Entry::Comment(format!("remote {i} not written: {why}"))),
        }
    }
    if !remotes.is_empty() {
        leafnodes.push(pair("remotes", Value::List(remotes)));
    }
    if !leafnodes.is_empty() {
        entries.push(pair("leafnodes", Value::Map(leafnodes)));
    }
    if let Some(gateway) = gateway_entries(design, options, &place, ports) {
        entries.push(pair("gateway", Value::Map(gateway)));
    }
    if !cluster.server_tags.is_empty() {
        let tags = cluster.server_tags.iter().map(|t| Value::Str(t.clone())).collect();
        entries.push(pair("server_tags", Value::List(tags)));
    }
    if !cluster.accounts.is_empty() {
        entries.push(pair("accounts", Value::Map(accounts_entries(cluster, variables))));
    }
    if let Some(system) = &cluster.system_account {
        entries.push(pair("system_account", Value::Str(account_name(system))));
    }
    entries
}

/// The `gateway` block: named after the cluster (nats-server refuses a gateway name other than
/// the cluster name: "cluster name conflicts between cluster and gateway definitions"), and
/// each peer with its URLs. A peer whose target is placed locally (the sandbox) dials every
/// server of the target on its local gateway port; others dial the URLs written, or the
/// target's gateway endpoint when none is.
fn gateway_entries(
    design: &Design,
    options: &ServerConfOptions,
    place: &Placement<'_>,
    ports: ServerPorts,
) -> Option<Vec<Entry>> {
    let gateway = place.cluster.gateway.as_ref()?;
    let mut entries = vec![
        pair("name", Value::Str(inert_name(&place.cluster.name))),
        pair("listen", Value::Str(place.listen(ports.gateway))),
    ];
    if let Some(tls) = &gateway.tls {
        entries.push(listener_tls(tls));
    }
    let mut peers = Vec::new();
    for (index, peer) in gateway.peers.iter().enumerate() {
        let target = peer.target.and_then(|t| Some((t, design.cluster(t)?)));
        let local = target.filter(|_| options.remotes_to_local).and_then(|(id, c)| Some((options.local.get(&id)?, c)));
        let urls: Vec<String> = match (local, target) {
            (Some((local, cluster)), _) => {
                let target = Placement { local: Some(local), cluster };
                let scheme = local_scheme(peer.urls.iter().map(String::as_str));
                (0..usize::from(cluster.servers))
                    .map(|i| format!("{scheme}://{}:{}", local.host, target.ports(i).gateway))
                    .collect()
            }
            _ if peer.urls.iter().any(|u| dialable(u)) => peer.urls.iter().filter(|u| dialable(u)).cloned().collect(),
            (None, Some((_, cluster))) => match cluster.gateway.as_ref() {
                Some(g) if g.public_endpoints.is_empty() => {
                    // As routes do: every server of the target by its DNS name.
                    let target = Placement { local: None, cluster };
                    (0..usize::from(cluster.servers)).map(|i| format!("nats://{}:{}", target.host(i), g.port)).collect()
                }
                _ => crate::model::gateway::gateway_url(cluster).into_iter().filter(|u| dialable(u)).collect(),
            },
            (None, None) => Vec::new(),
        };
        if urls.is_empty() {
            entries.push(Entry::Comment(format!(
                "gateway {index} ({}) not written: it has no URL and no target with a gateway",
                inert_name(&peer.name)
            )));
            continue;
        }
        let name = match target {
            Some((_, cluster)) if peer.name.is_empty() => cluster.name.clone(),
            _ => peer.name.clone(),
        };
        let mut entry = vec![
            pair("name", Value::Str(inert_name(&name))),
            pair("urls", Value::List(urls.into_iter().map(Value::Str).collect())),
        ];
        if let Some(tls) = &peer.tls {
            entry.push(pair("tls", tls_value(&tls.certs, false)));
        }
        peers.push(Value::Map(entry));
    }
    if !peers.is_empty() {
        entries.push(pair("gateways", Value::List(peers)));
    }
    Some(entries)
}

/// A URL nats-server parses: a scheme, a host without quotes or whitespace, a port if any.
pub(crate) fn dialable(url: &str) -> bool {
    crate::model::url::Url::parse(url)
        .is_ok_and(|u| !u.host.chars().any(|c| c.is_whitespace() || c.is_control() || "\"';$`\\".contains(c)))
}

/// The variables `entries` read, in order of first use.
fn used_variables(entries: &[Entry], out: &mut Vec<String>) {
    fn visit(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Var(name) if !out.contains(name) => out.push(name.clone()),
            Value::List(items) => items.iter().for_each(|v| visit(v, out)),
            Value::Map(entries) => used_variables(entries, out),
            _ => {}
        }
    }
    for entry in entries {
        if let Entry::Pair(_, value) = entry {
            visit(value, out);
        }
    }
}

fn header_lines(
    design: &Design,
    options: &ServerConfOptions,
    (id, cluster): (ClusterId, &Cluster),
    index: usize,
    variables: &[ConfVariable],
) -> Vec<String> {
    let name = server_name(cluster, index);
    let mut lines = vec![header(design, "nats-server.conf")];
    let domain = cluster.domain().map(|d| format!(", JetStream domain {d}")).unwrap_or_default();
    lines.push(format!(
        "Server {name} ({} of {}) of {} cluster {}{domain}, for nats-server {}.",
        index + 1,
        cluster.servers,
        cluster.role,
        cluster.name,
        cluster.version
    ));
    if name != format!("{}nats-{index}", cluster.server_name_prefix) || inert_name(&cluster.name) != cluster.name {
        lines.push(
            "Whitespace in the server and cluster names is written as _: nats-server refuses names with spaces.".into(),
        );
    }
    if !options.local.contains_key(&id) && cluster.servers > 1 {
        let place = Placement { local: None, cluster };
        lines.push(format!(
            "Routes reach the cluster's servers as <server>.<cluster> ({}): give them DNS or /etc/hosts entries.",
            place.host(index)
        ));
    }
    if !variables.is_empty() {
        lines.push(
            "Read from nats-server's environment, each value parsed as a config value: give it double-quoted,".into(),
        );
        lines.push("as in NAME='\"s3cret\"', or a number or a password with spaces will not load.".into());
        for variable in variables {
            lines.push(format!("  {}: {}", variable.name, variable.meaning()));
        }
    }
    lines
}

/// `server/<cluster>/<server>.conf` for every server of every cluster.
pub fn render(design: &Design) -> Vec<ExportedFile> {
    render_with(design, &ServerConfOptions::default())
}

/// The confs with clusters placed as `options` say (the sandbox runs them on one host).
pub fn render_with(design: &Design, options: &ServerConfOptions) -> Vec<ExportedFile> {
    server_confs(design, options).into_iter().map(|conf| conf.file).collect()
}

/// One server's conf, with what a runner needs besides the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConf {
    pub cluster: ClusterId,
    /// The server's number in its cluster.
    pub index: usize,
    /// `server_name` as written.
    pub name: String,
    pub file: ExportedFile,
    /// The variables the conf reads from nats-server's environment.
    pub variables: Vec<ConfVariable>,
}

/// Every server's conf, in cluster and server order.
pub fn server_confs(design: &Design, options: &ServerConfOptions) -> Vec<ServerConf> {
    let mut folders = UniquePaths::default();
    let root = options.store_root.trim_end_matches('/');
    let mut confs = Vec::new();
    for (id, cluster) in design.clusters() {
        let folder = folders.claim(&file_stem(&cluster.name), "");
        let mut variables = Variables::new(design, cluster);
        for index in 0..usize::from(cluster.servers) {
            let name = server_name(cluster, index);
            let stem = file_stem(&name);
            let store_dir = format!("{root}/{folder}/{stem}");
            let entries = server_entries(design, options, &mut variables, (id, cluster), index, store_dir);
            let mut used = Vec::new();
            used_variables(&entries, &mut used);
            let used: Vec<ConfVariable> = used.iter().filter_map(|name| variables.get(name)).cloned().collect();
            let mut contents = String::new();
            for line in header_lines(design, options, (id, cluster), index, &used) {
                contents.push_str("# ");
                contents.push_str(&comment_text(&line));
                contents.push('\n');
            }
            contents.push('\n');
            write_entries(&mut contents, &entries, 0);
            let file = ExportedFile { path: format!("server/{folder}/{stem}.conf"), contents };
            confs.push(ServerConf { cluster: id, index, name, file, variables: used });
        }
    }
    confs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::{guide_corrected, hostile_names};

    fn conf<'a>(files: &'a [ExportedFile], path: &str) -> &'a str {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.as_str())
            .unwrap_or_else(|| panic!("{path} in {paths:?}"))
    }

    #[test]
    fn every_server_of_the_guide_gets_a_conf_named_as_the_chart_names_it() {
        let files = render(&guide_corrected());
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "server/headquarter/hq-nats-0.conf",
                "server/headquarter/hq-nats-1.conf",
                "server/headquarter/hq-nats-2.conf",
                "server/spoke-1/s1-nats-0.conf",
                "server/spoke-1/s1-nats-1.conf",
                "server/spoke-1/s1-nats-2.conf",
                "server/spoke-2/s2-nats-0.conf",
                "server/spoke-2/s2-nats-1.conf",
                "server/spoke-2/s2-nats-2.conf",
            ]
        );
        assert_eq!(render(&guide_corrected()), files, "deterministic");
    }

    #[test]
    fn a_vm_conf_says_which_address_the_spokes_dial_and_which_port_listens() {
        let d = guide_corrected();
        let files = render(&d);
        let hub = &files.iter().find(|f| f.path.contains("headquarter")).expect("a hub conf").contents;
        assert!(
            hub.contains(
                "# Outside Kubernetes: this listener is port 7422 on every server, but the spokes dial \
                 headquarter.nats.public.address.com:30742 (in Kubernetes the hub's Service maps it to 7422); \
                 expose headquarter.nats.public.address.com:30742 and forward it to port 7422 of these servers, \
                 or change the spokes' remote URLs to dial port 7422\n"
            ),
            "{hub}"
        );
        let spoke = &files.iter().find(|f| f.path.contains("spoke-1")).expect("a spoke conf").contents;
        assert!(!spoke.contains("Outside Kubernetes"), "spokes have no listener");
        let local = render_with(&d, &ServerConfOptions::local(&d, "127.0.0.1", 14000, "/tmp/x"));
        assert!(local.iter().all(|f| !f.contents.contains("Outside Kubernetes")), "the sandbox's confs need no note");
    }

    #[test]
    fn the_hub_conf_has_its_domain_cluster_listener_and_accounts() {
        let files = render(&guide_corrected());
        let hub = conf(&files, "server/headquarter/hq-nats-1.conf");
        for expected in [
            "server_name: \"hq-nats-1\"\n",
            "listen: \"0.0.0.0:4222\"\n",
            "http: \"0.0.0.0:8222\"\n",
            "jetstream {\n  store_dir: \"/data/headquarter/hq-nats-1\"\n  domain: \"hub\"\n}\n",
            "cluster {\n  name: \"headquarter\"\n  listen: \"0.0.0.0:6222\"\n  routes = [\n    \"nats://hq-nats-0.headquarter:6222\"\n",
            "leafnodes {\n  listen: \"0.0.0.0:7422\"\n  no_advertise: true\n}\n",
            "  \"ACC\": {\n    jetstream: enabled\n    users = [\n      { user: \"acc\", password: $NATS_PASSWORDS_ACC }\n    ]\n  }\n",
            "  \"SYS\": {\n    users = [\n      { user: \"sys\", password: $NATS_PASSWORDS_SYS }\n",
            "system_account: \"SYS\"\n",
            "#   NATS_PASSWORDS_ACC: the password in secret nats-passwords, key acc\n",
        ] {
            assert!(hub.contains(expected), "{expected}\nnot in\n{hub}");
        }
        assert!(!hub.contains("remotes"), "{hub}");
    }

    #[test]
    fn spoke_confs_dial_the_hub_once_per_account_in_their_own_domain() {
        let files = render(&guide_corrected());
        let spoke = conf(&files, "server/spoke-1/s1-nats-0.conf");
        for expected in [
            "  domain: \"cinema-a\"\n",
            "  name: \"spoke-1\"\n",
            "leafnodes {\n  remotes = [\n    { url: $LEAF_URL_ACC, account: \"ACC\" }\n    { url: $LEAF_URL_SYS, account: \"SYS\" }\n  ]\n}\n",
            "#   LEAF_URL_ACC: the leafnode URL nats://acc:<password in secret nats-passwords, key acc>@headquarter.nats.public.address.com:30742",
            "system_account: \"SYS\"\n",
        ] {
            assert!(spoke.contains(expected), "{expected}\nnot in\n{spoke}");
        }
        assert!(!spoke.contains("listen: \"0.0.0.0:7422\""), "spokes do not listen for leafnodes: {spoke}");
        assert!(!spoke.contains("spoke-1\"\n  listen") || spoke.contains("6222"));
    }

    #[test]
    fn plain_passwords_are_written_and_percent_encoded_in_remote_urls() {
        let mut design = guide_corrected();
        let ids: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
        let spoke = design.cluster_mut(ids[1]).unwrap();
        spoke.remotes[0].password = Some(Password::Plain("p@ss word\"".into()));
        spoke.accounts.get_mut("ACC").unwrap().users[0].password = Password::Bcrypt("$2a$11$abc".into());
        let files = render(&design);
        let spoke = conf(&files, "server/spoke-1/s1-nats-0.conf");
        assert!(
            spoke.contains("url: \"nats://acc:p%40ss%20word%22@headquarter.nats.public.address.com:30742\""),
            "{spoke}"
        );
        assert!(spoke.contains("{ user: \"acc\", password: \"$2a$11$abc\" }"), "{spoke}");
    }

    #[test]
    fn hostile_names_are_quoted_strings_never_variables() {
        let files = render(&hostile_names());
        assert_eq!(files.len(), 9);
        for file in &files {
            assert!(file.path.starts_with("server/") && !file.path.contains(".."), "{}", file.path);
            for line in file.contents.lines().filter(|l| !l.trim_start().starts_with('#')) {
                // Every `$` outside a quoted string is one of our variables.
                let outside: String = line.split('"').step_by(2).collect();
                for (i, _) in outside.match_indices('$') {
                    let variable = &outside[i + 1..];
                    assert!(variable.starts_with("NATS_PASSWORDS_") || variable.starts_with("LEAF_URL_"), "{line}");
                }
            }
        }
        let first = &files[0].contents;
        assert!(first.contains("server_name: \"\\\";_drop_table_streams;_---nats-0\"\n"), "{first}");
        assert!(first.contains("  name: \"$(rm_-rf_~)0\"\n"), "{first}");
    }

    #[test]
    fn conf_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(conf_string("a\"b\\c\nd\x01$X"), "\"a\\\"b\\\\c\\nd\\x01$X\"");
        assert_eq!(account_name("a\"b'c"), "a\"b'c");
        assert_eq!(key_text(&Key::Name("a\"b'c".into())), "a\"b'c");
        assert_eq!(account_name("a \"b'c"), "a _b'c");
        assert_eq!(account_name("'a\"b"), "'a_b");
        assert_eq!(key_text(&Key::Name("a\"b".into())), "'a\"b'");
        assert_eq!(dns_label("<script>alert(1)</script>2", "x"), "script-alert-1-script-2");
        assert_eq!(dns_label("$$$", "cluster"), "cluster");
        assert_eq!(env_name("nats-passwords_acc"), "NATS_PASSWORDS_ACC");
        assert_eq!(env_name("1x"), "S_1X");
    }

    #[test]
    fn secret_variables_never_clash_with_each_other_or_with_accounts() {
        let mut design = guide_corrected();
        let ids: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
        let hub = design.cluster_mut(ids[0]).unwrap();
        hub.accounts.insert("NATS_PASSWORDS_ACC".into(), Default::default());
        hub.accounts.get_mut("SYS").unwrap().users[0].password =
            Password::SecretRef { name: "nats".into(), key: "passwords-acc".into() };
        let confs = server_confs(&design, &ServerConfOptions::default());
        let names: Vec<String> = confs[0].variables.iter().map(|v| v.name.clone()).collect();
        let unique: BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        // Both secrets want NATS_PASSWORDS_ACC, an account's name: suffixes in secret order.
        assert_eq!(names, ["NATS_PASSWORDS_ACC_3", "NATS_PASSWORDS_ACC_2"]);
        assert!(confs[0].file.contents.contains("{ user: \"acc\", password: $NATS_PASSWORDS_ACC_3 }"));
    }

    #[test]
    fn local_options_put_every_server_on_one_host_and_remotes_on_local_listeners() {
        let design = guide_corrected();
        let options = ServerConfOptions::local(&design, "127.0.0.1", 10000, "/tmp/sandbox");
        let files = render_with(&design, &options);
        let hub0 = conf(&files, "server/headquarter/hq-nats-0.conf");
        assert!(hub0.contains("listen: \"127.0.0.1:10000\""), "{hub0}");
        // Five ports a server (client, cluster, leafnode, http, gateway): hq-nats-1 routes on 10006.
        assert!(hub0.contains("\"nats://127.0.0.1:10006\""), "route to hq-nats-1: {hub0}");
        assert!(hub0.contains("leafnodes {\n  listen: \"127.0.0.1:10002\""), "{hub0}");
        assert!(hub0.contains("store_dir: \"/tmp/sandbox/headquarter/hq-nats-0\""), "{hub0}");
        let spoke = server_confs(&design, &options).into_iter().find(|c| c.name == "s2-nats-2").unwrap();
        let urls: Vec<ConfVariable> =
            spoke.variables.into_iter().filter(|v| matches!(v.value, VariableValue::RemoteUrl { .. })).collect();
        assert_eq!(urls.len(), 2);
        assert_eq!(urls[0].name, "LEAF_URL_ACC");
        assert_eq!(urls[0].env_value("pw 1"), "\"nats://acc:pw%201@127.0.0.1:10002\"");
    }
}

#[cfg(test)]
mod gateway_tests {
    use super::*;
    use crate::model::templates::two_regions_and_a_site;

    #[test]
    fn a_region_writes_its_gateway_named_after_the_cluster_with_each_peer_and_its_tags() {
        let design = two_regions_and_a_site();
        let files = render(&design);
        let east = files.iter().find(|f| f.path == "server/east/east-nats-0.conf").expect("east's first server");
        let text = &east.contents;
        assert!(
            text.contains(
                "gateway {\n  name: \"east\"\n  listen: \"0.0.0.0:7222\"\n  gateways = [\n    {\n      name: \"west\"\n      urls = [\n        \"nats://west.example.com:7222\"\n"
            ),
            "{text}"
        );
        assert!(text.contains("server_tags = [\n  \"region:east\"\n]"), "{text}");
        let site = files.iter().find(|f| f.path.starts_with("server/site/")).expect("the site");
        assert!(!site.contents.contains("gateway"), "the site has no gateway");
    }

    #[test]
    fn a_local_render_dials_every_server_of_the_peer_on_its_local_gateway_port() {
        let design = two_regions_and_a_site();
        let options = ServerConfOptions::local(&design, "127.0.0.1", 20000, "/tmp/store");
        let west = design.clusters().find(|(_, c)| c.name == "west").map(|(id, _)| id).expect("west");
        let ports: Vec<u16> = options.local[&west].servers.iter().map(|p| p.gateway).collect();
        let files = render_with(&design, &options);
        let east = files.iter().find(|f| f.path == "server/east/east-nats-1.conf").expect("east");
        for port in ports {
            assert!(east.contents.contains(&format!("\"nats://127.0.0.1:{port}\"")), "{}", east.contents);
        }
        assert!(east.contents.contains("listen: \"127.0.0.1:"), "{}", east.contents);
    }

    #[test]
    fn a_lone_jetstream_server_in_a_supercluster_routes_to_itself() {
        let mut design = two_regions_and_a_site();
        let ids: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
        for id in ids {
            design.cluster_mut(id).expect("listed").servers = 1;
        }
        let files = render(&design);
        let east = files.iter().find(|f| f.path.starts_with("server/east/")).expect("east");
        assert!(
            east.contents.contains("cluster {\n  name: \"east\"\n  listen: \"0.0.0.0:6222\"\n  routes = [\n    \"nats://east-nats-0.east:6222\""),
            "{}",
            east.contents
        );
        let site = files.iter().find(|f| f.path.starts_with("server/site/")).expect("the site");
        assert!(!site.contents.contains("cluster {"), "the site is in no supercluster: {}", site.contents);
    }
}

#[cfg(test)]
mod tls_tests {
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::tls::{TlsDial, TlsListener};

    #[test]
    fn a_secret_is_read_from_its_mount_and_hostile_paths_stay_quoted_strings() {
        let mut design = guide_corrected();
        let hub = design.clusters().next().map(|(id, _)| id).expect("the hub");
        let listener = design.cluster_mut(hub).expect("hub").leafnode_listener.as_mut().expect("listens");
        listener.tls = Some(TlsListener {
            certs: TlsCerts { secret: Some("hub-tls".into()), ..TlsCerts::default() },
            verify: false,
        });
        let spoke = design.clusters().nth(1).map(|(id, _)| id).expect("a spoke");
        design.cluster_mut(spoke).expect("spoke").remotes[0].tls =
            Some(TlsDial { certs: TlsCerts { ca_file: Some("/ca/$(rm -rf ~)\"x.pem".into()), ..TlsCerts::default() } });
        let files = render(&design);
        let hub_conf = &files[0].contents;
        assert!(
            hub_conf.contains(
                "leafnodes {\n  listen: \"0.0.0.0:7422\"\n  no_advertise: true\n  tls {\n    cert_file: \
                 \"/etc/nats-certs/hub-tls/tls.crt\"\n    key_file: \"/etc/nats-certs/hub-tls/tls.key\"\n    \
                 ca_file: \"/etc/nats-certs/hub-tls/ca.crt\"\n  }\n}"
            ),
            "{hub_conf}"
        );
        let spoke_conf = files.iter().find(|f| f.contents.contains("remotes")).expect("a spoke").contents.clone();
        assert!(spoke_conf.contains("      tls { ca_file: \"/ca/$(rm -rf ~)\\\"x.pem\" }\n"), "{spoke_conf}");
        assert!(!spoke_conf.contains("verify"), "a dial has no verify");
    }
}
