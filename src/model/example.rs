//! The example design: the guide's hub and two cinemas as they should have been configured.
//!
//! Compared with `shared/seed/guide.md`: domains are used consistently (`cinema-a`, not
//! `spoke-1`, in every API prefix), the mirror is a real mirror named `cinema-a-mirror`, origins
//! use limits retention, spokes declare `SYS` as their system account, every cluster has its own
//! server-name prefix, and passwords come from a Kubernetes secret instead of plain text.

use super::cluster::{Account, Cluster, LeafnodeListener, LeafnodeRemote, NatsVersion, Password, Role, User};
use super::geometry::Point;
use super::ids::ClusterId;
use super::stream::{Discard, StreamConfig, StreamSource, SECOND};
use super::topology::Design;

const HUB_PUBLIC_ENDPOINT: &str = "headquarter.nats.public.address.com:30742";
const PASSWORD_SECRET: &str = "nats-passwords";

fn secret(key: &str) -> Password {
    Password::SecretRef { name: PASSWORD_SECRET.to_owned(), key: key.to_owned() }
}

/// The accounts every cluster of the guide shares: `SYS` (system) and `ACC` (JetStream).
fn guide_accounts(cluster: &mut Cluster) {
    let user = |name: &str| User { name: name.to_owned(), password: secret(name) };
    cluster.accounts.insert("SYS".into(), Account::new(false, vec![user("sys")]));
    cluster.accounts.insert("ACC".into(), Account::new(true, vec![user("acc")]));
    cluster.system_account = Some("SYS".into());
}

fn cluster(name: &str, role: Role, domain: &str, prefix: &str, at: Point) -> Cluster {
    let mut c = Cluster::new(name, role);
    c.domain = domain.to_owned();
    c.server_name_prefix = prefix.to_owned();
    c.version = NatsVersion::V2_9;
    c.position = at;
    guide_accounts(&mut c);
    c
}

/// A spoke that dials the hub once per account, as the guide's remotes do.
fn spoke(name: &str, domain: &str, prefix: &str, at: Point, hub: ClusterId) -> Cluster {
    let mut c = cluster(name, Role::Spoke, domain, prefix, at);
    c.remotes = ["ACC", "SYS"]
        .into_iter()
        .map(|account| {
            let user = account.to_lowercase();
            LeafnodeRemote {
                target: Some(hub),
                url: format!("nats://{HUB_PUBLIC_ENDPOINT}"),
                local_account: Some(account.to_owned()),
                password: Some(secret(&user)),
                user: Some(user),
                ..LeafnodeRemote::default()
            }
        })
        .collect();
    c
}

/// A stream with the guide's settings, but limits retention so that it can be an origin.
fn guide_stream(name: &str, subjects: &[&str]) -> StreamConfig {
    let mut s = StreamConfig::new(name);
    s.subjects = subjects.iter().map(|s| (*s).to_owned()).collect();
    s.num_replicas = 3;
    s.discard = Discard::New;
    s.duplicate_window = Some(120 * SECOND);
    s
}

fn origin(name: &str, cluster: ClusterId) -> StreamSource {
    StreamSource { name: name.to_owned(), origin_cluster: Some(cluster), ..StreamSource::default() }
}

/// The guide's topology, corrected.
pub fn guide_corrected() -> Design {
    let mut d = Design::new("cinemas");
    let mut hub = cluster("headquarter", Role::Hub, "hub", "hq-", Point::new(470.0, 40.0));
    hub.leafnode_listener = Some(LeafnodeListener {
        tls: None,
        port: 7422,
        public_endpoints: vec![HUB_PUBLIC_ENDPOINT.to_owned()],
        no_advertise: true,
    });
    let hub = d.add_cluster(hub);
    let spoke_1 = d.add_cluster(spoke("spoke-1", "cinema-a", "s1-", Point::new(80.0, 420.0), hub));
    let spoke_2 = d.add_cluster(spoke("spoke-2", "cinema-b", "s2-", Point::new(860.0, 420.0), hub));

    let add = |d: &mut Design, cluster: ClusterId, config: StreamConfig| {
        d.add_stream(cluster, "ACC", config).expect("the example's clusters exist");
    };
    add(&mut d, hub, guide_stream("cinema-a", &["cinema-a.new.films"]));
    let mut sales = guide_stream("sales", &[]);
    sales.sources = vec![origin("tickets-1", spoke_1), origin("tickets-2", spoke_2)];
    add(&mut d, hub, sales);

    add(&mut d, spoke_1, guide_stream("tickets-1", &["tickets-1.>"]));
    let mut mirror = guide_stream("cinema-a-mirror", &[]);
    mirror.mirror = Some(origin("cinema-a", hub));
    add(&mut d, spoke_1, mirror);

    add(&mut d, spoke_2, guide_stream("tickets-2", &["tickets-2.>"]));
    d
}

/// The example with hostile names everywhere a user can type one: for tests that every exported
/// format and the page treat names as data, never as code or markup.
pub fn hostile_names() -> Design {
    const NAMES: [&str; 5] =
        ["$(rm -rf ~)", "\"; drop table streams; --", "<script>alert(1)</script>", "a'b`c\\d", "x\ny"];
    let mut d = guide_corrected();
    d.name = "hostile $(touch /tmp/pwned) \"quoted\"\n<b>".to_owned();
    let clusters: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
    for (i, id) in clusters.into_iter().enumerate() {
        if let Some(c) = d.cluster_mut(id) {
            c.name = format!("{}{i}", NAMES[i % NAMES.len()]);
            c.server_name_prefix = format!("{}-", NAMES[(i + 1) % NAMES.len()]);
        }
    }
    let streams: Vec<_> = d.streams().map(|s| s.id).collect();
    for (i, id) in streams.into_iter().enumerate() {
        if let Some(s) = d.stream_mut(id) {
            s.config.description = Some(NAMES[(i + 2) % NAMES.len()].to_owned());
            s.config.metadata.insert("owner".into(), NAMES[i % NAMES.len()].to_owned());
        }
    }
    d
}

/// The guide's topology exactly as its configs say, mistakes included: the sales sources name
/// `$JS.spoke-1.API` and `$JS.spoke-2.API` (cluster names) while the domains are `cinema-a` and
/// `cinema-b`; the "mirror" file is a second stream named `cinema-a` in spoke-1 with the same
/// subjects and no `mirror` block; every stream uses interest retention; every cluster keeps
/// the chart's default server names; passwords are plain text (in the remote URLs too); the
/// spokes bridge `SYS` without declaring it their system account. The Helm-level mistakes
/// (`no_advertise` instead of `noAdvertise`, `--js-domain=spoke-1` in the commands) are not part
/// of a design: importing the files finds them.
pub fn guide_as_written() -> Design {
    let plain = |name: &str| User { name: name.to_owned(), password: Password::Plain(name.to_owned()) };
    let accounts = |c: &mut Cluster| {
        c.accounts.insert("SYS".into(), Account::new(false, vec![plain("sys")]));
        c.accounts.insert("ACC".into(), Account::new(true, vec![plain("acc")]));
    };
    let cluster = |name: &str, role: Role, domain: &str, at: Point| {
        let mut c = Cluster::new(name, role);
        c.domain = domain.to_owned();
        c.version = NatsVersion::V2_9;
        c.position = at;
        accounts(&mut c);
        c
    };
    let mut d = Design::new("cinemas (as the guide wrote it)");
    let mut hub = cluster("headquarter", Role::Hub, "hub", Point::new(470.0, 40.0));
    hub.leafnode_listener = Some(LeafnodeListener {
        tls: None,
        port: 7422,
        public_endpoints: vec![HUB_PUBLIC_ENDPOINT.to_owned()],
        no_advertise: true,
    });
    hub.system_account = Some("SYS".into());
    let hub = d.add_cluster(hub);
    let spoke = |name: &str, domain: &str, at: Point| {
        let mut c = cluster(name, Role::Spoke, domain, at);
        c.remotes = [("acc", "ACC"), ("sys", "SYS")]
            .into_iter()
            .map(|(user, account)| LeafnodeRemote {
                target: Some(hub),
                url: format!("nats://{user}:{user}@{HUB_PUBLIC_ENDPOINT}"),
                local_account: Some(account.to_owned()),
                ..LeafnodeRemote::default()
            })
            .collect();
        c
    };
    let spoke_1 = d.add_cluster(spoke("spoke-1", "cinema-a", Point::new(80.0, 420.0)));
    let spoke_2 = d.add_cluster(spoke("spoke-2", "cinema-b", Point::new(860.0, 420.0)));

    let stream = |name: &str, subjects: &[&str]| {
        let mut s = guide_stream(name, subjects);
        s.retention = super::stream::Retention::Interest;
        s
    };
    let add = |d: &mut Design, cluster: ClusterId, config: StreamConfig| {
        d.add_stream(cluster, "ACC", config).expect("the guide's clusters exist");
    };
    add(&mut d, hub, stream("cinema-a", &["cinema-a.new.films"]));
    let mut sales = stream("sales", &[]);
    sales.max_msgs_per_subject = 0;
    sales.sources = [("tickets-1", spoke_1, "spoke-1"), ("tickets-2", spoke_2, "spoke-2")]
        .into_iter()
        .map(|(name, cluster, written)| StreamSource {
            api: Some(format!("$JS.{written}.API")),
            deliver: Some(String::new()),
            ..origin(name, cluster)
        })
        .collect();
    add(&mut d, hub, sales);
    add(&mut d, spoke_1, stream("tickets-1", &["tickets-1.>"]));
    add(&mut d, spoke_1, stream("cinema-a", &["cinema-a.new.films"]));
    add(&mut d, spoke_2, stream("tickets-2", &["tickets-2.>"]));
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::links::{Link, LinkKind};

    fn names(d: &Design) -> Vec<&str> {
        d.streams().map(|s| s.config.name.as_str()).collect()
    }

    #[test]
    fn example_has_the_guides_clusters_streams_and_links() {
        let d = guide_corrected();
        let clusters: Vec<_> = d.clusters().map(|(_, c)| (c.name.as_str(), c.domain.as_str())).collect();
        assert_eq!(clusters, [("headquarter", "hub"), ("spoke-1", "cinema-a"), ("spoke-2", "cinema-b")]);
        assert_eq!(names(&d), ["cinema-a", "sales", "tickets-1", "cinema-a-mirror", "tickets-2"]);

        let links = d.links();
        let count = |k| links.iter().filter(|l| l.kind() == k).count();
        assert_eq!((count(LinkKind::Leafnode), count(LinkKind::Mirror), count(LinkKind::Source)), (4, 1, 2));
    }

    #[test]
    fn cross_domain_links_derive_the_origin_domains_api_prefix() {
        let d = guide_corrected();
        let apis: Vec<_> = d
            .links()
            .into_iter()
            .filter_map(|l| match l {
                Link::Stream { api, .. } => api,
                Link::Leafnode { .. } | Link::Gateway { .. } | Link::Dangling { .. } => None,
            })
            .collect();
        assert_eq!(apis, ["$JS.cinema-a.API", "$JS.cinema-b.API", "$JS.hub.API"]);
    }

    #[test]
    fn renaming_a_domain_changes_the_derived_prefix() {
        let mut d = guide_corrected();
        let spoke_1 = d.clusters().find(|(_, c)| c.name == "spoke-1").map(|(id, _)| id).unwrap();
        d.cluster_mut(spoke_1).unwrap().domain = "cinema-north".into();
        let sales = d.streams().find(|s| s.config.name == "sales").unwrap();
        assert_eq!(d.effective_api(sales, &sales.config.sources[0]).as_deref(), Some("$JS.cinema-north.API"));
    }

    #[test]
    fn an_api_override_naming_an_unknown_domain_resolves_no_origin() {
        let mut d = guide_corrected();
        let sales_id = d.streams().find(|s| s.config.name == "sales").unwrap().id;
        d.stream_mut(sales_id).unwrap().config.sources[0].api = Some("$JS.spoke-1.API".into());
        let sales = d.stream(sales_id).unwrap();
        assert_eq!(d.resolve_origin(sales, &sales.config.sources[0]), None);
        assert!(d.resolve_origin(sales, &sales.config.sources[1]).is_some());
    }

    #[test]
    fn shapes_do_not_overlap() {
        let d = guide_corrected();
        let rects: Vec<_> = d.clusters().filter_map(|(id, _)| d.cluster_rect(id)).collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                let apart = a.right() < b.x || b.right() < a.x || a.bottom() < b.y || b.bottom() < a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }
}
