//! `nats-topology sandbox` on real nats-servers: the binary is run on design files, each test
//! with a temporary folder of its own as `TMPDIR`, so that every server it starts has its conf
//! under that folder; after each test no process names the folder and no sandbox folder is
//! left in it.
//!
//! The corrected guide must deliver every link on both server versions, with one server per
//! cluster (R1) and with three (R3); the guide as written must fail where users failed (sources
//! behind a wrong API prefix never deliver, the "mirror" captures the origin's subject a second
//! time), in step with what `validate` says about it. Buckets make a round trip through the
//! real `nats` CLI on both versions (`nats kv put` at home, `nats kv get` at each site), with
//! and without `mirror_direct` on the site mirrors.

mod support;

use nats_topology::model::example::{guide_as_written, guide_corrected};
use nats_topology::model::persist;
use nats_topology::model::validate::{validate, Severity};
use nats_topology::model::{Design, StreamSource};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// A folder of its own, used as the binary's `TMPDIR`; on drop it checks that nothing was left
/// behind (no process naming it, no sandbox folder in it) and removes it.
/// A test's own folder; it also holds the lock that runs sandbox tests one at a time: up to
/// nine servers each, started in parallel on a 2-core machine, made link probes time out.
struct Scratch(PathBuf, #[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

static ONE_SANDBOX_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Scratch {
    fn new(test: &str) -> Self {
        let lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let dir = std::env::temp_dir().join(format!("nats-topology-sandbox-test-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir, lock)
    }

    fn design(&self, name: &str, design: &Design) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, persist::save(design)).expect("temp file is writable");
        path
    }

    /// Sandbox folders in the scratch folder.
    fn sandboxes(&self) -> Vec<String> {
        fs::read_dir(&self.0)
            .expect("the scratch folder is readable")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with("nats-topology-sandbox"))
            .collect()
    }

    fn assert_clean(&self) {
        assert_eq!(support::processes_under(&self.0), Vec::<u32>::new(), "servers left running");
        assert_eq!(self.sandboxes(), Vec::<String>::new(), "sandbox folders left in {}", self.0.display());
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let leftovers = support::processes_under(&self.0);
        let folders = self.sandboxes();
        let _ = fs::remove_dir_all(&self.0);
        if !std::thread::panicking() {
            assert!(leftovers.is_empty() && folders.is_empty(), "left behind: {leftovers:?} {folders:?}");
        }
    }
}

fn binary_2_9() -> PathBuf {
    support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1)
}

fn binary_2_15() -> PathBuf {
    support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1)
}

fn sandbox(scratch: &Scratch, design: &Path, server: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .arg("sandbox")
        .arg(design)
        .arg("--nats-server")
        .arg(server)
        .args(extra)
        .env("TMPDIR", &scratch.0)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `--format json` report (the first stdout line).
fn report(output: &Output) -> Value {
    let stdout = text(&output.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    serde_json::from_str(first)
        .unwrap_or_else(|e| panic!("no JSON report ({e}):\nstdout:\n{stdout}\nstderr:\n{}", text(&output.stderr)))
}

fn links<'a>(report: &'a Value, copy: &str) -> Vec<&'a Value> {
    report["links"].as_array().expect("links").iter().filter(|l| l["copy"] == copy).collect()
}

fn corrected_guide_delivers_every_link(test: &str, server: &Path, servers_per_cluster: &str) {
    let scratch = Scratch::new(test);
    let design = scratch.design("guide.json", &guide_corrected());
    let output =
        sandbox(&scratch, &design, server, &["--servers-per-cluster", servers_per_cluster, "--format", "json"]);
    let report = report(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}\n{}", text(&output.stderr));
    assert_eq!(report["ok"], true);
    let servers = servers_per_cluster.parse::<u64>().unwrap();
    assert_eq!(report["servers"], 3 * servers);
    let streams = report["streams"].as_array().unwrap();
    let order: Vec<&str> = streams.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(order, ["cinema-a", "tickets-1", "tickets-2", "sales", "cinema-a-mirror"], "the script's order");
    assert!(streams.iter().all(|s| s["created"] == true && s["replicas"] == servers), "{streams:?}");
    let links = report["links"].as_array().unwrap();
    assert_eq!(links.len(), 3);
    assert!(links.iter().all(|l| l["delivered"] == true), "{links:#?}");
    let captures = report["captures"].as_array().unwrap();
    assert!(captures.iter().all(|c| c["stored_by"].as_array().unwrap().len() == 1), "{captures:#?}");
    println!(
        "{test}: nats-server {}, {} servers: ready in {} ms, links probed in {} ms",
        report["nats_server"], report["servers"], report["ready_ms"], report["links_probed_ms"]
    );
    scratch.assert_clean();
}

#[test]
fn corrected_guide_delivers_every_link_on_2_9_with_one_server_per_cluster() {
    corrected_guide_delivers_every_link("corrected-2-9-r1", &binary_2_9(), "1");
}

#[test]
fn corrected_guide_delivers_every_link_on_2_9_with_three_servers_per_cluster() {
    corrected_guide_delivers_every_link("corrected-2-9-r3", &binary_2_9(), "3");
}

#[test]
fn corrected_guide_delivers_every_link_on_2_15_with_one_server_per_cluster() {
    corrected_guide_delivers_every_link("corrected-2-15-r1", &binary_2_15(), "1");
}

#[test]
fn corrected_guide_delivers_every_link_on_2_15_with_three_servers_per_cluster() {
    corrected_guide_delivers_every_link("corrected-2-15-r3", &binary_2_15(), "3");
}

#[test]
fn the_guide_as_written_fails_where_its_readers_failed_and_validation_says_why() {
    let design = guide_as_written();
    let rules: Vec<&str> = validate(&design).iter().map(|d| d.rule.as_str()).collect();
    for rule in ["external-api-unknown-domain", "subject-overlap-across-domains"] {
        assert!(rules.contains(&rule), "validate() should raise {rule} on the guide as written: {rules:?}");
    }

    let scratch = Scratch::new("as-written");
    let path = scratch.design("guide-as-written.json", &design);
    // Three servers per cluster, as the guide runs them.
    let output = sandbox(&scratch, &path, &binary_2_9(), &["--format", "json"]);
    let report = report(&output);
    assert_eq!(report["servers"], 9);
    assert_eq!(output.status.code(), Some(1), "{report:#}\n{}", text(&output.stderr));
    assert_eq!(report["ok"], false);
    let streams = report["streams"].as_array().unwrap();
    assert!(streams.iter().all(|s| s["created"] == true), "the server accepts every file: {streams:#?}");

    // The sources name $JS.spoke-1.API and $JS.spoke-2.API: nobody answers there, no error.
    let sales = links(&report, "sales");
    assert_eq!(sales.len(), 2);
    for link in &sales {
        assert_eq!(link["delivered"], false, "{link:#}");
        assert_eq!(link["active"], -1, "the source never heard from its origin: {link:#}");
        assert!(link["api"].as_str().unwrap().starts_with("$JS.spoke-"), "{link:#}");
    }
    // No mirror at all: the "mirror" is a second stream capturing the same subject.
    assert!(report["links"].as_array().unwrap().iter().all(|l| l["kind"] == "source"));
    let captures = report["captures"].as_array().unwrap();
    let cinema_a: Vec<&Value> = captures.iter().filter(|c| c["subject"] == "cinema-a.new.films").collect();
    assert_eq!(cinema_a.len(), 2, "both cinema-a streams were probed: {captures:#?}");
    for capture in cinema_a {
        let stored: Vec<(String, String)> = capture["stored_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["stream"].as_str().unwrap().to_owned(), s["domain"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(
            stored,
            [("cinema-a".to_owned(), "cinema-a".to_owned()), ("cinema-a".to_owned(), "hub".to_owned())],
            "one message lands in both cinema-a streams"
        );
    }
    scratch.assert_clean();
}

#[test]
fn a_cross_domain_source_cycle_is_refused_before_any_server_starts() {
    let mut design = guide_corrected();
    let hub = design.clusters().next().map(|(id, _)| id).unwrap();
    let tickets_1 = design.streams().find(|s| s.config.name == "tickets-1").map(|s| s.id).unwrap();
    // sales sources tickets-1 (cinema-a), and now tickets-1 sources sales (hub).
    design.stream_mut(tickets_1).unwrap().config.sources =
        vec![StreamSource { name: "sales".into(), origin_cluster: Some(hub), ..StreamSource::default() }];
    let cycle = validate(&design);
    assert!(cycle.iter().any(|d| d.rule.as_str() == "replication-cycle" && d.severity == Severity::Error));

    let scratch = Scratch::new("cycle");
    let path = scratch.design("cycle.json", &design);
    let started = Instant::now();
    let output = sandbox(&scratch, &path, &binary_2_9(), &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error replication-cycle"), "{stderr}");
    assert!(stderr.contains("no server was started"), "{stderr}");
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    assert!(started.elapsed().as_secs() < 5, "refused at once");
    scratch.assert_clean();
}

#[test]
fn keep_leaves_a_running_sandbox_that_its_stop_command_removes() {
    let scratch = Scratch::new("keep");
    let path = scratch.design("guide.json", &guide_corrected());
    let output = sandbox(&scratch, &path, &binary_2_15(), &["--servers-per-cluster", "1", "--keep"]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", text(&output.stderr));
    assert!(stdout.contains("ready in ") && stdout.contains(" ms, links probed in "), "{stdout}");
    let last = stdout.lines().last().expect("output");
    let kept: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("the last line is JSON ({e}): {last}"));
    let dir = PathBuf::from(kept["dir"].as_str().unwrap());
    assert!(dir.starts_with(&scratch.0) && dir.is_dir(), "{kept:#}");

    let running = support::processes_under(&dir);
    assert_eq!(running.len(), 3, "one server per cluster keeps running: {kept:#}");
    let clusters = kept["clusters"].as_array().unwrap();
    let names: Vec<&str> = clusters.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["headquarter", "spoke-1", "spoke-2"]);
    assert_eq!(clusters[0]["domain"], "hub");
    // The hub answers, as the printed user, in every domain.
    let url = clusters[0]["urls"][0].as_str().unwrap();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let acc = &kept["credentials"]["ACC"];
    assert_eq!(acc["user"], "acc");
    let options = nats_topology::cli::sandbox::nats::ConnectOptions {
        name: "test".into(),
        user: acc["user"].as_str().map(str::to_owned),
        password: acc["password"].as_str().map(str::to_owned),
        headers: true,
    };
    let mut client = nats_topology::cli::sandbox::nats::Client::connect_with(port, &options).expect("connects");
    for domain in ["hub", "cinema-a", "cinema-b"] {
        let reply = client
            .request(&format!("$JS.{domain}.API.STREAM.NAMES"), b"", std::time::Duration::from_secs(5))
            .expect("request")
            .expect("reply");
        let names: Value = serde_json::from_slice(&reply).unwrap();
        assert!(names["streams"].as_array().is_some_and(|s| !s.is_empty()), "{domain}: {names}");
    }
    drop(client);

    let stop = Command::new("sh").arg("-c").arg(kept["stop"].as_str().unwrap()).output().expect("sh runs");
    assert!(stop.status.success(), "{}", text(&stop.stderr));
    assert_eq!(support::processes_under(&dir), Vec::<u32>::new());
    assert!(!dir.exists(), "the stop command removes {}", dir.display());
    scratch.assert_clean();
}

#[test]
fn ctrl_c_stops_every_server_and_removes_the_folder() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let scratch = Scratch::new("interrupted");
    // The guide as written has links that never deliver: each waits for its timeout, which
    // leaves time to interrupt while servers run.
    let path = scratch.design("guide-as-written.json", &guide_as_written());
    let mut child = Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .arg("sandbox")
        .arg(&path)
        .arg("--nats-server")
        .arg(binary_2_15())
        .args(["--servers-per-cluster", "1"])
        .env("TMPDIR", &scratch.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("stdout is text");
        let probing = line == "links:";
        seen.push(line);
        if probing {
            break;
        }
    }
    assert_eq!(seen.last().map(String::as_str), Some("links:"), "the run reached the links: {seen:#?}");
    assert!(!support::processes_under(&scratch.0).is_empty(), "servers run while links are probed");
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(killed.success());
    let output = child.wait_with_output().expect("the sandbox ends");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "exit status after Ctrl-C: {stderr}");
    assert!(stderr.contains("stopped 3 servers and removed"), "{stderr}");
    scratch.assert_clean();
}

/// The "Edge key-value" template and a hub bucket `orders` that no site copies: a `put` on the
/// hub is read by `nats kv get` at each site from the site's own mirror of `config`, in its own
/// domain; `orders` is read at a site only with the hub's domain, and a get without it fails,
/// as `bucket-remote-without-domain` says. With `direct` off, the site mirrors have neither
/// `mirror_direct` nor `allow_direct` (`bucket-mirror-direct-off`): `nats kv get` at the sites
/// still reads them in their own domain (measured; see tests/corpus/buckets/mirror-direct.md),
/// which is why that rule is only a hint.
fn buckets_round_trip(test: &str, server: &Path, direct: bool) {
    use nats_topology::model::bucket::{self, KvSettings};
    use nats_topology::model::validate::Rule;
    let scratch = Scratch::new(test);
    let mut design = nats_topology::model::templates::edge_key_value();
    let hub = design.clusters().next().map(|(id, _)| id).unwrap();
    let orders = design.add_stream(hub, "ACC", bucket::kv_config("orders", &KvSettings::default())).unwrap();
    // `renamed` is mirrored into spoke-1 under another name (`bucket-mirror-name`): clients there
    // that open `renamed` find no copy in their domain, as at spoke-2, which has none.
    let renamed = design.add_stream(hub, "ACC", bucket::kv_config("renamed", &KvSettings::default())).unwrap();
    let spoke_1 = design.clusters().nth(1).map(|(id, _)| id).unwrap();
    let mut copy = bucket::kv_mirror_config("renamed", Some(hub), &KvSettings::default());
    copy.name = "KV_renamed-copy".into();
    design.add_stream(spoke_1, "ACC", copy);
    let mirror_name = validate(&design).into_iter().filter(|d| d.rule == Rule::BucketMirrorName).count();
    assert_eq!(mirror_name, 1);
    let mirrors: Vec<_> = design.streams().filter(|s| s.config.mirror.is_some()).map(|s| s.id).collect();
    if !direct {
        for id in &mirrors {
            let config = &mut design.stream_mut(*id).unwrap().config;
            config.mirror_direct = false;
            config.allow_direct = false;
        }
    }
    let direct_off = validate(&design).into_iter().filter(|d| d.rule == Rule::BucketMirrorDirectOff).count();
    assert_eq!(direct_off, if direct { 0 } else { mirrors.len() });
    let remote: Vec<String> = validate(&design)
        .into_iter()
        .filter(|d| d.rule == Rule::BucketRemoteWithoutDomain)
        .map(|d| {
            let target = nats_topology::model::validate::Target::Stream;
            assert!(d.target == target(orders) || d.target == target(renamed), "{d:?}");
            d.message
        })
        .collect();
    assert_eq!(remote.len(), 4, "the rule names both sites of both buckets: {remote:#?}");
    let file = scratch.design("edge.json", &design);
    let started = Instant::now();
    let output = sandbox(&scratch, &file, server, &["--servers-per-cluster", "1", "--format", "json"]);
    let report = report(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}\n{}", text(&output.stderr));
    assert_eq!(report["ok"], true);
    let rows: Vec<(String, String, String, bool, Option<bool>, bool)> = report["buckets"]
        .as_array()
        .expect("bucket results")
        .iter()
        .map(|b| {
            (
                b["bucket"].as_str().unwrap().to_owned(),
                b["cluster"].as_str().unwrap().to_owned(),
                b["access"].as_str().unwrap().to_owned(),
                b["read_in_own_domain"].as_bool().unwrap(),
                b["read_with_origin_domain"].as_bool(),
                b["ok"].as_bool().unwrap(),
            )
        })
        .collect();
    let row = |b: &str, c: &str, a: &str, own: bool, with: Option<bool>| {
        (b.to_owned(), c.to_owned(), a.to_owned(), own, with, true)
    };
    assert_eq!(
        rows,
        [
            row("config", "hub", "home", true, None),
            row("config", "spoke-1", "mirror", true, None),
            row("config", "spoke-2", "mirror", true, None),
            row("status-1", "spoke-1", "home", true, None),
            row("status-2", "spoke-2", "home", true, None),
            row("status", "hub", "home", true, None),
            row("orders", "hub", "home", true, None),
            row("orders", "spoke-1", "origin-domain", false, Some(true)),
            row("orders", "spoke-2", "origin-domain", false, Some(true)),
            row("renamed", "hub", "home", true, None),
            row("renamed", "spoke-1", "origin-domain", false, Some(true)),
            row("renamed", "spoke-2", "origin-domain", false, Some(true)),
        ]
    );
    eprintln!("{test}: sandbox with bucket round trips in {} ms", started.elapsed().as_millis());
    scratch.assert_clean();
}

#[test]
fn buckets_round_trip_through_site_mirrors_on_2_9() {
    buckets_round_trip("buckets-29", &binary_2_9(), true);
}

#[test]
fn site_mirrors_serve_kv_get_without_mirror_direct_on_2_9() {
    buckets_round_trip("buckets-indirect-29", &binary_2_9(), false);
}

#[test]
fn site_mirrors_serve_kv_get_without_mirror_direct_on_2_15() {
    buckets_round_trip("buckets-indirect-215", &binary_2_15(), false);
}

#[test]
fn buckets_round_trip_through_site_mirrors_on_2_15() {
    buckets_round_trip("buckets-215", &binary_2_15(), true);
}
