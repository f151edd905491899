//! A minimal synchronous NATS client: just enough of the protocol for the sandbox and the tests
//! against real servers. CONNECT (optionally with user and password, headers and no-responders),
//! PING/PONG, SUB/UNSUB, PUB with a reply subject, request with a timeout, and MSG/HMSG parsing.
//!
//! One connection, one thread, no background reader: messages are read while waiting for
//! something (a reply, a PONG), and messages for subscriptions nobody waits for are dropped.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

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

impl std::error::Error for ClientError {}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> Self {
        ClientError::Io(e)
    }
}

/// How to connect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// The connection's name, as monitoring shows it.
    pub name: String,
    pub user: Option<String>,
    pub password: Option<String>,
    /// Ask for headers and no-responder replies: a request nobody listens to is answered at once
    /// with status 503 instead of timing out. Messages then may arrive as HMSG.
    pub headers: bool,
}

/// A received message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub reply: Option<String>,
    /// The raw header block (`NATS/1.0 503\r\n...`), when the message came as HMSG.
    pub headers: Option<String>,
    pub payload: Vec<u8>,
}

impl Message {
    /// The status code of the header line (`NATS/1.0 503` → 503), if any.
    pub fn status(&self) -> Option<u16> {
        let first = self.headers.as_deref()?.lines().next()?;
        first.strip_prefix("NATS/1.0")?.split_whitespace().next()?.parse().ok()
    }

    /// A no-responders answer: nobody listens on the request's subject.
    pub fn is_no_responders(&self) -> bool {
        self.status() == Some(503)
    }
}

/// A synchronous NATS connection.
pub struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
    next_sid: u64,
    /// The version the server reports in its INFO, `2.9.10`.
    pub server_version: String,
}

/// A subject the protocol can carry: not empty, no whitespace.
fn check_subject(subject: &str) -> Result<(), ClientError> {
    if subject.is_empty() || subject.chars().any(char::is_whitespace) {
        return Err(ClientError::InvalidSubject(subject.to_owned()));
    }
    Ok(())
}

impl Client {
    /// Connects to `127.0.0.1:port` without credentials or headers.
    pub fn connect(port: u16) -> Result<Client, ClientError> {
        Self::connect_with(port, &ConnectOptions { name: "nats-topology".into(), ..ConnectOptions::default() })
    }

    /// Connects to `127.0.0.1:port` as `options` say, and waits for the server to confirm.
    pub fn connect_with(port: u16, options: &ConnectOptions) -> Result<Client, ClientError> {
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
        let mut connect = serde_json::json!({
            "verbose": false,
            "pedantic": false,
            "headers": options.headers,
            "no_responders": options.headers,
            "protocol": 1,
            "name": options.name,
        });
        if let Some(user) = &options.user {
            connect["user"] = user.as_str().into();
        }
        if let Some(password) = &options.password {
            connect["pass"] = password.as_str().into();
        }
        client.write(format!("CONNECT {connect}\r\nPING\r\n").as_bytes())?;
        loop {
            match client.read_line(deadline)?.as_deref() {
                Some("PONG") => return Ok(client),
                Some(line) if line.starts_with("-ERR") => return Err(ClientError::Server(line.to_owned())),
                Some(_) => {}
                None => return Err(timeout("no PONG from the server")),
            }
        }
    }

    /// Subscribes to `subject` and returns the subscription's id.
    pub fn subscribe(&mut self, subject: &str) -> Result<u64, ClientError> {
        check_subject(subject)?;
        let sid = self.next_sid;
        self.next_sid += 1;
        self.write(format!("SUB {subject} {sid}\r\n").as_bytes())?;
        Ok(sid)
    }

    pub fn unsubscribe(&mut self, sid: u64) -> Result<(), ClientError> {
        self.write(format!("UNSUB {sid}\r\n").as_bytes())?;
        Ok(())
    }

    /// Publishes `payload` to `subject`, with `reply` as the reply subject when given.
    pub fn publish(&mut self, subject: &str, reply: Option<&str>, payload: &[u8]) -> Result<(), ClientError> {
        check_subject(subject)?;
        if let Some(reply) = reply {
            check_subject(reply)?;
        }
        let reply = reply.map(|r| format!("{r} ")).unwrap_or_default();
        let mut frame = format!("PUB {subject} {reply}{}\r\n", payload.len()).into_bytes();
        frame.extend_from_slice(payload);
        frame.extend_from_slice(b"\r\n");
        self.write(&frame)?;
        Ok(())
    }

    /// Round-trips a PING: everything sent before has been processed by the server.
    pub fn flush(&mut self, wait: Duration) -> Result<(), ClientError> {
        self.write(b"PING\r\n")?;
        let deadline = Instant::now() + wait;
        loop {
            let Some(line) = self.read_line(deadline)? else { return Err(timeout("no PONG from the server")) };
            match line.as_str() {
                "PONG" => return Ok(()),
                "PING" => self.write(b"PONG\r\n")?,
                l if l.starts_with("-ERR") => return Err(ClientError::Server(line)),
                l if l.starts_with("MSG ") || l.starts_with("HMSG ") => {
                    // Nobody waits for it now: skip its payload.
                    self.parse_message(&line, deadline)?;
                }
                _ => {}
            }
        }
    }

    /// A fresh inbox subject.
    pub fn new_inbox(&mut self) -> String {
        format!("_INBOX.nats-topology.{}.{}", std::process::id(), self.next_sid)
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
        let reply = self.request_message(subject, payload, wait, |m| wanted(&m.payload))?;
        Ok(reply.map(|m| m.payload))
    }

    /// Like `request_matching`, with the whole reply (headers included: a no-responders
    /// answer is a reply too).
    pub fn request_message(
        &mut self,
        subject: &str,
        payload: &[u8],
        wait: Duration,
        wanted: impl Fn(&Message) -> bool,
    ) -> Result<Option<Message>, ClientError> {
        check_subject(subject)?;
        let sid = self.next_sid;
        self.next_sid += 1;
        let inbox = format!("_INBOX.nats-topology.{}.{sid}", std::process::id());
        let mut frame = format!("SUB {inbox} {sid}\r\nPUB {subject} {inbox} {}\r\n", payload.len()).into_bytes();
        frame.extend_from_slice(payload);
        frame.extend_from_slice(b"\r\n");
        self.write(&frame)?;
        let deadline = Instant::now() + wait;
        let reply = loop {
            match self.next_message(sid, deadline) {
                Ok(Some(message)) if !message.is_no_responders() && !wanted(&message) => continue,
                other => break other,
            }
        };
        // Late replies to an abandoned inbox are dropped by the server after this.
        self.unsubscribe(sid)?;
        reply
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// The next message for `sid`, or `None` at the deadline; answers PINGs and drops messages
    /// of other subscriptions.
    pub fn next_message(&mut self, sid: u64, deadline: Instant) -> Result<Option<Message>, ClientError> {
        loop {
            let Some(line) = self.read_line(deadline)? else { return Ok(None) };
            if line == "PING" {
                self.write(b"PONG\r\n")?;
            } else if line.starts_with("-ERR") {
                return Err(ClientError::Server(line));
            } else if line.starts_with("MSG ") || line.starts_with("HMSG ") {
                match self.parse_message(&line, deadline)? {
                    None => return Ok(None),
                    Some((msg_sid, message)) if msg_sid == sid => return Ok(Some(message)),
                    Some(_) => {}
                }
            }
            // +OK, PONG, INFO updates: nothing to do.
        }
    }

    /// Reads the payload announced by a MSG or HMSG line: the subscription id and message, or
    /// `None` at the deadline.
    fn parse_message(&mut self, line: &str, deadline: Instant) -> Result<Option<(u64, Message)>, ClientError> {
        // MSG <subject> <sid> [reply-to] <#bytes>
        // HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>
        let malformed = || ClientError::Server(format!("malformed message line: {line}"));
        let (with_headers, args) = match line.strip_prefix("HMSG ") {
            Some(args) => (true, args),
            None => (false, line.strip_prefix("MSG ").ok_or_else(malformed)?),
        };
        let args: Vec<&str> = args.split_whitespace().collect();
        let sizes = usize::from(with_headers) + 1;
        if args.len() != 2 + sizes && args.len() != 3 + sizes {
            return Err(malformed());
        }
        let sid = args[1].parse::<u64>().map_err(|_| malformed())?;
        let reply = (args.len() == 3 + sizes).then(|| args[2].to_owned());
        let numbers: Vec<usize> = args[args.len() - sizes..]
            .iter()
            .map(|n| n.parse::<usize>())
            .collect::<Result<_, _>>()
            .map_err(|_| malformed())?;
        let (header_size, total) = if with_headers { (numbers[0], numbers[1]) } else { (0, numbers[0]) };
        if header_size > total {
            return Err(malformed());
        }
        let Some(data) = self.read_exact(total + 2, deadline)? else { return Ok(None) };
        let headers = with_headers.then(|| String::from_utf8_lossy(&data[..header_size]).into_owned());
        let message =
            Message { subject: args[0].to_owned(), reply, headers, payload: data[header_size..total].to_vec() };
        Ok(Some((sid, message)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::thread;

    /// A fake server on a free port that sends `script` after the client's CONNECT and PING,
    /// and returns what the client sent.
    fn fake_server(script: &'static [u8]) -> (u16, thread::JoinHandle<String>) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            socket.write_all(b"INFO {\"version\":\"2.9.10\"}\r\n").unwrap();
            let mut received = Vec::new();
            let mut chunk = [0; 4096];
            while !String::from_utf8_lossy(&received).contains("PING\r\n") {
                let n = socket.read(&mut chunk).unwrap();
                received.extend_from_slice(&chunk[..n]);
            }
            socket.write_all(b"PONG\r\n").unwrap();
            socket.write_all(script).unwrap();
            socket.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
            while let Ok(n) = socket.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                received.extend_from_slice(&chunk[..n]);
            }
            String::from_utf8_lossy(&received).into_owned()
        });
        (port, handle)
    }

    #[test]
    fn connect_sends_credentials_and_messages_with_headers_are_parsed() {
        let (port, server) =
            fake_server(b"HMSG a.b 1 r.x 16 21\r\nNATS/1.0 503\r\n\r\nhello\r\nMSG c 1 5\r\nworld\r\n");
        let options =
            ConnectOptions { name: "t".into(), user: Some("acc".into()), password: Some("p\"w".into()), headers: true };
        let mut client = Client::connect_with(port, &options).unwrap();
        assert_eq!(client.server_version, "2.9.10");
        let deadline = Instant::now() + Duration::from_secs(2);
        let first = client.next_message(1, deadline).unwrap().unwrap();
        assert_eq!((first.subject.as_str(), first.reply.as_deref()), ("a.b", Some("r.x")));
        assert_eq!((first.status(), first.payload.as_slice()), (Some(503), &b"hello"[..]));
        let second = client.next_message(1, deadline).unwrap().unwrap();
        assert_eq!((second.headers, second.payload), (None, b"world".to_vec()));
        drop(client);
        let sent = server.join().unwrap();
        assert!(sent.contains("\"user\":\"acc\"") && sent.contains("\"pass\":\"p\\\"w\""), "{sent}");
        assert!(sent.contains("\"headers\":true") && sent.contains("\"no_responders\":true"), "{sent}");
    }

    #[test]
    fn subjects_with_whitespace_are_refused_before_sending() {
        let (port, server) = fake_server(b"");
        let mut client = Client::connect(port).unwrap();
        let result = client.request("a b", b"", Duration::from_millis(10));
        assert!(matches!(result, Err(ClientError::InvalidSubject(_))));
        drop(client);
        assert!(!server.join().unwrap().contains("a b"));
    }
}
