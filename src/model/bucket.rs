//! Key-value buckets and object stores: streams of a fixed shape, known by their names.
//!
//! A bucket is not a second entity next to its stream. Clients find a bucket by its stream's
//! name (nats.go binds bucket `b` to stream `KV_b`, object store `b` to `OBJ_b`), so the design
//! does the same: a stream named `KV_<b>` is key-value bucket `b`, one named `OBJ_<b>` object
//! store `b`, and a bucket's settings are read from (and written into) its stream's
//! configuration: history is `max_msgs_per_subject`, the TTL `max_age`, the maximum value size
//! `max_msg_size`, and so on. Nothing is stored twice, every stream rule and exporter sees the
//! bucket's stream as the server will, and a file holding a misshapen `KV_` stream stays
//! representable, so that `bucket-stream-shape` can say what is wrong with it.
//!
//! The shape is what natscli v0.5.0 sends to the server, measured on 2.9.10 and 2.15.1 by
//! subscribing to `$JS.API.STREAM.CREATE.>` while running `nats kv add` / `nats object add`:
//!
//! - `nats kv add b --history 3`: subjects `$KV.b.>`, `max_msgs_per_subject` 3, `discard: new`,
//!   `deny_delete`, `allow_rollup_hdrs`, `allow_direct`, `duplicate_window` 2m (the TTL when a
//!   TTL under 2m is given), `max_msg_size` from `--max-value-size`, `max_bytes` from
//!   `--max-bucket-size`, `compression: s2` with `--compress` (2.9.10 accepts the field and
//!   ignores it: the bucket reports "Compressed: false").
//! - `nats kv add b --mirror o --mirror-domain hub`: no subjects, `mirror` `KV_o` with
//!   `external.api` `$JS.hub.API`, `mirror_direct`, otherwise as above (history 1 unless given:
//!   natscli does not copy the origin's).
//! - `nats kv add agg --source a`: source `KV_a` with the subject transform
//!   `$KV.a.>` → `$KV.agg.>`, so that the origin's keys become the aggregate's.
//! - `nats object add b`: subjects `$O.b.C.>` and `$O.b.M.>`, `discard: new`,
//!   `allow_rollup_hdrs`, `allow_direct`, no `deny_delete`, no `max_msgs_per_subject`, no
//!   `duplicate_window`, `max_age` from `--ttl`. The server stores the window it defaults to
//!   (2m, or the TTL when shorter), and so does the derived stream, which is what
//!   `nats stream info` shows.

use super::command::Command;
use super::edit::{self, ConnectError};
use super::ids::{ClusterId, StreamId};
use super::stream::{
    Compression, Discard, Nanos, Placement, Storage, StreamConfig, StreamSource, SubjectTransform, SECOND,
};
use super::topology::Design;

/// nats.go `KeyValueMaxHistory`.
pub const KV_MAX_HISTORY: i64 = 64;

/// The duplicate window natscli and nats.go give a bucket whose TTL is not shorter.
pub const KV_DUPLICATE_WINDOW: Nanos = 120 * SECOND;

/// Which kind of bucket a stream is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BucketKind {
    KeyValue,
    ObjectStore,
}

impl BucketKind {
    /// The stream name's prefix: `KV_` or `OBJ_`.
    pub fn prefix(self) -> &'static str {
        match self {
            BucketKind::KeyValue => "KV_",
            BucketKind::ObjectStore => "OBJ_",
        }
    }

    /// How messages name it: "key-value bucket", "object store".
    pub fn noun(self) -> &'static str {
        match self {
            BucketKind::KeyValue => "key-value bucket",
            BucketKind::ObjectStore => "object store",
        }
    }

    /// The stream a bucket of this kind named `bucket` lives in.
    pub fn stream_name(self, bucket: &str) -> String {
        format!("{}{bucket}", self.prefix())
    }

    /// The subjects of that stream.
    pub fn subjects(self, bucket: &str) -> Vec<String> {
        match self {
            BucketKind::KeyValue => vec![format!("$KV.{bucket}.>")],
            BucketKind::ObjectStore => vec![format!("$O.{bucket}.C.>"), format!("$O.{bucket}.M.>")],
        }
    }
}

/// A stream seen as a bucket: its kind and the bucket's name (which may be empty or invalid;
/// `bucket-name-invalid` says so).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket<'a> {
    pub kind: BucketKind,
    pub name: &'a str,
}

/// The bucket a stream configuration is, by its name.
pub fn bucket_of(config: &StreamConfig) -> Option<Bucket<'_>> {
    bucket_of_name(&config.name)
}

/// The bucket a stream name stands for: `KV_b` → key-value bucket `b`, `OBJ_b` → object store `b`.
pub fn bucket_of_name(stream: &str) -> Option<Bucket<'_>> {
    [BucketKind::KeyValue, BucketKind::ObjectStore]
        .into_iter()
        .find_map(|kind| stream.strip_prefix(kind.prefix()).map(|name| Bucket { kind, name }))
}

/// nats.go `validBucketRe`: `[A-Za-z0-9_-]+`.
pub fn is_valid_bucket_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The duplicate window natscli gives a bucket with this TTL: 2m, or the TTL when shorter.
pub fn kv_duplicate_window(ttl: Nanos) -> Nanos {
    if ttl > 0 && ttl < KV_DUPLICATE_WINDOW {
        ttl
    } else {
        KV_DUPLICATE_WINDOW
    }
}

/// What `nats kv add` asks for, as fields of the bucket's stream.
#[derive(Clone, Debug, PartialEq)]
pub struct KvSettings {
    pub description: Option<String>,
    /// Values kept per key (`max_msgs_per_subject`), 1 to 64.
    pub history: i64,
    /// How long values are kept (`max_age`); 0 for ever.
    pub ttl: Nanos,
    /// `max_msg_size`; -1 for no limit.
    pub max_value_size: i64,
    /// `max_bytes`; -1 for no limit.
    pub max_bytes: i64,
    pub storage: Storage,
    pub replicas: i64,
    pub placement: Option<Placement>,
    /// S2 compression: 2.10 onwards (2.9 ignores it).
    pub compression: Compression,
}

impl Default for KvSettings {
    fn default() -> Self {
        Self {
            description: None,
            history: 1,
            ttl: 0,
            max_value_size: -1,
            max_bytes: -1,
            storage: Storage::File,
            replicas: 1,
            placement: None,
            compression: Compression::None,
        }
    }
}

impl KvSettings {
    /// The settings a bucket's stream holds.
    pub fn of(config: &StreamConfig) -> Self {
        Self {
            description: config.description.clone(),
            history: config.max_msgs_per_subject,
            ttl: config.max_age,
            max_value_size: config.max_msg_size,
            max_bytes: config.max_bytes,
            storage: config.storage,
            replicas: config.num_replicas,
            placement: config.placement.clone(),
            compression: config.compression,
        }
    }

    /// Writes the settings into a bucket's stream, with the duplicate window natscli derives
    /// from the TTL; the rest of the configuration (name, subjects, mirror, sources) stays.
    pub fn write(&self, config: &mut StreamConfig) {
        config.description = self.description.clone();
        config.max_msgs_per_subject = self.history;
        config.max_age = self.ttl;
        config.duplicate_window = Some(kv_duplicate_window(self.ttl));
        config.max_msg_size = self.max_value_size;
        config.max_bytes = self.max_bytes;
        config.storage = self.storage;
        config.num_replicas = self.replicas;
        config.placement = self.placement.clone();
        config.compression = self.compression;
    }
}

/// What `nats object add` asks for, as fields of the store's stream.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjSettings {
    pub description: Option<String>,
    /// `max_age`; 0 for ever.
    pub ttl: Nanos,
    /// `max_bytes`; -1 for no limit.
    pub max_bytes: i64,
    pub storage: Storage,
    pub replicas: i64,
    pub placement: Option<Placement>,
    pub compression: Compression,
}

impl Default for ObjSettings {
    fn default() -> Self {
        Self {
            description: None,
            ttl: 0,
            max_bytes: -1,
            storage: Storage::File,
            replicas: 1,
            placement: None,
            compression: Compression::None,
        }
    }
}

impl ObjSettings {
    pub fn of(config: &StreamConfig) -> Self {
        Self {
            description: config.description.clone(),
            ttl: config.max_age,
            max_bytes: config.max_bytes,
            storage: config.storage,
            replicas: config.num_replicas,
            placement: config.placement.clone(),
            compression: config.compression,
        }
    }

    /// Writes the settings into an object store's stream, with the duplicate window the server
    /// gives it (natscli sends none; the server stores 2m, or the TTL when shorter).
    pub fn write(&self, config: &mut StreamConfig) {
        config.description = self.description.clone();
        config.max_age = self.ttl;
        config.duplicate_window = Some(kv_duplicate_window(self.ttl));
        config.max_bytes = self.max_bytes;
        config.storage = self.storage;
        config.num_replicas = self.replicas;
        config.placement = self.placement.clone();
        config.compression = self.compression;
    }
}

/// The fields every key-value bucket's stream has, whatever its settings.
fn kv_shape(bucket: &str) -> StreamConfig {
    let mut config = StreamConfig::new(BucketKind::KeyValue.stream_name(bucket));
    config.subjects = BucketKind::KeyValue.subjects(bucket);
    config.discard = Discard::New;
    config.deny_delete = true;
    config.allow_rollup_hdrs = true;
    config.allow_direct = true;
    config
}

/// The stream of key-value bucket `bucket` as `nats kv add` creates it.
pub fn kv_config(bucket: &str, settings: &KvSettings) -> StreamConfig {
    let mut config = kv_shape(bucket);
    settings.write(&mut config);
    config
}

/// The stream of object store `bucket` as `nats object add` creates it.
pub fn obj_config(bucket: &str, settings: &ObjSettings) -> StreamConfig {
    let mut config = StreamConfig::new(BucketKind::ObjectStore.stream_name(bucket));
    config.subjects = BucketKind::ObjectStore.subjects(bucket);
    config.discard = Discard::New;
    config.allow_rollup_hdrs = true;
    config.allow_direct = true;
    settings.write(&mut config);
    config
}

/// A mirror of key-value bucket `origin` (its stream `KV_<origin>`), named `KV_<origin>` as
/// clients bind by name: no subjects, `mirror_direct`, the origin's settings. `origin_cluster`
/// lets the design derive `external.api` when the mirror lives in another domain.
pub fn kv_mirror_config(origin: &str, origin_cluster: Option<ClusterId>, settings: &KvSettings) -> StreamConfig {
    let mut config = kv_config(origin, settings);
    config.subjects.clear();
    config.mirror_direct = true;
    config.mirror = Some(StreamSource {
        name: BucketKind::KeyValue.stream_name(origin),
        origin_cluster,
        ..StreamSource::default()
    });
    config
}

/// A source of key-value bucket `origin` for bucket `into`, as `nats kv add --source` writes
/// it: the origin's keys are moved into `into`'s subjects when the names differ.
pub fn kv_source(origin: &str, into: &str, origin_cluster: Option<ClusterId>) -> StreamSource {
    let subject_transforms = if origin == into {
        Vec::new()
    } else {
        vec![SubjectTransform { src: format!("$KV.{origin}.>"), dest: format!("$KV.{into}.>") }]
    };
    StreamSource {
        name: BucketKind::KeyValue.stream_name(origin),
        origin_cluster,
        subject_transforms,
        ..StreamSource::default()
    }
}

/// Where a stream named like a bucket departs from what clients expect of one: each fault in
/// words. Subjects (none for a mirror, which takes its origin's) and `allow_rollup_hdrs` (nats.go
/// purges and deletes with roll-ups). `max_msgs_per_subject` is the history itself, so a bad one
/// is `kv-history-out-of-range`'s to report.
pub fn shape_faults(config: &StreamConfig) -> Vec<String> {
    let Some(bucket) = bucket_of(config) else { return Vec::new() };
    let mut faults = Vec::new();
    let expected = bucket.kind.subjects(bucket.name);
    if config.mirror.is_none() && config.subjects != expected {
        faults.push(format!("its subjects are {:?}, not {:?}", config.subjects, expected));
    }
    if !config.allow_rollup_hdrs {
        faults.push("allow_rollup_hdrs is off".to_owned());
    }
    faults
}

/// Whether `nats kv add` / `nats object add` with flags recreates this stream exactly: a bucket
/// of valid name, no mirror, sources, metadata, republish or other field the flags cannot set.
pub fn is_as_created(config: &StreamConfig) -> bool {
    let Some(bucket) = bucket_of(config) else { return false };
    if !is_valid_bucket_name(bucket.name) {
        return false;
    }
    // natscli refuses a history outside 1 to 64 ("history: must be greater than or equal to 1").
    if bucket.kind == BucketKind::KeyValue && !(1..=KV_MAX_HISTORY).contains(&config.max_msgs_per_subject) {
        return false;
    }
    let expected = match bucket.kind {
        BucketKind::KeyValue => kv_config(bucket.name, &KvSettings::of(config)),
        BucketKind::ObjectStore => obj_config(bucket.name, &ObjSettings::of(config)),
    };
    *config == expected
}

/// A bucket name based on `base` that no bucket of `kind` has yet: `config-1`.
pub fn unique_bucket_name(design: &Design, kind: BucketKind, base: &str) -> String {
    edit::unique(base, false, |name| design.streams().any(|s| s.config.name == kind.stream_name(name)))
}

/// Replicas for a new bucket in `cluster`: 3 when it has three servers, else 1.
fn replicas_for(design: &Design, cluster: ClusterId) -> i64 {
    if design.cluster(cluster).is_some_and(|c| c.servers >= 3) {
        3
    } else {
        1
    }
}

/// A new key-value bucket for `cluster`: a unique name, history 1, replicas as for streams.
pub fn new_kv(design: &Design, cluster: ClusterId) -> StreamConfig {
    let name = unique_bucket_name(design, BucketKind::KeyValue, "bucket");
    kv_config(&name, &KvSettings { replicas: replicas_for(design, cluster), ..KvSettings::default() })
}

/// A new object store for `cluster`.
pub fn new_object_store(design: &Design, cluster: ClusterId) -> StreamConfig {
    let name = unique_bucket_name(design, BucketKind::ObjectStore, "store");
    obj_config(&name, &ObjSettings { replicas: replicas_for(design, cluster), ..ObjSettings::default() })
}

/// Adds a bucket's stream to `cluster` in its default account; undone by removing it.
pub fn add(design: &Design, cluster: ClusterId, config: StreamConfig) -> Command {
    Command::AddStream { cluster, account: edit::default_account(design, cluster), config: Box::new(config) }
}

/// Removes a bucket (its stream); what copies from it goes too, as for any stream.
pub fn remove(stream: StreamId) -> Command {
    Command::RemoveElements { clusters: Vec::new(), streams: vec![stream] }
}

/// Sets a key-value bucket's settings; `None` when the stream is not a key-value bucket.
pub fn set_kv(design: &Design, stream: StreamId, settings: &KvSettings) -> Option<Command> {
    let s = design.stream(stream)?;
    (bucket_of(&s.config)?.kind == BucketKind::KeyValue).then_some(())?;
    let mut config = s.config.clone();
    settings.write(&mut config);
    Some(Command::SetStreamConfig { stream, config: Box::new(config) })
}

/// Sets an object store's settings; `None` when the stream is not an object store.
pub fn set_obj(design: &Design, stream: StreamId, settings: &ObjSettings) -> Option<Command> {
    let s = design.stream(stream)?;
    (bucket_of(&s.config)?.kind == BucketKind::ObjectStore).then_some(())?;
    let mut config = s.config.clone();
    settings.write(&mut config);
    Some(Command::SetStreamConfig { stream, config: Box::new(config) })
}

/// Renames a bucket: its stream's name and subjects follow (a mirror keeps having none, and a
/// mirror's own name is what `bucket-mirror-name` checks). `None` when not a bucket.
pub fn rename(design: &Design, stream: StreamId, name: &str) -> Option<Command> {
    let s = design.stream(stream)?;
    let kind = bucket_of(&s.config)?.kind;
    let mut config = s.config.clone();
    config.name = kind.stream_name(name);
    if config.mirror.is_none() {
        config.subjects = kind.subjects(name);
    }
    Some(Command::SetStreamConfig { stream, config: Box::new(config) })
}

/// "Mirror into…": a mirror of key-value bucket `bucket` in `site`, under the bucket's own
/// stream name `KV_<b>` (clients there bind by name), with `mirror_direct` and the origin's
/// settings; replicas as the site allows. Refused when `site` already holds a stream of that
/// name in the bucket's account and the site's domain, or when the mirror would not resolve to
/// the bucket (same domain without a way to tell them apart).
pub fn mirror_into(design: &Design, bucket: StreamId, site: ClusterId) -> Result<Command, ConnectError> {
    mirror_into_among(design, bucket, site, design.streams())
}

/// `mirror_into` where `candidates` holds at least every stream named like the mirror (the
/// rules pass a name index's bucket rather than scan the design for each site).
pub(crate) fn mirror_into_among<'a>(
    design: &Design,
    bucket: StreamId,
    site: ClusterId,
    candidates: impl IntoIterator<Item = &'a super::stream::Stream>,
) -> Result<Command, ConnectError> {
    let origin = design.stream(bucket).ok_or(ConnectError::Gone)?;
    let site_cluster = design.cluster(site).ok_or(ConnectError::Gone)?;
    let Some(b) = bucket_of(&origin.config).filter(|b| b.kind == BucketKind::KeyValue) else {
        return Err(ConnectError::Gone);
    };
    let mut settings = KvSettings::of(&origin.config);
    settings.replicas = replicas_for(design, site);
    settings.placement = None;
    let config = kv_mirror_config(b.name, Some(origin.cluster), &settings);
    let taken = candidates.into_iter().any(|s| {
        s.config.name == config.name
            && s.account == origin.account
            && design.cluster(s.cluster).map(|c| c.domain.as_str()) == Some(site_cluster.domain.as_str())
    });
    if taken {
        return Err(ConnectError::AlreadyLinked { copy: config.name.clone(), origin: origin.config.name.clone() });
    }
    Ok(Command::AddStream { cluster: site, account: origin.account.clone(), config: Box::new(config) })
}

/// "Source into…": key-value bucket `aggregate` sources bucket `origin` (another cluster's,
/// typically a site's), the origin's keys moved into the aggregate's subjects as
/// `nats kv add --source` does. Refused when either is not a key-value bucket, the aggregate
/// is a mirror, or it sources that origin already.
pub fn source_into(design: &Design, origin: StreamId, aggregate: StreamId) -> Result<Command, ConnectError> {
    let (Some(o), Some(a)) = (design.stream(origin), design.stream(aggregate)) else {
        return Err(ConnectError::Gone);
    };
    if origin == aggregate {
        return Err(ConnectError::SelfLink);
    }
    fn kv(s: &super::stream::Stream) -> Option<&str> {
        bucket_of(&s.config).filter(|b| b.kind == BucketKind::KeyValue).map(|b| b.name)
    }
    let (Some(from), Some(into)) = (kv(o), kv(a)) else { return Err(ConnectError::Gone) };
    if a.config.mirror.is_some() {
        return Err(ConnectError::MirrorHasNoSources(a.config.name.clone()));
    }
    let source = kv_source(from, into, Some(o.cluster));
    if a.config.sources.iter().any(|s| design.resolve_origin(a, s) == Some(origin)) {
        return Err(ConnectError::AlreadyLinked { copy: a.config.name.clone(), origin: o.config.name.clone() });
    }
    let mut config = a.config.clone();
    config.sources.push(source);
    Ok(Command::SetStreamConfig { stream: aggregate, config: Box::new(config) })
}

/// How the clients of one cluster reach one bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// The bucket lives here: clients open it in their own domain.
    Home,
    /// A mirror of the bucket under its own name lives in the cluster's domain: reads are local,
    /// in the own domain (writes go to the origin through the mirror's `external.api`, which
    /// nats.go follows).
    Copy(StreamId),
    /// No copy in the cluster's domain: clients must name the origin's domain
    /// (`--js-domain`, `jetstream.WithDomain`), or their requests never leave their own domain.
    OriginDomain(String),
}

/// One bucket as seen from one cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketAccess {
    pub bucket: StreamId,
    pub cluster: ClusterId,
    pub access: Access,
}

/// For every bucket that is not itself a mirror and lives in a cluster with a JetStream domain,
/// how each JetStream cluster that dials it through leafnodes (directly or through other
/// clusters: the edge sites of a hub) reaches it: at home, through a copy in its own domain, or
/// only by naming the origin's domain. A hub's clients are not counted as users of a site's
/// bucket (a hub reads what sites send it through its own streams and buckets), nor the sites
/// whose buckets a bucket sources (they feed it), nor clusters of the bucket's own domain (their clients are in that domain already). In bucket id order, then
/// cluster id order.
pub fn access(design: &Design) -> Vec<BucketAccess> {
    use super::fast_map::FastMap;
    use super::stream::Stream;
    use std::collections::{BTreeMap, BTreeSet};
    let mut dialed_by: BTreeMap<ClusterId, BTreeSet<ClusterId>> = BTreeMap::new();
    for (id, cluster) in design.clusters() {
        for to in cluster.remotes.iter().filter_map(|r| r.target).filter(|t| design.cluster(*t).is_some()) {
            dialed_by.entry(to).or_default().insert(id);
        }
    }
    // The clusters that dial each home, computed once per home.
    let mut components: BTreeMap<ClusterId, BTreeSet<ClusterId>> = BTreeMap::new();
    let mut component = |start: ClusterId| {
        components
            .entry(start)
            .or_insert_with(|| {
                let mut seen = BTreeSet::from([start]);
                let mut queue = vec![start];
                while let Some(at) = queue.pop() {
                    for next in dialed_by.get(&at).into_iter().flatten() {
                        if seen.insert(*next) {
                            queue.push(*next);
                        }
                    }
                }
                seen
            })
            .clone()
    };
    // Streams by name, in id order, so that finding copies and resolving origins is not a scan
    // of the design per bucket and site.
    let mut by_name: FastMap<&str, Vec<&Stream>> = FastMap::default();
    for stream in design.streams() {
        by_name.entry(stream.config.name.as_str()).or_default().push(stream);
    }
    let named = |name: &str| by_name.get(name).into_iter().flatten().copied();
    let origin_of = |s: &Stream, source: &StreamSource| design.resolve_origin_among(s, source, named(&source.name));
    // A bucket that sources a cluster's bucket gathers what that cluster writes; the cluster
    // feeds it rather than reading it.
    let fed_by = |stream: &Stream, cluster: ClusterId| {
        stream
            .config
            .sources
            .iter()
            .any(|s| origin_of(stream, s).and_then(|id| design.stream(id)).is_some_and(|o| o.cluster == cluster))
    };
    let mut out = Vec::new();
    for stream in design.streams() {
        if bucket_of(&stream.config).is_none() || stream.config.mirror.is_some() {
            continue;
        }
        let Some(home) = design.cluster(stream.cluster) else { continue };
        let Some(domain) = home.domain() else { continue };
        for cluster in component(stream.cluster) {
            let Some(c) = design.cluster(cluster) else { continue };
            let access = if cluster == stream.cluster {
                Access::Home
            } else if !c.jetstream || c.domain() == Some(domain) || fed_by(stream, cluster) {
                continue;
            } else {
                let copy = named(&stream.config.name).find(|s| {
                    s.account == stream.account
                        && design.cluster(s.cluster).map(|x| x.domain()) == Some(c.domain())
                        && (c.domain().is_some() || s.cluster == cluster)
                        && s.config.mirror.as_ref().and_then(|m| origin_of(s, m)) == Some(stream.id)
                });
                match copy {
                    Some(copy) => Access::Copy(copy.id),
                    None => Access::OriginDomain(domain.to_owned()),
                }
            };
            out.push(BucketAccess { bucket: stream.id, cluster, access });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster::{Cluster, Role};
    use crate::model::history::Document;
    use crate::model::stream_json;

    /// A request natscli sent, as the model reads it.
    fn sent(json: &str) -> StreamConfig {
        let value: serde_json::Value = serde_json::from_str(json).expect("a captured request");
        let mut config = stream_json::from_json(&value).expect("a stream configuration");
        // natscli sends `"consumer_limits": {}`: no limits, as the model has none.
        if config.consumer_limits == Some(Default::default()) {
            config.consumer_limits = None;
        }
        config
    }

    #[test]
    fn kv_add_with_every_flag_is_the_derived_stream() {
        let settings = KvSettings {
            history: 3,
            max_value_size: 1024,
            max_bytes: 1_048_576,
            storage: Storage::Memory,
            compression: Compression::S2,
            ..KvSettings::default()
        };
        let natscli = sent(include_str!("../../tests/fixtures/natscli-buckets/KV_tr.json"));
        assert_eq!(kv_config("tr", &settings), natscli);
        assert_eq!(KvSettings::of(&natscli), settings);
        assert!(is_as_created(&natscli));
    }

    #[test]
    fn object_add_is_the_derived_stream_once_the_server_fills_its_defaults() {
        let settings = ObjSettings {
            ttl: 3600 * SECOND,
            max_bytes: 1_000_000,
            compression: Compression::S2,
            ..ObjSettings::default()
        };
        let mut natscli = sent(include_str!("../../tests/fixtures/natscli-buckets/OBJ_ob.json"));
        // natscli sends 0 for the limits it leaves alone and an empty placement; the server
        // stores -1 and no placement (`nats stream info --json` of `nats object add files`).
        assert_eq!((natscli.max_consumers, natscli.max_msgs, natscli.max_msgs_per_subject), (0, 0, 0));
        natscli.max_consumers = -1;
        natscli.max_msgs = -1;
        natscli.max_msgs_per_subject = -1;
        natscli.placement = None;
        // No window is sent; the server stores its default (info-hub.OBJ_files.json: 2m).
        assert_eq!(natscli.duplicate_window, None);
        natscli.duplicate_window = Some(KV_DUPLICATE_WINDOW);
        assert_eq!(obj_config("ob", &settings), natscli);
        assert!(is_as_created(&natscli));
    }

    #[test]
    fn kv_sources_move_keys_into_the_aggregate() {
        let natscli = sent(include_str!("../../tests/fixtures/natscli-buckets/KV_agg.json"));
        let mut derived = kv_config("agg", &KvSettings::default());
        derived.sources = vec![kv_source("cfg", "agg", None), kv_source("short", "agg", None)];
        assert_eq!(derived, natscli);
        assert!(!is_as_created(&natscli), "sources are written with nats stream add --config");
        assert!(kv_source("cfg", "cfg", None).subject_transforms.is_empty());
    }

    #[test]
    fn kv_mirror_across_domains_is_the_derived_stream() {
        let natscli = sent(include_str!("../../tests/fixtures/natscli-buckets/KV_cfg2.json"));
        let mut derived = kv_mirror_config("cfg", None, &KvSettings { history: 5, ..KvSettings::default() });
        derived.name = "KV_cfg2".into();
        let mirror = derived.mirror.as_mut().expect("a mirror");
        mirror.api = Some("$JS.hub.API".into());
        mirror.deliver = natscli.mirror.as_ref().and_then(|m| m.deliver.clone());
        assert_eq!(derived, natscli);
        assert!(shape_faults(&natscli).is_empty(), "a mirror has no subjects of its own");
    }

    #[test]
    fn buckets_are_known_by_their_stream_names() {
        assert_eq!(bucket_of_name("KV_cfg"), Some(Bucket { kind: BucketKind::KeyValue, name: "cfg" }));
        assert_eq!(bucket_of_name("OBJ_files"), Some(Bucket { kind: BucketKind::ObjectStore, name: "files" }));
        assert_eq!(bucket_of_name("KV_"), Some(Bucket { kind: BucketKind::KeyValue, name: "" }));
        assert_eq!(bucket_of_name("kv_cfg"), None);
        assert_eq!(bucket_of_name("orders"), None);
        for good in ["a", "A-b_9", "_"] {
            assert!(is_valid_bucket_name(good), "{good}");
        }
        for bad in ["", "a.b", "a b", "$(rm -rf ~)", "é", "a*", "a>"] {
            assert!(!is_valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn shape_faults_name_subjects_and_rollups() {
        let good = kv_config("b", &KvSettings::default());
        assert!(shape_faults(&good).is_empty());
        let mut bad = good.clone();
        bad.subjects = vec!["b.>".into()];
        bad.allow_rollup_hdrs = false;
        assert_eq!(shape_faults(&bad).len(), 2);
        assert!(shape_faults(&StreamConfig::new("orders")).is_empty(), "not a bucket");
        assert!(shape_faults(&obj_config("o", &ObjSettings::default())).is_empty());
    }

    #[test]
    fn a_history_natscli_refuses_is_not_made_with_kv_add() {
        for (history, by_kv_add) in [(0, false), (1, true), (64, true), (65, false)] {
            let config = kv_config("h", &KvSettings { history, ..KvSettings::default() });
            assert_eq!(is_as_created(&config), by_kv_add, "history {history}");
        }
    }

    #[test]
    fn the_duplicate_window_follows_a_short_ttl() {
        assert_eq!(kv_duplicate_window(0), KV_DUPLICATE_WINDOW);
        assert_eq!(kv_duplicate_window(30 * SECOND), 30 * SECOND);
        assert_eq!(kv_duplicate_window(3600 * SECOND), KV_DUPLICATE_WINDOW);
    }

    fn hub_and_site() -> (Design, ClusterId, ClusterId) {
        let mut d = Design::new("t");
        let mut hub = Cluster::new("hub", Role::Hub);
        hub.domain = "hub".into();
        let mut site = Cluster::new("site", Role::Spoke);
        site.domain = "site".into();
        let hub = d.add_cluster(hub);
        let site = d.add_cluster(site);
        (d, hub, site)
    }

    #[test]
    fn add_edit_rename_and_remove_are_commands_with_inverses() {
        let (design, hub, _) = hub_and_site();
        let mut doc = Document::new(design.clone());
        let config = new_kv(doc.design(), hub);
        assert_eq!(config.name, "KV_bucket-1");
        doc.execute(add(doc.design(), hub, config)).expect("added");
        let id = doc.design().streams().next().expect("the bucket").id;
        let settings = KvSettings { history: 10, ttl: 60 * SECOND, ..KvSettings::default() };
        doc.execute(set_kv(doc.design(), id, &settings).expect("a kv bucket")).expect("set");
        let s = doc.design().stream(id).expect("kept");
        assert_eq!(KvSettings::of(&s.config), settings);
        assert_eq!(s.config.duplicate_window, Some(60 * SECOND));
        assert!(set_obj(doc.design(), id, &ObjSettings::default()).is_none(), "not an object store");
        doc.execute(rename(doc.design(), id, "config").expect("a bucket")).expect("renamed");
        let s = doc.design().stream(id).expect("kept");
        assert_eq!((s.config.name.as_str(), s.config.subjects.clone()), ("KV_config", vec!["$KV.config.>".to_owned()]));
        assert!(is_as_created(&s.config));
        doc.execute(remove(id)).expect("removed");
        assert_eq!(doc.design().stream_count(), 0);
        while doc.undo() {}
        assert_eq!(doc.design(), &design);
        let store = new_object_store(&design, hub);
        assert_eq!(store.name, "OBJ_store-1");
        assert!(is_as_created(&store));
    }

    #[test]
    fn mirror_into_a_site_keeps_the_bucket_name_and_mirror_direct() {
        let (mut design, hub, site) = hub_and_site();
        let config = kv_config("cfg", &KvSettings { history: 5, ..KvSettings::default() });
        let bucket = design.add_stream(hub, "ACC", config).expect("added");
        let command = mirror_into(&design, bucket, site).expect("allowed");
        let mut after = design.clone();
        command.apply(&mut after).expect("applies");
        let mirror = after.streams_in(site).next().expect("a mirror in the site");
        assert_eq!(mirror.config.name, "KV_cfg");
        assert!(mirror.config.mirror_direct && mirror.config.subjects.is_empty());
        assert_eq!(mirror.config.max_msgs_per_subject, 5);
        assert_eq!(mirror.account, "ACC");
        let source = mirror.config.mirror.as_ref().expect("mirrors");
        assert_eq!(after.effective_api(mirror, source).as_deref(), Some("$JS.hub.API"));
        assert_eq!(after.resolve_origin(mirror, source), Some(bucket));
        assert!(mirror_into(&after, bucket, site).is_err(), "the site has its copy already");
        let mut doc = Document::new(design.clone());
        doc.execute(mirror_into(&design, bucket, site).expect("allowed")).expect("applies");
        assert!(doc.undo());
        assert_eq!(doc.design(), &design, "one undo removes the mirror");
        assert!(mirror_into(&design, bucket, hub).is_err(), "the bucket's own domain");
    }

    #[test]
    fn source_into_moves_a_site_buckets_keys_into_the_aggregate() {
        let (mut design, hub, site) = hub_and_site();
        let agg = design.add_stream(hub, "ACC", kv_config("status", &KvSettings::default())).expect("added");
        let local = design.add_stream(site, "ACC", kv_config("status-1", &KvSettings::default())).expect("added");
        let command = source_into(&design, local, agg).expect("allowed");
        let mut doc = Document::new(design.clone());
        doc.execute(command).expect("applies");
        let a = doc.design().stream(agg).expect("kept");
        let source = &a.config.sources[0];
        assert_eq!(source.name, "KV_status-1");
        assert_eq!(source.subject_transforms[0].dest, "$KV.status.>");
        assert_eq!(doc.design().effective_api(a, source).as_deref(), Some("$JS.site.API"));
        assert_eq!(doc.design().resolve_origin(a, source), Some(local));
        assert!(source_into(doc.design(), local, agg).is_err(), "once");
        assert!(source_into(doc.design(), agg, agg).is_err());
        assert!(doc.undo());
        assert_eq!(doc.design(), &design);
    }

    #[test]
    fn a_design_file_keeps_buckets_and_their_mirrors_without_a_format_change() {
        let (mut design, hub, site) = hub_and_site();
        let bucket = design.add_stream(hub, "ACC", kv_config("cfg", &KvSettings::default())).expect("added");
        design.add_stream(hub, "ACC", obj_config("files", &ObjSettings::default())).expect("added");
        mirror_into(&design, bucket, site).expect("allowed").apply(&mut design).expect("applies");
        let text = crate::model::persist::save(&design);
        assert!(!text.contains("\"kind\""), "nothing but the streams is written");
        let loaded = crate::model::persist::load(&text).expect("reads back");
        assert_eq!(loaded.design, design);
    }
}
