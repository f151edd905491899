//! Differential test: our consumer rules (`validate::consumers::check_stream`) against real
//! nats-servers 2.9.10 and 2.15.1.
//!
//! The corpus is data, `tests/corpus/consumers/*.json`, one case a file:
//!
//! ```json
//! {
//!   "case": "what the case shows",
//!   "stream": { "name": "...", "subjects": ["..."] },
//!   "consumers": [ { "durable_name": "...", "ack_policy": "explicit" } ],
//!   "rules": ["consumer-name-invalid"],
//!   "server": { "2.9": "accept", "why": "..." },
//!   "no_reply": "why no reply is a rejection here",
//!   "note": "anything else worth knowing"
//! }
//! ```
//!
//! `rules` are the ERROR rules our checker raises for the stream with those consumers (`[]`
//! when valid), or `{"2.9": [...], "2.15": [...]}`. The server's verdict is "reject" when any of
//! the consumers' creates is refused, in order, on a fresh copy of the stream; `server` overrides
//! the verdict expected from ours, per release, and says why (the server wins: such a case
//! records what it really does). Each consumer is sent as written to
//! `$JS.diff.API.CONSUMER.DURABLE.CREATE.<stream>.<durable>`, the subject both lines answer.

mod support;

use nats_topology::cli::sandbox::nats::{Client, ClientError};
use nats_topology::cli::sandbox::process::JetStreamServer;
use nats_topology::model::validate::consumers::check_stream;
use nats_topology::model::validate::{Rule, Severity, Target};
use nats_topology::model::{consumer, stream_json, NatsVersion};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Duration;

const DOMAIN: &str = "diff";
const REPLY_WAIT: Duration = Duration::from_secs(2);
const RELEASES: [&str; 2] = ["2.9", "2.15"];

struct Case {
    id: String,
    stream: Value,
    consumers: Vec<Value>,
    rules: BTreeMap<&'static str, Vec<String>>,
    /// The verdict per release when it differs from ours: `true` accept.
    server: BTreeMap<&'static str, bool>,
    no_reply: bool,
}

fn corpus() -> Vec<Case> {
    let files = support::corpus_files("consumers", 30);
    let cases: Vec<Case> = files.iter().map(|f| read_case(f)).collect();
    cases
}

fn read_case(file: &Path) -> Case {
    let id = file.file_stem().expect("a file name").to_string_lossy().into_owned();
    let fail = |what: &str| -> ! { panic!("corpus file {}: {what}", file.display()) };
    let text = fs::read_to_string(file).unwrap_or_else(|e| fail(&e.to_string()));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("not JSON: {e}")));
    let object = value.as_object().unwrap_or_else(|| fail("not an object"));
    for key in object.keys() {
        if !["case", "stream", "consumers", "rules", "server", "no_reply", "note"].contains(&key.as_str()) {
            fail(&format!("unknown key `{key}`"));
        }
    }
    object.get("case").and_then(Value::as_str).unwrap_or_else(|| fail("`case` must be a string"));
    let stream = object.get("stream").cloned().unwrap_or_else(|| fail("missing `stream`"));
    let consumers = object
        .get("consumers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_else(|| fail("`consumers` must be an array"));
    let rule_list = |value: &Value| -> Vec<String> {
        let mut rules: Vec<String> = value
            .as_array()
            .unwrap_or_else(|| fail("rules must be an array of ids"))
            .iter()
            .map(|item| {
                let id = item.as_str().unwrap_or_else(|| fail("a rule id must be a string"));
                Rule::from_id(id).unwrap_or_else(|| fail(&format!("unknown rule id `{id}`")));
                id.to_owned()
            })
            .collect();
        rules.sort();
        rules
    };
    let rules = match object.get("rules").unwrap_or_else(|| fail("missing `rules`")) {
        Value::Object(per) => RELEASES
            .iter()
            .map(|&r| (r, rule_list(per.get(r).unwrap_or_else(|| fail(&format!("`rules` lacks `{r}`"))))))
            .collect(),
        list => RELEASES.iter().map(|&r| (r, rule_list(list))).collect(),
    };
    let mut server = BTreeMap::new();
    if let Some(overrides) = object.get("server") {
        let overrides = overrides.as_object().unwrap_or_else(|| fail("`server` must be an object"));
        if overrides.get("why").and_then(Value::as_str).is_none_or(|w| w.trim().is_empty()) {
            fail("a `server` override must say `why`");
        }
        for (key, verdict) in overrides.iter().filter(|(k, _)| *k != "why") {
            let release =
                RELEASES.iter().find(|&&r| r == key).unwrap_or_else(|| fail(&format!("`server` has `{key}`")));
            let accept = match verdict.as_str() {
                Some("accept") => true,
                Some("reject") => false,
                _ => fail("a verdict is accept or reject"),
            };
            server.insert(*release, accept);
        }
    }
    let no_reply = object.get("no_reply").is_some_and(|w| w.as_str().is_some_and(|w| !w.trim().is_empty()));
    Case { id, stream, consumers, rules, server, no_reply }
}

/// The ERROR rules we raise for the case on that target, sorted and deduplicated.
fn our_rules(case: &Case, version: NatsVersion) -> Vec<String> {
    let config =
        stream_json::from_json(&case.stream).unwrap_or_else(|e| panic!("{}: the stream is unreadable: {e}", case.id));
    let consumers: Vec<_> = case
        .consumers
        .iter()
        .map(|c| consumer::from_json(c).unwrap_or_else(|e| panic!("{}: a consumer is unreadable: {e}", case.id)))
        .collect();
    let mut out = Vec::new();
    check_stream(&config, &consumers, version, Target::Design, &mut out);
    let mut rules: Vec<String> =
        out.iter().filter(|d| d.severity == Severity::Error).map(|d| d.rule.as_str().to_owned()).collect();
    rules.sort();
    rules.dedup();
    rules
}

/// `Ok(())` when created, else the server's error or the silence.
fn request(client: &mut Client, subject: &str, body: &Value) -> Result<(), (String, bool)> {
    let body = serde_json::to_vec(body).expect("JSON serializes");
    match client.request(subject, &body, REPLY_WAIT) {
        Ok(Some(reply)) => {
            let reply: Value = serde_json::from_slice(&reply).unwrap_or_else(|e| panic!("reply is not JSON: {e}"));
            match reply.get("error") {
                Some(e) => Err((format!("{} {}", e["err_code"], e["description"].as_str().unwrap_or_default()), false)),
                None => Ok(()),
            }
        }
        Ok(None) => Err((format!("no reply within {REPLY_WAIT:?}"), true)),
        Err(ClientError::InvalidSubject(s)) => Err((format!("not sent: {s:?} is no subject"), true)),
        Err(e) => panic!("the connection broke on {subject:?}: {e}"),
    }
}

/// Creates the stream and its consumers in order; the first refusal, if any.
fn server_verdict(client: &mut Client, case: &Case) -> Result<(), (String, bool)> {
    let name = case.stream["name"].as_str().expect("a stream name");
    if let Err((e, _)) = request(client, &format!("$JS.{DOMAIN}.API.STREAM.CREATE.{name}"), &case.stream) {
        panic!("{}: the case's stream is refused: {e}", case.id);
    }
    let mut result = Ok(());
    for c in &case.consumers {
        let durable = c["durable_name"].as_str().or_else(|| c["name"].as_str()).unwrap_or_default();
        let subject = format!("$JS.{DOMAIN}.API.CONSUMER.DURABLE.CREATE.{name}.{durable}");
        if let Err(e) = request(client, &subject, &json!({"stream_name": name, "config": c})) {
            result = Err(e);
            break;
        }
    }
    let reply = client
        .request(&format!("$JS.{DOMAIN}.API.STREAM.DELETE.{name}"), b"", Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("deleting stream {name:?}: {e}"));
    assert!(reply.is_some(), "no reply deleting stream {name:?}");
    result
}

fn run(label: &'static str, version: NatsVersion, (env_var, default): (&str, &str)) {
    let cases = corpus();
    let binary = support::server_binary(env_var, default);
    let server = JetStreamServer::start(&binary, DOMAIN);
    assert!(server.version.starts_with(&format!("{label}.")), "{} is {:?}", binary.display(), server.version);
    let mut client = server.client();
    let mut mismatches = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for case in &cases {
        let ours = our_rules(case, version);
        if ours != case.rules[label] {
            mismatches.push(format!("{}: our rules {ours:?}, the corpus expects {:?}", case.id, case.rules[label]));
        }
        let our_accept = ours.is_empty();
        if case.server.get(label) == Some(&our_accept) {
            mismatches.push(format!("{}: the override repeats our verdict: drop it", case.id));
        }
        let expected_accept = case.server.get(label).copied().unwrap_or(our_accept);
        let (said, error) = match server_verdict(&mut client, case) {
            Ok(()) => (Some(true), String::new()),
            Err((e, silent)) if silent && !case.no_reply => (None, e),
            Err((e, _)) => (Some(false), e),
        };
        match said {
            Some(true) => accepted += 1,
            Some(false) => rejected += 1,
            None => {}
        }
        if said != Some(expected_accept) {
            let word = |a: bool| if a { "accept" } else { "reject" };
            mismatches.push(format!(
                "{}: expected {} (ours {ours:?}), the server said {} {error}",
                case.id,
                word(expected_accept),
                said.map_or("nothing", word)
            ));
        }
    }
    println!(
        "nats-server {}: {} consumer cases, {accepted} accepted, {rejected} rejected, {} mismatches",
        server.version,
        cases.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "nats-server {}:\n{}", server.version, mismatches.join("\n"));
}

#[test]
fn consumer_configs_on_nats_server_2_9_get_the_verdict_our_rules_give() {
    run("2.9", NatsVersion::V2_9, support::SERVER_2_9);
}

#[test]
fn consumer_configs_on_nats_server_2_15_get_the_verdict_our_rules_give() {
    run("2.15", NatsVersion::V2_14, support::SERVER_2_15);
}
