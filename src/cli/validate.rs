//! `nats-topology validate`: loads design files and prints their diagnostics as text or JSON.
//!
//! A folder, or a file that is not a design file, is imported on the fly (all such paths of one
//! call together, as one set of configuration files): its diagnostics are the import's plus
//! those of the imported design, each with the file and line it is on.

use super::{import, CliError, Options};
use crate::model::import::import as import_files;
use crate::model::persist::{self, Loaded};
use crate::model::validate::{validate, Diagnostic, Severity};
use crate::model::Design;
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, PartialEq, Eq)]
struct Request {
    format: Format,
    paths: Vec<String>,
}

fn parse(args: &[String]) -> Result<Request, CliError> {
    let mut format = Format::Text;
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--" => {
                paths.extend(args.by_ref().cloned());
                break;
            }
            "--format" => match args.next() {
                Some(value) => Some(value.as_str()),
                None => return Err(CliError::Usage("validate: --format needs a value: text or json".to_owned())),
            },
            a if a.starts_with("--format=") => a.strip_prefix("--format="),
            a if a.starts_with('-') && a.len() > 1 => {
                return Err(CliError::Usage(format!("validate: unknown option '{a}'")));
            }
            _ => {
                paths.push(arg.clone());
                None
            }
        };
        if let Some(value) = value {
            format = match value {
                "text" => Format::Text,
                "json" => Format::Json,
                other => {
                    return Err(CliError::Usage(format!("validate: --format must be text or json, not '{other}'")))
                }
            };
        }
    }
    if paths.is_empty() {
        return Err(CliError::Usage("validate: no design file given".to_owned()));
    }
    Ok(Request { format, paths })
}

/// One file's design (or one imported set's) and what validation found.
struct Report {
    path: String,
    design: Design,
    diagnostics: Vec<Diagnostic>,
}

pub(super) fn run(
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<ExitCode, CliError> {
    let request = parse(args)?;
    let mut unreadable = false;
    let mut reports = Vec::new();
    let mut to_import = Vec::new();
    for path in &request.paths {
        let text = match what_is(path) {
            Named::Unreadable(message) => {
                writeln!(err, "nats-topology: {}", printable(&message))?;
                unreadable = true;
                continue;
            }
            Named::Configuration => {
                to_import.push(path.clone());
                continue;
            }
            Named::Design(text) => text,
        };
        match persist::load(&text) {
            Ok(Loaded { design, repairs }) => {
                for repair in repairs {
                    writeln!(err, "nats-topology: note: {}: repaired: {}", printable(path), printable(&repair))?;
                }
                let diagnostics = validate(&design);
                reports.push(Report { path: path.clone(), design, diagnostics });
            }
            Err(e) => {
                writeln!(err, "nats-topology: {}: {}", printable(path), printable(&e.to_string()))?;
                unreadable = true;
            }
        }
    }
    if !to_import.is_empty() {
        let import::Collected { files, mut notes, mut problems, .. } = import::collect(&to_import);
        let mut imported = import_files(&files);
        problems.extend(import::named_but_skipped(&to_import, &mut imported.notes));
        for note in notes.iter().chain(&imported.notes) {
            writeln!(err, "nats-topology: note: {}", printable(note))?;
        }
        notes.clear();
        for problem in &problems {
            writeln!(err, "nats-topology: {}", printable(problem))?;
        }
        unreadable |= !problems.is_empty();
        if !files.is_empty() {
            let diagnostics = imported.validate();
            reports.push(Report { path: to_import.join(", "), design: imported.design, diagnostics });
        }
    }
    match request.format {
        Format::Text => write_text(&reports, request.paths.len() > 1, options, out)?,
        Format::Json => write_json(&reports, out)?,
    }
    let errors = reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.severity == Severity::Error);
    Ok(ExitCode::from(match (unreadable, errors) {
        (true, _) => 2,
        (false, true) => 1,
        (false, false) => 0,
    }))
}

/// A path named on the command line.
enum Named {
    /// A design file of this tool (by its content), read.
    Design(String),
    /// A folder, or a file to import.
    Configuration,
    /// Missing, not a regular file, too large, or not text: the command exits 2.
    Unreadable(String),
}

fn what_is(path: &str) -> Named {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return Named::Unreadable(format!("cannot read {path}: {e}")),
    };
    if meta.is_dir() {
        return Named::Configuration;
    }
    match import::read_text(Path::new(path), &meta) {
        Ok(text) if text.contains("\"nats-topology\"") && text.contains("\"format\"") => Named::Design(text),
        Ok(_) => Named::Configuration,
        Err(why) => Named::Unreadable(format!("cannot read {path}: {why}")),
    }
}

/// Reads a design file: a regular file, through a bounded reader.
pub(super) fn read(path: &str) -> Result<Loaded, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let text = import::read_text(Path::new(path), &meta).map_err(|why| format!("cannot read {path}: {why}"))?;
    persist::load(&text).map_err(|e| format!("{path}: {e}"))
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

fn write_text(reports: &[Report], several: bool, options: Options, out: &mut dyn Write) -> Result<(), CliError> {
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

fn write_json(reports: &[Report], out: &mut dyn Write) -> Result<(), CliError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(args: &[&str], expected: Result<(Format, &[&str]), &str>) {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        match (parse(&args), expected) {
            (Ok(request), Ok((format, paths))) => assert_eq!(request, Request { format, paths: to_strings(paths) }),
            (Err(e), Err(message)) => assert_eq!(e.to_string(), message),
            (got, expected) => panic!("parsing {args:?}: got {got:?}, expected {expected:?}"),
        }
    }

    fn to_strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn paths_and_the_format_option_are_parsed() {
        check(&["a.json"], Ok((Format::Text, &["a.json"])));
        check(&["--format", "json", "a.json", "b.json"], Ok((Format::Json, &["a.json", "b.json"])));
        check(&["a.json", "--format=json"], Ok((Format::Json, &["a.json"])));
        check(&["--format", "text", "--", "--odd-name.json", "-"], Ok((Format::Text, &["--odd-name.json", "-"])));
    }

    #[test]
    fn usage_problems_are_reported() {
        check(&[], Err("validate: no design file given"));
        check(&["--format", "yaml", "a.json"], Err("validate: --format must be text or json, not 'yaml'"));
        check(&["a.json", "--format"], Err("validate: --format needs a value: text or json"));
        check(&["--colour", "a.json"], Err("validate: unknown option '--colour'"));
    }

    fn text_of(diagnostics: Vec<Diagnostic>, options: Options) -> String {
        let report = Report { path: "a.json".to_owned(), design: Design::new("d"), diagnostics };
        let mut out = Vec::new();
        write_text(&[report], false, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn severities_are_colored_only_when_asked() {
        use crate::model::validate::{Rule, Target};
        let diagnostics = vec![
            Diagnostic::new(Rule::ReplicasOutOfRange, Target::Design, "too many"),
            Diagnostic::new(Rule::ReplicasEven, Target::Design, "even").severity(Severity::Warning),
            Diagnostic::new(Rule::ReplicasEven, Target::Design, "fyi").severity(Severity::Info),
        ];
        assert_eq!(
            text_of(diagnostics.clone(), Options { color: true }),
            "\x1b[31merror\x1b[0m replicas-out-of-range design: too many\n\
             \x1b[33mwarning\x1b[0m replicas-even design: even\n\
             \x1b[34minfo\x1b[0m replicas-even design: fyi\n\
             1 error, 1 warning, 1 info\n"
        );
        assert_eq!(
            text_of(diagnostics, Options::default()),
            "error replicas-out-of-range design: too many\n\
             warning replicas-even design: even\n\
             info replicas-even design: fyi\n\
             1 error, 1 warning, 1 info\n"
        );
        assert_eq!(text_of(Vec::new(), Options::default()), "0 errors, 0 warnings\n");
    }

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(printable("plain $(rm -rf ~)"), "plain $(rm -rf ~)");
        assert_eq!(printable("red\u{1b}[31m\n"), "red\\u{1b}[31m\\n");
    }
}
