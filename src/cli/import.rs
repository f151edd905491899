//! `nats-topology import PATH... -o DESIGN.json`: reads configuration files (folders walked
//! recursively, in sorted order) into a design file, and prints what the import found.
//!
//! The file IO around `model::import`. Every read is bounded (10 MB), whatever size the file
//! reports. A path named on the command line that cannot be read as a configuration (missing,
//! not a regular file, too large, not text, or a file the importer does not recognize) is a
//! problem: exit 2. In a folder, what is clearly not configuration is skipped with a note (other
//! files, devices, FIFOs, sockets, hidden folders such as `.git`), but a `.json`, `.yaml`,
//! `.conf` or `.sh` that cannot be read is a problem. Each real folder is walked once (by its
//! canonical path), so symbolic links back into a folder end with a note, not an explosion.

use super::validate::{printable, write_diagnostics};
use super::{CliError, Options};
use crate::model::import::{import, SourceFile, MAX_FILE_SIZE};
use crate::model::persist;
use crate::model::validate::Severity;
use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Folders deeper than this are not walked.
const MAX_DEPTH: usize = 32;

/// Extensions of the files the importer reads: in a folder, such a file that cannot be read is
/// a problem, not a skip.
const CONFIG_EXTENSIONS: [&str; 6] = ["json", "yaml", "yml", "conf", "sh", "bash"];

/// What reading the paths gave.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub files: Vec<SourceFile>,
    /// What was skipped, one sentence each.
    pub notes: Vec<String>,
    /// Paths that cannot be read, one message each; the command exits 2.
    pub problems: Vec<String>,
    /// Real folders already walked, and real files already read.
    walked: BTreeSet<PathBuf>,
    read: BTreeSet<PathBuf>,
}

/// The files under `paths`, read: folders walked recursively in sorted order.
pub(super) fn collect(paths: &[String]) -> Collected {
    let mut collected = Collected::default();
    for path in paths {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                collected.problems.push(format!("cannot read {path}: {e}"));
                continue;
            }
        };
        if meta.is_dir() {
            walk(Path::new(path), 0, &mut collected);
            continue;
        }
        if let Some(real) = first_read(Path::new(path), &mut collected) {
            match read_text(Path::new(path), &meta) {
                Ok(text) => collected.files.push(SourceFile::new(path, text)),
                Err(why) => collected.problems.push(format!("cannot read {path}: {why}")),
            }
            collected.read.insert(real);
        }
    }
    collected
}

/// The command-line files that the importer skipped (it did not recognize them as
/// configuration): each is a problem, and its note is taken out of `notes`.
pub(super) fn named_but_skipped(paths: &[String], notes: &mut Vec<String>) -> Vec<String> {
    let mut problems = Vec::new();
    for path in paths {
        // `model::import` notes a file it skips as "<path>: skipped: <why>".
        let prefix = format!("{path}: skipped: ");
        if let Some(at) = notes.iter().position(|n| n.starts_with(&prefix)) {
            let note = notes.remove(at);
            let why = &note[prefix.len()..];
            problems.push(format!("{path}: cannot be read as a design or configuration: {why}"));
        }
    }
    problems
}

/// The canonical path of a file that has not been read yet; `None` (with a note) when the same
/// file was already read through another path.
fn first_read(path: &Path, collected: &mut Collected) -> Option<PathBuf> {
    let real = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    if collected.read.contains(&real) {
        collected.notes.push(format!("{}: skipped: the same file as one already read", path.display()));
        return None;
    }
    Some(real)
}

fn walk(dir: &Path, depth: usize, collected: &mut Collected) {
    if depth > MAX_DEPTH {
        collected.notes.push(format!("{}: folders nested too deeply; not walked", dir.display()));
        return;
    }
    let real = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    if !collected.walked.insert(real.clone()) {
        collected.notes.push(format!(
            "{}: skipped: the folder {} was already walked (a link back into it)",
            dir.display(),
            real.display()
        ));
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            collected.notes.push(format!("{}: cannot read the folder: {e}", dir.display()));
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        let shown = path.to_string_lossy().into_owned();
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                collected.notes.push(format!("{shown}: skipped: cannot read it ({e})"));
                continue;
            }
        };
        if meta.is_dir() {
            if !hidden {
                walk(&path, depth + 1, collected);
            }
            continue;
        }
        if !meta.is_file() {
            collected.notes.push(format!("{shown}: skipped: not a regular file (a device, FIFO or socket)"));
            continue;
        }
        let Some(real) = first_read(&path, collected) else { continue };
        collected.read.insert(real);
        match read_text(&path, &meta) {
            Ok(text) => collected.files.push(SourceFile::new(shown, text)),
            Err(why) if is_config_name(&path) => collected.problems.push(format!("cannot read {shown}: {why}")),
            Err(why) => collected.notes.push(format!("{shown}: skipped: {why}")),
        }
    }
}

fn is_config_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CONFIG_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A regular file's text, read through a bounded reader: the size a file reports is not
/// trusted (`/proc` files report 0, a file may grow while it is read).
pub(super) fn read_text(path: &Path, meta: &fs::Metadata) -> Result<String, String> {
    if !meta.is_file() {
        return Err("not a regular file (a device, FIFO or socket)".to_owned());
    }
    let file = fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    let limit = MAX_FILE_SIZE as u64 + 1;
    file.take(limit).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() > MAX_FILE_SIZE {
        return Err(format!("larger than {} MB", MAX_FILE_SIZE / (1024 * 1024)));
    }
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => Ok(text),
        Ok(_) => Err("binary (NUL bytes), not a text file".to_owned()),
        Err(e) => Err(format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to())),
    }
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
    let Collected { files, mut notes, mut problems, .. } = collect(&request.paths);
    let mut imported = import(&files);
    problems.extend(named_but_skipped(&request.paths, &mut imported.notes));
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
