//! A rendered `nats.conf` (from a chart's ConfigMap) moved onto this host: every address it
//! listens on or dials becomes `127.0.0.1` with the port given for it, and the two paths a
//! server writes to (`jetstream.store_dir`, `pid_file`) go into a folder given for it.
//! Nothing else changes: the conf is parsed and written back whole, with its variables
//! (`$SERVER_NAME`, `$LEAF_URL_ACC`) still read from the environment.
//!
//! What counts as an address: the client `port`/`host`/`listen`, the monitoring port, the
//! `cluster` listener, its `routes` and advertised address, the `leafnodes` listener and its
//! advertised address, and the URLs of leafnode remotes written in the file (a remote whose URL
//! is a variable is listed, so that the caller can give the variable a local URL).

use super::conf_syntax::{parse, ConfValue, Entry, Item};
use crate::model::export::server_conf::conf_string;
use crate::model::url;
use std::collections::BTreeMap;

/// Where one server of the sandbox listens, and what its remotes dial instead.
#[derive(Clone, Debug, Default)]
pub struct LocalServer {
    pub client: u16,
    pub cluster: u16,
    pub leafnode: u16,
    pub http: u16,
    /// The cluster ports of every server of its cluster (its routes).
    pub routes: Vec<u16>,
    pub store_dir: String,
    pub pid_file: String,
    /// `host:port` (lowercase) of a remote URL → the local leafnode port that stands for it.
    pub endpoints: BTreeMap<String, u16>,
    /// The gateway listen port (used when the conf has a gateway).
    pub gateway: u16,
    /// `host:port` (lowercase) of a gateway URL → the local gateway ports that stand for it
    /// (every server of the cluster it reaches).
    pub gateway_endpoints: BTreeMap<String, Vec<u16>>,
}

/// The conf on this host.
#[derive(Clone, Debug, PartialEq)]
pub struct Localized {
    pub text: String,
    /// Remotes (by index) whose URL is a variable: (index, variable name).
    pub remote_variables: Vec<(usize, String)>,
    /// Remote URLs of the file that `endpoints` did not know: left as they are.
    pub unknown_endpoints: Vec<String>,
}

const LOCAL: &str = "127.0.0.1";

/// Moves `conf` onto this host, as `server` says.
pub fn localize(conf: &str, server: &LocalServer) -> Result<Localized, String> {
    let mut entries = parse(conf).map_err(|e| e.to_string())?;
    let mut out = Localized { text: String::new(), remote_variables: Vec::new(), unknown_endpoints: Vec::new() };
    drop_keys(&mut entries, &["port", "host", "listen", "net", "http", "http_port", "monitor_port", "ports_file_dir"]);
    entries.insert(0, pair("listen", ConfValue::Str(format!("{LOCAL}:{}", server.client))));
    entries.insert(1, pair("http", ConfValue::Str(format!("{LOCAL}:{}", server.http))));
    for entry in &mut entries {
        let Entry::Pair { key, value, .. } = entry else { continue };
        match key.to_ascii_lowercase().as_str() {
            "pid_file" => *value = ConfValue::Str(server.pid_file.clone()),
            "jetstream" => {
                if let ConfValue::Map(js) = value {
                    set(js, "store_dir", ConfValue::Str(server.store_dir.clone()));
                }
            }
            "cluster" => {
                if let ConfValue::Map(cluster) = value {
                    drop_keys(cluster, &["port", "host", "listen"]);
                    cluster.insert(0, pair("listen", ConfValue::Str(format!("{LOCAL}:{}", server.cluster))));
                    for key in ["cluster_advertise", "advertise"] {
                        replace(cluster, key, ConfValue::Str(format!("{LOCAL}:{}", server.cluster)));
                    }
                    let routes = server
                        .routes
                        .iter()
                        .map(|p| Item { value: ConfValue::Str(format!("nats://{LOCAL}:{p}")), line: 0 })
                        .collect();
                    replace(cluster, "routes", ConfValue::List(routes));
                }
            }
            "gateway" => {
                if let ConfValue::Map(gateway) = value {
                    drop_keys(gateway, &["port", "host", "listen"]);
                    gateway.insert(0, pair("listen", ConfValue::Str(format!("{LOCAL}:{}", server.gateway))));
                    replace(gateway, "advertise", ConfValue::Str(format!("{LOCAL}:{}", server.gateway)));
                    for entry in gateway.iter_mut() {
                        if let Entry::Pair { key, value: ConfValue::List(peers), .. } = entry {
                            if key.eq_ignore_ascii_case("gateways") {
                                for peer in peers.iter_mut() {
                                    local_gateway(&mut peer.value, server, &mut out);
                                }
                            }
                        }
                    }
                }
            }
            "leafnodes" | "leaf" => {
                if let ConfValue::Map(leaf) = value {
                    let listens = leaf.iter().any(|e| matches!(e, Entry::Pair { key, .. } if ["port", "host", "listen"].contains(&key.to_ascii_lowercase().as_str())));
                    if listens {
                        drop_keys(leaf, &["port", "host", "listen"]);
                        leaf.insert(0, pair("listen", ConfValue::Str(format!("{LOCAL}:{}", server.leafnode))));
                    }
                    replace(leaf, "advertise", ConfValue::Str(format!("{LOCAL}:{}", server.leafnode)));
                    for entry in leaf.iter_mut() {
                        if let Entry::Pair { key, value: ConfValue::List(remotes), .. } = entry {
                            if key.eq_ignore_ascii_case("remotes") {
                                for (index, remote) in remotes.iter_mut().enumerate() {
                                    local_remote(index, &mut remote.value, server, &mut out);
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    write_entries(&mut out.text, &entries, 0);
    Ok(out)
}

fn local_remote(index: usize, remote: &mut ConfValue, server: &LocalServer, out: &mut Localized) {
    let ConfValue::Map(entries) = remote else { return };
    for entry in entries.iter_mut() {
        let Entry::Pair { key, value, .. } = entry else { continue };
        if !key.eq_ignore_ascii_case("url") && !key.eq_ignore_ascii_case("urls") {
            continue;
        }
        let mut urls: Vec<&mut ConfValue> = match value {
            ConfValue::List(items) => items.iter_mut().map(|i| &mut i.value).collect(),
            other => vec![other],
        };
        for url in urls.iter_mut() {
            match url {
                ConfValue::Var(name) => out.remote_variables.push((index, name.clone())),
                ConfValue::Str(text) => match local_url(text, &server.endpoints) {
                    Some(local) => *text = local,
                    None => out.unknown_endpoints.push(text.clone()),
                },
                _ => {}
            }
        }
    }
}

/// A gateway peer's `url`/`urls` replaced by `urls` on the local ports that stand for them.
fn local_gateway(peer: &mut ConfValue, server: &LocalServer, out: &mut Localized) {
    let ConfValue::Map(entries) = peer else { return };
    let mut local = Vec::new();
    for entry in entries.iter() {
        let Entry::Pair { key, value, .. } = entry else { continue };
        if !key.eq_ignore_ascii_case("url") && !key.eq_ignore_ascii_case("urls") {
            continue;
        }
        let urls: Vec<&ConfValue> = match value {
            ConfValue::List(items) => items.iter().map(|i| &i.value).collect(),
            other => vec![other],
        };
        for url in urls {
            let ConfValue::Str(text) = url else { continue };
            let ports = url::endpoint_of(text, 7222)
                .map(|(host, port)| url::join_host_port(&host, port))
                .and_then(|e| server.gateway_endpoints.get(&e));
            match ports {
                Some(ports) => local.extend(ports.iter().map(|p| format!("nats://{LOCAL}:{p}"))),
                None => out.unknown_endpoints.push(text.clone()),
            }
        }
    }
    if !local.is_empty() {
        drop_keys(entries, &["url", "urls"]);
        let items = local.into_iter().map(|u| Item { value: ConfValue::Str(u), line: 0 }).collect();
        entries.push(pair("urls", ConfValue::List(items)));
    }
}

/// The `host:port` a URL dials, lowercase, port 7422 when it names none: the key of
/// [`LocalServer::endpoints`].
pub fn endpoint(text: &str) -> Option<String> {
    url::endpoint_of(text, 7422).map(|(host, port)| url::join_host_port(&host, port))
}

/// `scheme://[user[:password]@]host:port` with host:port replaced by its local port.
fn local_url(text: &str, endpoints: &BTreeMap<String, u16>) -> Option<String> {
    let parsed = url::Url::parse(text).ok()?;
    let port = endpoints.get(&parsed.endpoint(7422))?;
    Some(parsed.with_endpoint(LOCAL, *port))
}

fn pair(key: &str, value: ConfValue) -> Entry {
    Entry::Pair { key: key.to_owned(), value, line: 0 }
}

fn drop_keys(entries: &mut Vec<Entry>, keys: &[&str]) {
    entries.retain(|e| !matches!(e, Entry::Pair { key, .. } if keys.contains(&key.to_ascii_lowercase().as_str())));
}

/// Sets `key` to `value`, adding it when missing.
fn set(entries: &mut Vec<Entry>, key: &str, value: ConfValue) {
    if !replace(entries, key, value.clone()) {
        entries.push(pair(key, value));
    }
}

/// Replaces the value of every pair `key`; whether there was one.
fn replace(entries: &mut [Entry], key: &str, value: ConfValue) -> bool {
    let mut found = false;
    for entry in entries {
        if let Entry::Pair { key: k, value: v, .. } = entry {
            if k.eq_ignore_ascii_case(key) {
                *v = value.clone();
                found = true;
            }
        }
    }
    found
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_entries(out: &mut String, entries: &[Entry], depth: usize) {
    for entry in entries {
        indent(out, depth);
        match entry {
            Entry::Pair { key, value, .. } => {
                out.push_str(&conf_string(key));
                out.push_str(": ");
                write_value(out, value, depth);
            }
            Entry::Include { path, .. } => {
                out.push_str("include ");
                out.push_str(&conf_string(path));
            }
        }
        out.push('\n');
    }
}

fn write_value(out: &mut String, value: &ConfValue, depth: usize) {
    match value {
        ConfValue::Str(text) => out.push_str(&conf_string(text)),
        ConfValue::Int(n) => out.push_str(&n.to_string()),
        ConfValue::Float(f) => out.push_str(&f.to_string()),
        ConfValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ConfValue::Var(name) => {
            out.push('$');
            out.push_str(name);
        }
        ConfValue::List(items) => {
            out.push_str("[\n");
            for item in items {
                indent(out, depth + 1);
                write_value(out, &item.value, depth + 1);
                out.push('\n');
            }
            indent(out, depth);
            out.push(']');
        }
        ConfValue::Map(entries) => {
            out.push_str("{\n");
            write_entries(out, entries, depth + 1);
            indent(out, depth);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> LocalServer {
        LocalServer {
            client: 14222,
            cluster: 16222,
            leafnode: 17422,
            http: 18222,
            routes: vec![16222, 16223],
            store_dir: "/tmp/s/store".into(),
            pid_file: "/tmp/s/nats.pid".into(),
            endpoints: [("hq.example.com:30742".to_owned(), 27422)].into(),
            gateway: 17222,
            gateway_endpoints: [("west.example.com:7222".to_owned(), vec![27222, 27223])].into(),
        }
    }

    #[test]
    fn addresses_and_paths_move_and_the_rest_stays() {
        let conf = r#"
port: 4222
http: 8222
pid_file: "/var/run/nats/nats.pid"
server_name: $SERVER_NAME
jetstream { domain: cinema-a, store_dir: /data, max_file: 10Gi }
cluster {
  port: 6222
  name: spoke-1
  routes = [ nats://nats-0.nats:6222, nats://nats-1.nats:6222 ]
  cluster_advertise: $CLUSTER_ADVERTISE
}
leafnodes {
  remotes: [
    { url: "nats://acc:p%40ss@HQ.example.com:30742", account: "ACC" }
    { url: $LEAF_URL_SYS, account: "SYS" }
    { urls: [ "nats://elsewhere:7422" ] }
  ]
}
accounts: {"A\"B": {"users": [{"user": "u", "pass": "x y"}]}}
"#;
        let local = localize(conf, &server()).unwrap();
        let reparsed = parse(&local.text).unwrap();
        let get = |path: &[&str]| {
            let mut value = super::super::conf_syntax::get(&reparsed, path[0]).unwrap().0.clone();
            for key in &path[1..] {
                value = value.get(key).unwrap().0.clone();
            }
            value
        };
        assert_eq!(get(&["listen"]), ConfValue::Str("127.0.0.1:14222".into()));
        assert_eq!(get(&["http"]), ConfValue::Str("127.0.0.1:18222".into()));
        assert!(super::super::conf_syntax::get(&reparsed, "port").is_none());
        assert_eq!(get(&["server_name"]), ConfValue::Var("SERVER_NAME".into()));
        assert_eq!(get(&["jetstream", "store_dir"]), ConfValue::Str("/tmp/s/store".into()));
        assert_eq!(get(&["jetstream", "max_file"]), ConfValue::Int(10 * 1024 * 1024 * 1024));
        assert_eq!(get(&["cluster", "listen"]), ConfValue::Str("127.0.0.1:16222".into()));
        assert_eq!(get(&["cluster", "cluster_advertise"]), ConfValue::Str("127.0.0.1:16222".into()));
        assert_eq!(get(&["cluster", "name"]), ConfValue::Str("spoke-1".into()));
        let ConfValue::List(routes) = get(&["cluster", "routes"]) else { panic!("routes") };
        assert_eq!(routes[1].value, ConfValue::Str("nats://127.0.0.1:16223".into()));
        let ConfValue::List(remotes) = get(&["leafnodes", "remotes"]) else { panic!("remotes") };
        assert_eq!(remotes[0].value.get("url").unwrap().0, &ConfValue::Str("nats://acc:p%40ss@127.0.0.1:27422".into()));
        assert_eq!(local.remote_variables, [(1, "LEAF_URL_SYS".to_owned())]);
        assert_eq!(local.unknown_endpoints, ["nats://elsewhere:7422"]);
        let accounts = get(&["accounts"]);
        let (account, _) = accounts.get("A\"B").unwrap();
        let ConfValue::List(users) = &account.get("users").unwrap().0 else { panic!("users") };
        assert_eq!(users[0].value.get("pass").unwrap().0, &ConfValue::Str("x y".into()));
    }
}

#[cfg(test)]
mod gateway_tests {
    use super::*;

    #[test]
    fn a_gateway_listens_locally_and_its_peers_dial_the_local_ports_that_stand_for_them() {
        let server = LocalServer {
            gateway: 17222,
            gateway_endpoints: [("west.example.com:7222".to_owned(), vec![27222, 27223])].into(),
            ..LocalServer::default()
        };
        let conf = "gateway {\n  name: east\n  port: 7222\n  gateways: [\n    {name: west, urls: [\"nats://West.example.com:7222\"]}\n    {name: far, url: \"nats://far.example.com:7222\"}\n  ]\n}\n";
        let localized = localize(conf, &server).expect("parses");
        let text = &localized.text;
        assert!(text.contains("\"listen\": \"127.0.0.1:17222\""), "{text}");
        assert!(!text.contains("\"port\""), "{text}");
        assert!(text.contains("\"nats://127.0.0.1:27222\""), "{text}");
        assert!(text.contains("\"nats://127.0.0.1:27223\""), "{text}");
        assert!(text.contains("far.example.com"), "an unknown peer stays: {text}");
        assert_eq!(localized.unknown_endpoints, ["nats://far.example.com:7222"]);
    }
}
