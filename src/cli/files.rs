//! Reading what the command line names: design files, configuration files and folders.
//!
//! Every read is bounded (10 MB), whatever size the file reports. A path named on the command
//! line that cannot be read as a configuration (missing, not a regular file, too large, not
//! text, or a file the importer does not recognize) is a problem: exit 2. In a folder, what is
//! clearly not configuration is skipped with a note (other files, devices, FIFOs, sockets,
//! hidden folders such as `.git`), but a `.json`, `.yaml`, `.conf` or `.sh` that cannot be read
//! is a problem. Each real folder is walked once (by its canonical path), so symbolic links back
//! into a folder end with a note, not an explosion.

use crate::model::import::{SourceFile, MAX_FILE_SIZE};
use crate::model::persist::{self, Loaded};
use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// How a path is shown in messages and names its file in diagnostics.
pub(super) fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// The files under `paths`, read: folders walked recursively in sorted order.
pub(super) fn collect(paths: &[PathBuf]) -> Collected {
    let mut collected = Collected::default();
    for path in paths {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                collected.problems.push(format!("cannot read {}: {e}", shown(path)));
                continue;
            }
        };
        if meta.is_dir() {
            walk(path, 0, &mut collected);
            continue;
        }
        if let Some(real) = first_read(path, &mut collected) {
            match read_text(path, &meta) {
                Ok(text) => collected.files.push(SourceFile::new(shown(path), text)),
                Err(why) => collected.problems.push(format!("cannot read {}: {why}", shown(path))),
            }
            collected.read.insert(real);
        }
    }
    collected
}

/// The command-line files that the importer skipped (it did not recognize them as
/// configuration): each is a problem, and its note is taken out of `notes`.
pub(super) fn named_but_skipped(paths: &[PathBuf], notes: &mut Vec<String>) -> Vec<String> {
    let mut problems = Vec::new();
    for path in paths {
        // `model::import` notes a file it skips as "<path>: skipped: <why>".
        let prefix = format!("{}: skipped: ", shown(path));
        if let Some(at) = notes.iter().position(|n| n.starts_with(&prefix)) {
            let note = notes.remove(at);
            let why = &note[prefix.len()..];
            problems.push(format!("{}: cannot be read as a design or configuration: {why}", shown(path)));
        }
    }
    problems
}

/// The canonical path of a file that has not been read yet; `None` (with a note) when the same
/// file was already read through another path.
fn first_read(path: &Path, collected: &mut Collected) -> Option<PathBuf> {
    let real = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    if collected.read.contains(&real) {
        collected.notes.push(format!("{}: skipped: the same file as one already read", shown(path)));
        return None;
    }
    Some(real)
}

fn walk(dir: &Path, depth: usize, collected: &mut Collected) {
    if depth > MAX_DEPTH {
        collected.notes.push(format!("{}: folders nested too deeply; not walked", shown(dir)));
        return;
    }
    let real = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    if !collected.walked.insert(real.clone()) {
        collected.notes.push(format!(
            "{}: skipped: the folder {} was already walked (a link back into it)",
            shown(dir),
            real.display()
        ));
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            collected.notes.push(format!("{}: cannot read the folder: {e}", shown(dir)));
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        let name = shown(&path);
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                collected.notes.push(format!("{name}: skipped: cannot read it ({e})"));
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
            collected.notes.push(format!("{name}: skipped: not a regular file (a device, FIFO or socket)"));
            continue;
        }
        let Some(real) = first_read(&path, collected) else { continue };
        collected.read.insert(real);
        match read_text(&path, &meta) {
            Ok(text) => collected.files.push(SourceFile::new(name, text)),
            Err(why) if is_config_name(&path) => collected.problems.push(format!("cannot read {name}: {why}")),
            Err(why) => collected.notes.push(format!("{name}: skipped: {why}")),
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

/// A path named on the command line.
pub(super) enum Named {
    /// A design file of this tool (by its content), read.
    Design(String),
    /// A folder, or a file to import.
    Configuration,
    /// Missing, not a regular file, too large, or not text: the command exits 2.
    Unreadable(String),
}

pub(super) fn what_is(path: &Path) -> Named {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return Named::Unreadable(format!("cannot read {}: {e}", shown(path))),
    };
    if meta.is_dir() {
        return Named::Configuration;
    }
    match read_text(path, &meta) {
        Ok(text) if text.contains("\"nats-topology\"") && text.contains("\"format\"") => Named::Design(text),
        Ok(_) => Named::Configuration,
        Err(why) => Named::Unreadable(format!("cannot read {}: {why}", shown(path))),
    }
}

/// Reads a design file: a regular file, through a bounded reader.
pub(super) fn read_design(path: &Path) -> Result<Loaded, String> {
    let name = shown(path);
    let meta = fs::metadata(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let text = read_text(path, &meta).map_err(|why| format!("cannot read {name}: {why}"))?;
    persist::load(&text).map_err(|e| format!("{name}: {e}"))
}
