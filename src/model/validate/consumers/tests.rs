//! Each consumer rule firing and not firing; the real servers' verdicts are in
//! `tests/differential_consumers.rs`.

use super::*;
use crate::model::consumer::Consumer;
use crate::model::stream::ConsumerLimits;

fn stream() -> StreamConfig {
    let mut s = StreamConfig::new("ORDERS");
    s.subjects = vec!["orders.>".into()];
    s
}

fn rules(config: &StreamConfig, consumers: &[Consumer], version: NatsVersion) -> Vec<Rule> {
    let mut out = Vec::new();
    check_stream(config, consumers, version, Target::Design, &mut out);
    let mut rules: Vec<Rule> = out.iter().map(|d| d.rule).collect();
    rules.dedup();
    rules
}

/// `rule` fires for `bad` and not for `good`, on a current target.
fn fires(rule: Rule, config: &StreamConfig, bad: &[Consumer], good: &[Consumer]) {
    assert_eq!(rules(config, bad, NatsVersion::V2_14), vec![rule], "{bad:?}");
    assert_eq!(rules(config, good, NatsVersion::V2_14), vec![], "{good:?}");
}

fn with(f: impl FnOnce(&mut Consumer)) -> Consumer {
    let mut c = Consumer::pull("c");
    f(&mut c);
    c
}

#[test]
fn names() {
    for bad in ["", "a.b", "a*", "a>", "a/b", "a\\b", "a b", "a\nb", &"x".repeat(256)] {
        fires(Rule::ConsumerNameInvalid, &stream(), &[Consumer::pull(bad)], &[Consumer::pull("$(rm-rf~);drop<script")]);
    }
    let dup = [Consumer::pull("a"), with(|c| c.durable = "a".into())];
    fires(Rule::ConsumerNameDuplicate, &stream(), &dup, &[Consumer::pull("a"), Consumer::pull("b")]);
}

#[test]
fn replicas() {
    let mut r3 = stream();
    r3.num_replicas = 3;
    fires(Rule::ConsumerReplicasInvalid, &stream(), &[with(|c| c.replicas = 3)], &[with(|c| c.replicas = 1)]);
    fires(Rule::ConsumerReplicasInvalid, &r3, &[with(|c| c.replicas = -1)], &[with(|c| c.replicas = 1)]);
    let mut wq = r3.clone();
    wq.retention = Retention::Interest;
    fires(Rule::ConsumerReplicasInvalid, &wq, &[with(|c| c.replicas = 1)], &[with(|c| c.replicas = 3)]);
}

#[test]
fn ack_wait_and_max_ack_pending() {
    fires(
        Rule::ConsumerAckWaitNegative,
        &stream(),
        &[with(|c| c.ack_wait = Some(-1))],
        &[with(|c| c.ack_wait = Some(SECOND))],
    );
    let push_none = |n| {
        let mut c = Consumer::push("p", "deliver.p");
        c.ack_policy = AckPolicy::None;
        c.max_ack_pending = n;
        c
    };
    fires(Rule::ConsumerAckNoneMaxAckPending, &stream(), &[push_none(Some(5))], &[push_none(None)]);
    let mut capped = stream();
    capped.consumer_limits = Some(ConsumerLimits { inactive_threshold: None, max_ack_pending: Some(10) });
    let bad = [with(|c| c.max_ack_pending = Some(11))];
    fires(Rule::ConsumerMaxAckPendingLimit, &capped, &bad, &[with(|c| c.max_ack_pending = Some(10))]);
    assert_eq!(rules(&capped, &bad, NatsVersion::V2_9), vec![], "2.9 has no consumer limits");
}

#[test]
fn deliver_subjects_and_heartbeats() {
    let good = [Consumer::push("p", "deliver.p")];
    for bad in ["deliver.*", "deliver.>", "deliver..x", "orders.loop", "a b"] {
        fires(Rule::ConsumerDeliverSubjectInvalid, &stream(), &[Consumer::push("p", bad)], &good);
    }
    let push = |hb: Option<i64>, fc: bool| {
        let mut c = Consumer::push("p", "deliver.p");
        c.idle_heartbeat = hb;
        c.flow_control = fc;
        c
    };
    let ok = [push(Some(SECOND / 10), true)];
    fires(Rule::ConsumerHeartbeatFlowControl, &stream(), &[push(Some(SECOND / 20), false)], &ok);
    fires(Rule::ConsumerHeartbeatFlowControl, &stream(), &[push(None, true)], &ok);
    fires(Rule::ConsumerHeartbeatFlowControl, &stream(), &[with(|c| c.idle_heartbeat = Some(SECOND))], &ok);
    fires(Rule::ConsumerHeartbeatFlowControl, &stream(), &[with(|c| c.flow_control = true)], &ok);
}

#[test]
fn filters() {
    let f = |subjects: &[&str]| with(|c| c.filter_subjects = subjects.iter().map(|s| s.to_string()).collect());
    let good = [f(&["orders.eu.>", "orders.us.>"])];
    for bad in [&["orders..x"][..], &[""], &["orders.>", "orders.eu"]] {
        fires(Rule::ConsumerFilterInvalid, &stream(), &[f(bad)], &good);
    }
    fires(Rule::ConsumerFilterOutsideStream, &stream(), &[f(&["invoices.>"])], &[f(&["orders.*.x"])]);
    let mut mirror = StreamConfig::new("M");
    mirror.mirror = Some(Default::default());
    assert_eq!(
        rules(&mirror, &[f(&["invoices.>"])], NatsVersion::V2_14),
        vec![],
        "a mirror has no subjects to compare"
    );
    assert_eq!(rules(&stream(), &good, NatsVersion::V2_9), vec![Rule::ConsumerFiltersNeed210]);
    assert_eq!(rules(&stream(), &[f(&["orders.eu.>"])], NatsVersion::V2_9), vec![]);
}

#[test]
fn start_positions() {
    let p = |policy, seq: Option<u64>, time: Option<&str>, filter: bool| {
        with(|c| {
            c.deliver_policy = policy;
            c.opt_start_seq = seq;
            c.opt_start_time = time.map(str::to_owned);
            if filter {
                c.filter_subjects = vec!["orders.>".into()];
            }
        })
    };
    let t = Some("2024-01-01T00:00:00Z");
    let cases = [
        (p(DeliverPolicy::All, Some(5), None, false), p(DeliverPolicy::All, None, None, false)),
        (p(DeliverPolicy::New, None, t, false), p(DeliverPolicy::New, None, None, false)),
        (p(DeliverPolicy::ByStartSequence, None, None, false), p(DeliverPolicy::ByStartSequence, Some(5), None, false)),
        (p(DeliverPolicy::ByStartSequence, Some(5), t, false), p(DeliverPolicy::ByStartSequence, Some(1), None, false)),
        (p(DeliverPolicy::ByStartTime, None, None, false), p(DeliverPolicy::ByStartTime, None, t, false)),
        (p(DeliverPolicy::LastPerSubject, None, None, false), p(DeliverPolicy::LastPerSubject, None, None, true)),
    ];
    for (bad, good) in cases {
        fires(Rule::ConsumerStartPosition, &stream(), &[bad], &[good]);
    }
}

#[test]
fn work_queues() {
    let mut wq = stream();
    wq.retention = Retention::WorkQueue;
    fires(Rule::ConsumerWorkqueuePolicy, &wq, &[with(|c| c.ack_policy = AckPolicy::None)], &[Consumer::pull("w")]);
    fires(
        Rule::ConsumerWorkqueuePolicy,
        &wq,
        &[with(|c| c.deliver_policy = DeliverPolicy::New)],
        &[Consumer::pull("w")],
    );
    let f = |name: &str, filter: Option<&str>| {
        let mut c = Consumer::pull(name);
        c.filter_subjects = filter.into_iter().map(str::to_owned).collect();
        c
    };
    let disjoint = [f("a", Some("orders.eu.>")), f("b", Some("orders.us.>"))];
    fires(Rule::ConsumerWorkqueueOverlap, &wq, &[f("a", None), f("b", Some("orders.us.>"))], &disjoint);
    fires(Rule::ConsumerWorkqueueOverlap, &wq, &[f("a", Some("orders.>")), f("b", Some("orders.us.x"))], &disjoint);
    assert_eq!(rules(&stream(), &[f("a", None), f("b", None)], NatsVersion::V2_14), vec![], "limits streams share");
}

#[test]
fn max_consumers() {
    let mut one = stream();
    one.max_consumers = 1;
    fires(Rule::ConsumerMaxConsumers, &one, &[Consumer::pull("a"), Consumer::pull("b")], &[Consumer::pull("a")]);
}

#[test]
fn the_design_check_names_the_stream_and_consumer() {
    let mut design = crate::model::example::guide_corrected();
    let id = design.streams().next().expect("the guide has streams").id;
    design.stream_mut(id).expect("listed").consumers = vec![Consumer::pull("a.b")];
    let found: Vec<_> =
        crate::model::validate::validate(&design).into_iter().filter(|d| d.rule == Rule::ConsumerNameInvalid).collect();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].target, found[0].field), (Target::Stream(id), Some("consumers")));
    assert!(found[0].message.contains("\"a.b\""), "{}", found[0].message);
}
