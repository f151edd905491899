//! NACK resources (nats-io/nack, the JetStream controller; CRDs `jetstream.nats.io/v1beta2`,
//! `../shared/reference/schemas/nack-crds.v1beta2.yml`): one file per stream, key-value bucket,
//! object store and consumer, an `Account` per account of the connecting cluster that the
//! resources reference, and `nack/kustomization.yaml` listing them all.
//!
//! The controller connects where the nats CLI script does: to the hub (the first hub, else the
//! first cluster with a leafnode listener, else the first cluster), through the chart's client
//! service `nats://nats:4222` (release `nats`, the controller in the same namespace). Each
//! resource names the `Account` of its stream's account (`spec.account`), whose user and
//! password come from a Kubernetes secret the files only name (`nack-<account>`, keys `user` and
//! `password`): no secret is ever written. Each resource of a cluster with a JetStream domain
//! carries `jsDomain`, so it is created in its own domain through the hub's leafnodes, as the
//! script's `--js-domain`; mirrors and sources carry `externalApiPrefix` (the design's derived
//! or written `external.api`) and `externalDeliverPrefix` when set.
//!
//! Names: `metadata.name` must be a DNS-1123 name, so it is derived ([`dns_name`]: lower case,
//! `[a-z0-9-]`, at most 63 characters, a hash of the real name appended when the derivation lost
//! anything, `-2`, `-3`, ... when still taken); the real name stays in `spec.name`,
//! `spec.bucket`, `spec.durableName` and `spec.streamName` as data.
//!
//! Choices (the CRD's own defaults would change what the design says):
//! - `storage` and `replicas` are always written: the Stream CRD defaults `storage` to `memory`.
//! - A consumer's `ackWait` is always written (30s, the server's default, unless set): the CRD
//!   defaults it to `1ns`, which would redeliver at once.
//! - A bucket becomes a `KeyValue` / `ObjectStore` only when `nats kv add` / `nats object add`
//!   would create its stream exactly (`bucket::is_as_created`); any other bucket stream (a
//!   mirror, a source, a misshapen one) is a `Stream` named `KV_<b>` / `OBJ_<b>`, which clients
//!   bind to by that name.
//!
//! Not produced, and why: `republish.headersOnly` and `allow_batched` (the CRDs have no field
//! for them); `creds`, `nkey`, `servers`, `tls`, `tlsFirst` on each resource (the `Account`
//! holds the connection); `preventDelete` / `preventUpdate` (an operator's choice, not the
//! design's); a consumer's `backoff`, `sampleFreq`, `rateLimitBps`, `maxWaiting`, `headersOnly`,
//! `maxRequest*`, `inactiveThreshold`, `pauseUntil`, priority groups, `memStorage` and
//! `metadata` (the design does not model them); a KeyValue's `limitMarkerTtl` and `republish`
//! (the design's buckets have none); the Account's `tls`, `token`, `creds` and `nkey` (the
//! design's hub users have passwords).

use super::cli_script::UniquePaths;
use super::{comment_text, header, ExportedFile};
use crate::model::bucket::{self, BucketKind, KvSettings, ObjSettings};
use crate::model::consumer::{Consumer, DeliverPolicy};
use crate::model::stream::{Compression, Nanos, Stream, StreamConfig, StreamSource, SECOND};
use crate::model::{Cluster, ClusterId, Design, Role};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The API version of every resource.
pub const API_VERSION: &str = "jetstream.nats.io/v1beta2";

/// The hub's client service as the chart names it (release `nats`).
pub const SERVER_URL: &str = "nats://nats:4222";

/// The server's ack wait when none is set (nats-server `JsAckWaitDefault`).
const DEFAULT_ACK_WAIT: Nanos = 30 * SECOND;

/// The longest `metadata.name` written: a DNS-1123 label's 63 characters.
const MAX_NAME: usize = 63;

/// A DNS-1123 name for `raw`: lower-case ASCII letters and digits, other runs as one `-`,
/// trimmed, at most 63 characters; when anything was lost (case, characters, length), 8 hex
/// digits of a hash of `raw` are appended, so distinct names stay distinct. Never empty.
pub fn dns_name(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if c.is_ascii_uppercase() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-').to_owned();
    if trimmed == raw && !trimmed.is_empty() && trimmed.len() <= MAX_NAME {
        return trimmed;
    }
    // FNV-1a, 32 bits: stable and dependency-free.
    let hash = raw.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    let keep = MAX_NAME - 9;
    let mut stem: String = trimmed.chars().take(keep).collect();
    while stem.ends_with('-') {
        stem.pop();
    }
    if stem.is_empty() {
        format!("x-{hash:08x}")
    } else {
        format!("{stem}-{hash:08x}")
    }
}

/// `metadata.name`s of one kind, unique.
#[derive(Default)]
struct Names {
    taken: BTreeMap<String, ()>,
}

impl Names {
    fn claim(&mut self, raw: &str) -> String {
        let base = dns_name(raw);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains_key(&name) {
            let suffix = format!("-{n}");
            let cut: String = base.chars().take(MAX_NAME - suffix.len()).collect();
            name = format!("{}{suffix}", cut.trim_end_matches('-'));
            n += 1;
        }
        self.taken.insert(name.clone(), ());
        name
    }
}

/// A Go duration string (`30s`, `500ms`, `2h`) for nanoseconds, in the largest exact unit.
pub fn go_duration(nanos: Nanos) -> String {
    const UNITS: [(Nanos, &str); 6] =
        [(3600 * SECOND, "h"), (60 * SECOND, "m"), (SECOND, "s"), (1_000_000, "ms"), (1_000, "us"), (1, "ns")];
    if nanos == 0 {
        return "0s".to_owned();
    }
    let (size, unit) = UNITS.iter().find(|(size, _)| nanos % size == 0).copied().unwrap_or((1, "ns"));
    format!("{}{unit}", nanos / size)
}

/// The cluster the controller connects to (as the nats CLI script's hub).
fn connecting_cluster(design: &Design) -> Option<(ClusterId, &Cluster)> {
    design
        .clusters()
        .find(|(_, c)| c.role == Role::Hub)
        .or_else(|| design.clusters().find(|(_, c)| c.leafnode_listener.is_some()))
        .or_else(|| design.clusters().next())
}

/// The name of the secret an `Account` reads its user and password from.
pub fn secret_name(account_resource: &str) -> String {
    format!("nack-{account_resource}")
}

fn resource(kind: &str, name: &str, spec: Map<String, Value>) -> Value {
    json!({"apiVersion": API_VERSION, "kind": kind, "metadata": {"name": name}, "spec": Value::Object(spec)})
}

/// YAML as Kubernetes reads it (go-yaml, YAML 1.1: words like `no` quoted), after a header.
fn yaml_file(design: &Design, path: String, what: &str, value: &Value) -> ExportedFile {
    let body = serde_yaml::to_string(value).expect("plain maps, lists and scalars always serialize");
    let contents = format!("# {}\n{}", header(design, what), super::helm::helm_safe(&body));
    ExportedFile { path, contents }
}

fn origin_spec(design: &Design, stream: &Stream, source: &StreamSource, name: String) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), name.into());
    if let Some(seq) = source.opt_start_seq {
        m.insert("optStartSeq".into(), seq.into());
    }
    if let Some(t) = &source.opt_start_time {
        m.insert("optStartTime".into(), t.clone().into());
    }
    if let Some(f) = &source.filter_subject {
        m.insert("filterSubject".into(), f.clone().into());
    }
    if let Some(api) = design.effective_api(stream, source) {
        m.insert("externalApiPrefix".into(), api.into());
    }
    if let Some(deliver) = source.deliver.as_ref().filter(|d| !d.is_empty()) {
        m.insert("externalDeliverPrefix".into(), deliver.clone().into());
    }
    if !source.subject_transforms.is_empty() {
        let t: Vec<Value> =
            source.subject_transforms.iter().map(|t| json!({"source": t.src, "dest": t.dest})).collect();
        m.insert("subjectTransforms".into(), t.into());
    }
    Value::Object(m)
}

fn placement(config: &StreamConfig, m: &mut Map<String, Value>) {
    if let Some(p) = &config.placement {
        let mut pm = Map::new();
        if let Some(c) = p.cluster.as_ref().filter(|c| !c.is_empty()) {
            pm.insert("cluster".into(), c.clone().into());
        }
        if !p.tags.is_empty() {
            pm.insert("tags".into(), p.tags.clone().into());
        }
        m.insert("placement".into(), Value::Object(pm));
    }
}

fn replicas(n: i64) -> i64 {
    n.max(1)
}

fn stream_spec(design: &Design, stream: &Stream) -> Map<String, Value> {
    let c = &stream.config;
    let mut m = Map::new();
    m.insert("name".into(), c.name.clone().into());
    if let Some(d) = &c.description {
        m.insert("description".into(), d.clone().into());
    }
    if !c.subjects.is_empty() {
        m.insert("subjects".into(), c.subjects.clone().into());
    }
    m.insert("retention".into(), c.retention.as_str().into());
    m.insert("maxConsumers".into(), c.max_consumers.into());
    m.insert("maxMsgs".into(), c.max_msgs.into());
    m.insert("maxBytes".into(), c.max_bytes.into());
    m.insert("maxMsgsPerSubject".into(), c.max_msgs_per_subject.into());
    m.insert("maxMsgSize".into(), c.max_msg_size.into());
    if c.max_age != 0 {
        m.insert("maxAge".into(), go_duration(c.max_age).into());
    }
    m.insert("storage".into(), c.storage.as_str().into());
    m.insert("replicas".into(), replicas(c.num_replicas).into());
    m.insert("discard".into(), c.discard.as_str().into());
    let flags = [
        ("noAck", c.no_ack),
        ("discardPerSubject", c.discard_new_per_subject),
        ("sealed", c.sealed),
        ("denyDelete", c.deny_delete),
        ("denyPurge", c.deny_purge),
        ("allowRollup", c.allow_rollup_hdrs),
        ("allowDirect", c.allow_direct),
        ("mirrorDirect", c.mirror_direct),
        ("allowMsgTtl", c.allow_msg_ttl),
        ("allowMsgCounter", c.allow_msg_counter),
        ("allowAtomicPublish", c.allow_atomic),
        ("allowMsgSchedules", c.allow_msg_schedules),
    ];
    for (key, on) in flags {
        if on {
            m.insert(key.into(), true.into());
        }
    }
    if let Some(w) = c.duplicate_window {
        m.insert("duplicateWindow".into(), go_duration(w).into());
    }
    placement(c, &mut m);
    if let Some(mirror) = &c.mirror {
        m.insert("mirror".into(), origin_spec(design, stream, mirror, mirror.name.clone()));
    }
    if !c.sources.is_empty() {
        let sources: Vec<Value> = c.sources.iter().map(|s| origin_spec(design, stream, s, s.name.clone())).collect();
        m.insert("sources".into(), sources.into());
    }
    if c.compression == Compression::S2 {
        m.insert("compression".into(), "s2".into());
    }
    if let Some(seq) = c.first_seq {
        m.insert("firstSequence".into(), seq.into());
    }
    if let Some(t) = &c.subject_transform {
        m.insert("subjectTransform".into(), json!({"source": t.src, "dest": t.dest}));
    }
    if let Some(r) = &c.republish {
        m.insert("republish".into(), json!({"source": r.src, "destination": r.dest}));
    }
    if let Some(ttl) = c.subject_delete_marker_ttl {
        m.insert("subjectDeleteMarkerTtl".into(), go_duration(ttl).into());
    }
    if let Some(mode) = &c.persist_mode {
        m.insert("persistMode".into(), mode.clone().into());
    }
    if let Some(limits) = &c.consumer_limits {
        let mut l = Map::new();
        if let Some(t) = limits.inactive_threshold {
            l.insert("inactiveThreshold".into(), go_duration(t).into());
        }
        if let Some(n) = limits.max_ack_pending {
            l.insert("maxAckPending".into(), n.into());
        }
        m.insert("consumerLimits".into(), Value::Object(l));
    }
    if !c.metadata.is_empty() {
        let meta: Map<String, Value> = c.metadata.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
        m.insert("metadata".into(), Value::Object(meta));
    }
    m
}

fn kv_spec(name: &str, c: &StreamConfig) -> Map<String, Value> {
    let s = KvSettings::of(c);
    let mut m = Map::new();
    m.insert("bucket".into(), name.into());
    if let Some(d) = &s.description {
        m.insert("description".into(), d.clone().into());
    }
    m.insert("history".into(), s.history.into());
    if s.ttl != 0 {
        m.insert("ttl".into(), go_duration(s.ttl).into());
    }
    m.insert("maxValueSize".into(), s.max_value_size.into());
    m.insert("maxBytes".into(), s.max_bytes.into());
    m.insert("storage".into(), s.storage.as_str().into());
    m.insert("replicas".into(), replicas(s.replicas).into());
    placement(c, &mut m);
    if s.compression == Compression::S2 {
        m.insert("compression".into(), true.into());
    }
    m
}

fn obj_spec(name: &str, c: &StreamConfig) -> Map<String, Value> {
    let s = ObjSettings::of(c);
    let mut m = Map::new();
    m.insert("bucket".into(), name.into());
    if let Some(d) = &s.description {
        m.insert("description".into(), d.clone().into());
    }
    if s.ttl != 0 {
        m.insert("ttl".into(), go_duration(s.ttl).into());
    }
    m.insert("maxBytes".into(), s.max_bytes.into());
    m.insert("storage".into(), s.storage.as_str().into());
    m.insert("replicas".into(), replicas(s.replicas).into());
    placement(c, &mut m);
    if s.compression == Compression::S2 {
        m.insert("compression".into(), true.into());
    }
    m
}

/// The CRD's spelling of a deliver policy (camel case: `byStartSequence`).
pub fn deliver_policy(p: DeliverPolicy) -> &'static str {
    match p {
        DeliverPolicy::All => "all",
        DeliverPolicy::Last => "last",
        DeliverPolicy::New => "new",
        DeliverPolicy::ByStartSequence => "byStartSequence",
        DeliverPolicy::ByStartTime => "byStartTime",
        DeliverPolicy::LastPerSubject => "lastPerSubject",
    }
}

/// The Consumer resource's spec (without `account` and `jsDomain`).
pub fn consumer_spec(stream: &str, c: &Consumer) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("streamName".into(), stream.into());
    m.insert("durableName".into(), c.durable.clone().into());
    if let Some(d) = &c.description {
        m.insert("description".into(), d.clone().into());
    }
    if let Some(s) = &c.deliver_subject {
        m.insert("deliverSubject".into(), s.clone().into());
    }
    if let Some(g) = &c.deliver_group {
        m.insert("deliverGroup".into(), g.clone().into());
    }
    match c.filter_subjects.as_slice() {
        [] => {}
        [one] => _ = m.insert("filterSubject".into(), one.clone().into()),
        many => _ = m.insert("filterSubjects".into(), many.to_vec().into()),
    }
    m.insert("deliverPolicy".into(), deliver_policy(c.deliver_policy).into());
    if let Some(seq) = c.opt_start_seq {
        m.insert("optStartSeq".into(), seq.into());
    }
    if let Some(t) = &c.opt_start_time {
        m.insert("optStartTime".into(), t.clone().into());
    }
    m.insert("ackPolicy".into(), c.ack_policy.as_str().into());
    m.insert("ackWait".into(), go_duration(c.ack_wait.unwrap_or(DEFAULT_ACK_WAIT)).into());
    if let Some(n) = c.max_deliver {
        m.insert("maxDeliver".into(), n.into());
    }
    if let Some(n) = c.max_ack_pending {
        m.insert("maxAckPending".into(), n.into());
    }
    m.insert("replayPolicy".into(), "instant".into());
    if c.replicas != 0 {
        m.insert("replicas".into(), c.replicas.into());
    }
    if c.flow_control {
        m.insert("flowControl".into(), true.into());
    }
    if let Some(h) = c.idle_heartbeat {
        m.insert("heartbeatInterval".into(), go_duration(h).into());
    }
    m
}

/// How a stream is exported: as a bucket resource when natscli's shape, else as a Stream.
fn bucket_resource(config: &StreamConfig) -> Option<(BucketKind, &str)> {
    let b = bucket::bucket_of(config)?;
    bucket::is_as_created(config).then_some((b.kind, b.name))
}

/// Every NACK file of the design, `nack/...`, and `nack/kustomization.yaml` listing them; empty
/// when the design has no streams.
pub fn render(design: &Design) -> Vec<ExportedFile> {
    let Some((_, hub)) = connecting_cluster(design) else { return Vec::new() };
    if design.streams().next().is_none() {
        return Vec::new();
    }
    let mut paths = UniquePaths::default();
    let mut names: BTreeMap<&str, Names> = BTreeMap::new();
    let mut claim = |kind: &'static str, raw: &str| names.entry(kind).or_default().claim(raw);

    // Accounts first: one per account a stream is in, in name order.
    let mut accounts: BTreeMap<String, String> = BTreeMap::new();
    for stream in design.streams() {
        if !accounts.contains_key(&stream.account) {
            let name = claim("Account", &format!("{}-{}", hub.name, stream.account));
            accounts.insert(stream.account.clone(), name);
        }
    }
    let mut files = Vec::new();
    for (account, name) in &accounts {
        let mut spec = Map::new();
        // The Account's own name has the CRD's name pattern: the account's, when it fits.
        let label =
            if !account.is_empty() && !account.contains(['.', '*', '>']) { account.clone() } else { name.clone() };
        spec.insert("name".into(), label.into());
        spec.insert("servers".into(), json!([SERVER_URL]));
        spec.insert(
            "user".into(),
            json!({"secret": {"name": secret_name(name)}, "user": "user", "password": "password"}),
        );
        let path = paths.claim(&format!("nack/account-{name}"), ".yaml");
        let what = format!(
            "NACK Account for account {} of cluster {} (reads secret {} with keys user and password)",
            comment_text(account),
            comment_text(&hub.name),
            secret_name(name)
        );
        files.push(yaml_file(design, path, &what, &resource("Account", name, spec)));
    }

    for stream in design.streams() {
        let cluster = design.cluster(stream.cluster);
        let cluster_name = cluster.map_or("_", |c| c.name.as_str());
        let domain = cluster.and_then(Cluster::domain);
        let connection = |m: &mut Map<String, Value>| {
            m.insert("account".into(), accounts[&stream.account].clone().into());
            if let Some(d) = domain {
                m.insert("jsDomain".into(), d.into());
            }
        };
        let (kind, mut spec, raw) = match bucket_resource(&stream.config) {
            Some((BucketKind::KeyValue, b)) => {
                ("KeyValue", kv_spec(b, &stream.config), format!("{cluster_name}-kv-{b}"))
            }
            Some((BucketKind::ObjectStore, b)) => {
                ("ObjectStore", obj_spec(b, &stream.config), format!("{cluster_name}-obj-{b}"))
            }
            None => ("Stream", stream_spec(design, stream), format!("{cluster_name}-{}", stream.config.name)),
        };
        connection(&mut spec);
        let name = claim(kind, &raw);
        let path = paths.claim(&format!("nack/{}-{name}", kind.to_ascii_lowercase()), ".yaml");
        let what = format!(
            "NACK {kind} for stream {} of cluster {}",
            comment_text(&stream.config.name),
            comment_text(cluster_name)
        );
        files.push(yaml_file(design, path, &what, &resource(kind, &name, spec)));

        for consumer in &stream.consumers {
            let mut spec = consumer_spec(&stream.config.name, consumer);
            connection(&mut spec);
            let name = claim("Consumer", &format!("{cluster_name}-{}-{}", stream.config.name, consumer.durable));
            let path = paths.claim(&format!("nack/consumer-{name}"), ".yaml");
            let what = format!(
                "NACK Consumer {} of stream {} of cluster {}",
                comment_text(&consumer.durable),
                comment_text(&stream.config.name),
                comment_text(cluster_name)
            );
            files.push(yaml_file(design, path, &what, &resource("Consumer", &name, spec)));
        }
    }

    let listed: Vec<Value> =
        files.iter().map(|f| Value::from(f.path.strip_prefix("nack/").unwrap_or(&f.path).to_owned())).collect();
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": listed,
    });
    files.push(yaml_file(
        design,
        "nack/kustomization.yaml".into(),
        "kustomization of the NACK resources",
        &kustomization,
    ));
    files
}

#[cfg(test)]
mod tests;
