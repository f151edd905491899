//! Golden Helm values: the example design's values files, byte for byte, for both chart
//! generations. `UPDATE_GOLDEN=1 cargo test --test golden_helm` rewrites them (and removes values
//! files the exporter no longer writes); review the diff like code.

use nats_topology::model::example::guide_corrected;
use nats_topology::model::export::{helm, Chart};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn golden_dir(chart: Chart) -> PathBuf {
    let generation = match chart {
        Chart::V0_19 => "chart-0.19",
        Chart::V1 => "chart-1",
    };
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cinemas").join(generation)
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// The `.yaml` files under `dir/helm`, as paths relative to `dir`.
fn golden_files(dir: &Path) -> BTreeSet<String> {
    let Ok(entries) = fs::read_dir(dir.join("helm")) else { return BTreeSet::new() };
    entries
        .map(|e| e.expect("golden folder entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .map(|name| format!("helm/{name}"))
        .collect()
}

fn check(chart: Chart) {
    let dir = golden_dir(chart);
    let files = helm::render(&guide_corrected(), chart);
    assert!(!files.is_empty(), "the example has clusters, so there are values files");
    let mut problems = Vec::new();
    for file in &files {
        let path = dir.join(&file.path);
        let expected = fs::read_to_string(&path).ok();
        if expected.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if updating() {
            fs::create_dir_all(path.parent().expect("golden files live in a folder")).expect("create golden folder");
            fs::write(&path, &file.contents).expect("write golden file");
            println!("rewrote {}", path.display());
        } else if expected.is_none() {
            problems.push(format!("{} is missing (run with UPDATE_GOLDEN=1 to write it)", path.display()));
        } else {
            problems.push(format!(
                "{} differs from the export (run with UPDATE_GOLDEN=1 to rewrite it, then review the diff); \
                 exported:\n{}",
                path.display(),
                file.contents
            ));
        }
    }
    let exported: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for stale in golden_files(&dir).difference(&exported) {
        let path = dir.join(stale);
        if updating() {
            fs::remove_file(&path).expect("remove stale golden file");
            println!("removed {}", path.display());
        } else {
            problems.push(format!("{} is no longer exported", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn chart_0_19_values_of_the_example_match_the_golden_files() {
    check(Chart::V0_19);
}

#[test]
fn chart_1_values_of_the_example_match_the_golden_files() {
    check(Chart::V1);
}
