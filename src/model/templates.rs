//! Starting points for a new design: empty, the guide's hub and two cinemas, or a hub with any
//! number of spokes. Deterministic, and every template but the empty one validates with no
//! errors, so a new design starts from something that works.

use super::bucket::{self, KvSettings};
use super::cluster::{Account, Cluster, LeafnodeListener, LeafnodeRemote, NatsVersion, Password, Role, User};
use super::example;
use super::geometry::Point;
use super::ids::{ClusterId, StreamId};
use super::stream::{StreamConfig, StreamSource};
use super::topology::Design;

mod cross_account;
mod regions;
pub use cross_account::{cross_account_sharing, unwired as cross_account_unwired};
pub use regions::two_regions_and_a_site;

/// The most spokes [`hub_with_spokes`] builds.
pub const MAX_SPOKES: usize = 50;

/// A template the "New" dialog offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    Empty,
    /// The guide's hub and two cinemas, corrected (the example).
    Guide,
    /// A hub and this many spokes, each with one stream sourced into the hub.
    HubWithSpokes(usize),
    /// A hub account's streams mirrored and sourced by a spoke's other account.
    CrossAccount,
    /// A hub and two edge sites sharing key-value buckets ([`edge_key_value`]).
    EdgeKeyValue,
    /// Two regions joined by gateways into a supercluster, and a leafnode site.
    TwoRegions,
}

impl Template {
    pub fn design(self) -> Design {
        match self {
            Template::Empty => Design::new("untitled"),
            Template::Guide => example::guide_corrected(),
            Template::HubWithSpokes(n) => hub_with_spokes(n),
            Template::CrossAccount => cross_account_sharing(),
            Template::EdgeKeyValue => edge_key_value(),
            Template::TwoRegions => two_regions_and_a_site(),
        }
    }
}

const SECRET: &str = "nats-passwords";

/// One remote per account to `target` at `url`, each as the account's user (its lower-case
/// name) with the password in the templates' secret.
fn remotes_to(target: ClusterId, url: &str, accounts: &[&str]) -> Vec<LeafnodeRemote> {
    accounts
        .iter()
        .map(|account| {
            let user = account.to_lowercase();
            LeafnodeRemote {
                target: Some(target),
                url: url.into(),
                local_account: Some((*account).into()),
                password: Some(Password::SecretRef { name: SECRET.into(), key: user.clone() }),
                user: Some(user),
                ..LeafnodeRemote::default()
            }
        })
        .collect()
}

fn accounts(cluster: &mut Cluster) {
    let user = |name: &str| User {
        name: name.to_owned(),
        password: Password::SecretRef { name: SECRET.into(), key: name.into() },
    };
    cluster.accounts.insert("SYS".into(), Account::new(false, vec![user("sys")]));
    cluster.accounts.insert("ACC".into(), Account::new(true, vec![user("acc")]));
    cluster.system_account = Some("SYS".into());
}

/// A hub (domain `hub`) and `spokes` spokes (domains `site-1`, ...; at most [`MAX_SPOKES`]),
/// each spoke dialing the hub for `ACC` and `SYS` and holding one stream `events-<i>` that the
/// hub's stream `all-events` sources.
pub fn hub_with_spokes(spokes: usize) -> Design {
    let spokes = spokes.min(MAX_SPOKES);
    let mut design = Design::new(format!("hub and {spokes} spokes"));
    let width = 360.0;
    let row = spokes.clamp(1, 6) as f64;
    let mut hub = Cluster::new("hub", Role::Hub);
    hub.domain = "hub".into();
    hub.server_name_prefix = "hub-".into();
    hub.version = NatsVersion::V2_14;
    hub.leafnode_listener = Some(LeafnodeListener::default());
    hub.position = Point::new((row - 1.0) * width / 2.0, 0.0);
    accounts(&mut hub);
    let hub_id = design.add_cluster(hub);

    let mut sources = Vec::new();
    for i in 1..=spokes {
        let name = format!("spoke-{i}");
        let mut spoke = Cluster::new(name.clone(), Role::Spoke);
        spoke.domain = format!("site-{i}");
        spoke.server_name_prefix = format!("{name}-");
        spoke.version = NatsVersion::V2_14;
        let (col, line) = ((i - 1) % 6, (i - 1) / 6);
        spoke.position = Point::new(col as f64 * width, 360.0 + line as f64 * 300.0);
        accounts(&mut spoke);
        spoke.remotes = remotes_to(hub_id, "nats://hub:7422", &["ACC", "SYS"]);
        let id = design.add_cluster(spoke);
        let mut events = StreamConfig::new(format!("events-{i}"));
        events.subjects = vec![format!("site-{i}.events.>")];
        events.num_replicas = 3;
        design.add_stream(id, "ACC", events);
        sources.push(StreamSource { name: format!("events-{i}"), origin_cluster: Some(id), ..StreamSource::default() });
    }
    if !sources.is_empty() {
        let mut all = StreamConfig::new("all-events");
        all.num_replicas = 3;
        all.sources = sources;
        design.add_stream(hub_id, "ACC", all);
    }
    design
}

/// "Edge key-value": the hub and two spokes of [`hub_with_spokes`], with the edge pattern for
/// buckets. Key-value bucket `config` (history 5) lives on the hub and is mirrored into each
/// site's domain under its own name with `mirror_direct`, so site clients read it locally without
/// naming the hub's domain; each site writes its own bucket `status-<i>`, which the hub's
/// bucket `status` sources, its keys moved into `status` by subject transforms.
pub fn edge_key_value() -> Design {
    let mut design = hub_with_spokes(2);
    design.name = "edge key-value".to_owned();
    let plain: Vec<StreamId> = design.streams().map(|s| s.id).collect();
    for id in plain {
        design.remove_stream(id);
    }
    let clusters: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
    let (hub, sites) = (clusters[0], &clusters[1..]);
    // The address the sites dial, declared, so that every export names it.
    if let Some(listener) = design.cluster_mut(hub).and_then(|c| c.leafnode_listener.as_mut()) {
        listener.public_endpoints = vec!["hub:7422".to_owned()];
    }
    let replicated = |history| KvSettings { history, replicas: 3, ..KvSettings::default() };
    let config = design.add_stream(hub, "ACC", bucket::kv_config("config", &replicated(5))).expect("the hub exists");
    for site in sites {
        if let Ok(mirror) = bucket::mirror_into(&design, config, *site) {
            let _ = mirror.apply(&mut design);
        }
    }
    let mut status = bucket::kv_config("status", &replicated(1));
    for (i, site) in sites.iter().enumerate() {
        let name = format!("status-{}", i + 1);
        design.add_stream(*site, "ACC", bucket::kv_config(&name, &replicated(1)));
        status.sources.push(bucket::kv_source(&name, "status", Some(*site)));
    }
    design.add_stream(hub, "ACC", status);
    design
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::{validate, Severity};

    #[test]
    fn hub_with_spokes_sources_one_stream_per_spoke_and_has_no_errors() {
        for n in [1, 3, 8] {
            let d = hub_with_spokes(n);
            assert_eq!(d.clusters().count(), n + 1);
            assert_eq!(d.streams().count(), n + 1);
            let errors: Vec<_> = validate(&d).into_iter().filter(|x| x.severity == Severity::Error).collect();
            assert!(errors.is_empty(), "{n} spokes: {errors:#?}");
            assert_eq!(hub_with_spokes(n), d, "deterministic");
        }
    }

    #[test]
    fn edge_key_value_validates_clean() {
        let d = edge_key_value();
        assert_eq!(validate(&d), [], "no problem of any severity");
        assert_eq!(d, edge_key_value(), "deterministic");
        let names: Vec<(&str, Option<&str>)> =
            d.streams().map(|s| (s.config.name.as_str(), d.cluster(s.cluster).and_then(|c| c.domain()))).collect();
        assert_eq!(
            names,
            [
                ("KV_config", Some("hub")),
                ("KV_config", Some("site-1")),
                ("KV_config", Some("site-2")),
                ("KV_status-1", Some("site-1")),
                ("KV_status-2", Some("site-2")),
                ("KV_status", Some("hub")),
            ]
        );
        assert!(d.streams().all(|s| bucket::bucket_of(&s.config).is_some()));
        assert_eq!(Template::EdgeKeyValue.design(), d);
    }

    #[test]
    fn templates_build_their_designs() {
        assert_eq!(Template::Empty.design().clusters().count(), 0);
        assert_eq!(Template::Guide.design(), example::guide_corrected());
        assert_eq!(Template::HubWithSpokes(1000).design().clusters().count(), MAX_SPOKES + 1);
        assert_eq!(Template::HubWithSpokes(0).design().streams().count(), 0);
        let shared = Template::CrossAccount.design();
        let problems: Vec<_> = validate(&shared).into_iter().filter(|x| x.severity != Severity::Info).collect();
        assert_eq!(problems, [], "Cross-account sharing validates clean");
        assert_eq!(shared.streams().count(), 4);
    }
}
