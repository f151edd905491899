//! The exported `nats-setup.sh` run by the real `nats` CLI (natscli v0.5.0, installed by
//! `make test`) against a sandbox of real nats-servers that has servers and accounts only
//! (`sandbox --keep --no-streams`): every stream must then exist in its domain with exactly the
//! exported configuration, every mirror and source must deliver a message published with
//! `nats pub`, a second run must succeed and change nothing, and no file the script or the CLI
//! wrote may hold the password (`HOME` and the XDG folders are a temporary folder).
//!
//! Each test has a folder of its own as `TMPDIR` and `HOME`; on drop it stops the sandbox with
//! its own stop command and checks that no process names the folder any more.

mod support;

use nats_topology::model::example::{guide_corrected, hostile_names};
use nats_topology::model::persist;
use nats_topology::model::templates::cross_account_sharing;
use nats_topology::model::Design;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

static ONE_SANDBOX_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The test's folder and the sandbox it keeps running; everything is stopped and removed on
/// drop, also when the test fails.
struct Run {
    dir: PathBuf,
    stop: Option<String>,
    _lock: std::sync::MutexGuard<'static, ()>,
}

impl Drop for Run {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = Command::new("sh").arg("-c").arg(stop).output();
        }
        let left = support::processes_under(&self.dir);
        let _ = fs::remove_dir_all(&self.dir);
        if !std::thread::panicking() {
            assert_eq!(left, Vec::<u32>::new(), "servers left running");
        }
    }
}

fn nats_cli() -> PathBuf {
    let path = std::env::var_os("NATS_CLI").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/nats-topology/bin/nats"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "the nats CLI is not at {} (set NATS_CLI to another path); `make test` installs it (scripts/setup.sh test)",
        path.display()
    );
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn topology(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .args(args)
        .env("TMPDIR", dir)
        .output()
        .expect("the nats-topology binary runs")
}

/// What the sandbox left running: the design it ran, its clusters and credentials.
struct Kept {
    design: Design,
    urls: Vec<(String, Option<String>, String)>,
    user: String,
    password: String,
    /// Per account of the hub: `user` and `password`.
    credentials: Value,
}

fn start(test: &str, design: &Design, server: &Path) -> (Run, Kept) {
    let lock = ONE_SANDBOX_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = std::env::temp_dir().join(format!("nats-topology-natscli-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("home")).expect("temp dir is writable");
    let mut run = Run { dir, stop: None, _lock: lock };
    let file = run.dir.join("design.json");
    fs::write(&file, persist::save(design)).expect("temp file is writable");
    let server = server.display().to_string();
    let output = topology(
        &run.dir,
        &[
            "sandbox",
            file.to_str().unwrap(),
            "--servers-per-cluster",
            "1",
            "--keep",
            "--no-streams",
            "--nats-server",
            &server,
        ],
    );
    let stdout = text(&output.stdout);
    let kept: Value = stdout.lines().last().and_then(|l| serde_json::from_str(l).ok()).unwrap_or(Value::Null);
    run.stop = kept["stop"].as_str().map(str::to_owned);
    assert!(output.status.success(), "sandbox failed:\n{stdout}\n{}", text(&output.stderr));
    assert!(stdout.contains("no streams created"), "{stdout}");
    let design = persist::load(&fs::read_to_string(kept["design"].as_str().expect("the design as run")).unwrap())
        .expect("the sandbox writes a design file")
        .design;
    let urls = kept["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["domain"].as_str().map(str::to_owned),
                c["urls"][0].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The script connects as the hub user of the first stream's account.
    let account = design.streams().next().map_or_else(|| "ACC".to_owned(), |s| s.account.clone());
    let credential = &kept["credentials"][account.as_str()];
    let kept = Kept {
        design,
        urls,
        user: credential["user"].as_str().unwrap().to_owned(),
        password: credential["password"].as_str().unwrap().to_owned(),
        credentials: kept["credentials"].clone(),
    };
    (run, kept)
}

/// `HOME` and the XDG folders in the test's folder. natscli finds its config folder through
/// `XDG_CONFIG_HOME`, else the home folder of the user's passwd entry, not `$HOME` (measured:
/// with only `HOME` set, `nats context save` wrote under /root/.config/nats).
fn home_env(run: &Run) -> Vec<(&'static str, PathBuf)> {
    let home = run.dir.join("home");
    vec![
        ("XDG_CONFIG_HOME", home.join(".config")),
        ("XDG_DATA_HOME", home.join(".local/share")),
        ("XDG_CACHE_HOME", home.join(".cache")),
        ("XDG_STATE_HOME", home.join(".local/state")),
        ("HOME", home),
    ]
}

/// The real `nats`, with the connection in the environment and `HOME` in the test's folder.
fn nats(run: &Run, kept: &Kept, url: &str, args: &[&str]) -> Output {
    Command::new(nats_cli())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(home_env(run))
        .env("NATS_URL", url)
        .env("NATS_USER", &kept.user)
        .env("NATS_PASSWORD", &kept.password)
        .output()
        .expect("the nats CLI runs")
}

/// Runs the exported script as a user would: `bash nats-setup.sh` with `nats` on `PATH`.
fn run_script(run: &Run, kept: &Kept, export: &Path) -> Output {
    let nats_dir = nats_cli().parent().unwrap().to_owned();
    let path = std::env::join_paths(
        std::iter::once(nats_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let hub_url = &kept.urls.iter().find(|(name, _, _)| name == hub_name(&kept.design)).unwrap().2;
    Command::new("bash")
        .arg(export.join("nats-setup.sh"))
        .env_clear()
        .env("PATH", path)
        .envs(home_env(run))
        .env("NATS_URL", hub_url)
        .env("NATS_PASSWORD", &kept.password)
        .envs(other_passwords(kept))
        .output()
        .expect("bash runs")
}

/// `NATS_PASSWORD_<ACCOUNT>` for every account with a hub user besides the script's own, as the
/// script names them for plain account names (the cross-account template's APP).
fn other_passwords(kept: &Kept) -> Vec<(String, String)> {
    let Some(credentials) = kept.credentials.as_object() else { return Vec::new() };
    credentials
        .iter()
        .filter(|(_, c)| c["user"] != kept.user.as_str())
        .filter(|(account, _)| account.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|(account, c)| {
            (
                format!("NATS_PASSWORD_{}", account.to_ascii_uppercase()),
                c["password"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn hub_name(design: &Design) -> &str {
    design
        .clusters()
        .find(|(_, c)| c.role == nats_topology::model::Role::Hub)
        .map(|(_, c)| c.name.as_str())
        .expect("a hub")
}

/// `nats stream info NAME --json` in `domain`, through the hub.
fn stream_info(run: &Run, kept: &Kept, name: &str, domain: &str) -> Value {
    let hub_url = kept.urls.iter().find(|(n, _, _)| n == hub_name(&kept.design)).unwrap().2.clone();
    let output = nats(run, kept, &hub_url, &["stream", "info", name, "--json", "--js-domain", domain]);
    assert!(output.status.success(), "stream info {name} in {domain}: {}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("stream info --json prints JSON")
}

/// Every field the exported file sets has the same value on the server.
fn assert_config_matches(exported: &Value, stored: &Value, at: &str) {
    match (exported, stored) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                let found = have.get(key).unwrap_or(&Value::Null);
                assert_config_matches(value, found, &format!("{at}.{key}"));
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            assert_eq!(want.len(), have.len(), "{at}: {exported} on disk, {stored} on the server");
            for (i, (w, h)) in want.iter().zip(have).enumerate() {
                assert_config_matches(w, h, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(exported, stored, "{at}: exported {exported}, the server stored {stored}"),
    }
}

/// A literal subject a stream captures: its first subject with wildcards filled in.
fn literal(subject: &str) -> String {
    subject.split('.').map(|t| if t == "*" || t == ">" { "probe" } else { t }).collect::<Vec<_>>().join(".")
}

/// The last sequence stored: it grows with every message that arrives, also where a limit
/// drops an older one (a bucket with history 1 keeps one message per key, and the sources of an
/// aggregate bucket write the same probe key).
fn messages(info: &Value) -> u64 {
    info["state"]["last_seq"].as_u64().unwrap_or(0)
}

/// Every file under `dir`, with its contents.
fn files_under(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if let Ok(bytes) = fs::read(&path) {
            out.push((path, bytes));
        }
    }
}

/// Checks a test adds to the common ones, run while the sandbox is up after the first run.
type Extra<'a> = &'a dyn Fn(&Run, &Kept, &Path);

fn the_exported_script_creates_every_stream_exactly(test: &str, design: &Design, server: &Path, extra: Extra) {
    let (run, kept) = start(test, design, server);
    let export = run.dir.join("export");
    let design_file = run.dir.join("run-design.json");
    fs::write(&design_file, persist::save(&kept.design)).unwrap();
    let output =
        topology(&run.dir, &["export", design_file.to_str().unwrap(), "--out", export.to_str().unwrap(), "--force"]);
    // A design with errors is exported with --force and exit status 1 (the README lists them).
    let errors = nats_topology::model::validate::validate(&kept.design)
        .iter()
        .any(|d| d.severity == nats_topology::model::validate::Severity::Error);
    let wrote = text(&output.stdout).contains("wrote ");
    assert_eq!(output.status.code(), Some(i32::from(errors)), "export: {}", text(&output.stderr));
    assert!(wrote, "export failed: {}", text(&output.stderr));
    let home_before = {
        let mut files = Vec::new();
        files_under(&run.dir.join("home"), &mut files);
        files.len()
    };
    assert_eq!(home_before, 0, "HOME starts empty");

    let first = run_script(&run, &kept, &export);
    assert!(first.status.success(), "nats-setup.sh failed:\n{}\n{}", text(&first.stdout), text(&first.stderr));

    // Every stream, in its domain, with exactly the exported configuration.
    let mut created = Vec::new();
    for stream in kept.design.streams() {
        let cluster = kept.design.cluster(stream.cluster).unwrap();
        let domain = cluster.domain().expect("every cluster of these designs has a domain");
        let file = fs::read_dir(export.join("streams"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                let v: Value = serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap();
                v["name"] == stream.config.name.as_str()
                    && p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(&nats_topology::model::export::file_stem(&cluster.name))
            })
            .unwrap_or_else(|| panic!("no exported file for {}", stream.config.name));
        let exported: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        let info = stream_info(&run, &kept, &stream.config.name, domain);
        assert_config_matches(&exported, &info["config"], &format!("{} in {domain}", stream.config.name));
        created.push((stream.id, domain.to_owned(), info["created"].clone()));
    }
    assert!(!created.is_empty());

    // Every mirror and source delivers a message published with `nats pub` on its origin.
    for stream in kept.design.streams() {
        let origins = stream.config.mirror.iter().chain(&stream.config.sources);
        for origin in origins {
            let Some(origin_id) = kept.design.resolve_origin(stream, origin) else {
                panic!("origin of {}", stream.config.name)
            };
            let origin_stream = kept.design.stream(origin_id).unwrap();
            let Some(subject) = origin_stream.config.subjects.first() else { continue };
            let origin_cluster = kept.design.cluster(origin_stream.cluster).unwrap();
            let url = &kept.urls.iter().find(|(n, _, _)| *n == origin_cluster.name).unwrap().2;
            let domain = kept.design.cluster(stream.cluster).unwrap().domain().unwrap().to_owned();
            let before = messages(&stream_info(&run, &kept, &stream.config.name, &domain));
            let published = nats(&run, &kept, url, &["pub", &literal(subject), "from the nats CLI"]);
            assert!(published.status.success(), "nats pub: {}", text(&published.stderr));
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let now = messages(&stream_info(&run, &kept, &stream.config.name, &domain));
                if now > before {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{} in {domain} did not receive a message published on {} of {}",
                    stream.config.name,
                    literal(subject),
                    origin_stream.config.name
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }

    extra(&run, &kept, &export);

    // A second run succeeds and changes nothing: the same streams, created when they were.
    let second = run_script(&run, &kept, &export);
    assert!(second.status.success(), "second run failed:\n{}\n{}", text(&second.stdout), text(&second.stderr));
    for (id, domain, was_created) in &created {
        let stream = kept.design.stream(*id).unwrap();
        let info = stream_info(&run, &kept, &stream.config.name, domain);
        assert_eq!(&info["created"], was_created, "{} was created again", stream.config.name);
    }

    // No file under HOME or the export folder holds the password.
    let mut files = Vec::new();
    files_under(&run.dir.join("home"), &mut files);
    files_under(&export, &mut files);
    for (path, bytes) in &files {
        assert!(!text(bytes).contains(&kept.password), "{} holds the password the script was given", path.display());
    }
    let output = [first, second].iter().map(|o| text(&o.stdout) + &text(&o.stderr)).collect::<String>();
    assert!(!output.contains(&kept.password), "the password was printed");
}

#[test]
fn the_exported_script_creates_the_corrected_guide_on_2_9() {
    let server = support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1);
    the_exported_script_creates_every_stream_exactly("guide-29", &guide_corrected(), &server, &|_, _, _| {});
}

#[test]
fn the_exported_script_creates_the_corrected_guide_on_2_15() {
    let server = support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1);
    the_exported_script_creates_every_stream_exactly("guide-215", &guide_corrected(), &server, &|_, _, _| {});
}

#[test]
fn the_exported_script_creates_streams_with_hostile_names_on_2_15() {
    let server = support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1);
    the_exported_script_creates_every_stream_exactly("hostile-215", &hostile_names(), &server, &|_, _, _| {});
}

/// The "Edge key-value" template with every `nats kv add` flag on the hub's bucket (compression
/// only where the server has it: 2.9 ignores the field), an object store on the hub, and a
/// stream that took a hostile bucket name (`bucket-name-invalid`), which the script must create
/// with `nats stream add --config`, quoted. For 2.9 the clusters target 2.9, whose stream files
/// leave out the sources' subject transforms (2.9 predates them and stores none).
fn buckets(on_2_9: bool) -> Design {
    use nats_topology::model::bucket::{self, KvSettings, ObjSettings};
    use nats_topology::model::stream::{Compression, Storage, SECOND};
    let mut d = nats_topology::model::templates::edge_key_value();
    if on_2_9 {
        let ids: Vec<_> = d.clusters().map(|(id, _)| id).collect();
        for id in ids {
            d.cluster_mut(id).unwrap().version = nats_topology::model::NatsVersion::V2_9;
        }
    }
    let hub = d.clusters().next().map(|(id, _)| id).unwrap();
    let config = d.streams().next().unwrap().id;
    let settings = KvSettings {
        description: Some("it's $(id)".into()),
        history: 5,
        ttl: 3600 * SECOND,
        max_value_size: 1024,
        max_bytes: 1 << 20,
        replicas: 3,
        compression: if on_2_9 { Compression::None } else { Compression::S2 },
        ..KvSettings::default()
    };
    bucket::set_kv(&d, config, &settings).unwrap().apply(&mut d).unwrap();
    let store =
        ObjSettings { ttl: 60 * SECOND, max_bytes: 1 << 20, storage: Storage::Memory, ..ObjSettings::default() };
    d.add_stream(hub, "ACC", bucket::obj_config("files", &store));
    let mut hostile = bucket::kv_config("x", &KvSettings::default());
    hostile.name = "KV_$(id)'".into();
    hostile.subjects = vec!["$KV.$(id)'.>".into()];
    d.add_stream(hub, "ACC", hostile);
    d
}

/// Buckets are made by `nats kv add` / `nats object add` with their flags; a `put` on the hub is
/// read by `nats kv get` at each site from the site's own mirror, in its own domain.
fn buckets_work(run: &Run, kept: &Kept, export: &Path) {
    let script = fs::read_to_string(export.join("nats-setup.sh")).unwrap();
    assert!(script.contains("  nats kv add config --history=5 --ttl=3600s --max-value-size=1024B"), "{script}");
    assert!(script.contains("  nats object add files --ttl=60s --max-bucket-size=1048576B --storage=memory"));
    assert!(script.contains("  nats kv add status-1 --history=1 --js-domain=site-1"), "{script}");
    assert!(script.contains("nats stream add --config streams/spoke-1.KV_config.json --js-domain=site-1"));
    assert!(!script.contains("nats kv add '"), "the hostile name is no kv add word");
    let shellcheck = Command::new("shellcheck").arg(export.join("nats-setup.sh")).output().expect("shellcheck runs");
    assert!(shellcheck.status.success(), "shellcheck: {}", text(&shellcheck.stdout));

    let url = |name: &str| kept.urls.iter().find(|(n, _, _)| n == name).unwrap().2.clone();
    let put = nats(run, kept, &url("hub"), &["kv", "put", "config", "greeting", "hello from the hub"]);
    assert!(put.status.success(), "kv put: {}", text(&put.stderr));
    for site in ["spoke-1", "spoke-2"] {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = nats(run, kept, &url(site), &["kv", "get", "config", "greeting", "--raw"]);
            if got.status.success() && text(&got.stdout) == "hello from the hub" {
                break;
            }
            assert!(Instant::now() < deadline, "kv get at {site}: {} {}", text(&got.stdout), text(&got.stderr));
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let listed = nats(run, kept, &url("hub"), &["object", "ls"]);
    assert!(text(&listed.stdout).contains("files"), "object ls: {}", text(&listed.stdout));

    // A rerun brings an existing bucket to its file through the API, and stops on the server's
    // refusal: the storage of a stream cannot change.
    let bad = run.dir.join("export-bad");
    let copied = Command::new("cp").arg("-r").arg(export).arg(&bad).status().expect("cp runs");
    assert!(copied.success());
    let file = bad.join("streams/hub.KV_config.json");
    let edited = fs::read_to_string(&file).unwrap().replace("\"storage\": \"file\"", "\"storage\": \"memory\"");
    assert!(edited.contains("\"memory\""));
    fs::write(&file, edited).unwrap();
    let refused = run_script(run, kept, &bad);
    assert!(!refused.status.success(), "a refused update must fail the script: {}", text(&refused.stdout));
    assert!(text(&refused.stderr).contains("\"error\""), "the refusal is shown: {}", text(&refused.stderr));
}

#[test]
fn the_exported_script_creates_buckets_on_2_9() {
    let server = support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1);
    the_exported_script_creates_every_stream_exactly("buckets-29", &buckets(true), &server, &buckets_work);
}

#[test]
fn the_exported_script_creates_buckets_on_2_15() {
    let server = support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1);
    the_exported_script_creates_every_stream_exactly("buckets-215", &buckets(false), &server, &buckets_work);
}

/// `nats` as the hub user of `account` (the sandbox's credentials for it).
fn nats_as(run: &Run, kept: &Kept, account: &str, url: &str, args: &[&str]) -> Output {
    let credential = &kept.credentials[account];
    let as_account = Kept {
        design: kept.design.clone(),
        urls: kept.urls.clone(),
        user: credential["user"].as_str().expect("the sandbox names a user per account").to_owned(),
        password: credential["password"].as_str().expect("and its password").to_owned(),
        credentials: Value::Null,
    };
    nats(run, &as_account, url, args)
}

/// The "Cross-account sharing" template: `nats-setup.sh` creates DATA's streams as its own user
/// and APP's copies as APP's hub user (`NATS_PASSWORD_APP`), from files that carry
/// `external.api` and `external.deliver`; every stream reads back as exported, a message
/// published on each origin with `nats pub` arrives in its cross-account copy, a second run
/// changes nothing, and no file holds a password.
fn the_cross_account_design_round_trips_through_natscli(test: &str, server: &Path) {
    let design = cross_account_sharing();
    let (run, kept) = start(test, &design, server);
    let export = run.dir.join("export");
    let design_file = run.dir.join("run-design.json");
    fs::write(&design_file, persist::save(&kept.design)).unwrap();
    let output =
        topology(&run.dir, &["export", design_file.to_str().unwrap(), "--out", export.to_str().unwrap(), "--force"]);
    assert!(output.status.success(), "export failed: {}", text(&output.stderr));
    let script = fs::read_to_string(export.join("nats-setup.sh")).unwrap();
    assert!(!script.contains("Not created"), "{script}");
    let first = run_script(&run, &kept, &export);
    assert!(first.status.success(), "nats-setup.sh failed:\n{}\n{}", text(&first.stdout), text(&first.stderr));
    let hub_url = kept.urls.iter().find(|(n, _, _)| n == "hub").unwrap().2.clone();
    let streams = [
        ("orders", "DATA", "hub"),
        ("events", "DATA", "hub"),
        ("orders-mirror", "APP", "spoke"),
        ("events-copy", "APP", "spoke"),
    ];
    let info = |name: &str, account: &str, domain: &str| -> Value {
        let info = nats_as(&run, &kept, account, &hub_url, &["stream", "info", name, "--json", "--js-domain", domain]);
        assert!(info.status.success(), "stream info {name}: {}", text(&info.stderr));
        serde_json::from_slice(&info.stdout).unwrap()
    };
    let mut created = Vec::new();
    for (name, account, domain) in streams {
        let file = export.join("streams").join(format!("{domain}.{name}.json"));
        let exported: Value = serde_json::from_str(&fs::read_to_string(file).unwrap()).unwrap();
        if account == "APP" {
            let origin = exported["mirror"].as_object().or_else(|| exported["sources"][0].as_object()).unwrap();
            assert_eq!(origin["external"]["api"], "JS.DATA.API", "{name}: {exported}");
            assert_eq!(origin["external"]["deliver"], format!("deliver.APP.{name}").as_str(), "{name}: {exported}");
        }
        let info = info(name, account, domain);
        assert_config_matches(&exported, &info["config"], &format!("{name} in {domain}"));
        created.push(info["created"].clone());
    }
    for (subject, copy) in [("orders.probe", "orders-mirror"), ("events.probe", "events-copy")] {
        let before = messages(&info(copy, "APP", "spoke"));
        let published = nats_as(&run, &kept, "DATA", &hub_url, &["pub", subject, "from the nats CLI"]);
        assert!(published.status.success(), "nats pub: {}", text(&published.stderr));
        let deadline = Instant::now() + Duration::from_secs(10);
        while messages(&info(copy, "APP", "spoke")) <= before {
            assert!(Instant::now() < deadline, "{copy} did not receive the message published on {subject}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let second = run_script(&run, &kept, &export);
    assert!(second.status.success(), "second run failed:\n{}\n{}", text(&second.stdout), text(&second.stderr));
    for ((name, account, domain), was_created) in streams.iter().zip(&created) {
        assert_eq!(&info(name, account, domain)["created"], was_created, "{name} was created again");
    }
    let passwords: Vec<&str> =
        kept.credentials.as_object().unwrap().values().filter_map(|c| c["password"].as_str()).collect();
    let mut files = Vec::new();
    files_under(&run.dir.join("home"), &mut files);
    files_under(&export, &mut files);
    let printed = [first, second].iter().map(|o| text(&o.stdout) + &text(&o.stderr)).collect::<String>();
    for password in passwords {
        for (path, bytes) in &files {
            assert!(!text(bytes).contains(password), "{} holds a password", path.display());
        }
        assert!(!printed.contains(password), "a password was printed");
    }
}

#[test]
fn the_cross_account_design_round_trips_through_natscli_on_2_9() {
    let server = support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1);
    the_cross_account_design_round_trips_through_natscli("accounts-29", &server);
}

#[test]
fn the_cross_account_design_round_trips_through_natscli_on_2_15() {
    let server = support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1);
    the_cross_account_design_round_trips_through_natscli("accounts-215", &server);
}

/// The corrected guide with consumers: a filtered pull consumer and a push consumer with a
/// hostile (but server-valid) durable name on the hub's stream, and a pull consumer with
/// redelivery limits on a spoke's stream (created in the spoke's domain).
fn guide_with_consumers() -> Design {
    use nats_topology::model::consumer::{Consumer, DeliverPolicy};
    use nats_topology::model::stream::SECOND;
    let mut d = guide_corrected();
    let id = |d: &Design, name: &str| d.streams().find(|s| s.config.name == name).map(|s| s.id).unwrap();
    let films = id(&d, "cinema-a");
    let mut projector = Consumer::pull("projector");
    projector.filter_subjects = d.stream(films).unwrap().config.subjects.clone();
    projector.deliver_policy = DeliverPolicy::LastPerSubject;
    let mut hostile = Consumer::push("$(id)'\"<b;x", "deliver.films");
    hostile.description = Some("it's $(id)\nand `uname`".into());
    d.stream_mut(films).unwrap().consumers = vec![projector, hostile];
    let tickets = id(&d, "tickets-1");
    let mut counter = Consumer::pull("counter");
    counter.max_deliver = Some(5);
    counter.ack_wait = Some(45 * SECOND);
    counter.max_ack_pending = Some(100);
    d.stream_mut(tickets).unwrap().consumers = vec![counter];
    d
}

/// Every consumer exists in its stream's domain with every field its exported file sets.
fn consumers_exist(run: &Run, kept: &Kept, export: &Path) {
    let hub_url = kept.urls.iter().find(|(n, _, _)| n == hub_name(&kept.design)).unwrap().2.clone();
    let mut checked = 0;
    for stream in kept.design.streams() {
        let domain = kept.design.cluster(stream.cluster).unwrap().domain().unwrap().to_owned();
        for consumer in &stream.consumers {
            let file = fs::read_dir(export.join("consumers"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| {
                    let v: Value = serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap();
                    v["durable_name"] == consumer.durable.as_str()
                        && p.to_string_lossy().contains(&nats_topology::model::export::file_stem(&stream.config.name))
                })
                .unwrap_or_else(|| panic!("no exported file for consumer {}", consumer.durable));
            let exported: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
            let args = ["consumer", "info", &stream.config.name, &consumer.durable, "--json", "--js-domain", &domain];
            let output = nats(run, kept, &hub_url, &args);
            assert!(output.status.success(), "consumer info {}: {}", consumer.durable, text(&output.stderr));
            let info: Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_config_matches(
                &exported,
                &info["config"],
                &format!("{} > {}", stream.config.name, consumer.durable),
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 3, "every consumer of the design was checked");
}

#[test]
fn the_exported_script_creates_every_consumer_exactly_on_2_9() {
    let server = support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1);
    the_exported_script_creates_every_stream_exactly(
        "consumers-29",
        &guide_with_consumers(),
        &server,
        &consumers_exist,
    );
}

#[test]
fn the_exported_script_creates_every_consumer_exactly_on_2_15() {
    let server = support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1);
    the_exported_script_creates_every_stream_exactly(
        "consumers-215",
        &guide_with_consumers(),
        &server,
        &consumers_exist,
    );
}
