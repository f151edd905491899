//! The design model: pure data and pure functions.
//!
//! Invariant: nothing here knows the browser, Leptos or the operating system (no IO, no clock,
//! no randomness). `tests/tidy.rs` enforces this by scanning the sources.

pub mod account_links;
#[cfg(test)]
pub mod arbitrary;
pub mod bucket;
pub mod cluster;
pub mod command;
pub mod consumer;
pub mod diff;
pub mod edit;
pub mod example;
pub mod export;
pub mod fast_map;
pub mod gateway;
pub mod generate;
pub mod geometry;
pub mod gesture;
pub mod highlight;
pub mod history;
pub mod ids;
pub mod import;
pub mod k8s;
pub mod links;
pub mod persist;
pub mod rules_doc;
pub mod search;
pub mod share;
pub mod sort;
pub mod stream;
pub mod stream_json;
pub mod templates;
pub mod tls;
pub mod topology;
pub mod url;
pub mod validate;
pub mod words;

pub use cluster::{
    Account, Cluster, Export, Import, LeafnodeListener, LeafnodeRemote, LocalSubject, NatsVersion, Password,
    ResponseType, Role, ShareKind, User,
};
pub use geometry::{Point, Rect};
pub use ids::{ClusterId, StreamId};
pub use links::{Link, LinkKind, LinkRoute, RouteInputs};
pub use stream::{Discard, Retention, Storage, Stream, StreamConfig, StreamSource};
pub use topology::Design;
