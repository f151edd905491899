//! The sandbox's consumer stage: every consumer of every stream the sandbox created is created
//! on the stream's own cluster (as a user of the stream's account, through its local JetStream
//! API, `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<durable>`, which 2.9 and later answer), and
//! proven: a message published to a subject the stream captures and the consumer's filter
//! matches is delivered to it, fetched with `CONSUMER.MSG.NEXT` (pull) or received on its
//! deliver subject (push), then acknowledged.
//!
//! Not probed, said in the result: a stream without subjects of its own (a mirror, or one made
//! only of sources: its messages come from its origins), a consumer whose deliver policy starts
//! at a time, and a push consumer with a deliver group (the minimal client has no queue
//! subscriptions).

use super::nats::Client;
use super::probe::Endpoint;
use super::{Failure, Results, Run, Runner, LINK_TIMEOUT};
use crate::model::consumer::{self, AckPolicy, Consumer, DeliverPolicy};
use crate::model::{Design, Stream};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// How long an API request may take.
const API_WAIT: Duration = Duration::from_secs(5);

/// What happened to one consumer.
#[derive(Serialize, Clone, Debug)]
pub struct ConsumerResult {
    pub stream: String,
    pub durable: String,
    /// `pull` or `push`.
    pub kind: &'static str,
    pub cluster: String,
    pub created: bool,
    /// Whether the probe message reached the consumer; `None` when not probed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered: Option<bool>,
    /// The subject the probe message was published to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub ms: u64,
}

impl ConsumerResult {
    pub fn ok(&self) -> bool {
        self.created && self.delivered != Some(false)
    }

    pub fn text_line(&self) -> String {
        let verdict = if self.ok() { "ok  " } else { "FAIL" };
        let what = match (self.created, self.delivered) {
            (false, _) => "not created".to_owned(),
            (true, Some(true)) => {
                format!("created; a message on {} delivered", self.subject.as_deref().unwrap_or("?"))
            }
            (true, Some(false)) => {
                format!("created; a message on {} NOT delivered", self.subject.as_deref().unwrap_or("?"))
            }
            (true, None) => "created; delivery not probed".to_owned(),
        };
        let mut line = format!(
            "  {verdict} {} consumer {} of {} ({}): {what} ({} ms)",
            self.kind, self.durable, self.stream, self.cluster, self.ms
        );
        for extra in [&self.note, &self.error].into_iter().flatten() {
            line.push_str(&format!("; {extra}"));
        }
        line
    }
}

/// A literal subject matching `pattern`: wildcards filled in.
fn literal(pattern: &str) -> String {
    pattern.split('.').map(|t| if t == "*" || t == ">" { "probe" } else { t }).collect::<Vec<_>>().join(".")
}

/// A subject the stream captures and the consumer reads, or why there is none.
fn probe_subject(stream: &Stream, c: &Consumer) -> Result<String, String> {
    if stream.config.subjects.is_empty() {
        return Err("the stream has no subjects of its own (its messages come from its origins)".into());
    }
    let subject = match c.filter_subjects.first() {
        Some(filter) => literal(filter),
        None => literal(&stream.config.subjects[0]),
    };
    let mut captured = stream.config.subjects.iter().map(|s| literal(s) == subject || covers(s, &subject));
    if captured.any(|c| c) {
        Ok(subject)
    } else {
        Err(format!("no subject both the stream captures and the filter reads (tried {subject})"))
    }
}

/// Whether `pattern` matches the literal `subject`.
fn covers(pattern: &str, subject: &str) -> bool {
    let mut p = pattern.split('.');
    let mut s = subject.split('.');
    loop {
        match (p.next(), s.next()) {
            (None, None) => return true,
            (Some(">"), Some(_)) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => continue,
            _ => return false,
        }
    }
}

fn api_error(reply: &Value) -> Option<String> {
    reply.get("error").map(|e| format!("{} {}", e["err_code"], e["description"].as_str().unwrap_or_default()))
}

/// Creates and probes one consumer on `client` (connected to the stream's cluster).
fn one(client: &mut Client, stream: &Stream, c: &Consumer, result: &mut ConsumerResult) -> Result<(), String> {
    let name = &stream.config.name;
    let body = json!({"stream_name": name, "config": consumer::to_json(c)});
    let subject = format!("$JS.API.CONSUMER.DURABLE.CREATE.{name}.{}", c.durable);
    let reply = client
        .request(&subject, body.to_string().as_bytes(), API_WAIT)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "no reply to the create request".to_owned())?;
    let reply: Value = serde_json::from_slice(&reply).map_err(|e| format!("create reply is not JSON: {e}"))?;
    if let Some(error) = api_error(&reply) {
        return Err(error);
    }
    result.created = true;

    if c.deliver_policy == DeliverPolicy::ByStartTime {
        result.note = Some("not probed: it starts at a time".into());
        return Ok(());
    }
    if c.deliver_group.is_some() {
        result.note = Some("not probed: a deliver group needs a queue subscription".into());
        return Ok(());
    }
    let probe = match probe_subject(stream, c) {
        Ok(subject) => subject,
        Err(why) => {
            result.note = Some(format!("not probed: {why}"));
            return Ok(());
        }
    };
    result.subject = Some(probe.clone());
    let payload = format!("consumer probe {} {}", c.durable, std::process::id());
    // A push consumer delivers only while someone listens: subscribe first.
    let push_sid = match &c.deliver_subject {
        Some(deliver) => Some(client.subscribe(deliver).map_err(|e| e.to_string())?),
        None => None,
    };
    // Enough messages to reach a start sequence.
    let count = c.opt_start_seq.unwrap_or(1).clamp(1, 100);
    for _ in 0..count {
        let ack = client
            .request(&probe, payload.as_bytes(), API_WAIT)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no publish acknowledgement on {probe}"))?;
        let ack: Value = serde_json::from_slice(&ack).map_err(|e| format!("publish ack is not JSON: {e}"))?;
        if let Some(error) = api_error(&ack) {
            return Err(format!("publish on {probe}: {error}"));
        }
    }
    let deadline = Instant::now() + LINK_TIMEOUT;
    let received = match push_sid {
        Some(sid) => {
            let mut found = None;
            while let Some(message) = client.next_message(sid, deadline).map_err(|e| e.to_string())? {
                // Heartbeats and flow-control requests (status 100) carry no message; a flow
                // control request is answered so that delivery goes on.
                if message.status() == Some(100) {
                    if let Some(reply) = &message.reply {
                        client.publish(reply, None, b"").map_err(|e| e.to_string())?;
                    }
                    continue;
                }
                if message.payload == payload.as_bytes() {
                    found = Some(message);
                    break;
                }
            }
            client.unsubscribe(sid).map_err(|e| e.to_string())?;
            found
        }
        None => {
            // Earlier messages (the other stages' probes) may come first: fetch one at a time,
            // acknowledging each, until ours.
            let next = format!("$JS.API.CONSUMER.MSG.NEXT.{name}.{}", c.durable);
            let mut found = None;
            while Instant::now() < deadline {
                let wait = deadline.saturating_duration_since(Instant::now());
                let request = json!({"batch": 1, "expires": wait.as_nanos() as u64 / 2});
                let wanted = |m: &super::nats::Message| m.status().is_none();
                let message = client
                    .request_message(&next, request.to_string().as_bytes(), wait, wanted)
                    .map_err(|e| e.to_string())?;
                let Some(message) = message else { break };
                if message.payload == payload.as_bytes() {
                    found = Some(message);
                    break;
                }
                if let (Some(reply), true) = (&message.reply, c.ack_policy != AckPolicy::None) {
                    client.publish(reply, None, b"+ACK").map_err(|e| e.to_string())?;
                }
            }
            found
        }
    };
    result.delivered = Some(received.is_some());
    if let Some(reply) = received.and_then(|m| m.reply) {
        if c.ack_policy != AckPolicy::None {
            client.publish(&reply, None, b"+ACK").map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Creates and probes every consumer of the streams in `created`, one connection per stream.
pub fn probe_all(
    design: &Design,
    endpoint: &dyn Fn(&Stream) -> Option<Endpoint>,
    created: &BTreeSet<crate::model::StreamId>,
) -> Vec<ConsumerResult> {
    let mut results = Vec::new();
    for stream in design.streams().filter(|s| !s.consumers.is_empty()) {
        let cluster = design.cluster(stream.cluster).map_or_else(String::new, |c| c.name.clone());
        let mut client: Result<Client, String> = if created.contains(&stream.id) {
            match endpoint(stream) {
                None => Err("no way to reach the stream's cluster".into()),
                Some(e) => {
                    let options = super::nats::ConnectOptions {
                        name: "nats-topology sandbox consumers".into(),
                        user: e.user.clone(),
                        password: e.password.clone(),
                        headers: true,
                    };
                    Client::connect_with(e.port, &options).map_err(|e| format!("cannot connect: {e}"))
                }
            }
        } else {
            Err("its stream was not created".into())
        };
        for c in &stream.consumers {
            let began = Instant::now();
            let mut result = ConsumerResult {
                stream: stream.config.name.clone(),
                durable: c.durable.clone(),
                kind: c.kind(),
                cluster: cluster.clone(),
                created: false,
                delivered: None,
                subject: None,
                note: None,
                error: None,
                ms: 0,
            };
            match &mut client {
                Err(why) => result.error = Some(why.clone()),
                Ok(client) => {
                    if let Err(e) = one(client, stream, c, &mut result) {
                        result.error = Some(e);
                    }
                }
            }
            result.ms = began.elapsed().as_millis() as u64;
            results.push(result);
        }
    }
    results
}

impl Runner<'_> {
    /// Creates every consumer and proves it receives a message published to its stream.
    pub(super) fn probe_consumers(&mut self, run: &mut Run, results: &mut Results) -> Result<(), Failure> {
        let (design, sandbox, seed) = (&run.design, &run.sandbox, run.seed.as_str());
        if design.streams().all(|s| s.consumers.is_empty()) {
            return Ok(());
        }
        let created: BTreeSet<_> = results.streams.iter().filter(|s| s.created).map(|s| s.id).collect();
        let endpoint = |s: &Stream| super::endpoint(design, sandbox, s.cluster, &s.account, seed);
        results.consumers = probe_all(design, &endpoint, &created);
        self.text("consumers (created on the stream's cluster; a message published to the stream is delivered):")
            .map_err(Failure::output)?;
        for result in &results.consumers {
            self.text(&super::printable(&result.text_line())).map_err(Failure::output)?;
        }
        if super::interrupted() {
            return Err(Failure::Interrupted);
        }
        Ok(())
    }
}
