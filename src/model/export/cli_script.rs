//! The stream JSON files and the nats CLI script that creates them, origins first.

use super::ExportedFile;
use crate::model::Design;

/// `streams/<cluster>.<stream>.json` for every stream, as `nats stream add --config` reads it.
pub fn stream_files(design: &Design) -> Vec<ExportedFile> {
    let _ = design;
    Vec::new()
}

/// `nats-setup.sh`: creates a context on the hub and every stream in its domain.
pub fn render(design: &Design) -> ExportedFile {
    let _ = design;
    ExportedFile { path: "nats-setup.sh".into(), contents: String::new() }
}
