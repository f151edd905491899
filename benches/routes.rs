//! What the canvas recomputes on every edit: the design's links, the layout of its boxes, and
//! every link's route around the clusters in its way (issue 7), on 50 clusters / 1,000 streams
//! (the canvas benchmark's design) and 100 clusters / 5,000 streams.

use criterion::{criterion_group, criterion_main, Criterion};
use nats_topology::model::generate::generated;
use nats_topology::model::links::LinkLayout;
use std::hint::black_box;

fn routes(c: &mut Criterion) {
    let mut group = c.benchmark_group("links and routes");
    for (clusters, streams) in [(50, 1_000), (100, 5_000)] {
        let design = generated(clusters, streams);
        group.bench_function(format!("{clusters} clusters, {streams} streams"), |b| {
            b.iter(|| {
                let design = black_box(&design);
                let layout = LinkLayout::new(design);
                let links = design.links();
                layout.routes(design, &links).iter().flatten().count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, routes);
criterion_main!(benches);
