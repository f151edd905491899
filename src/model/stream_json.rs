//! The wire format of a JetStream stream configuration, both directions: the file
//! `nats stream add --config FILE` reads, and the `config` object of `nats stream info --json`
//! (nats-io/jsm.go `schemas/jetstream/api/v1/stream_configuration.json`).
//!
//! Writing goes through this file's own serde structs: the schema's required fields always, an
//! optional field only when it differs from the server's default, and for a 2.9 target only the
//! fields of the 2023-05-23 schema (the 2.9 era), so a 2.9-era CLI validates the file.
//!
//! Reading walks the JSON value field by field instead of deriving `Deserialize`, so that an
//! error names the field (`sources[1].external.api`) and the type expected there. Absent and
//! `null` fields take the server's default, as the server's Go decoder does; fields this module
//! does not know are ignored here and listed by [`unknown_fields`] (rule `stream-config-schema`).

use super::cluster::NatsVersion;
use super::stream::{
    Compression, ConsumerLimits, Discard, Nanos, Placement, Republish, Retention, Storage, StreamConfig, StreamSource,
    SubjectTransform,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use thiserror::Error;

/// Why a stream configuration file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StreamJsonError {
    #[error("a stream configuration must be a JSON object, found {found}")]
    NotAnObject { found: String },
    #[error("field `{field}` must be {expected}, found {found}")]
    WrongType { field: String, expected: &'static str, found: String },
    #[error("field `{field}` must be one of {expected}, found {found}")]
    UnknownValue { field: String, expected: &'static str, found: String },
    #[error("field `{field}` is required")]
    MissingField { field: String },
}

/// The fields one version of the schema knows, by object.
struct Schema {
    stream: &'static [&'static str],
    /// A mirror or one source.
    source: &'static [&'static str],
    placement: &'static [&'static str],
}

/// jsm.go `stream_configuration.json` at caea3c5 (current; nats-server 2.10 and later).
const CURRENT: Schema = Schema {
    stream: &[
        "name",
        "description",
        "subjects",
        "subject_transform",
        "retention",
        "max_consumers",
        "max_msgs",
        "max_msgs_per_subject",
        "max_bytes",
        "max_age",
        "max_msg_size",
        "storage",
        "compression",
        "first_seq",
        "num_replicas",
        "no_ack",
        "discard",
        "duplicate_window",
        "placement",
        "mirror",
        "sources",
        "sealed",
        "deny_delete",
        "deny_purge",
        "allow_rollup_hdrs",
        "allow_direct",
        "allow_atomic",
        "allow_msg_counter",
        "allow_msg_schedules",
        "mirror_direct",
        "republish",
        "discard_new_per_subject",
        "metadata",
        "consumer_limits",
        "allow_msg_ttl",
        "subject_delete_marker_ttl",
        "persist_mode",
        "allow_batched",
    ],
    source: &[
        "name",
        "opt_start_seq",
        "opt_start_time",
        "filter_subject",
        "subject_transforms",
        "consumer",
        "external",
    ],
    placement: &["cluster", "tags", "preferred"],
};

/// jsm.go `stream_configuration.json` at c896468 (2023-05-23), the era of nats-server 2.9.
const SCHEMA_2023_05: Schema = Schema {
    stream: &[
        "name",
        "description",
        "subjects",
        "subject_transform",
        "retention",
        "max_consumers",
        "max_msgs",
        "max_msgs_per_subject",
        "max_bytes",
        "max_age",
        "max_msg_size",
        "storage",
        "compression",
        "num_replicas",
        "no_ack",
        "template_owner",
        "discard",
        "duplicate_window",
        "placement",
        "mirror",
        "sources",
        "sealed",
        "deny_delete",
        "deny_purge",
        "allow_rollup_hdrs",
        "allow_direct",
        "mirror_direct",
        "republish",
        "discard_new_per_subject",
        "metadata",
    ],
    source: &["name", "opt_start_seq", "opt_start_time", "filter_subject", "subject_transform_dest", "external"],
    placement: &["cluster", "tags"],
};

const EXTERNAL_FIELDS: &[&str] = &["api", "deliver"];
const TRANSFORM_FIELDS: &[&str] = &["src", "dest"];
const REPUBLISH_FIELDS: &[&str] = &["src", "dest", "headers_only"];
const CONSUMER_LIMITS_FIELDS: &[&str] = &["inactive_threshold", "max_ack_pending"];
const CONSUMER_FIELDS: &[&str] = &["name", "deliver_subject"];

fn schema(version: NatsVersion) -> &'static Schema {
    match version {
        NatsVersion::V2_9 => &SCHEMA_2023_05,
        _ => &CURRENT,
    }
}

const RETENTIONS: [(&str, Retention); 3] =
    [("limits", Retention::Limits), ("interest", Retention::Interest), ("workqueue", Retention::WorkQueue)];
const STORAGES: [(&str, Storage); 2] = [("file", Storage::File), ("memory", Storage::Memory)];
const DISCARDS: [(&str, Discard); 2] = [("old", Discard::Old), ("new", Discard::New)];
const COMPRESSIONS: [(&str, Compression); 2] = [("none", Compression::None), ("s2", Compression::S2)];
/// `""` is the schema's spelling of "the server's default", read as `None`.
const PERSIST_MODES: [(&str, Option<&str>); 3] = [("", None), ("default", Some("default")), ("async", Some("async"))];

fn compression_str(compression: Compression) -> &'static str {
    match compression {
        Compression::None => "none",
        Compression::S2 => "s2",
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

#[derive(Serialize)]
struct StreamConfigJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subjects: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject_transform: Option<SubjectTransformJson<'a>>,
    retention: &'static str,
    max_consumers: i64,
    max_msgs: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_msgs_per_subject: Option<i64>,
    max_bytes: i64,
    max_age: Nanos,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_msg_size: Option<i64>,
    storage: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    compression: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_seq: Option<u64>,
    num_replicas: i64,
    #[serde(skip_serializing_if = "is_false")]
    no_ack: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    discard: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_window: Option<Nanos>,
    #[serde(skip_serializing_if = "Option::is_none")]
    placement: Option<PlacementJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mirror: Option<StreamSourceJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<StreamSourceJson<'a>>,
    #[serde(skip_serializing_if = "is_false")]
    sealed: bool,
    #[serde(skip_serializing_if = "is_false")]
    deny_delete: bool,
    #[serde(skip_serializing_if = "is_false")]
    deny_purge: bool,
    #[serde(skip_serializing_if = "is_false")]
    allow_rollup_hdrs: bool,
    #[serde(skip_serializing_if = "is_false")]
    allow_direct: bool,
    #[serde(skip_serializing_if = "is_false")]
    mirror_direct: bool,
    #[serde(skip_serializing_if = "is_false")]
    discard_new_per_subject: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    republish: Option<RepublishJson<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    metadata: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    consumer_limits: Option<ConsumerLimitsJson>,
    #[serde(skip_serializing_if = "is_false")]
    allow_msg_ttl: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject_delete_marker_ttl: Option<Nanos>,
    #[serde(skip_serializing_if = "is_false")]
    allow_msg_counter: bool,
    #[serde(skip_serializing_if = "is_false")]
    allow_atomic: bool,
    #[serde(skip_serializing_if = "is_false")]
    allow_msg_schedules: bool,
    #[serde(skip_serializing_if = "is_false")]
    allow_batched: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    persist_mode: Option<&'a str>,
}

#[derive(Serialize)]
struct SubjectTransformJson<'a> {
    src: &'a str,
    dest: &'a str,
}

#[derive(Serialize)]
struct PlacementJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

#[derive(Serialize)]
struct StreamSourceJson<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    opt_start_seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opt_start_time: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_subject: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subject_transforms: Vec<SubjectTransformJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external: Option<ExternalJson<'a>>,
}

#[derive(Serialize)]
struct ExternalJson<'a> {
    api: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deliver: Option<&'a str>,
}

#[derive(Serialize)]
struct RepublishJson<'a> {
    src: &'a str,
    dest: &'a str,
    #[serde(skip_serializing_if = "is_false")]
    headers_only: bool,
}

#[derive(Serialize)]
struct ConsumerLimitsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    inactive_threshold: Option<Nanos>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_ack_pending: Option<i64>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn transform_json(transform: &SubjectTransform) -> SubjectTransformJson<'_> {
    SubjectTransformJson { src: &transform.src, dest: &transform.dest }
}

fn source_json(source: &StreamSource) -> StreamSourceJson<'_> {
    StreamSourceJson {
        name: &source.name,
        opt_start_seq: source.opt_start_seq,
        opt_start_time: source.opt_start_time.as_deref(),
        filter_subject: source.filter_subject.as_deref(),
        subject_transforms: source.subject_transforms.iter().map(transform_json).collect(),
        // The server needs an API prefix to reach another domain; `deliver` alone means nothing.
        external: source.api.as_deref().map(|api| ExternalJson { api, deliver: source.deliver.as_deref() }),
    }
}

fn config_json(config: &StreamConfig) -> StreamConfigJson<'_> {
    StreamConfigJson {
        name: Some(config.name.as_str()).filter(|name| !name.is_empty()),
        description: config.description.as_deref(),
        subjects: Some(config.subjects.as_slice()).filter(|subjects| !subjects.is_empty()),
        subject_transform: config.subject_transform.as_ref().map(transform_json),
        retention: config.retention.as_str(),
        max_consumers: config.max_consumers,
        max_msgs: config.max_msgs,
        max_msgs_per_subject: Some(config.max_msgs_per_subject).filter(|&n| n != -1),
        max_bytes: config.max_bytes,
        max_age: config.max_age,
        max_msg_size: Some(config.max_msg_size).filter(|&n| n != -1),
        storage: config.storage.as_str(),
        compression: Some(config.compression).filter(|&c| c != Compression::None).map(compression_str),
        first_seq: config.first_seq,
        num_replicas: config.num_replicas,
        no_ack: config.no_ack,
        discard: Some(config.discard).filter(|&d| d != Discard::Old).map(Discard::as_str),
        duplicate_window: config.duplicate_window,
        placement: config.placement.as_ref().map(|p| PlacementJson { cluster: p.cluster.as_deref(), tags: &p.tags }),
        mirror: config.mirror.as_ref().map(source_json),
        sources: config.sources.iter().map(source_json).collect(),
        sealed: config.sealed,
        deny_delete: config.deny_delete,
        deny_purge: config.deny_purge,
        allow_rollup_hdrs: config.allow_rollup_hdrs,
        allow_direct: config.allow_direct,
        mirror_direct: config.mirror_direct,
        discard_new_per_subject: config.discard_new_per_subject,
        republish: config.republish.as_ref().map(|r| RepublishJson {
            src: &r.src,
            dest: &r.dest,
            headers_only: r.headers_only,
        }),
        metadata: &config.metadata,
        consumer_limits: config.consumer_limits.as_ref().map(|l| ConsumerLimitsJson {
            inactive_threshold: l.inactive_threshold,
            max_ack_pending: l.max_ack_pending,
        }),
        allow_msg_ttl: config.allow_msg_ttl,
        subject_delete_marker_ttl: config.subject_delete_marker_ttl,
        allow_msg_counter: config.allow_msg_counter,
        allow_atomic: config.allow_atomic,
        allow_msg_schedules: config.allow_msg_schedules,
        allow_batched: config.allow_batched,
        persist_mode: config.persist_mode.as_deref(),
    }
}

/// Keeps only the fields `schema` knows, in the stream and in its mirror, sources and placement.
fn retain_known(object: &mut Map<String, Value>, schema: &Schema) {
    object.retain(|key, _| schema.stream.contains(&key.as_str()));
    if let Some(mirror) = object.get_mut("mirror").and_then(Value::as_object_mut) {
        mirror.retain(|key, _| schema.source.contains(&key.as_str()));
    }
    for source in object.get_mut("sources").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(source) = source.as_object_mut() {
            source.retain(|key, _| schema.source.contains(&key.as_str()));
        }
    }
    if let Some(placement) = object.get_mut("placement").and_then(Value::as_object_mut) {
        placement.retain(|key, _| schema.placement.contains(&key.as_str()));
    }
}

/// The stream configuration as `nats stream add --config FILE` reads it, for a server of
/// `version`: the schema's required fields always, the others only when set, and for 2.9 only
/// the fields a 2.9-era schema knows. A mirror or source gets `external` when its `api` is set;
/// `origin_cluster` is the designer's own and never written.
pub fn to_json(config: &StreamConfig, version: NatsVersion) -> Value {
    let mut value = serde_json::to_value(config_json(config))
        .expect("a stream configuration serializes: string keys, no floats, no custom serializers");
    if let Some(object) = value.as_object_mut() {
        retain_known(object, schema(version));
    }
    value
}

// ---------------------------------------------------------------------------------------------
// Reading

/// What a JSON value is, for error messages: `the string "Interest"`, `an array`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("the string \"{}...\"", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// The fields of one JSON object, with the path that names them in errors.
#[derive(Clone, Copy)]
struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

type Read<T> = Result<T, StreamJsonError>;

impl<'a> Fields<'a> {
    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.path)
    }

    /// The value of `key`; `null` counts as absent, as it does for the server's decoder.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, expected: &'static str, found: &Value) -> StreamJsonError {
        StreamJsonError::WrongType { field: self.name(key), expected, found: describe(found) }
    }

    fn string(&self, key: &str) -> Read<Option<String>> {
        self.get(key).map(|v| v.as_str().map(str::to_owned).ok_or_else(|| self.wrong(key, "a string", v))).transpose()
    }

    fn required_string(&self, key: &str) -> Read<String> {
        self.string(key)?.ok_or_else(|| StreamJsonError::MissingField { field: self.name(key) })
    }

    fn bool(&self, key: &str) -> Read<bool> {
        self.get(key).map_or(Ok(false), |v| v.as_bool().ok_or_else(|| self.wrong(key, "a boolean", v)))
    }

    fn i64(&self, key: &str, expected: &'static str) -> Read<Option<i64>> {
        self.get(key).map(|v| v.as_i64().ok_or_else(|| self.wrong(key, expected, v))).transpose()
    }

    fn u64(&self, key: &str) -> Read<Option<u64>> {
        self.get(key).map(|v| v.as_u64().ok_or_else(|| self.wrong(key, "a non-negative integer", v))).transpose()
    }

    fn choice<T: Copy>(&self, key: &str, choices: &[(&str, T)], expected: &'static str) -> Read<Option<T>> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let text = value.as_str().ok_or_else(|| self.wrong(key, "a string", value))?;
        // Case-sensitive, as the server's decoder is: `Interest` is not `interest`.
        choices
            .iter()
            .find(|(spelling, _)| *spelling == text)
            .map(|&(_, choice)| Some(choice))
            .ok_or_else(|| StreamJsonError::UnknownValue { field: self.name(key), expected, found: describe(value) })
    }

    fn strings(&self, key: &str) -> Read<Vec<String>> {
        let Some(value) = self.get(key) else { return Ok(Vec::new()) };
        let items = value.as_array().ok_or_else(|| self.wrong(key, "an array of strings", value))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str().map(str::to_owned).ok_or_else(|| StreamJsonError::WrongType {
                    field: format!("{}[{i}]", self.name(key)),
                    expected: "a string",
                    found: describe(item),
                })
            })
            .collect()
    }

    fn string_map(&self, key: &str) -> Read<BTreeMap<String, String>> {
        let Some(value) = self.get(key) else { return Ok(BTreeMap::new()) };
        let map = value.as_object().ok_or_else(|| self.wrong(key, "an object of strings", value))?;
        map.iter()
            .map(|(k, v)| {
                let text = v.as_str().ok_or_else(|| StreamJsonError::WrongType {
                    field: format!("{}.{k}", self.name(key)),
                    expected: "a string",
                    found: describe(v),
                })?;
                Ok((k.clone(), text.to_owned()))
            })
            .collect()
    }

    /// The object under `key`, handed to `read` with the path extended.
    fn object<T>(&self, key: &str, read: impl FnOnce(Fields<'_>) -> Read<T>) -> Read<Option<T>> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let map = value.as_object().ok_or_else(|| self.wrong(key, "an object", value))?;
        let path = format!("{}.", self.name(key));
        read(Fields { map, path: &path }).map(Some)
    }

    /// The array of objects under `key`, each handed to `read` with its index in the path.
    fn objects<T>(&self, key: &str, mut read: impl FnMut(Fields<'_>) -> Read<T>) -> Read<Vec<T>> {
        let Some(value) = self.get(key) else { return Ok(Vec::new()) };
        let items = value.as_array().ok_or_else(|| self.wrong(key, "an array of objects", value))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let field = format!("{}[{i}]", self.name(key));
                let map = item.as_object().ok_or_else(|| StreamJsonError::WrongType {
                    field: field.clone(),
                    expected: "an object",
                    found: describe(item),
                })?;
                let path = format!("{field}.");
                read(Fields { map, path: &path })
            })
            .collect()
    }
}

const INTEGER: &str = "an integer";
const NANOS: &str = "an integer (nanoseconds)";

fn read_transform(fields: Fields<'_>) -> Read<SubjectTransform> {
    Ok(SubjectTransform { src: fields.required_string("src")?, dest: fields.required_string("dest")? })
}

fn read_source(fields: Fields<'_>) -> Read<StreamSource> {
    let external =
        fields.object("external", |external| Ok((external.required_string("api")?, external.string("deliver")?)))?;
    let (api, deliver) = external.map_or((None, None), |(api, deliver)| (Some(api), deliver));
    Ok(StreamSource {
        name: fields.required_string("name")?,
        origin_cluster: None,
        api,
        deliver,
        filter_subject: fields.string("filter_subject")?,
        subject_transforms: fields.objects("subject_transforms", read_transform)?,
        opt_start_seq: fields.u64("opt_start_seq")?,
        opt_start_time: fields.string("opt_start_time")?,
    })
}

fn read_config(fields: Fields<'_>) -> Read<StreamConfig> {
    let defaults = StreamConfig::new("");
    let max_msg_size = match fields.i64("max_msg_size", "a 32-bit integer")? {
        // The server keeps it in an int32: a larger value is invalid JSON to its decoder.
        Some(n) if i32::try_from(n).is_err() => {
            return Err(fields.wrong("max_msg_size", "a 32-bit integer", &Value::from(n)));
        }
        n => n,
    };
    Ok(StreamConfig {
        name: fields.string("name")?.unwrap_or_default(),
        description: fields.string("description")?,
        subjects: fields.strings("subjects")?,
        retention: fields
            .choice("retention", &RETENTIONS, "\"limits\", \"interest\", \"workqueue\"")?
            .unwrap_or_default(),
        max_consumers: fields.i64("max_consumers", INTEGER)?.unwrap_or(defaults.max_consumers),
        max_msgs: fields.i64("max_msgs", INTEGER)?.unwrap_or(defaults.max_msgs),
        max_bytes: fields.i64("max_bytes", INTEGER)?.unwrap_or(defaults.max_bytes),
        max_age: fields.i64("max_age", NANOS)?.unwrap_or(defaults.max_age),
        max_msgs_per_subject: fields.i64("max_msgs_per_subject", INTEGER)?.unwrap_or(defaults.max_msgs_per_subject),
        max_msg_size: max_msg_size.unwrap_or(defaults.max_msg_size),
        storage: fields.choice("storage", &STORAGES, "\"file\", \"memory\"")?.unwrap_or_default(),
        num_replicas: fields.i64("num_replicas", INTEGER)?.unwrap_or(defaults.num_replicas),
        no_ack: fields.bool("no_ack")?,
        discard: fields.choice("discard", &DISCARDS, "\"old\", \"new\"")?.unwrap_or_default(),
        duplicate_window: fields.i64("duplicate_window", NANOS)?,
        placement: fields
            .object("placement", |p| Ok(Placement { cluster: p.string("cluster")?, tags: p.strings("tags")? }))?,
        mirror: fields.object("mirror", read_source)?,
        sources: fields.objects("sources", read_source)?,
        sealed: fields.bool("sealed")?,
        deny_delete: fields.bool("deny_delete")?,
        deny_purge: fields.bool("deny_purge")?,
        allow_rollup_hdrs: fields.bool("allow_rollup_hdrs")?,
        allow_direct: fields.bool("allow_direct")?,
        mirror_direct: fields.bool("mirror_direct")?,
        discard_new_per_subject: fields.bool("discard_new_per_subject")?,
        republish: fields.object("republish", |r| {
            Ok(Republish {
                // The server republishes every stored subject when `src` is left out.
                src: r.string("src")?.unwrap_or_else(|| ">".to_owned()),
                dest: r.required_string("dest")?,
                headers_only: r.bool("headers_only")?,
            })
        })?,
        subject_transform: fields.object("subject_transform", read_transform)?,
        compression: fields.choice("compression", &COMPRESSIONS, "\"none\", \"s2\"")?.unwrap_or_default(),
        first_seq: fields.u64("first_seq")?,
        metadata: fields.string_map("metadata")?,
        consumer_limits: fields.object("consumer_limits", |l| {
            Ok(ConsumerLimits {
                inactive_threshold: l.i64("inactive_threshold", NANOS)?,
                max_ack_pending: l.i64("max_ack_pending", INTEGER)?,
            })
        })?,
        allow_msg_ttl: fields.bool("allow_msg_ttl")?,
        subject_delete_marker_ttl: fields.i64("subject_delete_marker_ttl", NANOS)?,
        allow_msg_counter: fields.bool("allow_msg_counter")?,
        allow_atomic: fields.bool("allow_atomic")?,
        allow_msg_schedules: fields.bool("allow_msg_schedules")?,
        allow_batched: fields.bool("allow_batched")?,
        persist_mode: fields
            .choice("persist_mode", &PERSIST_MODES, "\"\", \"default\", \"async\"")?
            .flatten()
            .map(str::to_owned),
    })
}

/// The stream configuration object of `value`: the value itself, or the `config` object of a
/// `nats stream info --json` document (a stream configuration has no `config` field).
fn config_object(value: &Value) -> Result<Fields<'_>, StreamJsonError> {
    let map = value.as_object().ok_or_else(|| StreamJsonError::NotAnObject { found: describe(value) })?;
    match map.get("config") {
        Some(Value::Object(config)) => Ok(Fields { map: config, path: "config." }),
        _ => Ok(Fields { map, path: "" }),
    }
}

/// Reads a stream configuration file (or the `config` of a `nats stream info --json` document).
/// Absent and `null` fields take the server's defaults; unknown fields are ignored (see
/// [`unknown_fields`]).
pub fn from_json(value: &Value) -> Result<StreamConfig, StreamJsonError> {
    read_config(config_object(value)?)
}

/// The fields of a stream configuration file that the schema of `version` does not know, as
/// paths (`allow_msg_ttl`, `sources[0].consumer`). A current server rejects such
/// a file; a 2.9 server ignores the fields (measured on 2.15.1 and 2.9.10). Object by object,
/// keys in alphabetical order.
pub fn unknown_fields(value: &Value, version: NatsVersion) -> Vec<String> {
    let schema = schema(version);
    let mut out = Vec::new();
    let Ok(config) = config_object(value) else { return out };
    unknown_in(config, schema.stream, &mut out);
    for (key, names) in [
        ("placement", schema.placement),
        ("republish", REPUBLISH_FIELDS),
        ("subject_transform", TRANSFORM_FIELDS),
        ("consumer_limits", CONSUMER_LIMITS_FIELDS),
    ] {
        unknown_in_object(config, key, schema.stream, names, &mut out);
    }
    let mut origin = |origin: Fields<'_>| {
        unknown_in(origin, schema.source, &mut out);
        unknown_in_object(origin, "external", schema.source, EXTERNAL_FIELDS, &mut out);
        unknown_in_object(origin, "consumer", schema.source, CONSUMER_FIELDS, &mut out);
        if schema.source.contains(&"subject_transforms") {
            // Only the shape matters here: a wrong type is `from_json`'s error to report.
            let _ = origin.objects("subject_transforms", |t| {
                unknown_in(t, TRANSFORM_FIELDS, &mut out);
                Ok(())
            });
        }
        Ok(())
    };
    let _ = config.object("mirror", &mut origin);
    let _ = config.objects("sources", origin);
    out
}

fn unknown_in(fields: Fields<'_>, names: &[&str], out: &mut Vec<String>) {
    out.extend(fields.map.keys().filter(|k| !names.contains(&k.as_str())).map(|k| fields.name(k)));
}

/// The unknown fields of the object under `key`, when the parent's schema knows `key` at all
/// (an unknown parent is reported once, not with each of its fields).
fn unknown_in_object(fields: Fields<'_>, key: &str, parent: &[&str], names: &[&str], out: &mut Vec<String>) {
    if parent.contains(&key) {
        let _ = fields.object(key, |inner| {
            unknown_in(inner, names, out);
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::stream::SECOND;
    use serde_json::json;

    fn parse(text: &str) -> StreamConfig {
        let value: Value = serde_json::from_str(text).expect("test input is JSON");
        from_json(&value).unwrap_or_else(|e| panic!("{e}\nin {text}"))
    }

    /// The error message `from_json` gives for `value`.
    fn error(value: Value) -> String {
        match from_json(&value) {
            Ok(config) => panic!("expected an error for {value}, read {config:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn source(name: &str) -> StreamSource {
        StreamSource {
            name: name.to_owned(),
            origin_cluster: None,
            api: Some("$JS.hub.API".to_owned()),
            deliver: Some("deliver.hub".to_owned()),
            filter_subject: Some("orders.>".to_owned()),
            subject_transforms: vec![SubjectTransform { src: "orders.>".to_owned(), dest: "copy.>".to_owned() }],
            opt_start_seq: Some(42),
            opt_start_time: Some("2024-01-02T03:04:05Z".to_owned()),
        }
    }

    /// A configuration with every field set away from its default.
    fn full() -> StreamConfig {
        StreamConfig {
            name: "orders".to_owned(),
            description: Some("every order".to_owned()),
            subjects: vec!["orders.>".to_owned(), "returns.*".to_owned()],
            retention: Retention::WorkQueue,
            max_consumers: 10,
            max_msgs: 1000,
            max_bytes: 1 << 30,
            max_age: 3600 * SECOND,
            max_msgs_per_subject: 5,
            max_msg_size: 65536,
            storage: Storage::Memory,
            num_replicas: 3,
            no_ack: true,
            discard: Discard::New,
            duplicate_window: Some(120 * SECOND),
            placement: Some(Placement { cluster: Some("hub".to_owned()), tags: vec!["ssd".to_owned()] }),
            mirror: Some(source("upstream")),
            sources: vec![source("tickets-1"), source("tickets-2")],
            sealed: true,
            deny_delete: true,
            deny_purge: true,
            allow_rollup_hdrs: true,
            allow_direct: true,
            mirror_direct: true,
            discard_new_per_subject: true,
            republish: Some(Republish { src: "orders.>".to_owned(), dest: "repub.>".to_owned(), headers_only: true }),
            subject_transform: Some(SubjectTransform { src: "in.>".to_owned(), dest: "orders.>".to_owned() }),
            compression: Compression::S2,
            first_seq: Some(100),
            metadata: BTreeMap::from([("owner".to_owned(), "sales".to_owned())]),
            consumer_limits: Some(ConsumerLimits { inactive_threshold: Some(30 * SECOND), max_ack_pending: Some(500) }),
            allow_msg_ttl: true,
            subject_delete_marker_ttl: Some(60 * SECOND),
            allow_msg_counter: true,
            allow_atomic: true,
            allow_msg_schedules: true,
            allow_batched: true,
            persist_mode: Some("async".to_owned()),
        }
    }

    fn keys(value: &Value) -> Vec<&str> {
        value.as_object().expect("an object").keys().map(String::as_str).collect()
    }

    #[test]
    fn a_fully_populated_config_survives_a_round_trip() {
        let config = full();
        let json = to_json(&config, NatsVersion::V2_14);
        assert_eq!(from_json(&json), Ok(config));
        assert!(unknown_fields(&json, NatsVersion::V2_14).is_empty(), "{json}");
    }

    #[test]
    fn a_fully_populated_config_writes_every_field_of_the_current_schema() {
        let json = to_json(&full(), NatsVersion::V2_14);
        let mut written = keys(&json);
        written.sort_unstable();
        let mut schema = CURRENT.stream.to_vec();
        schema.sort_unstable();
        assert_eq!(written, schema);
        assert_eq!(
            json["mirror"],
            json!({
                "name": "upstream",
                "opt_start_seq": 42,
                "opt_start_time": "2024-01-02T03:04:05Z",
                "filter_subject": "orders.>",
                "subject_transforms": [{"src": "orders.>", "dest": "copy.>"}],
                "external": {"api": "$JS.hub.API", "deliver": "deliver.hub"}
            })
        );
    }

    #[test]
    fn a_default_config_writes_only_the_required_fields_and_its_name() {
        let json = to_json(&StreamConfig::new("plain"), NatsVersion::V2_14);
        assert_eq!(
            json,
            json!({
                "name": "plain",
                "retention": "limits",
                "max_consumers": -1,
                "max_msgs": -1,
                "max_bytes": -1,
                "max_age": 0,
                "storage": "file",
                "num_replicas": 1
            })
        );
        assert_eq!(from_json(&json), Ok(StreamConfig::new("plain")));
    }

    #[test]
    fn for_2_9_only_fields_of_the_2023_05_schema_are_written() {
        let json = to_json(&full(), NatsVersion::V2_9);
        for key in keys(&json) {
            assert!(SCHEMA_2023_05.stream.contains(&key), "{key} is not in the 2023-05 schema");
        }
        for dropped in [
            "allow_atomic",
            "allow_batched",
            "allow_msg_counter",
            "allow_msg_schedules",
            "allow_msg_ttl",
            "consumer_limits",
            "first_seq",
            "persist_mode",
            "subject_delete_marker_ttl",
        ] {
            assert!(json.get(dropped).is_none(), "{dropped} written for 2.9");
        }
        // Fields the 2023-05 schema knows stay.
        assert_eq!(json["compression"], "s2");
        assert_eq!(json["metadata"], json!({"owner": "sales"}));
        for origin in std::iter::once(&json["mirror"]).chain(json["sources"].as_array().expect("sources")) {
            assert!(origin.get("subject_transforms").is_none(), "{origin}");
            assert_eq!(origin["external"]["api"], "$JS.hub.API");
            assert_eq!(origin["filter_subject"], "orders.>");
        }
        assert!(unknown_fields(&json, NatsVersion::V2_9).is_empty(), "{json}");
    }

    #[test]
    fn origin_cluster_is_never_written_and_external_needs_an_api() {
        let mut config = StreamConfig::new("copy");
        let mut derived = source("origin");
        derived.origin_cluster = Some(crate::model::ClusterId(7));
        derived.api = None;
        config.sources = vec![derived];
        let json = to_json(&config, NatsVersion::V2_14);
        let written = &json["sources"][0];
        assert!(written.get("external").is_none(), "{written}");
        assert!(written.get("origin_cluster").is_none(), "{written}");
    }

    #[test]
    fn every_enum_is_spelled_as_the_schema_spells_it_both_ways() {
        let cases = [
            ("retention", "limits"),
            ("retention", "interest"),
            ("retention", "workqueue"),
            ("storage", "file"),
            ("storage", "memory"),
            ("discard", "old"),
            ("discard", "new"),
            ("compression", "none"),
            ("compression", "s2"),
            ("persist_mode", "default"),
            ("persist_mode", "async"),
        ];
        for (field, spelling) in cases {
            let config = from_json(&json!({ "name": "s", field: spelling })).expect("a known spelling");
            let written = to_json(&config, NatsVersion::V2_14);
            // Defaults of optional fields are left out; required ones are always written.
            let expected = match (field, spelling) {
                ("discard", "old") | ("compression", "none") => Value::Null,
                _ => json!(spelling),
            };
            assert_eq!(written.get(field).cloned().unwrap_or(Value::Null), expected, "{field}: {spelling}");
        }
        assert_eq!(parse(r#"{"persist_mode": ""}"#).persist_mode, None);
    }

    #[test]
    fn enums_are_case_sensitive_as_on_the_server() {
        assert_eq!(
            error(json!({"retention": "Interest"})),
            r#"field `retention` must be one of "limits", "interest", "workqueue", found the string "Interest""#
        );
        assert_eq!(
            error(json!({"retention": "work_queue"})),
            r#"field `retention` must be one of "limits", "interest", "workqueue", found the string "work_queue""#
        );
        assert_eq!(
            error(json!({"storage": "disk"})),
            r#"field `storage` must be one of "file", "memory", found the string "disk""#
        );
        assert_eq!(error(json!({"discard": 1})), "field `discard` must be a string, found the number 1");
    }

    #[test]
    fn wrong_types_name_the_field_and_the_expected_type() {
        let cases = [
            (json!({"max_age": "1h"}), r#"field `max_age` must be an integer (nanoseconds), found the string "1h""#),
            (json!({"max_age": 1.5}), "field `max_age` must be an integer (nanoseconds), found the number 1.5"),
            (json!({"max_msgs": true}), "field `max_msgs` must be an integer, found the boolean true"),
            (json!({"num_replicas": "3"}), r#"field `num_replicas` must be an integer, found the string "3""#),
            (
                json!({"max_msg_size": 4294967296_i64}),
                "field `max_msg_size` must be a 32-bit integer, found the number 4294967296",
            ),
            (
                json!({"subjects": "orders.>"}),
                r#"field `subjects` must be an array of strings, found the string "orders.>""#,
            ),
            (json!({"subjects": ["a", 2]}), "field `subjects[1]` must be a string, found the number 2"),
            (json!({"no_ack": "yes"}), r#"field `no_ack` must be a boolean, found the string "yes""#),
            (json!({"name": 5}), "field `name` must be a string, found the number 5"),
            (json!({"mirror": "cinema-a"}), r#"field `mirror` must be an object, found the string "cinema-a""#),
            (json!({"sources": {"name": "a"}}), "field `sources` must be an array of objects, found an object"),
            (json!({"sources": [{"name": "a"}, "b"]}), r#"field `sources[1]` must be an object, found the string "b""#),
            (json!({"sources": [{"external": {"api": "$JS.a.API"}}]}), "field `sources[0].name` is required"),
            (
                json!({"sources": [{"name": "a", "external": {"deliver": ""}}]}),
                "field `sources[0].external.api` is required",
            ),
            (
                json!({"mirror": {"name": "a", "opt_start_seq": -1}}),
                "field `mirror.opt_start_seq` must be a non-negative integer, found the number -1",
            ),
            (
                json!({"mirror": {"name": "a", "subject_transforms": [{"src": "a"}]}}),
                "field `mirror.subject_transforms[0].dest` is required",
            ),
            (json!({"metadata": {"a": 1}}), "field `metadata.a` must be a string, found the number 1"),
            (
                json!({"config": {"max_bytes": "1G"}}),
                r#"field `config.max_bytes` must be an integer, found the string "1G""#,
            ),
            (json!(["orders"]), "a stream configuration must be a JSON object, found an array"),
        ];
        for (value, message) in cases {
            assert_eq!(error(value), message);
        }
    }

    #[test]
    fn absent_and_null_fields_take_the_server_defaults() {
        assert_eq!(parse(r#"{"name": "a"}"#), StreamConfig::new("a"));
        assert_eq!(
            parse(r#"{"name": "a", "sources": null, "max_age": null, "subjects": null}"#),
            StreamConfig::new("a")
        );
        let partial = parse(r#"{"name": "a", "republish": {"dest": "out.>"}}"#);
        assert_eq!(partial.republish.expect("republish").src, ">");
    }

    #[test]
    fn the_config_of_a_stream_info_document_is_read() {
        let info = json!({
            "type": "io.nats.jetstream.api.v1.stream_info_response",
            "config": {"name": "orders", "subjects": ["orders.>"], "retention": "interest", "num_replicas": 3},
            "created": "2024-01-02T03:04:05Z",
            "state": {"messages": 0}
        });
        let config = from_json(&info).expect("an info document");
        assert_eq!(config.name, "orders");
        assert_eq!(config.retention, Retention::Interest);
        assert_eq!(config.num_replicas, 3);
    }

    #[test]
    fn unknown_fields_are_listed_by_path_for_the_version() {
        let value = json!({
            "name": "a",
            "foo": 1,
            "allow_msg_ttl": true,
            "template_owner": "",
            "placement": {"cluster": "hub", "preferred": "n1"},
            "sources": [{"name": "b", "consumer": {"name": "c", "deliver_subject": "d"}, "external": {"api": "x", "prefix": "y"}}]
        });
        assert_eq!(
            unknown_fields(&value, NatsVersion::V2_14),
            ["foo", "template_owner", "sources[0].external.prefix"].map(str::to_owned)
        );
        assert_eq!(
            unknown_fields(&value, NatsVersion::V2_9),
            ["allow_msg_ttl", "foo", "placement.preferred", "sources[0].consumer", "sources[0].external.prefix"]
                .map(str::to_owned)
        );
    }

    // The five stream files of the guide (`shared/seed/guide.md`), verbatim: the import
    // fixtures, which `tests/import_guide.rs` checks against the guide.
    const GUIDE_CINEMA_A: &str = include_str!("../../tests/fixtures/guide-as-written/src/hub.cinema-a.json");
    /// `src/spoke-1.cinema-a-mirror.json`: identical to `hub.cinema-a.json`, no `mirror` block.
    const GUIDE_CINEMA_A_MIRROR: &str =
        include_str!("../../tests/fixtures/guide-as-written/src/spoke-1.cinema-a-mirror.json");
    const GUIDE_TICKETS_1: &str = include_str!("../../tests/fixtures/guide-as-written/src/spoke-1.tickets-1.json");
    const GUIDE_TICKETS_2: &str = include_str!("../../tests/fixtures/guide-as-written/src/spoke-2.tickets-2.json");
    const GUIDE_SALES: &str = include_str!("../../tests/fixtures/guide-as-written/src/hub.sales.json");

    #[test]
    fn the_five_stream_files_of_the_guide_parse() {
        for (text, name, subjects) in [
            (GUIDE_CINEMA_A, "cinema-a", vec!["cinema-a.new.films"]),
            (GUIDE_CINEMA_A_MIRROR, "cinema-a", vec!["cinema-a.new.films"]),
            (GUIDE_TICKETS_1, "tickets-1", vec!["tickets-1.>"]),
            (GUIDE_TICKETS_2, "tickets-2", vec!["tickets-2.>"]),
        ] {
            let config = parse(text);
            assert_eq!(config.name, name);
            assert_eq!(config.subjects, subjects);
            assert_eq!(config.retention, Retention::Interest);
            assert_eq!(config.discard, Discard::New);
            assert_eq!(config.num_replicas, 3);
            assert_eq!(config.duplicate_window, Some(120 * SECOND));
            assert!(config.mirror.is_none() && config.sources.is_empty());
            let value: Value = serde_json::from_str(text).expect("JSON");
            assert!(unknown_fields(&value, NatsVersion::V2_9).is_empty());
        }
        let sales = parse(GUIDE_SALES);
        assert_eq!(sales.max_msgs_per_subject, 0);
        assert!(sales.subjects.is_empty());
        let origins: Vec<_> =
            sales.sources.iter().map(|s| (s.name.as_str(), s.api.as_deref(), s.deliver.as_deref())).collect();
        assert_eq!(
            origins,
            [("tickets-1", Some("$JS.spoke-1.API"), Some("")), ("tickets-2", Some("$JS.spoke-2.API"), Some(""))]
        );
        // Writing it back keeps what the file said.
        assert_eq!(from_json(&to_json(&sales, NatsVersion::V2_9)), Ok(sales));
    }
}
