//! Differential test of the importer's reading of natscli's own formats: the commands people
//! write with flags instead of `--config` (`nats stream add NAME --subjects ... --defaults`,
//! `nats kv add BUCKET ...`) and what `nats stream info --json` and `nats stream ls --json`
//! print.
//!
//! The corpus is `tests/corpus/natscli-flags.txt` (its header says how to read it). For each
//! server release one standalone JetStream server is started; each case runs with the real
//! `nats` (v0.5.0, `NATS_CLI` or `~/.cache/nats-topology/bin/nats`, with `HOME` in a temporary
//! folder and the server named by `NATS_URL`: no context file). Then `nats stream info --json`
//! of every stream created and `nats stream ls --json` are saved to a folder, and the same
//! command lines, as one script, are imported next to them: the configuration imported from
//! the command line must equal the one imported from what the server stored, field by field,
//! but for the server-filled fields the corpus names. Every mismatch is collected and the test
//! fails once, with a list. The folders are also given to the `nats-topology` binary.
//!
//! A missing `nats` or nats-server fails the test with a message naming `make test`.

mod support;

use nats_topology::cli::sandbox::process::{JetStreamServer, TempDir};
use nats_topology::model::import::{import, Imported, SourceFile, NATSCLI_FLAGS};
use nats_topology::model::stream::{Nanos, StreamConfig};
use nats_topology::model::stream_json::to_json;
use nats_topology::model::validate::{Diagnostic, Rule, Severity};
use nats_topology::model::NatsVersion;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CORPUS: &str = "tests/corpus/natscli-flags.txt";
const DOMAIN: &str = "diff";
const TWO_MINUTES: Nanos = 120_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Both,
    Only215,
    Refused,
    Standalone,
    Invalid,
}

struct Case {
    /// Line in the corpus file.
    line: usize,
    scope: Scope,
    /// What follows `nats`.
    args: String,
    /// The stream natscli creates (`KV_<bucket>` for a bucket).
    stream: String,
}

/// The stream file the corpus's `--config` cases name.
const BASE: &str = "natscli-base.json";

/// Flags that say where to connect or which file to read, not what to create.
const GLOBAL: &[&str] = &["config", "js-domain"];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS).parent().expect("the corpus is in a folder").to_owned()
}

fn base_file() -> SourceFile {
    let path = corpus_dir().join(BASE);
    SourceFile::new(BASE, fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())))
}

fn corpus() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut cases = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (scope, args) = line.split_once(" | ").unwrap_or_else(|| panic!("{CORPUS}:{}: no `SCOPE | ARGS`", i + 1));
        let scope = match scope.trim() {
            "both" => Scope::Both,
            "2.15" => Scope::Only215,
            "refused" => Scope::Refused,
            "standalone" => Scope::Standalone,
            "invalid" => Scope::Invalid,
            other => panic!("{CORPUS}:{}: unknown scope {other:?}", i + 1),
        };
        let words: Vec<&str> = args.split_whitespace().collect();
        let name = words.get(2).unwrap_or_else(|| panic!("{CORPUS}:{}: no name", i + 1)).trim_matches('\'');
        let stream = match words[0] {
            "kv" => format!("KV_{name}"),
            "object" => format!("OBJ_{name}"),
            _ => name.to_owned(),
        };
        cases.push(Case { line: i + 1, scope, args: args.trim().to_owned(), stream });
    }
    cases
}

/// The `nats` CLI (`NATS_CLI` overrides the path). Panics, never skips, when it is missing.
fn nats_cli() -> PathBuf {
    let path = match std::env::var_os("NATS_CLI") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/nats-topology/bin/nats"),
    };
    assert!(
        path.is_file(),
        "the nats CLI is not at {} (set NATS_CLI to another path); `make test` installs natscli v0.5.0 \
         (scripts/setup.sh test)",
        path.display()
    );
    path
}

/// The real `nats`, talking to one server, with a home folder of its own.
struct Cli {
    binary: PathBuf,
    home: TempDir,
    url: String,
}

impl Cli {
    fn new(server: &JetStreamServer) -> Cli {
        let home = TempDir::new("nats-topology-natscli-home").expect("temporary folder");
        Cli { binary: nats_cli(), home, url: format!("nats://127.0.0.1:{}", server.port) }
    }

    /// Runs `nats ARGS` through a shell, which reads the quotes as a script's author meant them.
    fn run(&self, args: &str) -> Output {
        Command::new("sh")
            .arg("-c")
            .arg(format!("nats() {{ \"$NATS_CLI_BINARY\" \"$@\"; }}\nnats {args}"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("NATS_URL", &self.url)
            .env("NATS_CLI_BINARY", &self.binary)
            .stdin(std::process::Stdio::null())
            // `--config` files of the corpus are named relative to it.
            .current_dir(corpus_dir())
            .output()
            .expect("sh runs")
    }

    /// `nats ARGS`, which must succeed, its standard output.
    fn stdout(&self, args: &str) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "nats {args} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("nats prints UTF-8")
    }
}

fn error_text(output: &Output) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&output.stderr), String::from_utf8_lossy(&output.stdout));
    text.trim().replace('\n', " / ")
}

/// The conf that gives the imported streams a cluster (domain `diff`, as the test server's).
fn server_conf() -> SourceFile {
    SourceFile::new(
        "diff.conf",
        format!("server_name: diff\nlisten: 127.0.0.1:4222\njetstream {{\n  domain: {DOMAIN}\n}}\n"),
    )
}

/// The cases as one script, each on its own line; the script line of each case.
fn script(cases: &[&Case]) -> (SourceFile, Vec<usize>) {
    let mut text = String::from("#!/bin/sh\n");
    let mut lines = Vec::new();
    for case in cases {
        text.push_str(&format!("nats {}\n", case.args));
        lines.push(text.lines().count());
    }
    (SourceFile::new("diff.natscli.sh", text), lines)
}

fn stream_named<'a>(imported: &'a Imported, name: &str) -> Option<&'a StreamConfig> {
    imported.design.streams().find(|s| s.config.name == name).map(|s| &s.config)
}

/// What the server fills in where our import leaves a field to it (the corpus header's list).
fn server_filled(ours: &StreamConfig, theirs: &mut StreamConfig) {
    if ours.duplicate_window.is_none() && ours.mirror.is_none() {
        let default = if ours.max_age > 0 && ours.max_age < TWO_MINUTES { ours.max_age } else { TWO_MINUTES };
        if theirs.duplicate_window == Some(default) {
            theirs.duplicate_window = None;
        }
    }
    if ours.mirror.is_some() && !ours.mirror_direct {
        theirs.mirror_direct = false;
    }
    if (ours.subject_delete_marker_ttl.is_some() || ours.allow_msg_schedules) && !ours.allow_rollup_hdrs {
        theirs.allow_rollup_hdrs = false;
    }
}

/// The fields where two configurations differ, both values, on the wire.
fn differences(ours: &StreamConfig, theirs: &StreamConfig) -> Vec<String> {
    let (a, b) = (to_json(ours, NatsVersion::V2_14), to_json(theirs, NatsVersion::V2_14));
    let empty = serde_json::Map::new();
    let (a, b) = (a.as_object().unwrap_or(&empty), b.as_object().unwrap_or(&empty));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out: Vec<String> = keys
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| format!("{k}: ours {} server {}", show(a.get(k)), show(b.get(k))))
        .collect();
    if out.is_empty() && ours != theirs {
        out.push(format!("ours {ours:?}\n      server {theirs:?}"));
    }
    out
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "-".to_owned(), Value::to_string)
}

fn error_on(imported: &Imported, file: &str, line: usize) -> Option<String> {
    error_in(&imported.diagnostics, file, line)
}

fn error_in(diagnostics: &[Diagnostic], file: &str, line: usize) -> Option<String> {
    diagnostics
        .iter()
        .find(|d| {
            d.severity == Severity::Error && d.location.as_ref().is_some_and(|l| l.file == file && l.line == Some(line))
        })
        .map(|d| format!("{}: {}", d.rule.as_str(), d.message))
}

/// Runs the corpus on one release and checks everything; the mismatches, one line each.
fn differential(label: &str, (env_var, default): (&str, &str)) {
    let binary = support::server_binary(env_var, default);
    let server = JetStreamServer::start(&binary, DOMAIN);
    let cli = Cli::new(&server);
    let cases: Vec<Case> = corpus().into_iter().filter(|c| label == "2.15" || c.scope != Scope::Only215).collect();
    let mut problems: Vec<String> = Vec::new();

    // The real thing.
    let mut created: Vec<&Case> = Vec::new();
    for case in &cases {
        let output = cli.run(&case.args);
        let expected = matches!(case.scope, Scope::Both | Scope::Only215);
        // The CLI fails for every other scope; why is checked against our import below.
        if output.status.success() != expected {
            problems.push(format!(
                "{CORPUS}:{}: nats {} {} ({})",
                case.line,
                case.args,
                if expected { "failed" } else { "succeeded" },
                error_text(&output)
            ));
        }
        if output.status.success() {
            created.push(case);
        }
    }
    // A message in a stream, so that its info has a state worth ignoring.
    cli.stdout("pub orders.1 hello");

    // What natscli prints, saved as a user would save it.
    let folder = TempDir::new("nats-topology-natscli-info").expect("temporary folder");
    let mut files = vec![server_conf()];
    for case in &created {
        let info = cli.stdout(&format!("stream info {} --json", case.stream));
        let path = format!("{DOMAIN}.{}.json", case.stream);
        fs::write(folder.path().join(&path), &info).expect("folder is writable");
        files.push(SourceFile::new(path, info));
    }
    let names = cli.stdout("stream ls --json");
    fs::write(folder.path().join("streams.json"), &names).expect("folder is writable");
    files.push(SourceFile::new("streams.json", names.clone()));
    fs::write(folder.path().join("diff.conf"), server_conf().text).expect("folder is writable");
    let stored = import(&files);

    // Our reading of the same command lines.
    let all: Vec<&Case> = cases.iter().collect();
    let (script, lines) = script(&all);
    let ours = import(&[server_conf(), script.clone(), base_file()]);
    let validated = ours.validate();

    for (case, line) in cases.iter().zip(&lines) {
        let at = format!("{CORPUS}:{}", case.line);
        let error = error_on(&ours, &script.path, *line);
        match case.scope {
            Scope::Refused => {
                if error.is_none() {
                    problems.push(format!("{at}: natscli refuses `{}` but our import raises no error", case.args));
                }
                if stream_named(&ours, &case.stream).is_some() {
                    problems
                        .push(format!("{at}: natscli refuses `{}` but our import creates {}", case.args, case.stream));
                }
            }
            Scope::Standalone | Scope::Invalid | Scope::Both | Scope::Only215 => {
                if let Some(error) = error {
                    problems.push(format!("{at}: our import refuses `{}`: {error}", case.args));
                }
                let Some(mine) = stream_named(&ours, &case.stream) else {
                    problems.push(format!("{at}: our import of `{}` has no stream {}", case.args, case.stream));
                    continue;
                };
                let invalid = error_in(&validated, &script.path, *line);
                match (case.scope, invalid) {
                    (Scope::Standalone, _) => continue,
                    (Scope::Invalid, None) => {
                        problems.push(format!("{at}: the server refuses `{}`, our validation does not", case.args));
                        continue;
                    }
                    (Scope::Invalid, Some(_)) => continue,
                    (_, Some(error)) => {
                        problems.push(format!("{at}: the server accepts `{}`, our validation says {error}", case.args))
                    }
                    (_, None) => {}
                }
                let Some(server) = stream_named(&stored, &case.stream) else {
                    problems.push(format!("{at}: the stream info of {} did not import", case.stream));
                    continue;
                };
                let mut server = server.clone();
                server_filled(mine, &mut server);
                for difference in differences(mine, &server) {
                    problems.push(format!("{at}: {}: {difference}", case.stream));
                }
            }
        }
    }

    // The info documents import without complaint, and the name list is recognized.
    for d in &stored.diagnostics {
        problems.push(format!(
            "importing the stream info documents: {} {}: {}",
            d.rule.as_str(),
            d.severity,
            d.message
        ));
    }
    let listed: Vec<String> = serde_json::from_str(&names).expect("stream ls --json prints a list of names");
    let created_names: BTreeSet<&str> = created.iter().map(|c| c.stream.as_str()).collect();
    let listed_names: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    // natscli hides the streams of buckets from `stream ls` unless given `--all`.
    let visible: BTreeSet<&str> =
        created_names.iter().copied().filter(|n| !n.starts_with("KV_") && !n.starts_with("OBJ_")).collect();
    if visible != listed_names {
        problems.push(format!("stream ls --json lists {listed_names:?}, created {visible:?} (and buckets)"));
    }
    let note = stored.notes.iter().find(|n| n.starts_with("streams.json: skipped: a list of stream names"));
    match note {
        Some(note) if listed.iter().all(|name| note.contains(name.as_str())) => {}
        _ => problems.push(format!("no note naming every listed stream: {:?}", stored.notes)),
    }

    // The binary on the folder of info documents, and on a folder with the script.
    let has_errors = |imported: &Imported| imported.validate().iter().any(|d| d.severity == Severity::Error);
    check_binary(folder.path(), &created_names, has_errors(&stored), &mut problems);
    let script_folder = TempDir::new("nats-topology-natscli-script").expect("temporary folder");
    let (created_script, _) = self::script(&created);
    fs::write(script_folder.path().join(&created_script.path), &created_script.text).expect("folder is writable");
    fs::write(script_folder.path().join("diff.conf"), server_conf().text).expect("folder is writable");
    fs::write(script_folder.path().join(BASE), base_file().text).expect("folder is writable");
    let errors = has_errors(&import(&[server_conf(), created_script, base_file()]));
    check_binary(script_folder.path(), &created_names, errors, &mut problems);

    assert!(
        problems.is_empty(),
        "nats-server {label} ({}): {} mismatches between natscli and our import:\n  {}",
        server.version,
        problems.len(),
        problems.join("\n  ")
    );
}

/// `nats-topology import DIR -o design.json` writes a design with exactly `streams`, and
/// `nats-topology validate --format json DIR` prints JSON and exits 1 exactly when the library
/// finds errors in the same files (`errors`), else 0.
fn check_binary(folder: &Path, streams: &BTreeSet<&str>, errors: bool, problems: &mut Vec<String>) {
    let out = TempDir::new("nats-topology-natscli-design").expect("temporary folder");
    let design = out.path().join("design.json");
    let run = |args: &[&std::ffi::OsStr]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_nats-topology")).args(args).output().expect("the binary runs")
    };
    let imported = run(&["import".as_ref(), folder.as_os_str(), "-o".as_ref(), design.as_os_str()]);
    if !imported.status.success() {
        problems.push(format!("nats-topology import {} failed: {}", folder.display(), error_text(&imported)));
        return;
    }
    let text = fs::read_to_string(&design).unwrap_or_default();
    let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let names: BTreeSet<&str> = value["streams"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["config"]["name"].as_str().or_else(|| s["name"].as_str()))
        .collect();
    if names != *streams {
        problems.push(format!("nats-topology import {}: streams {names:?}, expected {streams:?}", folder.display()));
    }
    let validated = run(&["validate".as_ref(), "--format".as_ref(), "json".as_ref(), folder.as_os_str()]);
    let code = validated.status.code();
    let parsed = serde_json::from_slice::<Value>(&validated.stdout).is_ok();
    if code != Some(i32::from(errors)) || !parsed {
        problems.push(format!(
            "nats-topology validate {}: exit {code:?} (errors expected: {errors}), JSON output {parsed}: {}",
            folder.display(),
            error_text(&validated)
        ));
    }
}

#[test]
fn natscli_flag_commands_import_as_nats_server_2_15_stores_them() {
    differential("2.15", support::SERVER_2_15);
}

#[test]
fn natscli_flag_commands_import_as_nats_server_2_9_stores_them() {
    differential("2.9", support::SERVER_2_9);
}

#[test]
fn every_flag_the_importer_reads_is_in_the_corpus() {
    let cases = corpus();
    let mut missing = Vec::new();
    for (command, flags) in NATSCLI_FLAGS {
        let lines: Vec<&Case> = cases.iter().filter(|c| c.args.starts_with(command)).collect();
        for flag in *flags {
            let used = lines.iter().any(|c| {
                c.args.split_whitespace().any(|w| {
                    w == format!("--{flag}") || w == format!("--no-{flag}") || w.starts_with(&format!("--{flag}="))
                })
            });
            if !used {
                missing.push(format!("{command} --{flag}"));
            }
        }
    }
    assert!(missing.is_empty(), "flags the importer reads but {CORPUS} never uses: {missing:?}");
}

#[test]
fn the_corpus_uses_only_flags_the_importer_reads() {
    let known: BTreeMap<&str, &[&str]> = NATSCLI_FLAGS.iter().copied().collect();
    let mut unknown = Vec::new();
    for case in corpus() {
        let command: String = case.args.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let flags = known
            .get(command.as_str())
            .unwrap_or_else(|| panic!("{CORPUS}:{}: not a command the importer reads", case.line));
        for word in case.args.split_whitespace().filter(|w| w.starts_with("--")) {
            let name = word.trim_start_matches("--").split('=').next().unwrap_or_default();
            let base = name.strip_prefix("no-").filter(|b| flags.contains(b)).unwrap_or(name);
            if !flags.contains(&base) && !GLOBAL.contains(&base) {
                unknown.push(format!("{CORPUS}:{}: --{name}", case.line));
            }
        }
    }
    assert!(unknown.is_empty(), "flags in the corpus the importer does not read: {unknown:?}");
}

#[test]
fn refused_cases_are_errors_of_the_import_rule_for_stream_files() {
    let cases = corpus();
    let refused: Vec<&Case> = cases.iter().filter(|c| c.scope == Scope::Refused).collect();
    let (script, lines) = script(&refused);
    let imported = import(&[server_conf(), script.clone(), base_file()]);
    for (case, line) in refused.iter().zip(lines) {
        let found = imported
            .diagnostics
            .iter()
            .find(|d| d.location.as_ref().is_some_and(|l| l.file == script.path && l.line == Some(line)));
        assert_eq!(found.map(|d| d.rule), Some(Rule::StreamConfigSchema), "{CORPUS}:{}: {}", case.line, case.args);
    }
}
