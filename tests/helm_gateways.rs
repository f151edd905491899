//! Gateways in the exported Helm values, consumed by the real charts with `helm template`
//! (0.19.16, 1.3.16, 2.14.2): the rendered `nats.conf` holds a gateway named after the cluster
//! (not after the StatefulSet, as chart 1.x/2.x would name it: `files/config/gateway.yaml`),
//! each peer with its URLs, and the server tags; and it passes `nats-server -t` and then starts
//! (a gateway name other than the cluster name passes `-t` but stops the server at start:
//! "cluster name conflicts between cluster and gateway definitions", measured on 2.9.10 and
//! 2.15.1), so each rendered conf is booted briefly on 127.0.0.1.

mod support;

use nats_topology::cli::helm;
use nats_topology::model::example::hostile_names;
use nats_topology::model::export::helm as helm_export;
use nats_topology::model::gateway::join_gateways;
use nats_topology::model::import::localize::{localize, LocalServer};
use nats_topology::model::k8s;
use nats_topology::model::templates::two_regions_and_a_site;
use nats_topology::model::Design;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// The hostile-names example with its first two clusters joined by gateways.
fn hostile_gateways() -> Design {
    let mut design = hostile_names();
    let ids: Vec<_> = design.clusters().map(|(id, _)| id).collect();
    join_gateways(&design, ids[0], ids[1]).expect("joinable").apply(&mut design).expect("applies");
    // join_gateways writes nats://<name>:7222, which a hostile name makes undialable (the
    // exporters leave such a URL out and `gateway-url-mismatch` says so): dial an address.
    for (n, id) in ids.iter().take(2).enumerate() {
        let gateway = design.cluster_mut(*id).expect("listed").gateway.as_mut().expect("joined");
        gateway.peers[0].urls = vec![format!("nats://gw-{n}.example.com:7222")];
    }
    for id in &ids {
        design.cluster_mut(*id).expect("listed").server_tags = vec!["$(rm -rf ~)".into(), "tag: \"x\"".into()];
    }
    design
}

/// A temporary folder removed when dropped.
struct Scratch(tempfile::TempDir);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts nats-server on `conf` moved onto 127.0.0.1 by the sandbox's own `localize` (the
/// gateway peers keep their URLs: they need not answer for the server to start), and says
/// whether it reported ready without exiting.
fn starts(server: &PathBuf, scratch: &Scratch, conf: &str, env: &[(String, String)]) -> Result<(), String> {
    let dir = scratch.0.path();
    let cluster = free_port();
    let local = LocalServer {
        client: free_port(),
        cluster,
        // A route to itself: JetStream in a cluster wants configured routes to start.
        routes: vec![cluster],
        leafnode: free_port(),
        http: free_port(),
        gateway: free_port(),
        store_dir: dir.join("store").display().to_string(),
        pid_file: dir.join("nats.pid").display().to_string(),
        ..LocalServer::default()
    };
    let text = localize(conf, &local)?.text;
    let path = scratch.0.path().join("nats.conf");
    std::fs::write(&path, &text).map_err(|e| e.to_string())?;
    let log = scratch.0.path().join("server.log");
    let mut child = Command::new(server)
        .arg("-c")
        .arg(&path)
        .arg("-l")
        .arg(&log)
        .env_clear()
        .envs(env.iter().cloned())
        .spawn()
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(10);
    let result = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Err(format!("exited ({status}): {}", std::fs::read_to_string(&log).unwrap_or_default()));
        }
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        if logged.contains("Server is ready") {
            break Ok(());
        }
        if Instant::now() > deadline {
            break Err(format!("not ready in 10 s: {logged}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    result.map_err(|e| format!("{e}\n{text}"))
}

#[test]
fn every_chart_renders_gateways_named_after_the_cluster_that_nats_server_starts_with() {
    let helm = helm::find_helm(None).unwrap_or_else(|e| panic!("{e}"));
    for (chart_name, chart) in support::CHARTS {
        let server = support::server_for(chart);
        for (label, design) in [("two-regions", two_regions_and_a_site()), ("hostile-gateways", hostile_gateways())] {
            let values = helm_export::render(&design, chart);
            for ((_, cluster), file) in design.clusters().zip(&values) {
                let at = format!("{chart_name}, {label}, cluster {:?}", cluster.name);
                let rendered = helm::template(&helm, &support::chart_dir(chart_name), "nats", &file.contents)
                    .unwrap_or_else(|e| panic!("{at}: {e}"));
                assert_eq!(rendered.stderr, "", "{at}: helm warned");
                let pods = k8s::nats_pods(&rendered.manifests).unwrap();
                let pod = &pods[0];
                let conf = &pod.conf;
                if let Some(gateway) = &cluster.gateway {
                    let block = conf
                        .split_once("gateway")
                        .map(|(_, b)| b)
                        .unwrap_or_else(|| panic!("{at}: no gateway in\n{conf}"));
                    let name = helm_export::cluster_name(&cluster.name, &mut Vec::new());
                    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                    if plain {
                        assert!(
                            block.contains(&format!("name: {name}\n"))
                                || block.contains(&format!("name: \"{name}\""))
                                || block.contains(&format!("\"name\": \"{name}\"")),
                            "{at}: the gateway is not named {name}:\n{conf}"
                        );
                    }
                    for peer in &gateway.peers {
                        for url in &peer.urls {
                            assert!(conf.contains(url.as_str()), "{at}: {url} not dialed:\n{conf}");
                        }
                    }
                } else {
                    assert!(!conf.contains("gateway {") && !conf.contains("gateway:"), "{at}: a gateway:\n{conf}");
                }
                let env = k8s::pod_env(pod, 0, "default", &|_, _| Some("secret".to_owned()));
                let scratch = Scratch(tempfile::tempdir().unwrap());
                starts(&server, &scratch, conf, &env)
                    .unwrap_or_else(|e| panic!("{at}: nats-server did not start: {e}"));
            }
        }
    }
}
