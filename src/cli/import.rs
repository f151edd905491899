//! `nats-topology import PATH... -o DESIGN.json`: reads configuration files (folders walked
//! recursively, in sorted order) into a design file, and prints what the import found.
//!
//! The file IO around `model::import`: files over 10 MB and binary files are skipped with a
//! note, hidden folders (`.git`) are not walked.

use super::validate::{printable, write_diagnostics};
use super::{CliError, Options};
use crate::model::import::{import, SourceFile, MAX_FILE_SIZE};
use crate::model::persist;
use crate::model::validate::Severity;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Folders deeper than this are not walked (a symbolic link loop ends here).
const MAX_DEPTH: usize = 32;

/// The files under `paths`, read: folders walked recursively in sorted order. Skipped files
/// become notes; a path that cannot be read at all is an error message.
pub(super) fn collect(paths: &[String], notes: &mut Vec<String>) -> Result<Vec<SourceFile>, String> {
    let mut files = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        if meta.is_dir() {
            walk(Path::new(path), 0, &mut files, notes);
        } else {
            read_file(path, meta.len(), &mut files, notes).map_err(|e| format!("cannot read {path}: {e}"))?;
        }
    }
    Ok(files)
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<SourceFile>, notes: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        notes.push(format!("{}: folders nested too deeply; not walked", dir.display()));
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            notes.push(format!("{}: cannot read the folder: {e}", dir.display()));
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        let Ok(meta) = fs::metadata(&path) else {
            notes.push(format!("{}: cannot read it; skipped", path.display()));
            continue;
        };
        let shown = path.to_string_lossy().into_owned();
        if meta.is_dir() {
            if !hidden {
                walk(&path, depth + 1, files, notes);
            }
        } else if let Err(e) = read_file(&shown, meta.len(), files, notes) {
            notes.push(format!("{shown}: cannot read it ({e}); skipped"));
        }
    }
}

fn read_file(path: &str, size: u64, files: &mut Vec<SourceFile>, notes: &mut Vec<String>) -> std::io::Result<()> {
    if size > MAX_FILE_SIZE as u64 {
        notes.push(format!("{path}: skipped: larger than {} MB", MAX_FILE_SIZE / (1024 * 1024)));
        return Ok(());
    }
    let bytes = fs::read(path)?;
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => files.push(SourceFile::new(path, text)),
        _ => notes.push(format!("{path}: skipped: binary (not UTF-8 text)")),
    }
    Ok(())
}

struct Request {
    paths: Vec<String>,
    out: String,
}

fn parse(args: &[String]) -> Result<Request, CliError> {
    let mut paths = Vec::new();
    let mut out = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--" => {
                paths.extend(args.by_ref().cloned());
                break;
            }
            "-o" | "--out" => match args.next() {
                Some(value) => out = Some(value.clone()),
                None => return Err(CliError::Usage(format!("import: {arg} needs a file name"))),
            },
            a if a.starts_with("--out=") => out = a.strip_prefix("--out=").map(str::to_owned),
            a if a.starts_with('-') && a.len() > 1 => {
                return Err(CliError::Usage(format!("import: unknown option '{a}'")));
            }
            _ => paths.push(arg.clone()),
        }
    }
    if paths.is_empty() {
        return Err(CliError::Usage("import: no file or folder given".to_owned()));
    }
    let Some(out) = out else {
        return Err(CliError::Usage("import: say where to write the design with -o DESIGN.json".to_owned()));
    };
    Ok(Request { paths, out })
}

pub(super) fn run(
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<ExitCode, CliError> {
    let request = parse(args)?;
    let mut notes = Vec::new();
    let files = match collect(&request.paths, &mut notes) {
        Ok(files) => files,
        Err(message) => {
            writeln!(err, "nats-topology: {}", printable(&message))?;
            return Ok(ExitCode::from(2));
        }
    };
    let imported = import(&files);
    for note in notes.iter().chain(&imported.notes) {
        writeln!(err, "nats-topology: note: {}", printable(note))?;
    }
    fs::write(&request.out, persist::save(&imported.design))
        .map_err(|source| CliError::WriteFile { path: request.out.clone(), source })?;
    write_diagnostics(&imported.diagnostics, &imported.design, "", options, out)?;
    let clusters = imported.design.clusters().count();
    let streams = imported.design.streams().count();
    writeln!(err, "nats-topology: wrote {} ({clusters} clusters, {streams} streams)", printable(&request.out))?;
    let errors = imported.diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok(ExitCode::from(u8::from(errors)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(items: &[&str]) -> Vec<String> {
        items.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn paths_and_the_output_are_parsed() {
        let request = parse(&args(&["a", "-o", "d.json", "b"])).expect("parses");
        assert_eq!((request.paths, request.out), (args(&["a", "b"]), "d.json".to_owned()));
        let request = parse(&args(&["--out=d.json", "--", "-odd"])).expect("parses");
        assert_eq!(request.paths, args(&["-odd"]));
    }

    #[test]
    fn usage_problems_are_reported() {
        for (given, message) in [
            (&["-o", "d.json"][..], "import: no file or folder given"),
            (&["a"][..], "import: say where to write the design with -o DESIGN.json"),
            (&["a", "-o"][..], "import: -o needs a file name"),
            (&["a", "--zip", "x"][..], "import: unknown option '--zip'"),
        ] {
            let error = parse(&args(given)).err().map(|e| e.to_string());
            assert_eq!(error.as_deref(), Some(message), "{given:?}");
        }
    }
}
