//! Rules of the catalog group "Leafnodes, accounts, credentials".
//!
//! Every remote is looked at once: `check` resolves its target cluster, parses its URL and finds
//! the user it presents among the target's users (`Remote::new`), then each rule reads those
//! facts. The users of every cluster are indexed once per call (`Users`), so the cost is linear
//! in remotes, users and streams.
//!
//! The accepting side of a leafnode is its target cluster's `leafnode_listener`; the users it
//! accepts are the users of its accounts (the chart's `auth.basic.accounts`), and a leafnode
//! connection lands in the account of the user it authenticates as.

use super::clusters::{list, show};
use super::{Diagnostic, Rule, Target};
use crate::model::command::Command;
use crate::model::sort::CollectSorted;
use crate::model::url::{self, join_host_port, Url};
use crate::model::{Cluster, ClusterId, Design, LeafnodeListener, LeafnodeRemote, Password, Stream, User};
use std::collections::{BTreeMap, BTreeSet};

/// The port nats-server adds to a remote URL without one, whatever its scheme
/// (`DEFAULT_LEAFNODE_PORT`, applied in `server/opts.go` remote parsing).
const DEFAULT_LEAFNODE_PORT: u16 = 7422;

/// Schemes a leafnode remote URL may use.
const SCHEMES: [&str; 6] = ["nats", "tls", "ws", "wss", "nats-leaf", "leafnode"];

/// The account a remote without `account` binds.
const GLOBAL_ACCOUNT: &str = "$G";

/// The system account a server has when `system_account` is not set.
const DEFAULT_SYSTEM_ACCOUNT: &str = "$SYS";

/// The Kubernetes secret the `plaintext-password` fix moves passwords to (the example's).
const PASSWORD_SECRET: &str = "nats-passwords";

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    check_clusters(design, out);
    for stream in design.streams() {
        account_jetstream_disabled(design, stream, out);
    }
}

/// The rules of this group that read the clusters alone.
pub(super) fn check_clusters(design: &Design, out: &mut Vec<Diagnostic>) {
    let users = Users::new(design);
    let remotes: Vec<Remote<'_>> = design
        .clusters()
        .flat_map(|(id, cluster)| {
            let users = &users;
            cluster.remotes.iter().enumerate().map(move |(index, r)| Remote::new(design, users, id, cluster, index, r))
        })
        .collect();
    leafnode_listener_missing(&remotes, out);
    leafnode_url_mismatch(&remotes, out);
    leafnode_account_missing(&remotes, out);
    leafnode_account_unbound(&remotes, out);
    leafnode_token_auth(&remotes, out);
    leafnode_credentials_unknown(&remotes, out);
    leafnode_account_mismatch(&remotes, out);
    system_account_bridge(&remotes, out);
    system_account_jetstream(design, out);
    remote_creds_and_nkey(&remotes, out);
    plaintext_password(design, out);
    bcrypt_in_remote_url(&remotes, out);
    duplicate_leaf_connection(&remotes, out);
    hub_public_endpoint_missing(&remotes, out);
}

/// `hub-public-endpoint-missing`: a remote dials its target by the target's cluster name
/// because the target declares no public endpoint: a name that resolves, if at all, inside the
/// hub's own network. No fix is offered: only the user knows the address; once it is declared
/// in the hub's inspector, every remote that dialed the old host follows it
/// (`edit::set_public_endpoints`).
fn hub_public_endpoint_missing(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let Some((_, target)) = r.target else { continue };
        let Some(listener) = &target.leafnode_listener else { continue };
        if !listener.public_endpoints.is_empty() {
            continue;
        }
        let Ok(url) = &r.url else { continue };
        if url.url.host != target.name.trim().trim_end_matches('.').to_ascii_lowercase() {
            continue;
        }
        let message = format!(
            "{} dials {}: cluster {} declares no public leafnode endpoint, so the remote uses its \
             cluster name as a host, which a spoke's site cannot reach; add the address spokes reach \
             (e.g. a NodePort on a public host) to {}'s public endpoints and its remotes follow",
            r.describe(),
            url.endpoint(),
            show(&target.name),
            show(&target.name),
        );
        out.push(Diagnostic::new(Rule::HubPublicEndpointMissing, r.target(), message).field("url"));
    }
}

/// Whether the remote URL `url` dials `endpoint` (`host:port`, a missing port being
/// `listen_port`): hosts compare without case, a URL without a port dials 7422.
pub(crate) fn url_dials(url: &str, endpoint: &str, listen_port: u16) -> bool {
    match (parse_url(url), parse_endpoint(endpoint, listen_port)) {
        (Ok(url), Some((host, port))) => url.url.host == host && url.port == port,
        _ => false,
    }
}

/// `url` dialing `endpoint` instead, keeping its scheme, user info and path; `None` when either
/// does not parse.
pub(crate) fn redial(url: &str, endpoint: &str, listen_port: u16) -> Option<String> {
    let url = parse_url(url).ok()?;
    let (host, port) = parse_endpoint(endpoint, listen_port)?;
    Some(url.with_endpoint(&host, port))
}

/// `leafnode-listener-missing`: a remote dials a cluster that accepts no leafnodes.
fn leafnode_listener_missing(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let Some((target_id, target)) = r.target else { continue };
        if target.leafnode_listener.is_some() {
            continue;
        }
        let mut listener = LeafnodeListener::default();
        if let Ok(url) = &r.url {
            if url.port != listener.port {
                // Reached through some other port (a NodePort): that is the public endpoint.
                listener.public_endpoints = vec![url.endpoint()];
            }
        }
        let message = format!(
            "{} dials cluster {}, which has no leafnode listener, so nothing accepts the connection; \
             enable leafnodes on {} (port {})",
            r.describe(),
            show(&target.name),
            show(&target.name),
            listener.port,
        );
        out.push(Diagnostic::new(Rule::LeafnodeListenerMissing, r.target(), message).fix(
            format!("open a leafnode listener on {} (port {})", show(&target.name), listener.port),
            Command::SetLeafnodeListener { cluster: target_id, listener: Some(listener) },
        ));
    }
}

/// `leafnode-url-mismatch`: a remote's URL does not reach its target's leafnode listener.
///
/// When the target declares public endpoints (a NodePort or load balancer in front of the
/// listener, as in the guide: listen on 7422, dial 30742), the URL's `host:port` must be one of
/// them exactly: the listen port is then only reachable inside the target's own network, and
/// the declared hosts are all the designer knows. Without public endpoints the designer knows no
/// host, so any host is accepted and only the port must be the listen port. Hosts compare
/// without case; a URL without a port means 7422, as for the server.
fn leafnode_url_mismatch(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let Some((_, target)) = r.target else { continue };
        let Some(listener) = &target.leafnode_listener else { continue };
        let endpoints: Vec<(String, u16)> =
            listener.public_endpoints.iter().filter_map(|e| parse_endpoint(e, listener.port)).collect();
        let expected = if listener.public_endpoints.is_empty() {
            format!("port {} (its leafnode listen port)", listener.port)
        } else {
            format!("its public leafnode endpoint(s) {}", list(listener.public_endpoints.iter()))
        };
        let problem = match &r.url {
            Err(problem) => format!("{} has URL {:?}, which {problem}", r.describe(), r.remote.url),
            Ok(url) => {
                let matches = if listener.public_endpoints.is_empty() {
                    url.port == listener.port
                } else {
                    endpoints.iter().any(|(host, port)| *host == url.url.host && *port == url.port)
                };
                if matches {
                    continue;
                }
                format!(
                    "{} dials {}, which is not where cluster {} accepts leafnodes",
                    r.describe(),
                    url.endpoint(),
                    show(&target.name)
                )
            }
        };
        let message = format!("{problem}; dial {expected}");
        let fixed = match (&r.url, endpoints.first()) {
            (Ok(url), Some((host, port))) => Some(url.with_endpoint(host, *port)),
            (Ok(url), None) if listener.public_endpoints.is_empty() => {
                Some(url.with_endpoint(&url.url.host, listener.port))
            }
            (Err(_), Some((host, port))) => Some(format!("nats://{}", join_host_port(host, *port))),
            _ => None,
        };
        let mut diagnostic = Diagnostic::new(Rule::LeafnodeUrlMismatch, r.target(), message).field("url");
        if let Some(url) = fixed {
            // The label leaves out the user info: it may hold a password.
            let shown = parse_url(&url).map_or_else(|_| url.clone(), |u| u.endpoint());
            diagnostic = diagnostic
                .fix(format!("dial {shown}"), Command::SetRemoteUrl { cluster: r.cluster_id, remote: r.index, url });
        }
        out.push(diagnostic);
    }
}

/// `leafnode-account-missing`: a remote binds a local account the cluster does not define
/// (nats-server: "cannot find local account"). `$G` always exists, and `$SYS` does while no
/// other system account is set.
fn leafnode_account_missing(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let Some(account) = r.local_account() else { continue };
        if r.cluster.accounts.contains_key(account)
            || account == GLOBAL_ACCOUNT
            || (account == DEFAULT_SYSTEM_ACCOUNT && r.cluster.system_account.is_none())
        {
            continue;
        }
        let defined = list(r.cluster.accounts.keys());
        let message = format!(
            "{} binds local account {account}, which cluster {} does not define (its accounts: {defined}); \
             define the account or bind one that exists",
            r.describe(),
            show(&r.cluster.name),
        );
        let mut diagnostic = Diagnostic::new(Rule::LeafnodeAccountMissing, r.target(), message).field("account");
        if let Some(similar) = r.cluster.accounts.keys().find(|a| a.eq_ignore_ascii_case(account)) {
            diagnostic = diagnostic.fix(
                format!("bind local account {similar}"),
                Command::SetRemoteAccount { cluster: r.cluster_id, remote: r.index, account: Some(similar.clone()) },
            );
        }
        out.push(diagnostic);
    }
}

/// `leafnode-account-unbound`: a remote without `account` binds the global account `$G`
/// (nats-server issue 6972). Only raised when the cluster defines accounts: without any,
/// everything lives in `$G` and binding it is the point.
fn leafnode_account_unbound(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        if r.local_account().is_some() || r.cluster.accounts.is_empty() {
            continue;
        }
        let message = format!(
            "{} names no local account, so it binds the global account {GLOBAL_ACCOUNT} rather than one of \
             {}'s accounts ({}); set the remote's account",
            r.describe(),
            show(&r.cluster.name),
            list(r.cluster.accounts.keys()),
        );
        let mut diagnostic = Diagnostic::new(Rule::LeafnodeAccountUnbound, r.target(), message).field("account");
        // The account of the target's user if the spoke has one of that name, else the spoke's
        // only ordinary account.
        let system = r.cluster.system_account.as_deref().unwrap_or(DEFAULT_SYSTEM_ACCOUNT);
        let mut ordinary = r.cluster.accounts.keys().filter(|a| a.as_str() != system);
        let only = match (ordinary.next(), ordinary.next()) {
            (Some(a), None) => Some(a.as_str()),
            _ => None,
        };
        let by_user = r.target_account().filter(|a| r.cluster.accounts.contains_key(*a));
        if let Some(account) = by_user.or(only) {
            diagnostic = diagnostic.fix(
                format!("bind local account {account}"),
                Command::SetRemoteAccount { cluster: r.cluster_id, remote: r.index, account: Some(account.to_owned()) },
            );
        }
        out.push(diagnostic);
    }
}

/// `leafnode-credentials-unknown`: the user a remote presents is not a user of its target, or
/// the password it sends cannot be the one the target expects (both known in plain text and
/// different, or none sent). A remote that presents no user is anonymous and fails against a
/// target with users; one authenticating with a credentials or nkey file is not checked (the
/// design does not model JWT or nkey users).
fn leafnode_credentials_unknown(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let Some((_, target)) = r.target else { continue };
        let target_users = r.users.of(r.target_id());
        let target_name = show(&target.name);
        let (problem, field) = match (&r.presented, r.target_user) {
            (None, _) if r.has_key_file() || target_users.is_none_or(BTreeMap::is_empty) => continue,
            (None, _) => (format!("presents no user, but cluster {target_name} requires one"), "url"),
            (Some(_), None) if r.token_like() => continue,
            (Some(p), None) => (
                format!("presents user {}, which is not a user of cluster {target_name}", p.name),
                if p.from_url { "url" } else { "user" },
            ),
            (Some(p), Some((account, user))) => {
                let Some(problem) = password_problem(p.password.as_ref(), &user.password, r.has_key_file()) else {
                    continue;
                };
                (
                    format!("presents user {} of account {account} of cluster {target_name}, but {problem}", p.name),
                    if p.from_url { "url" } else { "password" },
                )
            }
        };
        let known = target_users.filter(|users| !users.is_empty()).map_or_else(
            || "it has none".to_owned(),
            |users| {
                format!("its users: {}", list(users.iter().map(|(name, (account, _))| format!("{name} in {account}"))))
            },
        );
        let message = format!("{} {problem}; present a user of {target_name} ({known})", r.describe());
        out.push(Diagnostic::new(Rule::LeafnodeCredentialsUnknown, r.target(), message).field(field));
    }
}

/// `leafnode-token-auth`: a remote URL in a client's token form, `nats://TOKEN@host`: a user
/// name with no password (in the URL or the `user` field), no credentials or nkey, and no user of that name on the target. A
/// leafnode listener has no `token` (nats-server 2.9.10 and 2.15.1 refuse `leafnodes {
/// authorization { token } }` at start with `unknown field "token"`); the server sends the token
/// as a user name with an empty password, which no user of the target matches, so the link never
/// comes up. Reported instead of `leafnode-credentials-unknown` for that remote.
fn leafnode_token_auth(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes.iter().filter(|r| r.token_like()) {
        let message = format!(
            "{} authenticates with a token ({}, no password): leafnodes accept a user with a password, an \
             nkey or a credentials file, not a token (the server sends it as a user with an empty password); \
             give the remote a user and password of {}",
            r.describe(),
            r.presented.as_ref().map_or("", |p| p.name.as_str()),
            r.target.map_or_else(|| "its target".to_owned(), |(_, t)| format!("cluster {}", show(&t.name)))
        );
        out.push(Diagnostic::new(Rule::LeafnodeTokenAuth, r.target(), message).field("url"));
    }
}

/// Why `sent` cannot authenticate as a user whose password is `expected`, when that is certain.
fn password_problem(sent: Option<&Password>, expected: &Password, has_key_file: bool) -> Option<String> {
    let expected_set = match expected {
        Password::Plain(p) | Password::Bcrypt(p) => !p.is_empty(),
        Password::SecretRef { .. } => true,
    };
    match (sent, expected) {
        (None, _) if expected_set && !has_key_file => Some("sends no password".to_owned()),
        (Some(Password::Plain(sent)), Password::Plain(expected)) if !is_bcrypt(expected) && sent != expected => {
            Some("the password it sends is not that user's password".to_owned())
        }
        _ => None,
    }
}

/// `leafnode-account-mismatch`: a spoke's account is bridged to a hub account of another name,
/// so the per-account JetStream domain mappings (`generateJSMappingTable`) do not line up.
/// Bridges to the target's system account are `system-account-bridge`'s, and unbound remotes
/// `leafnode-account-unbound`'s.
fn leafnode_account_mismatch(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let (Some(local), Some(remote_account), Some((_, target))) = (r.local_account(), r.target_account(), r.target)
        else {
            continue;
        };
        if local == remote_account || remote_account == system_account(target) {
            continue;
        }
        let user = r.presented.as_ref().map_or("", |p| p.name.as_str());
        let message = format!(
            "{} bridges local account {local} to account {remote_account} of cluster {} (user {user}): \
             JetStream domain mappings are per account name and will not line up; bind the local account \
             {remote_account} or present a user of account {local}",
            r.describe(),
            show(&target.name),
        );
        out.push(Diagnostic::new(Rule::LeafnodeAccountMismatch, r.target(), message).field("account"));
    }
}

/// `system-account-bridge`: a remote lands in the target's system account but binds a local
/// account that is not the spoke's system account, so system traffic crosses into an ordinary
/// account (the guide's spokes bridge `SYS` without declaring it their system account).
fn system_account_bridge(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let (Some(remote_account), Some((_, target))) = (r.target_account(), r.target) else { continue };
        let local_system = system_account(r.cluster);
        let local = r.local_account().unwrap_or(GLOBAL_ACCOUNT);
        if remote_account != system_account(target) || local == local_system {
            continue;
        }
        let message = format!(
            "{} binds local account {local} to system account {remote_account} of cluster {}, but the system \
             account of {} is {local_system}; declare {local} as {}'s system_account (as the nats docs do on \
             both sides) or bind {local_system}",
            r.describe(),
            show(&target.name),
            show(&r.cluster.name),
            show(&r.cluster.name),
        );
        let mut diagnostic = Diagnostic::new(Rule::SystemAccountBridge, r.target(), message).field("system_account");
        // Only an account without JetStream can become the system account.
        if r.cluster.accounts.get(local).is_some_and(|a| !a.jetstream) {
            diagnostic = diagnostic.fix(
                format!("make {local} the system account of {}", show(&r.cluster.name)),
                Command::SetSystemAccount { cluster: r.cluster_id, account: Some(local.to_owned()) },
            );
        }
        out.push(diagnostic);
    }
}

/// `system-account-jetstream`: the server refuses JetStream on the system account
/// (`EnableJetStream`).
fn system_account_jetstream(design: &Design, out: &mut Vec<Diagnostic>) {
    for (id, cluster) in design.clusters() {
        let system = system_account(cluster);
        if !cluster.jetstream || !cluster.accounts.get(system).is_some_and(|a| a.jetstream) {
            continue;
        }
        let message = format!(
            "cluster {} enables JetStream on its system account {system}, which the server refuses; \
             disable JetStream on {system} and keep streams in an ordinary account",
            show(&cluster.name)
        );
        out.push(Diagnostic::new(Rule::SystemAccountJetstream, Target::Cluster(id), message).field("jetstream").fix(
            format!("disable JetStream on account {system}"),
            Command::SetAccountJetStream { cluster: id, account: system.to_owned(), enabled: false },
        ));
    }
}

/// `account-jetstream-disabled`: a stream in an account without JetStream, or in a cluster
/// without JetStream at all. A stream whose account the cluster does not define is left to the
/// stream rules. Reads the stream and its cluster alone (`validate::incremental` relies on it).
pub(super) fn account_jetstream_disabled(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    let Some(cluster) = design.cluster(stream.cluster) else { return };
    let target = Target::Stream(stream.id);
    let name = &stream.config.name;
    if !cluster.jetstream {
        let message = format!(
            "stream {name} is placed in cluster {}, which has JetStream disabled; enable JetStream on {} \
             or move the stream",
            show(&cluster.name),
            show(&cluster.name)
        );
        out.push(Diagnostic::new(Rule::AccountJetstreamDisabled, target, message).fix(
            format!("enable JetStream on {}", show(&cluster.name)),
            Command::SetClusterJetStream { cluster: stream.cluster, enabled: true },
        ));
        return;
    }
    let account = stream.account.as_str();
    if cluster.accounts.get(account).is_none_or(|a| a.jetstream) {
        return;
    }
    let is_system = account == system_account(cluster);
    let how = if is_system {
        "it is the system account, which cannot have JetStream; move the stream to another account"
    } else {
        "enable JetStream on the account or move the stream"
    };
    let message = format!(
        "stream {name} is placed in account {account} of cluster {}, which has JetStream disabled; {how}",
        show(&cluster.name)
    );
    let mut diagnostic = Diagnostic::new(Rule::AccountJetstreamDisabled, target, message);
    if !is_system {
        diagnostic = diagnostic.fix(
            format!("enable JetStream on account {account} of {}", show(&cluster.name)),
            Command::SetAccountJetStream { cluster: stream.cluster, account: account.to_owned(), enabled: true },
        );
    }
    out.push(diagnostic);
}

/// `remote-creds-and-nkey`: the server refuses a remote with both a credentials file and an nkey.
fn remote_creds_and_nkey(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let (Some(creds), Some(nkey)) = (non_empty(&r.remote.credentials), non_empty(&r.remote.nkey)) else {
            continue;
        };
        let message = format!(
            "{} sets both a credentials file ({creds}) and an nkey ({nkey}), which the server refuses; keep one",
            r.describe()
        );
        out.push(Diagnostic::new(Rule::RemoteCredsAndNkey, r.target(), message));
    }
}

/// `plaintext-password`: users of the accepting side whose password is written in plain text
/// (the chart puts `auth.basic.accounts` in a ConfigMap as is). One diagnostic per cluster; the
/// fix moves every such password to a Kubernetes secret, one key per user.
fn plaintext_password(design: &Design, out: &mut Vec<Diagnostic>) {
    for (id, cluster) in design.clusters() {
        let plain: Vec<(&str, &User)> = cluster
            .accounts
            .iter()
            .flat_map(|(account, a)| a.users.iter().map(move |u| (account.as_str(), u)))
            .filter(|(_, u)| matches!(&u.password, Password::Plain(p) if !p.is_empty() && !is_bcrypt(p)))
            .collect();
        if plain.is_empty() {
            continue;
        }
        let mut keys = BTreeSet::new();
        let commands = plain
            .iter()
            .map(|(account, user)| {
                let mut key = secret_key(&user.name);
                if keys.contains(&key) {
                    key = secret_key(&format!("{account}-{}", user.name));
                }
                let mut n = 2;
                let stem = key.clone();
                while keys.contains(&key) {
                    key = format!("{stem}-{n}");
                    n += 1;
                }
                keys.insert(key.clone());
                Command::SetUserPassword {
                    cluster: id,
                    account: (*account).to_owned(),
                    user: user.name.clone(),
                    password: Password::SecretRef { name: PASSWORD_SECRET.to_owned(), key },
                }
            })
            .collect();
        let users = list(plain.iter().map(|(account, user)| format!("{} of account {account}", show(&user.name))));
        let message = format!(
            "cluster {} keeps plaintext passwords for user(s) {users}; store a bcrypt hash instead \
             (`nats server passwd`) or reference a Kubernetes secret",
            show(&cluster.name)
        );
        out.push(
            Diagnostic::new(Rule::PlaintextPassword, Target::Cluster(id), message)
                .field("password")
                .fix(format!("move the passwords to Kubernetes secret {PASSWORD_SECRET}"), Command::Batch(commands)),
        );
    }
}

/// `bcrypt-in-remote-url`: the dialing side sends its password as is and the target compares
/// it against its own hash (`comparePasswords`), so a hash sent as a password never matches.
fn bcrypt_in_remote_url(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    for r in remotes {
        let in_url = r.url.as_ref().ok().and_then(|u| u.password.as_deref()).is_some_and(is_bcrypt);
        let in_field = match &r.remote.password {
            Some(Password::Bcrypt(_)) => true,
            Some(Password::Plain(p)) => is_bcrypt(p),
            _ => false,
        };
        if !in_url && !in_field {
            continue;
        }
        let message = format!(
            "{} sends a bcrypt hash as its password; the target compares the password it receives against its \
             own hash, so the dialing side must send the plain password (keep it in a Kubernetes secret)",
            r.describe()
        );
        out.push(Diagnostic::new(Rule::BcryptInRemoteUrl, r.target(), message).field(if in_url {
            "url"
        } else {
            "password"
        }));
    }
}

/// `duplicate-leaf-connection`: two remotes of one cluster to one target that connect the same
/// local account to the same account there deliver every message twice (nats-server issues
/// 1585, 2694). The account reached is the presented user's; without a known user, remotes
/// count as the same when they present the same user, credentials file or nkey (or nothing).
/// The later remote is reported, naming the earlier one.
fn duplicate_leaf_connection(remotes: &[Remote<'_>], out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<(ClusterId, ClusterId, &str, String), &Remote<'_>> = BTreeMap::new();
    for r in remotes {
        let Some((target_id, target)) = r.target else { continue };
        let local = r.local_account().unwrap_or(GLOBAL_ACCOUNT);
        let reached = match (r.target_account(), &r.presented) {
            (Some(account), _) => format!("account {account}"),
            (None, Some(p)) => format!("user {}", p.name),
            (None, None) => match (non_empty(&r.remote.credentials), non_empty(&r.remote.nkey)) {
                (Some(creds), _) => format!("credentials {creds}"),
                (None, Some(nkey)) => format!("nkey {nkey}"),
                (None, None) => "no user".to_owned(),
            },
        };
        let key = (r.cluster_id, target_id, local, reached);
        if let Some(earlier) = first.get(&key) {
            let message = format!(
                "{} and remote #{} both connect local account {local} of {} to {} of cluster {}: every message \
                 crosses twice; remove one of them",
                r.describe(),
                earlier.index,
                show(&r.cluster.name),
                key.3,
                show(&target.name),
            );
            out.push(Diagnostic::new(Rule::DuplicateLeafConnection, r.target(), message));
        } else {
            first.insert(key, r);
        }
    }
}

/// The users of every cluster by name, with their account; the first of a duplicated name wins.
struct Users<'a> {
    by_cluster: BTreeMap<ClusterId, BTreeMap<&'a str, (&'a str, &'a User)>>,
}

impl<'a> Users<'a> {
    fn new(design: &'a Design) -> Self {
        let by_cluster = design
            .clusters()
            .map(|(id, cluster)| {
                let mut users = BTreeMap::new();
                for (account, a) in &cluster.accounts {
                    for user in &a.users {
                        users.entry(user.name.as_str()).or_insert((account.as_str(), user));
                    }
                }
                (id, users)
            })
            .collect_map();
        Self { by_cluster }
    }

    fn of(&self, cluster: Option<ClusterId>) -> Option<&BTreeMap<&'a str, (&'a str, &'a User)>> {
        self.by_cluster.get(&cluster?)
    }
}

/// The user a remote presents: from its URL's user info, else from its `user` and `password`.
struct Presented {
    name: String,
    password: Option<Password>,
    from_url: bool,
}

/// One remote with the facts the rules need.
struct Remote<'a> {
    cluster_id: ClusterId,
    cluster: &'a Cluster,
    index: usize,
    remote: &'a LeafnodeRemote,
    /// The target, when it is set and exists.
    target: Option<(ClusterId, &'a Cluster)>,
    url: Result<LeafUrl<'a>, UrlProblem>,
    presented: Option<Presented>,
    /// The target's user the remote presents, with its account.
    target_user: Option<(&'a str, &'a User)>,
    users: &'a Users<'a>,
}

impl<'a> Remote<'a> {
    fn new(
        design: &'a Design,
        users: &'a Users<'a>,
        cluster_id: ClusterId,
        cluster: &'a Cluster,
        index: usize,
        remote: &'a LeafnodeRemote,
    ) -> Self {
        let target = remote.target.and_then(|t| design.cluster(t).map(|c| (t, c)));
        let url = parse_url(&remote.url);
        let from_url = url.as_ref().ok().and_then(|u| {
            let name = u.user.clone().filter(|n| !n.is_empty())?;
            Some(Presented { name, password: u.password.clone().map(Password::Plain), from_url: true })
        });
        let presented = from_url.or_else(|| {
            let name = non_empty(&remote.user)?.to_owned();
            Some(Presented { name, password: remote.password.clone(), from_url: false })
        });
        let target_user = match (&presented, target) {
            (Some(p), Some((t, _))) => users.of(Some(t)).and_then(|u| u.get(p.name.as_str())).copied(),
            _ => None,
        };
        Self { cluster_id, cluster, index, remote, target, url, presented, target_user, users }
    }

    /// Whether the remote presents a client token (`nats://TOKEN@host`, or the importers' split of
    /// it into `user`): a user name without a password, no key file, and no user of that name on
    /// the target.
    fn token_like(&self) -> bool {
        self.presented.as_ref().is_some_and(|p| p.password.is_none())
            && !self.has_key_file()
            && self.target_user.is_none()
    }

    fn target(&self) -> Target {
        Target::Remote { cluster: self.cluster_id, index: self.index }
    }

    fn target_id(&self) -> Option<ClusterId> {
        self.target.map(|(id, _)| id)
    }

    /// The bound local account; an empty one counts as none.
    fn local_account(&self) -> Option<&'a str> {
        non_empty(&self.remote.local_account)
    }

    /// The target account the connection lands in, when the presented user is known there.
    fn target_account(&self) -> Option<&'a str> {
        self.target_user.map(|(account, _)| account)
    }

    fn has_key_file(&self) -> bool {
        non_empty(&self.remote.credentials).is_some() || non_empty(&self.remote.nkey).is_some()
    }

    /// `remote #1 (account ACC) of spoke-1`, naming the target when known.
    fn describe(&self) -> String {
        let account = self.local_account().map_or_else(|| "no account".to_owned(), |a| format!("account {a}"));
        let to = self.target.map_or_else(String::new, |(_, t)| format!(" to {}", show(&t.name)));
        format!("remote #{} ({account}{to}) of cluster {}", self.index, show(&self.cluster.name))
    }
}

/// A leafnode remote URL (`model::url`), its user decoded and a missing port the leafnode port.
#[derive(Debug, PartialEq)]
struct LeafUrl<'a> {
    url: Url<'a>,
    user: Option<String>,
    password: Option<String>,
    /// The port dialed: the URL's, else the leafnode port.
    port: u16,
}

impl LeafUrl<'_> {
    /// `host:port`, without the user info.
    fn endpoint(&self) -> String {
        join_host_port(&self.url.host, self.port)
    }

    /// This URL with another host and port.
    fn with_endpoint(&self, host: &str, port: u16) -> String {
        self.url.with_endpoint(host, port)
    }
}

/// Why a remote URL cannot be dialed; completes "which ...".
#[derive(Debug, PartialEq)]
enum UrlProblem {
    Empty,
    NoScheme,
    UnknownScheme(String),
    NoHost,
    BadPort(String),
}

impl std::fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlProblem::Empty => write!(f, "is empty"),
            UrlProblem::NoScheme => write!(f, "has no scheme (write nats://host:port)"),
            UrlProblem::UnknownScheme(s) => write!(f, "has scheme {s:?}, not one of {}", SCHEMES.join(", ")),
            UrlProblem::NoHost => write!(f, "names no host"),
            UrlProblem::BadPort(p) => write!(f, "has port {p:?}, which is not a port number"),
        }
    }
}

/// A remote URL: a scheme nats-server dials leafnodes with, and a missing port is 7422.
fn parse_url(text: &str) -> Result<LeafUrl<'_>, UrlProblem> {
    let scheme = text.trim().split_once("://").map(|(scheme, _)| scheme);
    if let Some(scheme) = scheme.filter(|s| !SCHEMES.iter().any(|known| known.eq_ignore_ascii_case(s))) {
        return Err(UrlProblem::UnknownScheme(scheme.to_owned()));
    }
    let url = Url::parse(text).map_err(|problem| match problem {
        url::UrlProblem::Empty => UrlProblem::Empty,
        url::UrlProblem::NoScheme => UrlProblem::NoScheme,
        url::UrlProblem::NoHost => UrlProblem::NoHost,
        url::UrlProblem::BadPort(port) => UrlProblem::BadPort(port),
    })?;
    let (user, password) = (url.user(), url.password());
    let port = url.port_or(DEFAULT_LEAFNODE_PORT);
    Ok(LeafUrl { url, user, password, port })
}

/// A declared public endpoint, `host:port` (a scheme and user info are tolerated); a missing
/// port is the listen port.
fn parse_endpoint(endpoint: &str, listen_port: u16) -> Option<(String, u16)> {
    url::endpoint_of(endpoint, listen_port)
}

/// `server/auth.go` `isBcrypt`: `^\$2[abxy]\$\d{2}\$`.
fn is_bcrypt(password: &str) -> bool {
    match password.as_bytes() {
        [b'$', b'2', version, b'$', d1, d2, b'$', ..] => {
            matches!(version, b'a' | b'b' | b'x' | b'y') && d1.is_ascii_digit() && d2.is_ascii_digit()
        }
        _ => false,
    }
}

/// A Kubernetes secret key (`[-._a-zA-Z0-9]+`) for a user's password.
fn secret_key(text: &str) -> String {
    let key: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect();
    let key = key.trim_matches(['-', '.']);
    if key.is_empty() {
        "password".to_owned()
    } else {
        key.to_owned()
    }
}

/// The system account in effect: the declared one, else the server's `$SYS`.
fn system_account(cluster: &Cluster) -> &str {
    cluster.system_account.as_deref().filter(|s| !s.is_empty()).unwrap_or(DEFAULT_SYSTEM_ACCOUNT)
}

fn non_empty(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::validate::{validate, Severity};
    use crate::model::{Account, Role, StreamConfig};

    /// The targets (as the CLI names them) of the diagnostics `rule` raises on `design`.
    fn fired(design: &Design, rule: Rule) -> Vec<String> {
        diagnostics(design, rule).iter().map(|d| d.target_name(design)).collect()
    }

    fn diagnostics(design: &Design, rule: Rule) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check(design, &mut out);
        out.retain(|d| d.rule == rule);
        out
    }

    fn none() -> Vec<String> {
        Vec::new()
    }

    fn id(design: &Design, name: &str) -> ClusterId {
        design.clusters().find(|(_, c)| c.name == name).map(|(id, _)| id).expect("the test names an existing cluster")
    }

    fn edit(design: &mut Design, name: &str, change: impl FnOnce(&mut Cluster)) {
        let id = id(design, name);
        change(design.cluster_mut(id).expect("the cluster exists"));
    }

    /// Remote `index` of cluster `name`.
    fn edit_remote(design: &mut Design, name: &str, index: usize, change: impl FnOnce(&mut LeafnodeRemote)) {
        edit(design, name, |c| change(c.remotes.get_mut(index).expect("the remote exists")));
    }

    /// Applies the fix of every diagnostic `rule` raises, in order.
    fn apply_fixes(design: &mut Design, rule: Rule) {
        for d in diagnostics(design, rule) {
            let fix = d.fix.expect("the rule offers a fix");
            fix.command.apply(design).expect("the fix applies");
        }
    }

    /// The guide's values as written: no system account on the spokes, the chart's default
    /// server names, plain passwords everywhere and the users in the remote URLs.
    fn guide_as_written() -> Design {
        let mut d = guide_corrected();
        for name in ["headquarter", "spoke-1", "spoke-2"] {
            edit(&mut d, name, |c| {
                c.server_name_prefix.clear();
                for account in c.accounts.values_mut() {
                    for user in &mut account.users {
                        user.password = Password::Plain(user.name.clone());
                    }
                }
                if c.role == Role::Spoke {
                    c.system_account = None;
                }
                for r in &mut c.remotes {
                    let user = r.user.take().unwrap_or_default();
                    r.password = None;
                    r.url = format!("nats://{user}:{user}@headquarter.nats.public.address.com:30742");
                }
            });
        }
        d
    }

    const MY_RULES: [Rule; 22] = [
        Rule::DomainMissing,
        Rule::DomainInvalid,
        Rule::DomainDuplicate,
        Rule::ClusterNameDuplicate,
        Rule::ServerNameCollision,
        Rule::ClusterSizeEven,
        Rule::ClusterIsolated,
        Rule::HubWithoutJetstream,
        Rule::LeafnodeListenerMissing,
        Rule::LeafnodeUrlMismatch,
        Rule::LeafnodeAccountMissing,
        Rule::LeafnodeAccountUnbound,
        Rule::LeafnodeCredentialsUnknown,
        Rule::LeafnodeAccountMismatch,
        Rule::SystemAccountBridge,
        Rule::SystemAccountJetstream,
        Rule::AccountJetstreamDisabled,
        Rule::RemoteCredsAndNkey,
        Rule::PlaintextPassword,
        Rule::BcryptInRemoteUrl,
        Rule::DuplicateLeafConnection,
        Rule::LeafnodeTokenAuth,
    ];

    /// `rule: target` for every diagnostic of the two cluster and leafnode groups.
    fn cluster_and_leafnode_findings(design: &Design) -> Vec<String> {
        validate(design)
            .iter()
            .filter(|d| MY_RULES.contains(&d.rule))
            .map(|d| format!("{} {}: {}", d.severity, d.rule, d.target_name(design)))
            .collect()
    }

    #[test]
    fn a_remote_presenting_a_token_raises_leafnode_token_auth_instead_of_an_unknown_user() {
        let mut d = guide_as_written();
        assert_eq!(fired(&d, Rule::LeafnodeTokenAuth), none());
        edit_remote(&mut d, "spoke-1", 0, |r| r.url = "nats://s3cr3t@headquarter.nats.public.address.com:30742".into());
        let found = diagnostics(&d, Rule::LeafnodeTokenAuth);
        assert_eq!(found.iter().map(|x| x.target_name(&d)).collect::<Vec<_>>(), ["cluster spoke-1 remote ACC"]);
        assert!(found[0].message.contains("s3cr3t, no password"), "{}", found[0].message);
        assert_eq!((found[0].severity, found[0].field), (crate::model::validate::Severity::Error, Some("url")));
        // Reported once: not also as an unknown user of the hub.
        assert_eq!(fired(&d, Rule::LeafnodeCredentialsUnknown), none());
        // The same token in the remote's user field (as importers split URLs) is the same thing.
        edit_remote(&mut d, "spoke-1", 0, |r| {
            r.url = "nats://headquarter.nats.public.address.com:30742".into();
            r.user = Some("s3cr3t".into());
        });
        assert_eq!(fired(&d, Rule::LeafnodeTokenAuth), ["cluster spoke-1 remote ACC"]);
        // A key file authenticates instead: no token.
        edit_remote(&mut d, "spoke-1", 0, |r| r.credentials = Some("/etc/nats/acc.creds".into()));
        assert_eq!(fired(&d, Rule::LeafnodeTokenAuth), none());
    }

    #[test]
    fn a_user_of_the_target_without_a_password_is_a_user_not_a_token() {
        let mut d = guide_as_written();
        edit(&mut d, "headquarter", |c| {
            let account = c.accounts.get_mut("ACC").expect("the guide's hub has ACC");
            account.users.push(User { name: "open".into(), password: Password::Plain(String::new()) });
        });
        edit_remote(&mut d, "spoke-1", 0, |r| r.url = "nats://open@headquarter.nats.public.address.com:30742".into());
        assert_eq!(fired(&d, Rule::LeafnodeTokenAuth), none());
        assert_eq!(fired(&d, Rule::LeafnodeCredentialsUnknown), none());
    }

    #[test]
    fn the_corrected_guide_raises_no_cluster_or_leafnode_findings_at_all() {
        let d = guide_corrected();
        assert_eq!(cluster_and_leafnode_findings(&d), none());
    }

    #[test]
    fn the_guide_as_written_raises_the_catalogs_expected_warnings_and_no_errors() {
        let d = guide_as_written();
        assert_eq!(
            cluster_and_leafnode_findings(&d),
            [
                "warning server-name-collision: cluster headquarter",
                "warning plaintext-password: cluster headquarter",
                "warning server-name-collision: cluster spoke-1",
                "warning plaintext-password: cluster spoke-1",
                "warning server-name-collision: cluster spoke-2",
                "warning plaintext-password: cluster spoke-2",
                "warning system-account-bridge: cluster spoke-1 remote SYS",
                "warning system-account-bridge: cluster spoke-2 remote SYS",
            ]
        );
        assert!(!validate(&d).iter().any(|x| MY_RULES.contains(&x.rule) && x.severity == Severity::Error));
    }

    #[test]
    fn a_remote_to_a_cluster_without_listener_raises_leafnode_listener_missing() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| c.leafnode_listener = None);
        assert_eq!(
            fired(&d, Rule::LeafnodeListenerMissing),
            [
                "cluster spoke-1 remote ACC",
                "cluster spoke-1 remote SYS",
                "cluster spoke-2 remote ACC",
                "cluster spoke-2 remote SYS"
            ]
        );
        assert_eq!(fired(&d, Rule::LeafnodeUrlMismatch), none(), "no listener, nothing to compare");
        let fix = diagnostics(&d, Rule::LeafnodeListenerMissing).remove(0).fix.expect("a fix");
        fix.command.apply(&mut d).expect("applies");
        assert_eq!(fired(&d, Rule::LeafnodeListenerMissing), none());
        assert_eq!(fired(&d, Rule::LeafnodeUrlMismatch), none(), "the NodePort became a public endpoint");
    }

    #[test]
    fn remotes_without_target_raise_no_leafnode_listener_missing() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| c.leafnode_listener = None);
        for name in ["spoke-1", "spoke-2"] {
            edit(&mut d, name, |c| c.remotes.iter_mut().for_each(|r| r.target = None));
        }
        assert_eq!(fired(&d, Rule::LeafnodeListenerMissing), none());
    }

    #[test]
    fn dialing_the_listen_port_behind_a_nodeport_raises_leafnode_url_mismatch() {
        let mut d = guide_corrected();
        edit_remote(&mut d, "spoke-1", 0, |r| r.url = "nats://acc:pw@headquarter.nats.public.address.com:7422".into());
        edit_remote(&mut d, "spoke-2", 1, |r| r.url = "nats://other.example.com:30742".into());
        assert_eq!(fired(&d, Rule::LeafnodeUrlMismatch), ["cluster spoke-1 remote ACC", "cluster spoke-2 remote SYS"]);
        let found = diagnostics(&d, Rule::LeafnodeUrlMismatch);
        assert_eq!(found[0].field, Some("url"));
        assert!(!found[0].fix.as_ref().is_some_and(|f| f.label.contains("pw")), "labels never show passwords");
        apply_fixes(&mut d, Rule::LeafnodeUrlMismatch);
        let url = &d.cluster(id(&d, "spoke-1")).expect("exists").remotes[0].url;
        assert_eq!(url, "nats://acc:pw@headquarter.nats.public.address.com:30742", "user info is kept");
        assert_eq!(fired(&d, Rule::LeafnodeUrlMismatch), none());
    }

    #[test]
    fn unparseable_urls_raise_leafnode_url_mismatch() {
        for bad in ["", "headquarter:30742", "http://hq:30742", "nats://:30742", "nats://hq:port", "nats://hq:0"] {
            let mut d = guide_corrected();
            edit_remote(&mut d, "spoke-1", 0, |r| r.url = bad.into());
            assert_eq!(fired(&d, Rule::LeafnodeUrlMismatch), ["cluster spoke-1 remote ACC"], "url {bad:?}");
        }
    }

    #[test]
    fn without_public_endpoints_any_host_on_the_listen_port_matches() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| c.leafnode_listener = Some(LeafnodeListener::default()));
        edit_remote(&mut d, "spoke-1", 0, |r| r.url = "tls://hq.internal:7422".into());
        edit_remote(&mut d, "spoke-1", 1, |r| r.url = "nats://hq.internal".into());
        edit_remote(&mut d, "spoke-2", 0, |r| r.url = "wss://[fd00::1]:7422/leafnode".into());
        edit_remote(&mut d, "spoke-2", 1, |r| r.url = "nats://hq.internal:4222".into());
        assert_eq!(fired(&d, Rule::LeafnodeUrlMismatch), ["cluster spoke-2 remote SYS"]);
        apply_fixes(&mut d, Rule::LeafnodeUrlMismatch);
        assert_eq!(d.cluster(id(&d, "spoke-2")).expect("exists").remotes[1].url, "nats://hq.internal:7422");
    }

    #[test]
    fn public_endpoints_match_without_case_and_with_a_default_port() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| {
            c.leafnode_listener = Some(LeafnodeListener {
                tls: None,
                port: 7422,
                public_endpoints: vec!["HQ.example.com:30742".into(), "tls://lb.example.com".into()],
                no_advertise: true,
            })
        });
        edit_remote(&mut d, "spoke-1", 0, |r| r.url = "nats://hq.EXAMPLE.com:30742".into());
        edit_remote(&mut d, "spoke-1", 1, |r| r.url = "tls://lb.example.com:7422".into());
        edit_remote(&mut d, "spoke-2", 0, |r| r.url = "nats://lb.example.com".into());
        edit_remote(&mut d, "spoke-2", 1, |r| r.url = "nats://hq.example.com".into());
        assert_eq!(fired(&d, Rule::LeafnodeUrlMismatch), ["cluster spoke-2 remote SYS"]);
    }

    #[test]
    fn binding_an_undefined_local_account_raises_leafnode_account_missing() {
        let mut d = guide_corrected();
        edit_remote(&mut d, "spoke-1", 0, |r| r.local_account = Some("acc".into()));
        edit_remote(&mut d, "spoke-2", 0, |r| r.local_account = Some("BILLING".into()));
        assert_eq!(
            fired(&d, Rule::LeafnodeAccountMissing),
            ["cluster spoke-1 remote acc", "cluster spoke-2 remote BILLING"]
        );
        let found = diagnostics(&d, Rule::LeafnodeAccountMissing);
        assert_eq!(found[0].field, Some("account"));
        assert!(found[1].fix.is_none(), "no account resembles BILLING");
        let fix = found.into_iter().next().and_then(|d| d.fix).expect("ACC resembles acc");
        assert_eq!(
            fix.command,
            Command::SetRemoteAccount { cluster: id(&d, "spoke-1"), remote: 0, account: Some("ACC".into()) }
        );
    }

    #[test]
    fn the_global_and_default_system_accounts_always_exist() {
        let mut d = guide_corrected();
        edit_remote(&mut d, "spoke-1", 0, |r| r.local_account = Some("$G".into()));
        edit(&mut d, "spoke-2", |c| c.system_account = None);
        edit_remote(&mut d, "spoke-2", 1, |r| r.local_account = Some("$SYS".into()));
        assert_eq!(fired(&d, Rule::LeafnodeAccountMissing), none());
    }

    #[test]
    fn a_remote_without_account_raises_leafnode_account_unbound() {
        let mut d = guide_corrected();
        edit_remote(&mut d, "spoke-1", 0, |r| r.local_account = None);
        edit_remote(&mut d, "spoke-2", 0, |r| r.local_account = Some(String::new()));
        // `target_name` shows an empty account as written, hence the bare "remote ".
        assert_eq!(fired(&d, Rule::LeafnodeAccountUnbound), ["cluster spoke-1 remote #0", "cluster spoke-2 remote "]);
        apply_fixes(&mut d, Rule::LeafnodeAccountUnbound);
        let bound = d.cluster(id(&d, "spoke-1")).and_then(|c| c.remotes[0].local_account.clone());
        assert_eq!(bound.as_deref(), Some("ACC"), "the account of the hub's user acc");
        assert_eq!(fired(&d, Rule::LeafnodeAccountUnbound), none());
    }

    #[test]
    fn a_cluster_without_accounts_may_bind_the_global_account() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| {
            c.accounts.clear();
            c.system_account = None;
            c.remotes.iter_mut().for_each(|r| r.local_account = None);
        });
        assert_eq!(fired(&d, Rule::LeafnodeAccountUnbound), none());
    }

    #[test]
    fn an_unknown_user_or_a_wrong_password_raises_leafnode_credentials_unknown() {
        let mut d = guide_as_written();
        edit_remote(&mut d, "spoke-1", 0, |r| {
            r.url = "nats://nobody:x@headquarter.nats.public.address.com:30742".into()
        });
        edit_remote(&mut d, "spoke-1", 1, |r| {
            r.url = "nats://sys:wrong@headquarter.nats.public.address.com:30742".into()
        });
        edit_remote(&mut d, "spoke-2", 0, |r| r.url = "nats://headquarter.nats.public.address.com:30742".into());
        edit_remote(&mut d, "spoke-2", 1, |r| {
            r.url = "nats://headquarter.nats.public.address.com:30742".into();
            r.user = Some("ghost".into());
            // Without a password it would be a token (`leafnode-token-auth`).
            r.password = Some(Password::Plain("boo".into()));
        });
        assert_eq!(
            fired(&d, Rule::LeafnodeCredentialsUnknown),
            [
                "cluster spoke-1 remote ACC",
                "cluster spoke-1 remote SYS",
                "cluster spoke-2 remote ACC",
                "cluster spoke-2 remote SYS"
            ]
        );
        let fields: Vec<_> = diagnostics(&d, Rule::LeafnodeCredentialsUnknown).iter().map(|x| x.field).collect();
        assert_eq!(fields, [Some("url"), Some("url"), Some("url"), Some("user")]);
        let message = &diagnostics(&d, Rule::LeafnodeCredentialsUnknown)[0].message;
        assert!(message.contains("nobody") && message.contains("acc in ACC"), "{message}");
    }

    #[test]
    fn known_users_percent_encoded_passwords_and_key_files_raise_no_leafnode_credentials_unknown() {
        let mut d = guide_as_written();
        edit(&mut d, "headquarter", |c| {
            if let Some(acc) = c.accounts.get_mut("ACC") {
                acc.users[0].password = Password::Plain("p@ss:word".into());
            }
        });
        edit_remote(&mut d, "spoke-1", 0, |r| {
            r.url = "nats://acc:p%40ss%3Aword@headquarter.nats.public.address.com:30742".into()
        });
        edit_remote(&mut d, "spoke-2", 0, |r| {
            r.url = "nats://headquarter.nats.public.address.com:30742".into();
            r.credentials = Some("/etc/nats-creds/leaf/acc.creds".into());
        });
        assert_eq!(fired(&d, Rule::LeafnodeCredentialsUnknown), none());
    }

    #[test]
    fn bridging_to_a_differently_named_hub_account_raises_leafnode_account_mismatch() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| {
            let user = User { name: "tickets".into(), password: Password::Bcrypt("$2a$11$x".into()) };
            c.accounts.insert("TICKETS".into(), Account::new(true, vec![user]));
        });
        edit_remote(&mut d, "spoke-1", 0, |r| {
            r.user = Some("tickets".into());
            r.password = Some(Password::Plain("secret".into()));
        });
        assert_eq!(fired(&d, Rule::LeafnodeAccountMismatch), ["cluster spoke-1 remote ACC"]);
        let message = &diagnostics(&d, Rule::LeafnodeAccountMismatch)[0].message;
        assert!(message.contains("local account ACC to account TICKETS"), "{message}");
    }

    #[test]
    fn same_named_accounts_raise_no_leafnode_account_mismatch() {
        assert_eq!(fired(&guide_corrected(), Rule::LeafnodeAccountMismatch), none());
    }

    #[test]
    fn spokes_bridging_sys_without_declaring_it_raise_system_account_bridge() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.system_account = None);
        assert_eq!(fired(&d, Rule::SystemAccountBridge), ["cluster spoke-1 remote SYS"]);
        let found = diagnostics(&d, Rule::SystemAccountBridge);
        assert_eq!(found[0].field, Some("system_account"));
        apply_fixes(&mut d, Rule::SystemAccountBridge);
        assert_eq!(d.cluster(id(&d, "spoke-1")).and_then(|c| c.system_account.clone()).as_deref(), Some("SYS"));
        assert_eq!(fired(&d, Rule::SystemAccountBridge), none());
    }

    #[test]
    fn bridging_system_account_to_system_account_raises_no_system_account_bridge() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-2", |c| {
            c.accounts.remove("SYS");
            c.system_account = None;
            c.remotes[1].local_account = Some("$SYS".into());
        });
        assert_eq!(fired(&d, Rule::SystemAccountBridge), none());
    }

    #[test]
    fn jetstream_on_the_system_account_raises_system_account_jetstream() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.accounts.entry("SYS".into()).or_default().jetstream = true);
        assert_eq!(fired(&d, Rule::SystemAccountJetstream), ["cluster spoke-1"]);
        apply_fixes(&mut d, Rule::SystemAccountJetstream);
        assert_eq!(fired(&d, Rule::SystemAccountJetstream), none());
    }

    #[test]
    fn a_system_account_with_jetstream_in_a_cluster_without_jetstream_is_inert() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| {
            c.accounts.entry("SYS".into()).or_default().jetstream = true;
            c.jetstream = false;
        });
        assert_eq!(fired(&d, Rule::SystemAccountJetstream), none());
    }

    #[test]
    fn streams_in_an_account_or_cluster_without_jetstream_raise_account_jetstream_disabled() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| c.accounts.entry("ACC".into()).or_default().jetstream = false);
        edit(&mut d, "spoke-2", |c| c.jetstream = false);
        assert_eq!(
            fired(&d, Rule::AccountJetstreamDisabled),
            ["stream tickets-1", "stream cinema-a-mirror", "stream tickets-2"]
        );
        apply_fixes(&mut d, Rule::AccountJetstreamDisabled);
        assert_eq!(fired(&d, Rule::AccountJetstreamDisabled), none());
    }

    #[test]
    fn a_stream_in_the_system_account_is_offered_no_jetstream_there() {
        let mut d = guide_corrected();
        let hub = id(&d, "headquarter");
        d.add_stream(hub, "SYS", StreamConfig::new("audit")).expect("the hub exists");
        let found = diagnostics(&d, Rule::AccountJetstreamDisabled);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn streams_in_jetstream_accounts_or_undefined_accounts_raise_no_account_jetstream_disabled() {
        let mut d = guide_corrected();
        let hub = id(&d, "headquarter");
        d.add_stream(hub, "NOWHERE", StreamConfig::new("orphan")).expect("the hub exists");
        assert_eq!(fired(&d, Rule::AccountJetstreamDisabled), none());
    }

    #[test]
    fn a_remote_with_credentials_and_nkey_raises_remote_creds_and_nkey() {
        let mut d = guide_corrected();
        edit_remote(&mut d, "spoke-1", 0, |r| {
            r.credentials = Some("/etc/nats-creds/acc.creds".into());
            r.nkey = Some("/etc/nats-nkeys/acc.nk".into());
        });
        edit_remote(&mut d, "spoke-1", 1, |r| {
            r.credentials = Some("/etc/nats-creds/sys.creds".into());
            r.nkey = Some(String::new());
        });
        assert_eq!(fired(&d, Rule::RemoteCredsAndNkey), ["cluster spoke-1 remote ACC"]);
    }

    #[test]
    fn plaintext_passwords_on_the_accepting_side_raise_one_plaintext_password_per_cluster() {
        let mut d = guide_as_written();
        assert_eq!(fired(&d, Rule::PlaintextPassword), ["cluster headquarter", "cluster spoke-1", "cluster spoke-2"]);
        let message = &diagnostics(&d, Rule::PlaintextPassword)[0].message;
        assert!(message.contains("sys of account SYS") && message.contains("acc of account ACC"), "{message}");
        apply_fixes(&mut d, Rule::PlaintextPassword);
        let hub = d.cluster(id(&d, "headquarter")).expect("exists");
        assert_eq!(
            hub.accounts["ACC"].users[0].password,
            Password::SecretRef { name: PASSWORD_SECRET.into(), key: "acc".into() }
        );
        assert_eq!(fired(&d, Rule::PlaintextPassword), none());
    }

    #[test]
    fn hashed_secret_and_remote_passwords_raise_no_plaintext_password() {
        let mut d = guide_corrected();
        edit(&mut d, "headquarter", |c| {
            if let Some(acc) = c.accounts.get_mut("ACC") {
                acc.users[0].password = Password::Plain("$2a$11$abcdefghijklmnopqrstuv".into());
            }
            if let Some(sys) = c.accounts.get_mut("SYS") {
                sys.users[0].password = Password::Bcrypt("$2b$10$zzz".into());
            }
        });
        edit_remote(&mut d, "spoke-1", 0, |r| r.password = Some(Password::Plain("acc".into())));
        assert_eq!(fired(&d, Rule::PlaintextPassword), none());
    }

    #[test]
    fn a_bcrypt_hash_sent_by_a_remote_raises_bcrypt_in_remote_url() {
        let mut d = guide_corrected();
        edit_remote(&mut d, "spoke-1", 0, |r| {
            r.url = "nats://acc:$2a$11$abcdefghijk@headquarter.nats.public.address.com:30742".into()
        });
        edit_remote(&mut d, "spoke-2", 0, |r| r.password = Some(Password::Bcrypt("$2y$12$abc".into())));
        assert_eq!(fired(&d, Rule::BcryptInRemoteUrl), ["cluster spoke-1 remote ACC", "cluster spoke-2 remote ACC"]);
        let fields: Vec<_> = diagnostics(&d, Rule::BcryptInRemoteUrl).iter().map(|x| x.field).collect();
        assert_eq!(fields, [Some("url"), Some("password")]);
    }

    #[test]
    fn plain_passwords_that_merely_start_with_a_dollar_raise_no_bcrypt_in_remote_url() {
        let mut d = guide_corrected();
        edit_remote(&mut d, "spoke-1", 0, |r| {
            r.url = "nats://acc:$2a$1x$abc@headquarter.nats.public.address.com:30742".into()
        });
        edit_remote(&mut d, "spoke-2", 0, |r| r.password = Some(Password::Plain("$2c$11$abc".into())));
        assert_eq!(fired(&d, Rule::BcryptInRemoteUrl), none());
        assert!(is_bcrypt("$2x$04$"));
        assert!(!is_bcrypt("$2a$4$"));
    }

    #[test]
    fn two_remotes_bridging_the_same_accounts_raise_duplicate_leaf_connection() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| {
            let copy = c.remotes[0].clone();
            c.remotes.push(copy);
        });
        assert_eq!(fired(&d, Rule::DuplicateLeafConnection), ["cluster spoke-1 remote ACC"]);
        let found = diagnostics(&d, Rule::DuplicateLeafConnection);
        assert_eq!(found[0].target, Target::Remote { cluster: id(&d, "spoke-1"), index: 2 });
        assert!(found[0].message.contains("remote #0"), "{}", found[0].message);
    }

    #[test]
    fn remotes_bridging_different_accounts_or_clusters_raise_no_duplicate_leaf_connection() {
        let mut d = guide_corrected();
        edit(&mut d, "spoke-1", |c| {
            let mut other = c.remotes[0].clone();
            other.target = Some(ClusterId(999));
            c.remotes.push(other);
        });
        assert_eq!(fired(&d, Rule::DuplicateLeafConnection), none());
    }

    #[test]
    fn urls_parse_like_gos_url_parse() {
        let u = parse_url("nats://us%40er:p@ss@[FD00::1]:30742/x").expect("parses");
        assert_eq!((u.user.as_deref(), u.password.as_deref()), (Some("us@er"), Some("p@ss")));
        assert_eq!((u.url.host.as_str(), u.port, u.url.rest), ("fd00::1", 30742, "/x"));
        assert_eq!(u.endpoint(), "[fd00::1]:30742");
        let u = parse_url("  WSS://Hub.Example.COM.  ").expect("parses");
        assert_eq!((u.url.host.as_str(), u.port, u.user), ("hub.example.com", 7422, None));
        assert_eq!(parse_url("nats://user@hq").map(|u| (u.user, u.password)), Ok((Some("user".into()), None)));
        assert_eq!(parse_url("nats://hq:99999"), Err(UrlProblem::BadPort("99999".into())));
        assert_eq!(parse_url("nats://hq:+1"), Err(UrlProblem::BadPort("+1".into())));
        assert_eq!(parse_url("nats://[::1"), Err(UrlProblem::NoHost));
        assert_eq!(parse_url("ftp://hq"), Err(UrlProblem::UnknownScheme("ftp".into())));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let mut d = guide_as_written();
        let hub = id(&d, "headquarter");
        for name in ["headquarter", "spoke-1", "spoke-2"] {
            edit(&mut d, name, |c| {
                c.name = format!("$(rm -rf ~){name}\"; drop <script>");
                c.system_account = Some(String::new());
                c.accounts.insert(String::new(), Account::new(true, vec![]));
                c.remotes.push(LeafnodeRemote { target: Some(ClusterId(u32::MAX)), ..LeafnodeRemote::default() });
                c.remotes.push(LeafnodeRemote {
                    tls: None,
                    target: Some(hub),
                    url: "nats://ü:é@ünï.cöde:%%%/€".into(),
                    local_account: Some("<script>".into()),
                    user: Some("\"; drop".into()),
                    password: Some(Password::SecretRef { name: String::new(), key: String::new() }),
                    credentials: Some("$(rm -rf ~)".into()),
                    nkey: Some("`id`".into()),
                });
                c.remotes.push(LeafnodeRemote {
                    target: Some(hub),
                    url: "nats://@:".into(),
                    ..LeafnodeRemote::default()
                });
            });
        }
        edit(&mut d, "$(rm -rf ~)headquarter\"; drop <script>", |c| {
            c.leafnode_listener = Some(LeafnodeListener {
                tls: None,
                port: 0,
                public_endpoints: vec![String::new(), "[".into(), ":".into()],
                no_advertise: false,
            })
        });
        let mut out = Vec::new();
        check(&d, &mut out);
        assert!(out.iter().any(|x| x.rule == Rule::RemoteCredsAndNkey));
        for fix in out.into_iter().filter_map(|x| x.fix) {
            fix.command.apply(&mut d.clone()).expect("fixes name existing elements");
        }
    }

    #[test]
    fn a_large_design_validates_in_one_pass() {
        // 100 clusters and 5,000 streams: a smoke test that nothing here is quadratic in streams
        // (timed by `benches/`, not here: the model reads no clock).
        let mut d = Design::new("large");
        let mut hub = Cluster::new("hub", Role::Hub);
        hub.leafnode_listener = Some(LeafnodeListener::default());
        hub.accounts.insert("ACC".into(), Account::new(true, Vec::new()));
        let hub = d.add_cluster(hub);
        for i in 1..100 {
            let mut c = Cluster::new(format!("spoke-{i}"), Role::Spoke);
            c.accounts.insert("ACC".into(), Account::new(i % 2 == 0, Vec::new()));
            c.remotes.push(LeafnodeRemote {
                target: Some(hub),
                url: "nats://hub:7422".into(),
                local_account: Some("ACC".into()),
                ..LeafnodeRemote::default()
            });
            let c = d.add_cluster(c);
            for s in 0..50 {
                d.add_stream(c, "ACC", StreamConfig::new(format!("s{s}"))).expect("the cluster exists");
            }
        }
        assert_eq!(fired(&d, Rule::AccountJetstreamDisabled).len(), 50 * 50);
    }

    #[test]
    fn remotes_dialing_a_hub_by_its_cluster_name_raise_hub_public_endpoint_missing() {
        let mut d = crate::model::templates::hub_with_spokes(2);
        let found = diagnostics(&d, Rule::HubPublicEndpointMissing);
        let targets: Vec<String> = found.iter().map(|x| x.target_name(&d)).collect();
        assert_eq!(
            targets,
            [
                "cluster spoke-1 remote ACC",
                "cluster spoke-1 remote SYS",
                "cluster spoke-2 remote ACC",
                "cluster spoke-2 remote SYS"
            ]
        );
        assert!(found[0].message.contains("dials hub:7422"), "{}", found[0].message);
        assert!(found
            .iter()
            .all(|x| x.severity == crate::model::validate::Severity::Warning && x.field == Some("url")));
        // A declared endpoint silences it, whatever the remotes dial (the URL rule judges that).
        edit(&mut d, "hub", |c| {
            c.leafnode_listener.as_mut().expect("a hub listens").public_endpoints = vec!["hq.example.com:30742".into()]
        });
        assert_eq!(fired(&d, Rule::HubPublicEndpointMissing), none());
    }

    #[test]
    fn hub_public_endpoint_missing_stays_quiet_for_named_hosts_and_the_guide() {
        assert_eq!(
            fired(&guide_corrected(), Rule::HubPublicEndpointMissing),
            none(),
            "the guide declares its NodePort"
        );
        assert_eq!(fired(&guide_as_written(), Rule::HubPublicEndpointMissing), none());
        let mut d = crate::model::templates::hub_with_spokes(1);
        // A real host written by the user: the hub's endpoint is unknown, but the remote is not
        // using the cluster name.
        edit_remote(&mut d, "spoke-1", 0, |r| r.url = "nats://hq.example.com:7422".into());
        assert_eq!(fired(&d, Rule::HubPublicEndpointMissing), ["cluster spoke-1 remote SYS"]);
        // Without a listener the listener rule speaks instead.
        edit(&mut d, "hub", |c| c.leafnode_listener = None);
        assert_eq!(fired(&d, Rule::HubPublicEndpointMissing), none());
    }
}
