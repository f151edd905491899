//! The designer's second wasm module: what only opening a file or the export dialog needs
//! (the importers of confs, scripts, Helm values and stream JSON, the exporters, YAML) runs in a
//! Web Worker (`src/bin/io-worker.rs`), downloaded on first use, so the first load carries only
//! the editor and live validation. See ARCHITECTURE.md, "Two wasm modules".
//!
//! This file is the protocol and the worker's pure handler, compiled on the host too so its
//! tests run there. Designs cross as design files (`model::persist`), requests and responses
//! as JSON text. `client` (the page's side) and `worker` (the worker's side) are the glue.

use crate::model::export::{bundle, Chart, ExportOptions, ExportedFile};
use crate::model::import::{self, SourceFile};
use crate::model::persist;
use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod worker;

/// What the page asks of the worker.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub enum Request {
    /// Import configuration files (name, text) into a new design.
    Import { files: Vec<(String, String)> },
    /// The export bundle's files of a design (a design file's text) for a chart.
    Export { design: String, chart: ChartName },
}

/// `Chart` as the protocol spells it (the model's enum stays free of serde).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub enum ChartName {
    V1,
    V0_19,
}

impl From<Chart> for ChartName {
    fn from(chart: Chart) -> Self {
        match chart {
            Chart::V1 => ChartName::V1,
            Chart::V0_19 => ChartName::V0_19,
        }
    }
}

impl From<ChartName> for Chart {
    fn from(chart: ChartName) -> Self {
        match chart {
            ChartName::V1 => Chart::V1,
            ChartName::V0_19 => Chart::V0_19,
        }
    }
}

/// What the worker answers.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub enum Response {
    /// The imported design (a design file's text), its counts, and what the files showed (one
    /// line per diagnostic or note, `file:line severity rule: message`).
    Imported { design: String, clusters: usize, streams: usize, found: Vec<String> },
    /// The bundle's files, (path, contents), README first.
    Exported { files: Vec<(String, String)> },
    /// The request could not be served (a design file the worker could not read, a worker that
    /// did not start).
    Failed(String),
}

/// Serves one request: the whole of the worker's work, pure.
pub fn handle(request: Request) -> Response {
    match request {
        Request::Import { files } => {
            let sources: Vec<SourceFile> = files.into_iter().map(|(path, text)| SourceFile { path, text }).collect();
            let imported = import::import(&sources);
            let found = imported
                .diagnostics
                .iter()
                .map(|d| {
                    let at = d.location.as_ref().map(|l| match l.line {
                        Some(line) => format!("{}:{line} ", l.file),
                        None => format!("{} ", l.file),
                    });
                    format!("{}{} {}: {}", at.unwrap_or_default(), d.severity, d.rule, d.message)
                })
                .chain(imported.notes.iter().cloned())
                .collect();
            Response::Imported {
                design: persist::save(&imported.design),
                clusters: imported.design.clusters().count(),
                streams: imported.design.streams().count(),
                found,
            }
        }
        Request::Export { design, chart } => match persist::load(&design) {
            Ok(loaded) => Response::Exported {
                files: bundle::files(&loaded.design, &ExportOptions { chart: chart.into() })
                    .into_iter()
                    .map(|ExportedFile { path, contents }| (path, contents))
                    .collect(),
            },
            Err(e) => Response::Failed(format!("the export could not read the design: {e}")),
        },
    }
}

/// Serves one request given as JSON text, answering JSON text (the worker's entry point).
pub fn handle_json(request: &str) -> String {
    let response = match serde_json::from_str::<Request>(request) {
        Ok(request) => handle(request),
        Err(e) => Response::Failed(format!("the worker could not read the request: {e}")),
    };
    serde_json::to_string(&response).unwrap_or_else(|e| format!("{{\"Failed\":\"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::generated;

    #[test]
    fn export_through_the_protocol_gives_the_bundle_files() {
        let design = generated(3, 9);
        let options = ExportOptions { chart: Chart::V0_19 };
        let want: Vec<(String, String)> =
            bundle::files(&design, &options).into_iter().map(|f| (f.path, f.contents)).collect();
        let request =
            serde_json::to_string(&Request::Export { design: persist::save(&design), chart: ChartName::V0_19 })
                .expect("request");
        let response: Response = serde_json::from_str(&handle_json(&request)).expect("response");
        assert_eq!(response, Response::Exported { files: want });
    }

    #[test]
    fn import_through_the_protocol_gives_a_loadable_design_and_what_the_files_showed() {
        let conf = "server_name: \"$(rm -rf ~)\"\njetstream { domain: hub }\nleafnodes { port: 7422 }\nbogus_key: 1\n";
        let files = vec![("hub.conf".to_owned(), conf.to_owned())];
        let direct = import::import(&[SourceFile { path: "hub.conf".into(), text: conf.into() }]);
        let Response::Imported { design, clusters, streams, found } = handle(Request::Import { files }) else {
            panic!("not an import response")
        };
        let loaded = persist::load(&design).expect("the imported design loads");
        assert_eq!(loaded.design, direct.design);
        assert_eq!((clusters, streams), (direct.design.clusters().count(), direct.design.streams().count()));
        assert!(clusters >= 1);
        assert_eq!(found.len(), direct.diagnostics.len() + direct.notes.len());
    }

    #[test]
    fn a_request_the_worker_cannot_read_fails_with_a_reason() {
        let response: Response = serde_json::from_str(&handle_json("{\"Nope\":1}")).expect("response");
        assert!(matches!(response, Response::Failed(ref why) if why.contains("could not read the request")));
        let bad = Request::Export { design: "{}".into(), chart: ChartName::V1 };
        assert!(matches!(handle(bad), Response::Failed(ref why) if why.contains("could not read the design")));
    }
}
