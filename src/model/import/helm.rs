//! Helm values of the NATS chart, 0.19.x (the guide's: `nats.*`, `cluster.*`, `leafnodes.*`,
//! `auth.*`) and 1.x/2.x (`config.*` with `merge`, secrets through `container.env`), read into
//! one cluster each. The generation is recognized by the top-level keys.
//!
//! Keys the chart does not read raise `helm-unknown-key`, checked against the generated lists
//! of `helm_keys.rs` (the charts have no values schema, so Helm ignores such keys silently).
//! Reads back everything `export::helm` writes, placeholders and secret references included.

use super::conf_syntax::{self, ConfValue, Entry};
use super::helm_keys::{V0_19_CLOSED, V0_19_KEYS, V1_CLOSED, V1_KEYS};
use super::lines::{self, KeyLines};
use super::server_conf;
use super::{closest, file_stem, password, split_url, Finding, Place, ReadCluster};
use crate::model::export::Chart;
use crate::model::validate::Rule;
use crate::model::{Account, Cluster, LeafnodeListener, LeafnodeRemote, NatsVersion, Password, Role, User};
use serde_yaml::Value;
use std::collections::BTreeMap;

/// The chart's folder for mounted credential secrets (both generations).
const CREDS_DIR: &str = "/etc/nats-creds";

fn keys(chart: Chart) -> (&'static [&'static str], &'static [&'static str]) {
    match chart {
        Chart::V0_19 => (V0_19_KEYS, V0_19_CLOSED),
        Chart::V1 => (V1_KEYS, V1_CLOSED),
    }
}

fn generation(chart: Chart) -> &'static str {
    match chart {
        Chart::V0_19 => "chart 0.19.x",
        Chart::V1 => "chart 1.x/2.x",
    }
}

fn top_level(list: &[&str], key: &str) -> bool {
    list.binary_search(&key).is_ok()
}

/// Option names of a nats-server.conf: a YAML document using them is not Helm values.
const CONF_ONLY: [&str; 8] =
    ["server_name", "listen", "port", "jetstream", "accounts", "system_account", "http", "include"];

/// The chart generation whose values `value` is, if it is Helm values at all.
pub(super) fn recognize(value: &Value) -> Option<Chart> {
    let Value::Mapping(map) = value else { return None };
    let names: Vec<&str> = map.keys().filter_map(Value::as_str).collect();
    if names.is_empty() || names.iter().any(|k| CONF_ONLY.contains(k)) {
        return None;
    }
    let v1 = names.iter().filter(|k| top_level(V1_KEYS, k) && !top_level(V0_19_KEYS, k)).count();
    let v0 = names.iter().filter(|k| top_level(V0_19_KEYS, k) && !top_level(V1_KEYS, k)).count();
    let either = names.iter().filter(|k| top_level(V1_KEYS, k) || top_level(V0_19_KEYS, k)).count();
    if v1 > 0 && v1 >= v0 {
        Some(Chart::V1)
    } else if v0 > 0 {
        Some(Chart::V0_19)
    } else if either > 0 {
        Some(Chart::V1)
    } else {
        None
    }
}

/// The value at a dotted path of string keys.
fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.as_mapping()?.get(key)).filter(|v| !v.is_null())
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn boolean(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.as_str() {
            "true" | "enabled" => Some(true),
            "false" | "disabled" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn number(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).map(|s| s.trim().to_owned()).unwrap_or_default(),
    }
}

/// Keys below closed maps that the chart does not list, as (path with indices, generic path).
fn unknown_keys(value: &Value, chart: Chart) -> Vec<(String, String)> {
    let (known, closed) = keys(chart);
    let mut out = Vec::new();
    // (value, path with indices, generic path); iterative so that nesting cannot overflow.
    let mut todo: Vec<(&Value, String, String)> = vec![(value, String::new(), String::new())];
    while let Some((value, path, generic)) = todo.pop() {
        match value {
            Value::Mapping(map) if generic.is_empty() || closed.binary_search(&generic.as_str()).is_ok() => {
                for (key, child) in map {
                    let key = key_text(key);
                    let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    let child_generic = if generic.is_empty() { key.clone() } else { format!("{generic}.{key}") };
                    if known.binary_search(&child_generic.as_str()).is_ok() {
                        todo.push((child, child_path, child_generic));
                    } else {
                        out.push((child_path, child_generic));
                    }
                }
            }
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    todo.push((item, format!("{path}[{i}]"), format!("{generic}[]")));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out
}

/// A known key next to an unknown one that was probably meant (`noAdvertise` for `no_advertise`).
fn suggestion(generic: &str, chart: Chart) -> Option<String> {
    let (known, _) = keys(chart);
    let (parent, key) = match generic.rsplit_once('.') {
        Some((parent, key)) => (Some(parent), key),
        None => (None, generic),
    };
    let siblings = known.iter().filter_map(|k| match (parent, k.rsplit_once('.')) {
        (Some(p), Some((kp, kk))) if kp == p => Some(kk),
        (None, None) => Some(*k),
        _ => None,
    });
    let squash = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    let siblings: Vec<&str> = siblings.collect();
    let found = siblings
        .iter()
        .find(|k| squash(k) == squash(key))
        .map(|k| (*k).to_owned())
        .or_else(|| closest(key, siblings.iter().copied()).map(str::to_owned))?;
    Some(match parent {
        Some(p) => format!("{p}.{found}"),
        None => found,
    })
}

/// Secrets named by `container.env`: variable → (secret, key); plain values as `Err(value)`.
fn environment(values: &Value) -> BTreeMap<String, Result<(String, String), String>> {
    let Some(Value::Mapping(env)) = at(values, "container.env") else { return BTreeMap::new() };
    env.iter()
        .filter_map(|(name, value)| {
            let name = name.as_str()?.to_owned();
            if let Some(plain) = text(Some(value)) {
                return Some((name, Err(plain)));
            }
            let secret = at(value, "valueFrom.secretKeyRef")?;
            Some((name, Ok((text(at(secret, "name"))?, text(at(secret, "key"))?))))
        })
        .collect()
}

/// `<< $VAR >>`: the chart writes it unquoted, a NATS variable read from the environment.
fn variable(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("<<")?.strip_suffix(">>")?.trim();
    inner.strip_prefix('$').filter(|v| !v.is_empty())
}

struct Reader<'a> {
    values: &'a Value,
    lines: KeyLines,
    env: BTreeMap<String, Result<(String, String), String>>,
    notes: Vec<String>,
    path: &'a str,
}

impl Reader<'_> {
    /// A user's password as the values give it.
    fn password(&mut self, text: &str, at: &str) -> Password {
        if let Some(var) = variable(text) {
            return match self.env.get(var) {
                Some(Ok((name, key))) => Password::SecretRef { name: name.clone(), key: key.clone() },
                Some(Err(plain)) => password(plain),
                None => {
                    self.notes.push(format!(
                        "{}: {at} reads variable ${var}, which container.env does not define; kept as a reference \
                         to key {var} of secret \"env\"",
                        self.path
                    ));
                    Password::SecretRef { name: "env".into(), key: var.to_owned() }
                }
            };
        }
        password(text)
    }

    fn accounts(&mut self, base: &str) -> (BTreeMap<String, Account>, Option<String>) {
        let mut plain_at = None;
        let mut accounts = BTreeMap::new();
        let Some(Value::Mapping(map)) = at(self.values, base) else { return (accounts, None) };
        for (name, value) in map {
            let name = key_text(name);
            let jetstream = match value.get("jetstream") {
                Some(v) => boolean(Some(v)).unwrap_or(v.is_mapping()),
                None => false,
            };
            let mut users = Vec::new();
            for (i, user) in value.get("users").and_then(Value::as_sequence).into_iter().flatten().enumerate() {
                let Some(user_name) = text(user.get("user").or_else(|| user.get("username"))) else { continue };
                let (key, written) = match (user.get("password"), user.get("pass")) {
                    (Some(p), _) => ("password", text(Some(p))),
                    (None, Some(p)) => ("pass", text(Some(p))),
                    (None, None) => ("password", None),
                };
                let at = format!("{base}.{name}.users[{i}].{key}");
                let password = self.password(&written.unwrap_or_default(), &at);
                if matches!(&password, Password::Plain(p) if !p.is_empty()) && plain_at.is_none() {
                    plain_at = Some(at);
                }
                users.push(User { name: user_name, password });
            }
            let mut account = Account::new(jetstream, users);
            for (list, shape) in [("exports", server_conf::EXPORT_SHAPE), ("imports", server_conf::IMPORT_SHAPE)] {
                for (i, item) in value.get(list).and_then(Value::as_sequence).into_iter().flatten().enumerate() {
                    let conf = conf_value(item);
                    let read = match list {
                        "exports" => server_conf::read_export(&conf).map(|e| account.exports.push(e)),
                        _ => server_conf::read_import(&conf).map(|i| account.imports.push(i)),
                    };
                    if read.is_none() {
                        let at = format!("{base}.{name}.{list}[{i}]");
                        let line = self.lines.get(&at).map_or_else(String::new, |l| format!(":{l}"));
                        self.notes.push(format!("{}{line}: {at} was not read: {shape}", self.path));
                    }
                }
            }
            accounts.insert(name, account);
        }
        (accounts, plain_at)
    }

    fn remotes(&mut self, base: &str, chart: Chart) -> (Vec<LeafnodeRemote>, Vec<Option<usize>>) {
        let mut remotes = Vec::new();
        let mut lines = Vec::new();
        let Some(items) = at(self.values, base).and_then(Value::as_sequence) else { return (remotes, lines) };
        for (i, item) in items.iter().enumerate() {
            let at_path = format!("{base}[{i}]");
            lines.push(self.lines.nearest(&at_path));
            let url = text(item.get("url")).or_else(|| {
                let urls = item.get("urls")?.as_sequence()?;
                if urls.len() > 1 {
                    self.notes.push(format!("{}: {at_path}.urls has several URLs; the first is kept", self.path));
                }
                text(urls.first())
            });
            let mut remote = LeafnodeRemote {
                local_account: text(item.get("account")),
                nkey: text(item.get("nkey")),
                ..LeafnodeRemote::default()
            };
            remote.credentials = match item.get("credentials") {
                Some(Value::String(path)) => Some(path.clone()),
                Some(other) => match (text(at(other, "secret.name")), text(at(other, "secret.key"))) {
                    (Some(name), Some(key)) => Some(format!("{CREDS_DIR}/{name}/{key}")),
                    _ => None,
                },
                None => None,
            };
            remote.tls = item.get("tls").and_then(|tls| match chart {
                Chart::V1 => Some(super::helm_tls::dial_v1(tls)),
                Chart::V0_19 => {
                    super::helm_tls::certs_v0_19(tls).map(|(certs, _)| crate::model::tls::TlsDial { certs })
                }
            });
            match url.as_deref().map(|u| (u, variable(u))) {
                Some((_, Some(var))) => match self.env.get(var) {
                    Some(Ok((name, key))) => {
                        self.notes.push(format!(
                            "{}: the URL of {at_path} comes whole from key {key} of secret {name}; its target \
                                 and user cannot be read from the values",
                            self.path
                        ));
                        let key = key.strip_suffix("-leaf-url").unwrap_or(key);
                        remote.password = Some(Password::SecretRef { name: name.clone(), key: key.to_owned() });
                    }
                    Some(Err(plain)) => split_into(&mut remote, plain),
                    None => self.notes.push(format!(
                        "{}: the URL of {at_path} reads variable ${var}, which container.env does not define",
                        self.path
                    )),
                },
                Some((url, None)) => split_into(&mut remote, url),
                None => {}
            }
            remotes.push(remote);
        }
        (remotes, lines)
    }
}

/// The URL with its user information moved to `user` and `password`.
fn split_into(remote: &mut LeafnodeRemote, url: &str) {
    let (url, user, pass) = split_url(url);
    remote.url = url;
    remote.user = user;
    remote.password = pass.map(|p| {
        // The chart 0.19 export's placeholder for a password kept in a secret.
        match p.strip_prefix("REPLACE-WITH-PASSWORD-IN-SECRET-").and_then(|r| r.rsplit_once("-KEY-")) {
            Some((name, key)) => Password::SecretRef { name: name.to_owned(), key: key.to_owned() },
            None => password(&p),
        }
    });
}

/// Reads one values file into a cluster.
pub(super) fn read(path: &str, text_of_file: &str, values: &Value, chart: Chart) -> ReadCluster {
    let mut r = Reader { values, lines: lines::yaml(text_of_file), env: environment(values), notes: Vec::new(), path };
    let mut findings = Vec::new();
    for (key, generic) in unknown_keys(values, chart) {
        let mut message = format!("key {key} is not read by the NATS {}: Helm ignores it", generation(chart));
        if let Some(meant) = suggestion(&generic, chart) {
            message.push_str(&format!("; did you mean {meant}?"));
        }
        findings.push(Finding::new(Rule::HelmUnknownKey, r.lines.nearest(&key), message));
    }

    let p = match chart {
        Chart::V0_19 => Paths {
            name: "cluster.name",
            cluster_enabled: "cluster.enabled",
            replicas: "cluster.replicas",
            jetstream: "nats.jetstream.enabled",
            domain: &["nats.jetstream.domain"],
            prefix: "nats.serverNamePrefix",
            tag: "nats.image.tag",
            listener: "leafnodes.enabled",
            port: "leafnodes.port",
            no_advertise: "leafnodes.noAdvertise",
            remotes: &["leafnodes.remotes"],
            accounts: "auth.basic.accounts",
            system_account: "auth.systemAccount",
        },
        Chart::V1 => Paths {
            name: "config.cluster.merge.name",
            cluster_enabled: "config.cluster.enabled",
            replicas: "config.cluster.replicas",
            jetstream: "config.jetstream.enabled",
            domain: &["config.jetstream.merge.domain", "config.merge.jetstream.domain"],
            prefix: "config.serverNamePrefix",
            tag: "container.image.tag",
            listener: "config.leafnodes.enabled",
            port: "config.leafnodes.port",
            no_advertise: "config.leafnodes.merge.no_advertise",
            remotes: &["config.merge.leafnodes.remotes", "config.leafnodes.merge.remotes"],
            accounts: "config.merge.accounts",
            system_account: "config.merge.system_account",
        },
    };

    let stem = file_stem(path);
    let name = match (text(at(values, p.name)), chart) {
        // Chart 0.19 writes the name bare into nats.conf: a quoted one is a NATS config string.
        (Some(name), Chart::V0_19) if name.len() >= 2 && name.starts_with('"') && name.ends_with('"') => {
            match super::conf_syntax::parse(&format!("name: {name}")) {
                Ok(entries) => match super::conf_syntax::get(&entries, "name") {
                    Some((super::conf_syntax::ConfValue::Str(unquoted), _)) => unquoted.clone(),
                    _ => name,
                },
                Err(_) => name,
            }
        }
        (Some(name), _) if !name.is_empty() => name,
        (_, Chart::V0_19) => "nats".to_owned(),
        (_, Chart::V1) => {
            let name = stem.trim_start_matches("values-").trim_end_matches(".values").to_owned();
            r.notes.push(format!(
                "{path}: config.cluster.merge.name is not set, so the cluster is named after the Helm release, which \
                 the values do not tell; named {name} after the file"
            ));
            name
        }
    };
    let mut cluster = Cluster::new(name, Role::Standalone);
    cluster.jetstream = boolean(at(values, p.jetstream)).unwrap_or(false);
    let domain_key = p.domain.iter().find(|k| at(values, k).is_some()).copied().unwrap_or(p.domain[0]);
    cluster.domain = text(at(values, domain_key)).unwrap_or_default();
    cluster.servers = if boolean(at(values, p.cluster_enabled)).unwrap_or(false) {
        number(at(values, p.replicas)).unwrap_or(3).clamp(1, i64::from(u8::MAX)) as u8
    } else {
        1
    };
    cluster.server_name_prefix = text(at(values, p.prefix)).unwrap_or_default();
    cluster.version = match (text(at(values, p.tag)).and_then(|t| NatsVersion::parse(t.split('-').next()?)), chart) {
        (Some(v), _) => v,
        (None, Chart::V0_19) => NatsVersion::V2_9,
        (None, Chart::V1) => NatsVersion::V2_14,
    };
    if boolean(at(values, p.listener)).unwrap_or(false) {
        let default_no_advertise = chart == Chart::V1;
        cluster.leafnode_listener = Some(LeafnodeListener {
            tls: match chart {
                Chart::V1 => super::helm_tls::listener_v1(values, "leafnodes"),
                Chart::V0_19 => super::helm_tls::listener_v0_19(values, "leafnodes"),
            },
            port: number(at(values, p.port)).and_then(|n| u16::try_from(n).ok()).unwrap_or(7422),
            public_endpoints: Vec::new(),
            no_advertise: boolean(at(values, p.no_advertise)).unwrap_or(default_no_advertise),
        });
    }
    let remotes_key = p.remotes.iter().find(|k| at(values, k).is_some()).copied().unwrap_or(p.remotes[0]);
    let (remotes, remote_lines) = r.remotes(remotes_key, chart);
    cluster.remotes = remotes;

    match chart {
        Chart::V1 => {
            let lines = &r.lines;
            let (gateway, tags, gateway_findings) =
                super::gateways::from_values_v1(values, &cluster.name, |key| lines.nearest(key));
            cluster.gateway = gateway;
            cluster.server_tags = tags;
            findings.extend(gateway_findings);
            cluster.tls.client = super::helm_tls::listener_v1(values, "nats");
            cluster.tls.routes = super::helm_tls::listener_v1(values, "cluster");
            if let Some(gateway) = &mut cluster.gateway {
                gateway.tls = super::helm_tls::listener_v1(values, "gateway");
                let written = at(values, "config.gateway.merge.gateways").and_then(Value::as_sequence);
                for peer in &mut gateway.peers {
                    let tls = written
                        .into_iter()
                        .flatten()
                        .find(|item| text(item.get("name")).as_deref() == Some(peer.name.as_str()))
                        .and_then(|item| item.get("tls"));
                    peer.tls = tls.map(super::helm_tls::dial_v1);
                }
            }
        }
        Chart::V0_19 => {
            let (gateway, gateway_notes) = super::gateways::from_values_v0_19(values, &cluster.name);
            cluster.gateway = gateway;
            cluster.server_tags = super::gateways::tags_v0_19(values);
            cluster.tls.client = super::helm_tls::listener_v0_19(values, "nats");
            cluster.tls.routes = super::helm_tls::listener_v0_19(values, "cluster");
            if let Some(gateway) = &mut cluster.gateway {
                gateway.tls = super::helm_tls::listener_v0_19(values, "gateway");
            }
            r.notes.extend(gateway_notes.into_iter().map(|n| format!("{path}: {n}")));
        }
    }
    let auth_enabled = chart == Chart::V1 || boolean(at(values, "auth.enabled")).unwrap_or(false);
    let mut plain_at = None;
    if auth_enabled {
        let (accounts, plain) = r.accounts(p.accounts);
        cluster.accounts = accounts;
        plain_at = plain;
        cluster.system_account = text(at(values, p.system_account));
    } else if at(values, "auth").is_some() {
        r.notes.push(format!("{path}: auth.enabled is not true, so the chart renders no accounts; none imported"));
    }

    let mut fields: BTreeMap<&'static str, String> = BTreeMap::new();
    fields.insert("name", p.name.to_owned());
    fields.insert("domain", domain_key.to_owned());
    fields.insert("jetstream", p.jetstream.to_owned());
    fields.insert("servers", p.replicas.to_owned());
    fields.insert("server_name_prefix", p.prefix.to_owned());
    fields.insert("system_account", p.system_account.to_owned());
    fields.insert("leafnode_listener", p.listener.to_owned());
    fields.insert("accounts", p.accounts.to_owned());
    if let Some(at) = plain_at {
        fields.insert("password", at);
    }
    // The line a cluster-wide finding points at when its field has none: the cluster's name,
    // else the first line with a key.
    let line = r.lines.nearest(p.name).or_else(|| r.lines.nearest(p.cluster_enabled)).or(Some(1));
    let Reader { lines, notes, .. } = r;
    ReadCluster {
        cluster,
        place: Place { file: path.to_owned(), line, lines, fields, remotes: remote_lines, ..Place::default() },
        findings,
        notes,
    }
}

struct Paths {
    name: &'static str,
    cluster_enabled: &'static str,
    replicas: &'static str,
    jetstream: &'static str,
    domain: &'static [&'static str],
    prefix: &'static str,
    tag: &'static str,
    listener: &'static str,
    port: &'static str,
    no_advertise: &'static str,
    remotes: &'static [&'static str],
    accounts: &'static str,
    system_account: &'static str,
}

/// A values entry as the chart writes it into `nats.conf` (0.19 as JSON, 1.x through `merge`),
/// so that exports and imports are read exactly as from a conf.
fn conf_value(value: &Value) -> ConfValue {
    match value {
        Value::Sequence(items) => {
            ConfValue::List(items.iter().map(|item| conf_syntax::Item { value: conf_value(item), line: 0 }).collect())
        }
        Value::Mapping(map) => ConfValue::Map(
            map.iter()
                .map(|(key, value)| Entry::Pair { key: key_text(key), value: conf_value(value), line: 0 })
                .collect(),
        ),
        Value::Bool(b) => ConfValue::Bool(*b),
        Value::Number(n) => n.as_i64().map_or_else(|| ConfValue::Float(n.as_f64().unwrap_or_default()), ConfValue::Int),
        Value::String(text) => ConfValue::Str(text.clone()),
        Value::Null | Value::Tagged(_) => ConfValue::Str(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).expect("YAML")
    }

    #[test]
    fn generations_are_recognized_by_their_keys() {
        assert_eq!(recognize(&yaml("nats:\n  jetstream:\n    enabled: true\n")), Some(Chart::V0_19));
        assert_eq!(recognize(&yaml("config:\n  cluster:\n    enabled: true\n")), Some(Chart::V1));
        assert_eq!(recognize(&yaml("server_name: a\ncluster: {name: x}\n")), None);
        assert_eq!(recognize(&yaml("foo: 1\n")), None);
        assert_eq!(recognize(&yaml("- 1\n")), None);
    }

    #[test]
    fn unknown_keys_are_found_below_closed_maps_only() {
        let values = yaml(
            "leafnodes:\n  no_advertise: true\n  remotes:\n    - url: x\n      anything: 1\nauth:\n  basic:\n    whatever: 1\nnats:\n  jetstream:\n    domian: hub\n",
        );
        let found: Vec<String> = unknown_keys(&values, Chart::V0_19).into_iter().map(|(p, _)| p).collect();
        assert_eq!(found, ["leafnodes.no_advertise", "nats.jetstream.domian"]);
        assert_eq!(suggestion("leafnodes.no_advertise", Chart::V0_19).as_deref(), Some("leafnodes.noAdvertise"));
        assert_eq!(suggestion("nats.jetstream.domian", Chart::V0_19).as_deref(), Some("nats.jetstream.domain"));
        let v1 = yaml("config:\n  merge:\n    anything: 1\n  jetstream:\n    merge: {domain: hub}\n  leafnode: {}\n");
        let found: Vec<String> = unknown_keys(&v1, Chart::V1).into_iter().map(|(p, _)| p).collect();
        assert_eq!(found, ["config.leafnode"]);
    }

    #[test]
    fn secrets_and_placeholders_become_secret_references() {
        let values = yaml(
            "config:\n  merge:\n    accounts:\n      ACC:\n        jetstream: enabled\n        users:\n          - {user: acc, password: << $NATS_PASSWORDS_ACC >>}\n          - {user: b, password: \"$2a$11$abcdefghijklmnopqrstuv\"}\ncontainer:\n  env:\n    NATS_PASSWORDS_ACC:\n      valueFrom:\n        secretKeyRef: {name: nats-passwords, key: acc}\n",
        );
        let got = read("v.yaml", "", &values, Chart::V1);
        let users = &got.cluster.accounts["ACC"].users;
        assert_eq!(users[0].password, Password::SecretRef { name: "nats-passwords".into(), key: "acc".into() });
        assert!(matches!(users[1].password, Password::Bcrypt(_)));
        assert!(got.cluster.accounts["ACC"].jetstream);
        let old = yaml(
            "auth:\n  enabled: true\n  basic:\n    accounts:\n      A:\n        users:\n          - user: a\n            pass: $2a$11$REPLACE-WITH-BCRYPT-HASH-OF-SECRET-s-KEY-k\nleafnodes:\n  remotes:\n    - url: nats://a:REPLACE-WITH-PASSWORD-IN-SECRET-s-KEY-k@hq:7422\n      credentials:\n        secret: {name: leaf, key: a.creds}\n",
        );
        let read = read("v.yaml", "", &old, Chart::V0_19);
        let secret = Password::SecretRef { name: "s".into(), key: "k".into() };
        assert_eq!(read.cluster.accounts["A"].users[0].password, secret);
        let remote = &read.cluster.remotes[0];
        assert_eq!((remote.url.as_str(), remote.user.as_deref()), ("nats://hq:7422", Some("a")));
        assert_eq!(remote.password, Some(secret));
        assert_eq!(remote.credentials.as_deref(), Some("/etc/nats-creds/leaf/a.creds"));
        assert_eq!(read.cluster.name, "nats", "the 0.19 chart's default cluster name");
    }
}
