//! The exported Helm values consumed by the real charts: `helm template` (helm v4, installed by
//! `make test`) on the three charts of `../shared/reference/helm/charts` (0.19.16 with the 0.19
//! values; 1.3.16 and 2.14.2 with the 1.x values), for the corrected guide, the hostile-names
//! design and a generated design of 10 clusters. For each cluster:
//!
//! - helm renders without an error and without a word on standard error;
//! - the `nats.conf` of the rendered ConfigMap passes `nats-server -t` (2.9.10 for chart 0.19,
//!   whose image is 2.9; 2.15 for the others) in the environment the StatefulSet gives its
//!   first pod, secrets filled with test values as the values' comments say;
//! - our importer reads the rendered manifests (with a Secret holding those test values) back
//!   into a design whose clusters equal the exported ones in what the conf carries.
//!
//! And every key we write is read by the chart: changing any one value changes what helm
//! renders. Booting the rendered confs is `sandbox --helm-chart`, tested at the end.

mod support;

use nats_topology::cli::helm;
use nats_topology::model::example::{guide_corrected, hostile_names};
use nats_topology::model::export::{helm as helm_export, Chart};
use nats_topology::model::generate::generated;
use nats_topology::model::import::localize::{localize, LocalServer};
use nats_topology::model::import::{import, SourceFile};
use nats_topology::model::k8s::{self, EnvSource};
use nats_topology::model::templates::{cross_account_sharing, two_regions_and_a_site};
use nats_topology::model::url;
use nats_topology::model::{persist, Cluster, Design, Password};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn helm_binary() -> PathBuf {
    helm::find_helm(None).unwrap_or_else(|e| panic!("{e}"))
}

fn designs() -> Vec<(&'static str, Design)> {
    vec![
        ("guide", guide_corrected()),
        ("hostile", hostile_names()),
        ("generated", generated(10, 40)),
        ("shared-accounts", shared_accounts()),
        ("cross-account", cross_account_sharing()),
        ("two-regions", two_regions_three_server_site()),
    ]
}

/// The "Two regions and a site" template with three servers on the site too: chart 0.19 writes
/// no cluster block (so no cluster name) for a one-server cluster, and the import back could not
/// tell the site by its name.
fn two_regions_three_server_site() -> Design {
    let mut design = two_regions_and_a_site();
    let site = design.clusters().find(|(_, c)| c.name == "site").map(|(id, _)| id).unwrap();
    design.cluster_mut(site).unwrap().servers = 3;
    design
}

/// The guide with a hub account DATA sharing its JetStream API and flow control with APP, and
/// APP the deliver subjects back (every kind of export and import, `to` and `prefix`).
fn shared_accounts() -> Design {
    use nats_topology::model::{Account, Export, Import, LocalSubject, ResponseType, ShareKind, User};
    let mut d = guide_corrected();
    let user = |name: &str| User { name: name.into(), password: Password::Plain(format!("{name}-pw")) };
    let share =
        |kind, subject: &str| Export { kind, subject: subject.into(), accounts: Vec::new(), response_type: None };
    let take = |kind, account: &str, subject: &str, local| Import {
        kind,
        account: account.into(),
        subject: subject.into(),
        local,
    };
    let mut data = Account::new(true, vec![user("data")]);
    data.exports = vec![
        Export {
            accounts: vec!["APP".into()],
            response_type: Some(ResponseType::Stream),
            ..share(ShareKind::Service, "$JS.hub.API.>")
        },
        share(ShareKind::Stream, "$JS.FC.>"),
    ];
    data.imports = vec![take(ShareKind::Stream, "APP", "deliver.app.>", Some(LocalSubject::Prefix("app".into())))];
    let mut app = Account::new(true, vec![user("app")]);
    app.exports = vec![share(ShareKind::Stream, "deliver.app.>").to(&["DATA"])];
    app.imports = vec![
        take(ShareKind::Service, "DATA", "$JS.hub.API.>", Some(LocalSubject::To("JS.DATA.API.>".into()))),
        take(ShareKind::Stream, "DATA", "$JS.FC.>", None),
    ];
    let hub = d.clusters().next().map(|(id, _)| id).expect("the guide has a hub");
    let hub = d.cluster_mut(hub).expect("it exists");
    hub.accounts.insert("DATA".into(), data);
    hub.accounts.insert("APP".into(), app);
    d
}

/// A test value for key `key` of secret `name`: plain characters only, different per key.
fn test_password(name: &str, key: &str) -> String {
    let hex: String = format!("{name}/{key}").bytes().map(|b| format!("{b:02x}")).collect();
    format!("pw{}", &hex[hex.len().saturating_sub(24)..])
}

/// The value of every secret key a rendered StatefulSet reads, as the values' comments tell the
/// user to fill them: passwords, and whole leafnode URLs (`nats://user:password@endpoint`) for
/// the variables that stand for a remote's URL.
fn secret_values(cluster: &Cluster, pod: &k8s::NatsPod) -> BTreeMap<(String, String), String> {
    let remote_variables =
        localize(&pod.conf, &LocalServer::default()).expect("the rendered conf parses").remote_variables;
    let mut values = BTreeMap::new();
    for var in &pod.env {
        let EnvSource::Secret { name, key } = &var.source else { continue };
        let value = match remote_variables.iter().find(|(_, v)| *v == var.name) {
            Some((index, _)) => {
                let remote = &cluster.remotes[*index];
                let password = match &remote.password {
                    Some(Password::SecretRef { name, key }) => test_password(name, key),
                    Some(Password::Plain(p) | Password::Bcrypt(p)) => p.clone(),
                    None => String::new(),
                };
                let user: String = remote.user.clone().unwrap_or_default();
                url::with_userinfo(&remote.url, &user, Some(&password))
                    .unwrap_or_else(|| panic!("remote URL {:?} has a scheme and no user information", remote.url))
            }
            None => test_password(name, key),
        };
        values.insert((name.clone(), key.clone()), value);
    }
    values
}

/// A Secret manifest, as `kubectl create secret generic --dry-run=client -o yaml` prints one.
fn secret_manifest(values: &BTreeMap<(String, String), String>) -> String {
    let mut by_secret: BTreeMap<&str, serde_yaml::Mapping> = BTreeMap::new();
    for ((name, key), value) in values {
        by_secret.entry(name).or_default().insert(Value::from(key.clone()), Value::from(value.clone()));
    }
    let mut out = String::new();
    for (name, data) in by_secret {
        let mut doc = serde_yaml::Mapping::new();
        doc.insert("apiVersion".into(), "v1".into());
        doc.insert("kind".into(), "Secret".into());
        let mut metadata = serde_yaml::Mapping::new();
        metadata.insert("name".into(), name.into());
        doc.insert("metadata".into(), Value::Mapping(metadata));
        doc.insert("stringData".into(), Value::Mapping(data));
        out.push_str("---\n");
        out.push_str(&serde_yaml::to_string(&doc).unwrap());
    }
    out
}

/// A temporary folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("nats-topology-helm-{}-{label}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// `nats-server -t` on `conf` with `env`; the server's complaint when it refuses.
fn server_accepts(server: &Path, dir: &Path, conf: &str, env: &[(String, String)]) -> Result<(), String> {
    let file = dir.join("nats.conf");
    fs::write(&file, conf).unwrap();
    let output =
        Command::new(server).arg("-t").arg("-c").arg(&file).env_clear().envs(env.iter().cloned()).output().unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
    }
}

/// What the rendered conf carries of a cluster, written out so that two clusters compare line
/// by line. Public endpoints are left out: the conf has none (they are the Service's business);
/// the importer infers them from the URLs the spokes dial.
fn carried(design: &Design, cluster: &Cluster) -> Vec<String> {
    let mut out = vec![
        format!("servers {}", cluster.servers),
        format!("server name prefix {:?}", cluster.server_name_prefix),
        format!("jetstream {}", cluster.jetstream),
        format!("domain {:?}", cluster.domain),
        format!("system account {:?}", cluster.system_account),
        format!("leafnode listener {:?}", cluster.leafnode_listener.as_ref().map(|l| (l.port, l.no_advertise))),
    ];
    for (name, account) in &cluster.accounts {
        out.push(format!("account {name:?} jetstream {}", account.jetstream));
        for user in &account.users {
            out.push(format!("account {name:?} user {:?} password {:?}", user.name, user.password));
        }
        for export in &account.exports {
            out.push(format!("account {name:?} export {export:?}"));
        }
        for import in &account.imports {
            out.push(format!("account {name:?} import {import:?}"));
        }
    }
    if let Some(gateway) = &cluster.gateway {
        let peers: Vec<_> = gateway.peers.iter().map(|p| (&p.name, &p.urls)).collect();
        out.push(format!("gateway port {} peers {peers:?}", gateway.port));
    }
    out.push(format!("server tags {:?}", cluster.server_tags));
    for (i, remote) in cluster.remotes.iter().enumerate() {
        let target =
            remote.target.and_then(|t| design.cluster(t)).map(|c| helm_export::cluster_name(&c.name, &mut Vec::new()));
        out.push(format!(
            "remote {i} to {target:?} account {:?} user {:?} password {:?} credentials {:?} nkey {:?}",
            remote.local_account, remote.user, remote.password, remote.credentials, remote.nkey
        ));
    }
    out
}

#[test]
fn every_chart_renders_every_design_into_confs_the_server_accepts_and_the_importer_reads_back() {
    let helm = helm_binary();
    let scratch = Scratch::new("round-trip");
    for (chart_name, chart) in support::CHARTS {
        let dir = support::chart_dir(chart_name);
        let server = support::server_for(chart);
        for (label, design) in designs() {
            let values = helm_export::render(&design, chart);
            let mut files = Vec::new();
            let mut secrets = BTreeMap::new();
            for ((_, cluster), file) in design.clusters().zip(&values) {
                let at = format!("{chart_name}, design {label}, cluster {:?}", cluster.name);
                let rendered =
                    helm::template(&helm, &dir, "nats", &file.contents).unwrap_or_else(|e| panic!("{at}: {e}"));
                assert_eq!(rendered.stderr, "", "{at}: helm warned");
                let pods = k8s::nats_pods(&rendered.manifests).unwrap();
                assert_eq!(pods.len(), 1, "{at}: one NATS StatefulSet");
                let pod = &pods[0];
                assert_eq!(pod.replicas, cluster.servers, "{at}: replicas");
                let values = secret_values(cluster, pod);
                let env = k8s::pod_env(pod, 0, "default", &|n, k| values.get(&(n.to_owned(), k.to_owned())).cloned());
                server_accepts(&server, &scratch.0, &pod.conf, &env).unwrap_or_else(|e| {
                    panic!("{at}: nats-server -t refuses the rendered nats.conf:\n{e}\n{}", pod.conf)
                });
                secrets.extend(values);
                files.push(SourceFile::new(
                    format!("rendered/{}.yaml", nats_topology::model::export::file_stem(&cluster.name)),
                    rendered.manifests,
                ));
            }
            files.push(SourceFile::new("rendered/secrets.yaml", secret_manifest(&secrets)));
            let imported = import(&files).design;
            for (_, cluster) in design.clusters() {
                let at = format!("{chart_name}, design {label}, cluster {:?}", cluster.name);
                // Whitespace in a cluster name is written as `_` (nats-server 2.15 refuses it).
                let name = helm_export::cluster_name(&cluster.name, &mut Vec::new());
                let found = imported
                    .clusters()
                    .find(|(_, c)| c.name == name)
                    .unwrap_or_else(|| panic!("{at}: not imported back"))
                    .1;
                // The one difference the charts introduce: the server-name prefix reaches
                // nats-server through $SERVER_NAME (chart 0.19 even writes it bare into YAML), so
                // the export writes unsafe characters as `_` and says so in the values.
                let mut expected = cluster.clone();
                expected.server_name_prefix = helm_export::v0_19::server_name_prefix(&cluster.server_name_prefix);
                assert_eq!(
                    carried(&imported, found),
                    carried(&design, &expected),
                    "{at}: the rendered conf says otherwise"
                );
            }
            assert_eq!(imported.clusters().count(), design.clusters().count(), "{chart_name}, design {label}");
        }
    }
}

/// Every scalar of a values document with its path.
fn leaves(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                path.push(key.clone());
                leaves(child, path, out);
                path.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Value::from(i as u64));
                leaves(child, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

/// `value` with the scalar at `path` changed: a string gets a suffix, a boolean flips, a number
/// grows by one.
fn changed(value: &Value, path: &[Value]) -> Value {
    let mut copy = value.clone();
    let mut at = &mut copy;
    for key in path {
        at = match key {
            Value::Number(i) if at.is_sequence() => &mut at.as_sequence_mut().unwrap()[i.as_u64().unwrap() as usize],
            _ => at.as_mapping_mut().unwrap().get_mut(key).unwrap(),
        };
    }
    let new = match &*at {
        Value::String(s) => Value::String(format!("{s}x")),
        Value::Bool(b) => Value::Bool(!*b),
        Value::Number(n) => Value::from(n.as_u64().map_or(1, |n| n + 1)),
        Value::Null => Value::from("x"),
        other => other.clone(),
    };
    *at = new;
    copy
}

#[test]
fn the_charts_read_every_key_we_write() {
    let helm = helm_binary();
    let design = guide_corrected();
    let mut jobs = Vec::new();
    for (chart_name, chart) in support::CHARTS {
        for file in helm_export::render(&design, chart) {
            let values: Value = serde_yaml::from_str(&file.contents).unwrap();
            let mut paths = Vec::new();
            leaves(&values, &mut Vec::new(), &mut paths);
            for path in paths {
                jobs.push((chart_name, file.path.clone(), values.clone(), path));
            }
        }
    }
    assert!(jobs.len() > 50, "{} keys", jobs.len());
    let baselines: BTreeMap<(&str, String), String> = jobs
        .iter()
        .map(|(chart, file, values, _)| ((*chart, file.clone()), values))
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .map(|(key, values)| {
            let rendered =
                helm::template(&helm, &support::chart_dir(key.0), "nats", &serde_yaml::to_string(values).unwrap())
                    .unwrap();
            (key, rendered.manifests)
        })
        .collect();
    // helm mostly waits on itself: four at a time.
    let ignored: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(jobs.len().div_ceil(4))
            .map(|chunk| {
                let (helm, baselines) = (&helm, &baselines);
                scope.spawn(move || {
                    let mut ignored = Vec::new();
                    for (chart, file, values, path) in chunk {
                        let text = serde_yaml::to_string(&changed(values, path)).unwrap();
                        let rendered = helm::template(helm, &support::chart_dir(chart), "nats", &text)
                            .unwrap_or_else(|e| panic!("{chart} {file} {path:?}: {e}"));
                        if rendered.manifests == baselines[&(*chart, file.clone())] {
                            let keys: Vec<String> = path
                                .iter()
                                .map(|k| {
                                    k.as_str().map_or_else(|| format!("[{}]", k.as_u64().unwrap_or(0)), str::to_owned)
                                })
                                .collect();
                            ignored.push(format!("{chart} {file}: {}", keys.join(".")));
                        }
                    }
                    ignored
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(ignored, Vec::<String>::new(), "keys the chart does not read: changing them changes nothing");
}

/// `sandbox --helm-chart` on `design`: the confs the chart renders, booted on 127.0.0.1.
fn boot(label: &str, design: &Design, chart: &str, servers_per_cluster: &str) {
    let scratch = Scratch::new(label);
    let file = scratch.0.join("design.json");
    fs::write(&file, persist::save(design)).unwrap();
    let server = support::server_for(support::CHARTS.iter().find(|(c, _)| *c == chart).unwrap().1);
    let output = Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .arg("sandbox")
        .arg(&file)
        .args(["--servers-per-cluster", servers_per_cluster, "--format", "json", "--helm-chart"])
        .arg(support::chart_dir(chart))
        .arg("--helm")
        .arg(helm_binary())
        .arg("--nats-server")
        .arg(&server)
        .env("TMPDIR", &scratch.0)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{label}: sandbox failed:\n{stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert!(report["helm_chart"].as_str().is_some_and(|c| c.ends_with(chart)), "{stdout}");
    assert_eq!(report["ok"], true, "{stdout}");
    let links = report["links"].as_array().unwrap();
    let expected: usize =
        design.streams().map(|s| s.config.sources.len() + usize::from(s.config.mirror.is_some())).sum();
    assert_eq!(links.len(), expected, "{stdout}");
    assert!(links.iter().all(|l| l["delivered"] == true), "{stdout}");
    assert_eq!(support::processes_under(&scratch.0), Vec::<u32>::new(), "servers left running");
}

static ONE_SANDBOX_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn the_confs_chart_0_19_renders_boot_and_deliver_on_2_9() {
    let _lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    boot("boot-019", &guide_corrected(), "nats-0.19.16", "1");
    // The exports and imports "Wire accounts" adds, as the 0.19 chart renders them, deliver.
    boot("boot-019-cross-account", &cross_account_sharing(), "nats-0.19.16", "1");
}

#[test]
fn the_confs_chart_1_renders_boot_and_deliver_on_2_15_with_three_servers_per_cluster() {
    let _lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    boot("boot-1", &guide_corrected(), "nats-1.3.16", "3");
}

#[test]
fn the_confs_chart_2_renders_boot_and_deliver_on_2_15() {
    let _lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    boot("boot-2", &guide_corrected(), "nats-2.14.2", "1");
    boot("boot-2-generated", &generated(10, 40), "nats-2.14.2", "1");
    boot("boot-2-cross-account", &cross_account_sharing(), "nats-2.14.2", "1");
}

#[test]
fn the_supercluster_chart_2_renders_boots_places_and_delivers_on_2_15() {
    let _lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    // Gateways named by config.gateway.merge.name, dialing each other through the rendered
    // URLs moved onto 127.0.0.1; each placed stream must land on its cluster (the report's ok).
    boot("boot-2-regions", &two_regions_three_server_site(), "nats-2.14.2", "3");
}

#[test]
fn the_supercluster_chart_0_19_renders_boots_places_and_delivers_on_2_9() {
    let _lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    boot("boot-019-regions", &two_regions_three_server_site(), "nats-0.19.16", "3");
}

/// TLS from secrets on every listener: both 1.x/2.x charts mount each secret at
/// `/etc/nats-certs/<secret>` and render the `tls {}` blocks the exported confs write, with the
/// listener's CA and `verify` merged in.
#[test]
fn chart_1_and_2_render_listener_tls_from_secrets() {
    use nats_topology::model::tls::{TlsCerts, TlsListener};
    let helm = helm_binary();
    let mut design = two_regions_three_server_site();
    let east = design.clusters().find(|(_, c)| c.gateway.is_some()).map(|(id, _)| id).expect("a region");
    let secret =
        |name: &str| TlsListener { certs: TlsCerts { secret: Some(name.into()), ..TlsCerts::default() }, verify: true };
    let region = design.cluster_mut(east).expect("listed");
    region.tls.client = Some(secret("client-tls"));
    region.tls.routes = Some(secret("route-tls"));
    region.gateway.as_mut().expect("a gateway").tls = Some(secret("gateway-tls"));
    let listener = region.leafnode_listener.get_or_insert_with(Default::default);
    listener.tls = Some(secret("leaf-tls"));
    let index = design.clusters().position(|(id, _)| id == east).expect("listed");
    for (chart_name, chart) in support::CHARTS.into_iter().filter(|(_, c)| *c == Chart::V1) {
        let values = &helm_export::render(&design, chart)[index];
        let rendered = helm::template(&helm, &support::chart_dir(chart_name), "nats", &values.contents)
            .unwrap_or_else(|e| panic!("{chart_name}: {e}"));
        assert_eq!(rendered.stderr, "", "{chart_name}: helm warned");
        let conf = &k8s::nats_pods(&rendered.manifests).unwrap()[0].conf;
        for name in ["client-tls", "route-tls", "gateway-tls", "leaf-tls"] {
            for file in ["tls.crt", "tls.key", "ca.crt"] {
                let path = format!("/etc/nats-certs/{name}/{file}");
                assert!(conf.contains(&path), "{chart_name}: {path} in\n{conf}");
            }
            assert!(rendered.manifests.contains(&format!("secretName: {name}")), "{chart_name}: {name} mounted");
        }
        assert_eq!(conf.matches("\"verify\": true").count(), 4, "{chart_name}:\n{conf}");
    }
    // A remote's own tls block, its certificate from a secret and its CA from a path, both mounted.
    let (site, remote_index) = design
        .clusters()
        .enumerate()
        .find(|(_, (_, c))| !c.remotes.is_empty())
        .map(|(i, (id, _))| (id, i))
        .expect("a site with remotes");
    design.cluster_mut(site).expect("listed").remotes[0].tls = Some(nats_topology::model::tls::TlsDial {
        certs: TlsCerts {
            secret: Some("site-tls".into()),
            ca_file: Some("/certs/ca.pem".into()),
            ..TlsCerts::default()
        },
    });
    for (chart_name, chart) in support::CHARTS.into_iter().filter(|(_, c)| *c == Chart::V1) {
        let values = &helm_export::render(&design, chart)[remote_index];
        let rendered = helm::template(&helm, &support::chart_dir(chart_name), "nats", &values.contents)
            .unwrap_or_else(|e| panic!("{chart_name}: {e}"));
        assert_eq!(rendered.stderr, "", "{chart_name}: helm warned");
        let conf = &k8s::nats_pods(&rendered.manifests).unwrap()[0].conf;
        assert!(conf.contains("site-tls/tls.crt") && conf.contains("site-tls/tls.key"), "{chart_name}:\n{conf}");
        assert!(conf.contains("ca.pem"), "{chart_name}:\n{conf}");
        assert!(rendered.manifests.contains("secretName: site-tls"), "{chart_name}: the secret is mounted");
    }
}
