//! Proptest strategies for arbitrary designs (test-only): every field of clusters, remotes,
//! accounts and stream configurations, hostile strings, optional fields present and absent,
//! mirrors and sources with and without origin clusters, remotes with and without targets,
//! gateways and their peers, TLS on every listener and dial (secrets, paths, both, none).
//!
//! Designs are valid as data (references point at existing clusters, ids are unique) but not as
//! topologies: the validator sees every kind of mistake.

use super::cluster::{Account, Cluster, LeafnodeListener, LeafnodeRemote, NatsVersion, Password, Role, User};
use super::gateway::{Gateway, GatewayPeer};
use super::geometry::Point;
use super::ids::{ClusterId, StreamId};
use super::stream::{
    Compression, ConsumerLimits, Discard, Placement, Republish, Retention, Storage, Stream, StreamConfig, StreamSource,
    SubjectTransform, SECOND,
};
use super::tls::{ClusterTls, TlsCerts, TlsDial, TlsListener};
use super::topology::Design;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, Index};

/// Text as users and files supply it: plausible names, shell and SQL and HTML injection,
/// unicode, control characters, empty.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9-]{0,8}",
        1 => Just(String::new()),
        1 => select(vec![
            "$(rm -rf ~)",
            "`reboot`",
            "\"; drop table streams; --",
            "'; echo pwned '",
            "<script>alert(1)</script>",
            "{{ .Values.secret }}",
            "cinéma-Ⅱ 🎬",
            "日本語",
            "tab\there\nnewline",
            "\u{0}\u{1b}[31mred",
            "back\\slash \"quoted\"",
            "foo.*.>",
            " ",
        ])
        .prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(text())
}

/// Numbers as JetStream limits hold them: unlimited, zero, small, and anything at all.
fn limit() -> impl Strategy<Value = i64> {
    prop_oneof![Just(-1), Just(0), Just(1), Just(3), Just(7), any::<i64>()]
}

fn nanos() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0), Just(SECOND / 1000), Just(120 * SECOND), any::<i64>()]
}

/// Canvas coordinates with up to two decimals, which JSON carries exactly.
fn coordinate() -> impl Strategy<Value = f64> {
    (-10_000_000i64..10_000_000).prop_map(|n| n as f64 / 100.0)
}

pub fn password() -> impl Strategy<Value = Password> {
    prop_oneof![
        text().prop_map(Password::Plain),
        text().prop_map(Password::Bcrypt),
        (text(), text()).prop_map(|(name, key)| Password::SecretRef { name, key }),
    ]
}

fn account() -> impl Strategy<Value = Account> {
    (any::<bool>(), vec((text(), password()).prop_map(|(name, password)| User { name, password }), 0..3))
        .prop_map(|(jetstream, users)| Account::new(jetstream, users))
}

/// Certificate references: a secret, paths (hostile ones too), both, or none.
fn certs() -> impl Strategy<Value = TlsCerts> {
    (opt_text(), opt_text(), opt_text(), opt_text()).prop_map(|(secret, cert_file, key_file, ca_file)| TlsCerts {
        secret,
        cert_file,
        key_file,
        ca_file,
    })
}

fn tls_listener() -> impl Strategy<Value = Option<TlsListener>> {
    option::of((certs(), any::<bool>()).prop_map(|(certs, verify)| TlsListener { certs, verify }))
}

fn tls_dial() -> impl Strategy<Value = Option<TlsDial>> {
    option::of(certs().prop_map(|certs| TlsDial { certs }))
}

fn listener() -> impl Strategy<Value = LeafnodeListener> {
    (any::<u16>(), vec(text(), 0..3), any::<bool>(), tls_listener()).prop_map(
        |(port, public_endpoints, no_advertise, tls)| LeafnodeListener { tls, port, public_endpoints, no_advertise },
    )
}

/// A remote, and which cluster of the design it targets (resolved when the design is built).
fn remote() -> impl Strategy<Value = (LeafnodeRemote, Option<Index>)> {
    (
        text(),
        opt_text(),
        opt_text(),
        option::of(password()),
        opt_text(),
        opt_text(),
        option::of(any::<Index>()),
        tls_dial(),
    )
        .prop_map(|(url, local_account, user, password, credentials, nkey, target, tls)| {
            (LeafnodeRemote { tls, target: None, url, local_account, user, password, credentials, nkey }, target)
        })
}

/// A gateway peer, and which cluster of the design it targets.
fn peer() -> impl Strategy<Value = (GatewayPeer, Option<Index>)> {
    (text(), vec(text(), 0..3), option::of(any::<Index>()), tls_dial())
        .prop_map(|(name, urls, target, tls)| (GatewayPeer { tls, target: None, name, urls }, target))
}

/// A gateway whose peers' targets are still to be resolved.
fn gateway() -> impl Strategy<Value = (Gateway, Vec<Option<Index>>)> {
    (any::<u16>(), vec(text(), 0..2), vec(peer(), 0..3), tls_listener()).prop_map(
        |(port, public_endpoints, peers, tls)| {
            let (peers, targets) = peers.into_iter().unzip();
            (Gateway { tls, port, public_endpoints, peers }, targets)
        },
    )
}

/// Targets of a cluster's remotes and of its gateway's peers, still to be resolved.
type Targets = (Vec<Option<Index>>, Vec<Option<Index>>);

/// A cluster whose remotes' and gateway peers' targets are still to be resolved.
fn cluster() -> impl Strategy<Value = (Cluster, Targets)> {
    let head = (
        text(),
        select(Role::ALL.to_vec()),
        any::<bool>(),
        text(),
        any::<u8>(),
        text(),
        select(NatsVersion::ALL.to_vec()),
    );
    let body = (
        option::of(listener()),
        vec(remote(), 0..3),
        btree_map(text(), account(), 0..3),
        opt_text(),
        (coordinate(), coordinate()),
        (option::of(gateway()), vec(text(), 0..3), (tls_listener(), tls_listener())),
    );
    (head, body).prop_map(
        |(
            (name, role, jetstream, domain, servers, server_name_prefix, version),
            (leafnode_listener, remotes, accounts, system_account, (x, y), (gateway, server_tags, (client, routes))),
        )| {
            let (remotes, targets) = remotes.into_iter().unzip();
            let (gateway, peer_targets) = gateway.map_or((None, Vec::new()), |(g, t)| (Some(g), t));
            let cluster = Cluster {
                tls: ClusterTls { client, routes },
                name,
                role,
                jetstream,
                domain,
                servers,
                server_name_prefix,
                version,
                leafnode_listener,
                remotes,
                accounts,
                system_account,
                gateway,
                server_tags,
                position: Point::new(x, y),
            };
            (cluster, (targets, peer_targets))
        },
    )
}

fn transform() -> impl Strategy<Value = SubjectTransform> {
    (text(), text()).prop_map(|(src, dest)| SubjectTransform { src, dest })
}

/// A stream name: any text, or a bucket's stream name (`KV_<text>`, `OBJ_<text>`), so that the
/// bucket rules see well and badly named buckets, their mirrors and sources.
fn stream_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => text(),
        1 => (select(vec!["KV_", "OBJ_"]), prop_oneof![Just("cfg".to_owned()), text()])
            .prop_map(|(prefix, name)| format!("{prefix}{name}")),
    ]
}

/// A mirror or source, and which cluster of the design it names as origin.
fn origin() -> impl Strategy<Value = (StreamSource, Option<Index>)> {
    (
        stream_name(),
        opt_text(),
        opt_text(),
        opt_text(),
        vec(transform(), 0..2),
        option::of(any::<u64>()),
        opt_text(),
        option::of(any::<Index>()),
    )
        .prop_map(
            |(name, api, deliver, filter_subject, subject_transforms, opt_start_seq, opt_start_time, cluster)| {
                let source = StreamSource {
                    name,
                    origin_cluster: None,
                    api,
                    deliver,
                    filter_subject,
                    subject_transforms,
                    opt_start_seq,
                    opt_start_time,
                };
                (source, cluster)
            },
        )
}

/// A stream configuration whose origins' clusters are still to be resolved.
fn config() -> impl Strategy<Value = (StreamConfig, Option<Option<Index>>, Vec<Option<Index>>)> {
    let limits = (
        stream_name(),
        opt_text(),
        vec(text(), 0..3),
        select(vec![Retention::Limits, Retention::Interest, Retention::WorkQueue]),
        limit(),
        limit(),
        limit(),
        nanos(),
        limit(),
        limit(),
        select(vec![Storage::File, Storage::Memory]),
        limit(),
    );
    let behaviour = (
        any::<bool>(),
        select(vec![Discard::Old, Discard::New]),
        option::of(nanos()),
        option::of((opt_text(), vec(text(), 0..3)).prop_map(|(cluster, tags)| Placement { cluster, tags })),
        option::of(origin()),
        vec(origin(), 0..3),
        any::<[bool; 7]>(),
    );
    let extras =
        (
            option::of((text(), text(), any::<bool>()).prop_map(|(src, dest, headers_only)| Republish {
                src,
                dest,
                headers_only,
            })),
            option::of(transform()),
            select(vec![Compression::None, Compression::S2]),
            option::of(any::<u64>()),
            btree_map(text(), text(), 0..3),
            option::of((option::of(nanos()), option::of(limit())).prop_map(|(inactive_threshold, max_ack_pending)| {
                ConsumerLimits { inactive_threshold, max_ack_pending }
            })),
            option::of(nanos()),
            any::<[bool; 5]>(),
            option::of(select(vec!["default", "async", "Async", ""]).prop_map(str::to_owned)),
        );
    (limits, behaviour, extras).prop_map(
        |(
            (
                name,
                description,
                subjects,
                retention,
                max_consumers,
                max_msgs,
                max_bytes,
                max_age,
                max_msgs_per_subject,
                max_msg_size,
                storage,
                num_replicas,
            ),
            (no_ack, discard, duplicate_window, placement, mirror, sources, flags),
            (
                republish,
                subject_transform,
                compression,
                first_seq,
                metadata,
                consumer_limits,
                subject_delete_marker_ttl,
                more_flags,
                persist_mode,
            ),
        )| {
            let [sealed, deny_delete, deny_purge, allow_rollup_hdrs, allow_direct, mirror_direct, discard_new_per_subject] =
                flags;
            let [allow_msg_ttl, allow_msg_counter, allow_atomic, allow_msg_schedules, allow_batched] = more_flags;
            let (mirror, mirror_cluster) = match mirror {
                Some((m, c)) => (Some(m), Some(c)),
                None => (None, None),
            };
            let (sources, source_clusters) = sources.into_iter().unzip();
            let config = StreamConfig {
                name,
                description,
                subjects,
                retention,
                max_consumers,
                max_msgs,
                max_bytes,
                max_age,
                max_msgs_per_subject,
                max_msg_size,
                storage,
                num_replicas,
                no_ack,
                discard,
                duplicate_window,
                placement,
                mirror,
                sources,
                sealed,
                deny_delete,
                deny_purge,
                allow_rollup_hdrs,
                allow_direct,
                mirror_direct,
                discard_new_per_subject,
                republish,
                subject_transform,
                compression,
                first_seq,
                metadata,
                consumer_limits,
                allow_msg_ttl,
                subject_delete_marker_ttl,
                allow_msg_counter,
                allow_atomic,
                allow_msg_schedules,
                allow_batched,
                persist_mode,
            };
            (config, mirror_cluster, source_clusters)
        },
    )
}

type StreamPlan = (Index, String, (StreamConfig, Option<Option<Index>>, Vec<Option<Index>>));

fn stream() -> impl Strategy<Value = StreamPlan> {
    (any::<Index>(), prop_oneof![Just("ACC".to_owned()), text()], config())
}

/// An arbitrary design: up to four clusters and six streams, ids with gaps (as after deletions).
pub fn design() -> impl Strategy<Value = Design> {
    (text(), vec(cluster(), 0..4), vec(stream(), 0..6), vec(1u32..4, 10)).prop_map(|(name, clusters, streams, gaps)| {
        let mut design = Design::new(name);
        let mut next = 0;
        let mut fresh = |n: usize| {
            next += gaps[n % gaps.len()];
            next
        };
        let ids: Vec<ClusterId> = (0..clusters.len()).map(|n| ClusterId(fresh(n))).collect();
        let pick = |index: Option<Index>| index.filter(|_| !ids.is_empty()).map(|i| ids[i.index(ids.len())]);
        for (id, (mut cluster, (targets, peer_targets))) in ids.iter().zip(clusters) {
            for (remote, target) in cluster.remotes.iter_mut().zip(targets) {
                remote.target = pick(target);
            }
            for (peer, target) in cluster.gateway.iter_mut().flat_map(|g| g.peers.iter_mut()).zip(peer_targets) {
                peer.target = pick(target);
            }
            design.insert_cluster_with_id(*id, cluster);
        }
        if ids.is_empty() {
            return design;
        }
        for (n, (cluster, account, (mut config, mirror_cluster, source_clusters))) in streams.into_iter().enumerate() {
            if let (Some(mirror), Some(cluster)) = (config.mirror.as_mut(), mirror_cluster) {
                mirror.origin_cluster = pick(cluster);
            }
            for (source, cluster) in config.sources.iter_mut().zip(source_clusters) {
                source.origin_cluster = pick(cluster);
            }
            let id = StreamId(fresh(ids.len() + n));
            design.insert_stream_with_id(Stream {
                id,
                cluster: ids[cluster.index(ids.len())],
                account,
                config,
                consumers: Vec::new(),
            });
        }
        design
    })
}
