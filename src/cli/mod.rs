//! The native command-line front end: argument parsing and file IO around the pure model.
//!
//! Exit codes: 0 when nothing is wrong, 1 when a design has errors, 2 on a usage problem or a
//! file that cannot be read or written.

mod export;
pub mod helm;
mod import;
pub mod sandbox;
mod validate;

use crate::model::{example, persist};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use thiserror::Error;

const USAGE: &str = "\
nats-topology: design, validate and export NATS hub/spoke topologies

Usage:
  nats-topology validate [--format text|json] PATH...
                                   check design files against the rule catalog; folders and
                                   configuration files (Helm values, stream JSON, nats CLI
                                   scripts, nats-server.conf) are imported first
  nats-topology import PATH... -o DESIGN.json
                                   read configuration files (folders walked recursively) into
                                   a design file and print what the import found
  nats-topology export DESIGN (--out DIR | --zip FILE) [--chart 0.19|1] [--force]
                                   write Helm values, stream JSON, the nats CLI script and
                                   nats-server confs (--zip: the bundle with a README);
                                   refuses a design with errors unless --force; DIR is
                                   written as a whole, replacing a previous export there
                                   (a folder with other files needs --force)
  nats-topology sandbox DESIGN [--servers-per-cluster N] [--keep] [--nats-server PATH]
                       [--format text|json] [--no-streams]
                       [--helm-chart CHART_DIR [--helm PATH]]
                                   run the design on local nats-servers (127.0.0.1, free ports),
                                   create its streams and prove every mirror and source with a
                                   message; exit 1 when a link does not deliver (--keep: leave
                                   it running and print how to reach and stop it; --no-streams:
                                   servers and accounts only, e.g. to run nats-setup.sh against;
                                   --helm-chart: run the nats.conf that `helm template` of that
                                   chart folder renders from the exported values)
  nats-topology example            print the example design file (the guide, corrected)
  nats-topology example --save FILE
                                   write the example design file to FILE
  nats-topology example --summary  print a summary of the example design
  nats-topology help               show this help
  nats-topology --version          print the version

Exit status: 0 no errors, 1 a design has errors, 2 a usage problem or an unreadable file.
";

/// How output is styled. The default is plain text, as for a pipe.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Color severities with ANSI escapes.
    pub color: bool,
}

impl Options {
    /// Color when stdout is a terminal and `NO_COLOR` is unset or empty (no-color.org).
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { color: io::stdout().is_terminal() && !no_color }
    }
}

/// Why a command could not do its work.
#[derive(Debug, Error)]
enum CliError {
    /// The command line is wrong; the usage is shown.
    #[error("{0}")]
    Usage(String),
    #[error("cannot write {path}: {source}")]
    WriteFile { path: String, source: io::Error },
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
}

/// Runs the CLI with `args` (without the program name) and plain output; returns the exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    run_with(args, out, err, Options::default())
}

/// Runs the CLI with `args` (without the program name); returns the exit code.
pub fn run_with(args: &[String], out: &mut dyn Write, err: &mut dyn Write, options: Options) -> ExitCode {
    let Some((command, rest)) = args.split_first() else {
        return help(out);
    };
    let result = match command.as_str() {
        "help" | "--help" | "-h" => return help(out),
        "--version" | "-V" => {
            writeln!(out, "nats-topology {}", env!("CARGO_PKG_VERSION")).map(|_| ExitCode::SUCCESS).map_err(Into::into)
        }
        "example" => example(rest, out),
        "validate" => validate::run(rest, out, err, options),
        "export" => export::run(rest, out, err, options),
        "import" => import::run(rest, out, err, options),
        "sandbox" => sandbox::run(rest, out, err, options),
        other => Err(CliError::Usage(format!("unknown command '{other}'"))),
    };
    result.unwrap_or_else(|e| {
        let _ = match &e {
            CliError::Usage(_) => write!(err, "nats-topology: {e}\n\n{USAGE}"),
            _ => writeln!(err, "nats-topology: {e}"),
        };
        ExitCode::from(2)
    })
}

fn help(out: &mut dyn Write) -> ExitCode {
    match write!(out, "{USAGE}") {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

fn example(args: &[String], out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let design = example::guide_corrected();
    match args {
        [] => out.write_all(persist::save(&design).as_bytes())?,
        [flag, path] if flag == "--save" => std::fs::write(path, persist::save(&design))
            .map_err(|source| CliError::WriteFile { path: path.clone(), source })?,
        [flag] if flag == "--summary" => {
            for (id, cluster) in design.clusters() {
                let streams: Vec<_> = design.streams_in(id).map(|s| s.config.name.as_str()).collect();
                writeln!(
                    out,
                    "{} ({}, domain {}): {}",
                    cluster.name,
                    cluster.role,
                    cluster.domain,
                    streams.join(", ")
                )?;
            }
        }
        _ => return Err(CliError::Usage(format!("example: unexpected arguments '{}'", args.join(" ")))),
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads one design file for a command: its repairs become notes on `err`; `None` (after a
/// message on `err`) when it cannot be read, which the command turns into exit status 2.
fn load_design(path: &str, err: &mut dyn Write) -> Result<Option<crate::model::Design>, CliError> {
    match validate::read(path) {
        Ok(persist::Loaded { design, repairs }) => {
            for repair in repairs {
                writeln!(
                    err,
                    "nats-topology: note: {}: repaired: {}",
                    validate::printable(path),
                    validate::printable(&repair)
                )?;
            }
            Ok(Some(design))
        }
        Err(message) => {
            writeln!(err, "nats-topology: {}", validate::printable(&message))?;
            Ok(None)
        }
    }
}
