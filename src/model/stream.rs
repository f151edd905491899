//! A JetStream stream: where it is placed and every field of its configuration
//! (jsm.go `schemas/jetstream/api/v1/stream_configuration.json`).
//!
//! Durations are nanoseconds, as on the wire. Optional fields are `None` when the configuration
//! leaves them to the server's default, so that exports write only what the user set.

use super::consumer::Consumer;
use super::ids::{ClusterId, StreamId};
use std::collections::BTreeMap;

/// Nanoseconds, the unit of every JetStream duration.
pub type Nanos = i64;

/// One second in nanoseconds.
pub const SECOND: Nanos = 1_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Retention {
    #[default]
    Limits,
    Interest,
    WorkQueue,
}

impl Retention {
    pub fn as_str(self) -> &'static str {
        match self {
            Retention::Limits => "limits",
            Retention::Interest => "interest",
            Retention::WorkQueue => "workqueue",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Storage {
    #[default]
    File,
    Memory,
}

impl Storage {
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::File => "file",
            Storage::Memory => "memory",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Discard {
    #[default]
    Old,
    New,
}

impl Discard {
    pub fn as_str(self) -> &'static str {
        match self {
            Discard::Old => "old",
            Discard::New => "new",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Compression {
    #[default]
    None,
    S2,
}

/// `src` → `dest` subject mapping.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SubjectTransform {
    pub src: String,
    pub dest: String,
}

/// Republish stored messages to another subject.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Republish {
    pub src: String,
    pub dest: String,
    pub headers_only: bool,
}

/// Replica placement hints.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Placement {
    pub cluster: Option<String>,
    pub tags: Vec<String>,
}

/// Defaults and caps for the stream's consumers.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConsumerLimits {
    pub inactive_threshold: Option<Nanos>,
    pub max_ack_pending: Option<i64>,
}

/// The origin of a mirror or one source.
///
/// In the designer a link points at the origin's cluster; `external.api` is then derived as
/// `$JS.<that cluster's domain>.API` when the domains differ. `api` overrides the derived value
/// (imported files carry one), and the rules check the override.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct StreamSource {
    /// The origin stream's name.
    pub name: String,
    /// The cluster the origin lives in, when the design knows it.
    pub origin_cluster: Option<ClusterId>,
    /// `external.api` as written; `None` means derived.
    pub api: Option<String>,
    /// `external.deliver`.
    pub deliver: Option<String>,
    pub filter_subject: Option<String>,
    pub subject_transforms: Vec<SubjectTransform>,
    pub opt_start_seq: Option<u64>,
    /// RFC 3339 time, kept as text.
    pub opt_start_time: Option<String>,
}

/// Every field of a JetStream stream configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamConfig {
    pub name: String,
    pub description: Option<String>,
    pub subjects: Vec<String>,
    pub retention: Retention,
    pub max_consumers: i64,
    pub max_msgs: i64,
    pub max_bytes: i64,
    pub max_age: Nanos,
    pub max_msgs_per_subject: i64,
    pub max_msg_size: i64,
    pub storage: Storage,
    pub num_replicas: i64,
    pub no_ack: bool,
    pub discard: Discard,
    pub duplicate_window: Option<Nanos>,
    pub placement: Option<Placement>,
    pub mirror: Option<StreamSource>,
    pub sources: Vec<StreamSource>,
    pub sealed: bool,
    pub deny_delete: bool,
    pub deny_purge: bool,
    pub allow_rollup_hdrs: bool,
    pub allow_direct: bool,
    pub mirror_direct: bool,
    pub discard_new_per_subject: bool,
    pub republish: Option<Republish>,
    pub subject_transform: Option<SubjectTransform>,
    pub compression: Compression,
    pub first_seq: Option<u64>,
    pub metadata: BTreeMap<String, String>,
    pub consumer_limits: Option<ConsumerLimits>,
    pub allow_msg_ttl: bool,
    pub subject_delete_marker_ttl: Option<Nanos>,
    pub allow_msg_counter: bool,
    pub allow_atomic: bool,
    pub allow_msg_schedules: bool,
    pub allow_batched: bool,
    /// `persist_mode`: `default` or `async`; `None` leaves it to the server.
    pub persist_mode: Option<String>,
}

impl StreamConfig {
    /// A stream with the server's defaults: limits retention, file storage, one replica, no limits.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            subjects: Vec::new(),
            retention: Retention::Limits,
            max_consumers: -1,
            max_msgs: -1,
            max_bytes: -1,
            max_age: 0,
            max_msgs_per_subject: -1,
            max_msg_size: -1,
            storage: Storage::File,
            num_replicas: 1,
            no_ack: false,
            discard: Discard::Old,
            duplicate_window: None,
            placement: None,
            mirror: None,
            sources: Vec::new(),
            sealed: false,
            deny_delete: false,
            deny_purge: false,
            allow_rollup_hdrs: false,
            allow_direct: false,
            mirror_direct: false,
            discard_new_per_subject: false,
            republish: None,
            subject_transform: None,
            compression: Compression::None,
            first_seq: None,
            metadata: BTreeMap::new(),
            consumer_limits: None,
            allow_msg_ttl: false,
            subject_delete_marker_ttl: None,
            allow_msg_counter: false,
            allow_atomic: false,
            allow_msg_schedules: false,
            allow_batched: false,
            persist_mode: None,
        }
    }
}

/// A stream placed in a cluster and an account.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    pub id: StreamId,
    pub cluster: ClusterId,
    pub account: String,
    pub config: StreamConfig,
    /// The durable consumers that read it (`model::consumer`).
    pub consumers: Vec<Consumer>,
}

impl Stream {
    /// The origins this stream copies from: its mirror, or its sources.
    pub fn origins(&self) -> impl Iterator<Item = &StreamSource> {
        self.config.mirror.iter().chain(self.config.sources.iter())
    }
}
