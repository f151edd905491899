//! `nats-topology export`: writes a design's files to a folder and/or the bundle to a ZIP file.
//!
//! An export is written as a whole or not at all: the files go to a staging folder beside the
//! destination, which then takes the destination's place; the ZIP is written beside its name and
//! renamed. The folder gets a manifest ([`MANIFEST`]) listing what the export wrote, so that the
//! next export into it replaces exactly that. A folder holding anything else is refused unless
//! `--force`, which then removes the previous export's files and writes beside the others.

use super::report::{line, printable};
use super::{CliError, Options};
use crate::model::export::{bundle, Chart, ExportOptions, ExportedFile};
use crate::model::validate::{validate, Severity};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write Helm values, stream JSON, the nats CLI script and nats-server confs
///
/// Refuses a design with errors unless --force. DIR is written as a whole, replacing a previous
/// export there (a folder holding other files needs --force); --zip writes the bundle with a
/// README.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("destination").required(true).multiple(true).args(["out", "zip"]))]
pub(super) struct Args {
    /// The design file
    #[arg(value_name = "DESIGN")]
    design: PathBuf,
    /// Write the files into this folder
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write the bundle (the files and a README) to this ZIP file
    #[arg(long, value_name = "FILE")]
    zip: Option<PathBuf>,
    /// Which generation of the NATS Helm chart the values are for
    #[arg(long, value_enum, default_value = "1")]
    chart: ChartArg,
    /// Export a design with errors, or write beside files no export of this tool wrote
    #[arg(long)]
    force: bool,
}

/// `--chart`: the chart generations, as their users name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ChartArg {
    /// nats chart 0.19.x (the guide's)
    #[value(name = "0.19")]
    V0_19,
    /// nats chart 1.x and 2.x
    #[value(name = "1", alias = "2")]
    V1,
}

impl From<ChartArg> for Chart {
    fn from(chart: ChartArg) -> Chart {
        match chart {
            ChartArg::V0_19 => Chart::V0_19,
            ChartArg::V1 => Chart::V1,
        }
    }
}

/// The file in an export folder that lists the files the export wrote, one relative path a line.
pub(super) const MANIFEST: &str = ".nats-topology-export";

const MANIFEST_HEADER: &str =
    "# Files written by nats-topology export; the next export into this folder replaces them.";

fn write(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(CliError::write_file(path))?;
    }
    fs::write(path, contents).map_err(CliError::write_file(path))
}

/// `dir`'s sibling `.<name>.<what>-<pid>`: on the same file system, so a rename moves it.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{what}-{}", std::process::id()))
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
fn files_under(dir: &Path) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(dir.join(&folder))? {
            let entry = entry?;
            let relative = folder.join(entry.file_name());
            // Not followed: a link is a file here, never a way out of the folder.
            if entry.file_type()?.is_dir() {
                folders.push(relative);
            } else {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// What an existing destination folder holds.
enum Destination {
    /// Nothing there yet.
    Missing,
    /// Empty, or only a previous export's files (listed by its manifest).
    Replaceable,
    /// Files no export of this tool wrote, or nothing readable: the first few named.
    Foreign { examples: Vec<String>, previous: Vec<String> },
}

fn destination(dir: &Path) -> Result<Destination, CliError> {
    let meta = match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Destination::Missing),
        Err(source) => return Err(CliError::WriteFile { path: dir.display().to_string(), source }),
        Ok(meta) => meta,
    };
    if !meta.is_dir() {
        let source = io::Error::other("it exists and is not a folder");
        return Err(CliError::WriteFile { path: dir.display().to_string(), source });
    }
    let present = files_under(dir).map_err(CliError::write_file(dir))?;
    let previous: Vec<String> = fs::read_to_string(dir.join(MANIFEST))
        .map(|text| text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    let foreign: Vec<String> = present.into_iter().filter(|f| f != MANIFEST && !previous.contains(f)).take(3).collect();
    Ok(if foreign.is_empty() { Destination::Replaceable } else { Destination::Foreign { examples: foreign, previous } })
}

/// Writes `files` (and the manifest) into `dir` as a whole; nothing changes there on failure.
fn write_folder(dir: &Path, files: &[ExportedFile], force: bool) -> Result<(), CliError> {
    // A link to a folder stays a link: the folder it names is the destination.
    let resolved;
    let dir = if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = fs::canonicalize(dir).map_err(CliError::write_file(dir))?;
        resolved.as_path()
    } else {
        dir
    };
    let state = destination(dir)?;
    if let Destination::Foreign { examples, .. } = &state {
        if !force {
            let source = io::Error::other(format!(
                "the folder holds files that no export of this tool wrote ({}); choose an empty or new folder, \
                 or write beside them with --force",
                examples.join(", ")
            ));
            return Err(CliError::WriteFile { path: dir.display().to_string(), source });
        }
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(CliError::write_file(parent))?;
    }
    let staging = sibling(dir, "export");
    let _ = fs::remove_dir_all(&staging);
    let staged = stage(&staging, files);
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let result = match state {
        Destination::Missing => fs::rename(&staging, dir).map_err(CliError::write_file(dir)),
        Destination::Replaceable => {
            let old = sibling(dir, "previous");
            let _ = fs::remove_dir_all(&old);
            fs::rename(dir, &old).map_err(CliError::write_file(dir)).and_then(|()| match fs::rename(&staging, dir) {
                Ok(()) => {
                    let _ = fs::remove_dir_all(&old);
                    Ok(())
                }
                Err(source) => {
                    let _ = fs::rename(&old, dir);
                    Err(CliError::WriteFile { path: dir.display().to_string(), source })
                }
            })
        }
        Destination::Foreign { previous, .. } => merge(&staging, dir, files, &previous),
    };
    let _ = fs::remove_dir_all(&staging);
    result
}

fn stage(staging: &Path, files: &[ExportedFile]) -> Result<(), CliError> {
    fs::create_dir_all(staging).map_err(CliError::write_file(staging))?;
    let mut manifest = format!("{MANIFEST_HEADER}\n");
    for file in files {
        // Paths come from `export::file_stem`: relative, `/`-separated, never `..`, bounded.
        write(&staging.join(&file.path), file.contents.as_bytes())?;
        manifest.push_str(&file.path);
        manifest.push('\n');
    }
    write(&staging.join(MANIFEST), manifest.as_bytes())
}

/// `--force` into a folder with other files: the previous export's files go, the new ones are
/// moved in beside the others.
fn merge(staging: &Path, dir: &Path, files: &[ExportedFile], previous: &[String]) -> Result<(), CliError> {
    for path in previous {
        if !path.split('/').any(|part| part == ".." || part.is_empty()) {
            let _ = fs::remove_file(dir.join(path));
        }
    }
    for path in files.iter().map(|f| f.path.as_str()).chain([MANIFEST]) {
        let to = dir.join(path);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(CliError::write_file(parent))?;
        }
        fs::rename(staging.join(path), &to).map_err(CliError::write_file(&to))?;
    }
    Ok(())
}

/// Writes the ZIP beside `path`, then renames it: a failed export leaves no partial archive.
fn write_zip(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let partial = sibling(path, "partial");
    if let Err(e) = write(&partial, bytes) {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    fs::rename(&partial, path).map_err(|source| {
        let _ = fs::remove_file(&partial);
        CliError::WriteFile { path: path.display().to_string(), source }
    })
}

pub(super) fn run(
    args: &Args,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<ExitCode, CliError> {
    let Some(design) = super::load_design(&args.design, err)? else {
        return Ok(ExitCode::from(2));
    };
    let errors: Vec<_> = validate(&design).into_iter().filter(|d| d.severity == Severity::Error).collect();
    if !errors.is_empty() {
        for d in &errors {
            writeln!(err, "{}", line(d, &design, options))?;
        }
        if !args.force {
            writeln!(
                err,
                "nats-topology: {} has {} errors; nothing written (fix them, or export anyway with --force)",
                printable(&args.design.display().to_string()),
                errors.len()
            )?;
            return Ok(ExitCode::from(1));
        }
        writeln!(err, "nats-topology: exporting despite {} errors (--force); the README lists them", errors.len())?;
    }
    let export = ExportOptions { chart: args.chart.into() };
    if let Some(dir) = &args.out {
        let files = bundle::files(&design, &export);
        write_folder(dir, &files, args.force)?;
        writeln!(out, "wrote {} files to {}", files.len(), dir.display())?;
    }
    if let Some(zip) = &args.zip {
        write_zip(zip, &bundle::zip(&design, &export))?;
        writeln!(out, "wrote {}", zip.display())?;
    }
    Ok(ExitCode::from(if errors.is_empty() { 0 } else { 1 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(items: &[&str]) -> Result<Args, String> {
        super::super::parse_args("export", items)
    }

    #[test]
    fn options_are_parsed_with_or_without_equals() {
        let a = parsed(&["d.json", "--out", "o", "--chart=0.19", "--zip=b.zip", "--force"]).unwrap();
        assert_eq!(a.design, PathBuf::from("d.json"));
        assert_eq!((a.out, a.zip), (Some("o".into()), Some("b.zip".into())));
        assert_eq!((Chart::from(a.chart), a.force), (Chart::V0_19, true));
        assert_eq!(Chart::from(parsed(&["d.json", "-o", "x"]).unwrap().chart), Chart::V1);
        assert_eq!(Chart::from(parsed(&["d.json", "-o", "x", "--chart", "2"]).unwrap().chart), Chart::V1);
    }

    #[test]
    fn usage_problems_say_what_is_missing() {
        for (given, message) in [
            (&["d.json"][..], "<--out <DIR>|--zip <FILE>>"),
            (&["--out", "o"][..], "<DESIGN>"),
            (&["d.json", "--out"][..], "a value is required for '--out <DIR>'"),
            (&["d.json", "-o", "o", "--chart", "3"][..], "[possible values: 0.19, 1]"),
            (&["a.json", "b.json", "-o", "o"][..], "unexpected argument 'b.json'"),
        ] {
            let error = parsed(given).expect_err("a usage problem");
            assert!(error.contains(message), "{given:?}: {error}");
        }
    }
}
