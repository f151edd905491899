//! Arbitrary bytes into every entry point that reads user input (issue 20): the design-file
//! loader, the share-link decoder, the importers (conf, Helm values, script) and the export
//! round trip. None may panic, and each input must be handled in bounded time and memory.
//!
//! The same entry points are fuzzed for longer by `make fuzz` (`fuzz/`); these properties keep
//! a short version of that in `cargo test`, seeded from the same files. They run in one test, in
//! their own test binary, so that the allocator's high-water mark belongs to one call at a time.

use nats_topology::model::export::{export, Chart, ExportOptions};
use nats_topology::model::import::{import, SourceFile};
use nats_topology::model::persist::load;
use nats_topology::model::share::decode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts the bytes allocated now and their high-water mark.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// While a call runs: the allocation total above which the allocator refuses (the process then
/// aborts with "memory allocation failed" rather than taking the machine's memory).
static CEILING: AtomicUsize = AtomicUsize::new(usize::MAX);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if NOW.load(Ordering::Relaxed).saturating_add(layout.size()) > CEILING.load(Ordering::Relaxed) {
            return std::ptr::null_mut();
        }
        let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Per input of at most a few kilobytes (debug build, shared machine).
const TIME: Duration = Duration::from_secs(5);
const MEMORY: usize = 64 * 1024 * 1024;

/// Runs `f` on `input`, failing when it takes longer than `TIME` or its allocations peak more
/// than `MEMORY` above what was allocated before. A call that runs away is stopped: allocations
/// past 16 times `MEMORY` abort the process, and so does a watchdog after 12 times `TIME`,
/// printing the input.
fn bounded(what: &str, input: &[u8], f: impl FnOnce(&[u8])) -> Result<(), TestCaseError> {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let (finished, watched) = std::sync::mpsc::channel::<()>();
    let shown = format!("{what}: {:?}", String::from_utf8_lossy(input));
    let watchdog = std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = watched.recv_timeout(12 * TIME) {
            eprintln!("still running after {:?}: {shown}", 12 * TIME);
            std::process::abort();
        }
    });
    CEILING.store(before.saturating_add(16 * MEMORY), Ordering::Relaxed);
    let started = Instant::now();
    f(input);
    CEILING.store(usize::MAX, Ordering::Relaxed);
    drop(finished);
    watchdog.join().expect("the watchdog ends when the call does");
    let (took, peak) = (started.elapsed(), PEAK.load(Ordering::Relaxed).saturating_sub(before));
    prop_assert!(took < TIME, "{what}: {took:?} for {} bytes", input.len());
    prop_assert!(peak < MEMORY, "{what}: {peak} bytes allocated at the peak for {} bytes", input.len());
    Ok(())
}

const SEEDS: [&[u8]; 8] = [
    include_bytes!("../fuzz/seeds/design_file/example.json"),
    include_bytes!("../fuzz/seeds/share_link/fragment"),
    include_bytes!("../fuzz/seeds/share_link/raw-deflate"),
    include_bytes!("../fuzz/seeds/conf/spoke.conf"),
    include_bytes!("../fuzz/seeds/helm_values/chart-1-spoke.yaml"),
    include_bytes!("../fuzz/seeds/helm_values/chart-0.19-hub.yaml"),
    include_bytes!("../fuzz/seeds/helm_values/guide-spoke.yaml"),
    include_bytes!("../fuzz/seeds/script/export.sh"),
];

/// Random bytes, or a seed with random bytes written over a random stretch, cut short, or
/// repeated (nesting, aliases, long names).
fn input() -> impl Strategy<Value = Vec<u8>> {
    let seed = (0..SEEDS.len(), any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 0..64), 0u8..4);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        seed.prop_map(|(which, at, bytes, how)| {
            let seed = SEEDS[which];
            let at = at.index(seed.len() + 1);
            match how {
                0 => [&seed[..at], &bytes, &seed[(at + bytes.len()).min(seed.len())..]].concat(),
                1 => [&seed[..at], &bytes, &seed[at..]].concat(),
                2 => seed[..at].to_vec(),
                _ => [&seed[..at], &bytes.repeat(64)[..], &seed[at..]].concat(),
            }
        }),
    ]
}

fn import_as(name: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let imported = import(&[SourceFile::new(name, text)]);
    let _ = imported.validate();
}

#[test]
fn arbitrary_bytes_never_panic_and_stay_within_time_and_memory() {
    // The bounds themselves catch a runaway (checked here, not in a second test: the counters are
    // global, and tests run in parallel).
    let runaway = bounded("runaway", b"", |_| drop(std::hint::black_box(vec![1u8; 2 * MEMORY])));
    assert!(runaway.is_err(), "the memory bound catches {} bytes", 2 * MEMORY);
    let mut runner = TestRunner::new(Config { cases: 1024, failure_persistence: None, ..Config::default() });
    let result = runner.run(&input(), |bytes| {
        bounded("design file", &bytes, |b| {
            if let Ok(loaded) = load(&String::from_utf8_lossy(b)) {
                // The export round trip of whatever loads.
                for chart in [Chart::V0_19, Chart::V1] {
                    let files: Vec<SourceFile> = export(&loaded.design, &ExportOptions { chart })
                        .into_iter()
                        .map(|f| SourceFile::new(f.path, f.contents))
                        .collect();
                    let _ = import(&files).validate();
                }
            }
        })?;
        bounded("share link", &bytes, |b| {
            let _ = decode(&String::from_utf8_lossy(b));
        })?;
        bounded("share link payload", &bytes, |b| {
            let fragment: String = b
                .iter()
                .map(|&c| {
                    char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[usize::from(c % 64)])
                })
                .collect();
            let _ = decode(&format!("#design={fragment}"));
        })?;
        bounded("conf", &bytes, |b| import_as("nats.conf", b))?;
        bounded("Helm values", &bytes, |b| import_as("values.yaml", b))?;
        bounded("script", &bytes, |b| import_as("setup.sh", b))?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
