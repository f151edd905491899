//! Gateways and server tags read back: from a conf's `gateway` block and `server_tags`, and
//! from both charts' values (1.x/2.x `config.gateway` with `merge.name`/`merge.gateways` and
//! `config.merge.server_tags`; 0.19 `gateway.name/port/gateways`). Peers are matched to the
//! clusters of the import by name, the gateway name being the cluster name.
//!
//! `gateway-name-chart` is raised here: chart 1.x/2.x names the gateway after the StatefulSet
//! (`files/config/gateway.yaml`: `name: {{ $.Values.statefulSet.name }}`), so values that open a
//! gateway without `config.gateway.merge.name` equal to the cluster name give the servers a
//! gateway name other than their cluster name, which nats-server refuses at start ("cluster name
//! conflicts between cluster and gateway definitions", measured on 2.9.10 and 2.15.1).

use super::conf_syntax::{get, ConfValue, Entry};
use super::Finding;
use crate::model::gateway::{Gateway, GatewayPeer, DEFAULT_GATEWAY_PORT};
use crate::model::validate::Rule;
use crate::model::{ClusterId, Design};
use serde_yaml::Value;

fn text(value: &ConfValue) -> Option<String> {
    match value {
        ConfValue::Str(s) => Some(s.clone()),
        ConfValue::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

fn port(value: &ConfValue) -> Option<u16> {
    match value {
        ConfValue::Int(n) => u16::try_from(*n).ok(),
        ConfValue::Str(s) => s.rsplit(':').next()?.parse().ok(),
        _ => None,
    }
}

fn strings(value: &ConfValue) -> Vec<String> {
    match value {
        ConfValue::List(items) => items.iter().filter_map(|i| text(&i.value)).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// The `gateway` block and `server_tags` of a conf, with notes on what was not read.
pub(super) fn from_conf(entries: &[Entry], cluster: &str, path: &str) -> (Option<Gateway>, Vec<String>, Vec<String>) {
    let mut notes = Vec::new();
    let tags = get(entries, "server_tags").map(|(v, _)| strings(v)).unwrap_or_default();
    let Some((block @ ConfValue::Map(_), line)) = get(entries, "gateway") else { return (None, tags, notes) };
    let mut gateway = Gateway {
        port: block
            .get("listen")
            .or_else(|| block.get("port"))
            .and_then(|(v, _)| port(v))
            .unwrap_or(DEFAULT_GATEWAY_PORT),
        ..Gateway::default()
    };
    if let Some(name) = block.get("name").and_then(|(v, _)| text(v)) {
        if name != cluster {
            notes.push(format!(
                "{path}:{line}: the gateway is named {name:?} but the cluster {cluster:?}; nats-server refuses \
                 to start with two different names (the design's gateway name is its cluster name)"
            ));
        }
    }
    if let Some((ConfValue::List(items), _)) = block.get("gateways") {
        for item in items {
            let Some(name) = item.value.get("name").and_then(|(v, _)| text(v)) else {
                notes.push(format!("{path}:{}: a gateway without a name was not read", item.line));
                continue;
            };
            let mut urls = item.value.get("urls").map(|(v, _)| strings(v)).unwrap_or_default();
            urls.extend(item.value.get("url").and_then(|(v, _)| text(v)));
            // A conf may list its own gateway among the peers (the documentation's examples do).
            if name == cluster {
                continue;
            }
            gateway.peers.push(GatewayPeer { tls: None, target: None, name, urls });
        }
    }
    (Some(gateway), tags, notes)
}

fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

fn yaml_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn yaml_strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Sequence(items)) => items.iter().filter_map(|v| yaml_text(Some(v))).collect(),
        other => yaml_text(other).into_iter().collect(),
    }
}

fn peers(list: Option<&Value>, cluster: &str, unquote: bool) -> Vec<GatewayPeer> {
    let Some(Value::Sequence(items)) = list else { return Vec::new() };
    let clean = |s: String| if unquote { s.trim_matches('"').to_owned() } else { s };
    items
        .iter()
        .filter_map(|item| {
            let name = clean(yaml_text(item.get("name"))?);
            let mut urls: Vec<String> = yaml_strings(item.get("urls")).into_iter().map(clean).collect();
            urls.extend(yaml_text(item.get("url")).map(clean));
            (name != cluster).then_some(GatewayPeer { tls: None, target: None, name, urls })
        })
        .collect()
}

/// Chart 1.x/2.x: `config.gateway`, and `config.merge.server_tags`; `gateway-name-chart` when
/// the gateway's name would be the StatefulSet's rather than `cluster`.
pub(super) fn from_values_v1(
    values: &Value,
    cluster: &str,
    line: impl Fn(&str) -> Option<usize>,
) -> (Option<Gateway>, Vec<String>, Vec<Finding>) {
    let tags = yaml_strings(at(values, "config.merge.server_tags"));
    let enabled = matches!(at(values, "config.gateway.enabled"), Some(Value::Bool(true)));
    if !enabled {
        return (None, tags, Vec::new());
    }
    let port = at(values, "config.gateway.port").and_then(Value::as_u64).and_then(|p| u16::try_from(p).ok());
    let gateway = Gateway {
        tls: None,
        port: port.unwrap_or(DEFAULT_GATEWAY_PORT),
        public_endpoints: Vec::new(),
        peers: peers(at(values, "config.gateway.merge.gateways"), cluster, false),
    };
    let mut findings = Vec::new();
    let merged = yaml_text(at(values, "config.gateway.merge.name"));
    if merged.as_deref() != Some(cluster) {
        let derived = yaml_text(at(values, "statefulSet.name"))
            .or_else(|| yaml_text(at(values, "fullnameOverride")))
            .map_or_else(|| "the release name".to_owned(), |n| format!("{n:?}"));
        let named = match &merged {
            Some(name) => format!("config.gateway.merge.name names it {name:?}"),
            None => format!("the chart names it after the StatefulSet ({derived}, files/config/gateway.yaml)"),
        };
        findings.push(Finding::new(
            Rule::GatewayNameChart,
            line("config.gateway.merge.name").or_else(|| line("config.gateway.enabled")),
            format!(
                "the gateway of cluster {cluster:?}: {named}, not the cluster name; nats-server refuses a gateway \
                 name other than the cluster name at start, and the other clusters dial it by the cluster name; \
                 set config.gateway.merge.name to {cluster:?}"
            ),
        ));
    }
    (Some(gateway), tags, findings)
}

/// Chart 0.19: `gateway.enabled/port/name/gateways` (the chart writes `urls` joined unquoted,
/// so the exporter gives each URL its conf quotes: they are taken off here).
pub(super) fn tags_v0_19(values: &Value) -> Vec<String> {
    yaml_strings(at(values, "nats.serverTags"))
}

pub(super) fn from_values_v0_19(values: &Value, cluster: &str) -> (Option<Gateway>, Vec<String>) {
    let enabled = matches!(at(values, "gateway.enabled"), Some(Value::Bool(true)));
    if !enabled {
        return (None, Vec::new());
    }
    let port = at(values, "gateway.port").and_then(Value::as_u64).and_then(|p| u16::try_from(p).ok());
    let mut notes = Vec::new();
    if let Some(name) = yaml_text(at(values, "gateway.name")) {
        let name = name.trim_matches('"');
        if name != cluster {
            notes.push(format!(
                "gateway.name is {name:?} but the cluster {cluster:?}; nats-server refuses to start with two \
                 different names (the design's gateway name is its cluster name)"
            ));
        }
    }
    let gateway = Gateway {
        tls: None,
        // The 0.19 chart's default gateway port is 7522.
        port: port.unwrap_or(7522),
        public_endpoints: Vec::new(),
        peers: peers(at(values, "gateway.gateways"), cluster, true),
    };
    (Some(gateway), notes)
}

/// Sets each peer's target to the one other cluster of the design with the peer's name.
pub(super) fn resolve(design: &mut Design) {
    let names: Vec<(ClusterId, String)> = design.clusters().map(|(id, c)| (id, c.name.clone())).collect();
    for (id, _) in &names {
        let Some(gateway) = design.cluster_mut(*id).and_then(|c| c.gateway.as_mut()) else { continue };
        for peer in &mut gateway.peers {
            let mut found = names.iter().filter(|(other, name)| other != id && *name == peer.name);
            peer.target = match (found.next(), found.next()) {
                (Some((target, _)), None) => Some(*target),
                _ => None,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{import, SourceFile};
    use crate::model::export::{self, Chart, ExportOptions};
    use crate::model::templates::two_regions_and_a_site;
    use crate::model::validate::Rule;
    use crate::model::Design;

    /// Per cluster name: the gateway (port, peers by name with URLs and target name) and tags;
    /// per stream name: its placement.
    fn carried(design: &Design) -> (Vec<String>, Vec<String>) {
        let name = |id: Option<crate::model::ClusterId>| id.and_then(|id| design.cluster(id)).map(|c| c.name.clone());
        let mut clusters: Vec<String> = design
            .clusters()
            .map(|(_, c)| {
                let gateway = c.gateway.as_ref().map(|g| {
                    let peers: Vec<_> =
                        g.peers.iter().map(|p| (p.name.clone(), p.urls.clone(), name(p.target))).collect();
                    (g.port, peers)
                });
                format!("{} gateway {gateway:?} tags {:?}", c.name, c.server_tags)
            })
            .collect();
        clusters.sort();
        let mut streams: Vec<String> =
            design.streams().map(|s| format!("{} {:?}", s.config.name, s.config.placement)).collect();
        streams.sort();
        (clusters, streams)
    }

    fn round_trip(design: &Design, chart: Chart, keep: &str) -> super::super::Imported {
        let files: Vec<SourceFile> = export::export(design, &ExportOptions { chart })
            .into_iter()
            .filter(|f| !f.path.starts_with(keep))
            .map(|f| SourceFile::new(f.path, f.contents))
            .collect();
        import(&files)
    }

    #[test]
    fn gateways_tags_and_placement_come_back_from_confs_and_chart_1_values() {
        let design = two_regions_and_a_site();
        for (chart, without) in [(Chart::V1, "helm/"), (Chart::V1, "server/")] {
            let imported = round_trip(&design, chart, without);
            assert_eq!(
                carried(&imported.design),
                carried(&design),
                "{chart:?} without {without}: {:?}",
                imported.notes
            );
            let named: Vec<_> = imported.diagnostics.iter().filter(|d| d.rule == Rule::GatewayNameChart).collect();
            assert!(named.is_empty(), "{named:?}");
        }
    }

    #[test]
    fn gateways_tags_and_placement_come_back_from_chart_0_19_values() {
        let design = two_regions_and_a_site();
        let imported = round_trip(&design, Chart::V0_19, "server/");
        assert_eq!(carried(&imported.design), carried(&design), "{:?}", imported.notes);
    }

    #[test]
    fn chart_1_values_without_the_gateway_name_raise_gateway_name_chart() {
        let design = two_regions_and_a_site();
        let files: Vec<SourceFile> = export::export(&design, &ExportOptions { chart: Chart::V1 })
            .into_iter()
            .filter(|f| f.path.starts_with("helm/"))
            .map(|f| {
                SourceFile::new(
                    f.path.clone(),
                    f.contents.replace("    merge:\n      name: east\n      gateways:", "    merge:\n      gateways:"),
                )
            })
            .collect();
        assert!(files.iter().any(|f| f.path.contains("east") && !f.text.contains("name: east\n      gateways:")));
        let imported = import(&files);
        let named: Vec<_> = imported.diagnostics.iter().filter(|d| d.rule == Rule::GatewayNameChart).collect();
        assert_eq!(named.len(), 1, "{:#?}", imported.diagnostics);
        assert!(named[0].message.contains("after the StatefulSet"), "{}", named[0].message);
        assert!(named[0].location.as_ref().is_some_and(|l| l.file.contains("east") && l.line.is_some()));
    }

    #[test]
    fn a_conf_gateway_lists_its_own_name_and_peers_with_url_or_urls() {
        let conf = "server_name: \"e-nats-0\"\nserver_tags: [\"ssd\", \"region:e\"]\ncluster { name: e, listen: \"0.0.0.0:6222\", routes = [\"nats://a:6222\", \"nats://b:6222\"] }\ngateway {\n  name: e\n  listen: \"0.0.0.0:7522\"\n  gateways: [\n    {name: e, url: \"nats://e:7522\"}\n    {name: w, urls: [\"nats://w1:7522\", \"nats://w2:7522\"]}\n  ]\n}\n";
        let conf_w = "server_name: \"w-nats-0\"\ncluster { name: w, listen: \"0.0.0.0:6222\", routes = [\"nats://a:6222\", \"nats://b:6222\"] }\ngateway { name: w, port: 7522, gateways: [{name: e, url: \"nats://e:7522\"}] }\n";
        let imported = import(&[SourceFile::new("e.conf", conf), SourceFile::new("w.conf", conf_w)]);
        let (clusters, _) = carried(&imported.design);
        assert_eq!(
            clusters,
            [
                "e gateway Some((7522, [(\"w\", [\"nats://w1:7522\", \"nats://w2:7522\"], Some(\"w\"))])) tags [\"ssd\", \"region:e\"]",
                "w gateway Some((7522, [(\"e\", [\"nats://e:7522\"], Some(\"e\"))])) tags []",
            ]
        );
    }
}
