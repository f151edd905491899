//! Rules of the catalog group "Key-value buckets and object stores".
//!
//! A bucket is its stream (`model::bucket`), so every stream rule already runs on it; these
//! rules add what clients expect of a bucket. Where a bucket rule says more precisely what a
//! stream rule says, it replaces the stream rule for that stream (`supersede`), so one fault is
//! reported once.
//!
//! Decisions:
//! - `kv-history-out-of-range` covers `max_msgs_per_subject` entirely (it *is* the history):
//!   `bucket-stream-shape` checks the subjects and `allow_rollup_hdrs`, and says nothing of a
//!   bucket whose name is invalid (its subjects cannot be right either; `bucket-name-invalid`
//!   says why).
//! - `bucket-mirror-direct-off` keeps the catalog's severity, info. Measured with `nats kv get`
//!   (natscli v0.5.0, the Go client with direct gets) on 2.9.10 and 2.15.1, hub domain `hub`,
//!   site domain `site` joined by a leafnode, site mirror `KV_cfg` of hub bucket `cfg`: the get
//!   at the site was answered with `mirror_direct` and `allow_direct` on or off in all four
//!   combinations, and still answered with the hub stopped, so by the local copy
//!   (`tests/corpus/buckets/mirror-direct.md`). The rule stays a hint for clients that rely on
//!   direct gets reaching mirrors of the origin's own domain.
//! - `bucket-remote-without-domain`: the design has no clients, so a bucket is taken to be used
//!   from every JetStream cluster of another domain that dials the bucket's cluster through
//!   leafnodes (directly or through others: a hub's edge sites), not from the hub a site's
//!   bucket is dialed from, nor from a site whose bucket it sources (`bucket::access`). Once per bucket and such cluster without a mirror
//!   of the bucket under its name; the fix adds that mirror ("Mirror into…").
//! - `bucket-mirror-name` fires for a mirror of a bucket's stream in another domain whose own
//!   name is not the origin's, bucket-shaped or not: clients there open the bucket by name.
//!   Measured with natscli v0.5.0 on 2.9.10 and 2.15.1 (`tests/corpus/buckets/mirror-name.md`):
//!   at the site, `nats kv get cfg k` finds no bucket, while `nats kv get m2 k` reads the
//!   origin's key through the mirror `KV_m2` (nats.go reads a mirror under the origin's
//!   subjects), also with the hub down. So the copy works under its own name only.

use super::{Diagnostic, Rule, Target};
use crate::model::bucket::{self, Access, BucketKind, KV_MAX_HISTORY};
use crate::model::command::Command;
use crate::model::ids::StreamId;
use crate::model::sort::CollectSorted;
use crate::model::stream::{Stream, StreamConfig};
use crate::model::Design;
use std::collections::BTreeSet;

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    for stream in design.streams() {
        check_one(stream, out);
    }
    check_between(design, out);
}

/// The rules of this group that judge one stream by its own configuration alone.
pub(super) fn check_one(stream: &Stream, out: &mut Vec<Diagnostic>) {
    if let Some(b) = bucket::bucket_of(&stream.config) {
        if !bucket::is_valid_bucket_name(b.name) {
            name_invalid(stream, b.kind, b.name, out);
        } else {
            shape(stream, out);
        }
        if b.kind == BucketKind::KeyValue {
            history(stream, out);
        }
        ttl_vs_duplicates(stream, out);
    }
}

/// The rules of this group that look at other streams or at the clusters: bucket mirrors and
/// where buckets are reached from.
pub(super) fn check_between(design: &Design, out: &mut Vec<Diagnostic>) {
    for stream in design.streams() {
        if let Some(mirror) = &stream.config.mirror {
            if bucket::bucket_of_name(&mirror.name).is_some() {
                mirror_name(design, stream, out);
                mirror_direct(design, stream, out);
            }
        }
    }
    remote_without_domain(design, out);
}

/// Drops the stream rules a bucket rule replaces on the same stream.
pub(super) fn supersede(out: &mut Vec<Diagnostic>) {
    let with =
        |rule: Rule| -> BTreeSet<Target> { out.iter().filter(|d| d.rule == rule).map(|d| d.target).collect_set() };
    let bad_names = with(Rule::BucketNameInvalid);
    let bad_windows = with(Rule::BucketTtlVsDuplicates);
    out.retain(|d| match d.rule {
        Rule::StreamNameInvalid | Rule::SubjectInvalid | Rule::StreamSubjectsMissing => !bad_names.contains(&d.target),
        Rule::DuplicateWindowExceedsMaxAge => !bad_windows.contains(&d.target),
        _ => true,
    });
}

fn show(text: &str) -> String {
    format!("{text:?}")
}

fn set_config(stream: StreamId, config: StreamConfig) -> Command {
    Command::SetStreamConfig { stream, config: Box::new(config) }
}

fn name_invalid(stream: &Stream, kind: BucketKind, name: &str, out: &mut Vec<Diagnostic>) {
    let message = format!(
        "{} name {} (stream {}) is not a bucket name: clients accept only letters, digits, '_' and '-' \
         (nats.go validBucketRe) and refuse to open it; rename the bucket",
        kind.noun(),
        show(name),
        show(&stream.config.name)
    );
    let mut fixed: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if fixed.is_empty() {
        fixed = "bucket".to_owned();
    }
    let mut config = stream.config.clone();
    config.name = kind.stream_name(&fixed);
    if config.mirror.is_none() {
        config.subjects = kind.subjects(&fixed);
    }
    out.push(
        Diagnostic::new(Rule::BucketNameInvalid, Target::Stream(stream.id), message)
            .field("name")
            .fix(format!("rename the bucket to {fixed}"), set_config(stream.id, config)),
    );
}

fn shape(stream: &Stream, out: &mut Vec<Diagnostic>) {
    let faults = bucket::shape_faults(&stream.config);
    let Some(b) = bucket::bucket_of(&stream.config) else { return };
    if faults.is_empty() {
        return;
    }
    let message = format!(
        "stream {} is named as {} {} but {}: clients refuse or misread it; give it the bucket's shape",
        show(&stream.config.name),
        b.kind.noun(),
        show(b.name),
        faults.join(" and ")
    );
    let field = if bucket::shape_faults(&StreamConfig { allow_rollup_hdrs: true, ..stream.config.clone() }).is_empty() {
        "allow_rollup_hdrs"
    } else {
        "subjects"
    };
    let mut config = stream.config.clone();
    if config.mirror.is_none() {
        config.subjects = b.kind.subjects(b.name);
    }
    config.allow_rollup_hdrs = true;
    out.push(
        Diagnostic::new(Rule::BucketStreamShape, Target::Stream(stream.id), message)
            .field(field)
            .fix("give the stream the bucket's subjects and roll-ups", set_config(stream.id, config)),
    );
}

fn history(stream: &Stream, out: &mut Vec<Diagnostic>) {
    let history = stream.config.max_msgs_per_subject;
    if (1..=KV_MAX_HISTORY).contains(&history) {
        return;
    }
    let to = history.clamp(1, KV_MAX_HISTORY);
    let message = format!(
        "key-value bucket {} keeps a history of {history} (max_msgs_per_subject): a bucket keeps 1 to \
         {KV_MAX_HISTORY} values per key (nats.go KeyValueMaxHistory; below 1 clients refuse to open it)",
        show(&stream.config.name)
    );
    let mut config = stream.config.clone();
    config.max_msgs_per_subject = to;
    out.push(
        Diagnostic::new(Rule::KvHistoryOutOfRange, Target::Stream(stream.id), message)
            .field("max_msgs_per_subject")
            .fix(format!("keep a history of {to}"), set_config(stream.id, config)),
    );
}

fn ttl_vs_duplicates(stream: &Stream, out: &mut Vec<Diagnostic>) {
    let c = &stream.config;
    let Some(window) = c.duplicate_window else { return };
    if c.max_age <= 0 || window <= c.max_age {
        return;
    }
    let message = format!(
        "bucket stream {} has a TTL (max_age) of {}ns, shorter than its duplicate window of {}ns: the server \
         refuses it; set the window to the TTL, as natscli and nats.go do for TTLs under 2m",
        show(&c.name),
        c.max_age,
        window
    );
    let mut config = c.clone();
    config.duplicate_window = Some(c.max_age);
    out.push(
        Diagnostic::new(Rule::BucketTtlVsDuplicates, Target::Stream(stream.id), message)
            .field("duplicate_window")
            .fix("set the duplicate window to the TTL", set_config(stream.id, config)),
    );
}

fn mirror_name(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    let Some(mirror) = &stream.config.mirror else { return };
    if mirror.name == stream.config.name || design.effective_api(stream, mirror).is_none() {
        return;
    }
    let Some(origin) = bucket::bucket_of_name(&mirror.name) else { return };
    let message = format!(
        "stream {} mirrors {} {} from another domain under another name: clients there that open {} find no \
         bucket in their domain (the copy answers only under its own name, its keys still under the origin's \
         subjects); name the mirror {}",
        show(&stream.config.name),
        origin.kind.noun(),
        show(origin.name),
        show(origin.name),
        show(&mirror.name)
    );
    let taken = design.streams().any(|s| {
        s.id != stream.id
            && s.config.name == mirror.name
            && s.account == stream.account
            && design.stream_domain(s) == design.stream_domain(stream)
    });
    let mut diagnostic =
        Diagnostic::new(Rule::BucketMirrorName, Target::Origin { stream: stream.id, index: 0 }, message).field("name");
    if !taken {
        let mut config = stream.config.clone();
        config.name = mirror.name.clone();
        diagnostic = diagnostic.fix(format!("rename the mirror to {}", mirror.name), set_config(stream.id, config));
    }
    out.push(diagnostic);
}

fn mirror_direct(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    let Some(mirror) = &stream.config.mirror else { return };
    let origin = design.resolve_origin(stream, mirror).and_then(|id| design.stream(id));
    let origin_direct = origin.is_none_or(|o| o.config.allow_direct);
    if stream.config.mirror_direct && origin_direct {
        return;
    }
    let what = match (stream.config.mirror_direct, origin_direct) {
        (false, false) => "has no mirror_direct and its origin no allow_direct",
        (false, true) => "has no mirror_direct",
        _ => "mirrors an origin without allow_direct",
    };
    let message = format!(
        "bucket mirror {} {what}: clients that read with direct gets may not be served by this copy \
         (measured: `nats kv get` in the mirror's own domain is served by it either way)",
        show(&stream.config.name)
    );
    let mut diagnostic = Diagnostic::new(Rule::BucketMirrorDirectOff, Target::Stream(stream.id), message)
        .field(if stream.config.mirror_direct { "allow_direct" } else { "mirror_direct" });
    if !stream.config.mirror_direct {
        let mut config = stream.config.clone();
        config.mirror_direct = true;
        diagnostic = diagnostic.fix("turn mirror_direct on", set_config(stream.id, config));
    }
    out.push(diagnostic);
}

fn remote_without_domain(design: &Design, out: &mut Vec<Diagnostic>) {
    // `bucket::access` judges buckets that are no mirror; without one it finds nothing, and
    // indexing every stream's name to find that is most of what validating a design without
    // buckets costs in this group.
    if !design.streams().any(|s| s.config.mirror.is_none() && bucket::bucket_of(&s.config).is_some()) {
        return;
    }
    let access = bucket::access(design);
    if access.is_empty() {
        return;
    }
    let mut by_name: crate::model::fast_map::FastMap<&str, Vec<&Stream>> = Default::default();
    for stream in design.streams() {
        by_name.entry(stream.config.name.as_str()).or_default().push(stream);
    }
    for a in access {
        let Access::OriginDomain(domain) = &a.access else { continue };
        let (Some(stream), Some(cluster)) = (design.stream(a.bucket), design.cluster(a.cluster)) else { continue };
        let Some(b) = bucket::bucket_of(&stream.config) else { continue };
        let here = cluster.domain().map_or_else(|| "no domain".to_owned(), |d| format!("domain {}", show(d)));
        let message = format!(
            "{} {} lives in domain {} and cluster {} ({here}) holds no copy of it: clients there must open it \
             with the domain {} (nats --js-domain, jetstream.WithDomain), or their requests never leave their \
             own domain; or mirror it into {} as {}",
            b.kind.noun(),
            show(b.name),
            show(domain),
            show(&cluster.name),
            show(domain),
            show(&cluster.name),
            show(&stream.config.name)
        );
        let mut diagnostic = Diagnostic::new(Rule::BucketRemoteWithoutDomain, Target::Stream(stream.id), message);
        if b.kind == BucketKind::KeyValue {
            let named = by_name.get(stream.config.name.as_str()).into_iter().flatten().copied();
            if let Ok(command) = bucket::mirror_into_among(design, stream.id, a.cluster, named) {
                diagnostic = diagnostic.fix(format!("mirror the bucket into {}", cluster.name), command);
            }
        }
        out.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{validate, Diagnostic, Rule, Target};
    use crate::model::bucket::{self, KvSettings, ObjSettings};
    use crate::model::ids::{ClusterId, StreamId};
    use crate::model::stream::{StreamConfig, SECOND};
    use crate::model::templates::hub_with_spokes;
    use crate::model::Design;

    /// A hub and two spokes (domains `hub`, `site-1`, `site-2`) with a bucket `cfg` on the hub.
    fn edge() -> (Design, StreamId, ClusterId, ClusterId) {
        let mut d = hub_with_spokes(2);
        let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        let config = bucket::kv_config("cfg", &KvSettings { replicas: 3, ..KvSettings::default() });
        let id = d.add_stream(ids[0], "ACC", config).expect("the hub");
        (d, id, ids[1], ids[2])
    }

    fn mirrored(mut d: Design, bucket: StreamId, sites: &[ClusterId]) -> Design {
        for site in sites {
            bucket::mirror_into(&d, bucket, *site).expect("allowed").apply(&mut d).expect("applies");
        }
        d
    }

    fn of(d: &Design, rule: Rule) -> Vec<Diagnostic> {
        validate(d).into_iter().filter(|x| x.rule == rule).collect()
    }

    fn edit(d: &mut Design, id: StreamId, f: impl FnOnce(&mut StreamConfig)) {
        f(&mut d.stream_mut(id).expect("a stream").config);
    }

    /// Applies the fix of the first diagnostic of `rule` and checks it is gone.
    fn fixed(d: &Design, rule: Rule) -> Design {
        let fix = of(d, rule).into_iter().next().and_then(|x| x.fix).expect("a fix");
        let mut after = d.clone();
        fix.command.apply(&mut after).expect("applies");
        assert!(of(&after, rule).is_empty(), "{rule:?} left after its fix: {:#?}", of(&after, rule));
        after
    }

    #[test]
    fn a_bucket_mirrored_into_every_site_is_clean() {
        let (d, bucket, s1, s2) = edge();
        let d = mirrored(d, bucket, &[s1, s2]);
        let on_buckets: Vec<_> = validate(&d)
            .into_iter()
            .filter(|x| match x.target {
                Target::Stream(s) | Target::Origin { stream: s, .. } => {
                    d.stream(s).is_some_and(|s| bucket::bucket_of(&s.config).is_some())
                }
                _ => false,
            })
            .collect();
        assert!(on_buckets.is_empty(), "{on_buckets:#?}");
    }

    #[test]
    fn bucket_name_invalid_replaces_the_stream_name_and_subject_rules() {
        let (mut d, bucket, ..) = edge();
        assert!(of(&d, Rule::BucketNameInvalid).is_empty());
        for bad in ["a b", "a.b", "$(rm -rf ~)", ""] {
            edit(&mut d, bucket, |c| {
                c.name = format!("KV_{bad}");
                c.subjects = vec![format!("$KV.{bad}.>")];
            });
            let all = validate(&d);
            let rules: Vec<Rule> = all.iter().filter(|x| x.target == Target::Stream(bucket)).map(|x| x.rule).collect();
            assert!(rules.contains(&Rule::BucketNameInvalid), "{bad:?}: {rules:?}");
            for replaced in [Rule::StreamNameInvalid, Rule::SubjectInvalid, Rule::StreamSubjectsMissing] {
                assert!(!rules.contains(&replaced), "{bad:?} reported twice: {rules:?}");
            }
            assert!(!rules.contains(&Rule::BucketStreamShape), "{bad:?}: {rules:?}");
            fixed(&d, Rule::BucketNameInvalid);
        }
        edit(&mut d, bucket, |c| c.name = "OBJ_x~y".into());
        assert_eq!(of(&d, Rule::BucketNameInvalid).len(), 1, "object stores too");
    }

    #[test]
    fn stream_rules_run_on_a_buckets_stream_once() {
        let (mut d, bucket, ..) = edge();
        edit(&mut d, bucket, |c| {
            c.num_replicas = 2;
            c.max_age = -1;
        });
        let rules: Vec<Rule> =
            validate(&d).into_iter().filter(|x| x.target == Target::Stream(bucket)).map(|x| x.rule).collect();
        assert_eq!(rules.iter().filter(|r| **r == Rule::ReplicasEven).count(), 1, "{rules:?}");
        assert_eq!(rules.iter().filter(|r| **r == Rule::MaxAgeTooSmall).count(), 1, "{rules:?}");
        // Two buckets of one name in one domain are two streams of one name.
        let hub = d.stream(bucket).expect("bucket").cluster;
        d.add_stream(hub, "ACC", bucket::kv_config("cfg", &KvSettings::default()));
        assert!(validate(&d).iter().any(|x| x.rule == Rule::StreamNameDuplicate));
    }

    #[test]
    fn kv_history_out_of_range() {
        let (mut d, bucket, ..) = edge();
        for (history, fires) in [(0, true), (-1, true), (1, false), (64, false), (65, true)] {
            edit(&mut d, bucket, |c| c.max_msgs_per_subject = history);
            assert_eq!(of(&d, Rule::KvHistoryOutOfRange).len(), usize::from(fires), "history {history}");
            assert!(of(&d, Rule::BucketStreamShape).is_empty(), "history {history} reported once");
            if fires {
                fixed(&d, Rule::KvHistoryOutOfRange);
            }
        }
        edit(&mut d, bucket, |c| c.max_msgs_per_subject = 5);
        let mut o = d.clone();
        let hub = o.clusters().next().map(|(id, _)| id).expect("hub");
        o.add_stream(hub, "ACC", bucket::obj_config("files", &ObjSettings::default()));
        assert_eq!(of(&o, Rule::KvHistoryOutOfRange).len(), 0, "object stores keep every chunk");
    }

    #[test]
    fn bucket_stream_shape() {
        let (mut d, bucket, ..) = edge();
        assert!(of(&d, Rule::BucketStreamShape).is_empty());
        edit(&mut d, bucket, |c| c.subjects = vec!["cfg.>".into()]);
        assert_eq!(of(&d, Rule::BucketStreamShape)[0].field, Some("subjects"));
        let d = fixed(&d, Rule::BucketStreamShape);
        let mut d2 = d.clone();
        edit(&mut d2, bucket, |c| c.allow_rollup_hdrs = false);
        assert_eq!(of(&d2, Rule::BucketStreamShape)[0].field, Some("allow_rollup_hdrs"));
        fixed(&d2, Rule::BucketStreamShape);
        // A plain stream that took a bucket's name.
        let hub = d.clusters().next().map(|(id, _)| id).expect("hub");
        let mut d3 = d.clone();
        let mut plain = StreamConfig::new("OBJ_files");
        plain.subjects = vec!["files.>".into()];
        d3.add_stream(hub, "ACC", plain);
        assert_eq!(of(&d3, Rule::BucketStreamShape).len(), 1);
        // A mirror has no subjects of its own.
        let (d4, b4, s1, _) = edge();
        assert!(of(&mirrored(d4, b4, &[s1]), Rule::BucketStreamShape).is_empty());
    }

    #[test]
    fn bucket_mirror_name() {
        let (d, bucket, s1, _) = edge();
        let mut d = mirrored(d, bucket, &[s1]);
        assert!(of(&d, Rule::BucketMirrorName).is_empty());
        let mirror = d.streams_in(s1).find(|s| s.config.mirror.is_some()).expect("the mirror").id;
        edit(&mut d, mirror, |c| c.name = "KV_config".into());
        let found = of(&d, Rule::BucketMirrorName);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].target, Target::Origin { stream: mirror, index: 0 });
        fixed(&d, Rule::BucketMirrorName);
        // The same name mismatch within one domain is not this rule's.
        let (mut same, bucket, ..) = edge();
        let hub = same.stream(bucket).expect("bucket").cluster;
        let mut copy = bucket::kv_mirror_config("cfg", Some(hub), &KvSettings::default());
        copy.name = "KV_copy".into();
        same.add_stream(hub, "ACC", copy);
        assert!(of(&same, Rule::BucketMirrorName).is_empty());
    }

    #[test]
    fn bucket_mirror_direct_off() {
        let (d, bucket, s1, _) = edge();
        let mut d = mirrored(d, bucket, &[s1]);
        assert!(of(&d, Rule::BucketMirrorDirectOff).is_empty());
        let mirror = d.streams_in(s1).find(|s| s.config.mirror.is_some()).expect("the mirror").id;
        edit(&mut d, mirror, |c| c.mirror_direct = false);
        let found = of(&d, Rule::BucketMirrorDirectOff);
        assert_eq!((found.len(), found[0].field), (1, Some("mirror_direct")));
        let mut d = fixed(&d, Rule::BucketMirrorDirectOff);
        edit(&mut d, bucket, |c| c.allow_direct = false);
        let found = of(&d, Rule::BucketMirrorDirectOff);
        assert_eq!((found.len(), found[0].field), (1, Some("allow_direct")));
    }

    #[test]
    fn bucket_remote_without_domain() {
        let (d, bucket, s1, s2) = edge();
        let found = of(&d, Rule::BucketRemoteWithoutDomain);
        assert_eq!(found.len(), 2, "one per site: {found:#?}");
        assert!(found.iter().all(|x| x.target == Target::Stream(bucket)));
        assert!(found.iter().any(|x| x.message.contains("\"spoke-1\"") && x.message.contains("\"hub\"")));
        let d = fixed(&mirrored(d, bucket, &[s1]), Rule::BucketRemoteWithoutDomain);
        let _ = s2;
        assert!(of(&d, Rule::BucketRemoteWithoutDomain).is_empty());
        // A spoke without JetStream sends its requests on to the hub.
        let (mut nojs, ..) = edge();
        for id in [s1, s2] {
            nojs.cluster_mut(id).expect("spoke").jetstream = false;
        }
        assert!(of(&nojs, Rule::BucketRemoteWithoutDomain).is_empty());
    }

    #[test]
    fn bucket_ttl_vs_duplicates_replaces_the_stream_rule() {
        let (mut d, bucket, ..) = edge();
        edit(&mut d, bucket, |c| c.max_age = 30 * SECOND);
        let rules: Vec<Rule> =
            validate(&d).into_iter().filter(|x| x.target == Target::Stream(bucket)).map(|x| x.rule).collect();
        assert!(rules.contains(&Rule::BucketTtlVsDuplicates), "{rules:?}");
        assert!(!rules.contains(&Rule::DuplicateWindowExceedsMaxAge), "reported once: {rules:?}");
        let after = fixed(&d, Rule::BucketTtlVsDuplicates);
        assert!(of(&after, Rule::DuplicateWindowExceedsMaxAge).is_empty());
        let (mut ok, bucket, ..) = edge();
        bucket::set_kv(&ok, bucket, &KvSettings { ttl: 30 * SECOND, ..KvSettings::default() })
            .expect("a bucket")
            .apply(&mut ok)
            .expect("applies");
        assert!(of(&ok, Rule::BucketTtlVsDuplicates).is_empty(), "the settings derive the window");
        // A plain stream keeps the stream rule.
        let hub = ok.clusters().next().map(|(id, _)| id).expect("hub");
        let mut plain = StreamConfig::new("orders");
        plain.max_age = 30 * SECOND;
        plain.duplicate_window = Some(60 * SECOND);
        ok.add_stream(hub, "ACC", plain);
        assert_eq!(of(&ok, Rule::DuplicateWindowExceedsMaxAge).len(), 1);
        assert!(of(&ok, Rule::BucketTtlVsDuplicates).is_empty());
    }
}
