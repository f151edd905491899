//! Golden files: the stream JSON, the nats CLI script and the server confs of the guide's
//! corrected design, byte for byte, under `tests/golden/cinemas/`.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden_files` rewrites the files that differ (and removes
//! stale ones in the folders this test owns) and prints what it rewrote; review the diff.
//! The Helm values under `tests/golden/cinemas/chart-*/` belong to `tests/golden_helm.rs`.

use nats_topology::model::example::guide_corrected;
use nats_topology::model::export::{cli_script, server_conf, ExportedFile};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cinemas")
}

/// The files this test owns: everything under `streams/` and `server/`, and `nats-setup.sh`.
fn owned(path: &str) -> bool {
    path.starts_with("streams/") || path.starts_with("server/") || path == "nats-setup.sh"
}

fn files_under(dir: &Path, root: &Path, out: &mut BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, root, out);
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn check(files: &[ExportedFile]) {
    let root = golden_dir();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut problems = Vec::new();
    let mut rewritten = Vec::new();
    for file in files {
        assert!(owned(&file.path), "{} is not a path this test owns", file.path);
        let path = root.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(expected) if expected == file.contents => {}
            found => {
                if update {
                    fs::create_dir_all(path.parent().expect("a golden file has a folder")).expect("golden folder");
                    fs::write(&path, &file.contents).expect("golden file is writable");
                    rewritten.push(file.path.clone());
                } else if found.is_err() {
                    problems.push(format!("{} is missing", file.path));
                } else {
                    problems.push(format!("{} differs", file.path));
                }
            }
        }
    }
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut on_disk = BTreeSet::new();
    files_under(&root, &root, &mut on_disk);
    for stale in on_disk.iter().filter(|p| owned(p) && !produced.contains(p.as_str())) {
        if update {
            fs::remove_file(root.join(stale)).expect("stale golden file is removable");
            rewritten.push(format!("{stale} (removed)"));
        } else {
            problems.push(format!("{stale} is no longer exported"));
        }
    }
    for path in &rewritten {
        println!("rewrote tests/golden/cinemas/{path}");
    }
    assert!(
        problems.is_empty(),
        "golden files out of date (run `UPDATE_GOLDEN=1 cargo test --test golden_files` and review the diff):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn guide_exports_match_the_golden_files() {
    let design = guide_corrected();
    let mut files = cli_script::stream_files(&design);
    files.push(cli_script::render(&design));
    files.extend(server_conf::render(&design));
    check(&files);
}
