//! Full validation of generated designs: 10 clusters / 100 streams and 100 clusters / 5,000
//! streams, with mirrors and sources. Targets (issue 3): at most 1 ms and 50 ms, and the 50x
//! design costing at most 70x (no worse than n log n). Each group of rules is also timed on its
//! own (`validate/<group>/...`), to show where the time goes; with the sort, they add up to the
//! full validation.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use nats_topology::model::diff::{self, Snapshot};
use nats_topology::model::generate::generated;
use nats_topology::model::validate::{sort, validate, Incremental, FAMILIES};
use nats_topology::model::Design;
use std::hint::black_box;

fn validation(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    for (clusters, streams) in [(10, 100), (50, 1_000), (100, 5_000)] {
        let design = generated(clusters, streams);
        let size = format!("{clusters} clusters, {streams} streams");
        group.bench_function(size.clone(), |b| {
            b.iter_batched_ref(|| (), |_| black_box(validate(black_box(&design))), BatchSize::SmallInput)
        });
        let mut unsorted = Vec::new();
        for (_, check) in FAMILIES {
            check(&design, &mut unsorted);
        }
        println!("{size}: {} diagnostics", unsorted.len());
        group.bench_function(format!("sort/{size}"), |b| {
            b.iter_batched(|| unsorted.clone(), |mut all| sort(black_box(&mut all)), BatchSize::LargeInput)
        });
        // One edit (a stream's replicas, as scripts/problems-bench.mjs makes on the first stream
        // drawn, a hub stream that sources many), then what the designer does with it: find
        // what changed, validate again.
        let mut edited = design.clone();
        let stream = edited.streams().find(|s| !s.config.sources.is_empty()).map(|s| s.id).expect("a hub stream");
        let (mut cache, _) = Incremental::new(&edited);
        let mut snapshot = Snapshot::of(&edited);
        let mut flip = false;
        let mut edit = move |d: &mut Design| {
            flip = !flip;
            d.stream_mut(stream).expect("listed").config.num_replicas = if flip { 7 } else { 3 };
        };
        group.bench_function(format!("edit, snapshot and incremental/{size}"), |b| {
            b.iter(|| {
                edit(&mut edited);
                let edits = snapshot.update(&edited);
                black_box(cache.update(&edited, &edits))
            })
        });
        group.bench_function(format!("edit, copy and diff (before)/{size}"), |b| {
            b.iter(|| {
                let before = edited.clone();
                edit(&mut edited);
                black_box(diff::changed(&before, &edited))
            })
        });
        for (name, check) in FAMILIES {
            group.bench_function(format!("{name}/{size}"), |b| {
                b.iter_batched_ref(
                    Vec::new,
                    |out| {
                        out.clear();
                        check(black_box(&design), out);
                        black_box(out.len())
                    },
                    BatchSize::SmallInput,
                )
            });
        }
    }
    group.finish();
}

criterion_group!(benches, validation);
criterion_main!(benches);
