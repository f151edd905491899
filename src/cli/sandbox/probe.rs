//! Streams and links on the running sandbox: creates the exported stream files through the hub,
//! each in its domain, in the exported script's order; then proves every mirror and source by
//! publishing one message to its origin and waiting for the copy's last sequence to grow, and
//! shows where a message published on each stream's subjects is stored (a subject captured in
//! two domains stores every message twice).
//!
//! The server gives no error for a mirror or source with a wrong API prefix or a missing origin:
//! its copy just stays empty (`active: -1`). Only a message that arrives proves a link.

use super::nats::{Client, ClientError, ConnectOptions, Message};
use super::process::{interrupted, pause};
use crate::model::{Design, LinkKind, StreamId};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long a JetStream API request may take (an R3 stream create takes a moment).
const API_WAIT: Duration = Duration::from_secs(10);
/// How long to collect the acknowledgements of a capture probe after the first one.
const ACK_WINDOW: Duration = Duration::from_millis(400);

/// Where and as whom to connect.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
}

/// Connections by endpoint, opened on first use.
#[derive(Default)]
pub struct Connections {
    open: BTreeMap<Endpoint, Client>,
}

impl Connections {
    pub fn get(&mut self, endpoint: &Endpoint) -> Result<&mut Client, ClientError> {
        if !self.open.contains_key(endpoint) {
            let options = ConnectOptions {
                name: "nats-topology sandbox".into(),
                user: endpoint.user.clone(),
                password: endpoint.password.clone(),
                headers: true,
            };
            let client = Client::connect_with(endpoint.port, &options)?;
            self.open.insert(endpoint.clone(), client);
        }
        Ok(self.open.get_mut(endpoint).expect("inserted above"))
    }

    /// Drops a connection that failed, so the next use reconnects.
    pub fn forget(&mut self, endpoint: &Endpoint) {
        self.open.remove(endpoint);
    }

    /// A JetStream API request: the reply as JSON, or why there is none.
    pub fn api(&mut self, endpoint: &Endpoint, subject: &str, body: &[u8], wait: Duration) -> Result<Value, String> {
        let client = self.get(endpoint).map_err(|e| e.to_string())?;
        match client.request_message(subject, body, wait, |_| true) {
            Ok(Some(reply)) if reply.is_no_responders() => Err(format!("no responders on {subject}")),
            Ok(Some(reply)) => {
                serde_json::from_slice(&reply.payload).map_err(|e| format!("the reply on {subject} is not JSON: {e}"))
            }
            Ok(None) => Err(format!("no reply on {subject} within {} s", wait.as_secs_f64())),
            Err(e) => {
                self.forget(endpoint);
                Err(e.to_string())
            }
        }
    }
}

/// The JetStream API subject of `verb` in `domain` (none: the connected server's own).
pub fn api_subject(domain: Option<&str>, verb: &str) -> String {
    match domain {
        Some(domain) => format!("$JS.{domain}.API.{verb}"),
        None => format!("$JS.API.{verb}"),
    }
}

/// The error of a JetStream API reply: `10058 stream name already in use`.
pub fn api_error(reply: &Value) -> Option<String> {
    let error = reply.get("error")?;
    let code = error.get("err_code").or_else(|| error.get("code")).map(Value::to_string).unwrap_or_default();
    Some(format!("{code} {}", error["description"].as_str().unwrap_or_default()).trim().to_owned())
}

/// A stream to create.
pub struct StreamPlan {
    pub id: StreamId,
    pub name: String,
    /// The exported file's path, as in the script.
    pub path: String,
    /// The file's JSON.
    pub config: Value,
    pub domain: Option<String>,
    /// The cluster its placement names (by name, or the one cluster whose tags it asks for).
    pub placed_on: Option<String>,
    /// Where the request goes (the hub, as the account's user).
    pub via: Endpoint,
    /// Not in the script (another account than its context's): why.
    pub note: Option<String>,
}

/// What creating one stream gave.
#[derive(Clone, Debug, Serialize)]
pub struct StreamResult {
    #[serde(skip)]
    pub id: StreamId,
    pub name: String,
    pub file: String,
    pub domain: Option<String>,
    pub replicas: i64,
    pub created: bool,
    /// The cluster the server put it in (`cluster.name` of the create reply).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// The cluster its placement asks for, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StreamResult {
    /// The report's lines for this stream, as written (not yet made printable).
    pub fn text_lines(&self) -> Vec<String> {
        let place = self.domain.as_deref().map_or("without a domain".to_owned(), |d| format!("in domain {d}"));
        let mut lines = vec![match &self.error {
            None => {
                let on = match (&self.cluster, &self.placement) {
                    (Some(on), Some(asked)) if on == asked => format!(" on cluster {on} as placed"),
                    (Some(on), Some(asked)) => format!(" on cluster {on}, NOT on {asked} as placed"),
                    (Some(on), None) => format!(" on cluster {on}"),
                    (None, _) => String::new(),
                };
                format!("  created  {} {place}{on} (R{}) from {}", self.name, self.replicas, self.file)
            }
            Some(e) => format!("  FAILED   {} {place}: {e}", self.name),
        }];
        lines.extend(self.note.iter().map(|note| format!("           {note}")));
        lines
    }
}

/// `name (domain)`, or the name alone without a domain.
fn in_domain(name: &str, domain: Option<&str>) -> String {
    match domain {
        Some(d) => format!("{name} ({d})"),
        None => name.to_owned(),
    }
}

/// Creates the streams in order, through each one's endpoint; an error stops nothing.
pub fn create_streams(connections: &mut Connections, plans: &[StreamPlan]) -> Vec<StreamResult> {
    plans
        .iter()
        .map(|plan| {
            let subject = api_subject(plan.domain.as_deref(), &format!("STREAM.CREATE.{}", plan.name));
            let body = serde_json::to_vec(&plan.config).expect("a JSON value serializes");
            // A JetStream cluster that has just elected its leader may still miss peers for a
            // moment, although the sandbox waits until its meta leader reports them current:
            // "temporarily unavailable" (10008), "insufficient resources" (10023) and "no suitable
            // peers for placement" (10005) are retried for a few seconds. A create without reply
            // (a loaded machine, a cluster still settling) may have worked: the stream is looked
            // up, and the create sent once more only when it is not there.
            let retry_until = Instant::now() + Duration::from_secs(5);
            let info = api_subject(plan.domain.as_deref(), &format!("STREAM.INFO.{}", plan.name));
            let mut unanswered = 0;
            let mut cluster = None;
            let error = loop {
                let error = match connections.api(&plan.via, &subject, &body, API_WAIT) {
                    Ok(reply) => match api_error(&reply) {
                        Some(error) => Some(error),
                        None if reply.get("config").is_some() => {
                            cluster = reply["cluster"]["name"].as_str().map(str::to_owned);
                            None
                        }
                        None => Some(format!("unexpected reply: {reply}")),
                    },
                    Err(e) if unanswered < 2 && !interrupted() => {
                        unanswered += 1;
                        match connections.api(&plan.via, &info, b"", API_WAIT) {
                            Ok(reply) if reply.get("config").is_some() => {
                                cluster = reply["cluster"]["name"].as_str().map(str::to_owned);
                                break None;
                            }
                            _ if pause(Duration::from_millis(500)) => continue,
                            _ => break Some(e),
                        }
                    }
                    Err(e) => break Some(e),
                };
                let transient = error
                    .as_deref()
                    .is_some_and(|e| ["10005 ", "10008 ", "10023 "].iter().any(|code| e.starts_with(code)));
                if !transient || Instant::now() > retry_until || !pause(Duration::from_millis(200)) {
                    break error;
                }
            };
            StreamResult {
                id: plan.id,
                name: plan.name.clone(),
                file: plan.path.clone(),
                domain: plan.domain.clone(),
                replicas: plan.config["num_replicas"].as_i64().unwrap_or(1),
                created: error.is_none(),
                cluster,
                placement: plan.placed_on.clone(),
                error,
                note: plan.note.clone(),
            }
        })
        .collect()
}

/// The cluster a stream's placement asks for: the cluster it names, else the one cluster of its
/// supercluster whose server tags hold every tag asked for; `None` without a placement or when
/// several clusters would do.
pub fn expected_cluster(design: &Design, stream: &crate::model::Stream) -> Option<String> {
    let placement = stream.config.placement.as_ref()?;
    if let Some(name) = placement.cluster.as_deref().filter(|n| !n.is_empty()) {
        return Some(name.to_owned());
    }
    let candidates = crate::model::gateway::placement_candidates(design, stream.cluster);
    let mut tagged = candidates
        .iter()
        .filter_map(|id| design.cluster(*id))
        .filter(|c| !placement.tags.is_empty() && placement.tags.iter().all(|t| c.server_tags.contains(t)));
    match (tagged.next(), tagged.next()) {
        (Some(only), None) => Some(only.name.clone()),
        _ => None,
    }
}

/// A subject that `pattern` matches: wildcards become `probe`.
pub fn instantiate(pattern: &str) -> String {
    pattern
        .split('.')
        .map(|token| if token == "*" || token == ">" { "probe" } else { token })
        .collect::<Vec<_>>()
        .join(".")
}

/// Where a stream's messages can be published: the stream itself when it has subjects, else
/// the first origin upstream that has (messages flow down through the links). The subject
/// honours the first hop's filter or transform source when there is one.
pub fn publish_point(design: &Design, id: StreamId) -> Option<(StreamId, String)> {
    fn walk(
        design: &Design,
        id: StreamId,
        filter: Option<String>,
        seen: &mut Vec<StreamId>,
    ) -> Option<(StreamId, String)> {
        if seen.contains(&id) {
            return None;
        }
        seen.push(id);
        let stream = design.stream(id)?;
        if let Some(subject) = stream.config.subjects.first() {
            return Some((id, instantiate(filter.as_deref().unwrap_or(subject))));
        }
        stream.origins().find_map(|source| {
            let origin = find_origin(design, id, source)?;
            let filter = filter
                .clone()
                .or_else(|| source.filter_subject.clone())
                .or_else(|| source.subject_transforms.first().map(|t| t.src.clone()))
                .filter(|f| !f.is_empty());
            walk(design, origin, filter, seen)
        })
    }
    walk(design, id, None, &mut Vec::new())
}

/// The stream a mirror or source copies from: as the design resolves it, or else (a wrong API
/// prefix resolves nothing) the stream of that name in the cluster the link was drawn to, or
/// else in the copy's own cluster; of the copy's account, else (a cross-account origin) of
/// another.
pub fn find_origin(design: &Design, copy: StreamId, source: &crate::model::StreamSource) -> Option<StreamId> {
    let stream = design.stream(copy)?;
    if let Some(origin) = design.resolve_origin(stream, source) {
        return Some(origin);
    }
    let cluster = source.origin_cluster.unwrap_or(stream.cluster);
    // A cross-account origin (reached through imports) is in another account of that cluster.
    let candidates: Vec<&crate::model::Stream> =
        design.streams_in(cluster).filter(|s| s.id != copy && s.config.name == source.name).collect();
    candidates.iter().find(|s| s.account == stream.account).or(candidates.first()).map(|s| s.id)
}

/// One mirror or source to prove.
pub struct LinkPlan {
    pub kind: LinkKind,
    pub copy: StreamId,
    /// Its number among the copy's origins (0 for a mirror).
    pub index: usize,
    pub origin_name: String,
    pub api: Option<String>,
    pub origin: Option<StreamId>,
}

/// What probing a link showed.
#[derive(Clone, Debug, Serialize)]
pub struct LinkResult {
    pub kind: &'static str,
    pub copy: String,
    pub copy_domain: Option<String>,
    pub origin: String,
    pub origin_domain: Option<String>,
    pub api: Option<String>,
    /// Where the probe message was published: `stream` on `subject`.
    pub published: Option<String>,
    pub delivered: bool,
    /// From publishing to the copy's growth, when delivered.
    pub ms: Option<u64>,
    /// The copy's `active` for this origin at the end, in nanoseconds (-1: never active).
    pub active: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What the probe needs to know about each stream: where it lives and how to reach it.
pub struct Placed {
    pub name: String,
    pub domain: Option<String>,
    /// The stream's own cluster, as a user of the stream's account.
    pub local: Endpoint,
    /// The hub, as a user of the stream's account.
    pub via: Endpoint,
    pub created: bool,
}

/// The copy's state: its last sequence, and the origin entry's `active` and `error`.
fn copy_state(
    connections: &mut Connections,
    copy: &Placed,
    plan: &LinkPlan,
) -> Result<(u64, Option<i64>, Option<String>), String> {
    let subject = api_subject(copy.domain.as_deref(), &format!("STREAM.INFO.{}", copy.name));
    let reply = connections.api(&copy.via, &subject, b"", Duration::from_secs(3))?;
    if let Some(error) = api_error(&reply) {
        return Err(error);
    }
    let last = reply["state"]["last_seq"].as_u64().unwrap_or(0);
    let entry = match plan.kind {
        LinkKind::Mirror => Some(&reply["mirror"]),
        _ => reply["sources"].as_array().and_then(|sources| {
            let named = |s: &&Value| s["name"] == plan.origin_name.as_str();
            let api = plan.api.as_deref().filter(|a| !a.is_empty());
            sources
                .iter()
                .filter(named)
                .find(|s| s["external"]["api"].as_str() == api)
                .or_else(|| sources.iter().find(named))
        }),
    };
    let active = entry.and_then(|e| e["active"].as_i64());
    let error = entry
        .and_then(|e| e.get("error"))
        .and_then(|e| e["description"].as_str().map(str::to_owned).or_else(|| (!e.is_null()).then(|| e.to_string())));
    Ok((last, active, error))
}

/// Publishes a probe message on `subject` with a reply inbox and collects the acknowledgements
/// (`(stream, domain)` each) until `enough` says so, or `window` after the first, or `wait`.
fn publish_collecting_acks(
    connections: &mut Connections,
    endpoint: &Endpoint,
    subject: &str,
    (wait, window): (Duration, Duration),
    enough: impl Fn(&[(String, Option<String>)]) -> bool,
) -> Result<Vec<(String, Option<String>)>, String> {
    let client = connections.get(endpoint).map_err(|e| e.to_string())?;
    let inbox = client.new_inbox();
    let result = (|| -> Result<_, ClientError> {
        let sid = client.subscribe(&inbox)?;
        client.publish(subject, Some(&inbox), b"nats-topology sandbox probe")?;
        let mut deadline = Instant::now() + wait;
        let mut acks = Vec::new();
        while let Some(message) = client.next_message(sid, deadline)? {
            if let Some(ack) = ack_of(&message) {
                if acks.is_empty() {
                    deadline = deadline.min(Instant::now() + window);
                }
                acks.push(ack);
                if enough(&acks) {
                    break;
                }
            }
        }
        client.unsubscribe(sid)?;
        Ok(acks)
    })();
    result.map_err(|e| {
        connections.forget(endpoint);
        e.to_string()
    })
}

fn ack_of(message: &Message) -> Option<(String, Option<String>)> {
    if message.is_no_responders() {
        return None;
    }
    let ack: Value = serde_json::from_slice(&message.payload).ok()?;
    let stream = ack["stream"].as_str()?.to_owned();
    Some((stream, ack["domain"].as_str().map(str::to_owned)))
}

/// Proves one link: publishes to its origin (or upstream) and waits up to `timeout` for the
/// copy's last sequence to grow.
pub fn probe_link(
    connections: &mut Connections,
    design: &Design,
    placed: &BTreeMap<StreamId, Placed>,
    plan: &LinkPlan,
    timeout: Duration,
) -> LinkResult {
    let copy = &placed[&plan.copy];
    let origin = plan.origin.and_then(|o| placed.get(&o));
    let mut result = LinkResult {
        kind: match plan.kind {
            LinkKind::Mirror => "mirror",
            _ => "source",
        },
        copy: copy.name.clone(),
        copy_domain: copy.domain.clone(),
        origin: plan.origin_name.clone(),
        origin_domain: origin.and_then(|o| o.domain.clone()),
        api: plan.api.clone(),
        published: None,
        delivered: false,
        ms: None,
        active: None,
        error: None,
    };
    let fail = |mut result: LinkResult, why: String| {
        result.error = Some(why);
        result
    };
    if !copy.created {
        return fail(result, format!("not probed: {} was not created", copy.name));
    }
    let Some(origin_id) = plan.origin else {
        return fail(result, format!("not probed: the design has no stream {} for it", plan.origin_name));
    };
    let Some((at, subject)) = publish_point(design, origin_id) else {
        return fail(
            result,
            format!("not probed: neither {} nor its origins have subjects to publish on", plan.origin_name),
        );
    };
    let at = &placed[&at];
    if !at.created {
        return fail(result, format!("not probed: {} was not created", at.name));
    }
    result.published = Some(format!("{} on {subject}", at.name));
    let before = match copy_state(connections, copy, plan) {
        Ok((last, ..)) => last,
        Err(e) => return fail(result, format!("cannot read {}: {e}", copy.name)),
    };
    let started = Instant::now();
    let from_origin = |acks: &[(String, Option<String>)]| {
        acks.iter().any(|(stream, domain)| *stream == at.name && (domain.is_none() || *domain == at.domain))
    };
    let waits = (Duration::from_secs(3), Duration::from_millis(500));
    match publish_collecting_acks(connections, &at.local, &subject, waits, from_origin) {
        Ok(acks) if from_origin(&acks) => {}
        Ok(_) => return fail(result, format!("{} did not acknowledge the probe message on {subject}", at.name)),
        Err(e) => return fail(result, format!("cannot publish on {subject}: {e}")),
    }
    let deadline = started + timeout;
    let mut last_error;
    loop {
        match copy_state(connections, copy, plan) {
            Ok((last, active, error)) => {
                result.active = active;
                last_error = error;
                if last > before {
                    result.delivered = true;
                    result.ms = Some(started.elapsed().as_millis() as u64);
                    return result;
                }
            }
            Err(e) => last_error = Some(e),
        }
        if Instant::now() >= deadline || interrupted() {
            break;
        }
        pause(Duration::from_millis(50));
    }
    let mut why = format!("nothing arrived within {} s", timeout.as_secs_f64());
    if interrupted() {
        why = "interrupted".to_owned();
    } else if result.active == Some(-1) {
        why.push_str(" and the copy never heard from its origin (active: -1): a wrong API prefix or a missing origin");
    }
    if let Some(error) = last_error {
        why.push_str(&format!("; the copy reports: {error}"));
    }
    fail(result, why)
}

/// Where a message published on a stream's subject was stored.
#[derive(Clone, Debug, Serialize)]
pub struct CaptureResult {
    pub stream: String,
    pub domain: Option<String>,
    pub subject: String,
    /// Every stream that acknowledged it: `(name, domain)`.
    pub stored_by: Vec<StoredBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredBy {
    pub stream: String,
    pub domain: Option<String>,
}

impl LinkResult {
    /// The report's line for this link, as written (not yet made printable).
    pub fn text_lines(&self) -> Vec<String> {
        let origin = in_domain(&self.origin, self.origin_domain.as_deref());
        let copy = in_domain(&self.copy, self.copy_domain.as_deref());
        let via = self.api.as_deref().map(|a| format!(" via {a}")).unwrap_or_default();
        vec![match (self.delivered, self.ms, &self.error) {
            (true, Some(ms), _) => format!("  delivered  {} {copy} <- {origin}{via} in {ms} ms", self.kind),
            (_, _, error) => format!(
                "  FAILED     {} {copy} <- {origin}{via}: {}",
                self.kind,
                error.as_deref().unwrap_or("not delivered")
            ),
        }]
    }
}

impl CaptureResult {
    /// The report's line for this capture, as written (not yet made printable).
    pub fn text_lines(&self) -> Vec<String> {
        let stored: Vec<String> = self.stored_by.iter().map(|s| in_domain(&s.stream, s.domain.as_deref())).collect();
        let mut line = format!(
            "  {} into {}: stored by {}",
            self.subject,
            in_domain(&self.stream, self.domain.as_deref()),
            if stored.is_empty() { "no stream".to_owned() } else { stored.join(", ") }
        );
        if self.doubled() {
            let domains: std::collections::BTreeSet<&Option<String>> =
                self.stored_by.iter().map(|s| &s.domain).collect();
            line.push_str(&format!(
                ": CAPTURED {} TIMES, in {} domains (every message is stored twice while the leafnode is up)",
                self.stored_by.len(),
                domains.len()
            ));
        }
        if let Some(e) = &self.error {
            line.push_str(&format!(": {e}"));
        }
        vec![line]
    }

    /// More than one stream stored the message.
    pub fn doubled(&self) -> bool {
        self.stored_by.len() > 1
    }
}

/// Publishes one message on each created stream's first subject, from the stream's own
/// cluster, and lists the streams that acknowledged it.
pub fn probe_captures(
    connections: &mut Connections,
    design: &Design,
    placed: &BTreeMap<StreamId, Placed>,
    order: &[StreamId],
) -> Vec<CaptureResult> {
    let mut results = Vec::new();
    for id in order {
        if interrupted() {
            break;
        }
        let (Some(stream), Some(place)) = (design.stream(*id), placed.get(id)) else { continue };
        let Some(pattern) = stream.config.subjects.first() else { continue };
        if !place.created {
            continue;
        }
        let subject = instantiate(pattern);
        let mut result = CaptureResult {
            stream: place.name.clone(),
            domain: place.domain.clone(),
            subject: subject.clone(),
            stored_by: Vec::new(),
            error: None,
        };
        let waits = (Duration::from_secs(3), ACK_WINDOW);
        match publish_collecting_acks(connections, &place.local, &subject, waits, |_| false) {
            Ok(acks) => {
                let mut stored: Vec<StoredBy> =
                    acks.into_iter().map(|(stream, domain)| StoredBy { stream, domain }).collect();
                stored.sort_by(|a, b| (&a.domain, &a.stream).cmp(&(&b.domain, &b.stream)));
                stored.dedup();
                result.stored_by = stored;
            }
            Err(e) => result.error = Some(e),
        }
        results.push(result);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::{guide_as_written, guide_corrected};

    fn id(design: &Design, name: &str, nth: usize) -> StreamId {
        design.streams().filter(|s| s.config.name == name).nth(nth).map(|s| s.id).expect("the stream exists")
    }

    #[test]
    fn wildcards_become_a_literal_token() {
        assert_eq!(instantiate("tickets-1.>"), "tickets-1.probe");
        assert_eq!(instantiate("a.*.c"), "a.probe.c");
        assert_eq!(instantiate("cinema-a.new.films"), "cinema-a.new.films");
    }

    #[test]
    fn a_copy_without_subjects_is_fed_from_upstream() {
        let design = guide_corrected();
        let mirror = id(&design, "cinema-a-mirror", 0);
        assert_eq!(publish_point(&design, mirror), Some((id(&design, "cinema-a", 0), "cinema-a.new.films".into())));
        let sales = id(&design, "sales", 0);
        assert_eq!(publish_point(&design, sales), Some((id(&design, "tickets-1", 0), "tickets-1.probe".into())));
    }

    #[test]
    fn an_origin_behind_a_wrong_prefix_is_still_found_where_the_link_was_drawn() {
        let design = guide_as_written();
        let sales = design.stream(id(&design, "sales", 0)).unwrap();
        assert_eq!(design.resolve_origin(sales, &sales.config.sources[0]), None);
        assert_eq!(find_origin(&design, sales.id, &sales.config.sources[0]), Some(id(&design, "tickets-1", 0)));
        assert_eq!(find_origin(&design, sales.id, &sales.config.sources[1]), Some(id(&design, "tickets-2", 0)));
    }

    #[test]
    fn api_errors_read_code_and_description() {
        let reply =
            serde_json::json!({"error": {"code": 400, "err_code": 10058, "description": "stream name already in use"}});
        assert_eq!(api_error(&reply).as_deref(), Some("10058 stream name already in use"));
        assert_eq!(api_error(&serde_json::json!({"config": {}})), None);
        assert_eq!(api_subject(Some("hub"), "INFO"), "$JS.hub.API.INFO");
        assert_eq!(api_subject(None, "INFO"), "$JS.API.INFO");
    }
}
