//! The exporters' round trip: a design (read from a design file) that validates without errors
//! is exported as server confs, and as chart 0.19 values, with its stream files and script;
//! importing those files gives the same clusters (name, domain, JetStream, servers) and the same
//! streams (cluster, name, subjects, replicas, mirror and source names).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_topology::model::export::{export, Chart, ExportOptions};
use nats_topology::model::import::{import, SourceFile};
use nats_topology::model::persist::load;
use nats_topology::model::validate::{validate, Severity};
use nats_topology::model::Design;

/// What every format carries, by name: positions, ids and per-format details left out.
fn canonical(design: &Design) -> (Vec<String>, Vec<String>) {
    let mut clusters: Vec<String> = design
        .clusters()
        .map(|(_, c)| format!("{:?} domain {:?} js {} servers {}", c.name, c.domain, c.jetstream, c.servers))
        .collect();
    clusters.sort();
    let mut streams: Vec<String> = design
        .streams()
        .map(|s| {
            let cluster = design.cluster(s.cluster).map(|c| c.name.clone());
            let c = &s.config;
            let mirror = c.mirror.as_ref().map(|m| m.name.clone());
            let sources: Vec<&str> = c.sources.iter().map(|o| o.name.as_str()).collect();
            format!(
                "{cluster:?} {:?} subjects {:?} R{} mirror {mirror:?} sources {sources:?}",
                c.name, c.subjects, c.num_replicas
            )
        })
        .collect();
    streams.sort();
    (clusters, streams)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(loaded) = load(text) else { return };
    let design = loaded.design;
    if validate(&design).iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    // Known, and reported with issue 20: nats-server refuses whitespace in cluster names, and the
    // exporters write it as `_` while no rule of the catalog flags it. Skipped, so that the fuzzer
    // looks for other differences.
    if design.clusters().any(|(_, c)| c.name.chars().any(|ch| ch.is_whitespace() || ch.is_control())) {
        return;
    }
    let expected = canonical(&design);
    for (chart, keep) in [(Chart::V1, "helm/"), (Chart::V0_19, "server/")] {
        // Confs (no Helm values) the first time, chart 0.19 values (no confs) the second.
        let files: Vec<SourceFile> = export(&design, &ExportOptions { chart })
            .into_iter()
            .filter(|f| !f.path.starts_with(keep))
            .map(|f| SourceFile::new(f.path, f.contents))
            .collect();
        let imported = import(&files);
        assert_eq!(canonical(&imported.design), expected, "{chart:?}, notes {:?}", imported.notes);
    }
});
