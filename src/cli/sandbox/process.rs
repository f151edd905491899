//! nats-server processes on this host: free ports, temporary folders, spawning with a log file,
//! waiting, stopping, and Ctrl-C.
//!
//! Invariants: every server listens on 127.0.0.1 only; a [`ServerProcess`] is killed and reaped
//! when dropped, and a [`TempDir`] removed, so a failing run (or a panicking test) leaves
//! nothing behind. A server started with `die_with_parent` gets SIGKILL from the kernel when the
//! thread that started it ends (`PR_SET_PDEATHSIG`), so even a killed CLI leaves no server.

use super::nats::{Client, ClientError};
use signal_hook::consts::{SIGINT, SIGTERM};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Ports and folders

/// `count` distinct ports that were free on 127.0.0.1 a moment ago (all bound at once, then
/// released), so another process may still take one before a server binds it.
pub fn free_ports(count: usize) -> io::Result<Vec<u16>> {
    let listeners = (0..count).map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0))).collect::<io::Result<Vec<_>>>()?;
    listeners.iter().map(|l| Ok(l.local_addr()?.port())).collect()
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
pub fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_millis(200)).is_ok()
}

/// A fresh folder under the system temp folder (`tempfile`), removed on drop unless kept.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    /// `None` once kept.
    dir: Option<tempfile::TempDir>,
}

impl TempDir {
    /// Creates `<temp>/<prefix>-<random>`.
    pub fn new(prefix: &str) -> io::Result<TempDir> {
        let dir = tempfile::Builder::new().prefix(&format!("{prefix}-")).tempdir()?;
        Ok(TempDir { path: dir.path().to_owned(), dir: Some(dir) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the folder in place when dropped.
    pub fn keep(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = dir.keep();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Signals

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Makes SIGINT and SIGTERM set the flag [`interrupted`] reports instead of ending the process,
/// so that wait loops can stop and clean up. A second signal ends the process.
pub fn catch_interrupts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for signal in [SIGINT, SIGTERM] {
            // The shutdown goes first: armed only once the flag is set, by the first signal.
            let registered = signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, &INTERRUPTED)
                .and_then(|_| signal_hook::flag::register(signal, &INTERRUPTED));
            debug_assert!(registered.is_ok(), "SIGINT and SIGTERM can be caught");
        }
    });
}

/// Whether SIGINT or SIGTERM arrived since [`catch_interrupts`].
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Sleeps `duration` in short steps; `false` as soon as an interrupt arrived.
pub fn pause(duration: Duration) -> bool {
    let end = Instant::now() + duration;
    while !interrupted() {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        thread::sleep(left.min(Duration::from_millis(50)));
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Processes

/// How to start a server.
#[derive(Clone, Debug, Default)]
pub struct Spawn {
    pub binary: PathBuf,
    pub conf: PathBuf,
    /// Its stderr (nats-server logs there) goes to this file.
    pub log: PathBuf,
    /// Environment variables added to the inherited environment.
    pub env: Vec<(String, String)>,
    /// SIGKILL the server when the thread that started it ends; off for servers that must
    /// outlive the CLI (`--keep`).
    pub die_with_parent: bool,
}

/// A running nats-server, killed and reaped on drop (unless detached).
#[derive(Debug)]
pub struct ServerProcess {
    child: Option<Child>,
    pub name: String,
    pub log: PathBuf,
}

impl ServerProcess {
    pub fn spawn(name: &str, spawn: &Spawn) -> io::Result<ServerProcess> {
        let log = fs::File::create(&spawn.log)?;
        let mut command = Command::new(&spawn.binary);
        command.arg("-c").arg(&spawn.conf).stdin(Stdio::null()).stdout(Stdio::null()).stderr(log);
        command.envs(spawn.env.iter().map(|(k, v)| (k, v)));
        // Its own process group: a Ctrl-C at the terminal reaches only the CLI, which stops the
        // servers in order; a kept sandbox does not end with the terminal's job.
        command.process_group(0);
        if spawn.die_with_parent {
            die_with_parent(&mut command);
        }
        let child = command.spawn()?;
        Ok(ServerProcess { child: Some(child), name: name.to_owned(), log: spawn.log.clone() })
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The exit status, when the server has ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.as_mut().and_then(|c| c.try_wait().ok().flatten())
    }

    /// The last `lines` lines of its log.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Kills the server and waits for it to end.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Leaves the server running: dropping no longer stops it.
    pub fn detach(&mut self) {
        self.child = None;
    }
}

/// Linux: the kernel sends the server SIGKILL when the thread that started it ends.
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    let parent = libc::pid_t::try_from(std::process::id()).unwrap_or(libc::pid_t::MAX);
    // SAFETY: between fork and exec only async-signal-safe calls (prctl, getppid).
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died before prctl: then nobody would send the signal.
            if libc::getppid() != parent {
                return Err(io::Error::other("the parent exited before the server started"));
            }
            Ok(())
        });
    }
}

/// Elsewhere there is no such signal: a killed CLI leaves its servers running (Ctrl-C, a
/// failure or a panic still stop them through `Drop`).
#[cfg(not(target_os = "linux"))]
fn die_with_parent(_command: &mut Command) {}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `binary --version`: `2.9.10`.
pub fn binary_version(binary: &Path) -> io::Result<String> {
    let output = Command::new(binary).arg("--version").stdin(Stdio::null()).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text.trim().rsplit(' ').next().unwrap_or_default().trim_start_matches('v');
    if !output.status.success() || version.is_empty() {
        return Err(io::Error::other(format!("{} --version printed {:?}", binary.display(), text.trim())));
    }
    Ok(version.to_owned())
}

// ---------------------------------------------------------------------------------------------
// HTTP monitoring

/// `GET path` on 127.0.0.1:`port` with HTTP/1.0: the status code and the body.
pub fn http_get(port: u16, path: &str, wait: Duration) -> io::Result<(u16, String)> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&address, wait)?;
    stream.set_read_timeout(Some(wait))?;
    stream.set_write_timeout(Some(wait))?;
    stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("not an HTTP response: {head:?}")))?;
    Ok((status, body.to_owned()))
}

// ---------------------------------------------------------------------------------------------
// One JetStream server (tests)

/// One nats-server with JetStream in a domain, listening on a free client port only, with its
/// conf and store in a fresh temporary folder; dropping it kills the process and removes the
/// folder, also when a test panics.
pub struct JetStreamServer {
    // Field order: the process ends before its folder goes.
    process: ServerProcess,
    _dir: TempDir,
    pub port: u16,
    /// The version the server reports, `2.9.10`.
    pub version: String,
}

impl JetStreamServer {
    /// Starts `binary` with JetStream in `domain`, retrying once on a fresh port when the first
    /// one was taken between finding and binding it. Panics when it does not start.
    pub fn start(binary: &Path, domain: &str) -> JetStreamServer {
        match Self::try_start(binary, domain) {
            Ok(server) => server,
            Err(first) => Self::try_start(binary, domain)
                .unwrap_or_else(|second| panic!("{} did not start: {first}; retried: {second}", binary.display())),
        }
    }

    fn try_start(binary: &Path, domain: &str) -> Result<JetStreamServer, String> {
        let dir = TempDir::new("nats-topology-test").map_err(|e| format!("cannot create a temporary folder: {e}"))?;
        let port = free_ports(1).map_err(|e| format!("no free port: {e}"))?[0];
        let store = dir.path().join("jetstream");
        let conf = dir.path().join("server.conf");
        // No http, cluster, gateway or leafnode listener: nothing but the client port.
        let text = format!(
            "listen: 127.0.0.1:{port}\njetstream {{\n  store_dir: {:?}\n  domain: {domain}\n}}\n",
            store.display().to_string()
        );
        fs::write(&conf, text).map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
        let spawn = Spawn {
            binary: binary.to_owned(),
            conf,
            log: dir.path().join("server.log"),
            env: Vec::new(),
            die_with_parent: true,
        };
        let process =
            ServerProcess::spawn("server", &spawn).map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let mut server = JetStreamServer { process, _dir: dir, port, version: String::new() };
        server.wait_until_ready(Duration::from_secs(10))?;
        Ok(server)
    }

    fn wait_until_ready(&mut self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.process.exited() {
                return Err(format!(
                    "nats-server exited ({status}) on port {}:\n{}",
                    self.port,
                    self.process.log_tail(40)
                ));
            }
            if let Ok(mut client) = Client::connect(self.port) {
                self.version = client.server_version.clone();
                // The port accepts before JetStream is up: wait for its API to answer too.
                let reply = client.request("$JS.API.INFO", b"", Duration::from_millis(500));
                if matches!(reply, Ok(Some(_))) {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                let log = self.process.log_tail(40);
                return Err(format!("nats-server on port {} not ready after {limit:?}:\n{log}", self.port));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last `lines` lines of its log.
    pub fn log_tail(&self, lines: usize) -> String {
        self.process.log_tail(lines)
    }

    pub fn client(&self) -> Client {
        Client::connect(self.port).unwrap_or_else(|e| panic!("cannot connect to nats-server {}: {e}", self.version))
    }

    /// Connects without panicking.
    pub fn try_client(&self) -> Result<Client, ClientError> {
        Client::connect(self.port)
    }
}

/// Each line of `text` indented by `indent`, for log tails in messages.
pub fn indented(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_distinct_and_bindable() {
        let ports = free_ports(8).unwrap();
        let mut sorted = ports.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 8);
        assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, ports[0])).is_ok());
    }

    #[test]
    fn temp_dirs_are_removed_unless_kept() {
        let dir = TempDir::new("nats-topology-unit").unwrap();
        let path = dir.path().to_owned();
        fs::write(path.join("f"), "x").unwrap();
        drop(dir);
        assert!(!path.exists());
        let mut kept = TempDir::new("nats-topology-unit").unwrap();
        kept.keep();
        let path = kept.path().to_owned();
        drop(kept);
        assert!(path.is_dir());
        fs::remove_dir_all(path).unwrap();
    }

    #[test]
    fn http_get_reads_status_and_body() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut request = [0; 1024];
            let n = socket.read(&mut request).unwrap();
            socket
                .write_all(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: x\r\n\r\n{\"status\":\"no\"}")
                .unwrap();
            String::from_utf8_lossy(&request[..n]).into_owned()
        });
        let (status, body) = http_get(port, "/healthz", Duration::from_secs(2)).unwrap();
        assert_eq!((status, body.as_str()), (503, "{\"status\":\"no\"}"));
        assert!(server.join().unwrap().starts_with("GET /healthz HTTP/1.0\r\n"));
    }

    #[test]
    fn a_spawned_process_is_killed_and_reaped_on_drop() {
        let dir = TempDir::new("nats-topology-unit").unwrap();
        let conf = dir.path().join("conf");
        fs::write(&conf, "").unwrap();
        // `sleep -c conf` fails at once; `sh -c` runs its argument: a stand-in for a server.
        let spawn = Spawn {
            binary: "/bin/sh".into(),
            conf: "sleep 30".into(),
            log: dir.path().join("log"),
            env: vec![("X".into(), "1".into())],
            die_with_parent: true,
        };
        let mut process = ServerProcess::spawn("s", &spawn).unwrap();
        let pid = process.pid().unwrap();
        assert!(process.exited().is_none());
        drop(process);
        assert!(!Path::new(&format!("/proc/{pid}")).exists(), "reaped");
    }
}
