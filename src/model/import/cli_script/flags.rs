//! The stream configuration natscli v0.5.0 sends for a `stream add`, `kv add` or `object add`
//! written with flags instead of `--config`, as `cli/stream_command.go` (`prepareConfig` with
//! `--defaults`), `cli/kv_command.go` and `cli/object_command.go` with nats.go's
//! `prepareKeyValueConfig` and `prepareObjectStoreConfig` build it. The facts carry
//! over, the code does not: byte sizes as natscli's `ParseStringAsBytes` reads them (a plain
//! number must fit its 32 or 64 bits, units are powers of 1024), durations as fisk's
//! `ParseDuration` (Go units plus `d`, `w`, `M`, `y`), enums as fisk checks them
//! (case-sensitive), and the defaults natscli fills in.
//!
//! A value natscli refuses is an error (`Err`), and the command creates nothing. Which
//! configuration the server then stores is decided by `tests/natscli_import.rs`, which runs
//! the corpus `tests/corpus/natscli-flags.txt` with the real `nats` against real servers.

use crate::model::stream::{
    Compression, ConsumerLimits, Discard, Nanos, Placement, Republish, Retention, Storage, StreamConfig, StreamSource,
    SubjectTransform,
};
use crate::model::stream_json;
use std::collections::BTreeMap;

/// Which command a flag set belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::import) enum Kind {
    /// `nats stream add`.
    Stream,
    /// `nats kv add`: a key-value bucket, held by the stream `KV_<bucket>`.
    KeyValue,
    /// `nats object add`: an object store bucket, held by the stream `OBJ_<bucket>`.
    Object,
}

/// Every flag the importer interprets, by command (`stream add`, `kv add`): the differential
/// corpus must use each of them.
pub const NATSCLI_FLAGS: &[(&str, &[&str])] =
    &[("stream add", STREAM_FLAGS), ("kv add", KV_FLAGS), ("object add", OBJECT_FLAGS)];

const STREAM_FLAGS: &[&str] = &[
    "subjects",
    "description",
    "storage",
    "compression",
    "replicas",
    "tag",
    "tags",
    "cluster",
    "ack",
    "retention",
    "discard",
    "discard-per-subject",
    "first-sequence",
    "max-age",
    "max-bytes",
    "max-consumers",
    "max-msg-size",
    "max-msgs",
    "max-msgs-per-subject",
    "dupe-window",
    "mirror",
    "source",
    "allow-batch",
    "allow-fast",
    "allow-counter",
    "allow-rollup",
    "deny-delete",
    "deny-purge",
    "allow-direct",
    "allow-mirror-direct",
    "allow-msg-ttl",
    "allow-schedules",
    "subject-del-markers-ttl",
    "transform-source",
    "transform-destination",
    "metadata",
    "republish-source",
    "republish-destination",
    "republish-headers",
    "limit-consumer-inactive",
    "limit-consumer-max-pending",
    "persist-mode",
    "defaults",
];

const KV_FLAGS: &[&str] = &[
    "description",
    "history",
    "storage",
    "ttl",
    "marker-ttl",
    "replicas",
    "max-value-size",
    "max-bucket-size",
    "tags",
    "cluster",
    "compress",
    "metadata",
    "republish-source",
    "republish-destination",
    "republish-headers",
    "mirror",
    "mirror-domain",
    "source",
];

const OBJECT_FLAGS: &[&str] =
    &["ttl", "replicas", "max-bucket-size", "description", "storage", "tags", "cluster", "metadata", "compress"];

/// Flags that choose how to connect or print, not what is created.
const GLOBAL_FLAGS: &[&str] = &[
    "context",
    "server",
    "user",
    "password",
    "creds",
    "nkey",
    "jwt",
    "token",
    "tlscert",
    "tlskey",
    "tlsca",
    "tlsfirst",
    "js-domain",
    "domain",
    "js-api-prefix",
    "js-event-prefix",
    "timeout",
    "connection-name",
    "inbox-prefix",
    "colors",
    "socks-proxy",
    "trace",
    "no-context",
    "json",
    "j",
    "config",
];

/// Booleans natscli lets a script negate with `--no-<flag>`.
const NEGATABLE: &[&str] = &[
    "ack",
    "discard-per-subject",
    "allow-batch",
    "allow-fast",
    "allow-rollup",
    "deny-delete",
    "deny-purge",
    "allow-direct",
    "allow-mirror-direct",
    "allow-schedules",
    "compress",
];

/// Reserved metadata the server owns (jsm.go `FilterServerMetadata`); natscli drops these keys
/// from what it sends.
pub(in crate::model::import) const RESERVED_METADATA: &[&str] = &[
    "_nats.ver",
    "_nats.level",
    "_nats.req.level",
    "_nats.mirror.stream",
    "_nats.mirror.acc",
    "_nats.mirror.domain",
    "_nats.src.stream",
    "_nats.src.acc",
    "_nats.src.domain",
];

/// Two minutes: the duplicate window natscli and nats.go send unless told otherwise.
const TWO_MINUTES: Nanos = 120 * 1_000_000_000;

/// A stream described by flags.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::model::import) struct FlagStream {
    pub config: StreamConfig,
    /// The key-value bucket the stream holds (`kv add`).
    pub bucket: Option<String>,
}

/// What a flag-only command makes.
pub(in crate::model::import) struct Read {
    /// `None` when natscli would ask for something it cannot do without (the name, subjects).
    pub stream: Option<FlagStream>,
    pub notes: Vec<String>,
}

/// The flags of one command, with natscli's rules for repeated and negated flags.
struct Flags<'a> {
    flags: &'a [(String, String)],
    known: &'static [&'static str],
}

impl Flags<'_> {
    /// The last value of a flag that takes one (fisk keeps the last).
    fn value(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable flag, in order.
    fn values(&self, names: &[&str]) -> Vec<&str> {
        self.flags.iter().filter(|(n, _)| names.contains(&n.as_str())).map(|(_, v)| v.as_str()).collect()
    }

    /// A boolean: `--flag` is true, `--no-flag` false (when natscli allows it), else `default`.
    fn bool(&self, name: &str, default: bool) -> bool {
        let negated = format!("no-{name}");
        self.flags
            .iter()
            .rev()
            .find_map(|(n, _)| {
                if n == name {
                    Some(true)
                } else if *n == negated && NEGATABLE.contains(&name) {
                    Some(false)
                } else {
                    None
                }
            })
            .unwrap_or(default)
    }

    fn is_set(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// The flags natscli would not accept here, or that the importer does not read.
    fn unread(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (name, _) in self.flags {
            let base = name.strip_prefix("no-").filter(|b| NEGATABLE.contains(b)).unwrap_or(name);
            let known = self.known.contains(&base) || GLOBAL_FLAGS.contains(&name.as_str()) || name == "s";
            if !known && !out.contains(name) {
                out.push(name.clone());
            }
        }
        out
    }
}

/// The configuration natscli sends for a flag-only `stream add` or `kv add`.
pub(in crate::model::import) fn read(
    kind: Kind,
    name: Option<&str>,
    flags: &[(String, String)],
) -> Result<Read, String> {
    let known = match kind {
        Kind::Stream => STREAM_FLAGS,
        Kind::KeyValue => KV_FLAGS,
        Kind::Object => OBJECT_FLAGS,
    };
    let flags = Flags { flags, known };
    let mut notes = Vec::new();
    for flag in flags.unread() {
        notes.push(format!(
            "flag --{flag} is not read by the importer; the stream may differ from what natscli creates"
        ));
    }
    if flags.bool("validate", false) || flags.is_set("output") {
        notes.push("--validate or --output: natscli only checks or saves the configuration, nothing is created".into());
        return Ok(Read { stream: None, notes });
    }
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        notes.push("no name: natscli would ask for it, so the command is not imported".into());
        return Ok(Read { stream: None, notes });
    };
    match kind {
        Kind::Stream => stream(name, &flags, notes),
        Kind::KeyValue => {
            let stream = key_value(name, &flags)?;
            notes.push(format!("key-value bucket {name} imported as its stream {}", stream.config.name));
            Ok(Read { stream: Some(stream), notes })
        }
        Kind::Object => {
            let stream = object(name, &flags)?;
            notes.push(format!("object store {name} imported as its stream {}", stream.config.name));
            Ok(Read { stream: Some(stream), notes })
        }
    }
}

/// What the flags of a `stream add --config FILE` change in the file's configuration: natscli
/// takes the subjects, placement tags and cluster, description and replicas from the command
/// line when they are given there, and ignores every other stream flag.
#[derive(Clone, Debug, Default, PartialEq)]
pub(in crate::model::import) struct Overrides {
    subjects: Vec<String>,
    tags: Vec<String>,
    cluster: Option<String>,
    description: Option<String>,
    replicas: Option<i64>,
}

impl Overrides {
    pub(in crate::model::import) fn apply(&self, config: &mut StreamConfig) {
        if !self.subjects.is_empty() {
            config.subjects.clone_from(&self.subjects);
        }
        if !self.tags.is_empty() {
            config.placement.get_or_insert_with(Placement::default).tags.clone_from(&self.tags);
        }
        if let Some(cluster) = &self.cluster {
            config.placement.get_or_insert_with(Placement::default).cluster = Some(cluster.clone());
        }
        if let Some(description) = &self.description {
            config.description = Some(description.clone());
        }
        if let Some(replicas) = self.replicas {
            config.num_replicas = replicas;
        }
    }
}

/// The overrides of a `stream add --config FILE`, and a note for each stream flag natscli
/// ignores next to `--config`.
pub(in crate::model::import) fn config_overrides(
    flags: &[(String, String)],
) -> Result<(Overrides, Vec<String>), String> {
    const READ: &[&str] = &["subjects", "tag", "tags", "cluster", "description", "replicas"];
    let flags = Flags { flags, known: STREAM_FLAGS };
    let mut notes: Vec<String> = flags
        .unread()
        .into_iter()
        .map(|flag| {
            format!("flag --{flag} is not read by the importer; the stream may differ from what natscli creates")
        })
        .collect();
    for (name, _) in flags.flags {
        let base = name.strip_prefix("no-").unwrap_or(name);
        let note = format!("natscli ignores --{name} next to --config; the file's value stands");
        if STREAM_FLAGS.contains(&base) && !READ.contains(&base) && base != "defaults" && !notes.contains(&note) {
            notes.push(note);
        }
    }
    let replicas = flags.value("replicas").map(|r| integer("replicas", r)).transpose()?.filter(|&r| r > 0);
    let overrides = Overrides {
        subjects: flags.values(&["subjects"]).into_iter().map(str::to_owned).collect(),
        tags: flags.values(&["tag", "tags"]).into_iter().map(str::to_owned).collect(),
        cluster: flags.value("cluster").filter(|c| !c.is_empty()).map(str::to_owned),
        description: flags.value("description").filter(|d| !d.is_empty()).map(str::to_owned),
        replicas,
    };
    Ok((overrides, notes))
}

fn stream(name: &str, flags: &Flags<'_>, mut notes: Vec<String>) -> Result<Read, String> {
    let mirror = flags.value("mirror").filter(|m| !m.is_empty());
    let sources = flags.values(&["source"]);
    let mut subjects: Vec<String> = flags.values(&["subjects"]).into_iter().map(str::to_owned).collect();
    if mirror.is_none() && sources.is_empty() {
        if subjects.is_empty() {
            notes.push("no --subjects: natscli would ask for them, so the command is not imported".into());
            return Ok(Read { stream: None, notes });
        }
        // natscli splits the list on commas and whitespace only when there is no origin.
        subjects = subjects
            .iter()
            .flat_map(|s| s.split(|c: char| c == ',' || c.is_whitespace()))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if mirror.is_some() && !subjects.is_empty() {
        return Err("--mirror with --subjects: mirrors cannot listen for messages on subjects".into());
    }
    if !flags.bool("defaults", false) {
        notes.push(
            "no --defaults: natscli asks for every value not on the command line (a script without a terminal \
             fails there); imported as if --defaults were given"
                .into(),
        );
    }
    let mut config = StreamConfig::new(name);
    config.description = flags.value("description").filter(|d| !d.is_empty()).map(str::to_owned);
    config.subjects = subjects;
    config.storage = storage(flags.value("storage"))?;
    config.compression = match enumerated("compression", flags.value("compression"), &["none", "s2"])? {
        Some("s2") => Compression::S2,
        _ => Compression::None,
    };
    let replicas = flags.value("replicas").map(|r| integer("replicas", r)).transpose()?.unwrap_or(0);
    config.num_replicas = match replicas {
        0 => 1,
        r if r < 0 => return Err("--replicas must be at least 1".into()),
        r => r,
    };
    config.retention =
        match enumerated("retention", flags.value("retention"), &["limits", "interest", "workq", "work"])? {
            Some("interest") => Retention::Interest,
            Some("workq" | "work") => Retention::WorkQueue,
            _ => Retention::Limits,
        };
    config.discard = match enumerated("discard", flags.value("discard"), &["new", "old"])? {
        Some("new") => Discard::New,
        _ => Discard::Old,
    };
    config.discard_new_per_subject = flags.bool("discard-per-subject", false);
    config.first_seq =
        flags.value("first-sequence").map(|s| unsigned("first-sequence", s)).transpose()?.filter(|&s| s > 0);
    config.max_msgs = unlimited_if_zero(flags.value("max-msgs").map(|n| integer("max-msgs", n)).transpose()?);
    config.max_msgs_per_subject =
        unlimited_if_zero(flags.value("max-msgs-per-subject").map(|n| integer("max-msgs-per-subject", n)).transpose()?);
    config.max_consumers = flags.value("max-consumers").map(|n| integer("max-consumers", n)).transpose()?.unwrap_or(-1);
    config.max_bytes = match flags.value("max-bytes") {
        Some(text) => bytes("max-bytes", text, 32)?,
        None => -1,
    }
    .max(-1);
    if config.max_bytes == 0 {
        config.max_bytes = -1;
    }
    config.max_msg_size = match flags.value("max-msg-size") {
        Some(text) => bytes("max-msg-size", text, 32)?,
        None => -1,
    };
    if config.max_msg_size == 0 {
        config.max_msg_size = -1;
    }
    if config.max_msg_size > i64::from(i32::MAX) {
        return Err(format!("--max-msg-size {} is larger than {}", config.max_msg_size, i32::MAX));
    }
    config.max_age = match flags.value("max-age") {
        None | Some("" | "-1") => 0,
        Some(text) => duration("max-age", text)?,
    };
    let window = match flags.value("dupe-window").filter(|w| !w.is_empty()) {
        Some(text) => duration("dupe-window", text)?,
        None if mirror.is_some() => 0,
        None if config.max_age > 0 && config.max_age < TWO_MINUTES => config.max_age,
        None => TWO_MINUTES,
    };
    // natscli leaves a zero window out of the request: the server then picks its default.
    config.duplicate_window = Some(window).filter(|&w| w != 0);
    config.no_ack = !flags.bool("ack", true);
    config.allow_rollup_hdrs = flags.bool("allow-rollup", false);
    config.deny_delete = flags.bool("deny-delete", false);
    config.deny_purge = flags.bool("deny-purge", false);
    config.allow_direct = flags.bool("allow-direct", true);
    config.mirror_direct = flags.bool("allow-mirror-direct", false);
    config.allow_msg_ttl = flags.bool("allow-msg-ttl", false);
    config.allow_atomic = flags.bool("allow-batch", false);
    config.allow_batched = flags.bool("allow-fast", false);
    config.allow_msg_counter = flags.bool("allow-counter", false);
    config.allow_msg_schedules = flags.bool("allow-schedules", false);
    config.subject_delete_marker_ttl = flags
        .value("subject-del-markers-ttl")
        .map(|t| duration("subject-del-markers-ttl", t))
        .transpose()?
        .filter(|&t| t != 0);
    let inactive =
        flags.value("limit-consumer-inactive").map(|t| duration("limit-consumer-inactive", t)).transpose()?;
    let pending =
        flags.value("limit-consumer-max-pending").map(|n| integer("limit-consumer-max-pending", n)).transpose()?;
    let limits =
        ConsumerLimits { inactive_threshold: inactive.filter(|&t| t > 0), max_ack_pending: pending.filter(|&n| n > 0) };
    config.consumer_limits = Some(limits).filter(|l| l.inactive_threshold.is_some() || l.max_ack_pending.is_some());
    config.metadata = metadata(flags)?.into_iter().filter(|(k, _)| !RESERVED_METADATA.contains(&k.as_str())).collect();
    config.placement = placement(flags, &["tag", "tags"]);
    if let Some(mirror) = mirror {
        config.mirror = Some(origin("mirror", mirror)?);
    }
    for source in sources {
        config.sources.push(origin("source", source)?);
    }
    let (repub_src, repub_dest) =
        (flags.value("republish-source").unwrap_or(""), flags.value("republish-destination").unwrap_or(""));
    let headers_only = flags.bool("republish-headers", false);
    if repub_src.is_empty() != repub_dest.is_empty() || (headers_only && repub_src.is_empty()) {
        return Err("--republish-source and --republish-destination must be given together".into());
    }
    if !repub_src.is_empty() {
        config.republish = Some(Republish { src: repub_src.to_owned(), dest: repub_dest.to_owned(), headers_only });
    }
    let (transform_src, transform_dest) =
        (flags.value("transform-source").unwrap_or(""), flags.value("transform-destination").unwrap_or(""));
    if transform_src.is_empty() != transform_dest.is_empty() {
        return Err("--transform-source and --transform-destination must be given together".into());
    }
    if !transform_src.is_empty() {
        config.subject_transform =
            Some(SubjectTransform { src: transform_src.to_owned(), dest: transform_dest.to_owned() });
    }
    // natscli sends a persistence mode only for `async`: `default` is left to the server.
    if enumerated("persist-mode", flags.value("persist-mode"), &["default", "async"])? == Some("async") {
        config.persist_mode = Some("async".to_owned());
    }
    Ok(Read { stream: Some(FlagStream { config, bucket: None }), notes })
}

fn key_value(bucket: &str, flags: &Flags<'_>) -> Result<FlagStream, String> {
    if !bucket.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!("{bucket:?} is not a valid bucket name (letters, digits, _ and - only)"));
    }
    let subject = |b: &str| format!("$KV.{b}.>");
    let stream_name = |b: &str| if b.starts_with("KV_") { b.to_owned() } else { format!("KV_{b}") };
    let mut config = StreamConfig::new(format!("KV_{bucket}"));
    config.description = flags.value("description").filter(|d| !d.is_empty()).map(str::to_owned);
    let history = flags.value("history").map(|h| integer("history", h)).transpose()?.unwrap_or(1);
    if !(1..=64).contains(&history) {
        return Err(format!("--history {history} is outside 1 to 64"));
    }
    config.max_msgs_per_subject = history;
    config.storage = storage(flags.value("storage"))?;
    let ttl = flags.value("ttl").map(|t| duration("ttl", t)).transpose()?.unwrap_or(0);
    config.max_age = ttl;
    config.duplicate_window = Some(if ttl > 0 && ttl < TWO_MINUTES { ttl } else { TWO_MINUTES });
    if let Some(marker) = flags.value("marker-ttl").map(|t| duration("marker-ttl", t)).transpose()?.filter(|&t| t != 0)
    {
        config.allow_msg_ttl = true;
        config.subject_delete_marker_ttl = Some(marker);
    }
    let replicas = flags.value("replicas").map(|r| unsigned("replicas", r)).transpose()?.unwrap_or(1);
    config.num_replicas = i64::try_from(replicas.max(1)).map_err(|_| format!("--replicas {replicas} is too large"))?;
    config.max_msg_size =
        flags.value("max-value-size").map(|b| bytes("max-value-size", b, 32)).transpose()?.unwrap_or(-1);
    if config.max_msg_size == 0 {
        config.max_msg_size = -1;
    }
    config.max_bytes =
        flags.value("max-bucket-size").map(|b| bytes("max-bucket-size", b, 64)).transpose()?.unwrap_or(-1);
    if config.max_bytes == 0 {
        config.max_bytes = -1;
    }
    config.placement = placement(flags, &["tags"]);
    if flags.bool("compress", false) {
        config.compression = Compression::S2;
    }
    config.metadata = metadata(flags)?;
    config.allow_rollup_hdrs = true;
    config.deny_delete = true;
    config.allow_direct = true;
    config.discard = Discard::New;
    if let Some(dest) = flags.value("republish-destination").filter(|d| !d.is_empty()) {
        // An empty source is left out of the request; the server republishes every subject.
        let src = flags.value("republish-source").filter(|s| !s.is_empty()).unwrap_or(">");
        config.republish = Some(Republish {
            src: src.to_owned(),
            dest: dest.to_owned(),
            headers_only: flags.bool("republish-headers", false),
        });
    }
    if let Some(mirror) = flags.value("mirror").filter(|m| !m.is_empty()) {
        let api = flags.value("mirror-domain").filter(|d| !d.is_empty()).map(|d| format!("$JS.{d}.API"));
        config.mirror = Some(StreamSource { name: stream_name(mirror), api, ..StreamSource::default() });
        config.mirror_direct = true;
    } else {
        for source in flags.values(&["source"]) {
            let origin = source.strip_prefix("KV_").unwrap_or(source);
            config.sources.push(StreamSource {
                name: stream_name(source),
                subject_transforms: vec![SubjectTransform { src: subject(origin), dest: subject(bucket) }],
                ..StreamSource::default()
            });
        }
        config.subjects = vec![subject(bucket)];
    }
    Ok(FlagStream { config, bucket: Some(bucket.to_owned()) })
}

fn object(bucket: &str, flags: &Flags<'_>) -> Result<FlagStream, String> {
    if bucket.is_empty() || !bucket.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!("{bucket:?} is not a valid bucket name (letters, digits, _ and - only)"));
    }
    let mut config = StreamConfig::new(format!("OBJ_{bucket}"));
    config.subjects = vec![format!("$O.{bucket}.C.>"), format!("$O.{bucket}.M.>")];
    config.description = flags.value("description").filter(|d| !d.is_empty()).map(str::to_owned);
    config.max_age = flags.value("ttl").map(|t| duration("ttl", t)).transpose()?.unwrap_or(0);
    config.storage = storage(flags.value("storage"))?;
    let replicas = flags.value("replicas").map(|r| unsigned("replicas", r)).transpose()?.unwrap_or(1);
    config.num_replicas = i64::try_from(replicas.max(1)).map_err(|_| format!("--replicas {replicas} is too large"))?;
    config.max_bytes =
        flags.value("max-bucket-size").map(|b| bytes("max-bucket-size", b, 64)).transpose()?.unwrap_or(-1);
    if config.max_bytes == 0 {
        config.max_bytes = -1;
    }
    // natscli always sends a placement, empty when no flag sets one: it places nothing.
    config.placement = placement(flags, &["tags"]);
    config.metadata = metadata(flags)?;
    if flags.bool("compress", false) {
        config.compression = Compression::S2;
    }
    config.allow_rollup_hdrs = true;
    config.allow_direct = true;
    config.discard = Discard::New;
    Ok(FlagStream { config, bucket: Some(bucket.to_owned()) })
}

fn storage(value: Option<&str>) -> Result<Storage, String> {
    Ok(match enumerated("storage", value, &["file", "f", "memory", "m"])? {
        Some("memory" | "m") => Storage::Memory,
        _ => Storage::File,
    })
}

/// A value fisk checks against a list: exact spelling, no case folding.
fn enumerated<'a>(flag: &str, value: Option<&'a str>, choices: &[&str]) -> Result<Option<&'a str>, String> {
    match value {
        None => Ok(None),
        Some(v) if choices.contains(&v) => Ok(Some(v)),
        Some(v) => Err(format!("--{flag} {v:?} is not one of {}", choices.join(", "))),
    }
}

fn integer(flag: &str, text: &str) -> Result<i64, String> {
    text.parse().map_err(|_| format!("--{flag} {text:?} is not an integer"))
}

fn unsigned(flag: &str, text: &str) -> Result<u64, String> {
    text.parse().map_err(|_| format!("--{flag} {text:?} is not a non-negative integer"))
}

/// natscli turns a count of 0 (its flag default) into -1, unlimited.
fn unlimited_if_zero(value: Option<i64>) -> i64 {
    match value {
        None | Some(0) => -1,
        Some(n) => n,
    }
}

/// `--metadata KEY=VALUE` (or `KEY:VALUE`), repeatable.
fn metadata(flags: &Flags<'_>) -> Result<BTreeMap<String, String>, String> {
    flags
        .values(&["metadata"])
        .into_iter()
        .map(|pair| {
            pair.split_once([':', '='])
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| format!("--metadata {pair:?} is not KEY=VALUE"))
        })
        .collect()
}

fn placement(flags: &Flags<'_>, tag_flags: &[&str]) -> Option<Placement> {
    let cluster = flags.value("cluster").filter(|c| !c.is_empty()).map(str::to_owned);
    let tags: Vec<String> = flags.values(tag_flags).into_iter().map(str::to_owned).collect();
    (cluster.is_some() || !tags.is_empty()).then_some(Placement { cluster, tags })
}

/// A `--mirror` or `--source`: a stream name, or a JSON object read as a stream source.
fn origin(flag: &str, text: &str) -> Result<StreamSource, String> {
    let trimmed = text.trim();
    if !(trimmed.starts_with('{') && trimmed.ends_with('}')) {
        return Ok(StreamSource { name: text.to_owned(), ..StreamSource::default() });
    }
    let value: serde_json::Value =
        serde_json::from_str(trimmed).map_err(|e| format!("--{flag} is not valid JSON: {e}"))?;
    let wrapped = serde_json::json!({ "sources": [value] });
    let mut config = stream_json::from_json(&wrapped).map_err(|e| format!("--{flag}: {e}"))?;
    let source = config.sources.pop().ok_or_else(|| format!("--{flag}: no source"))?;
    if source.name.is_empty() {
        return Err(format!("--{flag}: name is required"));
    }
    Ok(source)
}

/// natscli's `ParseStringAsBytes`: `-1` for anything negative, a plain number that fits in
/// `bits`, or digits with a unit (`B`, `K`/`KB`/`KiB`, `M`..., `G`..., `T`..., any case) in
/// powers of 1024. A plain number too large for `bits` is refused, as natscli refuses it.
fn bytes(flag: &str, text: &str, bits: u32) -> Result<i64, String> {
    let s = text.trim();
    if s.is_empty() || s.starts_with('-') {
        return Ok(-1);
    }
    let max = if bits == 32 { i64::from(i32::MAX) } else { i64::MAX };
    if let Ok(n) = s.parse::<i64>() {
        if n <= max {
            return Ok(n.max(-1));
        }
    }
    let refused =
        || format!("--{flag} {text:?} is not a size natscli reads (digits, then B, K, KB, M, MB, G, GB, T or TB)");
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let unit: String = s[digits..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if digits == 0 || unit.is_empty() {
        return Err(refused());
    }
    let number: i64 = s[..digits].parse().ok().filter(|n| *n <= max).ok_or_else(refused)?;
    let shift = match unit.to_ascii_uppercase().as_str() {
        "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(refused()),
    };
    Ok(number.wrapping_mul(1 << shift))
}

/// fisk's `ParseDuration`, in nanoseconds: a sequence of number-unit parts (`1h30m`, `1.5d`),
/// the sign of the first part applying to the whole; `0` alone is zero. Days, weeks, months
/// (30 days) and years (365 days) are whole hours computed in single precision, as fisk does.
fn duration(flag: &str, text: &str) -> Result<Nanos, String> {
    let refused = || format!("--{flag} {text:?} is not a duration natscli reads (1h30m, 10s, 2d, 1w, 1M, 1y)");
    let s = text.trim();
    if s == "0" {
        return Ok(0);
    }
    let bytes = s.as_bytes();
    let (mut total, mut negative, mut parts) = (0i64, false, 0);
    let mut i = 0;
    while i < bytes.len() {
        // The next place where digits or dots are followed by letters.
        let start = i;
        let mut j = i;
        while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b'.') {
            j += 1;
        }
        let mut k = j;
        while k < bytes.len() && bytes[k].is_ascii_alphabetic() {
            k += 1;
        }
        if j == start || k == j {
            i = if j == start { start + 1 } else { k.max(start + 1) };
            continue;
        }
        if parts == 0 && start > 0 && bytes[start - 1] == b'-' {
            negative = true;
        }
        parts += 1;
        let number = &s[start..j];
        let unit = &s[j..k];
        total = total.saturating_add(part(number, unit).ok_or_else(refused)?);
        i = k;
    }
    if parts == 0 {
        return Err(refused());
    }
    Ok(if negative { -total } else { total })
}

/// One number-unit part of a duration, in nanoseconds.
fn part(number: &str, unit: &str) -> Option<i64> {
    const HOUR: f64 = 3_600_000_000_000.0;
    let hours = |per: f64| -> Option<i64> {
        // fisk parses these with 32-bit precision and keeps whole hours.
        let value = f64::from(number.parse::<f32>().ok()?);
        Some(((value * per).trunc() * HOUR) as i64)
    };
    match unit {
        "w" | "W" => hours(7.0 * 24.0),
        "d" | "D" => hours(24.0),
        "M" => hours(24.0 * 30.0),
        "y" | "Y" => hours(24.0 * 365.0),
        "ns" | "us" | "ms" | "s" | "m" | "h" => {
            let scale: i64 = match unit {
                "ns" => 1,
                "us" => 1_000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                _ => 3_600_000_000_000,
            };
            // Go's time.ParseDuration: whole part exactly, the fraction scaled down.
            let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
            if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
                return None;
            }
            let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
            let mut nanos = whole.checked_mul(scale)?;
            if !fraction.is_empty() {
                let digits: String = fraction.chars().take(18).collect();
                let f: i64 = digits.parse().ok()?;
                let divisor = 10f64.powi(digits.len() as i32);
                nanos = nanos.checked_add((f as f64 * (scale as f64 / divisor)) as i64)?;
            }
            Some(nanos)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    fn stream_of(name: &str, list: &[(&str, &str)]) -> StreamConfig {
        let read = read(Kind::Stream, Some(name), &flags(list)).expect("natscli accepts it");
        read.stream.expect("a stream").config
    }

    #[test]
    fn sizes_are_read_as_natscli_reads_them() {
        assert_eq!(bytes("x", "1024", 32), Ok(1024));
        assert_eq!(bytes("x", "1KB", 32), Ok(1024));
        assert_eq!(bytes("x", "4gib", 32), Ok(4 << 30));
        assert_eq!(bytes("x", "-5", 32), Ok(-1));
        assert!(bytes("x", "2147483648", 32).is_err());
        assert_eq!(bytes("x", "2147483648", 64), Ok(2_147_483_648));
        assert!(bytes("x", "1.5GB", 32).is_err());
        assert!(bytes("x", "10PB", 32).is_err());
    }

    #[test]
    fn durations_are_read_as_fisk_reads_them() {
        let s = 1_000_000_000i64;
        assert_eq!(duration("x", "1h30m"), Ok(5400 * s));
        assert_eq!(duration("x", "1.5s"), Ok(1_500_000_000));
        assert_eq!(duration("x", "2d"), Ok(48 * 3600 * s));
        assert_eq!(duration("x", "1.5d"), Ok(36 * 3600 * s));
        assert_eq!(duration("x", "1w"), Ok(7 * 24 * 3600 * s));
        assert_eq!(duration("x", "1M"), Ok(30 * 24 * 3600 * s));
        assert_eq!(duration("x", "1y"), Ok(365 * 24 * 3600 * s));
        assert_eq!(duration("x", "-1h"), Ok(-3600 * s));
        assert_eq!(duration("x", "0"), Ok(0));
        assert!(duration("x", "10").is_err());
        assert!(duration("x", "1sec").is_err());
    }

    #[test]
    fn defaults_are_those_natscli_sends() {
        let config = stream_of("A", &[("subjects", "a.*, b"), ("defaults", "")]);
        assert_eq!(config.subjects, ["a.*", "b"]);
        assert_eq!((config.max_msgs, config.max_bytes, config.max_msg_size), (-1, -1, -1));
        assert_eq!(config.duplicate_window, Some(TWO_MINUTES));
        assert!(config.allow_direct && !config.no_ack);
        let short = stream_of("A", &[("subjects", "a"), ("max-age", "30s"), ("no-allow-direct", "")]);
        assert_eq!(short.duplicate_window, Some(30_000_000_000));
        assert!(!short.allow_direct);
        let mirror = stream_of("M", &[("mirror", "A")]);
        assert_eq!((mirror.duplicate_window, mirror.subjects.len()), (None, 0));
    }

    #[test]
    fn refusals_are_errors() {
        let refused = |list: &[(&str, &str)]| read(Kind::Stream, Some("A"), &flags(list)).is_err();
        assert!(refused(&[("subjects", "a"), ("retention", "workqueue")]));
        assert!(refused(&[("subjects", "a"), ("storage", "disk")]));
        assert!(refused(&[("mirror", "B"), ("subjects", "a")]));
        assert!(refused(&[("subjects", "a"), ("republish-source", "a")]));
        assert!(read(Kind::KeyValue, Some("a.b"), &[]).is_err());
        assert!(read(Kind::KeyValue, Some("b"), &flags(&[("history", "65")])).is_err());
    }

    #[test]
    fn a_bucket_is_its_stream() {
        let read = read(Kind::KeyValue, Some("cfg"), &flags(&[("history", "5"), ("source", "other")])).expect("valid");
        let stream = read.stream.expect("a stream");
        assert_eq!(stream.bucket.as_deref(), Some("cfg"));
        let config = stream.config;
        assert_eq!((config.name.as_str(), config.subjects.as_slice()), ("KV_cfg", &["$KV.cfg.>".to_owned()][..]));
        assert_eq!(config.max_msgs_per_subject, 5);
        assert_eq!(config.sources[0].name, "KV_other");
        assert_eq!(config.sources[0].subject_transforms[0].src, "$KV.other.>");
        assert!(config.deny_delete && config.allow_rollup_hdrs && config.discard == Discard::New);
    }

    #[test]
    fn every_flag_that_takes_a_value_is_split_off_with_its_value() {
        // A value flag missing from VALUE_FLAGS would be read as a boolean and its value lost.
        const BOOLEANS: &[&str] = &[
            "ack",
            "discard-per-subject",
            "allow-batch",
            "allow-fast",
            "allow-counter",
            "allow-rollup",
            "deny-delete",
            "deny-purge",
            "allow-direct",
            "allow-mirror-direct",
            "allow-msg-ttl",
            "allow-schedules",
            "republish-headers",
            "defaults",
            "compress",
        ];
        for (command, list) in NATSCLI_FLAGS {
            for flag in *list {
                let takes_value = super::super::VALUE_FLAGS.contains(flag);
                assert_ne!(takes_value, BOOLEANS.contains(flag), "{command} --{flag}");
            }
        }
    }
}
