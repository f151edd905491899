//! `nats-topology sandbox`: proves a design on real nats-servers on this host.
//!
//! The design's exported confs are rendered with loopback addresses and free ports, one store
//! folder per server in a temporary folder; the servers start hub first, spokes once the hub's
//! leafnode port accepts; once every server is healthy, every leafnode is up and every domain
//! answers, the exported stream files are applied through the hub in the exported script's
//! order, and every mirror and source is proven by a message that arrives (or not). Without
//! `--keep` everything is stopped and removed afterwards, also on failure and on Ctrl-C.
//!
//! The sandbox changes the design only where a local run must: server counts (and replicas with
//! them) when `--servers-per-cluster` says so, generated passwords for secret references and
//! bcrypt hashes (derived from the temporary folder's name), credentials written in a remote's
//! URL moved to its user and password (the local URL replaces the public one), and remotes
//! that dial outside the design left out (nothing but 127.0.0.1 is ever contacted).

pub mod buckets;
pub mod certs;
pub mod consumers;
pub mod nats;
pub mod probe;
pub mod process;

use super::report::{line, printable, Format};
use super::{CliError, Options};
use crate::model::export::cli_script::{self, quote};
use crate::model::export::server_conf::{self, LocalCluster, ServerConfOptions, ServerPorts, VariableValue};
use crate::model::export::Chart;
use crate::model::url;
use crate::model::validate::{validate, Rule, Severity};
use crate::model::{ClusterId, Design, LinkKind, Password, Role, StreamId};
use probe::{Connections, Endpoint, LinkPlan, LinkResult, Placed, StreamPlan, StreamResult};
use process::{interrupted, pause, ServerProcess, Spawn, TempDir};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Errors after which a run proves nothing: refused before any server starts.
const BLOCKING: [Rule; 4] = [Rule::ReplicationCycle, Rule::DomainMissing, Rule::DomainInvalid, Rule::DomainDuplicate];
/// How long a link may take to deliver its probe message.
const LINK_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the servers may take to be healthy, connected and answering in every domain, by
/// default (`--ready-timeout`).
const READY_TIMEOUT_SECS: u64 = 60;
/// Lines of each server's log shown when something fails.
const LOG_TAIL: usize = 12;
const MAX_SERVERS: u8 = 7;

/// Run the design on local nats-servers and prove every mirror and source with a message
///
/// Servers listen on 127.0.0.1 and free ports only. Exits 1 when a link does not deliver.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Args {
    /// The design file
    #[arg(value_name = "DESIGN")]
    design: PathBuf,
    /// Servers per cluster (replicas are lowered to fit)
    #[arg(long = "servers-per-cluster", value_name = "N", value_parser = clap::value_parser!(u8).range(1..=MAX_SERVERS as i64))]
    servers: Option<u8>,
    /// Leave it running and print how to reach and stop it
    #[arg(long)]
    keep: bool,
    /// The nats-server binary (default: $NATS_SERVER, the PATH, the one `make test` installs, Debian's)
    #[arg(long, value_name = "PATH")]
    nats_server: Option<PathBuf>,
    /// How to print the report
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Seconds the servers may take to be healthy, linked and answering (a design whose links
    /// cannot come up fails after this long)
    #[arg(long = "ready-timeout", value_name = "SECS", default_value_t = READY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    ready_timeout: u64,
    /// Servers and accounts only, no streams and no probes (e.g. to run nats-setup.sh against)
    #[arg(long = "no-streams", action = clap::ArgAction::SetFalse)]
    streams: bool,
    /// Run the nats.conf that `helm template` of this chart folder renders from the exported values
    #[arg(long, value_name = "CHART_DIR")]
    helm_chart: Option<PathBuf>,
    /// The helm binary for --helm-chart (default: $HELM, the PATH, the one `make test` installs)
    #[arg(long, value_name = "PATH", requires = "helm_chart")]
    helm: Option<PathBuf>,
}

/// The nats-server to run: `--nats-server`, else `$NATS_SERVER`, else `nats-server` on the
/// `PATH`, else the one `make test` installs, else Debian's.
fn find_server(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let given = explicit.map(Path::to_owned).or_else(|| std::env::var_os("NATS_SERVER").map(PathBuf::from));
    if let Some(path) = given {
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("no nats-server at {} (`make test` installs one)", path.display()))
        };
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join("nats-server")).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut cached: Vec<PathBuf> = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cache/nats-topology"))
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .map(|entries| entries.flatten().map(|e| e.path().join("bin/nats-server")).collect())
        .unwrap_or_default();
    cached.sort();
    cached.reverse();
    on_path.into_iter().chain(cached).chain([PathBuf::from("/usr/sbin/nats-server")]).find(|p| p.is_file()).ok_or_else(
        || "no nats-server found: give --nats-server PATH or set NATS_SERVER (`make test` installs one)".into(),
    )
}

// ---------------------------------------------------------------------------------------------
// The design as the sandbox runs it

/// A password for the sandbox, the same for every use of one secret (or bcrypt hash) in one
/// sandbox, different across sandboxes: derived from the folder's name.
fn sandbox_password(seed: &str, what: &str) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (seed, what).hash(&mut hasher);
    let first = hasher.finish();
    what.hash(&mut hasher);
    format!("sbx{first:016x}{:08x}", hasher.finish() as u32)
}

/// The plain password a client presents for `password`.
fn plain(password: &Password, seed: &str) -> String {
    match password {
        Password::Plain(text) => text.clone(),
        Password::Bcrypt(hash) => sandbox_password(seed, &format!("bcrypt:{hash}")),
        Password::SecretRef { name, key } => secret_password(seed, name, key),
    }
}

fn secret_password(seed: &str, name: &str, key: &str) -> String {
    sandbox_password(seed, &format!("secret:{name}/{key}"))
}

/// The design the sandbox runs, and what was changed for it.
fn prepare(design: &Design, servers: Option<u8>, seed: &str) -> (Design, Vec<String>) {
    let mut d = design.clone();
    let mut notes = Vec::new();
    let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
    let known: BTreeSet<ClusterId> = ids.iter().copied().collect();
    let mut generated = false;
    for id in &ids {
        let cluster = d.cluster_mut(*id).expect("ids were just listed");
        if let Some(n) = servers {
            cluster.servers = n;
        }
        for user in cluster.accounts.values_mut().flat_map(|a| a.users.iter_mut()) {
            if let Password::Bcrypt(_) = &user.password {
                user.password = Password::Plain(plain(&user.password, seed));
                generated = true;
            }
            generated |= matches!(user.password, Password::SecretRef { .. });
        }
        let name = cluster.name.clone();
        let mut kept = Vec::new();
        for (index, mut remote) in std::mem::take(&mut cluster.remotes).into_iter().enumerate() {
            if !remote.target.is_some_and(|t| known.contains(&t)) {
                notes.push(format!(
                    "remote {index} of {name} dials {}, outside the design: left out (the sandbox contacts 127.0.0.1 only)",
                    printable(&remote.url)
                ));
                continue;
            }
            if remote.user.is_none() {
                if let Some((_, user, password)) = url::take_userinfo(&remote.url) {
                    remote.user = Some(user);
                    remote.password = password.map(Password::Plain);
                }
            }
            if let Some(password @ Password::Bcrypt(_)) = &remote.password {
                remote.password = Some(Password::Plain(plain(password, seed)));
            }
            kept.push(remote);
        }
        cluster.remotes = kept;
    }
    rename_lone_servers(design, &mut d, &mut notes);
    if generated {
        notes.push("passwords kept in secrets or as bcrypt hashes get generated sandbox values".to_owned());
    }
    let stream_ids: Vec<StreamId> = d.streams().map(|s| s.id).collect();
    let mut lowered = Vec::new();
    for id in stream_ids {
        let servers = d.stream(id).and_then(|s| d.cluster(s.cluster)).map_or(1, |c| i64::from(c.servers.max(1)));
        let stream = d.stream_mut(id).expect("ids were just listed");
        if stream.config.num_replicas > servers {
            lowered.push(format!("{} (R{})", stream.config.name, stream.config.num_replicas));
            stream.config.num_replicas = servers;
        }
    }
    if !lowered.is_empty() {
        notes.push(format!(
            "replicas lowered to the sandbox's servers per cluster for {}",
            printable(&lowered.join(", "))
        ));
    }
    (d, notes)
}

/// Gives the servers that `--servers-per-cluster 1` left alone in their cluster a name of their
/// own when it collides with another cluster's. A lone server has no cluster name, and the hub
/// drops a leafnode from a server with the name and cluster name (none) of one it already has
/// ("Duplicate Remote LeafNode Connection"): with default names, the spokes would take turns.
/// In the designed clusters their cluster names tell them apart, so this is the sandbox's doing.
/// A cluster designed with one server keeps its name: there the collision is real.
fn rename_lone_servers(designed: &Design, d: &mut Design, notes: &mut Vec<String>) {
    let lone: Vec<ClusterId> = d
        .clusters()
        .filter(|(id, c)| c.servers == 1 && designed.cluster(*id).is_some_and(|o| o.servers > 1))
        .map(|(id, _)| id)
        .collect();
    let names: Vec<(ClusterId, String)> =
        d.clusters().filter(|(_, c)| c.servers == 1).map(|(id, c)| (id, server_conf::server_name(c, 0))).collect();
    let mut renamed = Vec::new();
    for id in lone {
        let Some((_, name)) = names.iter().find(|(i, _)| *i == id) else { continue };
        if names.iter().any(|(other, n)| *other != id && n == name) {
            let cluster = d.cluster_mut(id).expect("ids were just listed");
            cluster.server_name_prefix = format!("{}-{}", cluster.name, cluster.server_name_prefix);
            renamed.push(format!("{} in {}", name, cluster.name));
        }
    }
    if !renamed.is_empty() {
        notes.push(format!(
            "lone servers named alike are renamed <cluster>-<name> (a lone server has no cluster name, and the hub \
             would drop one of two leafnodes from servers of one name): {}",
            printable(&renamed.join(", "))
        ));
    }
}

/// The cluster the nats CLI script talks to (as `cli_script` picks it): the first hub, else the
/// first cluster with a leafnode listener, else the first.
fn hub(design: &Design) -> Option<ClusterId> {
    design
        .clusters()
        .find(|(_, c)| c.role == Role::Hub)
        .or_else(|| design.clusters().find(|(_, c)| c.leafnode_listener.is_some()))
        .or_else(|| design.clusters().next())
        .map(|(id, _)| id)
}

/// The paths the script adds streams from, in its order. Every stream has one line that brings
/// an existing stream to its file: `nats stream edit NAME --config FILE`, or for a bucket's
/// stream `update_bucket SUBJECT FILE` (buckets are added with `nats kv add` / `nats object add`).
fn script_order(design: &Design) -> Vec<String> {
    let script = cli_script::render(design).contents;
    script
        .lines()
        .filter_map(|l| {
            // The name (or the update subject) is a quoted word that may itself hold
            // " --config ": read past it.
            let l = l.trim_start();
            match (l.strip_prefix("nats stream edit "), l.strip_prefix("update_bucket ")) {
                (Some(rest), _) => shell_word(rest).1.strip_prefix(" --config "),
                (_, Some(rest)) => shell_word(rest).1.strip_prefix(' '),
                _ => None,
            }
        })
        .map(|rest| shell_word(rest).0)
        .collect()
}

/// The first shell word of `text` as `quote` writes one (bare, or single-quoted with `'\''`),
/// and the rest.
fn shell_word(text: &str) -> (String, &str) {
    let mut word = String::new();
    let mut rest = text;
    loop {
        if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find('\'').unwrap_or(quoted.len());
            word.push_str(&quoted[..end]);
            rest = quoted.get(end + 1..).unwrap_or("");
        } else if let Some(escaped) = rest.strip_prefix("\\'") {
            word.push('\'');
            rest = escaped;
        } else {
            let end = rest.find([' ', '\'', '\\']).unwrap_or(rest.len());
            if end == 0 {
                return (word, rest);
            }
            word.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Servers

/// One cluster of the running sandbox.
struct RunCluster {
    id: ClusterId,
    name: String,
    domain: Option<String>,
    jetstream: bool,
    /// Indexes into `Sandbox::servers`, by server number.
    servers: Vec<usize>,
    ports: Vec<ServerPorts>,
    /// The clusters its remotes dial.
    dials: BTreeSet<ClusterId>,
    /// Leafnode connections its servers should have in all.
    expected_leafnodes: usize,
    /// Outbound gateway connections each of its servers should have: one to every other
    /// cluster of its supercluster.
    expected_gateways: usize,
    /// The servers of its JetStream meta group: its own, or its supercluster's.
    meta_ports: Vec<ServerPorts>,
}

/// The running servers and their folder; dropping it stops every server (killed and reaped)
/// and then removes the folder, unless kept.
struct Sandbox {
    // Field order: servers stop before the folder goes.
    servers: Vec<ServerProcess>,
    dir: TempDir,
    clusters: Vec<RunCluster>,
    version: String,
}

impl Sandbox {
    fn server_names(&self) -> Vec<String> {
        self.servers.iter().map(|s| s.name.clone()).collect()
    }

    fn log_tails(&self) -> String {
        let mut out = String::new();
        for server in &self.servers {
            out.push_str(&format!("--- {} log (last lines) ---\n", server.name));
            out.push_str(&process::indented(&server.log_tail(LOG_TAIL), "  "));
        }
        out
    }

    /// The first server that has exited, as an error.
    fn check_alive(&mut self) -> Result<(), Failure> {
        for server in &mut self.servers {
            if let Some(status) = server.exited() {
                let clash = server.log_tail(40).contains("address already in use");
                return Err(Failure::Start { message: format!("{} exited ({status})", server.name), clash });
            }
        }
        Ok(())
    }

    fn stop(&mut self) {
        for server in &mut self.servers {
            server.stop();
        }
        self.servers.clear();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Why a run ended early.
#[derive(Debug)]
enum Failure {
    Interrupted,
    /// A server did not start or exited; `clash` when its port was taken meanwhile.
    Start {
        message: String,
        clash: bool,
    },
    NotReady(String),
    Io(String),
}

impl Failure {
    /// Printing the progress failed (a closed pipe): the run cannot report, so it stops.
    fn output(error: CliError) -> Failure {
        Failure::Io(error.to_string())
    }

    fn message(&self) -> String {
        match self {
            Failure::Interrupted => "interrupted".to_owned(),
            Failure::Start { message, .. } => message.clone(),
            Failure::NotReady(message) => format!("not ready {message}"),
            Failure::Io(message) => message.clone(),
        }
    }
}

/// One run: the design as it runs here, its servers, and the connections the probes use.
struct Run {
    design: Design,
    /// What `prepare` changed for the run.
    notes: Vec<String>,
    /// The temporary folder's name: passwords for secrets are derived from it.
    seed: String,
    hub: ClusterId,
    sandbox: Sandbox,
    chart: Option<HelmChart>,
    connections: Connections,
}

/// What the stages found, in the order they ran: printed as text while running, and the JSON
/// report at the end.
#[derive(Default)]
struct Results {
    streams: Vec<StreamResult>,
    links: Vec<LinkResult>,
    captures: Vec<probe::CaptureResult>,
    buckets: Vec<buckets::BucketResult>,
    consumers: Vec<consumers::ConsumerResult>,
}

/// A chart folder and the helm that renders it.
struct HelmChart {
    dir: PathBuf,
    helm: PathBuf,
    generation: Chart,
}

/// The chart generation of a chart folder, from its `Chart.yaml` (`version: 0.19.16`).
fn chart_generation(dir: &Path) -> Result<Chart, String> {
    let file = dir.join("Chart.yaml");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let version = text
        .lines()
        .find_map(|l| l.strip_prefix("version:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
        .ok_or_else(|| format!("{} names no chart version", file.display()))?;
    Ok(if version.starts_with("0.") { Chart::V0_19 } else { Chart::V1 })
}

/// One server of a chart-rendered cluster: (cluster, display name, conf path, conf, env).
type HelmServer = (ClusterId, String, PathBuf, String, Vec<(String, String)>);

/// The confs the chart renders from the exported values of every cluster, moved onto this
/// host (addresses and the two paths a server writes to, nothing else), with the environment
/// each pod would get: its name, the chart's own variables, and the secrets the values refer
/// to, filled as the values' comments say (passwords, and whole leafnode URLs with the local
/// address). Chart 0.19's REPLACE-WITH-... placeholders are replaced in the values first, as
/// the values tell the user to do (a plain password where a bcrypt hash is asked for: the
/// server accepts either).
fn helm_confs(
    design: &Design,
    chart: &HelmChart,
    local: &BTreeMap<ClusterId, LocalCluster>,
    dir: &Path,
    seed: &str,
) -> Result<Vec<HelmServer>, Failure> {
    use crate::model::export::helm::v0_19::{url_placeholder, user_placeholder};
    use crate::model::import::localize::{localize, LocalServer};
    use crate::model::k8s;
    let values = crate::model::export::helm::render(design, chart.generation);
    let mut endpoints = BTreeMap::new();
    for (_, cluster) in design.clusters() {
        for remote in &cluster.remotes {
            let Some(port) = remote.target.and_then(|t| local.get(&t)).and_then(|l| l.servers.first()) else {
                continue;
            };
            if let Some(endpoint) = crate::model::import::localize::endpoint(&remote.url) {
                endpoints.insert(endpoint, port.leafnode);
            }
        }
    }
    // Every gateway URL of a peer with a target stands for all the target's local gateway ports.
    let mut gateway_endpoints: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    for (_, cluster) in design.clusters() {
        for peer in cluster.gateway.iter().flat_map(|g| &g.peers) {
            let Some(target) = peer.target.and_then(|t| local.get(&t)) else { continue };
            for url in &peer.urls {
                if let Some((host, port)) = url::endpoint_of(url, crate::model::gateway::DEFAULT_GATEWAY_PORT) {
                    let ports = target.servers.iter().map(|p| p.gateway).collect();
                    gateway_endpoints.insert(url::join_host_port(&host, port), ports);
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((id, cluster), file) in design.clusters().zip(values) {
        let mut text = file.contents.clone();
        let secrets: BTreeSet<(String, String)> = cluster
            .accounts
            .values()
            .flat_map(|a| a.users.iter().map(|u| &u.password))
            .chain(cluster.remotes.iter().filter_map(|r| r.password.as_ref()))
            .filter_map(|p| match p {
                Password::SecretRef { name, key } => Some((name.clone(), key.clone())),
                _ => None,
            })
            .collect();
        for (name, key) in &secrets {
            let password = secret_password(seed, name, key);
            text = text.replace(&user_placeholder(name, key), &password);
            text = text.replace(&url_placeholder(name, key), &url::percent_encode(&password));
        }
        let rendered = super::helm::template(&chart.helm, &chart.dir, "nats", &text)
            .map_err(|e| Failure::Io(format!("cluster {}: {e}", printable(&cluster.name))))?;
        let pods = k8s::nats_pods(&rendered.manifests).map_err(|e| {
            Failure::Io(format!("cluster {}: helm printed no manifests: {e}", printable(&cluster.name)))
        })?;
        let [pod] = pods.as_slice() else {
            return Err(Failure::Io(format!(
                "cluster {}: the chart rendered {} NATS StatefulSets, not one",
                printable(&cluster.name),
                pods.len()
            )));
        };
        let ports = &local[&id].servers;
        for (ordinal, port) in ports.iter().enumerate() {
            let server_dir =
                dir.join("store").join(crate::model::export::file_stem(&cluster.name)).join(ordinal.to_string());
            std::fs::create_dir_all(&server_dir)
                .map_err(|e| Failure::Io(format!("cannot create {}: {e}", server_dir.display())))?;
            let server = LocalServer {
                client: port.client,
                cluster: port.cluster,
                leafnode: port.leafnode,
                http: port.http,
                routes: ports.iter().map(|p| p.cluster).collect(),
                store_dir: server_dir.join("jetstream").display().to_string(),
                pid_file: server_dir.join("nats.pid").display().to_string(),
                endpoints: endpoints.clone(),
                gateway: port.gateway,
                gateway_endpoints: gateway_endpoints.clone(),
            };
            let localized = localize(&pod.conf, &server).map_err(|e| {
                Failure::Io(format!("cluster {}: the rendered nats.conf does not parse: {e}", printable(&cluster.name)))
            })?;
            let mut env = k8s::pod_env(pod, ordinal, "default", &|name, key| Some(secret_password(seed, name, key)));
            for (index, variable) in &localized.remote_variables {
                let Some(remote) = cluster.remotes.get(*index) else { continue };
                let Some(target) = remote.target.and_then(|t| local.get(&t)).and_then(|l| l.servers.first()) else {
                    continue;
                };
                let local = format!("nats://127.0.0.1:{}", target.leafnode);
                let url = match remote.user.as_deref() {
                    Some(user) => {
                        let password = remote.password.as_ref().map(|p| plain(p, seed));
                        url::with_userinfo(&local, user, password.as_deref()).unwrap_or(local)
                    }
                    None => local,
                };
                env.retain(|(n, _)| n != variable);
                env.push((variable.clone(), url));
            }
            let server_name = env.iter().find(|(n, _)| n == "SERVER_NAME" || n == "POD_NAME").map(|(_, v)| v.clone());
            let name = format!(
                "{}/{}",
                printable(&cluster.name),
                printable(&server_name.unwrap_or_else(|| format!("{}-{ordinal}", pod.statefulset)))
            );
            let path =
                dir.join("server").join(crate::model::export::file_stem(&cluster.name)).join(format!("{ordinal}.conf"));
            out.push((id, name, path, localized.text, env));
        }
    }
    Ok(out)
}

/// Renders the confs with fresh ports, writes them and starts every server, hub first.
fn start(
    sandbox: &mut Sandbox,
    design: &Design,
    binary: &Path,
    keep: bool,
    helm: Option<&HelmChart>,
) -> Result<(), Failure> {
    let dir = sandbox.dir.path().to_owned();
    let seed = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let total: usize = design.clusters().map(|(_, c)| usize::from(c.servers)).sum();
    let ports = process::free_ports(total * 5).map_err(|e| Failure::Io(format!("no free ports: {e}")))?;
    let mut ports =
        ports.chunks(5).map(|p| ServerPorts { client: p[0], cluster: p[1], leafnode: p[2], http: p[3], gateway: p[4] });
    let host = "127.0.0.1";
    let local: BTreeMap<ClusterId, LocalCluster> = design
        .clusters()
        .map(|(id, c)| {
            let servers = (0..c.servers).map(|_| ports.next().expect("five ports per server")).collect();
            (id, LocalCluster { host: host.to_owned(), servers })
        })
        .collect();
    let options = ServerConfOptions {
        local: local.clone(),
        store_root: dir.join("store").display().to_string(),
        remotes_to_local: true,
    };
    let write = |path: &Path, text: &str| {
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(path, text))
            .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))
    };
    sandbox.clusters = design
        .clusters()
        .map(|(id, c)| RunCluster {
            id,
            name: c.name.clone(),
            domain: c.domain().map(str::to_owned),
            jetstream: c.jetstream,
            servers: Vec::new(),
            ports: local[&id].servers.clone(),
            dials: c.remotes.iter().filter_map(|r| r.target).collect(),
            expected_leafnodes: design
                .clusters()
                .map(|(_, other)| {
                    other.remotes.iter().filter(|r| r.target == Some(id)).count() * usize::from(other.servers)
                })
                .sum(),
            expected_gateways: crate::model::gateway::supercluster_of(design, id)
                .map_or(0, |members| members.len().saturating_sub(1)),
            meta_ports: crate::model::gateway::placement_candidates(design, id)
                .iter()
                .flat_map(|c| local[c].servers.iter().copied())
                .collect(),
        })
        .collect();
    let mut spawns: BTreeMap<ClusterId, Vec<(String, Spawn)>> = BTreeMap::new();
    if let Some(chart) = &helm {
        for (cluster, name, path, text, env) in helm_confs(design, chart, &local, &dir, &seed)? {
            write(&path, &text)?;
            let log =
                dir.join("logs").join(path.strip_prefix(dir.join("server")).unwrap_or(&path)).with_extension("log");
            write(&log, "")?;
            let spawn = Spawn { binary: binary.to_owned(), conf: path, log, env, die_with_parent: !keep };
            spawns.entry(cluster).or_default().push((name, spawn));
        }
    }
    for conf in server_conf::server_confs(design, &options).into_iter().filter(|_| helm.is_none()) {
        let path = dir.join(&conf.file.path);
        write(&path, &conf.file.contents)?;
        let env = conf
            .variables
            .iter()
            .map(|v| {
                let (VariableValue::Password { secret, key } | VariableValue::RemoteUrl { secret, key, .. }) = &v.value;
                (v.name.clone(), v.env_value(&secret_password(&seed, secret, key)))
            })
            .collect();
        let cluster = design.cluster(conf.cluster).map_or("", |c| c.name.as_str());
        let name = format!("{}/{}", printable(cluster), printable(&conf.name));
        let log = dir.join("logs").join(conf.file.path.trim_start_matches("server/")).with_extension("log");
        write(&log, "")?;
        let spawn = Spawn { binary: binary.to_owned(), conf: path, log, env, die_with_parent: !keep };
        spawns.entry(conf.cluster).or_default().push((name, spawn));
    }

    // Levels: a cluster starts once every cluster it dials has started and accepts leafnodes.
    let mut started: BTreeSet<ClusterId> = BTreeSet::new();
    while started.len() < sandbox.clusters.len() {
        let mut level: Vec<usize> = (0..sandbox.clusters.len())
            .filter(|&i| !started.contains(&sandbox.clusters[i].id))
            .filter(|&i| sandbox.clusters[i].dials.iter().all(|t| started.contains(t) || *t == sandbox.clusters[i].id))
            .collect();
        if level.is_empty() {
            // Clusters dialing each other: start the rest together.
            level = (0..sandbox.clusters.len()).filter(|&i| !started.contains(&sandbox.clusters[i].id)).collect();
        }
        for &i in &level {
            let id = sandbox.clusters[i].id;
            for (name, spawn) in spawns.remove(&id).unwrap_or_default() {
                let server = ServerProcess::spawn(&name, &spawn)
                    .map_err(|e| Failure::Io(format!("cannot run {}: {e}", binary.display())))?;
                sandbox.servers.push(server);
                let index = sandbox.servers.len() - 1;
                sandbox.clusters[i].servers.push(index);
            }
            started.insert(id);
        }
        // Spokes dial the first server's leafnode port: wait until it accepts.
        let listening: Vec<u16> = level
            .iter()
            .filter(|&&i| sandbox.clusters[i].expected_leafnodes > 0)
            .filter_map(|&i| sandbox.clusters[i].ports.first().map(|p| p.leafnode))
            .collect();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !listening.iter().all(|port| process::accepts(*port)) {
            if interrupted() {
                return Err(Failure::Interrupted);
            }
            sandbox.check_alive()?;
            if Instant::now() > deadline {
                return Err(Failure::NotReady(
                    "after 20 s: the hub's leafnode port does not accept connections".into(),
                ));
            }
            pause(Duration::from_millis(50));
        }
    }
    Ok(())
}

/// The endpoint of `cluster`'s first server as the first user of `account` there.
fn endpoint(design: &Design, sandbox: &Sandbox, cluster: ClusterId, account: &str, seed: &str) -> Option<Endpoint> {
    let port = sandbox.clusters.iter().find(|c| c.id == cluster)?.ports.first()?.client;
    let user = design.cluster(cluster)?.accounts.get(account).and_then(|a| a.users.first());
    Some(Endpoint { port, user: user.map(|u| u.name.clone()), password: user.map(|u| plain(&u.password, seed)) })
}

/// The account the script's context uses: the first stream's, else the hub's first JetStream
/// account.
fn context_account(design: &Design, hub: ClusterId) -> Option<String> {
    design
        .streams()
        .next()
        .map(|s| s.account.clone())
        .or_else(|| design.cluster(hub)?.accounts.iter().find(|(_, a)| a.jetstream).map(|(name, _)| name.clone()))
}

/// Waits until every server's `/healthz` is 200, every leafnode listener has its expected
/// connections and every domain answers `$JS.<domain>.API.INFO` through the hub.
fn wait_ready(
    sandbox: &mut Sandbox,
    design: &Design,
    connections: &mut Connections,
    seed: &str,
    hub: ClusterId,
    timeout: Duration,
) -> Result<(), Failure> {
    let deadline = Instant::now() + timeout;
    let account = context_account(design, hub).unwrap_or_default();
    let others =
        design.cluster(hub).into_iter().flat_map(|c| &c.accounts).filter(|(name, a)| a.jetstream && **name != account);
    let accounts: Vec<String> = std::iter::once(account.clone()).chain(others.map(|(name, _)| name.clone())).collect();
    let mut healthy: BTreeSet<u16> = BTreeSet::new();
    loop {
        if interrupted() {
            return Err(Failure::Interrupted);
        }
        sandbox.check_alive()?;
        let mut pending = Vec::new();
        for cluster in &sandbox.clusters {
            for (index, ports) in cluster.ports.iter().enumerate() {
                if healthy.contains(&ports.http) {
                    continue;
                }
                match process::http_get(ports.http, "/healthz", Duration::from_secs(2)) {
                    Ok((200, _)) => {
                        healthy.insert(ports.http);
                    }
                    Ok((status, body)) => {
                        pending.push(format!("{} server {index}: /healthz {status} {}", cluster.name, body.trim()))
                    }
                    Err(e) => pending.push(format!("{} server {index}: /healthz: {e}", cluster.name)),
                }
            }
        }
        for cluster in sandbox.clusters.iter().filter(|c| c.expected_leafnodes > 0) {
            let mut count = 0;
            for ports in &cluster.ports {
                if let Ok((200, body)) = process::http_get(ports.http, "/leafz", Duration::from_secs(2)) {
                    let leafz: Value = serde_json::from_str(&body).unwrap_or_default();
                    count += leafz["leafnodes"].as_u64().unwrap_or(0) as usize;
                }
            }
            if count < cluster.expected_leafnodes {
                pending
                    .push(format!("{}: {count} of {} leafnode connections", cluster.name, cluster.expected_leafnodes));
            }
        }
        for cluster in sandbox.clusters.iter().filter(|c| c.expected_gateways > 0) {
            for (index, ports) in cluster.ports.iter().enumerate() {
                let count = match process::http_get(ports.http, "/gatewayz", Duration::from_secs(2)) {
                    Ok((200, body)) => serde_json::from_str::<Value>(&body).unwrap_or_default()["outbound_gateways"]
                        .as_object()
                        .map_or(0, |o| o.len()),
                    _ => 0,
                };
                if count < cluster.expected_gateways {
                    pending.push(format!(
                        "{} server {index}: {count} of {} outbound gateway connections",
                        cluster.name, cluster.expected_gateways
                    ));
                }
            }
        }
        // A clustered JetStream places replicated streams only on peers its meta leader has
        // heard from: right after the election a peer can still count as offline, and a create
        // fails with 10005 "no suitable peers for placement, peer offline".
        for cluster in sandbox.clusters.iter().filter(|c| c.jetstream && c.meta_ports.len() > 1) {
            if !meta_group_current(&cluster.meta_ports) {
                pending.push(format!("{}: the JetStream meta group has not heard from every server", cluster.name));
            }
        }
        if pending.is_empty() {
            for cluster in sandbox.clusters.iter().filter(|c| c.jetstream) {
                // Through the hub, as the script's streams are created; a cluster without a
                // domain is asked directly.
                let via = match cluster.domain {
                    Some(_) => hub,
                    None => cluster.id,
                };
                // The script's account first; a domain that account does not reach (a spoke
                // joined to the hub for another account only) answers another account of the hub.
                let subject = probe::api_subject(cluster.domain.as_deref(), "INFO");
                let mut first_error = None;
                for account in accounts.iter().filter(|a| via == hub || **a == account) {
                    let Some(endpoint) = endpoint(design, sandbox, via, account, seed) else { continue };
                    let error = match connections.api(&endpoint, &subject, b"", Duration::from_secs(2)) {
                        Ok(reply) => probe::api_error(&reply).map(|error| format!("{subject}: {error}")),
                        Err(e) => Some(e),
                    };
                    match error {
                        None => {
                            first_error = None;
                            break;
                        }
                        Some(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
                pending.extend(first_error);
            }
        }
        if pending.is_empty() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(Failure::NotReady(format!("after {} s: {}", timeout.as_secs(), pending.join("; "))));
        }
        pause(Duration::from_millis(100));
    }
}

/// Whether one server of a cluster leads its JetStream meta group and reports every other
/// server as a current, online peer (`/jsz`: only the leader lists `meta_cluster.replicas`).
fn meta_group_current(ports: &[ServerPorts]) -> bool {
    ports.iter().any(|p| {
        let Ok((200, body)) = process::http_get(p.http, "/jsz", Duration::from_secs(2)) else {
            return false;
        };
        let jsz: Value = serde_json::from_str(&body).unwrap_or_default();
        let Some(replicas) = jsz["meta_cluster"]["replicas"].as_array() else {
            return false;
        };
        let online = |peer: &Value| peer["current"].as_bool() == Some(true) && peer["offline"].as_bool() != Some(true);
        replicas.len() + 1 >= ports.len() && replicas.iter().all(online)
    })
}

// ---------------------------------------------------------------------------------------------
// The run

/// What a run found, for `--format json`.
#[derive(Serialize)]
struct Report<'a> {
    design: &'a str,
    nats_server: &'a str,
    /// The chart whose rendered confs the servers ran (`--helm-chart`), else none: our confs.
    helm_chart: Option<String>,
    servers: usize,
    notes: &'a [String],
    ready_ms: u64,
    links_probed_ms: u64,
    streams: &'a [StreamResult],
    links: &'a [LinkResult],
    captures: &'a [probe::CaptureResult],
    /// Key-value round trips through the `nats` CLI (`buckets.rs`).
    buckets: &'a [buckets::BucketResult],
    /// Consumers created and proven (`consumers.rs`); left out when the design has none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    consumers: &'a [consumers::ConsumerResult],
    ok: bool,
}

/// The last line with `--keep`: how to reach and stop the sandbox.
#[derive(Serialize)]
struct Kept {
    dir: String,
    /// The design as the sandbox runs it (server counts, replicas, passwords by reference).
    design: String,
    clusters: Vec<KeptCluster>,
    credentials: BTreeMap<String, Credential>,
    stop: String,
}

#[derive(Serialize)]
struct KeptCluster {
    name: String,
    domain: Option<String>,
    urls: Vec<String>,
}

#[derive(Serialize)]
struct Credential {
    user: String,
    password: String,
}

/// A shell command that stops the servers (those of `pids` whose command line still names the
/// folder: a reused pid is left alone), waits for them, and removes the folder.
fn stop_command(dir: &Path, pids: &[u32]) -> String {
    let dir = quote(&dir.display().to_string());
    let pids: Vec<String> = pids.iter().map(u32::to_string).collect();
    let pids = pids.join(" ");
    let ours = format!("grep -qF -- {dir} /proc/$p/cmdline 2>/dev/null");
    format!(
        "for p in {pids}; do if {ours}; then kill $p; fi; done; \
         for p in {pids}; do i=0; while {ours} && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; \
         if {ours}; then kill -9 $p; fi; done; rm -rf -- {dir}"
    )
}

pub(super) fn run(
    request: &Args,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<ExitCode, CliError> {
    let Some(design) = super::load_design(&request.design, err)? else {
        return Ok(ExitCode::from(2));
    };
    let blocking: Vec<_> =
        validate(&design).into_iter().filter(|d| d.severity == Severity::Error && BLOCKING.contains(&d.rule)).collect();
    if !blocking.is_empty() {
        for d in &blocking {
            writeln!(err, "{}", line(d, &design, options))?;
        }
        writeln!(
            err,
            "nats-topology: sandbox: {} cannot be run meaningfully ({} of these errors); no server was started",
            printable(&request.design.display().to_string()),
            blocking.len()
        )?;
        return Ok(ExitCode::from(1));
    }
    let binary = match find_server(request.nats_server.as_deref()) {
        Ok(binary) => binary,
        Err(message) => {
            writeln!(err, "nats-topology: sandbox: {message}")?;
            return Ok(ExitCode::from(2));
        }
    };
    let version = match process::binary_version(&binary) {
        Ok(version) => version,
        Err(e) => {
            writeln!(err, "nats-topology: sandbox: cannot run {}: {e}", binary.display())?;
            return Ok(ExitCode::from(2));
        }
    };
    if design.clusters().next().is_none() {
        writeln!(out, "the design has no clusters: nothing to run")?;
        return Ok(ExitCode::SUCCESS);
    }
    process::catch_interrupts();
    Runner { request, design: &design, binary: &binary, version, out, err }.run()
}

struct Runner<'a> {
    request: &'a Args,
    design: &'a Design,
    binary: &'a Path,
    version: String,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
}

impl Runner<'_> {
    fn text(&mut self, line: &str) -> Result<(), CliError> {
        if self.request.format == Format::Text {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    /// Plan, execute, report: boot the servers, create the streams, probe every link and where
    /// each stream's subjects are captured. Each stage prints its results as they come (text),
    /// and the same results make the JSON report at the end.
    fn run(mut self) -> Result<ExitCode, CliError> {
        let began = Instant::now();
        let mut run = match self.boot()? {
            Ok(run) => run,
            Err(code) => return Ok(code),
        };
        if let Err(failure) = self.start_servers(&mut run) {
            return self.fail(run.sandbox, failure);
        }
        let ready_ms = began.elapsed().as_millis() as u64;
        self.text(&format!("ready in {ready_ms} ms: {}", run.sandbox.server_names().join(", ")))?;
        // The design as it runs here (ports aside): what to export for tools run against it.
        let run_design = run.sandbox.dir.path().join("design.json");
        if let Err(e) = std::fs::write(&run_design, crate::model::persist::save(&run.design)) {
            return self.fail(run.sandbox, Failure::Io(format!("cannot write {}: {e}", run_design.display())));
        }
        if !self.request.streams {
            self.text("no streams created (--no-streams): servers and accounts only")?;
            return self.finish(run, ready_ms, ready_ms, Results::default());
        }
        let mut results = Results::default();
        let plans = match self.create_streams(&mut run, &mut results) {
            Ok(plans) => plans,
            Err(failure) => return self.fail(run.sandbox, failure),
        };
        let placed = match self.probe_links(&mut run, &plans, &mut results) {
            Ok(placed) => placed,
            Err(failure) => return self.fail(run.sandbox, failure),
        };
        let probed_ms = began.elapsed().as_millis() as u64;
        if let Err(failure) = self.probe_captures(&mut run, &plans, &placed, &mut results) {
            return self.fail(run.sandbox, failure);
        }
        if let Err(failure) = self.probe_buckets(&mut run, &mut results) {
            return self.fail(run.sandbox, failure);
        }
        if let Err(failure) = self.probe_consumers(&mut run, &mut results) {
            return self.fail(run.sandbox, failure);
        }
        self.finish(run, ready_ms, probed_ms, results)
    }

    /// The temporary folder, the design as it runs here and the chart to render with; `Err`
    /// with the exit code when one of them cannot be had.
    fn boot(&mut self) -> Result<Result<Run, ExitCode>, CliError> {
        let dir = match TempDir::new("nats-topology-sandbox") {
            Ok(dir) => dir,
            Err(e) => {
                writeln!(self.err, "nats-topology: sandbox: cannot create a temporary folder: {e}")?;
                return Ok(Err(ExitCode::from(2)));
            }
        };
        let seed = dir.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (mut design, mut notes) = prepare(self.design, self.request.servers, &seed);
        if certs::uses_tls(&design) {
            match certs::SandboxCerts::generate(dir.path()) {
                Ok(files) => notes.extend(certs::localize(&mut design, &files)),
                Err(message) => {
                    writeln!(self.err, "nats-topology: sandbox: {}", printable(&message))?;
                    return Ok(Err(ExitCode::from(2)));
                }
            }
        }
        let hub = hub(&design).expect("the design has clusters");
        let sandbox = Sandbox { servers: Vec::new(), dir, clusters: Vec::new(), version: self.version.clone() };
        let total: usize = design.clusters().map(|(_, c)| usize::from(c.servers)).sum();
        self.text(&format!(
            "sandbox: {} clusters, {total} servers of nats-server {} in {}",
            design.clusters().count(),
            sandbox.version,
            sandbox.dir.path().display()
        ))?;
        for note in &notes {
            self.text(&format!("note: {note}"))?;
        }
        let chart = match self.helm_chart() {
            Ok(chart) => chart,
            Err(message) => {
                writeln!(self.err, "nats-topology: sandbox: {}", printable(&message))?;
                return Ok(Err(ExitCode::from(2)));
            }
        };
        if let Some(chart) = &chart {
            self.text(&format!(
                "servers run the nats.conf that chart {} renders (helm template) from the exported values",
                chart.dir.display()
            ))?;
        }
        Ok(Ok(Run { design, notes, seed, hub, sandbox, chart, connections: Connections::default() }))
    }

    /// Starts every server (once more on fresh ports when one was taken meanwhile) and waits
    /// until they are healthy, connected and answering in every domain.
    fn start_servers(&mut self, run: &mut Run) -> Result<(), Failure> {
        let mut outcome = start(&mut run.sandbox, &run.design, self.binary, self.request.keep, run.chart.as_ref());
        if matches!(outcome, Err(Failure::Start { clash: true, .. })) {
            // A port was taken between finding it and the server binding it: once more, fresh.
            run.sandbox.stop();
            let _ = std::fs::remove_dir_all(run.sandbox.dir.path().join("store"));
            self.text("note: a port was taken meanwhile; starting again on fresh ports").map_err(Failure::output)?;
            outcome = start(&mut run.sandbox, &run.design, self.binary, self.request.keep, run.chart.as_ref());
        }
        outcome?;
        let timeout = Duration::from_secs(self.request.ready_timeout);
        wait_ready(&mut run.sandbox, &run.design, &mut run.connections, &run.seed, run.hub, timeout)
    }

    /// Creates the streams in the script's order (the ones it leaves out, of an account without
    /// a user on the hub, after); returns the plans they were created from.
    fn create_streams(&mut self, run: &mut Run, results: &mut Results) -> Result<Vec<StreamPlan>, Failure> {
        let (design, sandbox, seed, hub) = (&run.design, &run.sandbox, run.seed.as_str(), run.hub);
        let files: BTreeMap<String, (StreamId, String)> =
            design.streams().zip(cli_script::stream_files(design)).map(|(s, f)| (f.path, (s.id, f.contents))).collect();
        let scripted: Vec<String> = script_order(design);
        let mut order = scripted.clone();
        order.extend(
            files.iter().filter(|(path, _)| !order.contains(path)).map(|(path, _)| path.clone()).collect::<Vec<_>>(),
        );
        let mut plans = Vec::new();
        for path in &order {
            let Some((id, contents)) = files.get(path) else { continue };
            let stream = design.stream(*id).expect("files come from the design's streams");
            let config: Value = serde_json::from_str(contents).expect("exported stream files are JSON");
            let target = path.as_str();
            std::fs::create_dir_all(sandbox.dir.path().join("streams"))
                .and_then(|()| std::fs::write(sandbox.dir.path().join(target), contents))
                .map_err(|e| Failure::Io(format!("cannot write {target}: {e}")))?;
            let via = endpoint(design, sandbox, hub, &stream.account, seed)
                .filter(|e| e.user.is_some())
                .or_else(|| endpoint(design, sandbox, stream.cluster, &stream.account, seed));
            let Some(via) = via else { continue };
            plans.push(StreamPlan {
                id: *id,
                name: stream.config.name.clone(),
                path: path.clone(),
                config,
                domain: design.stream_domain(stream).map(str::to_owned),
                placed_on: probe::expected_cluster(design, stream),
                via,
                note: (!scripted.contains(path)).then(|| {
                    format!("not in nats-setup.sh (account {}): created as a user of its account", stream.account)
                }),
            });
        }
        results.streams = probe::create_streams(&mut run.connections, &plans);
        self.text("streams (in nats-setup.sh order):").map_err(Failure::output)?;
        for stream in &results.streams {
            for line in stream.text_lines() {
                self.text(&printable(&line)).map_err(Failure::output)?;
            }
        }
        if interrupted() {
            return Err(Failure::Interrupted);
        }
        Ok(plans)
    }

    /// Probes the links one at a time, so that a copy's growth is the probe's doing; returns
    /// where each stream was placed.
    fn probe_links(
        &mut self,
        run: &mut Run,
        plans: &[StreamPlan],
        results: &mut Results,
    ) -> Result<BTreeMap<StreamId, Placed>, Failure> {
        let (design, sandbox, seed) = (&run.design, &run.sandbox, run.seed.as_str());
        let created: BTreeSet<StreamId> = results.streams.iter().filter(|s| s.created).map(|s| s.id).collect();
        let placed: BTreeMap<StreamId, Placed> = design
            .streams()
            .filter_map(|s| {
                let local = endpoint(design, sandbox, s.cluster, &s.account, seed)?;
                let via = plans.iter().find(|p| p.id == s.id).map_or_else(|| local.clone(), |p| p.via.clone());
                let domain = design.stream_domain(s).map(str::to_owned);
                Some((
                    s.id,
                    Placed { name: s.config.name.clone(), domain, local, via, created: created.contains(&s.id) },
                ))
            })
            .collect();
        let mut links = Vec::new();
        for stream in design.streams() {
            let mirror = stream.config.mirror.iter().map(|m| (LinkKind::Mirror, m));
            let sources = stream.config.sources.iter().map(|s| (LinkKind::Source, s));
            for (index, (kind, source)) in mirror.chain(sources).enumerate() {
                links.push(LinkPlan {
                    kind,
                    copy: stream.id,
                    index,
                    origin_name: source.name.clone(),
                    api: design.effective_api(stream, source),
                    origin: probe::find_origin(design, stream.id, source),
                });
            }
        }
        // Copies in the order their streams were created.
        let position = |id: StreamId| plans.iter().position(|p| p.id == id).unwrap_or(usize::MAX);
        links.sort_by_key(|l| (position(l.copy), l.index));
        if !links.is_empty() {
            self.text("links:").map_err(Failure::output)?;
        }
        for link in &links {
            if interrupted() {
                return Err(Failure::Interrupted);
            }
            if !placed.contains_key(&link.copy) {
                continue;
            }
            let result = probe::probe_link(&mut run.connections, design, &placed, link, LINK_TIMEOUT);
            for line in result.text_lines() {
                self.text(&printable(&line)).map_err(Failure::output)?;
            }
            results.links.push(result);
        }
        if interrupted() {
            return Err(Failure::Interrupted);
        }
        Ok(placed)
    }

    /// Where a message on each stream's subjects is stored.
    fn probe_captures(
        &mut self,
        run: &mut Run,
        plans: &[StreamPlan],
        placed: &BTreeMap<StreamId, Placed>,
        results: &mut Results,
    ) -> Result<(), Failure> {
        let order: Vec<StreamId> = plans.iter().map(|p| p.id).collect();
        results.captures = probe::probe_captures(&mut run.connections, &run.design, placed, &order);
        if !results.captures.is_empty() {
            self.text("captures (one message published on each stream's first subject, in its own cluster):")
                .map_err(Failure::output)?;
        }
        for capture in &results.captures {
            for line in capture.text_lines() {
                self.text(&printable(&line)).map_err(Failure::output)?;
            }
        }
        if interrupted() {
            return Err(Failure::Interrupted);
        }
        Ok(())
    }

    /// Key-value round trips with the real `nats` CLI: put at the bucket's home, get in every
    /// cluster that reaches it, with and without the bucket's domain as `bucket::access` says.
    fn probe_buckets(&mut self, run: &mut Run, results: &mut Results) -> Result<(), Failure> {
        let (design, sandbox, seed) = (&run.design, &run.sandbox, run.seed.as_str());
        let has_kv = crate::model::bucket::access(design).iter().any(|a| {
            design
                .stream(a.bucket)
                .and_then(|s| crate::model::bucket::bucket_of(&s.config))
                .is_some_and(|b| b.kind == crate::model::bucket::BucketKind::KeyValue)
        });
        if !has_kv {
            return Ok(());
        }
        let nats = match super::helm::find_nats_cli(None) {
            Ok(nats) => nats,
            Err(message) => {
                return self.text(&format!("buckets: not probed: {message}")).map_err(Failure::output);
            }
        };
        let home = sandbox.dir.path().join("natscli");
        let created: BTreeSet<StreamId> = results.streams.iter().filter(|s| s.created).map(|s| s.id).collect();
        let endpoint = |cluster: ClusterId, account: &str| endpoint(design, sandbox, cluster, account, seed);
        results.buckets = buckets::probe(design, &nats, &home, &endpoint, &|id| created.contains(&id), LINK_TIMEOUT);
        self.text("buckets (nats kv put at the bucket's cluster, nats kv get where clients reach it):")
            .map_err(Failure::output)?;
        for result in &results.buckets {
            self.text(&printable(&result.text_line())).map_err(Failure::output)?;
        }
        if interrupted() {
            return Err(Failure::Interrupted);
        }
        Ok(())
    }

    /// The summary, the JSON report, and the sandbox kept (`--keep`) or stopped.
    #[allow(clippy::too_many_arguments)]
    fn finish(mut self, run: Run, ready_ms: u64, probed_ms: u64, results: Results) -> Result<ExitCode, CliError> {
        let Run { design, notes, seed, sandbox, .. } = run;
        let Results { streams, links: results, captures, buckets, consumers } = &results;
        let delivered = results.iter().filter(|r| r.delivered).count();
        // A stream its placement names a cluster for must land on that cluster.
        let placed = |s: &StreamResult| s.placement.is_none() || s.placement == s.cluster;
        let ok = delivered == results.len()
            && streams.iter().all(|s| s.created && placed(s))
            && buckets.iter().all(|b| b.ok)
            && consumers.iter().all(consumers::ConsumerResult::ok);
        if self.request.streams {
            self.text(&format!("{delivered} of {} links delivered", results.len()))?;
            if !buckets.is_empty() {
                let good = buckets.iter().filter(|b| b.ok).count();
                self.text(&format!("{good} of {} bucket reads as the design says", buckets.len()))?;
            }
            if !consumers.is_empty() {
                let good = consumers.iter().filter(|c| c.ok()).count();
                self.text(&format!("{good} of {} consumers created and delivering", consumers.len()))?;
            }
            self.text(&format!("ready in {ready_ms} ms, links probed in {probed_ms} ms"))?;
        }
        if self.request.format == Format::Json {
            let report = Report {
                design: &self.design.name,
                nats_server: &sandbox.version,
                helm_chart: self.request.helm_chart.as_ref().map(|d| d.display().to_string()),
                servers: sandbox.servers.len(),
                notes: &notes,
                ready_ms,
                links_probed_ms: probed_ms,
                streams,
                links: results,
                captures,
                buckets,
                consumers,
                ok,
            };
            writeln!(self.out, "{}", serde_json::to_string(&report).expect("the report serializes"))?;
        }
        if self.request.keep {
            let kept = self.keep(&design, &seed, sandbox);
            writeln!(self.out, "{}", serde_json::to_string(&kept).expect("the sandbox serializes"))?;
        } else {
            drop(sandbox);
        }
        Ok(ExitCode::from(if ok { 0 } else { 1 }))
    }

    /// The chart to render with, when `--helm-chart` names one.
    fn helm_chart(&self) -> Result<Option<HelmChart>, String> {
        let Some(dir) = &self.request.helm_chart else { return Ok(None) };
        let generation = chart_generation(dir)?;
        let helm = super::helm::find_helm(self.request.helm.as_deref())?;
        Ok(Some(HelmChart { dir: dir.clone(), helm, generation }))
    }

    /// Leaves the servers running and the folder in place; what to print about them.
    fn keep(&self, design: &Design, seed: &str, mut sandbox: Sandbox) -> Kept {
        let pids: Vec<u32> = sandbox.servers.iter().filter_map(ServerProcess::pid).collect();
        for server in &mut sandbox.servers {
            server.detach();
        }
        sandbox.dir.keep();
        let dir = sandbox.dir.path().to_owned();
        let clusters = sandbox
            .clusters
            .iter()
            .map(|c| KeptCluster {
                name: c.name.clone(),
                domain: c.domain.clone(),
                urls: c.ports.iter().map(|p| format!("nats://127.0.0.1:{}", p.client)).collect(),
            })
            .collect();
        let mut credentials = BTreeMap::new();
        let hub = hub(design);
        let clusters_hub_first = hub.into_iter().chain(design.clusters().map(|(id, _)| id));
        for id in clusters_hub_first {
            let Some(cluster) = design.cluster(id) else { continue };
            for (account, a) in &cluster.accounts {
                if let Some(user) = a.users.first() {
                    credentials.entry(account.clone()).or_insert_with(|| Credential {
                        user: user.name.clone(),
                        password: plain(&user.password, seed),
                    });
                }
            }
        }
        Kept {
            design: dir.join("design.json").display().to_string(),
            dir: dir.display().to_string(),
            clusters,
            credentials,
            stop: stop_command(&dir, &pids),
        }
    }

    /// Reports `failure` with each server's log tail, stops everything and removes the folder.
    fn fail(self, mut sandbox: Sandbox, failure: Failure) -> Result<ExitCode, CliError> {
        let dir = sandbox.dir.path().display().to_string();
        let count = sandbox.servers.len();
        if !matches!(failure, Failure::Interrupted) {
            writeln!(self.err, "nats-topology: sandbox: {}", printable(&failure.message()))?;
            write!(self.err, "{}", sandbox.log_tails())?;
        }
        sandbox.stop();
        drop(sandbox);
        writeln!(self.err, "nats-topology: sandbox: stopped {count} servers and removed {dir}")?;
        Ok(ExitCode::from(match failure {
            Failure::Interrupted => 130,
            Failure::Io(_) => 2,
            Failure::Start { .. } | Failure::NotReady(_) => 1,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::{guide_as_written, guide_corrected};

    fn parsed(items: &[&str]) -> Result<Args, String> {
        crate::cli::parse_args("sandbox", items)
    }

    #[test]
    fn options_are_parsed_with_or_without_equals() {
        let r = parsed(&[
            "d.json",
            "--servers-per-cluster",
            "1",
            "--keep",
            "--nats-server=/x",
            "--format",
            "json",
            "--no-streams",
            "--helm-chart",
            "charts/nats",
            "--helm=/h",
            "--ready-timeout",
            "9",
        ])
        .unwrap();
        assert_eq!(
            r,
            Args {
                design: "d.json".into(),
                servers: Some(1),
                keep: true,
                nats_server: Some("/x".into()),
                format: Format::Json,
                streams: false,
                helm_chart: Some("charts/nats".into()),
                helm: Some("/h".into()),
                ready_timeout: 9,
            }
        );
        assert_eq!(parsed(&["d.json"]).unwrap().ready_timeout, 60);
        assert!(parsed(&["d.json"]).unwrap().streams, "streams are created unless --no-streams");
        assert!(parsed(&["d.json", "--servers-per-cluster=0"]).unwrap_err().contains("0 is not in 1..=7"));
        assert!(parsed(&["--keep"]).unwrap_err().contains("<DESIGN>"));
        assert!(parsed(&["a", "b"]).unwrap_err().contains("unexpected argument 'b'"));
        assert!(parsed(&["a", "--format", "yaml"]).unwrap_err().contains("[possible values: text, json]"));
        assert!(parsed(&["a", "--helm", "/h"]).unwrap_err().contains("--helm-chart <CHART_DIR>"));
    }

    #[test]
    fn one_server_per_cluster_makes_every_stream_r1() {
        let (d, notes) = prepare(&guide_corrected(), Some(1), "seed");
        assert!(d.clusters().all(|(_, c)| c.servers == 1));
        assert!(d.streams().all(|s| s.config.num_replicas == 1));
        assert!(notes.iter().any(|n| n.contains("replicas lowered")), "{notes:?}");
        let (d, _) = prepare(&guide_corrected(), None, "seed");
        assert!(d.streams().all(|s| s.config.num_replicas == 3));
    }

    #[test]
    fn credentials_in_remote_urls_move_to_the_remote_and_secrets_get_sandbox_passwords() {
        let (d, _) = prepare(&guide_as_written(), None, "seed");
        let spoke = d.clusters().nth(1).unwrap().1;
        assert_eq!(spoke.remotes[0].user.as_deref(), Some("acc"));
        assert_eq!(spoke.remotes[0].password, Some(Password::Plain("acc".into())));
        let secret = Password::SecretRef { name: "s".into(), key: "k".into() };
        assert_eq!(plain(&secret, "a"), plain(&secret, "a"));
        assert_ne!(plain(&secret, "a"), plain(&secret, "b"));
        assert!(plain(&secret, "a").chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn the_script_order_holds_buckets_made_by_kv_add() {
        let design = crate::model::templates::edge_key_value();
        let order = script_order(&design);
        assert_eq!(order.len(), design.stream_count(), "{order:?}");
        assert_eq!(order[0], "streams/hub.KV_config.json");
        assert!(order.contains(&"streams/spoke-1.KV_config.json".to_owned()));
    }

    #[test]
    fn the_script_order_is_read_back_from_the_script() {
        assert_eq!(
            script_order(&guide_corrected()),
            [
                "streams/headquarter.cinema-a.json",
                "streams/spoke-1.tickets-1.json",
                "streams/spoke-2.tickets-2.json",
                "streams/headquarter.sales.json",
                "streams/spoke-1.cinema-a-mirror.json",
            ]
        );
        assert_eq!(shell_word("'a b'\\''c' --js-domain=x"), ("a b'c".to_owned(), " --js-domain=x"));
        assert_eq!(shell_word("plain rest"), ("plain".to_owned(), " rest"));
    }

    #[test]
    fn the_stop_command_only_touches_processes_of_its_folder() {
        let command = stop_command(Path::new("/tmp/x y"), &[12, 34]);
        assert!(command.starts_with("for p in 12 34; do if grep -qF -- '/tmp/x y' /proc/$p/cmdline"), "{command}");
        assert!(command.ends_with("rm -rf -- '/tmp/x y'"), "{command}");
    }
}
