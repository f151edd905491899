//! Export of the 100-cluster / 5,000-stream design, every file plus the ZIP bundle.
//! Target (issue 4): at most 200 ms on the project's machine.

use criterion::{criterion_group, criterion_main, Criterion};
use nats_topology::model::export::{bundle, ExportOptions};
use nats_topology::model::generate::generated;
use std::hint::black_box;

fn export(c: &mut Criterion) {
    let design = generated(100, 5_000);
    let options = ExportOptions::default();
    let mut group = c.benchmark_group("export");
    group.sample_size(20);
    group.bench_function("100 clusters, 5000 streams, zip bundle", |b| {
        b.iter(|| black_box(bundle::zip(black_box(&design), &options)))
    });
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
