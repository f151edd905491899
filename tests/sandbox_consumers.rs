//! `nats-topology sandbox` creates every consumer of the design on real nats-servers (2.9.10
//! and 2.15.1) and proves each one: a message published to its stream is delivered to it,
//! fetched (pull) or received on its deliver subject (push). A consumer of a stream without
//! subjects of its own is created and said to be not probed. Each test has its own folder as
//! `TMPDIR`; nothing may be left running or on disk after it.

mod support;

use nats_topology::model::consumer::{AckPolicy, Consumer, DeliverPolicy};
use nats_topology::model::example::guide_corrected;
use nats_topology::model::persist;
use nats_topology::model::stream::SECOND;
use nats_topology::model::Design;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

static ONE_SANDBOX_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct Scratch(PathBuf, #[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

impl Scratch {
    fn new(test: &str) -> Self {
        let lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        let dir = std::env::temp_dir().join(format!("nats-topology-consumers-test-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir, lock)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let left = support::processes_under(&self.0);
        let folders: Vec<String> = fs::read_dir(&self.0)
            .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let folders: Vec<&String> = folders.iter().filter(|n| n.starts_with("nats-topology-sandbox")).collect();
        let _ = fs::remove_dir_all(&self.0);
        if !std::thread::panicking() {
            assert!(left.is_empty(), "servers left running: {left:?}");
            assert!(folders.is_empty(), "sandbox folders left behind: {folders:?}");
        }
    }
}

/// The corrected guide with consumers of every kind the probe covers.
fn design() -> Design {
    let mut d = guide_corrected();
    let id = |d: &Design, name: &str| d.streams().find(|s| s.config.name == name).map(|s| s.id).unwrap();
    let films = id(&d, "cinema-a");
    let mut projector = Consumer::pull("projector");
    projector.filter_subjects = vec!["cinema-a.new.films".into()];
    projector.deliver_policy = DeliverPolicy::LastPerSubject;
    let mut screen = Consumer::push("$(id)'\"<b;x", "deliver.screen");
    screen.idle_heartbeat = Some(SECOND);
    screen.flow_control = true;
    d.stream_mut(films).unwrap().consumers = vec![projector, screen];
    let tickets = id(&d, "tickets-1");
    let mut counter = Consumer::pull("counter");
    counter.ack_policy = AckPolicy::All;
    counter.deliver_policy = DeliverPolicy::New;
    counter.max_deliver = Some(3);
    d.stream_mut(tickets).unwrap().consumers = vec![counter];
    let sales = id(&d, "sales");
    d.stream_mut(sales).unwrap().consumers = vec![Consumer::pull("report")];
    d
}

fn run(test: &str, server: &Path) {
    let scratch = Scratch::new(test);
    let file = scratch.0.join("design.json");
    fs::write(&file, persist::save(&design())).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .args(["sandbox", file.to_str().unwrap(), "--servers-per-cluster", "1", "--format", "json", "--nats-server"])
        .arg(server)
        .env("TMPDIR", &scratch.0)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let report: Value = serde_json::from_str(stdout.lines().next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("no JSON report ({e}):\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(output.status.code(), Some(0), "{report:#}\n{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(report["ok"], true);
    let consumers = report["consumers"].as_array().expect("consumers in the report");
    let by = |durable: &str| consumers.iter().find(|c| c["durable"] == durable).unwrap_or_else(|| panic!("{durable}"));
    for durable in ["projector", "$(id)'\"<b;x", "counter"] {
        let c = by(durable);
        assert_eq!((c["created"].as_bool(), c["delivered"].as_bool()), (Some(true), Some(true)), "{c:#}");
    }
    assert_eq!(by("$(id)'\"<b;x")["kind"], "push");
    assert_eq!(by("counter")["cluster"], "spoke-1");
    let report_consumer = by("report");
    assert_eq!(report_consumer["created"], true);
    assert!(report_consumer.get("delivered").is_none(), "{report_consumer:#}");
    assert!(report_consumer["note"].as_str().unwrap().contains("no subjects of its own"));
    println!(
        "{test}: {}",
        consumers.iter().map(|c| format!("{} {} ms", c["durable"], c["ms"])).collect::<Vec<_>>().join(", ")
    );
}

#[test]
fn consumers_are_created_and_receive_a_message_on_2_9() {
    run("c29", &support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1));
}

#[test]
fn consumers_are_created_and_receive_a_message_on_2_15() {
    run("c215", &support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1));
}
