//! The "Cross-account sharing" template: a hub whose account DATA holds the streams `orders` and
//! `events`, and a spoke whose account APP mirrors `orders` and sources `events` across a
//! leafnode. The three pieces each link needs on the hub (the API, the deliveries and flow
//! control, exported by DATA and imported by APP) are added by the fix of
//! `cross-account-exports-missing`, so that the template shows exactly what "Wire accounts" does.

use super::super::cluster::{Account, Cluster, LeafnodeListener, LeafnodeRemote, NatsVersion, Password, Role, User};
use super::super::geometry::Point;
use super::super::stream::{StreamConfig, StreamSource};
use super::super::topology::Design;
use super::super::validate::{validate, Rule};
use super::SECRET;

/// Where spokes reach the hub's leafnode listener.
const ENDPOINT: &str = "hub.example.com:7422";

fn user(name: &str) -> User {
    User { name: name.to_owned(), password: Password::SecretRef { name: SECRET.into(), key: name.into() } }
}

/// The design before "Wire accounts": every link raises `cross-account-exports-missing`.
pub fn unwired() -> Design {
    let mut design = Design::new("cross-account sharing");
    let mut hub = Cluster::new("hub", Role::Hub);
    hub.domain = "hub".into();
    hub.server_name_prefix = "hub-".into();
    hub.version = NatsVersion::V2_14;
    hub.leafnode_listener =
        Some(LeafnodeListener { public_endpoints: vec![ENDPOINT.into()], ..LeafnodeListener::default() });
    hub.accounts.insert("SYS".into(), Account::new(false, vec![user("sys")]));
    hub.accounts.insert("DATA".into(), Account::new(true, vec![user("data")]));
    hub.accounts.insert("APP".into(), Account::new(true, vec![user("app")]));
    hub.system_account = Some("SYS".into());
    let hub_id = design.add_cluster(hub);

    let mut spoke = Cluster::new("spoke", Role::Spoke);
    spoke.domain = "spoke".into();
    spoke.server_name_prefix = "spoke-".into();
    spoke.version = NatsVersion::V2_14;
    spoke.position = Point::new(0.0, 360.0);
    spoke.accounts.insert("SYS".into(), Account::new(false, vec![user("sys")]));
    spoke.accounts.insert("APP".into(), Account::new(true, vec![user("app")]));
    spoke.system_account = Some("SYS".into());
    spoke.remotes = ["APP", "SYS"]
        .into_iter()
        .map(|account| {
            let user = account.to_lowercase();
            LeafnodeRemote {
                target: Some(hub_id),
                url: format!("nats://{ENDPOINT}"),
                local_account: Some(account.into()),
                password: Some(Password::SecretRef { name: SECRET.into(), key: user.clone() }),
                user: Some(user),
                ..LeafnodeRemote::default()
            }
        })
        .collect();
    let spoke_id = design.add_cluster(spoke);

    for name in ["orders", "events"] {
        let mut config = StreamConfig::new(name);
        config.subjects = vec![format!("{name}.>")];
        config.num_replicas = 3;
        design.add_stream(hub_id, "DATA", config);
    }
    let origin =
        |name: &str| StreamSource { name: name.into(), origin_cluster: Some(hub_id), ..StreamSource::default() };
    let mut mirror = StreamConfig::new("orders-mirror");
    mirror.mirror = Some(origin("orders"));
    mirror.num_replicas = 3;
    design.add_stream(spoke_id, "APP", mirror);
    let mut copy = StreamConfig::new("events-copy");
    copy.sources = vec![origin("events")];
    copy.num_replicas = 3;
    design.add_stream(spoke_id, "APP", copy);
    design
}

/// The template: [`unwired`] with every "Wire accounts" fix applied.
pub fn cross_account_sharing() -> Design {
    let mut design = unwired();
    // Each fix completes one link; the next link's fix sees what the previous one added.
    for _ in 0..design.stream_count() {
        let fix =
            validate(&design).into_iter().find(|d| d.rule == Rule::CrossAccountExportsMissing).and_then(|d| d.fix);
        let Some(fix) = fix else { break };
        if fix.command.apply(&mut design).is_err() {
            break;
        }
    }
    design
}
