//! JetStream consumers: the durable pull and push consumers that read a stream (or a bucket's
//! stream), and their wire format, the JSON that `nats consumer add STREAM --config FILE` reads
//! and that the server's `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<durable>` takes as
//! `config` (nats-server `server/consumer.go` `ConsumerConfig`).
//!
//! A consumer belongs to its stream (`Stream::consumers`): it has no id of its own, its durable
//! name is unique within the stream (`consumer-name-duplicate` says when not), and it goes where
//! the stream goes. Optional fields are `None` when the server's default is meant, so that the
//! exports write only what the user set. What the model does not hold (replay policy, rate
//! limit, sampling, backoff, pull request limits, priority groups, metadata) is left to the
//! server's defaults by every export.
//!
//! The durable name is sent as `durable_name` (not `name`), since 2.9 knows only that field; one
//! filter subject goes as `filter_subject` and several as `filter_subjects`, which only 2.10 and
//! later read (`consumer-filters-need-2-10`).

use super::stream::Nanos;
use serde_json::{Map, Value};

/// Where a new consumer starts in the stream (`deliver_policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DeliverPolicy {
    #[default]
    All,
    Last,
    New,
    ByStartSequence,
    ByStartTime,
    LastPerSubject,
}

impl DeliverPolicy {
    pub const ALL: [DeliverPolicy; 6] = [
        DeliverPolicy::All,
        DeliverPolicy::Last,
        DeliverPolicy::New,
        DeliverPolicy::ByStartSequence,
        DeliverPolicy::ByStartTime,
        DeliverPolicy::LastPerSubject,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliverPolicy::All => "all",
            DeliverPolicy::Last => "last",
            DeliverPolicy::New => "new",
            DeliverPolicy::ByStartSequence => "by_start_sequence",
            DeliverPolicy::ByStartTime => "by_start_time",
            DeliverPolicy::LastPerSubject => "last_per_subject",
        }
    }

    pub fn parse(text: &str) -> Option<DeliverPolicy> {
        DeliverPolicy::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// How deliveries are acknowledged (`ack_policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AckPolicy {
    #[default]
    Explicit,
    All,
    None,
}

impl AckPolicy {
    pub const ALL: [AckPolicy; 3] = [AckPolicy::Explicit, AckPolicy::All, AckPolicy::None];

    pub fn as_str(self) -> &'static str {
        match self {
            AckPolicy::Explicit => "explicit",
            AckPolicy::All => "all",
            AckPolicy::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<AckPolicy> {
        AckPolicy::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// A durable consumer of a stream.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Consumer {
    /// The durable name, unique within the stream.
    pub durable: String,
    pub description: Option<String>,
    /// A push consumer's delivery subject; `None` makes a pull consumer.
    pub deliver_subject: Option<String>,
    /// A push consumer's queue group.
    pub deliver_group: Option<String>,
    /// The subjects it reads; empty for all of the stream's.
    pub filter_subjects: Vec<String>,
    pub deliver_policy: DeliverPolicy,
    /// `opt_start_seq`, for `by_start_sequence`.
    pub opt_start_seq: Option<u64>,
    /// `opt_start_time` (RFC 3339, kept as text), for `by_start_time`.
    pub opt_start_time: Option<String>,
    pub ack_policy: AckPolicy,
    /// `ack_wait`; `None` leaves the server's 30s.
    pub ack_wait: Option<Nanos>,
    /// `max_deliver`; `None` for no limit.
    pub max_deliver: Option<i64>,
    /// `max_ack_pending`; `None` leaves the server's default (1000, or the stream's limit).
    pub max_ack_pending: Option<i64>,
    /// `num_replicas`; 0 means the stream's.
    pub replicas: i64,
    /// Push only: flow control (needs `idle_heartbeat`).
    pub flow_control: bool,
    /// Push only: `idle_heartbeat`.
    pub idle_heartbeat: Option<Nanos>,
}

impl Consumer {
    /// A pull consumer with explicit acks that reads everything.
    pub fn pull(durable: impl Into<String>) -> Self {
        Self { durable: durable.into(), ..Self::default() }
    }

    /// A push consumer delivering to `subject`.
    pub fn push(durable: impl Into<String>, subject: impl Into<String>) -> Self {
        Self { durable: durable.into(), deliver_subject: Some(subject.into()), ..Self::default() }
    }

    pub fn is_push(&self) -> bool {
        self.deliver_subject.is_some()
    }

    /// "pull" or "push".
    pub fn kind(&self) -> &'static str {
        if self.is_push() {
            "push"
        } else {
            "pull"
        }
    }
}

/// The consumer configuration JSON (`nats consumer add --config`, and the create request's
/// `config`), fields in the server's names; defaults left out.
pub fn to_json(c: &Consumer) -> Value {
    let mut m = Map::new();
    m.insert("durable_name".into(), c.durable.clone().into());
    if let Some(d) = &c.description {
        m.insert("description".into(), d.clone().into());
    }
    if let Some(s) = &c.deliver_subject {
        m.insert("deliver_subject".into(), s.clone().into());
    }
    if let Some(g) = &c.deliver_group {
        m.insert("deliver_group".into(), g.clone().into());
    }
    match c.filter_subjects.as_slice() {
        [] => {}
        [one] => _ = m.insert("filter_subject".into(), one.clone().into()),
        many => _ = m.insert("filter_subjects".into(), many.to_vec().into()),
    }
    m.insert("deliver_policy".into(), c.deliver_policy.as_str().into());
    if let Some(seq) = c.opt_start_seq {
        m.insert("opt_start_seq".into(), seq.into());
    }
    if let Some(t) = &c.opt_start_time {
        m.insert("opt_start_time".into(), t.clone().into());
    }
    m.insert("ack_policy".into(), c.ack_policy.as_str().into());
    if let Some(w) = c.ack_wait {
        m.insert("ack_wait".into(), w.into());
    }
    if let Some(n) = c.max_deliver {
        m.insert("max_deliver".into(), n.into());
    }
    if let Some(n) = c.max_ack_pending {
        m.insert("max_ack_pending".into(), n.into());
    }
    m.insert("replay_policy".into(), "instant".into());
    if c.replicas != 0 {
        m.insert("num_replicas".into(), c.replicas.into());
    }
    if c.flow_control {
        m.insert("flow_control".into(), true.into());
    }
    if let Some(h) = c.idle_heartbeat {
        m.insert("idle_heartbeat".into(), h.into());
    }
    Value::Object(m)
}

/// The fields `from_json` reads; any other field is refused, so that nothing is dropped silently.
pub const KNOWN_FIELDS: [&str; 18] = [
    "durable_name",
    "name",
    "description",
    "deliver_subject",
    "deliver_group",
    "filter_subject",
    "filter_subjects",
    "deliver_policy",
    "opt_start_seq",
    "opt_start_time",
    "ack_policy",
    "ack_wait",
    "max_deliver",
    "max_ack_pending",
    "replay_policy",
    "num_replicas",
    "flow_control",
    "idle_heartbeat",
];

/// Reads a consumer configuration written as [`to_json`] writes it (or as `nats consumer info
/// --json` shows its `config`, for the fields the model holds). The error names the field.
pub fn from_json(value: &Value) -> Result<Consumer, String> {
    let m = value.as_object().ok_or_else(|| "a consumer configuration must be a JSON object".to_owned())?;
    for key in m.keys() {
        if !KNOWN_FIELDS.contains(&key.as_str()) {
            return Err(format!("field `{key}` is not one the designer keeps for a consumer"));
        }
    }
    let text = |k: &str| -> Result<Option<String>, String> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("field `{k}` must be a string, found {other}")),
        }
    };
    let int = |k: &str| -> Result<Option<i64>, String> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| format!("field `{k}` must be a whole number, found {v}")),
        }
    };
    let durable = match (text("durable_name")?, text("name")?) {
        (Some(d), Some(n)) if d != n => return Err(format!("`durable_name` {d:?} and `name` {n:?} differ")),
        (Some(d), _) | (None, Some(d)) => d,
        (None, None) => return Err("field `durable_name` is required: the designer keeps durable consumers".into()),
    };
    let mut filter_subjects: Vec<String> = text("filter_subject")?.filter(|s| !s.is_empty()).into_iter().collect();
    match m.get("filter_subjects") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let s = item.as_str().ok_or_else(|| format!("`filter_subjects` holds {item}, not a string"))?;
                filter_subjects.push(s.to_owned());
            }
        }
        Some(other) => return Err(format!("field `filter_subjects` must be an array, found {other}")),
    }
    let deliver_policy = match text("deliver_policy")? {
        None => DeliverPolicy::All,
        Some(p) => DeliverPolicy::parse(&p).ok_or_else(|| format!("`deliver_policy` {p:?} is not a policy"))?,
    };
    let ack_policy = match text("ack_policy")? {
        // The server's zero value.
        None => AckPolicy::None,
        Some(p) => AckPolicy::parse(&p).ok_or_else(|| format!("`ack_policy` {p:?} is not a policy"))?,
    };
    if let Some(r) = text("replay_policy")? {
        if r != "instant" {
            return Err(format!("`replay_policy` {r:?}: the designer keeps only \"instant\""));
        }
    }
    let opt_start_seq = match int("opt_start_seq")? {
        None | Some(0) => None,
        Some(n) => Some(u64::try_from(n).map_err(|_| format!("`opt_start_seq` {n} is negative"))?),
    };
    let flow_control = match m.get("flow_control") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(format!("field `flow_control` must be true or false, found {other}")),
    };
    Ok(Consumer {
        durable,
        description: text("description")?.filter(|d| !d.is_empty()),
        deliver_subject: text("deliver_subject")?.filter(|s| !s.is_empty()),
        deliver_group: text("deliver_group")?.filter(|s| !s.is_empty()),
        filter_subjects,
        deliver_policy,
        opt_start_seq,
        opt_start_time: text("opt_start_time")?,
        ack_policy,
        ack_wait: int("ack_wait")?.filter(|&w| w != 0),
        max_deliver: int("max_deliver")?.filter(|&n| n != 0 && n != -1),
        max_ack_pending: int("max_ack_pending")?.filter(|&n| n != 0),
        replicas: int("num_replicas")?.unwrap_or(0),
        flow_control,
        idle_heartbeat: int("idle_heartbeat")?.filter(|&h| h != 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::stream::SECOND;

    #[test]
    fn a_consumer_survives_its_json() {
        let mut c = Consumer::push("orders-audit", "deliver.audit");
        c.filter_subjects = vec!["orders.eu.>".into(), "orders.us.>".into()];
        c.deliver_group = Some("auditors".into());
        c.deliver_policy = DeliverPolicy::ByStartSequence;
        c.opt_start_seq = Some(42);
        c.ack_wait = Some(45 * SECOND);
        c.max_deliver = Some(5);
        c.max_ack_pending = Some(20);
        c.replicas = 3;
        c.flow_control = true;
        c.idle_heartbeat = Some(5 * SECOND);
        c.description = Some("$(rm -rf ~)\n\"; drop".into());
        assert_eq!(from_json(&to_json(&c)), Ok(c));
        let pull = Consumer::pull("p");
        assert_eq!(from_json(&to_json(&pull)), Ok(pull));
    }

    #[test]
    fn one_filter_is_written_as_filter_subject_for_2_9() {
        let mut c = Consumer::pull("p");
        c.filter_subjects = vec!["a.>".into()];
        let json = to_json(&c);
        assert_eq!(json["filter_subject"], "a.>");
        assert!(json.get("filter_subjects").is_none());
        assert_eq!(json["ack_policy"], "explicit");
        assert_eq!(json["durable_name"], "p");
    }

    #[test]
    fn setting_a_streams_consumers_is_undone_by_its_inverse() {
        use crate::model::command::Command;
        let mut design = crate::model::example::guide_corrected();
        let before = design.clone();
        let stream = design.streams().next().expect("streams").id;
        let inverse = Command::SetStreamConsumers { stream, consumers: vec![Consumer::pull("a")] }
            .apply(&mut design)
            .expect("applies");
        assert_eq!(design.stream(stream).expect("kept").consumers, vec![Consumer::pull("a")]);
        inverse.apply(&mut design).expect("the inverse applies");
        assert_eq!(design, before);
        let missing = crate::model::ids::StreamId(9999);
        assert!(Command::SetStreamConsumers { stream: missing, consumers: vec![] }.apply(&mut design).is_err());
    }

    #[test]
    fn reading_refuses_what_it_would_drop() {
        assert!(from_json(&serde_json::json!({"durable_name": "a", "rate_limit_bps": 5})).is_err());
        assert!(from_json(&serde_json::json!({"deliver_policy": "all"})).is_err(), "no durable");
        assert!(from_json(&serde_json::json!({"durable_name": "a", "ack_policy": "sometimes"})).is_err());
        let c = from_json(&serde_json::json!({"name": "a"})).expect("name alone names the durable");
        assert_eq!((c.durable.as_str(), c.ack_policy), ("a", AckPolicy::None), "the server's zero value");
    }
}
