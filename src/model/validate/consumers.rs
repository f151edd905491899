//! Rules of the catalog group "Consumers" (`docs/RULES-consumers.md`): what nats-server checks
//! when a durable consumer is created (`server/consumer.go` `checkConsumerCfg` and
//! `addConsumerWithAssignment`), for each consumer of each stream, and the checks that compare a
//! stream's consumers with each other (duplicate names, work-queue partitions, `max_consumers`).
//!
//! `check_stream` needs nothing but the stream's configuration, its consumers and the target
//! version, so that the differential test (`tests/differential_consumers.rs`, corpus
//! `tests/corpus/consumers`) compares it with what a real server says to the same creates.
//! Every diagnostic targets the stream (`field` `consumers`) and names the consumer.
//!
//! Decisions, as measured there:
//! - `consumer-filter-outside-stream` is an error on every line: 2.9.10 refuses the create
//!   (10093); 2.15.1 accepts a consumer that can never receive a message (recorded in the
//!   corpus as the server's verdict).
//! - `consumer-filters-need-2-10`: 2.9.10 accepts `filter_subjects` and ignores it, so the
//!   consumer reads every subject (recorded in the corpus).
//! - `consumer-ack-wait-negative`: 2.9.10 accepts a negative ack wait, 2.15.1 refuses it (10183);
//!   the rule stays an error on every line (recorded in the corpus).
//! - `consumer-name-duplicate`: the create subject both lines answer creates or updates, so the
//!   second create silently replaces the first consumer's settings (recorded in the corpus).
//! - A deliver group on a pull consumer is accepted by both lines: no rule refuses it.
//! - `consumer-max-ack-pending-limit` does not fire for 2.9, which has no `consumer_limits`.
//! - A stream without subjects of its own (a mirror, or one made only of sources) has no
//!   subjects to compare filters with: `consumer-filter-outside-stream` does not fire for it.

use super::streams::subject;
use super::{Diagnostic, Rule, Target};
use crate::model::cluster::NatsVersion;
use crate::model::consumer::{AckPolicy, Consumer, DeliverPolicy};
use crate::model::sort::Sorted;
use crate::model::stream::{Retention, Stream, StreamConfig, SECOND};
use crate::model::Design;

/// nats-server `JSMaxNameLen`.
const MAX_NAME_LEN: usize = 255;

/// nats-server's smallest push heartbeat (100ms).
const MIN_HEARTBEAT: i64 = SECOND / 10;

/// Runs the consumer rules on every stream of the design.
pub fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    for stream in design.streams() {
        check_one(design, stream, out);
    }
}

/// The consumer rules for one stream of a design: they read the stream and its cluster.
pub(super) fn check_one(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    if stream.consumers.is_empty() {
        return;
    }
    let version = design.cluster(stream.cluster).map_or(NatsVersion::V2_14, |c| c.version);
    check_stream(&stream.config, &stream.consumers, version, Target::Stream(stream.id), out);
}

/// Every consumer rule for one stream's consumers.
pub fn check_stream(
    config: &StreamConfig,
    consumers: &[Consumer],
    version: NatsVersion,
    target: Target,
    out: &mut Vec<Diagnostic>,
) {
    let mut say = |rule: Rule, c: &Consumer, what: String| {
        out.push(Diagnostic::new(rule, target, format!("consumer {:?}: {what}", c.durable)).field("consumers"));
    };
    for c in consumers {
        one(config, c, version, &mut say);
    }
    // Between consumers, in the order the creates would go.
    for (i, c) in consumers.iter().enumerate() {
        if consumers[..i].iter().any(|earlier| earlier.durable == c.durable) {
            say(
                Rule::ConsumerNameDuplicate,
                c,
                "another consumer of this stream has the same durable name; the server keeps one consumer per name"
                    .to_owned(),
            );
        }
    }
    if config.retention == Retention::WorkQueue {
        for (i, c) in consumers.iter().enumerate() {
            for earlier in &consumers[..i] {
                if earlier.durable == c.durable {
                    continue;
                }
                let problem = if c.filter_subjects.is_empty() || earlier.filter_subjects.is_empty() {
                    Some("an unfiltered consumer shares a work-queue stream with another consumer".to_owned())
                } else {
                    c.filter_subjects.iter().find_map(|a| {
                        earlier.filter_subjects.iter().find(|b| subject::collide(a, b)).map(|b| {
                            format!(
                                "its filter {a:?} overlaps {b:?} of consumer {:?} on a work-queue stream",
                                earlier.durable
                            )
                        })
                    })
                };
                if let Some(problem) = problem {
                    say(Rule::ConsumerWorkqueueOverlap, c, problem);
                    break;
                }
            }
        }
    }
    if config.max_consumers > 0 {
        let mut names: Vec<&str> = consumers.iter().map(|c| c.durable.as_str()).collect();
        names.sort_all();
        names.dedup();
        if names.len() as i64 > config.max_consumers {
            if let Some(c) = consumers.last() {
                say(
                    Rule::ConsumerMaxConsumers,
                    c,
                    format!(
                        "the stream allows {} consumers (`max_consumers`), it has {}",
                        config.max_consumers,
                        names.len()
                    ),
                );
            }
        }
    }
}

fn one(config: &StreamConfig, c: &Consumer, version: NatsVersion, say: &mut impl FnMut(Rule, &Consumer, String)) {
    if let Some(problem) = name_problem(&c.durable) {
        say(Rule::ConsumerNameInvalid, c, format!("the durable name {problem}"));
    }

    let stream_replicas = if config.num_replicas <= 0 { 1 } else { config.num_replicas };
    if c.replicas < 0 {
        say(Rule::ConsumerReplicasInvalid, c, format!("{} replicas is negative", c.replicas));
    } else if c.replicas > stream_replicas {
        say(
            Rule::ConsumerReplicasInvalid,
            c,
            format!("{} replicas, more than the stream's {stream_replicas}", c.replicas),
        );
    } else if c.replicas != 0
        && c.replicas != stream_replicas
        && matches!(config.retention, Retention::Interest | Retention::WorkQueue)
    {
        say(
            Rule::ConsumerReplicasInvalid,
            c,
            format!(
                "{} replicas on a {} stream of {stream_replicas}: the server wants the stream's",
                c.replicas,
                config.retention.as_str()
            ),
        );
    }

    if c.ack_wait.is_some_and(|w| w < 0) {
        say(Rule::ConsumerAckWaitNegative, c, "the ack wait is negative".to_owned());
    }

    match &c.deliver_subject {
        Some(deliver) => {
            if let Some(reason) = subject::invalid_reason(deliver) {
                say(
                    Rule::ConsumerDeliverSubjectInvalid,
                    c,
                    format!("the deliver subject {deliver:?} is invalid: {reason}"),
                );
            } else if !subject::is_literal(deliver) {
                say(Rule::ConsumerDeliverSubjectInvalid, c, format!("the deliver subject {deliver:?} has wildcards"));
            } else if let Some(s) = config.subjects.iter().find(|s| subject::is_subset(deliver, s)) {
                say(
                    Rule::ConsumerDeliverSubjectInvalid,
                    c,
                    format!("the deliver subject {deliver:?} is captured by the stream's subject {s:?}: deliveries would be stored again"),
                );
            }
            if c.max_ack_pending.is_some_and(|n| n > 0) && c.ack_policy == AckPolicy::None {
                say(
                    Rule::ConsumerAckNoneMaxAckPending,
                    c,
                    "a push consumer with ack policy none sets max ack pending".into(),
                );
            }
            if c.idle_heartbeat.is_some_and(|h| h > 0 && h < MIN_HEARTBEAT) {
                say(Rule::ConsumerHeartbeatFlowControl, c, "the idle heartbeat is under 100ms".to_owned());
            }
        }
        None => {
            if c.idle_heartbeat.is_some_and(|h| h > 0) {
                say(Rule::ConsumerHeartbeatFlowControl, c, "an idle heartbeat needs a push consumer".to_owned());
            }
            if c.flow_control {
                say(Rule::ConsumerHeartbeatFlowControl, c, "flow control needs a push consumer".to_owned());
            }
        }
    }
    if c.flow_control && c.idle_heartbeat.unwrap_or(0) <= 0 && c.is_push() {
        say(Rule::ConsumerHeartbeatFlowControl, c, "flow control without an idle heartbeat".to_owned());
    }

    let mut filters_ok = true;
    for (i, f) in c.filter_subjects.iter().enumerate() {
        if let Some(reason) = subject::invalid_reason(f) {
            say(Rule::ConsumerFilterInvalid, c, format!("the filter subject {f:?} is invalid: {reason}"));
            filters_ok = false;
        } else if let Some(other) = c.filter_subjects[..i]
            .iter()
            .find(|o| subject::is_valid(o) && (subject::is_subset(f, o) || subject::is_subset(o, f)))
        {
            say(Rule::ConsumerFilterInvalid, c, format!("the filter subjects {other:?} and {f:?} overlap"));
            filters_ok = false;
        }
    }
    if filters_ok && !config.subjects.is_empty() && config.subjects.iter().all(|s| subject::is_valid(s)) {
        for f in &c.filter_subjects {
            if !config.subjects.iter().any(|s| subject::collide(f, s)) {
                say(
                    Rule::ConsumerFilterOutsideStream,
                    c,
                    format!("the filter subject {f:?} matches none of the stream's subjects: it would receive nothing"),
                );
            }
        }
    }
    if version == NatsVersion::V2_9 && c.filter_subjects.len() > 1 {
        say(
            Rule::ConsumerFiltersNeed210,
            c,
            format!(
                "{} filter subjects: 2.9 ignores `filter_subjects` and delivers every subject",
                c.filter_subjects.len()
            ),
        );
    }

    let start = match c.deliver_policy {
        DeliverPolicy::ByStartSequence if c.opt_start_seq.is_none() => {
            Some("by_start_sequence without a start sequence")
        }
        DeliverPolicy::ByStartTime if c.opt_start_time.is_none() => Some("by_start_time without a start time"),
        DeliverPolicy::LastPerSubject if c.filter_subjects.is_empty() => {
            Some("last_per_subject without a filter subject")
        }
        DeliverPolicy::ByStartSequence if c.opt_start_time.is_some() => Some("by_start_sequence with a start time"),
        DeliverPolicy::ByStartTime if c.opt_start_seq.is_some() => Some("by_start_time with a start sequence"),
        DeliverPolicy::All | DeliverPolicy::Last | DeliverPolicy::New | DeliverPolicy::LastPerSubject
            if c.opt_start_seq.is_some() || c.opt_start_time.is_some() =>
        {
            Some("a start sequence or time with a deliver policy that does not use it")
        }
        _ => None,
    };
    if let Some(problem) = start {
        say(Rule::ConsumerStartPosition, c, format!("deliver policy {problem}"));
    }

    if config.retention == Retention::WorkQueue {
        if c.ack_policy != AckPolicy::Explicit {
            say(
                Rule::ConsumerWorkqueuePolicy,
                c,
                format!("ack policy {} on a work-queue stream, which needs explicit acks", c.ack_policy.as_str()),
            );
        }
        if c.deliver_policy != DeliverPolicy::All {
            say(
                Rule::ConsumerWorkqueuePolicy,
                c,
                format!("deliver policy {} on a work-queue stream, which needs all", c.deliver_policy.as_str()),
            );
        }
    }

    // 2.9 has no `consumer_limits` (it ignores the field: measured).
    let stream_limit = config.consumer_limits.as_ref().filter(|_| version != NatsVersion::V2_9);
    if let Some(limit) = stream_limit.and_then(|l| l.max_ack_pending).filter(|&l| l > 0) {
        if c.max_ack_pending.is_some_and(|n| n > limit) {
            say(
                Rule::ConsumerMaxAckPendingLimit,
                c,
                format!(
                    "max ack pending {} is over the stream's consumer limit {limit}",
                    c.max_ack_pending.unwrap_or(0)
                ),
            );
        }
    }
}

/// Why a durable name is refused, or `None`.
fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    if name.len() > MAX_NAME_LEN {
        return Some(format!("is {} bytes long, more than {MAX_NAME_LEN}", name.len()));
    }
    if name.bytes().any(subject::is_space) {
        return Some("contains whitespace".to_owned());
    }
    name.chars().find(|c| matches!(c, '.' | '*' | '>' | '/' | '\\')).map(|c| format!("contains '{c}'"))
}

#[cfg(test)]
mod tests;
