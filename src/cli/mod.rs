//! The native command-line front end: argument parsing and file IO around the pure model.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
nats-topology: design, validate and export NATS hub/spoke topologies

Usage:
  nats-topology example            print a summary of the example design (the guide, corrected)
  nats-topology help               show this help
  nats-topology --version          print the version
";

/// Runs the CLI with `args` (without the program name); returns the process exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => write!(out, "{USAGE}").map(|_| ExitCode::SUCCESS),
        Some("--version" | "-V") => {
            writeln!(out, "nats-topology {}", env!("CARGO_PKG_VERSION")).map(|_| ExitCode::SUCCESS)
        }
        Some("example") => example(out).map(|_| ExitCode::SUCCESS),
        Some(other) => {
            let _ = write!(err, "nats-topology: unknown command '{other}'\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    result.unwrap_or_else(|e| {
        let _ = writeln!(err, "nats-topology: {e}");
        ExitCode::from(2)
    })
}

fn example(out: &mut dyn Write) -> std::io::Result<()> {
    let design = crate::model::example::guide_corrected();
    for (id, cluster) in design.clusters() {
        let streams: Vec<_> = design.streams_in(id).map(|s| s.config.name.as_str()).collect();
        writeln!(out, "{} ({}, domain {}): {}", cluster.name, cluster.role, cluster.domain, streams.join(", "))?;
    }
    Ok(())
}
