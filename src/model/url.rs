//! URLs as NATS servers dial them: `scheme://[user[:password]@]host[:port][/path]`.
//!
//! One reading for every part of the product (leafnode rules, importers, exporters, share
//! links, the sandbox), so that they agree on what a URL names. It splits as Go's `url.Parse`
//! does where nats-server relies on it: the user information ends at the *last* `@` of the
//! authority, an IPv6 host is written in brackets (`[::1]:7422`), and user and password are
//! percent-encoded (RFC 3986 §3.2.1). Hosts compare in lower case without brackets or a
//! trailing dot.

use std::fmt::Write as _;

/// A URL split into its parts; borrowed parts are as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    /// The user information as written (still percent-encoded), without the `@`.
    pub userinfo: Option<&'a str>,
    /// Lower case, without IPv6 brackets or a trailing dot; never empty.
    pub host: String,
    /// The port written, if any.
    pub port: Option<u16>,
    /// `host[:port]` as written.
    pub hostport: &'a str,
    /// Whatever follows the authority (a websocket path, a query), as written.
    pub rest: &'a str,
}

/// Why a text is not a URL that can be dialed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    NoScheme,
    NoHost,
    BadPort(String),
}

impl<'a> Url<'a> {
    /// Parses `text` (surrounding blanks ignored). The scheme is not checked here: which ones
    /// are allowed depends on the link.
    pub fn parse(text: &'a str) -> Result<Url<'a>, UrlProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(UrlProblem::Empty);
        }
        let (scheme, rest) = text.split_once("://").ok_or(UrlProblem::NoScheme)?;
        let (authority, rest) = split_authority(rest);
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((info, hostport)) => (Some(info), hostport),
            None => (None, authority),
        };
        let (host, port) = split_host_port(hostport)?;
        Ok(Url { scheme, userinfo, host, port, hostport, rest })
    }

    /// The user, decoded.
    pub fn user(&self) -> Option<String> {
        self.userinfo.map(|info| percent_decode(info.split_once(':').map_or(info, |(user, _)| user)))
    }

    /// The password, decoded; `None` when the user information has no `:`.
    pub fn password(&self) -> Option<String> {
        self.userinfo.and_then(|info| info.split_once(':')).map(|(_, password)| percent_decode(password))
    }

    /// The port, or `default` when none is written.
    pub fn port_or(&self, default: u16) -> u16 {
        self.port.unwrap_or(default)
    }

    /// `host:port` (`[v6]:port`), with `default` for a missing port.
    pub fn endpoint(&self, default: u16) -> String {
        join_host_port(&self.host, self.port_or(default))
    }

    /// This URL with another host and port, its user information and path kept.
    pub fn with_endpoint(&self, host: &str, port: u16) -> String {
        let userinfo = self.userinfo.map_or_else(String::new, |u| format!("{u}@"));
        format!("{}://{userinfo}{}{}", self.scheme, join_host_port(host, port), self.rest)
    }

    /// This URL without its user information, everything else as written.
    pub fn without_userinfo(&self) -> String {
        format!("{}://{}{}", self.scheme, self.hostport, self.rest)
    }
}

/// The authority (up to the first `/`, `?` or `#`) and what follows it.
fn split_authority(rest: &str) -> (&str, &str) {
    rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()))
}

/// `host[:port]` or `[v6][:port]`; an empty port counts as none.
fn split_host_port(hostport: &str) -> Result<(String, Option<u16>), UrlProblem> {
    let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or(UrlProblem::NoHost)?;
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(UrlProblem::BadPort(after.to_owned())),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    let port = match port.filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => return Err(UrlProblem::BadPort(p.to_owned())),
        },
    };
    Ok((host, port))
}

/// The `(host, port)` a URL or a bare `host:port` names, with `default` for a missing port;
/// a scheme and user information are tolerated. `None` when it names no host or a bad port.
pub fn endpoint_of(text: &str, default: u16) -> Option<(String, u16)> {
    let text = text.trim();
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    let (authority, _) = split_authority(rest);
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, hostport)| hostport);
    split_host_port(hostport).ok().map(|(host, port)| (host, port.unwrap_or(default)))
}

/// The user information of a `scheme://` URL, however malformed the rest is (so that no
/// credential survives where it must not): the URL without it, and the user and password,
/// decoded. `None` when the URL has no scheme or no user information.
pub fn take_userinfo(text: &str) -> Option<(String, String, Option<String>)> {
    let (scheme, rest) = text.split_once("://")?;
    let (authority, path) = split_authority(rest);
    let (info, hostport) = authority.rsplit_once('@')?;
    let (user, password) = match info.split_once(':') {
        Some((user, password)) => (user, Some(percent_decode(password))),
        None => (info, None),
    };
    Some((format!("{scheme}://{hostport}{path}"), percent_decode(user), password))
}

/// `host:port`, with the host in brackets when it is an IPv6 address.
pub fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `url` with `user[:password]@` put after its scheme, both percent-encoded; `None` when it
/// already has user information or no `scheme://` to put it after.
pub fn with_userinfo(url: &str, user: &str, password: Option<&str>) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let (authority, _) = split_authority(rest);
    if authority.contains('@') {
        return None;
    }
    let info = match password {
        Some(password) => format!("{}:{}", percent_encode(user), percent_encode(password)),
        None => percent_encode(user),
    };
    Some(format!("{scheme}://{info}@{rest}"))
}

/// `text` percent-encoded for a URL's user information: everything but RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) becomes `%HH`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `%HH` escapes decoded; a malformed escape stays as written, and bytes that are not UTF-8
/// become U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
        match (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits are at most 0xff.
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_of_a_url_are_split_as_go_splits_them() {
        let url = Url::parse(" nats://a%40b:p@ss@HQ.Example.com.:7422/ws ").unwrap();
        assert_eq!((url.scheme, url.userinfo, url.host.as_str()), ("nats", Some("a%40b:p@ss"), "hq.example.com"));
        assert_eq!((url.port, url.rest), (Some(7422), "/ws"));
        assert_eq!((url.user().as_deref(), url.password().as_deref()), (Some("a@b"), Some("p@ss")));
        let url = Url::parse("tls://u@h").unwrap();
        assert_eq!((url.user().as_deref(), url.password(), url.port), (Some("u"), None, None));
        assert_eq!(url.endpoint(7422), "h:7422");
    }

    #[test]
    fn ipv6_hosts_are_bracketed_and_compared_without_brackets() {
        let url = Url::parse("nats://[::1]:4222").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", Some(4222)));
        assert_eq!(url.endpoint(7422), "[::1]:4222");
        assert_eq!(url.with_endpoint("fe80::2", 1), "nats://[fe80::2]:1");
        assert_eq!(Url::parse("nats://[::1]").unwrap().endpoint(7422), "[::1]:7422");
        assert_eq!(endpoint_of("[::1]:5", 7422), Some(("::1".into(), 5)));
        assert_eq!(endpoint_of("nats://u:p@[2001:db8::1]", 7422), Some(("2001:db8::1".into(), 7422)));
    }

    #[test]
    fn what_cannot_be_dialed_says_why() {
        assert_eq!(Url::parse("  "), Err(UrlProblem::Empty));
        assert_eq!(Url::parse("hq:7422"), Err(UrlProblem::NoScheme));
        assert_eq!(Url::parse("nats://:7422"), Err(UrlProblem::NoHost));
        assert_eq!(Url::parse("nats://[::1"), Err(UrlProblem::NoHost));
        assert_eq!(Url::parse("nats://h:74x"), Err(UrlProblem::BadPort("74x".into())));
        assert_eq!(Url::parse("nats://h:0"), Err(UrlProblem::BadPort("0".into())));
        assert_eq!(Url::parse("nats://[::1]x"), Err(UrlProblem::BadPort("x".into())));
        assert_eq!(endpoint_of("h:+1", 7422), None);
        assert_eq!(endpoint_of("", 7422), None);
    }

    #[test]
    fn endpoints_take_a_default_port_and_ignore_scheme_and_user() {
        assert_eq!(endpoint_of("hq.example.com", 7422), Some(("hq.example.com".into(), 7422)));
        assert_eq!(endpoint_of("nats://u:p@HQ:30742/x?y", 7422), Some(("hq".into(), 30742)));
        assert_eq!(endpoint_of("hq:", 7000), Some(("hq".into(), 7000)));
    }

    #[test]
    fn user_information_is_added_and_removed_without_touching_the_rest() {
        assert_eq!(with_userinfo("nats://h:1/p", "a@b", Some("p:w")).as_deref(), Some("nats://a%40b:p%3Aw@h:1/p"));
        assert_eq!(with_userinfo("nats://h:1", "u", None).as_deref(), Some("nats://u@h:1"));
        assert_eq!(with_userinfo("nats://x@h:1", "u", None), None);
        assert_eq!(with_userinfo("h:1", "u", None), None);
        let text = "nats://acc:s%40cret@hq:7422/ws";
        assert_eq!(Url::parse(text).unwrap().without_userinfo(), "nats://hq:7422/ws");
        assert_eq!(Url::parse("nats://HQ").unwrap().without_userinfo(), "nats://HQ");
    }

    #[test]
    fn user_information_is_taken_out_even_of_a_url_that_cannot_be_dialed() {
        let taken = take_userinfo;
        assert_eq!(taken("nats://a%40b:p%3Aw@h:1/x"), Some(("nats://h:1/x".into(), "a@b".into(), Some("p:w".into()))));
        assert_eq!(
            taken("nats://u:secret@:bad port"),
            Some(("nats://:bad port".into(), "u".into(), Some("secret".into())))
        );
        assert_eq!(taken("nats://u@h"), Some(("nats://h".into(), "u".into(), None)));
        assert_eq!(taken("nats://h:1/a@b"), None, "an @ after the authority is not user information");
        assert_eq!(taken("u:p@h"), None);
    }

    #[test]
    fn the_percent_codec_round_trips_any_text() {
        for text in ["plain", "a@b:c/d?e#f%", "$(rm -rf ~)", "\"; drop", "é ü 漢", "\n\t"] {
            let encoded = percent_encode(text);
            assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{encoded}");
            assert_eq!(percent_decode(&encoded), text);
        }
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }
}
