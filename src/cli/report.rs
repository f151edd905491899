//! Printing what validation found: text lines (`severity rule target: message`, with the file and
//! line when known) and the `--format json` document. Shared by `validate`, `import`, `export`
//! and `sandbox`.

use super::{CliError, Options};
use crate::model::validate::{Diagnostic, Severity};
use crate::model::Design;
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;

/// How a command prints its report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lines for people
    #[default]
    Text,
    /// One JSON document for programs
    Json,
}

/// One file's design (or one imported set's) and what validation found.
pub(super) struct Report {
    pub path: String,
    pub design: Design,
    pub diagnostics: Vec<Diagnostic>,
}

/// Text with control characters escaped, so that a name in a design file cannot drive the
/// terminal.
pub(super) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect(),
    )
}

pub(super) fn write_text(
    reports: &[Report],
    several: bool,
    options: Options,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut counts = [0usize; 3];
    for report in reports {
        let prefix = if several { format!("{}: ", printable(&report.path)) } else { String::new() };
        write_lines(&report.diagnostics, &report.design, &prefix, options, &mut counts, out)?;
    }
    if !reports.is_empty() {
        write_summary(counts, out)?;
    }
    Ok(())
}

/// Diagnostics as text lines, each prefixed with its `file:line` when it has a location (else
/// with `prefix`), and the summary line.
pub(super) fn write_diagnostics(
    diagnostics: &[Diagnostic],
    design: &Design,
    prefix: &str,
    options: Options,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut counts = [0usize; 3];
    write_lines(diagnostics, design, prefix, options, &mut counts, out)?;
    write_summary(counts, out)
}

fn write_lines(
    diagnostics: &[Diagnostic],
    design: &Design,
    prefix: &str,
    options: Options,
    counts: &mut [usize; 3],
    out: &mut dyn Write,
) -> Result<(), CliError> {
    for d in diagnostics {
        counts[match d.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
        let at = match &d.location {
            Some(location) => match location.line {
                Some(n) => format!("{}:{n}: ", printable(&location.file)),
                None => format!("{}: ", printable(&location.file)),
            },
            None => prefix.to_owned(),
        };
        writeln!(out, "{at}{}", line(d, design, options))?;
    }
    Ok(())
}

fn write_summary(counts: [usize; 3], out: &mut dyn Write) -> Result<(), CliError> {
    let [errors, warnings, infos] = counts;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut summary = format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
    if infos > 0 {
        summary.push_str(&format!(", {infos} info"));
    }
    writeln!(out, "{summary}")?;
    Ok(())
}

/// One diagnostic as a text line: `severity rule target: message`.
pub(super) fn line(d: &Diagnostic, design: &Design, options: Options) -> String {
    let severity = match (options.color, d.severity) {
        (false, s) => s.as_str().to_owned(),
        (true, Severity::Error) => format!("\x1b[31m{}\x1b[0m", d.severity),
        (true, Severity::Warning) => format!("\x1b[33m{}\x1b[0m", d.severity),
        (true, Severity::Info) => format!("\x1b[34m{}\x1b[0m", d.severity),
    };
    let target = d.target_name(design);
    format!("{severity} {} {}: {}", d.rule, printable(&target), printable(&d.message))
}

/// The `--format json` document: `{"diagnostics": [...]}`.
#[derive(Serialize)]
struct JsonOutput<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    /// The target's name, as in the text output.
    target: String,
    /// The label of the fix the designer offers.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    /// The line in `file`; design files have none, imported files will.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

pub(super) fn write_json(reports: &[Report], out: &mut dyn Write) -> Result<(), CliError> {
    let diagnostics = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(|d| JsonDiagnostic {
                rule: d.rule.as_str(),
                severity: d.severity.as_str(),
                message: &d.message,
                target: d.target_name(&r.design),
                fix: d.fix.as_ref().map(|f| f.label.as_str()),
                file: Some(d.location.as_ref().map_or(r.path.as_str(), |l| l.file.as_str())),
                line: d.location.as_ref().and_then(|l| l.line),
            })
        })
        .collect();
    let text = serde_json::to_string_pretty(&JsonOutput { diagnostics }).expect("diagnostics have string keys only");
    writeln!(out, "{text}")?;
    Ok(())
}
