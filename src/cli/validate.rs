//! `nats-topology validate`: loads design files and prints their diagnostics as text or JSON.
//!
//! A folder, or a file that is not a design file, is imported on the fly (all such paths of one
//! call together, as one set of configuration files): its diagnostics are the import's plus
//! those of the imported design, each with the file and line it is on.

use super::files::{self, Named};
use super::report::{printable, write_json, write_text, Format, Report};
use super::{CliError, Options};
use crate::model::import::import as import_files;
use crate::model::persist::{self, Loaded};
use crate::model::validate::{validate, Severity};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Check design files against the rule catalog
///
/// Folders and configuration files (Helm values, stream JSON, nats CLI scripts, nats-server
/// confs, rendered Kubernetes manifests) are imported first, all of them together as one
/// deployment.
#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// How to print the diagnostics
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Design files, configuration files or folders
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub(super) fn run(
    args: &Args,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<ExitCode, CliError> {
    let mut unreadable = false;
    let mut reports = Vec::new();
    let mut to_import = Vec::new();
    for path in &args.paths {
        let text = match files::what_is(path) {
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
        let name = files::shown(path);
        match persist::load(&text) {
            Ok(Loaded { design, repairs }) => {
                for repair in repairs {
                    writeln!(err, "nats-topology: note: {}: repaired: {}", printable(&name), printable(&repair))?;
                }
                let diagnostics = validate(&design);
                reports.push(Report { path: name, design, diagnostics });
            }
            Err(e) => {
                writeln!(err, "nats-topology: {}: {}", printable(&name), printable(&e.to_string()))?;
                unreadable = true;
            }
        }
    }
    if !to_import.is_empty() {
        let files::Collected { files, mut notes, mut problems, .. } = files::collect(&to_import);
        let mut imported = import_files(&files);
        problems.extend(files::named_but_skipped(&to_import, &mut imported.notes));
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
            let path = to_import.iter().map(|p| files::shown(p)).collect::<Vec<_>>().join(", ");
            reports.push(Report { path, design: imported.design, diagnostics });
        }
    }
    match args.format {
        Format::Text => write_text(&reports, args.paths.len() > 1, options, out)?,
        Format::Json => write_json(&reports, out)?,
    }
    let errors = reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.severity == Severity::Error);
    Ok(ExitCode::from(match (unreadable, errors) {
        (true, _) => 2,
        (false, true) => 1,
        (false, false) => 0,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::report::{printable, write_text, Report};
    use super::*;
    use crate::model::validate::Diagnostic;
    use crate::model::Design;

    fn parsed(items: &[&str]) -> Result<(Format, Vec<PathBuf>), String> {
        super::super::parse_args::<Args>("validate", items).map(|args| (args.format, args.paths))
    }

    fn paths(items: &[&str]) -> Vec<PathBuf> {
        items.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn paths_and_the_format_option_are_parsed() {
        assert_eq!(parsed(&["a.json"]), Ok((Format::Text, paths(&["a.json"]))));
        assert_eq!(parsed(&["--format", "json", "a.json", "b.json"]), Ok((Format::Json, paths(&["a.json", "b.json"]))));
        assert_eq!(parsed(&["a.json", "--format=json"]), Ok((Format::Json, paths(&["a.json"]))));
        assert_eq!(
            parsed(&["--format", "text", "--", "--odd-name.json", "-"]),
            Ok((Format::Text, paths(&["--odd-name.json", "-"])))
        );
    }

    #[test]
    fn usage_problems_are_reported() {
        for (given, message) in [
            (&[][..], "the following required arguments were not provided"),
            (&["--format", "yaml", "a.json"][..], "invalid value 'yaml' for '--format <FORMAT>'"),
            (&["a.json", "--format"][..], "a value is required for '--format <FORMAT>'"),
            (&["--colour", "a.json"][..], "unexpected argument '--colour'"),
        ] {
            let error = parsed(given).expect_err("a usage problem");
            assert!(error.contains(message), "{given:?}: {error}");
        }
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
