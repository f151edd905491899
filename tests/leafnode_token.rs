//! Differential test of `leafnode-token-auth` against the real servers (2.9.10 and 2.15.1).
//!
//! A spoke dials the hub's leafnode listener three ways: with a user and password (the link comes
//! up), with a client token in the URL (`nats://TOKEN@host`, the link never comes up) and, on the
//! accepting side, with `leafnodes { authorization { token } }` (the server exits at start). For
//! each conf, what our importer and rules say must match what the server does.

mod support;

use nats_topology::cli::sandbox::process::{free_ports, http_get, ServerProcess, Spawn, TempDir};
use nats_topology::model::import::{import, SourceFile};
use nats_topology::model::validate::{validate, Rule};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const TOKEN: &str = "s3cr3t-token";

fn hub_conf(client: u16, http: u16, leaf: u16) -> String {
    format!(
        "server_name: hub-0\nport: {client}\nhost: 127.0.0.1\nhttp: \"127.0.0.1:{http}\"\n\
         leafnodes {{ listen: \"127.0.0.1:{leaf}\" }}\n\
         accounts {{ ACC {{ users = [ {{ user: acc, password: acc-pw }} ] }} }}\n"
    )
}

fn spoke_conf(client: u16, url: &str) -> String {
    format!(
        "server_name: spoke-0\nport: {client}\nhost: 127.0.0.1\n\
         leafnodes {{ remotes = [ {{ url: \"{url}\", account: ACC }} ] }}\n\
         accounts {{ ACC {{ users = [ {{ user: local, password: local-pw }} ] }} }}\n"
    )
}

/// Whether our rules raise `leafnode-token-auth` on the confs, imported as they are.
fn raised(files: &[(&str, &str)]) -> bool {
    let sources: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
    let imported = import(&sources);
    imported.diagnostics.iter().chain(validate(&imported.design).iter()).any(|d| d.rule == Rule::LeafnodeTokenAuth)
}

/// The number of leafnode connections the hub reports once the spoke has had time to dial.
fn leafnodes_up(binary: &Path, dir: &Path, hub: &str, spoke: &str, http: u16) -> usize {
    let start = |name: &str, text: &str| {
        let conf = dir.join(format!("{name}.conf"));
        fs::write(&conf, text).expect("conf written");
        let spawn = Spawn {
            binary: binary.to_path_buf(),
            conf,
            log: dir.join(format!("{name}.log")),
            die_with_parent: true,
            ..Spawn::default()
        };
        ServerProcess::spawn(name, &spawn).expect("nats-server starts")
    };
    let _hub = start("hub", hub);
    let _spoke = start("spoke", spoke);
    // A link that works comes up within a second; one that is refused never does.
    let deadline = Instant::now() + Duration::from_secs(4);
    let mut count = 0;
    while Instant::now() < deadline {
        if let Ok((200, body)) = http_get(http, "/leafz", Duration::from_secs(1)) {
            let json: serde_json::Value = serde_json::from_str(&body).expect("leafz is JSON");
            count = json["leafnodes"].as_u64().unwrap_or(0) as usize;
            if count > 0 {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    count
}

fn check(release: &str, binary: &Path) {
    let dir = TempDir::new("nats-topology-token").expect("a temporary folder");
    let ports = free_ports(4).expect("free ports");
    let (hub_client, http, leaf, spoke_client) = (ports[0], ports[1], ports[2], ports[3]);
    let hub = hub_conf(hub_client, http, leaf);

    let with_password = spoke_conf(spoke_client, &format!("nats://acc:acc-pw@127.0.0.1:{leaf}"));
    assert!(!raised(&[("hub.conf", &hub), ("spoke.conf", &with_password)]), "user and password raise nothing");
    let up = leafnodes_up(binary, dir.path(), &hub, &with_password, http);
    assert_eq!(up, 1, "{release}: a remote with a user and password connects");

    let with_token = spoke_conf(spoke_client, &format!("nats://{TOKEN}@127.0.0.1:{leaf}"));
    assert!(raised(&[("hub.conf", &hub), ("spoke.conf", &with_token)]), "a token in the remote URL is raised");
    let up = leafnodes_up(binary, dir.path(), &hub, &with_token, http);
    assert_eq!(up, 0, "{release}: a remote presenting a token never connects");

    let token_listener = hub.replace(
        &format!("leafnodes {{ listen: \"127.0.0.1:{leaf}\" }}"),
        &format!("leafnodes {{\n  listen: \"127.0.0.1:{leaf}\"\n  authorization {{ token: \"{TOKEN}\" }}\n}}"),
    );
    assert_ne!(token_listener, hub);
    assert!(raised(&[("hub.conf", &token_listener)]), "a token on the leafnode listener is raised");
    let path = dir.path().join("token-listener.conf");
    fs::write(&path, &token_listener).expect("conf written");
    let output = Command::new(binary).arg("-t").arg("-c").arg(&path).output().expect("nats-server -t runs");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{release}: nats-server accepted a leafnode token: {said}");
    assert!(said.contains("token"), "{release}: refused for another reason: {said}");
}

#[test]
fn leafnode_tokens_fail_on_nats_server_2_9_as_the_rule_says() {
    check("2.9.10", &support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1));
}

#[test]
fn leafnode_tokens_fail_on_nats_server_2_15_as_the_rule_says() {
    check("2.15.1", &support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1));
}
