//! The "Two regions and a site" template: regions `east` and `west` joined by gateways into one
//! supercluster (domain `core`, system account `SYS`), each with three servers tagged with its
//! region, and a one-server site (domain `site`) attached to `east` by leafnodes. Streams are
//! placed on each region by cluster name and by tag, and the site's `sensors` is sourced into
//! the supercluster.

use super::super::cluster::{Account, Cluster, LeafnodeListener, NatsVersion, Password, Role, User};
use super::super::gateway::{join_gateways, Gateway};
use super::super::geometry::Point;
use super::super::stream::{Placement, StreamConfig, StreamSource};
use super::super::topology::Design;
use super::SECRET;

fn user(name: &str) -> User {
    User { name: name.to_owned(), password: Password::SecretRef { name: SECRET.into(), key: name.into() } }
}

fn accounts(cluster: &mut Cluster) {
    cluster.accounts.insert("SYS".into(), Account::new(false, vec![user("sys")]));
    cluster.accounts.insert("APP".into(), Account::new(true, vec![user("app")]));
    cluster.system_account = Some("SYS".into());
}

fn region(name: &str, x: f64) -> Cluster {
    let mut c = Cluster::new(name, Role::Hub);
    c.domain = "core".into();
    c.server_name_prefix = format!("{name}-");
    c.version = NatsVersion::V2_14;
    c.leafnode_listener = Some(LeafnodeListener {
        public_endpoints: vec![format!("{name}.example.com:7422")],
        ..LeafnodeListener::default()
    });
    c.gateway = Some(Gateway { public_endpoints: vec![format!("{name}.example.com:7222")], ..Gateway::default() });
    c.server_tags = vec![format!("region:{name}")];
    c.position = Point::new(x, 0.0);
    accounts(&mut c);
    c
}

fn placed(name: &str, subjects: &str, cluster: Option<&str>, tag: Option<&str>) -> StreamConfig {
    let mut config = StreamConfig::new(name);
    config.subjects = vec![subjects.to_owned()];
    config.num_replicas = 3;
    config.placement =
        Some(Placement { cluster: cluster.map(str::to_owned), tags: tag.map(str::to_owned).into_iter().collect() });
    config
}

/// The template's design.
pub fn two_regions_and_a_site() -> Design {
    let mut design = Design::new("two regions and a site");
    let east = design.add_cluster(region("east", 0.0));
    let west = design.add_cluster(region("west", 420.0));
    if let Some(join) = join_gateways(&design, east, west) {
        join.apply(&mut design).expect("both clusters exist");
    }

    let mut site = Cluster::new("site", Role::Spoke);
    site.domain = "site".into();
    site.server_name_prefix = "site-".into();
    site.servers = 1;
    site.version = NatsVersion::V2_14;
    site.position = Point::new(0.0, 380.0);
    accounts(&mut site);
    site.remotes = super::remotes_to(east, "nats://east.example.com:7422", &["APP", "SYS"]);
    let site = design.add_cluster(site);

    design.add_stream(east, "APP", placed("orders-east", "orders.east.>", Some("east"), None));
    design.add_stream(east, "APP", placed("audit-east", "audit.east.>", None, Some("region:east")));
    design.add_stream(west, "APP", placed("orders-west", "orders.west.>", Some("west"), None));
    design.add_stream(west, "APP", placed("audit-west", "audit.west.>", None, Some("region:west")));
    let mut sensors = StreamConfig::new("sensors");
    sensors.subjects = vec!["sensors.>".into()];
    design.add_stream(site, "APP", sensors);
    let mut all = placed("sensors-all", "unused", Some("east"), None);
    all.subjects.clear();
    all.sources = vec![StreamSource { name: "sensors".into(), origin_cluster: Some(site), ..StreamSource::default() }];
    design.add_stream(east, "APP", all);
    design
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::gateway::superclusters;
    use crate::model::validate::{validate, Severity};

    #[test]
    fn two_regions_and_a_site_is_one_supercluster_with_a_site_and_validates_clean() {
        let d = two_regions_and_a_site();
        let problems: Vec<_> = validate(&d).into_iter().filter(|x| x.severity != Severity::Info).collect();
        assert_eq!(problems, [], "validates clean");
        let ids: Vec<_> = d.clusters().map(|(id, _)| id).collect();
        assert_eq!(superclusters(&d), [vec![ids[0], ids[1]]]);
        assert_eq!(d.streams().count(), 6);
        assert_eq!(two_regions_and_a_site(), d, "deterministic");
        let east = d.cluster(ids[0]).and_then(|c| c.gateway.as_ref()).expect("a gateway");
        assert_eq!(east.peers[0].urls, ["nats://west.example.com:7222"]);
    }
}
