//! The design file: a versioned JSON document (`docs/design-format.md`), with its own serde
//! structs. The domain types have no serde derives, and user text is never deserialized into them.
//!
//! Invariants: `save` is deterministic (pretty JSON, clusters and streams in id order, maps
//! sorted, optional fields omitted when they hold their default), so a design kept in git diffs
//! cleanly; `load(&save(d))` gives `d` back with no repairs. `load` rejects what it cannot read
//! with a `LoadError` naming the place (`streams[3].config.num_replicas: expected an integer`),
//! migrates older versions one step at a time, fills defaults, and repairs broken references,
//! reporting each repair in plain words.

use super::cluster::{
    Account, Cluster, Export, Import, LeafnodeListener, LeafnodeRemote, LocalSubject, NatsVersion, Password,
    ResponseType, Role, ShareKind, User,
};
use super::consumer;
use super::geometry::Point;
use super::ids::{ClusterId, StreamId};
use super::stream::{
    Compression, ConsumerLimits, Discard, Placement, Republish, Retention, Storage, Stream, StreamConfig, StreamSource,
    SubjectTransform,
};
use super::topology::Design;
use crate::model::sort::CollectSorted;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

mod gateways;
mod tls;
use gateways::{add_gateways, gateway_file, gateway_from_file, GatewayFile};
use tls::{
    cluster_tls_file, cluster_tls_from_file, dial_file, dial_from_file, listener_file, listener_from_file,
    ClusterTlsFile, TlsDialFile, TlsListenerFile,
};

/// The value of the file's `format` field.
pub const FORMAT: &str = "nats-topology";

/// The version `save` writes, and the newest `load` reads.
pub const VERSION: u64 = 3;

/// The largest id number a file may use, far below `u32::MAX` so the design's allocator can keep
/// counting after it.
const MAX_ID: u32 = i32::MAX as u32;

/// `MIGRATIONS[n - 1]` rewrites a version-`n` document as version `n + 1` (setting its `version`).
const MIGRATIONS: [fn(Value) -> Result<Value, LoadError>; VERSION as usize - 1] = [v1_to_v2, add_gateways];

/// Version 2 added accounts' `exports` and `imports`; a version-1 file is a version-2 file
/// without them.
fn v1_to_v2(mut document: Value) -> Result<Value, LoadError> {
    if let Some(object) = document.as_object_mut() {
        object.insert("version".to_owned(), Value::from(2));
    }
    Ok(document)
}

/// A design read from a file, with what `load` had to repair to read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub design: Design,
    /// One sentence per repair, in the order they were made; empty for a file `save` wrote.
    pub repairs: Vec<String>,
}

/// Why a file could not be read as a design.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LoadError {
    #[error("not JSON: {message} (line {line}, column {column})")]
    NotJson { message: String, line: usize, column: usize },
    #[error("not a design file: the document is {found}, expected an object")]
    NotAnObject { found: &'static str },
    #[error("format: missing; a design file starts with {{\"format\": \"nats-topology\", \"version\": 3, ...}}")]
    FormatMissing,
    #[error("format: expected \"nats-topology\", found {found}")]
    FormatWrong { found: String },
    #[error("version: missing; expected a whole number from 1 to {supported}")]
    VersionMissing { supported: u64 },
    #[error("version: expected a whole number from 1 to {supported}, found {found}")]
    VersionInvalid { found: String, supported: u64 },
    #[error("version: {version} is newer than this tool reads (up to {supported}); upgrade nats-topology")]
    VersionTooNew { version: u64, supported: u64 },
    /// A field is missing, unknown, or of the wrong type or value.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    /// As `Invalid`, where the reader knows the line.
    #[error("line {line}, {path}: {message}")]
    InvalidAt { path: String, message: String, line: usize },
    /// An object names one key twice; JSON readers would silently keep one of the two values.
    #[error("{path}: duplicate key {key:?} (line {line}); each key may appear once in its object")]
    DuplicateKey { path: String, key: String, line: usize },
}

/// The design as a file: deterministic, diff-friendly text.
pub fn save(design: &Design) -> String {
    let file = DesignFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        name: design.name.clone(),
        clusters: design.clusters().map(|(id, c)| cluster_file(id, c)).collect(),
        streams: design.streams().map(stream_file).collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).expect("the file structs have string keys only");
    text.push('\n');
    text
}

/// Reads a design file: checks the format and version, migrates, fills defaults, and repairs
/// broken references (reported in `Loaded::repairs`).
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    // Editors on Windows write a byte-order mark; JSON readers may ignore it (RFC 8259, 8.1).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document: Value = serde_json::from_str(text).map_err(|e| LoadError::NotJson {
        message: bare_message(&e),
        line: e.line(),
        column: e.column(),
    })?;
    unique_keys(text)?;
    let version = header(&document)?;
    let file = if version == VERSION {
        // Decoding the original text keeps error positions (and so lines) exact.
        decode(text)?
    } else {
        let migrated = migrate(document.clone(), version)?;
        let mut same = document;
        if let Some(object) = same.as_object_mut() {
            object.insert("version".to_owned(), Value::from(VERSION));
        }
        if same == migrated {
            // Only the version changed (the newer format adds to the older): the original text
            // still reads, with its own lines.
            decode(text)?
        } else {
            decode(&serde_json::to_string_pretty(&migrated).expect("a JSON value serializes"))?
        }
    };
    rebuild(file)
}

/// Fails at the first key that appears twice in one object, naming it with its path and line.
/// `text` is known to be JSON.
fn unique_keys(text: &str) -> Result<(), LoadError> {
    let Err((e, path)) = deserialize_with_path::<UniqueKeys>(text) else { return Ok(()) };
    let message = bare_message(&e);
    let key = message.strip_prefix(DUPLICATE_KEY).unwrap_or(&message).to_owned();
    // The error is raised just after the key, which the path then ends with.
    Err(LoadError::DuplicateKey { path, key, line: e.line() })
}

/// Deserializes `text`; on failure the error and the JSON path (`streams[3].config.num_replicas`,
/// `document` at the top) of the value at fault.
///
/// The path is found after the fact, from where serde_json stopped ([`path_at`]), rather than by
/// tracking it during the parse (`serde_path_to_error`, which the tests use as the reference):
/// tracking wraps every visitor of the file structs in a second copy, about 100 KB of the
/// designer's wasm for a path only a failing load needs.
fn deserialize_with_path<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, (serde_json::Error, String)> {
    serde_json::from_str(text).map_err(|e| {
        let at = line_start(text, e.line()).map_or(text.len(), |start| (start + e.column()).min(text.len()));
        let message = e.to_string();
        // Errors raised while reading a key itself (`unknown field`) name the key; errors about the
        // object around it name the object: a repeated key or field, an enum's unknown variant key
        // (all raised just after the key), a second key in an enum's object ("expected value",
        // raised after the first key's whole value, where an enum given a number, say, raises it
        // just after the value's first byte, and an enum given `{}` just after the `}`).
        let key_named = ![DUPLICATE_KEY, "duplicate field", "unknown variant"].iter().any(|p| message.starts_with(p));
        let bytes = text.as_bytes();
        let delimiter = |i: usize| matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n' | b':' | b',' | b'[');
        let scalar = |i: usize| bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-';
        let after_first_byte = at >= 2 && scalar(at - 1) && delimiter(at - 2);
        let after_empty_object = text[..at].strip_suffix('}').is_some_and(|t| t.trim_end().ends_with('{'));
        let value_named = !message.starts_with("expected value") || after_first_byte || after_empty_object;
        let path = path_at(text.as_bytes(), at, key_named, value_named);
        (e, path)
    })
}

/// The byte offset where 1-based `line` starts.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').nth(line - 2).map(|(i, _)| i + 1)
}

/// One level of JSON around a position: an object (with its current key, and whether its value has
/// begun) or an array (with its current index, and whether that element has begun).
enum Level {
    Object { key: Option<String>, in_value: bool },
    Array { index: usize, started: bool },
}

/// The JSON path of the value being read at byte `at` of the JSON `text`. The innermost object's
/// current key is part of it if `key_named` (when `at` is just after the key) or `value_named`
/// (when `at` is in or after its value).
fn path_at(full: &[u8], at: usize, key_named: bool, value_named: bool) -> String {
    let text = &full[..at];
    let mut levels: Vec<Level> = Vec::new();
    let begin_value = |levels: &mut Vec<Level>| {
        if let Some(Level::Array { started, .. }) = levels.last_mut() {
            *started = true;
        }
    };
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'{' => {
                begin_value(&mut levels);
                levels.push(Level::Object { key: None, in_value: false });
            }
            b'[' => {
                begin_value(&mut levels);
                levels.push(Level::Array { index: 0, started: false });
            }
            b'}' | b']' => {
                levels.pop();
            }
            b':' => {
                if let Some(Level::Object { in_value, .. }) = levels.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match levels.last_mut() {
                Some(Level::Object { key, in_value }) => (*key, *in_value) = (None, false),
                Some(Level::Array { index, started }) => (*index, *started) = (*index + 1, false),
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
                match levels.last_mut() {
                    Some(Level::Object { key, in_value: false }) if i < text.len() => {
                        *key = std::str::from_utf8(&text[start..=i]).ok().and_then(|k| serde_json::from_str(k).ok());
                    }
                    _ => begin_value(&mut levels),
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => begin_value(&mut levels),
        }
        i += 1;
    }
    // serde_json places some errors about a value (`invalid type: sequence`) just before it.
    let next = full.get(at).copied();
    if let Some(Level::Array { started, .. }) = levels.last_mut() {
        *started |= next.is_some_and(|b| !matches!(b, b']' | b',' | b' ' | b'\t' | b'\r' | b'\n'));
    }
    let last = levels.len().saturating_sub(1);
    let mut out = String::new();
    for (depth, level) in levels.iter().enumerate() {
        match level {
            Level::Array { index, started: true } => out = format!("{out}[{index}]"),
            Level::Object { key: Some(key), in_value }
                if depth < last || if *in_value { value_named } else { key_named } =>
            {
                let plain_key =
                    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                match (plain_key, out.is_empty()) {
                    (true, true) => out.push_str(key),
                    (true, false) => out = format!("{out}.{key}"),
                    (false, _) => out = format!("{out}[{key:?}]"),
                }
            }
            _ => {}
        }
    }
    if out.is_empty() {
        "document".to_owned()
    } else {
        out
    }
}

const DUPLICATE_KEY: &str = "duplicate key: ";

/// A JSON value that only checks its objects for repeated keys.
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(serde::de::Error::custom(format!("{DUPLICATE_KEY}{key}")));
            }
            map.next_value::<UniqueKeys>()?;
            seen.insert(key);
        }
        Ok(UniqueKeys)
    }
}

fn header(document: &Value) -> Result<u64, LoadError> {
    let Value::Object(fields) = document else {
        return Err(LoadError::NotAnObject { found: kind(document) });
    };
    match fields.get("format") {
        None => return Err(LoadError::FormatMissing),
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => return Err(LoadError::FormatWrong { found: excerpt(other) }),
    }
    let version = fields.get("version").ok_or(LoadError::VersionMissing { supported: VERSION })?;
    match version.as_u64() {
        Some(v) if v > VERSION => Err(LoadError::VersionTooNew { version: v, supported: VERSION }),
        Some(v) if v >= 1 => Ok(v),
        _ => Err(LoadError::VersionInvalid { found: excerpt(version), supported: VERSION }),
    }
}

fn migrate(mut document: Value, from: u64) -> Result<Value, LoadError> {
    let first = usize::try_from(from.saturating_sub(1)).unwrap_or(usize::MAX).min(MIGRATIONS.len());
    for step in &MIGRATIONS[first..] {
        document = step(document)?;
    }
    Ok(document)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as JSON, shortened for a message.
fn excerpt(value: &Value) -> String {
    const LIMIT: usize = 40;
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// serde_json's message without its " at line L column C" suffix (the caller places it).
fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).map_or_else(|| text.clone(), str::to_owned)
}

fn decode(text: &str) -> Result<DesignFile, LoadError> {
    deserialize_with_path(text).map_err(|(e, path)| LoadError::InvalidAt {
        path,
        message: plain(&bare_message(&e)),
        line: e.line(),
    })
}

/// Rewrites serde's type names in words: `expected an integer, found string "seven"`.
fn plain(message: &str) -> String {
    const WORDS: [(&str, &str); 6] = [
        ("expected i64", "expected an integer"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected f64", "expected a number"),
    ];
    let mut message = message.to_owned();
    for (from, to) in WORDS {
        if message.ends_with(from) {
            message.replace_range(message.len() - from.len().., to);
        }
    }
    // "unknown field `domian`, expected one of `id`, ...": said as a person would.
    if let Some((field, expected)) = message.strip_prefix("unknown field ").and_then(|m| m.split_once(", expected ")) {
        let expected = expected.strip_prefix("one of ").unwrap_or(expected);
        return format!("{field} is not a field a design file has here; the fields here are {expected}");
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = message.strip_prefix(prefix).and_then(|m| m.rsplit_once(", expected ")) {
            return format!("expected {expected}, found {found}");
        }
    }
    message
}

// ---------------------------------------------------------------------------------------------
// The file structs, version 1. Field order is output order.

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a design file object")]
struct DesignFile {
    format: String,
    version: u64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    clusters: Vec<ClusterFile>,
    #[serde(default)]
    streams: Vec<StreamFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a cluster object")]
struct ClusterFile {
    id: String,
    name: String,
    #[serde(default)]
    role: RoleFile,
    #[serde(default)]
    position: PositionFile,
    #[serde(default)]
    nats_version: VersionFile,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    jetstream: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    domain: String,
    #[serde(default = "three", skip_serializing_if = "is_three")]
    servers: u8,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    server_name_prefix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    system_account: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    accounts: BTreeMap<String, AccountFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    leafnode_listener: Option<ListenerFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    remotes: Vec<RemoteFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gateway: Option<GatewayFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    server_tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls: Option<ClusterTlsFile>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase", expecting = "\"hub\", \"spoke\" or \"standalone\"")]
enum RoleFile {
    Hub,
    Spoke,
    #[default]
    Standalone,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(expecting = "a NATS server release line: \"2.9\", \"2.10\", \"2.11\", \"2.12\" or \"2.14\"")]
enum VersionFile {
    #[serde(rename = "2.9")]
    V2_9,
    #[serde(rename = "2.10")]
    V2_10,
    #[serde(rename = "2.11")]
    V2_11,
    #[serde(rename = "2.12")]
    V2_12,
    #[serde(rename = "2.14")]
    #[default]
    V2_14,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a position object {\"x\": ..., \"y\": ...}")]
struct PositionFile {
    #[serde(default)]
    x: f64,
    #[serde(default)]
    y: f64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an account object")]
struct AccountFile {
    #[serde(default, skip_serializing_if = "is_default")]
    jetstream: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    users: Vec<UserFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exports: Vec<ExportFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    imports: Vec<ImportFile>,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase", expecting = "\"stream\" or \"service\"")]
enum ShareKindFile {
    Stream,
    Service,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase", expecting = "\"singleton\", \"stream\" or \"chunked\"")]
enum ResponseTypeFile {
    Singleton,
    Stream,
    Chunked,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an export object {\"kind\": ..., \"subject\": ...}")]
struct ExportFile {
    kind: ShareKindFile,
    subject: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    accounts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response_type: Option<ResponseTypeFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an import object {\"kind\": ..., \"account\": ..., \"subject\": ...}")]
struct ImportFile {
    kind: ShareKindFile,
    account: String,
    subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    local: Option<LocalFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase", expecting = "where an import appears: {\"to\": ...} or {\"prefix\": ...}")]
enum LocalFile {
    To(String),
    Prefix(String),
}

impl From<ShareKind> for ShareKindFile {
    fn from(kind: ShareKind) -> Self {
        match kind {
            ShareKind::Stream => ShareKindFile::Stream,
            ShareKind::Service => ShareKindFile::Service,
        }
    }
}

impl From<ShareKindFile> for ShareKind {
    fn from(kind: ShareKindFile) -> Self {
        match kind {
            ShareKindFile::Stream => ShareKind::Stream,
            ShareKindFile::Service => ShareKind::Service,
        }
    }
}

impl From<ResponseType> for ResponseTypeFile {
    fn from(response: ResponseType) -> Self {
        match response {
            ResponseType::Singleton => ResponseTypeFile::Singleton,
            ResponseType::Stream => ResponseTypeFile::Stream,
            ResponseType::Chunked => ResponseTypeFile::Chunked,
        }
    }
}

impl From<ResponseTypeFile> for ResponseType {
    fn from(response: ResponseTypeFile) -> Self {
        match response {
            ResponseTypeFile::Singleton => ResponseType::Singleton,
            ResponseTypeFile::Stream => ResponseType::Stream,
            ResponseTypeFile::Chunked => ResponseType::Chunked,
        }
    }
}

fn export_file(e: &Export) -> ExportFile {
    ExportFile {
        kind: e.kind.into(),
        subject: e.subject.clone(),
        accounts: e.accounts.clone(),
        response_type: e.response_type.map(Into::into),
    }
}

fn export_from_file(e: ExportFile) -> Export {
    Export {
        kind: e.kind.into(),
        subject: e.subject,
        accounts: e.accounts,
        response_type: e.response_type.map(Into::into),
    }
}

fn import_file(i: &Import) -> ImportFile {
    ImportFile {
        kind: i.kind.into(),
        account: i.account.clone(),
        subject: i.subject.clone(),
        local: i.local.as_ref().map(|local| match local {
            LocalSubject::To(to) => LocalFile::To(to.clone()),
            LocalSubject::Prefix(prefix) => LocalFile::Prefix(prefix.clone()),
        }),
    }
}

fn import_from_file(i: ImportFile) -> Import {
    Import {
        kind: i.kind.into(),
        account: i.account,
        subject: i.subject,
        local: i.local.map(|local| match local {
            LocalFile::To(to) => LocalSubject::To(to),
            LocalFile::Prefix(prefix) => LocalSubject::Prefix(prefix),
        }),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a user object")]
struct UserFile {
    name: String,
    password: PasswordFile,
}

#[derive(Serialize, Deserialize)]
#[serde(
    rename_all = "lowercase",
    expecting = "a password: {\"plain\": ...}, {\"bcrypt\": ...} or {\"secret\": {\"name\": ..., \"key\": ...}}"
)]
enum PasswordFile {
    Plain(String),
    Bcrypt(String),
    Secret(SecretFile),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a secret reference {\"name\": ..., \"key\": ...}")]
struct SecretFile {
    name: String,
    key: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a leafnode listener object")]
struct ListenerFile {
    #[serde(default = "leafnode_port", skip_serializing_if = "is_leafnode_port")]
    port: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    public_endpoints: Vec<String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    no_advertise: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls: Option<TlsListenerFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a leafnode remote object")]
struct RemoteFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    #[serde(default)]
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    local_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<PasswordFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    credentials: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nkey: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls: Option<TlsDialFile>,
}

/// A stream: its placement (designer fields) and its configuration (JetStream wire fields).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a stream object")]
struct StreamFile {
    id: String,
    cluster: String,
    #[serde(default)]
    account: String,
    config: ConfigFile,
    /// The stream's durable consumers, each in the wire format of `model::consumer` (added
    /// without a version bump: optional, and left out when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    consumers: Vec<Value>,
}

/// A JetStream stream configuration, in the server's field names and units (durations in
/// nanoseconds). Designer-only data sits in `designer` objects of mirrors and sources.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a stream configuration object")]
struct ConfigFile {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    subjects: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    retention: RetentionFile,
    #[serde(default = "unlimited", skip_serializing_if = "is_unlimited")]
    max_consumers: i64,
    #[serde(default = "unlimited", skip_serializing_if = "is_unlimited")]
    max_msgs: i64,
    #[serde(default = "unlimited", skip_serializing_if = "is_unlimited")]
    max_bytes: i64,
    #[serde(default, skip_serializing_if = "is_default")]
    max_age: i64,
    #[serde(default = "unlimited", skip_serializing_if = "is_unlimited")]
    max_msgs_per_subject: i64,
    #[serde(default = "unlimited", skip_serializing_if = "is_unlimited")]
    max_msg_size: i64,
    #[serde(default, skip_serializing_if = "is_default")]
    storage: StorageFile,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    num_replicas: i64,
    #[serde(default, skip_serializing_if = "is_default")]
    no_ack: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    discard: DiscardFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duplicate_window: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    placement: Option<PlacementFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mirror: Option<SourceFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<SourceFile>,
    #[serde(default, skip_serializing_if = "is_default")]
    sealed: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    deny_delete: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    deny_purge: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    allow_rollup_hdrs: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    allow_direct: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    mirror_direct: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    discard_new_per_subject: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    republish: Option<RepublishFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject_transform: Option<TransformFile>,
    #[serde(default, skip_serializing_if = "is_default")]
    compression: CompressionFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    metadata: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    consumer_limits: Option<ConsumerLimitsFile>,
    #[serde(default, skip_serializing_if = "is_default")]
    allow_msg_ttl: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject_delete_marker_ttl: Option<i64>,
    #[serde(default, skip_serializing_if = "is_default")]
    allow_msg_counter: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    allow_atomic: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    allow_msg_schedules: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    allow_batched: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    persist_mode: Option<String>,
}

#[derive(Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "lowercase", expecting = "\"limits\", \"interest\" or \"workqueue\"")]
enum RetentionFile {
    #[default]
    Limits,
    Interest,
    WorkQueue,
}

#[derive(Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "lowercase", expecting = "\"file\" or \"memory\"")]
enum StorageFile {
    #[default]
    File,
    Memory,
}

#[derive(Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "lowercase", expecting = "\"old\" or \"new\"")]
enum DiscardFile {
    #[default]
    Old,
    New,
}

#[derive(Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "lowercase", expecting = "\"none\" or \"s2\"")]
enum CompressionFile {
    #[default]
    None,
    S2,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a placement object")]
struct PlacementFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cluster: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a mirror or source object")]
struct SourceFile {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    opt_start_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    opt_start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filter_subject: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    subject_transforms: Vec<TransformFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external: Option<ExternalFile>,
    /// Designer-only; not part of the JetStream configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    designer: Option<OriginDesignerFile>,
}

/// `external`, as far as the user wrote it: an absent `api` is derived from the origin cluster.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an external object {\"api\": ..., \"deliver\": ...}")]
struct ExternalFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deliver: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a designer object {\"origin_cluster\": ...}")]
struct OriginDesignerFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    origin_cluster: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a subject transform {\"src\": ..., \"dest\": ...}")]
struct TransformFile {
    #[serde(default)]
    src: String,
    #[serde(default)]
    dest: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a republish object {\"src\": ..., \"dest\": ...}")]
struct RepublishFile {
    #[serde(default)]
    src: String,
    #[serde(default)]
    dest: String,
    #[serde(default, skip_serializing_if = "is_default")]
    headers_only: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a consumer limits object")]
struct ConsumerLimitsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inactive_threshold: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_ack_pending: Option<i64>,
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn three() -> u8 {
    3
}

fn is_three(value: &u8) -> bool {
    *value == 3
}

fn leafnode_port() -> u16 {
    LeafnodeListener::default().port
}

fn is_leafnode_port(value: &u16) -> bool {
    *value == leafnode_port()
}

fn unlimited() -> i64 {
    -1
}

fn is_unlimited(value: &i64) -> bool {
    *value == -1
}

fn one() -> i64 {
    1
}

fn is_one(value: &i64) -> bool {
    *value == 1
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

// ---------------------------------------------------------------------------------------------
// Design -> file.

fn cluster_file(id: ClusterId, c: &Cluster) -> ClusterFile {
    ClusterFile {
        id: id.to_string(),
        name: c.name.clone(),
        role: match c.role {
            Role::Hub => RoleFile::Hub,
            Role::Spoke => RoleFile::Spoke,
            Role::Standalone => RoleFile::Standalone,
        },
        // JSON has no NaN or infinity; a broken position is saved at the origin.
        position: PositionFile { x: finite(c.position.x), y: finite(c.position.y) },
        nats_version: match c.version {
            NatsVersion::V2_9 => VersionFile::V2_9,
            NatsVersion::V2_10 => VersionFile::V2_10,
            NatsVersion::V2_11 => VersionFile::V2_11,
            NatsVersion::V2_12 => VersionFile::V2_12,
            NatsVersion::V2_14 => VersionFile::V2_14,
        },
        jetstream: c.jetstream,
        domain: c.domain.clone(),
        servers: c.servers,
        server_name_prefix: c.server_name_prefix.clone(),
        system_account: c.system_account.clone(),
        accounts: c
            .accounts
            .iter()
            .map(|(name, a)| {
                let users = a
                    .users
                    .iter()
                    .map(|u| UserFile { name: u.name.clone(), password: password_file(&u.password) })
                    .collect();
                let exports = a.exports.iter().map(export_file).collect();
                let imports = a.imports.iter().map(import_file).collect();
                (name.clone(), AccountFile { jetstream: a.jetstream, users, exports, imports })
            })
            .collect_map(),
        leafnode_listener: c.leafnode_listener.as_ref().map(|l| ListenerFile {
            port: l.port,
            public_endpoints: l.public_endpoints.clone(),
            no_advertise: l.no_advertise,
            tls: l.tls.as_ref().map(listener_file),
        }),
        remotes: c
            .remotes
            .iter()
            .map(|r| RemoteFile {
                target: r.target.map(|t| t.to_string()),
                url: r.url.clone(),
                local_account: r.local_account.clone(),
                user: r.user.clone(),
                password: r.password.as_ref().map(password_file),
                credentials: r.credentials.clone(),
                nkey: r.nkey.clone(),
                tls: r.tls.as_ref().map(dial_file),
            })
            .collect(),
        gateway: c.gateway.as_ref().map(gateway_file),
        server_tags: c.server_tags.clone(),
        tls: cluster_tls_file(&c.tls),
    }
}

fn finite(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

fn password_file(p: &Password) -> PasswordFile {
    match p {
        Password::Plain(text) => PasswordFile::Plain(text.clone()),
        Password::Bcrypt(hash) => PasswordFile::Bcrypt(hash.clone()),
        Password::SecretRef { name, key } => PasswordFile::Secret(SecretFile { name: name.clone(), key: key.clone() }),
    }
}

fn stream_file(s: &Stream) -> StreamFile {
    let c = &s.config;
    let config = ConfigFile {
        name: c.name.clone(),
        description: c.description.clone(),
        subjects: c.subjects.clone(),
        retention: match c.retention {
            Retention::Limits => RetentionFile::Limits,
            Retention::Interest => RetentionFile::Interest,
            Retention::WorkQueue => RetentionFile::WorkQueue,
        },
        max_consumers: c.max_consumers,
        max_msgs: c.max_msgs,
        max_bytes: c.max_bytes,
        max_age: c.max_age,
        max_msgs_per_subject: c.max_msgs_per_subject,
        max_msg_size: c.max_msg_size,
        storage: match c.storage {
            Storage::File => StorageFile::File,
            Storage::Memory => StorageFile::Memory,
        },
        num_replicas: c.num_replicas,
        no_ack: c.no_ack,
        discard: match c.discard {
            Discard::Old => DiscardFile::Old,
            Discard::New => DiscardFile::New,
        },
        duplicate_window: c.duplicate_window,
        placement: c.placement.as_ref().map(|p| PlacementFile { cluster: p.cluster.clone(), tags: p.tags.clone() }),
        mirror: c.mirror.as_ref().map(source_file),
        sources: c.sources.iter().map(source_file).collect(),
        sealed: c.sealed,
        deny_delete: c.deny_delete,
        deny_purge: c.deny_purge,
        allow_rollup_hdrs: c.allow_rollup_hdrs,
        allow_direct: c.allow_direct,
        mirror_direct: c.mirror_direct,
        discard_new_per_subject: c.discard_new_per_subject,
        republish: c.republish.as_ref().map(|r| RepublishFile {
            src: r.src.clone(),
            dest: r.dest.clone(),
            headers_only: r.headers_only,
        }),
        subject_transform: c.subject_transform.as_ref().map(transform_file),
        compression: match c.compression {
            Compression::None => CompressionFile::None,
            Compression::S2 => CompressionFile::S2,
        },
        first_seq: c.first_seq,
        metadata: c.metadata.clone(),
        consumer_limits: c.consumer_limits.as_ref().map(|l| ConsumerLimitsFile {
            inactive_threshold: l.inactive_threshold,
            max_ack_pending: l.max_ack_pending,
        }),
        allow_msg_ttl: c.allow_msg_ttl,
        subject_delete_marker_ttl: c.subject_delete_marker_ttl,
        allow_msg_counter: c.allow_msg_counter,
        allow_atomic: c.allow_atomic,
        allow_msg_schedules: c.allow_msg_schedules,
        allow_batched: c.allow_batched,
        persist_mode: c.persist_mode.clone(),
    };
    StreamFile {
        id: s.id.to_string(),
        cluster: s.cluster.to_string(),
        account: s.account.clone(),
        config,
        consumers: s.consumers.iter().map(consumer::to_json).collect(),
    }
}

fn transform_file(t: &SubjectTransform) -> TransformFile {
    TransformFile { src: t.src.clone(), dest: t.dest.clone() }
}

fn source_file(s: &StreamSource) -> SourceFile {
    let external = (s.api.is_some() || s.deliver.is_some())
        .then(|| ExternalFile { api: s.api.clone(), deliver: s.deliver.clone() });
    SourceFile {
        name: s.name.clone(),
        opt_start_seq: s.opt_start_seq,
        opt_start_time: s.opt_start_time.clone(),
        filter_subject: s.filter_subject.clone(),
        subject_transforms: s.subject_transforms.iter().map(transform_file).collect(),
        external,
        designer: s.origin_cluster.map(|c| OriginDesignerFile { origin_cluster: Some(c.to_string()) }),
    }
}

// ---------------------------------------------------------------------------------------------
// File -> design, with the repairs.

fn parse_id(text: &str, prefix: char) -> Option<u32> {
    let digits = text.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n <= MAX_ID)
}

fn cluster_id(text: &str, path: impl FnOnce() -> String) -> Result<ClusterId, LoadError> {
    parse_id(text, 'c').map(ClusterId).ok_or_else(|| LoadError::Invalid {
        path: path(),
        message: format!("expected a cluster id like \"c1\", found {text:?}"),
    })
}

fn stream_id(text: &str, path: impl FnOnce() -> String) -> Result<StreamId, LoadError> {
    parse_id(text, 's').map(StreamId).ok_or_else(|| LoadError::Invalid {
        path: path(),
        message: format!("expected a stream id like \"s4\", found {text:?}"),
    })
}

/// Rebuilds the design: a malformed id or reference rejects the file, a well-formed one that
/// names an element the file lacks is repaired (see the module docs and docs/design-format.md).
fn rebuild(file: DesignFile) -> Result<Loaded, LoadError> {
    let mut repairs = Vec::new();
    let cluster_ids = (file.clusters.iter().enumerate())
        .map(|(i, c)| cluster_id(&c.id, || format!("clusters[{i}].id")))
        .collect::<Result<Vec<_>, _>>()?;
    let stream_ids = (file.streams.iter().enumerate())
        .map(|(i, s)| stream_id(&s.id, || format!("streams[{i}].id")))
        .collect::<Result<Vec<_>, _>>()?;
    let stream_clusters = (file.streams.iter().enumerate())
        .map(|(i, s)| cluster_id(&s.cluster, || format!("streams[{i}].cluster")))
        .collect::<Result<Vec<_>, _>>()?;
    // References to a duplicated id mean its first holder.
    let known: BTreeSet<ClusterId> = cluster_ids.iter().copied().collect_set();

    let mut design = Design::new(file.name);
    let mut renumbered_clusters = Vec::new();
    for (i, (id, c)) in cluster_ids.into_iter().zip(file.clusters).enumerate() {
        let cluster = cluster_from_file(c, i, &known, &mut repairs)?;
        if design.cluster(id).is_some() {
            renumbered_clusters.push((id, cluster));
        } else {
            design.insert_cluster_with_id(id, cluster);
        }
    }

    let mut renumbered_streams = Vec::new();
    for (i, ((id, cluster), s)) in stream_ids.into_iter().zip(stream_clusters).zip(file.streams).enumerate() {
        let config = config_from_file(s.config, &format!("streams[{i}].config"))?;
        let name = &config.name;
        if !known.contains(&cluster) {
            repairs.push(format!("stream {name:?} ({id}) was dropped: its cluster {cluster} does not exist"));
            continue;
        }
        let config = clear_missing_origins(config, id, &known, &mut repairs);
        let consumers = (s.consumers.iter().enumerate())
            .map(|(j, c)| {
                consumer::from_json(c)
                    .map_err(|message| LoadError::Invalid { path: format!("streams[{i}].consumers[{j}]"), message })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let stream = Stream { id, cluster, account: s.account, config, consumers };
        if design.stream(id).is_some() {
            renumbered_streams.push(stream);
        } else {
            design.insert_stream_with_id(stream);
        }
    }

    // Fresh ids come after every id kept, in file order.
    for (old, cluster) in renumbered_clusters {
        let name = cluster.name.clone();
        let new = design.add_cluster(cluster);
        repairs.push(format!(
            "cluster {name:?} had the id {old} of an earlier cluster and is now {new}; references to {old} mean the earlier one"
        ));
    }
    for stream in renumbered_streams {
        let (old, name) = (stream.id, stream.config.name.clone());
        if let Some(new) = design.add_stream(stream.cluster, stream.account, stream.config) {
            repairs.push(format!("stream {name:?} had the id {old} of an earlier stream and is now {new}"));
        }
    }
    Ok(Loaded { design, repairs })
}

fn cluster_from_file(
    c: ClusterFile,
    index: usize,
    known: &BTreeSet<ClusterId>,
    repairs: &mut Vec<String>,
) -> Result<Cluster, LoadError> {
    let mut remotes = Vec::with_capacity(c.remotes.len());
    for (r, remote) in c.remotes.into_iter().enumerate() {
        let target = match remote.target {
            None => None,
            Some(text) => {
                let id = cluster_id(&text, || format!("clusters[{index}].remotes[{r}].target"))?;
                if known.contains(&id) {
                    Some(id)
                } else {
                    repairs.push(format!(
                        "cluster {:?}: the remote to {:?} targeted cluster {id}, which does not exist; its target was cleared",
                        c.name, remote.url
                    ));
                    None
                }
            }
        };
        remotes.push(LeafnodeRemote {
            target,
            url: remote.url,
            local_account: remote.local_account,
            user: remote.user,
            password: remote.password.map(password),
            credentials: remote.credentials,
            nkey: remote.nkey,
            tls: remote.tls.map(dial_from_file),
        });
    }
    let accounts = c
        .accounts
        .into_iter()
        .map(|(name, a)| {
            let users = a.users.into_iter().map(|u| User { name: u.name, password: password(u.password) }).collect();
            let exports = a.exports.into_iter().map(export_from_file).collect();
            let imports = a.imports.into_iter().map(import_from_file).collect();
            (name, Account { jetstream: a.jetstream, users, exports, imports })
        })
        .collect_map();
    let gateway = c.gateway.map(|g| gateway_from_file(g, index, &c.name, known, repairs)).transpose()?;
    Ok(Cluster {
        name: c.name,
        role: match c.role {
            RoleFile::Hub => Role::Hub,
            RoleFile::Spoke => Role::Spoke,
            RoleFile::Standalone => Role::Standalone,
        },
        jetstream: c.jetstream,
        domain: c.domain,
        servers: c.servers,
        server_name_prefix: c.server_name_prefix,
        version: match c.nats_version {
            VersionFile::V2_9 => NatsVersion::V2_9,
            VersionFile::V2_10 => NatsVersion::V2_10,
            VersionFile::V2_11 => NatsVersion::V2_11,
            VersionFile::V2_12 => NatsVersion::V2_12,
            VersionFile::V2_14 => NatsVersion::V2_14,
        },
        leafnode_listener: c.leafnode_listener.map(|l| LeafnodeListener {
            port: l.port,
            public_endpoints: l.public_endpoints,
            no_advertise: l.no_advertise,
            tls: l.tls.map(listener_from_file),
        }),
        remotes,
        accounts,
        system_account: c.system_account,
        gateway,
        server_tags: c.server_tags,
        tls: cluster_tls_from_file(c.tls),
        position: Point::new(c.position.x, c.position.y),
    })
}

fn password(p: PasswordFile) -> Password {
    match p {
        PasswordFile::Plain(text) => Password::Plain(text),
        PasswordFile::Bcrypt(hash) => Password::Bcrypt(hash),
        PasswordFile::Secret(s) => Password::SecretRef { name: s.name, key: s.key },
    }
}

fn config_from_file(c: ConfigFile, path: &str) -> Result<StreamConfig, LoadError> {
    let mirror = c.mirror.map(|m| source(m, || format!("{path}.mirror"))).transpose()?;
    let sources = (c.sources.into_iter().enumerate())
        .map(|(i, s)| source(s, || format!("{path}.sources[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(StreamConfig {
        name: c.name,
        description: c.description,
        subjects: c.subjects,
        retention: match c.retention {
            RetentionFile::Limits => Retention::Limits,
            RetentionFile::Interest => Retention::Interest,
            RetentionFile::WorkQueue => Retention::WorkQueue,
        },
        max_consumers: c.max_consumers,
        max_msgs: c.max_msgs,
        max_bytes: c.max_bytes,
        max_age: c.max_age,
        max_msgs_per_subject: c.max_msgs_per_subject,
        max_msg_size: c.max_msg_size,
        storage: match c.storage {
            StorageFile::File => Storage::File,
            StorageFile::Memory => Storage::Memory,
        },
        num_replicas: c.num_replicas,
        no_ack: c.no_ack,
        discard: match c.discard {
            DiscardFile::Old => Discard::Old,
            DiscardFile::New => Discard::New,
        },
        duplicate_window: c.duplicate_window,
        placement: c.placement.map(|p| Placement { cluster: p.cluster, tags: p.tags }),
        mirror,
        sources,
        sealed: c.sealed,
        deny_delete: c.deny_delete,
        deny_purge: c.deny_purge,
        allow_rollup_hdrs: c.allow_rollup_hdrs,
        allow_direct: c.allow_direct,
        mirror_direct: c.mirror_direct,
        discard_new_per_subject: c.discard_new_per_subject,
        republish: c.republish.map(|r| Republish { src: r.src, dest: r.dest, headers_only: r.headers_only }),
        subject_transform: c.subject_transform.map(transform),
        compression: match c.compression {
            CompressionFile::None => Compression::None,
            CompressionFile::S2 => Compression::S2,
        },
        first_seq: c.first_seq,
        metadata: c.metadata,
        consumer_limits: c
            .consumer_limits
            .map(|l| ConsumerLimits { inactive_threshold: l.inactive_threshold, max_ack_pending: l.max_ack_pending }),
        allow_msg_ttl: c.allow_msg_ttl,
        subject_delete_marker_ttl: c.subject_delete_marker_ttl,
        allow_msg_counter: c.allow_msg_counter,
        allow_atomic: c.allow_atomic,
        allow_msg_schedules: c.allow_msg_schedules,
        allow_batched: c.allow_batched,
        persist_mode: c.persist_mode,
    })
}

fn transform(t: TransformFile) -> SubjectTransform {
    SubjectTransform { src: t.src, dest: t.dest }
}

fn source(s: SourceFile, path: impl FnOnce() -> String) -> Result<StreamSource, LoadError> {
    let origin_cluster = match s.designer.and_then(|d| d.origin_cluster) {
        Some(text) => Some(cluster_id(&text, || format!("{}.designer.origin_cluster", path()))?),
        None => None,
    };
    let (api, deliver) = s.external.map_or((None, None), |e| (e.api, e.deliver));
    Ok(StreamSource {
        name: s.name,
        origin_cluster,
        api,
        deliver,
        filter_subject: s.filter_subject,
        subject_transforms: s.subject_transforms.into_iter().map(transform).collect(),
        opt_start_seq: s.opt_start_seq,
        opt_start_time: s.opt_start_time,
    })
}

fn clear_missing_origins(
    mut config: StreamConfig,
    id: StreamId,
    known: &BTreeSet<ClusterId>,
    repairs: &mut Vec<String>,
) -> StreamConfig {
    let stream = config.name.clone();
    let origins =
        config.mirror.iter_mut().map(|m| ("mirror", m)).chain(config.sources.iter_mut().map(|s| ("source", s)));
    for (kind, origin) in origins {
        if let Some(cluster) = origin.origin_cluster.filter(|c| !known.contains(c)) {
            repairs.push(format!(
                "stream {stream:?} ({id}): the {kind} {:?} named origin cluster {cluster}, which does not exist; the origin cluster was cleared",
                origin.name
            ));
            origin.origin_cluster = None;
        }
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::arbitrary;
    use crate::model::example::guide_corrected;
    use proptest::prelude::*;
    use serde_json::json;

    /// The example design's file, edited as a JSON value: fixtures without copied JSON.
    fn example_file_with(edit: impl FnOnce(&mut Value)) -> String {
        let mut document: Value = serde_json::from_str(&save(&guide_corrected())).unwrap();
        edit(&mut document);
        serde_json::to_string_pretty(&document).unwrap()
    }

    fn check_error(text: &str, expected: &str) {
        match load(text) {
            Ok(loaded) => {
                panic!("expected the error {expected:?}, loaded {} clusters", loaded.design.clusters().count())
            }
            // Errors serde finds name their line first: "line 12, clusters[0].servers: ...".
            Err(e) => {
                let text = e.to_string();
                let shown = match text.split_once(", ") {
                    Some((line, rest)) if line.strip_prefix("line ").is_some_and(|n| n.parse::<usize>().is_ok()) => {
                        rest
                    }
                    _ => text.as_str(),
                };
                assert_eq!(shown, expected, "{text}");
            }
        }
    }

    fn check_repairs(text: &str, expected: &[&str]) -> Design {
        let loaded = load(text).unwrap_or_else(|e| panic!("loads: {e}"));
        assert_eq!(loaded.repairs, expected);
        loaded.design
    }

    fn stream_named<'a>(design: &'a Design, name: &str) -> &'a Stream {
        design.streams().find(|s| s.config.name == name).unwrap_or_else(|| panic!("stream {name}"))
    }

    #[test]
    fn consumers_survive_a_round_trip_and_a_bad_one_is_named_by_its_path() {
        let mut design = guide_corrected();
        let id = design.streams().next().expect("streams").id;
        let mut push = crate::model::consumer::Consumer::push("audit\n$(rm -rf ~)", "deliver.audit");
        push.filter_subjects = vec!["a.>".into(), "b.>".into()];
        push.max_deliver = Some(3);
        let consumers = vec![crate::model::consumer::Consumer::pull("reader"), push];
        design.stream_mut(id).expect("listed").consumers = consumers.clone();
        let text = save(&design);
        let loaded = load(&text).unwrap();
        assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
        assert_eq!(loaded.design, design);
        assert_eq!(loaded.design.stream(id).expect("kept").consumers, consumers);
        let broken = text.replacen("\"ack_policy\": \"explicit\"", "\"ack_policy\": \"often\"", 1);
        match load(&broken) {
            Err(LoadError::Invalid { path, message }) => {
                assert!(path.starts_with("streams[") && path.ends_with("].consumers[0]"), "{path}");
                assert!(message.contains("often"), "{message}");
            }
            other => panic!("expected an invalid consumer, got {other:?}"),
        }
        // A file without consumers stays as it was: the field is left out when empty.
        assert!(!save(&guide_corrected()).contains("\"consumers\""));
    }

    #[test]
    fn the_example_design_survives_a_round_trip() {
        let design = guide_corrected();
        let loaded = load(&save(&design)).unwrap();
        assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
        assert_eq!(loaded.design, design);
    }

    #[test]
    fn the_file_writes_ids_references_and_wire_names() {
        let text = save(&guide_corrected());
        assert!(text.starts_with("{\n  \"format\": \"nats-topology\",\n  \"version\": 3,\n  \"name\": \"cinemas\",\n"));
        assert!(text.ends_with("}\n"));
        for expected in [
            "\"id\": \"c1\"",
            "\"id\": \"s4\"",
            "\"cluster\": \"c1\"",
            "\"target\": \"c1\"",
            "\"origin_cluster\": \"c2\"",
            "\"secret\": {",
            "\"num_replicas\": 3",
            "\"duplicate_window\": 120000000000",
            "\"discard\": \"new\"",
            "\"nats_version\": \"2.9\"",
            "\"x\": 470.0",
        ] {
            assert!(text.contains(expected), "{expected} in\n{text}");
        }
        // Defaults are left out, so a diff shows only what the user set.
        for absent in ["\"max_msgs\"", "\"retention\"", "\"storage\"", "\"no_advertise\"", "\"servers\"", "\"port\""] {
            assert!(!text.contains(absent), "{absent} in\n{text}");
        }
    }

    #[test]
    fn clusters_and_streams_are_saved_in_id_order() {
        let mut design = Design::new("order");
        let first = Cluster::new("first", Role::Hub);
        design.insert_cluster_with_id(ClusterId(10), first);
        design.insert_cluster_with_id(ClusterId(2), Cluster::new("second", Role::Spoke));
        let text = save(&design);
        assert!(text.find("\"c2\"").unwrap() < text.find("\"c10\"").unwrap());
        assert_eq!(design.add_cluster(Cluster::new("third", Role::Spoke)), ClusterId(11));
    }

    #[test]
    fn missing_optional_fields_take_their_defaults() {
        let text = json!({
            "format": "nats-topology",
            "version": 1,
            "clusters": [{"id": "c1", "name": "hub"}],
            "streams": [{"id": "s2", "cluster": "c1", "config": {"name": "orders"}}]
        })
        .to_string();
        let design = check_repairs(&text, &[]);
        let mut cluster = Cluster::new("hub", Role::Standalone);
        cluster.version = NatsVersion::V2_14;
        assert_eq!(design.cluster(ClusterId(1)), Some(&cluster));
        let stream = design.stream(StreamId(2)).unwrap();
        assert_eq!((stream.cluster, stream.account.as_str()), (ClusterId(1), ""));
        assert_eq!(stream.config, StreamConfig::new("orders"));
        assert_eq!(design.name, "");
    }

    #[test]
    fn listener_and_account_defaults_are_filled() {
        let text = example_file_with(|d| {
            d["clusters"][0]["leafnode_listener"] = json!({});
            d["clusters"][0]["accounts"]["NEW"] = json!({});
        });
        let design = check_repairs(&text, &[]);
        let hub = design.cluster(ClusterId(1)).unwrap();
        assert_eq!(hub.leafnode_listener, Some(LeafnodeListener::default()));
        assert_eq!(hub.accounts["NEW"], Account::default());
    }

    #[test]
    fn text_that_is_not_json_is_rejected_with_its_position() {
        check_error("{\"format\": ", "not JSON: EOF while parsing a value (line 1, column 11)");
        check_error("", "not JSON: EOF while parsing a value (line 1, column 0)");
        check_error("{} trailing", "not JSON: trailing characters (line 1, column 4)");
    }

    #[test]
    fn a_document_that_is_not_an_object_is_rejected() {
        check_error("[1, 2]", "not a design file: the document is an array, expected an object");
        check_error("\"design\"", "not a design file: the document is a string, expected an object");
    }

    #[test]
    fn a_missing_or_wrong_format_is_rejected() {
        check_error(
            r#"{"version": 1}"#,
            "format: missing; a design file starts with {\"format\": \"nats-topology\", \"version\": 3, ...}",
        );
        check_error(r#"{"format": "helm", "version": 1}"#, "format: expected \"nats-topology\", found \"helm\"");
        check_error(r#"{"format": 7}"#, "format: expected \"nats-topology\", found 7");
    }

    #[test]
    fn a_missing_invalid_or_newer_version_is_rejected() {
        check_error(r#"{"format": "nats-topology"}"#, "version: missing; expected a whole number from 1 to 3");
        for (version, found) in [("0", "0"), ("-1", "-1"), ("1.5", "1.5"), ("\"1\"", "\"1\""), ("null", "null")] {
            check_error(
                &format!(r#"{{"format": "nats-topology", "version": {version}}}"#),
                &format!("version: expected a whole number from 1 to 3, found {found}"),
            );
        }
        check_error(
            r#"{"format": "nats-topology", "version": 4, "shiny": "new"}"#,
            "version: 4 is newer than this tool reads (up to 3); upgrade nats-topology",
        );
    }

    #[test]
    fn long_found_values_are_shortened() {
        let long = "x".repeat(100);
        check_error(
            &format!(r#"{{"format": "{long}"}}"#),
            &format!("format: expected \"nats-topology\", found \"{}...", &long[..39]),
        );
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named_by_its_path() {
        let text = example_file_with(|d| d["streams"][3]["config"]["num_replicas"] = json!("seven"));
        check_error(&text, "streams[3].config.num_replicas: expected an integer, found string \"seven\"");
        let text = example_file_with(|d| d["clusters"][1]["servers"] = json!(300));
        check_error(&text, "clusters[1].servers: expected a whole number from 0 to 255, found integer `300`");
        let text = example_file_with(|d| d["clusters"][0]["position"] = json!("top left"));
        check_error(
            &text,
            "clusters[0].position: expected a position object {\"x\": ..., \"y\": ...}, found string \"top left\"",
        );
        let text = example_file_with(|d| d["clusters"] = json!({}));
        check_error(&text, "clusters: expected a sequence, found map");
    }

    #[test]
    fn an_unknown_enum_value_is_named_by_its_path() {
        let text = example_file_with(|d| d["streams"][0]["config"]["retention"] = json!("Interest"));
        check_error(
            &text,
            "streams[0].config.retention: unknown variant `Interest`, expected one of `limits`, `interest`, `workqueue`",
        );
        let text = example_file_with(|d| d["clusters"][2]["nats_version"] = json!("2.13"));
        check_error(
            &text,
            "clusters[2].nats_version: unknown variant `2.13`, expected one of `2.9`, `2.10`, `2.11`, `2.12`, `2.14`",
        );
        let text = example_file_with(|d| {
            d["clusters"][0]["accounts"]["ACC"]["users"][0]["password"] = json!({"plaintext": "x"})
        });
        check_error(
            &text,
            "clusters[0].accounts.ACC.users[0].password: unknown variant `plaintext`, expected one of `plain`, `bcrypt`, `secret`",
        );
    }

    #[test]
    fn an_unknown_field_is_rejected_rather_than_ignored() {
        let text = example_file_with(|d| d["clusters"][0]["domian"] = json!("hub"));
        let line = text.lines().position(|l| l.contains("\"domian\"")).expect("written") + 1;
        let error = load(&text).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!(
                "line {line}, clusters[0].domian: `domian` is not a field a design file has here; the fields here are \
                 `id`, `name`"
            )),
            "{error}"
        );
        let text = example_file_with(|d| d["streams"][1]["config"]["sources"][0]["designer"]["cluster"] = json!("c2"));
        let error = load(&text).unwrap_err().to_string();
        assert!(error.contains(", streams[1].config.sources[0].designer.cluster: `cluster` is not a field"), "{error}");
    }

    #[test]
    fn a_missing_required_field_names_its_object() {
        let text = example_file_with(|d| {
            d["streams"][2]["config"].as_object_mut().unwrap().remove("name");
        });
        check_error(&text, "streams[2].config: missing field `name`");
        let text = example_file_with(|d| {
            d["clusters"][1].as_object_mut().unwrap().remove("id");
        });
        check_error(&text, "clusters[1]: missing field `id`");
    }

    #[test]
    fn odd_keys_are_quoted_in_paths() {
        let text = example_file_with(|d| d["clusters"][0]["accounts"]["my acc.\"x\""] = json!({"jetstream": "yes"}));
        check_error(
            &text,
            "clusters[0].accounts[\"my acc.\\\"x\\\"\"].jetstream: expected a boolean, found string \"yes\"",
        );
    }

    #[test]
    fn a_malformed_id_or_reference_is_rejected() {
        let text = example_file_with(|d| d["clusters"][1]["id"] = json!("spoke-1"));
        check_error(&text, "clusters[1].id: expected a cluster id like \"c1\", found \"spoke-1\"");
        let text = example_file_with(|d| d["streams"][0]["id"] = json!("c4"));
        check_error(&text, "streams[0].id: expected a stream id like \"s4\", found \"c4\"");
        let text = example_file_with(|d| d["streams"][0]["cluster"] = json!("hub"));
        check_error(&text, "streams[0].cluster: expected a cluster id like \"c1\", found \"hub\"");
        let text = example_file_with(|d| d["clusters"][1]["remotes"][0]["target"] = json!("c+1"));
        check_error(&text, "clusters[1].remotes[0].target: expected a cluster id like \"c1\", found \"c+1\"");
        let text = example_file_with(|d| {
            d["streams"][3]["config"]["mirror"]["designer"]["origin_cluster"] = json!("c99999999999")
        });
        check_error(
            &text,
            "streams[3].config.mirror.designer.origin_cluster: expected a cluster id like \"c1\", found \"c99999999999\"",
        );
    }

    #[test]
    fn a_stream_whose_cluster_is_missing_is_dropped_and_reported() {
        let text = example_file_with(|d| d["streams"][2]["cluster"] = json!("c9"));
        let design = check_repairs(&text, &["stream \"tickets-1\" (s6) was dropped: its cluster c9 does not exist"]);
        assert_eq!(design.streams().count(), 4);
        assert!(design.stream(StreamId(6)).is_none());
    }

    #[test]
    fn a_remote_whose_target_is_missing_is_cleared_and_reported() {
        let text = example_file_with(|d| d["clusters"][2]["remotes"][1]["target"] = json!("c9"));
        let design = check_repairs(
            &text,
            &["cluster \"spoke-2\": the remote to \"nats://headquarter.nats.public.address.com:30742\" targeted cluster c9, which does not exist; its target was cleared"],
        );
        let spoke_2 = design.cluster(ClusterId(3)).unwrap();
        assert_eq!(spoke_2.remotes[1].target, None);
        assert_eq!(spoke_2.remotes[0].target, Some(ClusterId(1)));
    }

    #[test]
    fn an_origin_cluster_that_is_missing_is_cleared_and_reported() {
        let text = example_file_with(|d| {
            d["streams"][1]["config"]["sources"][1]["designer"]["origin_cluster"] = json!("c9");
            d["streams"][3]["config"]["mirror"]["designer"]["origin_cluster"] = json!("c0");
        });
        let design = check_repairs(
            &text,
            &[
                "stream \"sales\" (s5): the source \"tickets-2\" named origin cluster c9, which does not exist; the origin cluster was cleared",
                "stream \"cinema-a-mirror\" (s7): the mirror \"cinema-a\" named origin cluster c0, which does not exist; the origin cluster was cleared",
            ],
        );
        assert_eq!(stream_named(&design, "sales").config.sources[1].origin_cluster, None);
        assert_eq!(stream_named(&design, "cinema-a-mirror").config.mirror.as_ref().unwrap().origin_cluster, None);
    }

    #[test]
    fn duplicate_cluster_ids_are_renumbered_and_reported() {
        let text = example_file_with(|d| d["clusters"][2]["id"] = json!("c2"));
        // What referred to c3 now refers to a cluster the file no longer has.
        let design = check_repairs(
            &text,
            &[
                "stream \"sales\" (s5): the source \"tickets-2\" named origin cluster c3, which does not exist; the origin cluster was cleared",
                "stream \"tickets-2\" (s8) was dropped: its cluster c3 does not exist",
                "cluster \"spoke-2\" had the id c2 of an earlier cluster and is now c8; references to c2 mean the earlier one",
            ],
        );
        assert_eq!(design.cluster(ClusterId(8)).unwrap().name, "spoke-2");
        assert_eq!(design.cluster(ClusterId(2)).unwrap().name, "spoke-1");
    }

    #[test]
    fn duplicate_stream_ids_are_renumbered_and_reported() {
        let text = example_file_with(|d| d["streams"][4]["id"] = json!("s4"));
        let design = check_repairs(&text, &["stream \"tickets-2\" had the id s4 of an earlier stream and is now s8"]);
        assert_eq!(design.stream(StreamId(4)).unwrap().config.name, "cinema-a");
        assert_eq!(design.stream(StreamId(8)).unwrap().config.name, "tickets-2");
        assert_eq!(design.streams().count(), 5);
    }

    #[test]
    fn hostile_names_are_reported_quoted() {
        let text = example_file_with(|d| {
            d["streams"][0]["config"]["name"] = json!("$(rm -rf ~)\n\u{1b}[31m");
            d["streams"][0]["cluster"] = json!("c7");
        });
        check_repairs(&text, &["stream \"$(rm -rf ~)\\n\\u{1b}[31m\" (s4) was dropped: its cluster c7 does not exist"]);
    }

    #[test]
    fn a_duplicate_key_is_an_error_with_its_path_and_line() {
        let text = "{\n  \"format\": \"nats-topology\",\n  \"version\": 1,\n  \"clusters\": [{\"id\": \"c1\", \"name\": \"hub\",\n    \"accounts\": {\n      \"ACC\": {\"jetstream\": true},\n      \"ACC\": {}\n    }}]\n}\n";
        check_error(
            text,
            "clusters[0].accounts: duplicate key \"ACC\" (line 7); each key may appear once in its object",
        );
        let text = save(&guide_corrected()).replacen("\"version\": 3,", "\"version\": 3, \"version\": 3,", 1);
        check_error(&text, "document: duplicate key \"version\" (line 3); each key may appear once in its object");
        // The same key in different objects is fine.
        check_repairs(&example_file_with(|_| {}), &[]);
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let text = format!("\u{feff}{}", save(&guide_corrected()));
        let loaded = load(&text).unwrap();
        assert!(loaded.repairs.is_empty());
        assert_eq!(loaded.design, guide_corrected());
    }

    #[test]
    fn a_version_1_file_loads_as_version_2_without_exports_or_imports() {
        let current = save(&guide_corrected());
        let v1 = current.replacen("\"version\": 3,", "\"version\": 1,", 1);
        let loaded = load(&v1).unwrap();
        assert!(loaded.repairs.is_empty());
        assert_eq!(loaded.design, guide_corrected());
        assert_eq!(save(&loaded.design), current, "saved again, it is a current file");
    }

    #[test]
    fn exports_and_imports_survive_the_round_trip() {
        let mut design = guide_corrected();
        let hub = design.cluster_mut(ClusterId(1)).unwrap();
        let data = hub.accounts.get_mut("ACC").unwrap();
        data.exports = vec![
            Export {
                kind: ShareKind::Stream,
                subject: "deliver.>".into(),
                accounts: vec!["APP".into()],
                response_type: None,
            },
            Export {
                kind: ShareKind::Service,
                subject: "$JS.hub.API.>".into(),
                accounts: Vec::new(),
                response_type: Some(ResponseType::Stream),
            },
        ];
        data.imports = vec![
            Import {
                kind: ShareKind::Service,
                account: "APP".into(),
                subject: "$JS.API.>".into(),
                local: Some(LocalSubject::To("JS.APP.API.>".into())),
            },
            Import {
                kind: ShareKind::Stream,
                account: "APP".into(),
                subject: "events.>".into(),
                local: Some(LocalSubject::Prefix("app".into())),
            },
            Import { kind: ShareKind::Stream, account: "APP".into(), subject: "$JS.FC.>".into(), local: None },
        ];
        let text = save(&design);
        assert!(text.contains("\"local\": {\n                \"prefix\": \"app\""), "{text}");
        let loaded = load(&text).unwrap();
        assert_eq!(loaded.design, design);
        assert!(loaded.repairs.is_empty());
    }

    #[test]
    fn a_malformed_export_or_import_is_named_by_its_path() {
        let with =
            |account: &str| save(&guide_corrected()).replacen("\"ACC\": {\n", &format!("\"ACC\": {{\n{account},\n"), 1);
        check_error(
            &with(r#""exports": [{"kind": "queue", "subject": "x"}]"#),
            "clusters[0].accounts.ACC.exports[0].kind: unknown variant `queue`, expected `stream` or `service`",
        );
        check_error(
            &with(r#""imports": [{"kind": "stream", "subject": "x"}]"#),
            "clusters[0].accounts.ACC.imports[0]: missing field `account`",
        );
    }

    #[test]
    fn an_error_in_a_version_1_file_names_its_own_line() {
        let text = "{\"format\": \"nats-topology\", \"version\": 1,\n \"clusters\": 5}";
        match load(text) {
            Err(LoadError::InvalidAt { path, line, .. }) => assert_eq!((path.as_str(), line), ("clusters", 2)),
            other => panic!("expected an error at clusters, line 2: {other:?}"),
        }
    }

    #[test]
    fn migrating_the_current_version_changes_nothing() {
        let document: Value = serde_json::from_str(&save(&guide_corrected())).unwrap();
        assert_eq!(migrate(document.clone(), VERSION).unwrap(), document);
    }

    #[test]
    fn non_finite_positions_are_saved_at_the_origin() {
        let mut design = guide_corrected();
        design.move_cluster(ClusterId(1), Point::new(f64::NAN, f64::INFINITY));
        let loaded = load(&save(&design)).unwrap();
        assert_eq!(loaded.design.cluster(ClusterId(1)).unwrap().position, Point::new(0.0, 0.0));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn loading_a_saved_design_gives_it_back_unrepaired(design in arbitrary::design()) {
            let loaded = load(&save(&design)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(loaded.repairs, Vec::<String>::new());
            prop_assert_eq!(loaded.design, design);
        }

        #[test]
        fn saving_is_deterministic_and_stable_across_a_load(design in arbitrary::design()) {
            let text = save(&design);
            prop_assert_eq!(&save(&design), &text);
            let loaded = load(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(save(&loaded.design), text);
        }
    }

    /// The path serde_path_to_error tracks while it parses: what `path_at` must agree with.
    fn tracked<'de, T: Deserialize<'de>>(text: &'de str) -> Option<(String, String, usize)> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let e = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err()?;
        let mut out = String::new();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => out = format!("{out}[{index}]"),
                serde_path_to_error::Segment::Map { key } | serde_path_to_error::Segment::Enum { variant: key } => {
                    let plain =
                        !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                    match (plain, out.is_empty()) {
                        (true, true) => out.push_str(key),
                        (true, false) => out = format!("{out}.{key}"),
                        (false, _) => out = format!("{out}[{key:?}]"),
                    }
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        let path = if out.is_empty() { "document".to_owned() } else { out };
        let inner = e.into_inner();
        Some((path, inner.to_string(), inner.line()))
    }

    fn found<'de, T: Deserialize<'de>>(text: &'de str) -> Option<(String, String, usize)> {
        deserialize_with_path::<T>(text).err().map(|(e, path)| (path, e.to_string(), e.line()))
    }

    /// Every value of the guide's file replaced by wrong values, every key removed, renamed or
    /// joined by an unknown one, and repeated keys: the path found after the fact equals the one
    /// serde_path_to_error tracks, with the same message and line.
    #[test]
    fn error_paths_equal_the_tracked_paths() {
        let failures = same_paths_as_tracked(&save(&guide_corrected()));
        assert!(failures > 1000, "only {failures} mutated files failed to load");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2, ..ProptestConfig::default() })]
        /// The same for arbitrary designs (TLS, gateways, consumers, sources, ...).
        #[test]
        fn error_paths_of_any_design_equal_the_tracked_paths(design in arbitrary::design()) {
            same_paths_as_tracked(&save(&design));
        }
    }

    /// Mutates the design file `text` in every place; returns how many mutations failed to load.
    fn same_paths_as_tracked(text: &str) -> usize {
        fn walk(value: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
            out.push(at.clone());
            match value {
                Value::Object(fields) => {
                    for (key, child) in fields {
                        at.push(Value::from(key.as_str()));
                        walk(child, at, out);
                        at.pop();
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        at.push(Value::from(i));
                        walk(child, at, out);
                        at.pop();
                    }
                }
                _ => {}
            }
        }
        fn node<'a>(root: &'a mut Value, at: &[Value]) -> &'a mut Value {
            at.iter().fold(root, |v, step| match step {
                Value::String(k) => &mut v[k.as_str()],
                _ => &mut v[step.as_u64().unwrap() as usize],
            })
        }
        let document: Value = serde_json::from_str(text).unwrap();
        let mut places = Vec::new();
        walk(&document, &mut Vec::new(), &mut places);
        let wrong = [
            json!("x"),
            json!(7),
            json!(-1),
            json!(300000),
            json!(1.5),
            json!(true),
            json!(null),
            json!([]),
            json!([1]),
            json!({}),
            json!({"a": 1}),
            json!({"plain": 1, "bcrypt": "b"}),
            json!({"plaintext": "p"}),
        ];
        let mut texts = Vec::new();
        for at in &places {
            for w in &wrong {
                let mut d = document.clone();
                *node(&mut d, at) = w.clone();
                texts.push(serde_json::to_string_pretty(&d).unwrap());
            }
            let mut d = document.clone();
            if let Value::Object(fields) = node(&mut d, at) {
                let keys: Vec<String> = fields.keys().cloned().collect();
                fields.insert("zz unknown".into(), json!(1));
                texts.push(serde_json::to_string_pretty(&d).unwrap());
                for key in keys {
                    let mut d = document.clone();
                    let Value::Object(fields) = node(&mut d, at) else { unreachable!() };
                    let value = fields.remove(&key).unwrap();
                    texts.push(serde_json::to_string(&d).unwrap());
                    let Value::Object(fields) = node(&mut d, at) else { unreachable!() };
                    fields.insert(format!("{key}x"), value);
                    texts.push(serde_json::to_string_pretty(&d).unwrap());
                    let text = serde_json::to_string_pretty(&document).unwrap();
                    let needle = format!("\"{key}\": ");
                    if let Some(i) = text.find(&needle) {
                        texts.push(format!("{}\"{key}\": 1, {}", &text[..i], &text[i..]));
                    }
                }
            }
        }
        let mut failures = 0;
        for text in &texts {
            assert_eq!(found::<DesignFile>(text), tracked::<DesignFile>(text), "{text}");
            assert_eq!(found::<UniqueKeys>(text), tracked::<UniqueKeys>(text), "{text}");
            failures += usize::from(found::<DesignFile>(text).is_some());
        }
        failures
    }
}
