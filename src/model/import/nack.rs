//! NACK resources (`jetstream.nats.io/v1beta2`: `Stream`, `KeyValue`, `ObjectStore`,
//! `Consumer`, `Account`) back into a design: the reverse of `export::nack`, from a folder of
//! files or one multi-document YAML.
//!
//! Placement: a resource with `jsDomain` goes into the cluster of that domain (one is made,
//! named after the domain, when no imported cluster has it); one without goes into the first
//! hub, else the first cluster, else a cluster `hub` made for it. Its account is the `spec.name`
//! of the `Account` resource `spec.account` names (the account's own name, as the export writes
//! it), else `spec.account` itself, else the cluster's first JetStream account; an account the
//! cluster lacks is added with JetStream on. A `KeyValue` / `ObjectStore` becomes the stream
//! `nats kv add` / `nats object add` would create (`model::bucket`); a `Consumer` joins the
//! stream `streamName` names in its domain's cluster (a note when there is none).
//!
//! Fields the design does not hold, and fields the export never writes (`creds`, `servers`,
//! `preventDelete`, ...), are skipped with a note naming them; a field of the wrong type is a
//! note too, and the resource keeps the server's default for it.

use super::SourceFile;
use crate::model::bucket::{self, KvSettings, ObjSettings};
use crate::model::cluster::{Account, Cluster, Role};
use crate::model::consumer::{AckPolicy, Consumer, DeliverPolicy};
use crate::model::stream::{
    Compression, ConsumerLimits, Discard, Nanos, Placement, Republish, Retention, Storage, StreamConfig, StreamSource,
    SubjectTransform,
};
use crate::model::{ClusterId, Design, StreamId};
use serde_yaml::Value;
use std::collections::BTreeMap;

/// The API group of NACK's resources.
const GROUP: &str = "jetstream.nats.io/";

/// The NACK documents of a YAML text, when it has any (other documents are left out).
pub(super) fn recognize(text: &str) -> Option<Vec<Value>> {
    let mut docs = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        let value: Value = serde::Deserialize::deserialize(document).ok()?;
        if value.get("apiVersion").and_then(Value::as_str).is_some_and(|v| v.starts_with(GROUP)) {
            docs.push(value);
        }
    }
    (!docs.is_empty()).then_some(docs)
}

/// Whether a YAML text is a kustomization (it lists files; the files themselves are imported).
pub(super) fn is_kustomization(text: &str) -> bool {
    text.lines().any(|l| l.trim() == "kind: Kustomization")
        && text.lines().any(|l| l.trim_start().starts_with("apiVersion: kustomize.config.k8s.io/"))
}

/// A Go duration (`30s`, `1h30m`, `1.5s`, `250ms`) in nanoseconds.
pub fn parse_go_duration(text: &str) -> Option<Nanos> {
    let text = text.trim();
    if text == "0" {
        return Some(0);
    }
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * unit;
    }
    let nanos = total.round();
    if !nanos.is_finite() || nanos > i64::MAX as f64 {
        return None;
    }
    Some(if negative { -(nanos as i64) } else { nanos as i64 })
}

/// Reads one resource's spec, noting what it skips.
struct Spec<'a> {
    spec: &'a serde_yaml::Mapping,
    what: String,
    notes: &'a mut Vec<String>,
}

impl Spec<'_> {
    fn get(&self, key: &str) -> Option<&Value> {
        self.spec.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&mut self, key: &str, expected: &str) {
        self.notes.push(format!("{}: `{key}` is not {expected}; left to the default", self.what));
    }

    fn text(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.wrong(key, "text");
                None
            }
        }
    }

    fn int(&mut self, key: &str) -> Option<i64> {
        let v = self.get(key)?;
        match v.as_i64().or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)) {
            Some(n) => Some(n),
            None => {
                self.wrong(key, "a whole number");
                None
            }
        }
    }

    fn flag(&mut self, key: &str) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.wrong(key, "true or false");
                false
            }
        }
    }

    fn duration(&mut self, key: &str) -> Option<Nanos> {
        let text = self.text(key)?;
        if text.is_empty() {
            return None;
        }
        let parsed = parse_go_duration(&text);
        if parsed.is_none() {
            self.wrong(key, "a duration such as 30s");
        }
        parsed
    }

    fn strings(&mut self, key: &str) -> Vec<String> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect(),
            Some(_) => {
                self.wrong(key, "a list");
                Vec::new()
            }
        }
    }

    /// Notes every key of the spec that is not in `known`.
    fn unknown(&mut self, known: &[&str]) {
        let skipped: Vec<String> = (self.spec.keys())
            .filter_map(Value::as_str)
            .filter(|k| !known.contains(k) && !CONNECTION.contains(k))
            .map(str::to_owned)
            .collect();
        let connection: Vec<&str> = (self.spec.keys())
            .filter_map(Value::as_str)
            .filter(|k| CONNECTION.contains(k) && !matches!(*k, "account" | "jsDomain"))
            .collect();
        if !skipped.is_empty() {
            self.notes.push(format!("{}: skipped fields the design does not hold: {}", self.what, skipped.join(", ")));
        }
        if !connection.is_empty() {
            self.notes.push(format!(
                "{}: skipped connection fields (the design's clusters say where it runs): {}",
                self.what,
                connection.join(", ")
            ));
        }
    }
}

/// Fields every resource has for its connection.
const CONNECTION: [&str; 9] =
    ["account", "creds", "nkey", "preventDelete", "preventUpdate", "servers", "tls", "tlsFirst", "jsDomain"];

fn placement(s: &mut Spec) -> Option<Placement> {
    let p = s.get("placement")?.as_mapping()?.clone();
    let cluster = p.get("cluster").and_then(Value::as_str).map(str::to_owned);
    let tags = p
        .get("tags")
        .and_then(Value::as_sequence)
        .map_or_else(Vec::new, |t| t.iter().filter_map(Value::as_str).map(str::to_owned).collect());
    Some(Placement { cluster, tags })
}

fn transforms(v: &Value) -> Vec<SubjectTransform> {
    v.as_sequence().into_iter().flatten().filter_map(transform).collect()
}

fn transform(v: &Value) -> Option<SubjectTransform> {
    Some(SubjectTransform {
        src: v.get("source")?.as_str()?.to_owned(),
        dest: v.get("dest").or_else(|| v.get("destination"))?.as_str()?.to_owned(),
    })
}

fn origin(v: &Value) -> Option<StreamSource> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    Some(StreamSource {
        name: text("name")?,
        origin_cluster: None,
        api: text("externalApiPrefix"),
        deliver: text("externalDeliverPrefix"),
        filter_subject: text("filterSubject"),
        subject_transforms: v.get("subjectTransforms").map(transforms).unwrap_or_default(),
        opt_start_seq: v.get("optStartSeq").and_then(Value::as_u64),
        opt_start_time: text("optStartTime"),
    })
}

const STREAM_FIELDS: [&str; 36] = [
    "name",
    "description",
    "subjects",
    "retention",
    "maxConsumers",
    "maxMsgs",
    "maxBytes",
    "discard",
    "discardPerSubject",
    "maxAge",
    "maxMsgsPerSubject",
    "maxMsgSize",
    "storage",
    "replicas",
    "noAck",
    "duplicateWindow",
    "placement",
    "mirror",
    "sources",
    "sealed",
    "denyDelete",
    "denyPurge",
    "allowRollup",
    "compression",
    "firstSequence",
    "subjectTransform",
    "republish",
    "allowDirect",
    "mirrorDirect",
    "allowMsgTtl",
    "subjectDeleteMarkerTtl",
    "allowMsgCounter",
    "allowAtomicPublish",
    "allowMsgSchedules",
    "persistMode",
    "consumerLimits",
];

fn stream_config(s: &mut Spec) -> Option<StreamConfig> {
    s.unknown(&[&STREAM_FIELDS[..], &["metadata"]].concat());
    let mut c = StreamConfig::new(s.text("name")?);
    c.description = s.text("description");
    c.subjects = s.strings("subjects");
    c.retention = match s.text("retention").as_deref() {
        Some("interest") => Retention::Interest,
        Some("workqueue") => Retention::WorkQueue,
        _ => Retention::Limits,
    };
    c.max_consumers = s.int("maxConsumers").unwrap_or(-1);
    c.max_msgs = s.int("maxMsgs").unwrap_or(-1);
    c.max_bytes = s.int("maxBytes").unwrap_or(-1);
    // The CRD's default is 0, which the server reads as no limit.
    c.max_msgs_per_subject = s.int("maxMsgsPerSubject").filter(|&n| n != 0).unwrap_or(-1);
    c.max_msg_size = s.int("maxMsgSize").unwrap_or(-1);
    c.max_age = s.duration("maxAge").unwrap_or(0);
    // The CRD's default storage is memory.
    c.storage = if s.text("storage").as_deref() == Some("file") { Storage::File } else { Storage::Memory };
    c.num_replicas = s.int("replicas").unwrap_or(1);
    c.discard = if s.text("discard").as_deref() == Some("new") { Discard::New } else { Discard::Old };
    c.no_ack = s.flag("noAck");
    c.discard_new_per_subject = s.flag("discardPerSubject");
    c.sealed = s.flag("sealed");
    c.deny_delete = s.flag("denyDelete");
    c.deny_purge = s.flag("denyPurge");
    c.allow_rollup_hdrs = s.flag("allowRollup");
    c.allow_direct = s.flag("allowDirect");
    c.mirror_direct = s.flag("mirrorDirect");
    c.allow_msg_ttl = s.flag("allowMsgTtl");
    c.allow_msg_counter = s.flag("allowMsgCounter");
    c.allow_atomic = s.flag("allowAtomicPublish");
    c.allow_msg_schedules = s.flag("allowMsgSchedules");
    c.duplicate_window = s.duration("duplicateWindow");
    c.placement = placement(s);
    c.mirror = s.get("mirror").and_then(origin);
    c.sources = s.get("sources").and_then(Value::as_sequence).into_iter().flatten().filter_map(origin).collect();
    c.compression = if s.text("compression").as_deref() == Some("s2") { Compression::S2 } else { Compression::None };
    c.first_seq = s.int("firstSequence").filter(|&n| n > 0).map(|n| n as u64);
    c.subject_transform = s.get("subjectTransform").and_then(transform);
    c.republish = s.get("republish").and_then(|r| {
        Some(Republish {
            src: r.get("source")?.as_str()?.to_owned(),
            dest: r.get("destination")?.as_str()?.to_owned(),
            headers_only: false,
        })
    });
    c.subject_delete_marker_ttl = s.duration("subjectDeleteMarkerTtl");
    c.persist_mode = s.text("persistMode").filter(|m| !m.is_empty());
    c.consumer_limits = s.get("consumerLimits").map(|l| ConsumerLimits {
        inactive_threshold: l.get("inactiveThreshold").and_then(Value::as_str).and_then(parse_go_duration),
        max_ack_pending: l.get("maxAckPending").and_then(Value::as_i64),
    });
    if let Some(Value::Mapping(m)) = s.get("metadata") {
        c.metadata = m.iter().filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned()))).collect();
    }
    Some(c)
}

fn kv_config(s: &mut Spec) -> Option<StreamConfig> {
    s.unknown(&[
        "bucket",
        "description",
        "history",
        "ttl",
        "maxValueSize",
        "maxBytes",
        "storage",
        "replicas",
        "placement",
        "compression",
    ]);
    let name = s.text("bucket")?;
    let settings = KvSettings {
        description: s.text("description"),
        history: s.int("history").unwrap_or(1),
        ttl: s.duration("ttl").unwrap_or(0),
        max_value_size: s.int("maxValueSize").unwrap_or(-1),
        max_bytes: s.int("maxBytes").unwrap_or(-1),
        storage: if s.text("storage").as_deref() == Some("memory") { Storage::Memory } else { Storage::File },
        replicas: s.int("replicas").unwrap_or(1),
        placement: placement(s),
        compression: if s.flag("compression") { Compression::S2 } else { Compression::None },
    };
    Some(bucket::kv_config(&name, &settings))
}

fn obj_config(s: &mut Spec) -> Option<StreamConfig> {
    s.unknown(&[
        "bucket",
        "description",
        "ttl",
        "maxBytes",
        "storage",
        "replicas",
        "placement",
        "compression",
        "metadata",
    ]);
    let name = s.text("bucket")?;
    let settings = ObjSettings {
        description: s.text("description"),
        ttl: s.duration("ttl").unwrap_or(0),
        max_bytes: s.int("maxBytes").unwrap_or(-1),
        storage: if s.text("storage").as_deref() == Some("memory") { Storage::Memory } else { Storage::File },
        replicas: s.int("replicas").unwrap_or(1),
        placement: placement(s),
        compression: if s.flag("compression") { Compression::S2 } else { Compression::None },
    };
    Some(bucket::obj_config(&name, &settings))
}

fn deliver_policy(text: &str) -> Option<DeliverPolicy> {
    Some(match text {
        "all" => DeliverPolicy::All,
        "last" => DeliverPolicy::Last,
        "new" => DeliverPolicy::New,
        "byStartSequence" | "by_start_sequence" => DeliverPolicy::ByStartSequence,
        "byStartTime" | "by_start_time" => DeliverPolicy::ByStartTime,
        "lastPerSubject" | "last_per_subject" => DeliverPolicy::LastPerSubject,
        _ => return None,
    })
}

fn consumer(s: &mut Spec) -> Option<(String, Consumer)> {
    s.unknown(&[
        "streamName",
        "durableName",
        "description",
        "deliverSubject",
        "deliverGroup",
        "filterSubject",
        "filterSubjects",
        "deliverPolicy",
        "optStartSeq",
        "optStartTime",
        "ackPolicy",
        "ackWait",
        "maxDeliver",
        "maxAckPending",
        "replayPolicy",
        "replicas",
        "flowControl",
        "heartbeatInterval",
    ]);
    let stream = s.text("streamName")?;
    let durable = s.text("durableName")?;
    let mut filter_subjects: Vec<String> = s.text("filterSubject").filter(|f| !f.is_empty()).into_iter().collect();
    filter_subjects.extend(s.strings("filterSubjects"));
    let deliver_policy = match s.text("deliverPolicy") {
        None => DeliverPolicy::All,
        Some(p) => deliver_policy(&p).unwrap_or_else(|| {
            s.wrong("deliverPolicy", "a deliver policy");
            DeliverPolicy::All
        }),
    };
    let ack_policy = match s.text("ackPolicy").as_deref() {
        Some("explicit") => AckPolicy::Explicit,
        Some("all") => AckPolicy::All,
        // The CRD's default.
        _ => AckPolicy::None,
    };
    // The server's default ack wait is the export's way of saying "not set".
    let ack_wait = s.duration("ackWait").filter(|&w| w != 30 * crate::model::stream::SECOND);
    let c = Consumer {
        durable,
        description: s.text("description"),
        deliver_subject: s.text("deliverSubject").filter(|d| !d.is_empty()),
        deliver_group: s.text("deliverGroup").filter(|g| !g.is_empty()),
        filter_subjects,
        deliver_policy,
        opt_start_seq: s.int("optStartSeq").filter(|&n| n > 0).map(|n| n as u64),
        opt_start_time: s.text("optStartTime").filter(|t| !t.is_empty()),
        ack_policy,
        ack_wait,
        max_deliver: s.int("maxDeliver").filter(|&n| n != 0 && n != -1),
        max_ack_pending: s.int("maxAckPending").filter(|&n| n != 0),
        replicas: s.int("replicas").unwrap_or(0),
        flow_control: s.flag("flowControl"),
        idle_heartbeat: s.duration("heartbeatInterval").filter(|&h| h != 0),
    };
    Some((stream, c))
}

/// The clusters a resource of `domain` may be in: those of the domain (a supercluster has
/// several), or, without a domain, the first hub (else the first cluster).
fn clusters_for(design: &Design, domain: Option<&str>) -> Vec<ClusterId> {
    match domain.filter(|d| !d.is_empty()) {
        Some(d) => design.clusters().filter(|(_, c)| c.domain() == Some(d)).map(|(id, _)| id).collect(),
        None => design
            .clusters()
            .find(|(_, c)| c.role == Role::Hub)
            .or_else(|| design.clusters().next())
            .map(|(id, _)| id)
            .into_iter()
            .collect(),
    }
}

/// The stream named `name` in one of those clusters.
fn existing(design: &Design, domain: Option<&str>, name: &str) -> Option<StreamId> {
    let clusters = clusters_for(design, domain);
    design.streams().find(|s| clusters.contains(&s.cluster) && s.config.name == name).map(|s| s.id)
}

/// The cluster a new resource of `domain` goes into, made when missing.
fn cluster_for(design: &mut Design, domain: Option<&str>) -> ClusterId {
    if let Some(first) = clusters_for(design, domain).first() {
        return *first;
    }
    let role = if design.clusters().next().is_none() { Role::Hub } else { Role::Spoke };
    match domain.filter(|d| !d.is_empty()) {
        Some(d) => {
            let mut c = Cluster::new(d, role);
            c.domain = d.to_owned();
            design.add_cluster(c)
        }
        None => design.add_cluster(Cluster::new("hub", role)),
    }
}

/// Adds the NACK resources of `files` (path, documents) to the design.
pub(super) fn add(design: &mut Design, files: &[(&SourceFile, Vec<Value>)], notes: &mut Vec<String>) {
    let text = |v: &Value, path: &[&str]| -> Option<String> {
        path.iter().try_fold(v, |v, k| v.get(*k)).and_then(Value::as_str).map(str::to_owned)
    };
    // Account resources: metadata.name → the account's name.
    let mut accounts: BTreeMap<String, String> = BTreeMap::new();
    for (_, docs) in files {
        for doc in docs.iter().filter(|d| d.get("kind").and_then(Value::as_str) == Some("Account")) {
            if let Some(name) = text(doc, &["metadata", "name"]) {
                let account = text(doc, &["spec", "name"]).unwrap_or_else(|| name.clone());
                accounts.insert(name, account);
            }
        }
    }
    let mut consumers = Vec::new();
    for (file, docs) in files {
        for doc in docs {
            let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned();
            let name = text(doc, &["metadata", "name"]).unwrap_or_default();
            let what = format!("{}: {kind} {name}", file.path);
            if kind == "Account" {
                continue;
            }
            let Some(spec) = doc.get("spec").and_then(Value::as_mapping) else {
                notes.push(format!("{what}: skipped: no spec"));
                continue;
            };
            let mut s = Spec { spec, what: what.clone(), notes: &mut *notes };
            let domain = s.text("jsDomain");
            let account_ref = s.text("account");
            let config = match kind.as_str() {
                "Stream" => stream_config(&mut s),
                "KeyValue" => kv_config(&mut s),
                "ObjectStore" => obj_config(&mut s),
                "Consumer" => {
                    match consumer(&mut s) {
                        Some(c) => consumers.push((what, domain, c)),
                        None => notes.push(format!("{what}: skipped: no streamName or durableName")),
                    }
                    continue;
                }
                _ => {
                    notes.push(format!("{what}: skipped: the design has no {kind}"));
                    continue;
                }
            };
            let Some(config) = config else {
                notes.push(format!("{what}: skipped: it names no stream or bucket"));
                continue;
            };
            // An exported folder describes each stream twice, by its stream file (or script) and
            // by its NACK resource: one stream, not two of one name.
            if existing(design, domain.as_deref(), &config.name).is_some() {
                notes.push(format!(
                    "{what}: stream {} is also described by another file, which is imported",
                    config.name
                ));
                continue;
            }
            let cluster = cluster_for(design, domain.as_deref());
            let account = match account_ref {
                Some(r) => accounts.get(&r).cloned().unwrap_or(r),
                None => super::account_for(design, cluster, None),
            };
            if let Some(c) = design.cluster_mut(cluster) {
                c.accounts.entry(account.clone()).or_insert_with(|| Account::new(true, Vec::new()));
            }
            design.add_stream(cluster, account, config);
        }
    }
    for (what, domain, (stream, consumer)) in consumers {
        match existing(design, domain.as_deref(), &stream).and_then(|id| design.stream_mut(id)) {
            Some(s) if s.consumers.iter().any(|c| c.durable == consumer.durable) => {
                notes.push(format!("{what}: skipped: stream {stream} has a consumer {} already", consumer.durable));
            }
            Some(s) => s.consumers.push(consumer),
            None => notes.push(format!("{what}: skipped: no stream {stream:?} in its domain")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_read_as_go_reads_them() {
        assert_eq!(parse_go_duration("30s"), Some(30_000_000_000));
        assert_eq!(parse_go_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(parse_go_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(parse_go_duration("250ms"), Some(250_000_000));
        assert_eq!(parse_go_duration("1ns"), Some(1));
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("-2s"), Some(-2_000_000_000));
        for bad in ["", "s", "10", "10x", "1e400h"] {
            assert_eq!(parse_go_duration(bad), None, "{bad}");
        }
    }
}
