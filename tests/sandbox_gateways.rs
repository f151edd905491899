//! `nats-topology sandbox` on a supercluster: the "Two regions and a site" template (regions
//! `east` and `west` of three servers each joined by gateways on 127.0.0.1, one domain `core`,
//! and a one-server site attached to `east` by leafnodes) on nats-server 2.9.10 and 2.15.1.
//! It proves that a stream placed on each region by cluster name and by server tag is created
//! on that cluster (the create reply's `cluster.name`), and that the site's `sensors`, sourced
//! into the supercluster, delivers. The time each run takes is printed.

mod support;

use nats_topology::model::templates::two_regions_and_a_site;
use serde_json::Value;
use std::path::Path;

static ONE_SANDBOX_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn supercluster_places_streams_and_delivers(label: &str, server: &Path) {
    run_supercluster(label, server, &[], 7);
}

/// The template with `extra` sandbox arguments, on `servers` servers in all.
fn run_supercluster(label: &str, server: &Path, extra: &[&str], servers: u64) {
    let _lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let support::SandboxRun { output, took, scratch } =
        support::run_sandbox(server, &two_regions_and_a_site(), "regions.json", extra);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_str(stdout.lines().next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{label}: no JSON report ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(output.status.code(), Some(0), "{label}: {report:#}\n{stderr}");
    assert_eq!(report["ok"], true, "{label}: {report:#}");
    assert_eq!(report["servers"], servers);
    let streams = report["streams"].as_array().expect("streams");
    let on = |name: &str| {
        let s = streams.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{label}: no {name}: {report:#}"));
        assert_eq!(s["created"], true, "{label}: {s}");
        (s["cluster"].as_str().unwrap_or_default().to_owned(), s["placement"].as_str().map(str::to_owned))
    };
    // By cluster name, and by tag: each lands where its placement says.
    assert_eq!(on("orders-east"), ("east".to_owned(), Some("east".to_owned())), "{label}: {report:#}");
    assert_eq!(on("orders-west"), ("west".to_owned(), Some("west".to_owned())), "{label}: {report:#}");
    assert_eq!(on("audit-east"), ("east".to_owned(), Some("east".to_owned())), "{label}: {report:#}");
    assert_eq!(on("audit-west"), ("west".to_owned(), Some("west".to_owned())), "{label}: {report:#}");
    // The site is one server without a cluster block: its reply names no cluster.
    assert_eq!(on("sensors"), (String::new(), None), "{label}");
    let links = report["links"].as_array().expect("links");
    let source: Vec<&Value> = links.iter().filter(|l| l["copy"] == "sensors-all").collect();
    assert_eq!(source.len(), 1, "{label}: {links:#?}");
    assert_eq!(source[0]["delivered"], true, "{label}: {:#}", source[0]);
    assert_eq!(support::processes_under(scratch.path()), Vec::<u32>::new(), "{label}: servers left running");
    println!(
        "{label}: {} servers ready in {} ms, links probed in {} ms, whole run {} ms",
        report["servers"],
        report["ready_ms"],
        report["links_probed_ms"],
        took.as_millis()
    );
}

#[test]
fn a_supercluster_places_streams_by_name_and_tag_and_a_site_source_delivers_on_2_9() {
    let server = support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1);
    supercluster_places_streams_and_delivers("2.9.10", &server);
}

#[test]
fn a_supercluster_places_streams_by_name_and_tag_and_a_site_source_delivers_on_2_15() {
    let server = support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1);
    supercluster_places_streams_and_delivers("2.15.1", &server);
}

/// One server per cluster: a lone JetStream server in a supercluster needs a cluster block
/// routing to itself, else it exits ("JetStream cluster requires configured routes or solicited
/// leafnode for the system account").
#[test]
fn a_supercluster_of_lone_servers_runs_on_2_9_and_2_15() {
    for (label, (var, default)) in [("2.9.10 lone", support::SERVER_2_9), ("2.15.1 lone", support::SERVER_2_15)] {
        run_supercluster(label, &support::server_binary(var, default), &["--servers-per-cluster", "1"], 3);
    }
}
