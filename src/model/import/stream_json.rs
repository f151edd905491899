//! Stream configuration files: the JSON `nats stream add --config FILE` reads, or a
//! `nats stream info --json` document. Every field is read by `model::stream_json::from_json`;
//! this file adds what only an importer can say: where in the file a problem is, and the
//! `stream-config-schema` findings (wrong types, unknown enum values, unknown fields).

use super::cli_script::{FlagStream, RESERVED_METADATA};
use super::lines::{self, KeyLines};
use super::Finding;
use crate::model::stream_json::{from_json, unknown_fields, StreamJsonError};
use crate::model::validate::{Rule, Severity};
use crate::model::{NatsVersion, StreamConfig};
use serde_json::Value;

/// Fields only a stream configuration (or a stream info document) has at its top level.
const STREAM_KEYS: [&str; 12] = [
    "subjects",
    "retention",
    "storage",
    "num_replicas",
    "mirror",
    "sources",
    "max_age",
    "max_msgs",
    "max_bytes",
    "max_consumers",
    "discard",
    "duplicate_window",
];

/// Whether a JSON document is a stream configuration or a stream info document.
pub(super) fn recognize(value: &Value) -> bool {
    let Some(map) = value.as_object() else { return false };
    let config = match map.get("config") {
        Some(Value::Object(config)) => config,
        _ => map,
    };
    (config.contains_key("name") && config.len() == 1) || STREAM_KEYS.iter().any(|k| config.contains_key(*k))
}

/// A design file of this tool, which the importer leaves to `persist::load`.
pub(super) fn is_design_file(value: &Value) -> bool {
    value.get("format").and_then(Value::as_str) == Some("nats-topology")
}

/// One stream file, read.
pub(super) struct ReadStream {
    /// `None` when a field has the wrong type or an unknown value.
    pub config: Option<StreamConfig>,
    pub lines: KeyLines,
    /// `config.` for a stream info document, else empty: what field paths start with.
    pub prefix: &'static str,
    pub findings: Vec<Finding>,
    pub value: Value,
}

pub(super) fn read(text: &str, value: Value) -> ReadStream {
    let lines = lines::json(text);
    let prefix = if matches!(value.get("config"), Some(Value::Object(_))) { "config." } else { "" };
    let mut findings = Vec::new();
    let config = match from_json(&value) {
        Ok(mut config) => {
            // The server adds these to what it stores (2.10 and later: `_nats.ver`, ...) and natscli
            // drops them from what it sends: they are the server's, not the configuration's.
            config.metadata.retain(|key, _| !RESERVED_METADATA.contains(&key.as_str()));
            // nats.go sends `"deliver": ""` with every external API prefix (kv mirrors from another
            // domain) and the server keeps it: no delivery prefix.
            for origin in config.mirror.iter_mut().chain(config.sources.iter_mut()) {
                if origin.deliver.as_deref() == Some("") {
                    origin.deliver = None;
                }
            }
            // 2.9.10 keeps the empty placement natscli sends for an object store: it places nothing.
            if config.placement.as_ref().is_some_and(|p| p.cluster.is_none() && p.tags.is_empty()) {
                config.placement = None;
            }
            // An info document always has `consumer_limits`, `{}` when none are set.
            if config
                .consumer_limits
                .as_ref()
                .is_some_and(|l| l.inactive_threshold.is_none() && l.max_ack_pending.is_none())
            {
                config.consumer_limits = None;
            }
            Some(config)
        }
        Err(error) => {
            let field = match &error {
                StreamJsonError::WrongType { field, .. }
                | StreamJsonError::UnknownValue { field, .. }
                | StreamJsonError::MissingField { field } => Some(field.clone()),
                StreamJsonError::NotAnObject { .. } => None,
            };
            let line = field.as_deref().and_then(|f| lines.nearest(f));
            findings.push(Finding::new(
                Rule::StreamConfigSchema,
                line,
                format!("{error}: nats-server rejects the file, so the stream was not imported"),
            ));
            None
        }
    };
    ReadStream { config, lines, prefix, findings, value }
}

/// A stream a script describes with flags (`nats stream add NAME --subjects ...`, `nats kv add
/// BUCKET`): every field is on the command's line.
pub(super) fn from_flags(flags: &FlagStream, line: usize) -> ReadStream {
    let mut lines = KeyLines::default();
    lines.insert("name".to_owned(), line);
    ReadStream { config: Some(flags.config.clone()), lines, prefix: "", findings: Vec::new(), value: Value::Null }
}

/// Whether a JSON document is what `nats stream ls --json` prints: an array of stream names
/// (natscli v0.5.0 prints only the names, not the configurations).
pub(super) fn is_name_list(value: &Value) -> bool {
    value.as_array().is_some_and(|items| !items.is_empty() && items.iter().all(Value::is_string))
}

/// `stream-config-schema` for the fields the schema of `version` does not know: an error,
/// except on 2.9, which ignores them (measured on nats-server 2.9.10 and 2.15.1).
pub(super) fn unknown(read: &ReadStream, version: NatsVersion) -> Vec<Finding> {
    unknown_fields(&read.value, version)
        .into_iter()
        .map(|field| {
            let path = format!("{}{field}", read.prefix);
            let (severity, effect) = if version == NatsVersion::V2_9 {
                (Severity::Warning, "a 2.9 server ignores it")
            } else {
                (Severity::Error, "a current server rejects the file")
            };
            let mut finding = Finding::new(
                Rule::StreamConfigSchema,
                read.lines.nearest(&path),
                format!("field {path} is not in the stream configuration schema for nats-server {version}: {effect}"),
            );
            finding.severity = Some(severity);
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> ReadStream {
        read(text, serde_json::from_str(text).expect("JSON"))
    }

    #[test]
    fn stream_files_and_info_documents_are_recognized() {
        assert!(recognize(&serde_json::json!({"name": "a", "subjects": ["a"]})));
        assert!(recognize(&serde_json::json!({"name": "a"})));
        assert!(recognize(&serde_json::json!({"config": {"name": "a", "retention": "limits"}, "state": {}})));
        assert!(!recognize(&serde_json::json!({"name": "pkg", "version": "1.0.0"})));
        assert!(!recognize(&serde_json::json!([1])));
    }

    #[test]
    fn a_capitalized_enum_is_a_schema_error_on_its_line() {
        let read = read_text("{\n  \"name\": \"a\",\n  \"retention\": \"Interest\"\n}");
        assert!(read.config.is_none());
        assert_eq!(read.findings.len(), 1);
        assert_eq!(read.findings[0].line, Some(3));
        assert!(read.findings[0].message.contains("Interest"), "{}", read.findings[0].message);
    }

    #[test]
    fn unknown_fields_are_errors_except_on_2_9() {
        let read = read_text("{\n  \"name\": \"a\",\n  \"foo\": 1\n}");
        let current = unknown(&read, NatsVersion::V2_14);
        assert_eq!((current[0].line, current[0].severity), (Some(3), Some(Severity::Error)));
        let old = unknown(&read, NatsVersion::V2_9);
        assert_eq!(old[0].severity, Some(Severity::Warning));
    }

    #[test]
    fn what_the_server_adds_to_an_info_document_is_not_configuration() {
        let read = read_text(
            r#"{"config": {"name": "a", "subjects": ["a"], "consumer_limits": {}, "placement": {},
                "metadata": {"_nats.ver": "2.15.1", "_nats.level": "5", "owner": "ops"},
                "mirror": {"name": "b", "external": {"api": "$JS.hub.API", "deliver": ""}}},
              "state": {"messages": 3}, "created": "2026-12-02T21:21:05Z"}"#,
        );
        assert!(read.findings.is_empty() && unknown(&read, NatsVersion::V2_14).is_empty());
        let config = read.config.expect("readable");
        assert_eq!((config.consumer_limits, config.placement), (None, None));
        assert_eq!(config.metadata.keys().collect::<Vec<_>>(), ["owner"]);
        let mirror = config.mirror.expect("a mirror");
        assert_eq!((mirror.api.as_deref(), mirror.deliver), (Some("$JS.hub.API"), None));
    }

    #[test]
    fn a_list_of_names_is_what_stream_ls_prints() {
        assert!(is_name_list(&serde_json::json!(["ORDERS", "EVENTS"])));
        assert!(!is_name_list(&serde_json::json!([])));
        assert!(!is_name_list(&serde_json::json!(["a", 1])));
    }

    #[test]
    fn required_fields_the_server_fills_in_raise_nothing() {
        let read = read_text("{\"name\": \"a\", \"subjects\": [\"a.>\"]}");
        assert!(read.findings.is_empty() && unknown(&read, NatsVersion::V2_14).is_empty());
    }
}
