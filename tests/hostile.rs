//! Hostile input against the `nats-topology` binary (issue 20): every case must end quickly,
//! never pass a file it could not read, and never leave corrupt or partial output.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hang is a failure, not a wait. Most cases take well under a second; the megabyte names
/// take about 9 s of a debug build on an idle machine (every exporter reads every name), and
/// twice that on a loaded one, hence the margin.
const DEADLINE: Duration = Duration::from_secs(90);

/// A folder of its own under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("nats-topology-hostile-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir is writable");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("temp dir is writable");
        }
        fs::write(&path, bytes).expect("temp file is writable");
        path
    }

    /// The example design file, edited as JSON.
    fn example_with(&self, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
        let mut design: serde_json::Value =
            serde_json::from_str(&run(&["example"]).stdout).expect("example prints JSON");
        edit(&mut design);
        self.file(name, serde_json::to_string_pretty(&design).expect("serializes"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary, killing it (and failing the test) when it outlives `DEADLINE`.
fn run(args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nats-topology"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nats-topology {args:?} still ran after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run { code: status.code(), stdout: out.join().expect("reader"), stderr: err.join().expect("reader") }
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

fn validate(path: &Path) -> Run {
    run(&["validate", arg(path)])
}

#[track_caller]
fn check_exit(run: &Run, code: i32, stderr_has: &str) {
    assert_eq!(run.code, Some(code), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains(stderr_has), "expected {stderr_has:?} on stderr:\n{}", run.stderr);
}

const STREAM: &str = r#"{"name":"x","subjects":["x"]}"#;

// ---------------------------------------------------------------------------------------------
// 1. Symbolic link loops

#[test]
fn a_folder_with_links_back_into_itself_is_walked_once() {
    let scratch = Scratch::new("symlink-loop");
    let dir = scratch.path("d");
    scratch.file("d/s.json", STREAM);
    std::os::unix::fs::symlink(".", dir.join("l1")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("l2")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("up")).unwrap();
    let started = Instant::now();
    let result = validate(&dir);
    check_exit(&result, 0, "was already walked (a link back into it)");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    // The stream file is read once, not once per path that reaches it.
    assert_eq!(result.stderr.matches("stream x is not placed").count(), 1, "{}", result.stderr);
}

// ---------------------------------------------------------------------------------------------
// 2. Unreadable design files never pass

#[test]
fn a_named_file_that_cannot_be_read_as_a_design_or_configuration_exits_2() {
    let scratch = Scratch::new("unreadable-named");
    let mut example = run(&["example"]).stdout.into_bytes();
    example[40] = 0xff;
    let random: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for (name, bytes, says) in [
        ("invalid-utf8.json", example, "not UTF-8 text"),
        ("empty.json", Vec::new(), "cannot be read as a design or configuration: empty"),
        ("random.json", random, "not UTF-8 text"),
        ("nul.json", b"{\"format\": \"nats-topology\"\0}".to_vec(), "binary (NUL bytes)"),
        ("prose.conf", b"just some words\n".to_vec(), "cannot be read as a design or configuration"),
    ] {
        let path = scratch.file(name, bytes);
        let result = validate(&path);
        check_exit(&result, 2, says);
        let export = run(&["export", arg(&path), "--out", arg(&scratch.path("out"))]);
        check_exit(&export, 2, "");
    }
}

#[test]
fn a_config_file_in_a_folder_that_cannot_be_read_is_a_problem_other_files_a_note() {
    let scratch = Scratch::new("unreadable-walked");
    scratch.file("d/s.json", STREAM);
    scratch.file("d/logo.png", [0x89, b'P', b'N', b'G', 0xff, 0x00]);
    let result = validate(&scratch.path("d"));
    check_exit(&result, 0, "d/logo.png: skipped: not UTF-8 text");
    scratch.file("d/broken.json", [b'{', 0xff, b'}']);
    let result = validate(&scratch.path("d"));
    check_exit(&result, 2, "broken.json: not UTF-8 text");
    let import = run(&["import", arg(&scratch.path("d")), "-o", arg(&scratch.path("design.json"))]);
    check_exit(&import, 2, "broken.json: not UTF-8 text");
    assert!(!scratch.path("design.json").exists(), "an import with unreadable files writes nothing");
}

// ---------------------------------------------------------------------------------------------
// 3. Devices and FIFOs

fn fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn devices_and_fifos_named_on_the_command_line_are_refused() {
    let scratch = Scratch::new("devices");
    let pipe = scratch.path("pipe.json");
    fifo(&pipe);
    for path in [Path::new("/dev/zero"), Path::new("/dev/urandom"), &pipe] {
        check_exit(&validate(path), 2, "not a regular file");
        let import = run(&["import", arg(path), "-o", arg(&scratch.path("d.json"))]);
        check_exit(&import, 2, "not a regular file");
        let export = run(&["export", arg(path), "--out", arg(&scratch.path("out"))]);
        check_exit(&export, 2, "not a regular file");
    }
}

#[test]
fn a_fifo_inside_a_folder_is_skipped_with_a_note() {
    let scratch = Scratch::new("fifo-in-folder");
    scratch.file("d/s.json", STREAM);
    fifo(&scratch.path("d/pipe.json"));
    check_exit(&validate(&scratch.path("d")), 0, "d/pipe.json: skipped: not a regular file");
}

// ---------------------------------------------------------------------------------------------
// 6. Duplicate keys, 9. byte-order mark

#[test]
fn a_duplicate_account_key_is_an_error_with_its_line() {
    let scratch = Scratch::new("duplicate-key");
    let text = run(&["example"]).stdout;
    let first = text.find("\"accounts\": {").expect("the example has accounts") + "\"accounts\": {".len();
    let doubled = format!("{}\n        \"ACC\": {{}},{}", &text[..first], &text[first..]);
    // The error is at the second of the two keys: the example's own.
    let second = first + doubled[first..].find("\"ACC\": {\n").expect("the example's account");
    let line = doubled[..second].lines().count();
    let path = scratch.file("dup.json", doubled);
    check_exit(&validate(&path), 2, &format!("duplicate key \"ACC\" (line {line})"));
}

#[test]
fn a_design_file_with_a_byte_order_mark_is_read() {
    let scratch = Scratch::new("bom");
    let path = scratch.file("bom.json", format!("\u{feff}{}", run(&["example"]).stdout));
    let result = validate(&path);
    check_exit(&result, 0, "");
    assert_eq!(result.stdout, "0 errors, 0 warnings\n");
}

// ---------------------------------------------------------------------------------------------
// 4. Long names, 5. exports into existing folders

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                found.push(path.strip_prefix(dir).expect("under dir").to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

/// The entry names of a ZIP file as Python's `zipfile` reads them (after `testzip`).
fn zip_names(zip: &Path) -> Vec<String> {
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n\
                  print('\\n'.join(z.namelist()))";
    let output = Command::new("python3").args(["-c", script, arg(zip)]).output().expect("python3 runs");
    assert!(output.status.success(), "zipfile refuses {}: {}", zip.display(), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8").lines().map(str::to_owned).collect()
}

#[test]
fn names_of_a_megabyte_give_a_readable_zip_and_a_complete_folder() {
    let scratch = Scratch::new("long-names");
    let long = |c: &str| c.repeat(1024 * 1024);
    let design = scratch.example_with("long.json", |d| {
        d["name"] = long("n").into();
        d["clusters"][1]["name"] = long("c").into();
        d["clusters"][1]["server_name_prefix"] = long("p").into();
        d["streams"][0]["config"]["name"] = long("s").into();
    });
    let (out, zip) = (scratch.path("out"), scratch.path("bundle.zip"));
    let result = run(&["export", arg(&design), "--out", arg(&out), "--zip", arg(&zip), "--force"]);
    // stream-name-invalid: a stream name over 255 characters; exported anyway with --force.
    check_exit(&result, 1, "stream-name-invalid");
    let written: Vec<String> = tree(&out).into_iter().filter(|f| f != ".nats-topology-export").collect();
    assert!(written.len() > 10, "{written:?}");
    for path in &written {
        assert!(Path::new(path).components().all(|c| c.as_os_str().len() <= 255), "{path}");
    }
    let names = zip_names(&zip);
    assert_eq!(names.len(), written.len(), "the zip holds the folder's files: {names:?}");
}

fn export_example(scratch: &Scratch, out: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> Run {
    let design = scratch.example_with("design.json", edit);
    run(&["export", arg(&design), "--out", arg(out)])
}

#[test]
fn exporting_into_a_previous_export_replaces_it_as_a_whole() {
    let scratch = Scratch::new("re-export");
    let out = scratch.path("out");
    check_exit(&export_example(&scratch, &out, |_| {}), 0, "");
    let first = tree(&out);
    assert!(first.iter().any(|f| f.ends_with(".cinema-a-mirror.json")), "{first:?}");
    // The second design has one stream fewer: its file must not survive.
    let second = export_example(&scratch, &out, |d| {
        let streams = d["streams"].as_array_mut().expect("streams");
        streams.retain(|s| s["config"]["name"] != "cinema-a-mirror");
    });
    check_exit(&second, 0, "");
    let now = tree(&out);
    assert!(!now.iter().any(|f| f.ends_with(".cinema-a-mirror.json")), "{now:?}");
    assert!(!now.iter().any(|f| f.contains("cinema-a-mirror")), "nor its NACK Stream: {now:?}");
    assert_eq!(now.len(), first.len() - 2, "its stream file and its NACK Stream: {now:?}");
    let siblings: Vec<_> = fs::read_dir(&scratch.0).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(siblings.len(), 2, "no staging folder is left behind: {siblings:?}");
}

#[test]
fn a_folder_with_other_files_is_refused_unless_forced() {
    let scratch = Scratch::new("foreign");
    let out = scratch.path("out");
    scratch.file("out/notes.txt", "mine");
    let refused = export_example(&scratch, &out, |_| {});
    check_exit(&refused, 2, "notes.txt");
    assert_eq!(tree(&out), ["notes.txt"], "a refused export writes nothing");
    let design = scratch.path("design.json");
    let forced = run(&["export", arg(&design), "--out", arg(&out), "--force"]);
    check_exit(&forced, 0, "");
    let written = tree(&out);
    assert!(written.contains(&"notes.txt".to_owned()) && written.len() > 10, "{written:?}");
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
}

// ---------------------------------------------------------------------------------------------
// 7. Numbers the servers refuse

#[test]
fn a_max_msg_size_over_32_bits_is_an_error() {
    let scratch = Scratch::new("max-msg-size");
    let design =
        scratch.example_with("big.json", |d| d["streams"][0]["config"]["max_msg_size"] = 2_147_483_648i64.into());
    let result = validate(&design);
    check_exit(&result, 1, "");
    assert!(
        result.stdout.contains("error stream-config-schema stream cinema-a: max_msg_size 2147483648"),
        "{}",
        result.stdout
    );
    let design =
        scratch.example_with("max.json", |d| d["streams"][0]["config"]["max_msg_size"] = 2_147_483_647i64.into());
    check_exit(&validate(&design), 0, "");
}

// ---------------------------------------------------------------------------------------------
// 8. Names with both kinds of quote

/// Renames every use of account `from` in a design file to `to`.
fn rename_account(d: &mut serde_json::Value, from: &str, to: &str) {
    for cluster in d["clusters"].as_array_mut().expect("clusters") {
        if let Some(accounts) = cluster.get_mut("accounts").and_then(serde_json::Value::as_object_mut) {
            if let Some(account) = accounts.remove(from) {
                accounts.insert(to.to_owned(), account);
            }
        }
        for remote in cluster.get_mut("remotes").and_then(serde_json::Value::as_array_mut).into_iter().flatten() {
            if remote["local_account"] == from {
                remote["local_account"] = to.into();
            }
        }
    }
    for stream in d["streams"].as_array_mut().expect("streams") {
        if stream["account"] == from {
            stream["account"] = to.into();
        }
    }
}

#[test]
fn an_account_name_with_both_quotes_is_written_exactly_in_the_confs() {
    let scratch = Scratch::new("quotes");
    let name = "ACC\"\\'";
    let design = scratch.example_with("quotes.json", |d| rename_account(d, "ACC", name));
    let out = scratch.path("out");
    check_exit(&run(&["export", arg(&design), "--out", arg(&out)]), 0, "");
    let conf = fs::read_to_string(out.join("server/spoke-1/s1-nats-0.conf")).expect("the spoke's conf");
    assert!(conf.contains("ACC\"\\':"), "the account is a bare key:\n{conf}");
    assert!(conf.contains("account: \"ACC\\\"\\\\'\""), "the remote names it escaped:\n{conf}");
    assert!(!conf.contains("ACC_\\'"), "the name is not renamed:\n{conf}");
    let imported = scratch.path("imported.json");
    let result = run(&["import", arg(&out.join("server")), "-o", arg(&imported)]);
    assert_ne!(result.code, Some(2), "{}", result.stderr);
    let back: serde_json::Value = serde_json::from_str(&fs::read_to_string(&imported).unwrap()).unwrap();
    let accounts: Vec<&String> =
        back["clusters"].as_array().unwrap().iter().flat_map(|c| c["accounts"].as_object().unwrap().keys()).collect();
    assert!(accounts.iter().any(|a| *a == name), "{accounts:?}");
    assert!(!accounts.iter().any(|a| a.starts_with("ACC_")), "{accounts:?}");
}

#[test]
fn an_export_through_a_link_to_a_folder_replaces_the_folders_contents() {
    let scratch = Scratch::new("linked-out");
    let real = scratch.path("real");
    fs::create_dir_all(&real).unwrap();
    let link = scratch.path("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    check_exit(&export_example(&scratch, &link, |_| {}), 0, "");
    check_exit(&export_example(&scratch, &link, |_| {}), 0, "");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    assert!(tree(&real).len() > 10, "{:?}", tree(&real));
}
