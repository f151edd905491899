//! The native command-line front end: argument parsing (clap) and file IO around the pure model.
//!
//! Each subcommand lives in its own module with its arguments (`Args`) and its `run`; what they
//! share is in `files` (reading what the command line names) and `report` (printing
//! diagnostics). Paths stay `PathBuf` from the command line to the file system, so a name that
//! is not UTF-8 can still be opened.
//!
//! Exit codes: 0 when nothing is wrong, 1 when a design has errors, 2 on a usage problem or a
//! file that cannot be read or written.

mod export;
mod files;
pub mod helm;
mod import;
mod report;
pub mod sandbox;
mod validate;

use crate::model::{example, persist};
use clap::{CommandFactory, Parser, Subcommand};
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thiserror::Error;

pub use report::Format;

const EXIT_STATUS: &str = "\
Exit status: 0 no errors, 1 a design has errors, 2 a usage problem or an unreadable file.";

/// Design, validate and export NATS hub/spoke topologies.
#[derive(Debug, Parser)]
// A fixed width, so that the help text is the same everywhere (the README quotes it).
#[command(name = "nats-topology", version, after_help = EXIT_STATUS, arg_required_else_help = true, term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Validate(validate::Args),
    Import(import::Args),
    Export(export::Args),
    Sandbox(sandbox::Args),
    Example(ExampleArgs),
    /// Print a shell completion script
    ///
    /// For example: `nats-topology completions bash > ~/.local/share/bash-completion/completions/nats-topology`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Print the example design file (the guide, corrected)
#[derive(Debug, clap::Args)]
struct ExampleArgs {
    /// Write the design file to FILE instead of printing it
    #[arg(long, value_name = "FILE", conflicts_with = "summary")]
    save: Option<PathBuf>,
    /// Print a summary: each cluster, its role, domain and streams
    #[arg(long)]
    summary: bool,
}

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
    #[error("cannot write {path}: {source}")]
    WriteFile { path: String, source: io::Error },
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
}

impl CliError {
    fn write_file(path: &Path) -> impl FnOnce(io::Error) -> CliError + '_ {
        move |source| CliError::WriteFile { path: path.display().to_string(), source }
    }
}

/// The command tree, for help texts and completions.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Runs the CLI with `args` (without the program name) and plain output; returns the exit code.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with(args, out, err, Options::default())
}

/// Runs the CLI with `args` (without the program name); returns the exit code.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, options: Options) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = std::iter::once(OsString::from("nats-topology")).chain(args.into_iter().map(Into::into));
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage(&e, out, err),
    };
    let result = match cli.command {
        Command::Validate(args) => validate::run(&args, out, err, options),
        Command::Import(args) => import::run(&args, out, err, options),
        Command::Export(args) => export::run(&args, out, err, options),
        Command::Sandbox(args) => sandbox::run(&args, out, err, options),
        Command::Example(args) => example(&args, out),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "nats-topology", out);
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|e| {
        let _ = writeln!(err, "nats-topology: {e}");
        ExitCode::from(2)
    })
}

/// Help and version go to `out` with status 0; a usage problem goes to `err` with status 2.
fn usage(e: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let text = e.render().to_string();
    if e.use_stderr() {
        let _ = write!(err, "{text}");
        ExitCode::from(2)
    } else {
        match write!(out, "{text}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(2),
        }
    }
}

fn example(args: &ExampleArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let design = example::guide_corrected();
    if let Some(path) = &args.save {
        std::fs::write(path, persist::save(&design)).map_err(CliError::write_file(path))?;
    } else if args.summary {
        for (id, cluster) in design.clusters() {
            let streams: Vec<_> = design.streams_in(id).map(|s| s.config.name.as_str()).collect();
            writeln!(out, "{} ({}, domain {}): {}", cluster.name, cluster.role, cluster.domain, streams.join(", "))?;
        }
    } else {
        out.write_all(persist::save(&design).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads one design file for a command: its repairs become notes on `err`; `None` (after a
/// message on `err`) when it cannot be read, which the command turns into exit status 2.
fn load_design(path: &Path, err: &mut dyn Write) -> Result<Option<crate::model::Design>, CliError> {
    match files::read_design(path) {
        Ok(persist::Loaded { design, repairs }) => {
            for repair in repairs {
                writeln!(
                    err,
                    "nats-topology: note: {}: repaired: {}",
                    report::printable(&path.display().to_string()),
                    report::printable(&repair)
                )?;
            }
            Ok(Some(design))
        }
        Err(message) => {
            writeln!(err, "nats-topology: {}", report::printable(&message))?;
            Ok(None)
        }
    }
}

/// A subcommand's arguments parsed on their own, for the subcommands' unit tests.
#[cfg(test)]
fn parse_args<A: clap::Args + std::fmt::Debug>(command: &str, items: &[&str]) -> Result<A, String> {
    #[derive(Debug, Parser)]
    struct Wrapper<A: clap::Args> {
        #[command(flatten)]
        args: A,
    }
    Wrapper::<A>::try_parse_from(std::iter::once(command).chain(items.iter().copied()))
        .map(|w| w.args)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    fn outputs(args: &[&str]) -> (ExitCode, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(args, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn help_and_version_go_to_stdout_and_usage_problems_to_stderr() {
        let (code, out, err) = outputs(&["--help"]);
        assert_eq!((code, err.as_str()), (ExitCode::SUCCESS, ""));
        assert!(out.contains("validate") && out.contains("Exit status: 0 no errors"), "{out}");
        let (code, out, _) = outputs(&["--version"]);
        assert_eq!(code, ExitCode::SUCCESS);
        assert_eq!(out, format!("nats-topology {}\n", env!("CARGO_PKG_VERSION")));
        let (code, out, err) = outputs(&["frobnicate"]);
        assert_eq!((code, out.as_str()), (ExitCode::from(2), ""));
        assert!(err.contains("unrecognized subcommand 'frobnicate'"), "{err}");
    }

    #[test]
    fn completions_are_printed_for_each_shell() {
        for (shell, marker) in
            [("bash", "complete -F"), ("zsh", "#compdef nats-topology"), ("fish", "complete -c nats-topology")]
        {
            let (code, out, _) = outputs(&["completions", shell]);
            assert_eq!(code, ExitCode::SUCCESS, "{shell}");
            assert!(out.contains(marker) && out.contains("sandbox"), "{shell}: {out}");
        }
    }
}
