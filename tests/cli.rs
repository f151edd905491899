//! The `nats-topology` binary, run for real on design files in a temporary folder.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A folder of its own under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("nats-topology-cli-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, text).expect("temp file is writable");
        path
    }

    /// The example design file, edited as JSON.
    fn example_with(&self, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
        let mut design: Value = serde_json::from_slice(&run(&["example"]).stdout).expect("example prints JSON");
        edit(&mut design);
        self.file(name, &serde_json::to_string_pretty(&design).expect("serializes"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn validate(args: &[&str], paths: &[&Path]) -> Output {
    let mut all: Vec<&str> = vec!["validate"];
    all.extend(args);
    all.extend(paths.iter().map(|p| p.to_str().expect("temp paths are UTF-8")));
    run(&all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", stdout(output)))
}

fn with_seven_replicas(d: &mut Value) {
    d["streams"][0]["config"]["num_replicas"] = 7.into();
}

#[test]
fn the_example_design_validates_with_no_errors() {
    let scratch = Scratch::new("example");
    let saved = scratch.0.join("saved.json");
    let output = run(&["example", "--save", saved.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = scratch.file("printed.json", &stdout(&run(&["example"])));
    assert_eq!(fs::read(&saved).unwrap(), fs::read(&printed).unwrap(), "--save and stdout write the same file");

    let output = validate(&[], &[&saved]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    assert!(text.lines().last().unwrap().starts_with("0 errors, "), "{text}");
    assert!(!text.contains('\x1b'), "no color when stdout is not a terminal: {text:?}");
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_planted_error_exits_1_and_names_its_rule_in_text() {
    let scratch = Scratch::new("planted-text");
    let path = scratch.example_with("replicas.json", with_seven_replicas);
    let output = validate(&[], &[&path]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let line = text.lines().find(|l| l.contains("replicas-out-of-range")).unwrap_or_else(|| panic!("{text}"));
    assert!(line.starts_with("error replicas-out-of-range stream cinema-a: "), "{line}");
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("1 error,") || summary.contains(" errors,"), "{summary}");
}

#[test]
fn a_planted_error_exits_1_and_names_its_rule_in_json() {
    let scratch = Scratch::new("planted-json");
    let path = scratch.example_with("replicas.json", with_seven_replicas);
    let output = validate(&["--format", "json"], &[&path]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document = json(&output);
    let diagnostics = document["diagnostics"].as_array().expect("a diagnostics array");
    let found = diagnostics.iter().find(|d| d["rule"] == "replicas-out-of-range").expect("the planted rule");
    assert_eq!(found["severity"], "error");
    assert_eq!(found["target"], "stream cinema-a");
    assert_eq!(found["file"], path.to_str().unwrap());
    assert!(found["message"].as_str().is_some_and(|m| m.contains('7')), "{found}");
    for d in diagnostics {
        let keys: Vec<&str> = d.as_object().expect("an object").keys().map(String::as_str).collect();
        for key in &keys {
            assert!(["rule", "severity", "message", "target", "fix", "file", "line"].contains(key), "key {key}");
        }
        for key in ["rule", "severity", "message", "target", "file"] {
            assert!(keys.contains(&key), "{key} missing from {d}");
        }
        assert!(d.get("line").is_none(), "design files have no lines");
        assert!(d.get("fix").is_none_or(Value::is_string), "{d}");
    }
}

#[test]
fn several_files_prefix_each_line_with_its_path() {
    let scratch = Scratch::new("several");
    let good = scratch.example_with("good.json", |_| {});
    let bad = scratch.example_with("bad.json", with_seven_replicas);
    let output = validate(&[], &[&good, &bad]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let planted = format!("{}: error replicas-out-of-range stream cinema-a: ", bad.display());
    assert!(text.lines().any(|l| l.starts_with(&planted)), "{text}");
    let summary = text.lines().last().unwrap();
    assert!(!summary.contains(".json"), "the summary covers every file: {summary}");
}

#[test]
fn a_malformed_file_exits_2_naming_the_file() {
    let scratch = Scratch::new("malformed");
    let broken = scratch.file("broken.json", "{\"format\": \"nats-topology\", \"version\": 1, \"clusters\": [");
    let output = validate(&[], &[&broken]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains(&format!("{}: not JSON: ", broken.display())), "{message}");

    let wrong_type =
        scratch.example_with("wrong-type.json", |d| d["streams"][3]["config"]["num_replicas"] = "seven".into());
    let output = validate(&["--format", "json"], &[&wrong_type]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    // The file, the line, the field and what was expected.
    let line = std::fs::read_to_string(&wrong_type)
        .expect("written")
        .lines()
        .position(|l| l.contains("\"seven\""))
        .expect("the wrong value is in the file")
        + 1;
    assert!(
        message.contains(&format!(
            "{}: line {line}, streams[3].config.num_replicas: expected an integer, found string \"seven\"",
            wrong_type.display()
        )),
        "{message}"
    );
    assert_eq!(json(&output)["diagnostics"], Value::Array(Vec::new()));
}

#[test]
fn a_missing_file_exits_2_even_beside_a_good_one() {
    let scratch = Scratch::new("missing");
    let good = scratch.example_with("good.json", |_| {});
    let missing = scratch.0.join("missing.json");
    let output = validate(&[], &[&good, &missing]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains(&format!("cannot read {}", missing.display())), "{}", stderr(&output));
}

#[test]
fn repairs_are_noted_on_stderr() {
    let scratch = Scratch::new("repairs");
    let path = scratch.example_with("dangling.json", |d| d["streams"][2]["cluster"] = "c9".into());
    let output = validate(&[], &[&path]);
    let notes = stderr(&output);
    assert!(
        notes.contains("note: ")
            && notes.contains("stream \"tickets-1\" (s6) was dropped: its cluster c9 does not exist"),
        "{notes}"
    );
    assert_ne!(output.status.code(), Some(2), "a repaired file is still validated");
}

#[test]
fn usage_problems_exit_2_with_a_message() {
    for (args, expected) in [
        (&["validate"][..], "the following required arguments were not provided"),
        (&["validate", "--format", "yaml", "x.json"][..], "invalid value 'yaml' for '--format <FORMAT>'"),
        (&["frobnicate"][..], "unrecognized subcommand 'frobnicate'"),
        (&["example", "--save"][..], "a value is required for '--save <FILE>'"),
        (&[][..], "Usage: nats-topology <COMMAND>"),
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
        assert!(output.stdout.is_empty(), "{args:?}: usage problems go to stderr");
    }
    for args in [&["help"][..], &["--help"], &["help", "sandbox"], &["export", "-h"]] {
        let help = run(args);
        assert_eq!(help.status.code(), Some(0), "{args:?}");
        assert!(stdout(&help).contains("Usage: nats-topology"), "{args:?}: {}", stdout(&help));
    }
}

#[test]
fn the_readme_quotes_the_help_text_as_the_program_prints_it() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let quoted = readme
        .split_once("<!-- help:start -->\n```text\n")
        .and_then(|(_, rest)| rest.split_once("```\n<!-- help:end -->"))
        .map(|(quoted, _)| quoted)
        .expect("README.md has the help text between <!-- help:start --> and <!-- help:end -->");
    assert_eq!(quoted, stdout(&run(&["--help"])), "README.md's copy of `nats-topology --help` is out of date");
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_opened_as_it_is() {
    use std::os::unix::ffi::OsStrExt;
    let scratch = Scratch::new("non-utf8");
    let design = scratch.example_with("design.json", |_| {});
    let odd = scratch.0.join(std::ffi::OsStr::from_bytes(b"caf\xe9.json"));
    fs::rename(&design, &odd).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_nats-topology")).arg("validate").arg(&odd).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("0 errors"), "{}", stdout(&output));
}

fn export(design: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&str> = vec!["export", design.to_str().expect("temp paths are UTF-8")];
    all.extend(args);
    run(&all)
}

#[test]
fn export_writes_every_file_of_the_example_and_a_zip_bundle() {
    let scratch = Scratch::new("export");
    let design = scratch.example_with("design.json", |_| {});
    let out = scratch.0.join("out");
    let zip = scratch.0.join("bundle.zip");
    let output = export(&design, &["--out", out.to_str().unwrap(), "--zip", zip.to_str().unwrap(), "--chart", "0.19"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for file in [
        "README.md",
        "helm/values-headquarter.yaml",
        "helm/values-spoke-1.yaml",
        "streams/spoke-1.cinema-a-mirror.json",
        "nats-setup.sh",
        "server/headquarter/hq-nats-0.conf",
    ] {
        assert!(out.join(file).is_file(), "{file} was written: {}", stdout(&output));
    }
    let values = fs::read_to_string(out.join("helm/values-headquarter.yaml")).unwrap();
    assert!(values.contains("noAdvertise: true"), "chart 0.19 keys: {values}");
    let bundle = fs::read(&zip).unwrap();
    assert_eq!(&bundle[..4], b"PK\x03\x04");
    assert!(bundle.windows(21).any(|w| w == b"cinemas/nats-setup.sh"), "the bundle holds the script");
}

#[test]
fn export_refuses_a_design_with_errors_unless_forced() {
    let scratch = Scratch::new("export-errors");
    let design = scratch.example_with("design.json", with_seven_replicas);
    let out = scratch.0.join("out");
    let output = export(&design, &["--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("replicas-out-of-range"), "{}", stderr(&output));
    assert!(stderr(&output).contains("--force"));
    assert!(!out.exists(), "nothing is written");

    let output = export(&design, &["--out", out.to_str().unwrap(), "--force"]);
    assert_eq!(output.status.code(), Some(1), "forced export still reports the errors");
    let readme = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("`replicas-out-of-range`"), "{readme}");
}

#[test]
fn export_without_a_destination_is_a_usage_error() {
    let scratch = Scratch::new("export-usage");
    let design = scratch.example_with("design.json", |_| {});
    let output = export(&design, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("<--out <DIR>|--zip <FILE>>"), "{}", stderr(&output));
}
