//! Generated designs of any size, for benchmarks and performance tests: one hub and spokes on a
//! ring (auto layout), streams spread evenly over them, every spoke stream sourced into a hub
//! stream or mirroring one, so that links are about as many as streams. Deterministic: the same
//! sizes always give the same design.

use super::cluster::{Account, Cluster, LeafnodeListener, LeafnodeRemote, NatsVersion, Password, Role, User};
use super::geometry::Point;
use super::ids::ClusterId;
use super::stream::{StreamConfig, StreamSource};
use super::topology::Design;

/// Every how many spoke streams one mirrors a hub stream.
const MIRROR_EVERY: usize = 5;

fn accounts(cluster: &mut Cluster) {
    let user = |name: &str| User {
        name: name.to_owned(),
        password: Password::SecretRef { name: "nats".into(), key: name.into() },
    };
    cluster.accounts.insert("SYS".into(), Account::new(false, vec![user("sys")]));
    cluster.accounts.insert("ACC".into(), Account::new(true, vec![user("acc")]));
    cluster.system_account = Some("SYS".into());
}

/// A design with `clusters` clusters (at least one, the hub) and `streams` streams.
pub fn generated(clusters: usize, streams: usize) -> Design {
    let clusters = clusters.max(1);
    let mut design = Design::new(format!("generated-{clusters}x{streams}"));
    let mut hub = Cluster::new("hub", Role::Hub);
    hub.domain = "hub".into();
    hub.server_name_prefix = "hub-".into();
    hub.version = NatsVersion::V2_14;
    hub.leafnode_listener = Some(LeafnodeListener::default());
    accounts(&mut hub);
    let hub_id = design.add_cluster(hub);

    let radius = 300.0 * (clusters as f64).sqrt();
    let mut ids: Vec<ClusterId> = vec![hub_id];
    for i in 1..clusters {
        let angle = std::f64::consts::TAU * i as f64 / (clusters - 1) as f64;
        let name = format!("spoke-{i}");
        let mut spoke = Cluster::new(name.clone(), Role::Spoke);
        spoke.domain = format!("site-{i}");
        spoke.server_name_prefix = format!("{name}-");
        spoke.version = NatsVersion::V2_14;
        spoke.position = Point::new(radius * angle.cos(), radius * angle.sin());
        accounts(&mut spoke);
        spoke.remotes = ["ACC", "SYS"]
            .into_iter()
            .map(|account| LeafnodeRemote {
                target: Some(hub_id),
                url: "nats://127.0.0.1:7422".into(),
                local_account: Some(account.into()),
                user: Some(account.to_lowercase()),
                password: Some(Password::SecretRef { name: "nats".into(), key: account.to_lowercase() }),
                ..LeafnodeRemote::default()
            })
            .collect();
        ids.push(design.add_cluster(spoke));
    }

    // Every cluster holds about the same number of streams. Spoke streams come first, so that
    // hub streams can source them; every fifth spoke stream mirrors a hub stream instead.
    let spokes = &ids[1..];
    let hub_share = if spokes.is_empty() { streams } else { (streams / clusters).max(1).min(streams) };
    let mut sourced: Vec<Vec<StreamSource>> = vec![Vec::new(); hub_share];
    for n in 0..streams - hub_share {
        let cluster = spokes[n % spokes.len()];
        let name = format!("orders-{n}");
        let mut config = StreamConfig::new(name.clone());
        config.subjects = vec![format!("orders.{n}.>")];
        config.num_replicas = 3;
        if n % MIRROR_EVERY == MIRROR_EVERY - 1 {
            config.subjects.clear();
            config.mirror = Some(StreamSource {
                name: format!("catalog-{}", n % hub_share),
                origin_cluster: Some(hub_id),
                ..StreamSource::default()
            });
        } else {
            sourced[n % hub_share].push(StreamSource {
                name,
                origin_cluster: Some(cluster),
                ..StreamSource::default()
            });
        }
        design.add_stream(cluster, "ACC", config);
    }
    for (n, sources) in sourced.into_iter().enumerate() {
        let mut config = StreamConfig::new(format!("catalog-{n}"));
        config.subjects = vec![format!("catalog.{n}.>")];
        config.num_replicas = 3;
        config.sources = sources;
        design.add_stream(hub_id, "ACC", config);
    }
    for (id, at) in super::edit::auto_layout(&design) {
        design.move_cluster(id, at);
    }
    design
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LinkKind;

    #[test]
    fn generated_designs_have_the_asked_size_and_every_kind_of_link() {
        let d = generated(10, 100);
        assert_eq!(d.clusters().count(), 10);
        assert_eq!(d.streams().count(), 100);
        let links = d.links();
        for kind in [LinkKind::Leafnode, LinkKind::Mirror, LinkKind::Source] {
            assert!(links.iter().any(|l| l.kind() == kind), "{kind:?}");
        }
        assert_eq!(generated(10, 100), d, "deterministic");
    }

    #[test]
    fn tiny_sizes_do_not_break_the_generator() {
        assert_eq!(generated(0, 0).clusters().count(), 1);
        assert_eq!(generated(1, 5).streams().count(), 5);
    }
}
