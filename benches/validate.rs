//! Full validation of generated designs: 10 clusters / 100 streams and 100 clusters / 5,000
//! streams, with mirrors and sources. Targets (issue 3): at most 1 ms and 50 ms, and the 50x
//! design costing at most 70x (no worse than n log n).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use nats_topology::model::generate::generated;
use nats_topology::model::validate::validate;
use std::hint::black_box;

fn validation(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    for (clusters, streams) in [(10, 100), (100, 5_000)] {
        let design = generated(clusters, streams);
        group.bench_function(format!("{clusters} clusters, {streams} streams"), |b| {
            b.iter_batched_ref(|| (), |_| black_box(validate(black_box(&design))), BatchSize::SmallInput)
        });
    }
    group.finish();
}

criterion_group!(benches, validation);
criterion_main!(benches);
