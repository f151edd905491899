//! `nats-topology export`: writes a design's files to a folder and/or the bundle to a ZIP file.

use super::validate::{line, printable};
use super::{CliError, Options};
use crate::model::export::{bundle, Chart, ExportOptions};
use crate::model::validate::{validate, Severity};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Default, PartialEq, Eq)]
struct Request {
    design: String,
    out: Option<PathBuf>,
    zip: Option<PathBuf>,
    chart: Chart,
    force: bool,
}

fn parse(args: &[String]) -> Result<Request, CliError> {
    let usage = |m: String| CliError::Usage(format!("export: {m}"));
    let mut request = Request::default();
    let mut design = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| {
            inline.clone().or_else(|| args.next().cloned()).ok_or_else(|| usage(format!("{name} needs a value")))
        };
        match flag {
            "--out" | "-o" => request.out = Some(value("--out")?.into()),
            "--zip" => request.zip = Some(value("--zip")?.into()),
            "--chart" => {
                request.chart = match value("--chart")?.as_str() {
                    "0.19" => Chart::V0_19,
                    "1" | "2" => Chart::V1,
                    other => return Err(usage(format!("--chart must be 0.19 or 1, not '{other}'"))),
                }
            }
            "--force" => request.force = true,
            f if f.starts_with('-') && f.len() > 1 => return Err(usage(format!("unknown option '{f}'"))),
            _ if design.is_none() => design = Some(arg.clone()),
            _ => return Err(usage(format!("one design file at a time, got also '{arg}'"))),
        }
    }
    request.design = design.ok_or_else(|| usage("no design file given".to_owned()))?;
    if request.out.is_none() && request.zip.is_none() {
        return Err(usage("say where to write: --out DIR and/or --zip FILE".to_owned()));
    }
    Ok(request)
}

fn write(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let failed = |source| CliError::WriteFile { path: path.display().to_string(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    std::fs::write(path, contents).map_err(failed)
}

pub(super) fn run(
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<ExitCode, CliError> {
    let request = parse(args)?;
    let Some(design) = super::load_design(&request.design, err)? else {
        return Ok(ExitCode::from(2));
    };
    let errors: Vec<_> = validate(&design).into_iter().filter(|d| d.severity == Severity::Error).collect();
    if !errors.is_empty() {
        for d in &errors {
            writeln!(err, "{}", line(d, &design, options))?;
        }
        if !request.force {
            writeln!(
                err,
                "nats-topology: {} has {} errors; nothing written (fix them, or export anyway with --force)",
                printable(&request.design),
                errors.len()
            )?;
            return Ok(ExitCode::from(1));
        }
        writeln!(err, "nats-topology: exporting despite {} errors (--force); the README lists them", errors.len())?;
    }
    let export = ExportOptions { chart: request.chart };
    if let Some(dir) = &request.out {
        let files = bundle::files(&design, &export);
        for file in &files {
            // Paths come from `export::file_stem`: relative, `/`-separated, never `..`.
            write(&dir.join(&file.path), file.contents.as_bytes())?;
        }
        writeln!(out, "wrote {} files to {}", files.len(), dir.display())?;
    }
    if let Some(zip) = &request.zip {
        write(zip, &bundle::zip(&design, &export))?;
        writeln!(out, "wrote {}", zip.display())?;
    }
    Ok(ExitCode::from(if errors.is_empty() { 0 } else { 1 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Request, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        parse(&args).map_err(|e| e.to_string())
    }

    #[test]
    fn options_are_parsed_with_or_without_equals() {
        let r = parsed(&["d.json", "--out", "o", "--chart=0.19", "--zip=b.zip", "--force"]).unwrap();
        assert_eq!(r.design, "d.json");
        assert_eq!((r.out, r.zip), (Some("o".into()), Some("b.zip".into())));
        assert_eq!((r.chart, r.force), (Chart::V0_19, true));
        assert_eq!(parsed(&["d.json", "-o", "x"]).unwrap().chart, Chart::V1);
    }

    #[test]
    fn usage_problems_say_what_is_missing() {
        assert!(parsed(&["d.json"]).unwrap_err().contains("--out DIR and/or --zip FILE"));
        assert!(parsed(&["--out", "o"]).unwrap_err().contains("no design file"));
        assert!(parsed(&["d.json", "--out"]).unwrap_err().contains("--out needs a value"));
        assert!(parsed(&["d.json", "-o", "o", "--chart", "3"]).unwrap_err().contains("0.19 or 1"));
        assert!(parsed(&["a.json", "b.json", "-o", "o"]).unwrap_err().contains("one design file"));
    }
}
