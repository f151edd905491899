//! `nats-topology import PATH... -o DESIGN.json`: reads configuration files (folders walked
//! recursively, in sorted order) into a design file, and prints what the import found.
//!
//! The file IO around `model::import`; reading is `files`' (bounded, folders walked once).

use super::files::{self, Collected};
use super::report::{printable, write_diagnostics};
use super::{CliError, Options};
use crate::model::import::import;
use crate::model::persist;
use crate::model::validate::Severity;
use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Read configuration files into a design file
///
/// Helm values, stream JSON, nats CLI scripts, nats-server confs and rendered Kubernetes
/// manifests; folders are walked recursively. Prints what the import found.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Where to write the design file
    #[arg(short, long, value_name = "DESIGN.json")]
    out: PathBuf,
    /// Configuration files or folders
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub(super) fn run(
    args: &Args,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<ExitCode, CliError> {
    let Collected { files, mut notes, mut problems, .. } = files::collect(&args.paths);
    let mut imported = import(&files);
    problems.extend(files::named_but_skipped(&args.paths, &mut imported.notes));
    if !problems.is_empty() {
        notes.append(&mut imported.notes);
        for note in &notes {
            writeln!(err, "nats-topology: note: {}", printable(note))?;
        }
        for problem in &problems {
            writeln!(err, "nats-topology: {}", printable(problem))?;
        }
        writeln!(err, "nats-topology: nothing written")?;
        return Ok(ExitCode::from(2));
    }
    for note in notes.iter().chain(&imported.notes) {
        writeln!(err, "nats-topology: note: {}", printable(note))?;
    }
    fs::write(&args.out, persist::save(&imported.design)).map_err(CliError::write_file(&args.out))?;
    write_diagnostics(&imported.diagnostics, &imported.design, "", options, out)?;
    let clusters = imported.design.clusters().count();
    let streams = imported.design.streams().count();
    writeln!(
        err,
        "nats-topology: wrote {} ({clusters} clusters, {streams} streams)",
        printable(&files::shown(&args.out))
    )?;
    let errors = imported.diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok(ExitCode::from(u8::from(errors)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(items: &[&str]) -> Result<Args, String> {
        super::super::parse_args("import", items)
    }

    fn paths(items: &[&str]) -> Vec<PathBuf> {
        items.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn paths_and_the_output_are_parsed() {
        let args = parsed(&["a", "-o", "d.json", "b"]).expect("parses");
        assert_eq!((args.paths, args.out), (paths(&["a", "b"]), PathBuf::from("d.json")));
        let args = parsed(&["--out=d.json", "--", "-odd"]).expect("parses");
        assert_eq!(args.paths, paths(&["-odd"]));
    }

    #[test]
    fn usage_problems_are_reported() {
        for (given, message) in [
            (&["-o", "d.json"][..], "<PATH>..."),
            (&["a"][..], "--out <DESIGN.json>"),
            (&["a", "-o"][..], "a value is required for '--out <DESIGN.json>'"),
            (&["a", "--zip", "x"][..], "unexpected argument '--zip'"),
        ] {
            let error = parsed(given).expect_err("a usage problem");
            assert!(error.contains(message), "{given:?}: {error}");
        }
    }
}
