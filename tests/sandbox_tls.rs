//! `nats-topology sandbox` with TLS links, on nats-server 2.9.10 and 2.15.1: the sandbox makes a
//! throwaway CA per run (no openssl), and the "Two regions and a site" template with TLS on
//! routes, leafnodes and gateways (every listener verifying client certificates) comes up and
//! delivers a source across a TLS leafnode and a mirror across a TLS gateway. Then TLS/plain
//! mismatches and a verifying listener dialed without a client certificate, each against what
//! `tls-mismatch` and `tls-verify-without-client-cert` say (the differential record is
//! `tests/corpus/tls/links-measured.md`).

mod support;

use nats_topology::model::stream::{StreamConfig, StreamSource};
use nats_topology::model::templates::two_regions_and_a_site;
use nats_topology::model::tls::{TlsCerts, TlsDial, TlsListener};
use nats_topology::model::validate::{validate, Rule};
use nats_topology::model::{ClusterId, Design};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

static ONE_SANDBOX_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn id(design: &Design, name: &str) -> ClusterId {
    design.clusters().find(|(_, c)| c.name == name).map(|(id, _)| id).unwrap_or_else(|| panic!("no cluster {name}"))
}

/// A listener's TLS from a secret (the sandbox replaces the files), verifying or not.
fn listener(verify: bool) -> Option<TlsListener> {
    Some(TlsListener { certs: TlsCerts { secret: Some("region-tls".into()), ..TlsCerts::default() }, verify })
}

/// A dial's `tls {}` block: with a client certificate, or with only a CA.
fn dial(client_cert: bool) -> Option<TlsDial> {
    let certs = if client_cert {
        TlsCerts { secret: Some("site-tls".into()), ..TlsCerts::default() }
    } else {
        TlsCerts { ca_file: Some("/etc/ca/ca.pem".into()), ..TlsCerts::default() }
    };
    Some(TlsDial { certs })
}

/// Runs the sandbox on `design`; returns its output and how long it took.
fn sandbox(server: &Path, design: &Design, extra: &[&str]) -> (Output, u128, Vec<u32>) {
    let _lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let support::SandboxRun { output, took, scratch } = support::run_sandbox(server, design, "design.json", extra);
    let took = took.as_millis();
    let left = support::processes_under(scratch.path());
    // The run's folder (certificates and keys with it) is gone: only the design file is left.
    let entries: Vec<_> =
        std::fs::read_dir(scratch.path()).expect("the scratch folder").flatten().map(|e| e.file_name()).collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("design.json")], "the sandbox left files behind");
    (output, took, left)
}

/// The template with TLS on every link, every listener verifying, and a mirror in `west` of
/// `orders-east` (across the gateway); the site's `sensors` is sourced into `east` (across the
/// leafnode).
fn all_tls() -> Design {
    let mut design = two_regions_and_a_site();
    let (east, west, site) = (id(&design, "east"), id(&design, "west"), id(&design, "site"));
    for region in [east, west] {
        let c = design.cluster_mut(region).expect("region");
        c.tls.routes = listener(true);
        c.tls.client = listener(false);
        c.leafnode_listener.as_mut().expect("leafnode listener").tls = listener(true);
        c.gateway.as_mut().expect("gateway").tls = listener(true);
    }
    // West dials east with a block of its own; east dials west with its gateway's block.
    for peer in &mut design.cluster_mut(west).expect("west").gateway.as_mut().expect("gateway").peers {
        peer.tls = dial(true);
    }
    for remote in &mut design.cluster_mut(site).expect("site").remotes {
        remote.tls = dial(true);
    }
    let mut copy = StreamConfig::new("orders-east-copy");
    copy.mirror = Some(StreamSource { name: "orders-east".into(), ..StreamSource::default() });
    copy.num_replicas = 3;
    copy.placement = Some(nats_topology::model::stream::Placement { cluster: Some("west".into()), tags: Vec::new() });
    design.add_stream(west, "APP", copy);
    design
}

fn tls_links_connect_and_deliver(label: &str, server: &Path) {
    let design = all_tls();
    let findings: Vec<_> = validate(&design)
        .into_iter()
        .filter(|d| d.severity == nats_topology::model::validate::Severity::Error)
        .collect();
    assert!(findings.is_empty(), "{label}: the TLS design validates clean: {findings:#?}");
    let (output, took, left) = sandbox(server, &design, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_str(stdout.lines().next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{label}: no JSON report ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(output.status.code(), Some(0), "{label}: {report:#}\n{stderr}");
    assert_eq!(report["ok"], true, "{label}: {report:#}");
    assert_eq!(left, Vec::<u32>::new(), "{label}: servers left running");
    let notes = report["notes"].to_string();
    assert!(notes.contains("a CA made for this run"), "{label}: {notes}");
    assert!(notes.contains("client listener's TLS is left out"), "{label}: {notes}");
    assert!(!stdout.contains("PRIVATE KEY") && !stderr.contains("PRIVATE KEY"), "{label}: a key was printed");
    let links = report["links"].as_array().expect("links");
    for copy in ["sensors-all", "orders-east-copy"] {
        let link: Vec<&Value> = links.iter().filter(|l| l["copy"] == copy).collect();
        assert_eq!(link.len(), 1, "{label}: {links:#?}");
        assert_eq!(link[0]["delivered"], true, "{label}: {:#}", link[0]);
    }
    println!(
        "{label}: TLS supercluster and site ({} servers) ready in {} ms, whole run {took} ms",
        report["servers"], report["ready_ms"]
    );
}

#[test]
fn tls_leafnodes_gateways_and_routes_with_client_certificates_connect_and_deliver_on_2_9() {
    tls_links_connect_and_deliver("2.9.10", &support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1));
}

#[test]
fn tls_leafnodes_gateways_and_routes_with_client_certificates_connect_and_deliver_on_2_15() {
    tls_links_connect_and_deliver("2.15.1", &support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1));
}

/// One measured case: a change to the plain template, whether the servers link up, and which
/// rule (if any) the design raises.
struct Case {
    name: &'static str,
    change: fn(&mut Design),
    links: bool,
    rule: Option<Rule>,
}

fn leaf_remotes(design: &mut Design, change: impl Fn(&mut nats_topology::model::LeafnodeRemote)) {
    let site = id(design, "site");
    design.cluster_mut(site).expect("site").remotes.iter_mut().for_each(change);
}

fn gateway_of<'a>(design: &'a mut Design, name: &str) -> &'a mut nats_topology::model::gateway::Gateway {
    let cluster = id(design, name);
    design.cluster_mut(cluster).expect("cluster").gateway.as_mut().expect("gateway")
}

fn leaf_listener(design: &mut Design, tls: Option<TlsListener>) {
    let east = id(design, "east");
    design.cluster_mut(east).expect("east").leafnode_listener.as_mut().expect("listener").tls = tls;
}

const CASES: &[Case] = &[
    Case {
        name: "leafnode: plain listener, remote with a tls {} block",
        change: |d| leaf_remotes(d, |r| r.tls = dial(true)),
        links: false,
        rule: Some(Rule::TlsMismatch),
    },
    Case {
        name: "leafnode: TLS listener, remote without a tls {} block",
        change: |d| leaf_listener(d, listener(false)),
        links: false,
        rule: Some(Rule::TlsMismatch),
    },
    Case {
        name: "leafnode: plain listener, remote url tls:// without a block",
        change: |d| leaf_remotes(d, |r| r.url = r.url.replacen("nats://", "tls://", 1)),
        links: true,
        rule: None,
    },
    Case {
        name: "leafnode: verifying listener, remote block with a CA only",
        change: |d| {
            leaf_listener(d, listener(true));
            leaf_remotes(d, |r| r.tls = dial(false));
        },
        links: false,
        rule: Some(Rule::TlsVerifyWithoutClientCert),
    },
    Case {
        name: "leafnode: verifying listener, remote block with a client certificate",
        change: |d| {
            leaf_listener(d, listener(true));
            leaf_remotes(d, |r| r.tls = dial(true));
        },
        links: true,
        rule: None,
    },
    Case {
        name: "gateway: east's listener TLS, west's plain",
        change: |d| gateway_of(d, "east").tls = listener(false),
        links: false,
        rule: Some(Rule::TlsMismatch),
    },
    Case {
        name: "gateway: both plain, west dials east with a tls {} block",
        change: |d| gateway_of(d, "west").peers.iter_mut().for_each(|p| p.tls = dial(true)),
        links: false,
        rule: Some(Rule::TlsMismatch),
    },
    Case {
        name: "gateway: both plain, west dials east at tls:// without a block",
        change: |d| {
            let peers = &mut gateway_of(d, "west").peers;
            for peer in peers {
                peer.urls = peer.urls.iter().map(|u| u.replacen("nats://", "tls://", 1)).collect();
            }
        },
        links: true,
        rule: None,
    },
    Case {
        name: "gateway: both verifying, west dials east with a block with a CA only",
        change: |d| {
            gateway_of(d, "east").tls = listener(true);
            gateway_of(d, "west").tls = listener(true);
            gateway_of(d, "west").peers.iter_mut().for_each(|p| p.tls = dial(false));
        },
        links: false,
        rule: Some(Rule::TlsVerifyWithoutClientCert),
    },
    Case {
        name: "gateway: both verifying, each dials with its gateway's block",
        change: |d| {
            gateway_of(d, "east").tls = listener(true);
            gateway_of(d, "west").tls = listener(true);
        },
        links: true,
        rule: None,
    },
];

/// Every case on one server version: the servers link up (the sandbox is ready) or not (it
/// fails with the leafnode or gateway connections missing and the TLS error in the logs), and
/// the rules fire exactly where the servers fail.
fn mismatches_fail_as_the_rules_say(label: &str, server: &Path) {
    let mut disagreements = Vec::new();
    for case in CASES {
        let mut design = two_regions_and_a_site();
        (case.change)(&mut design);
        let rules: Vec<Rule> = validate(&design)
            .into_iter()
            .map(|d| d.rule)
            .filter(|r| matches!(r, Rule::TlsMismatch | Rule::TlsVerifyWithoutClientCert))
            .collect();
        // A case that fails waits out the whole timeout, so those get 8 s; one that links is
        // done as soon as its servers are ready, so it gets the sandbox's default 60 s: on a
        // loaded machine a supercluster's meta leader can take longer than 8 s to be elected,
        // which is not the link failing.
        let timeout = if case.links { "60" } else { "8" };
        let (output, took, left) =
            sandbox(server, &design, &["--servers-per-cluster", "2", "--no-streams", "--ready-timeout", timeout]);
        assert_eq!(left, Vec::<u32>::new(), "{label} {}: servers left running", case.name);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let linked = output.status.success();
        if !linked {
            assert_eq!(output.status.code(), Some(1), "{label} {}: {stderr}", case.name);
            assert!(
                stderr.contains("leafnode connections") || stderr.contains("outbound gateway connections"),
                "{label} {}: fails on the link: {stderr}",
                case.name
            );
            assert!(
                stderr.contains("TLS") || stderr.contains("tls") || stderr.contains("x509"),
                "{label} {}: {stderr}",
                case.name
            );
        }
        // The servers' own words, timestamps cut: what the differential record quotes.
        let mut said: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("TLS") || l.contains("tls:") || l.contains("x509"))
            // `[pid] date time [ERR] 127.0.0.1:port - lid:3 - what happened account: X`
            .map(|l| l.rsplit(" - ").next().unwrap_or(l).split(" account:").next().unwrap_or(l).trim())
            .collect();
        said.sort_unstable();
        said.dedup();
        println!("{label}: {}: links {linked}, rules {rules:?}, {took} ms; logs: {said:?}", case.name);
        if linked != case.links {
            disagreements.push(format!("{}: measured links {linked}, expected {}\n{stderr}", case.name, case.links));
        }
        let as_expected = match case.rule {
            Some(rule) => rules.iter().all(|r| *r == rule) && !rules.is_empty(),
            None => rules.is_empty(),
        };
        if !as_expected {
            disagreements.push(format!("{}: rules {rules:?}, expected {:?}", case.name, case.rule));
        }
        // The rule fires exactly where the servers fail.
        if rules.is_empty() != linked {
            disagreements.push(format!("{}: rules {rules:?} but links {linked}", case.name));
        }
    }
    assert!(disagreements.is_empty(), "{label}:\n{}", disagreements.join("\n"));
}

/// The differential record lists every case with what the servers do and which rule fires.
#[test]
fn the_differential_record_states_every_case_as_measured() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/tls/links-measured.md");
    let record = std::fs::read_to_string(&path).expect("the record");
    for case in CASES {
        let links = if case.links { "yes" } else { "no" };
        let rule = match case.rule {
            Some(Rule::TlsMismatch) => "`tls-mismatch`",
            Some(Rule::TlsVerifyWithoutClientCert) => "`tls-verify-without-client-cert`",
            Some(other) => panic!("{other:?}"),
            None => "none",
        };
        let row = format!("| {} | {links} | {rule}", case.name);
        assert!(record.contains(&row), "{} does not say {row:?}", path.display());
    }
}

#[test]
fn tls_mismatches_and_missing_client_certificates_fail_where_the_rules_say_on_2_9() {
    mismatches_fail_as_the_rules_say("2.9.10", &support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1));
}

#[test]
fn tls_mismatches_and_missing_client_certificates_fail_where_the_rules_say_on_2_15() {
    mismatches_fail_as_the_rules_say("2.15.1", &support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1));
}
