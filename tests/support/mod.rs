//! Support for tests against real nats-servers: finding the installed binaries, running a
//! server for the length of a test, and a minimal synchronous NATS client.
//!
//! A server listens on 127.0.0.1 only, on a free port, with its configuration and JetStream
//! store in a fresh temporary folder; dropping the handle kills the process and removes the
//! folder, also when the test panics. The client speaks just enough of the protocol for
//! request/reply: CONNECT, PING/PONG, SUB, PUB with a reply subject, UNSUB and MSG.

#![allow(dead_code)]

use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The nats-server binary named by `env_var`, or `default` (relative to the home folder when
/// it does not start with `/`). Panics, never skips, when it is missing: `make test` installs it.
pub fn server_binary(env_var: &str, default: &str) -> PathBuf {
    let path = match std::env::var_os(env_var) {
        Some(path) => PathBuf::from(path),
        None if default.starts_with('/') => PathBuf::from(default),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(default),
    };
    assert!(
        path.is_file(),
        "nats-server not found at {} (set {env_var} to another path); `make test` installs it (scripts/setup.sh test)",
        path.display()
    );
    path
}

/// A nats-server process with JetStream, killed and cleaned up on drop.
pub struct NatsServer {
    child: Child,
    dir: PathBuf,
    pub port: u16,
    /// The version the server reports, `2.9.10`.
    pub version: String,
}

impl NatsServer {
    /// Starts `binary` with JetStream in `domain`, retrying once on a fresh port when the first
    /// one was taken between finding and binding it.
    pub fn start(binary: &Path, domain: &str) -> NatsServer {
        match Self::try_start(binary, domain) {
            Ok(server) => server,
            Err(first) => Self::try_start(binary, domain)
                .unwrap_or_else(|second| panic!("{} did not start: {first}; retried: {second}", binary.display())),
        }
    }

    fn try_start(binary: &Path, domain: &str) -> Result<NatsServer, String> {
        let dir = fresh_temp_dir().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
        let port = free_port().map_err(|e| format!("no free port: {e}"))?;
        let store = dir.join("jetstream");
        let conf = dir.join("server.conf");
        // No http, cluster, gateway or leafnode listener: nothing but the client port.
        let text = format!(
            "listen: 127.0.0.1:{port}\njetstream {{\n  store_dir: {:?}\n  domain: {domain}\n}}\n",
            store.display().to_string()
        );
        let log = dir.join("server.log");
        let started = fs::write(&conf, text)
            .and_then(|()| fs::File::create(&log))
            .and_then(|log| Command::new(binary).arg("-c").arg(&conf).stdout(Stdio::null()).stderr(log).spawn());
        let child = match started {
            Ok(child) => child,
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(format!("cannot run {}: {e}", binary.display()));
            }
        };
        // From here on, Drop cleans up.
        let mut server = NatsServer { child, dir, port, version: String::new() };
        server.wait_until_ready(Duration::from_secs(10))?;
        Ok(server)
    }

    fn log(&self) -> String {
        fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    fn wait_until_ready(&mut self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("nats-server exited ({status}) on port {}:\n{}", self.port, self.log()));
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
                return Err(format!("nats-server on port {} not ready after {limit:?}:\n{}", self.port, self.log()));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn client(&self) -> Client {
        Client::connect(self.port).unwrap_or_else(|e| panic!("cannot connect to nats-server {}: {e}", self.version))
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

fn fresh_temp_dir() -> io::Result<PathBuf> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("nats-topology-test-{}-{n}-{nanos}", std::process::id()));
        match fs::create_dir(&dir) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            result => return result.map(|()| dir),
        }
    }
}

/// Why a request failed.
#[derive(Debug)]
pub enum ClientError {
    /// The subject cannot be written on the protocol (empty, or containing whitespace).
    InvalidSubject(String),
    /// The server sent `-ERR`.
    Server(String),
    Io(io::Error),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::InvalidSubject(subject) => write!(f, "the protocol cannot carry the subject {subject:?}"),
            ClientError::Server(message) => write!(f, "server error: {message}"),
            ClientError::Io(e) => write!(f, "connection error: {e}"),
        }
    }
}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> Self {
        ClientError::Io(e)
    }
}

/// A synchronous NATS connection for request/reply.
pub struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
    next_sid: u64,
    pub server_version: String,
}

impl Client {
    pub fn connect(port: u16) -> Result<Client, ClientError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
        stream.set_nodelay(true)?;
        let mut client = Client { stream, buffer: Vec::new(), next_sid: 1, server_version: String::new() };
        let deadline = Instant::now() + Duration::from_secs(5);
        let info = client.read_line(deadline)?.ok_or_else(|| timeout("no INFO from the server"))?;
        let info =
            info.strip_prefix("INFO ").ok_or_else(|| ClientError::Server(format!("expected INFO, got {info}")))?;
        client.server_version = serde_json::from_str::<serde_json::Value>(info)
            .ok()
            .and_then(|v| v["version"].as_str().map(str::to_owned))
            .unwrap_or_default();
        client.write(
            br#"CONNECT {"verbose":false,"pedantic":false,"headers":false,"protocol":1,"name":"differential"}"#,
        )?;
        client.write(b"\r\nPING\r\n")?;
        loop {
            match client.read_line(deadline)?.as_deref() {
                Some("PONG") => return Ok(client),
                Some(line) if line.starts_with("-ERR") => return Err(ClientError::Server(line.to_owned())),
                Some(_) => {}
                None => return Err(timeout("no PONG from the server")),
            }
        }
    }

    /// Publishes `payload` to `subject` and waits up to `wait` for the reply: `Ok(None)` when
    /// none came in time.
    pub fn request(&mut self, subject: &str, payload: &[u8], wait: Duration) -> Result<Option<Vec<u8>>, ClientError> {
        self.request_matching(subject, payload, wait, |_| true)
    }

    /// Like `request`, but waits for the first reply that `wanted` accepts, skipping others
    /// (when a stream captures the request subject, its publish acknowledgement answers too).
    pub fn request_matching(
        &mut self,
        subject: &str,
        payload: &[u8],
        wait: Duration,
        wanted: impl Fn(&[u8]) -> bool,
    ) -> Result<Option<Vec<u8>>, ClientError> {
        if subject.is_empty() || subject.chars().any(char::is_whitespace) {
            return Err(ClientError::InvalidSubject(subject.to_owned()));
        }
        let sid = self.next_sid;
        self.next_sid += 1;
        let inbox = format!("_INBOX.differential.{sid}");
        let mut frame = format!("SUB {inbox} {sid}\r\nPUB {subject} {inbox} {}\r\n", payload.len()).into_bytes();
        frame.extend_from_slice(payload);
        frame.extend_from_slice(b"\r\n");
        self.write(&frame)?;
        let deadline = Instant::now() + wait;
        let reply = loop {
            match self.read_message(sid, deadline) {
                Ok(Some(payload)) if !wanted(&payload) => continue,
                other => break other,
            }
        };
        // Late replies to an abandoned inbox are dropped by the server after this.
        self.write(format!("UNSUB {sid}\r\n").as_bytes())?;
        reply
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// The payload of the next MSG for `sid`, answering PINGs and skipping other messages.
    fn read_message(&mut self, sid: u64, deadline: Instant) -> Result<Option<Vec<u8>>, ClientError> {
        loop {
            let Some(line) = self.read_line(deadline)? else { return Ok(None) };
            if line == "PING" {
                self.write(b"PONG\r\n")?;
            } else if line.starts_with("-ERR") {
                return Err(ClientError::Server(line));
            } else if let Some(args) = line.strip_prefix("MSG ") {
                // MSG <subject> <sid> [reply-to] <#bytes>
                let args: Vec<&str> = args.split_whitespace().collect();
                let parsed = (args.len() == 3 || args.len() == 4)
                    .then(|| Some((args[1].parse::<u64>().ok()?, args[args.len() - 1].parse::<usize>().ok()?)))
                    .flatten();
                let Some((msg_sid, size)) = parsed else {
                    return Err(ClientError::Server(format!("malformed MSG line: {line}")));
                };
                let Some(payload) = self.read_exact(size + 2, deadline)? else { return Ok(None) };
                if msg_sid == sid {
                    return Ok(Some(payload[..size].to_vec()));
                }
            }
            // +OK, PONG, INFO updates: nothing to do.
        }
    }

    /// The next protocol line without its CRLF, or `None` at the deadline.
    fn read_line(&mut self, deadline: Instant) -> Result<Option<String>, ClientError> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 2);
                return Ok(Some(line));
            }
            if !self.fill(deadline)? {
                return Ok(None);
            }
        }
    }

    fn read_exact(&mut self, size: usize, deadline: Instant) -> Result<Option<Vec<u8>>, ClientError> {
        while self.buffer.len() < size {
            if !self.fill(deadline)? {
                return Ok(None);
            }
        }
        Ok(Some(self.buffer.drain(..size).collect()))
    }

    /// Reads what the socket has into the buffer; `false` when the deadline passed first.
    fn fill(&mut self, deadline: Instant) -> Result<bool, ClientError> {
        let mut chunk = [0_u8; 16 * 1024];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            self.stream.set_read_timeout(Some(left))?;
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    let closed = io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection");
                    return Err(ClientError::Io(closed));
                }
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}

fn timeout(what: &str) -> ClientError {
    ClientError::Io(io::Error::new(io::ErrorKind::TimedOut, what.to_owned()))
}
