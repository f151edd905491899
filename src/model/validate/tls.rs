//! Rules of the catalog group "TLS on links", decided by what nats-server does rather than by the
//! catalog's wording where the two part (measured on 2.9.10 and 2.15.1,
//! `tests/corpus/tls-leafnode-measured.txt`):
//!
//! - a remote dials with TLS when it has a `tls {}` block; the `tls://` scheme alone to a plain
//!   listener connects in plain text, so a bare `tls://` is not a mismatch;
//! - a remote with a `tls {}` block to a plain listener never comes up (the hub reads a TLS
//!   handshake as a protocol);
//! - a remote without a `tls {}` block to a listener that requires TLS follows the listener
//!   but trusts only the system roots: it fails on a private CA. The designer cannot know a
//!   certificate is publicly trusted, so this is raised, with the reason;
//! - a listener with `verify` fails a remote that presents no client certificate.
//!
//! Gateways are held to the same rules: a gateway dials with its peer's `tls {}` block, else
//! with its own gateway block's (nats-server uses the gateway `tls {}` for both directions).
//! Gateways were measured too, by the sandbox with its own CA (`tests/sandbox_tls.rs`,
//! `tests/corpus/tls/links-measured.md`): they behave as leafnodes do, and every rule fires
//! exactly where the servers fail. `tls-block-placement` is raised by the conf importer.

use super::clusters::show;
use super::{Diagnostic, Rule, Target};
use crate::model::command::Command;
use crate::model::tls::{TlsCerts, TlsDial, TlsListener};
use crate::model::{Cluster, ClusterId, Design};

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    for (id, cluster) in design.clusters() {
        remotes(design, id, cluster, out);
        gateway_peers(design, id, cluster, out);
    }
}

/// What a dial without TLS should add to reach `listener`: its CA, so that a private CA is
/// trusted; the client certificate is left to the user (the verify rule says so).
fn dial_for(listener: &TlsListener) -> TlsDial {
    TlsDial { certs: TlsCerts { ca_file: listener.certs.ca(), ..TlsCerts::default() } }
}

fn remotes(design: &Design, id: ClusterId, cluster: &Cluster, out: &mut Vec<Diagnostic>) {
    for (index, remote) in cluster.remotes.iter().enumerate() {
        let Some(target) = remote.target.and_then(|t| design.cluster(t)) else { continue };
        let Some(listener) = &target.leafnode_listener else { continue };
        let describe = format!("cluster {}'s remote to {}", show(&cluster.name), show(&target.name));
        let at = Target::Remote { cluster: id, index };
        let set = |tls: Option<TlsDial>| {
            let mut fixed = cluster.clone();
            fixed.remotes[index].tls = tls;
            Command::SetCluster { cluster: id, value: Box::new(fixed) }
        };
        match (&remote.tls, &listener.tls) {
            (Some(_), None) => out.push(
                Diagnostic::new(
                    Rule::TlsMismatch,
                    at,
                    format!(
                        "{describe} dials with a tls {{}} block, but cluster {}'s leafnode listener has no TLS: \
                         the link never comes up (the listener reads the TLS handshake as its protocol); \
                         remove the remote's TLS or give the listener TLS",
                        show(&target.name)
                    ),
                )
                .field("tls")
                .fix("remove the remote's tls block", set(None)),
            ),
            (None, Some(required)) => out.push(
                Diagnostic::new(
                    Rule::TlsMismatch,
                    at,
                    format!(
                        "{describe} has no tls {{}} block, but cluster {}'s leafnode listener requires TLS: \
                         the remote follows it yet trusts only the system's root CAs, so a certificate from \
                         a private CA fails (\"certificate signed by unknown authority\"); give the remote a \
                         tls block with the listener's CA{}",
                        show(&target.name),
                        if remote.url.trim_start().starts_with("tls://") {
                            " (the tls:// scheme alone does not do it)"
                        } else {
                            ""
                        }
                    ),
                )
                .field("tls")
                .fix("give the remote a tls block with the listener's CA", set(Some(dial_for(required)))),
            ),
            (Some(dial), Some(required)) if required.verify && !dial.certs.presents_certificate() => out.push(
                Diagnostic::new(
                    Rule::TlsVerifyWithoutClientCert,
                    at,
                    format!(
                        "{describe} presents no client certificate, but cluster {}'s leafnode listener verifies \
                         them (verify: true): the handshake fails (\"client didn't provide a certificate\"); give \
                         the remote's tls block a cert_file and key_file (or a secret)",
                        show(&target.name)
                    ),
                )
                .field("tls"),
            ),
            _ => {}
        }
    }
}

fn gateway_peers(design: &Design, id: ClusterId, cluster: &Cluster, out: &mut Vec<Diagnostic>) {
    let Some(gateway) = &cluster.gateway else { return };
    for (index, peer) in gateway.peers.iter().enumerate() {
        let Some(target) = peer.target.filter(|t| *t != id).and_then(|t| design.cluster(t)) else { continue };
        let Some(listener) = &target.gateway else { continue };
        let describe = format!("cluster {}'s gateway to {}", show(&cluster.name), show(&target.name));
        let dial: Option<&TlsCerts> =
            peer.tls.as_ref().map(|t| &t.certs).or_else(|| gateway.tls.as_ref().map(|t| &t.certs));
        let set = |tls: Option<TlsDial>| {
            let mut fixed = cluster.clone();
            fixed.gateway.as_mut().expect("checked above").peers[index].tls = tls;
            Command::SetCluster { cluster: id, value: Box::new(fixed) }
        };
        match (dial, &listener.tls) {
            (Some(_), None) => {
                let mut d = Diagnostic::new(
                    Rule::TlsMismatch,
                    Target::Cluster(id),
                    format!(
                        "{describe} dials with TLS ({}), but cluster {}'s gateway listener has no TLS: the gateway \
                         never comes up; give cluster {}'s gateway TLS{}",
                        if peer.tls.is_some() { "the peer's tls block" } else { "its gateway's tls block" },
                        show(&target.name),
                        show(&target.name),
                        if peer.tls.is_some() { " or remove the peer's tls block" } else { "" }
                    ),
                )
                .field("gateway.tls");
                if peer.tls.is_some() && gateway.tls.is_none() {
                    d = d.fix("remove the peer's tls block", set(None));
                }
                out.push(d);
            }
            (None, Some(required)) => out.push(
                Diagnostic::new(
                    Rule::TlsMismatch,
                    Target::Cluster(id),
                    format!(
                        "{describe} dials without TLS, but cluster {}'s gateway listener requires TLS: the \
                         gateway never comes up; give the peer (or the gateway) a tls block with the listener's CA",
                        show(&target.name)
                    ),
                )
                .field("gateway.tls")
                .fix("give the peer a tls block with the listener's CA", set(Some(dial_for(required)))),
            ),
            (Some(certs), Some(required)) if required.verify && !certs.presents_certificate() => out.push(
                Diagnostic::new(
                    Rule::TlsVerifyWithoutClientCert,
                    Target::Cluster(id),
                    format!(
                        "{describe} presents no client certificate, but cluster {}'s gateway listener verifies \
                         them (verify: true); give the dialing tls block a cert_file and key_file (or a secret)",
                        show(&target.name)
                    ),
                )
                .field("gateway.tls"),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::validate;
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::gateway::join_gateways;

    const HUB: ClusterId = ClusterId(1);
    const SPOKE: ClusterId = ClusterId(2);

    fn fired(design: &Design, rule: Rule) -> Vec<Diagnostic> {
        validate(design).into_iter().filter(|d| d.rule == rule).collect()
    }

    fn ca() -> TlsCerts {
        TlsCerts { ca_file: Some("/etc/ca.pem".into()), ..TlsCerts::default() }
    }

    fn client() -> TlsCerts {
        TlsCerts { cert_file: Some("/etc/c.pem".into()), key_file: Some("/etc/k.pem".into()), ..ca() }
    }

    fn listener(verify: bool) -> TlsListener {
        TlsListener { certs: TlsCerts { secret: Some("hub-tls".into()), ..TlsCerts::default() }, verify }
    }

    /// The guide with the hub's listener and spoke-1's remote set (spoke-2 left plain, so it is
    /// a mismatch whenever the hub requires TLS; its remote is cleared to keep counts to spoke-1).
    fn leaf(listener_tls: Option<TlsListener>, remote_tls: Option<TlsDial>, url: &str) -> Design {
        let mut d = guide_corrected();
        d.cluster_mut(HUB).expect("hub").leafnode_listener.as_mut().expect("listens").tls = listener_tls;
        let remote = &mut d.cluster_mut(SPOKE).expect("spoke").remotes[0];
        remote.tls = remote_tls;
        remote.url = url.to_owned();
        d.cluster_mut(ClusterId(3)).expect("spoke-2").remotes[0].tls = Some(TlsDial { certs: client() });
        d
    }

    #[test]
    fn the_measured_leafnode_cases_fire_as_the_server_behaves() {
        let block = Some(TlsDial { certs: ca() });
        let cert = Some(TlsDial { certs: client() });
        // (listener, remote, url, links measured) from tests/corpus/tls-leafnode-measured.txt.
        let cases = [
            (None, None, "tls://hub:7422", true),
            (None, block.clone(), "nats://hub:7422", false),
            (Some(listener(false)), None, "nats://hub:7422", false),
            (Some(listener(false)), block.clone(), "tls://hub:7422", true),
            (Some(listener(true)), block.clone(), "tls://hub:7422", false),
            (Some(listener(true)), cert, "tls://hub:7422", true),
        ];
        for (listener_tls, remote_tls, url, connects) in cases {
            let verify = listener_tls.as_ref().is_some_and(|l| l.verify);
            let d = leaf(listener_tls.clone(), remote_tls.clone(), url);
            let on_spoke = |rule| {
                fired(&d, rule).into_iter().filter(|x| x.target == Target::Remote { cluster: SPOKE, index: 0 }).count()
            };
            let problems = on_spoke(Rule::TlsMismatch) + on_spoke(Rule::TlsVerifyWithoutClientCert);
            assert_eq!(problems == 0, connects, "{listener_tls:?} / {remote_tls:?} / {url}: {:?}", validate(&d));
            if !connects && verify {
                assert_eq!(on_spoke(Rule::TlsVerifyWithoutClientCert), 1);
            }
        }
    }

    #[test]
    fn the_other_spoke_is_judged_on_its_own() {
        // spoke-2 dials with a tls block: to a plain hub that is its own mismatch.
        let d = leaf(None, None, "nats://hub:7422");
        let at: Vec<Target> = fired(&d, Rule::TlsMismatch).iter().map(|x| x.target).collect();
        assert_eq!(at, [Target::Remote { cluster: ClusterId(3), index: 0 }]);
    }

    #[test]
    fn the_mismatch_fixes_give_a_design_without_mismatches() {
        for (listener_tls, remote_tls) in [(None, Some(TlsDial { certs: ca() })), (Some(listener(false)), None)] {
            let mut d = leaf(listener_tls, remote_tls, "nats://hub:7422");
            let found = fired(&d, Rule::TlsMismatch);
            let spoke = found.iter().find(|x| x.target == Target::Remote { cluster: SPOKE, index: 0 }).expect("fires");
            assert!(spoke.message.contains("spoke-1") && spoke.message.contains("headquarter"), "{}", spoke.message);
            spoke.fix.clone().expect("a fix").command.apply(&mut d).expect("applies");
            assert!(fired(&d, Rule::TlsMismatch)
                .iter()
                .all(|x| x.target != Target::Remote { cluster: SPOKE, index: 0 }));
        }
        // The CA the fix adds is the listener's (its secret's ca.crt).
        let mut d = leaf(Some(listener(false)), None, "nats://hub:7422");
        let fix = fired(&d, Rule::TlsMismatch).remove(0).fix.expect("a fix");
        fix.command.apply(&mut d).expect("applies");
        let tls = d.cluster(SPOKE).expect("spoke").remotes[0].tls.clone().expect("set");
        assert_eq!(tls.certs.ca().as_deref(), Some("/etc/nats-certs/hub-tls/ca.crt"));
    }

    #[test]
    fn a_bare_tls_scheme_to_a_tls_listener_is_told_that_the_scheme_is_not_enough() {
        let d = leaf(Some(listener(false)), None, "tls://hub:7422");
        let found = fired(&d, Rule::TlsMismatch);
        assert!(found.iter().any(|x| x.message.contains("tls:// scheme alone")), "{found:?}");
    }

    #[test]
    fn gateways_match_their_peers_tls() {
        let mut d = guide_corrected();
        join_gateways(&d, HUB, SPOKE).expect("joinable").apply(&mut d).expect("applies");
        assert!(fired(&d, Rule::TlsMismatch).is_empty(), "plain on both sides");
        let plain = d.clone();
        d.cluster_mut(HUB).expect("hub").gateway.as_mut().expect("joined").tls = Some(listener(false));
        // The hub's gateway now dials spoke-1 with TLS and requires it of spoke-1.
        let found = fired(&d, Rule::TlsMismatch);
        assert_eq!(found.len(), 2, "{found:?}");
        d.cluster_mut(SPOKE).expect("spoke").gateway.as_mut().expect("joined").tls =
            Some(TlsListener { certs: client(), verify: true });
        assert!(fired(&d, Rule::TlsMismatch).is_empty());
        // spoke-1 verifies; the hub dials with a secret holding a certificate: fine. A peer block
        // with a CA only overrides it and presents nothing.
        assert!(fired(&d, Rule::TlsVerifyWithoutClientCert).is_empty());
        let hub_gateway = d.cluster_mut(HUB).expect("hub").gateway.as_mut().expect("joined");
        hub_gateway.peers[0].tls = Some(TlsDial { certs: ca() });
        let found = fired(&d, Rule::TlsVerifyWithoutClientCert);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].target, Target::Cluster(HUB));
        // A peer block to a plain gateway is a mismatch the fix removes.
        let mut d = plain;
        d.cluster_mut(HUB).expect("hub").gateway.as_mut().expect("joined").peers[0].tls = Some(TlsDial { certs: ca() });
        let found = fired(&d, Rule::TlsMismatch);
        assert_eq!(found.len(), 1);
        found[0].fix.clone().expect("a fix").command.apply(&mut d).expect("applies");
        assert!(fired(&d, Rule::TlsMismatch).is_empty());
    }

    #[test]
    fn the_block_placement_rule_is_import_only() {
        assert!(Rule::TlsBlockPlacement.is_import_only());
        assert!(!Rule::TlsMismatch.is_import_only());
    }
}
