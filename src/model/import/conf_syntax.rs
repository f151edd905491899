//! The NATS configuration language (nats-server `conf/lex.go`, `conf/parse.go`), read into a
//! tree with line numbers: `key: value`, `key = value`, `key value`, blocks `{}`, arrays `[]`,
//! `#` and `//` comments, quoted and unquoted strings, numbers with size suffixes, booleans,
//! `include` directives and `$VARIABLE` references.
//!
//! Invariants: never panics, whatever the text; nesting is bounded ([`MAX_DEPTH`]) so hostile
//! input cannot exhaust the stack; every error names a 1-based line. Variables are resolved
//! against keys defined earlier in an enclosing block, as the server does, and left as
//! [`ConfValue::Var`] otherwise (the server would read them from its environment: secrets).

use std::fmt;

/// Deeper nesting is refused: no real configuration comes close.
pub const MAX_DEPTH: usize = 64;

/// A value of the configuration language.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `$NAME` not defined in the file: read from the environment by the server.
    Var(String),
    List(Vec<Item>),
    Map(Vec<Entry>),
}

/// A list element and its line.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub value: ConfValue,
    pub line: usize,
}

/// `key: value` in a block, or an `include` directive.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Pair { key: String, value: ConfValue, line: usize },
    Include { path: String, line: usize },
}

/// Why a text is not a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl ConfValue {
    /// The entries of a map, by key without case (nats-server lowercases option names).
    pub fn get(&self, key: &str) -> Option<(&ConfValue, usize)> {
        match self {
            ConfValue::Map(entries) => get(entries, key),
            _ => None,
        }
    }

    /// Truthy as the server reads `jetstream: enabled` and booleans.
    pub fn truthy(&self) -> bool {
        match self {
            ConfValue::Bool(b) => *b,
            ConfValue::Str(s) => {
                matches!(s.to_ascii_lowercase().as_str(), "enabled" | "enable" | "true" | "yes" | "on")
            }
            ConfValue::Int(n) => *n != 0,
            ConfValue::Map(_) => true,
            _ => false,
        }
    }
}

/// The last pair with `key` (a later definition wins), without case.
pub fn get<'a>(entries: &'a [Entry], key: &str) -> Option<(&'a ConfValue, usize)> {
    entries.iter().rev().find_map(|e| match e {
        Entry::Pair { key: k, value, line } if k.eq_ignore_ascii_case(key) => Some((value, *line)),
        _ => None,
    })
}

/// Parses a whole configuration file.
pub fn parse(text: &str) -> Result<Vec<Entry>, ConfError> {
    let mut parser = Parser { chars: text.chars().collect(), pos: 0, line: 1, scopes: Vec::new(), top_braces: 0 };
    parser.entries(None, 0)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    /// Keys defined so far in each enclosing block, for variables.
    scopes: Vec<Vec<(String, ConfValue)>>,
    /// `{` seen at the top level: the server skips braces around the whole file (chart 1.x
    /// renders its conf as one JSON object), and so does this parser.
    top_braces: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn error<T>(&self, line: usize, message: impl Into<String>) -> Result<T, ConfError> {
        Err(ConfError { line, message: message.into() })
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            self.pos += 1;
        }
    }

    fn at_comment(&self) -> bool {
        self.peek() == Some('#') || (self.peek() == Some('/') && self.peek_at(1) == Some('/'))
    }

    /// Skips blanks on the line (not newlines).
    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\r')) {
            self.pos += 1;
        }
    }

    /// Skips whitespace, newlines, separators and comments.
    fn skip_space(&mut self, separators: &[char]) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() || separators.contains(&c) => {
                    self.bump();
                }
                Some(_) if self.at_comment() => self.skip_comment(),
                _ => return,
            }
        }
    }

    fn entries(&mut self, close: Option<(char, usize)>, depth: usize) -> Result<Vec<Entry>, ConfError> {
        if depth > MAX_DEPTH {
            return self.error(self.line, format!("blocks nested deeper than {MAX_DEPTH} levels"));
        }
        self.scopes.push(Vec::new());
        let result = self.entries_in_scope(close, depth);
        self.scopes.pop();
        result
    }

    fn entries_in_scope(&mut self, close: Option<(char, usize)>, depth: usize) -> Result<Vec<Entry>, ConfError> {
        let mut entries = Vec::new();
        loop {
            self.skip_space(&[',', ';']);
            let Some(c) = self.peek() else {
                return match close {
                    Some((_, line)) => self.error(line, "a block opened here is never closed with }"),
                    None => Ok(entries),
                };
            };
            if c == '{' && close.is_none() {
                self.bump();
                self.top_braces += 1;
                continue;
            }
            if c == '}' {
                if close.is_some() {
                    self.bump();
                    return Ok(entries);
                }
                if self.top_braces > 0 {
                    self.bump();
                    self.top_braces -= 1;
                    continue;
                }
                return self.error(self.line, "unexpected }");
            }
            if c == ']' || c == '=' || c == ':' {
                return self.error(self.line, format!("unexpected {c} where a key was expected"));
            }
            let line = self.line;
            let key = self.key()?;
            if key.eq_ignore_ascii_case("include") && matches!(self.peek(), Some(' ' | '\t')) {
                self.skip_blanks();
                let path = match self.peek() {
                    Some('"') => self.double_quoted()?,
                    Some('\'') => self.single_quoted()?,
                    _ => self.bare_token().trim().to_owned(),
                };
                if path.is_empty() {
                    return self.error(line, "include needs a file name");
                }
                entries.push(Entry::Include { path, line });
                continue;
            }
            self.skip_blanks();
            if matches!(self.peek(), Some('=' | ':')) {
                self.bump();
                self.skip_blanks();
            }
            if self.peek().is_none() || self.peek() == Some('\n') || self.at_comment() {
                return self.error(line, format!("key {key} has no value"));
            }
            let value = self.value(depth)?;
            if let Some(scope) = self.scopes.last_mut() {
                scope.push((key.clone(), value.clone()));
            }
            entries.push(Entry::Pair { key, value, line });
        }
    }

    fn key(&mut self) -> Result<String, ConfError> {
        match self.peek() {
            Some('"') => self.double_quoted(),
            Some('\'') => self.single_quoted(),
            _ => {
                let mut key = String::new();
                while let Some(c) = self.peek() {
                    if c.is_whitespace() || matches!(c, '=' | ':' | '{' | '[' | '}' | ']' | ',' | ';') {
                        break;
                    }
                    key.push(c);
                    self.pos += 1;
                }
                if key.is_empty() {
                    return self.error(self.line, "a key was expected");
                }
                Ok(key)
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<ConfValue, ConfError> {
        let line = self.line;
        match self.peek() {
            Some('{') => {
                self.bump();
                Ok(ConfValue::Map(self.entries(Some(('}', line)), depth + 1)?))
            }
            Some('[') => {
                self.bump();
                self.list(line, depth + 1)
            }
            Some('"') => Ok(ConfValue::Str(self.double_quoted()?)),
            Some('\'') => Ok(ConfValue::Str(self.single_quoted()?)),
            Some('(') => self.block_string(line),
            Some('$') => {
                self.bump();
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    name.push(c);
                    self.pos += 1;
                }
                if name.is_empty() {
                    return self.error(line, "$ must be followed by a variable name");
                }
                Ok(self.lookup(&name).unwrap_or(ConfValue::Var(name)))
            }
            Some(_) => Ok(scalar(self.bare_token().trim())),
            None => self.error(line, "a value was expected"),
        }
    }

    fn lookup(&self, name: &str) -> Option<ConfValue> {
        self.scopes.iter().rev().find_map(|scope| scope.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    fn list(&mut self, open: usize, depth: usize) -> Result<ConfValue, ConfError> {
        if depth > MAX_DEPTH {
            return self.error(open, format!("arrays nested deeper than {MAX_DEPTH} levels"));
        }
        let mut items = Vec::new();
        loop {
            self.skip_space(&[',']);
            match self.peek() {
                None => return self.error(open, "an array opened here is never closed with ]"),
                Some(']') => {
                    self.bump();
                    return Ok(ConfValue::List(items));
                }
                Some('}') => return self.error(self.line, "unexpected } inside an array"),
                Some(c) => {
                    let (line, start) = (self.line, self.pos);
                    let value = self.value(depth)?;
                    // A value that reads nothing (`[;]`) would be read again forever.
                    if self.pos == start {
                        return self.error(line, format!("unexpected {c} inside an array"));
                    }
                    items.push(Item { value, line });
                }
            }
        }
    }

    /// An unquoted value: up to the end of the line, a separator, a closing bracket or a comment.
    fn bare_token(&mut self) -> String {
        let mut token = String::new();
        while let Some(c) = self.peek() {
            // A comment starts a token or follows a blank: `nats://host` is a value.
            let at_blank = token.is_empty() || token.ends_with([' ', '\t']);
            let comment = c == '#' || (c == '/' && self.peek_at(1) == Some('/'));
            if matches!(c, '\n' | ',' | ';' | '}' | ']') || (comment && at_blank) {
                break;
            }
            token.push(c);
            self.pos += 1;
        }
        token
    }

    fn double_quoted(&mut self) -> Result<String, ConfError> {
        let line = self.line;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return self.error(line, "a string opened here with \" is never closed"),
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('x') => {
                        let hex: String = (0..2).filter_map(|_| self.bump()).collect();
                        match u8::from_str_radix(&hex, 16) {
                            Ok(b) => out.push(char::from(b)),
                            Err(_) => return self.error(self.line, format!("invalid escape \\x{hex}")),
                        }
                    }
                    Some(c) => return self.error(self.line, format!("invalid escape \\{c}")),
                    None => return self.error(line, "a string opened here with \" is never closed"),
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn single_quoted(&mut self) -> Result<String, ConfError> {
        let line = self.line;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return self.error(line, "a string opened here with ' is never closed"),
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    /// `( ... )`: a block string, up to a `)` that ends a line.
    fn block_string(&mut self, line: usize) -> Result<ConfValue, ConfError> {
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return self.error(line, "a block string opened here with ( is never closed"),
                Some(')') if matches!(self.peek(), None | Some('\n' | '\r')) => {
                    return Ok(ConfValue::Str(out.trim().to_owned()));
                }
                Some(c) => out.push(c),
            }
        }
    }
}

/// An unquoted scalar: a boolean, a number (with a size suffix), or text.
fn scalar(token: &str) -> ConfValue {
    match token.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => return ConfValue::Bool(true),
        "false" | "no" | "off" => return ConfValue::Bool(false),
        _ => {}
    }
    if let Ok(n) = token.parse::<i64>() {
        return ConfValue::Int(n);
    }
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &token[digits.len()..];
    if let Ok(n) = digits.parse::<i64>() {
        let factor: i64 = match suffix.to_ascii_lowercase().as_str() {
            "k" => 1000,
            "kb" | "ki" | "kib" => 1 << 10,
            "m" => 1_000_000,
            "mb" | "mi" | "mib" => 1 << 20,
            "g" => 1_000_000_000,
            "gb" | "gi" | "gib" => 1 << 30,
            "t" => 1_000_000_000_000,
            "tb" | "ti" | "tib" => 1 << 40,
            _ => return ConfValue::Str(token.to_owned()),
        };
        return n.checked_mul(factor).map_or_else(|| ConfValue::Str(token.to_owned()), ConfValue::Int);
    }
    if token.contains('.') && !token.contains(':') {
        if let Ok(f) = token.parse::<f64>() {
            return ConfValue::Float(f);
        }
    }
    ConfValue::Str(token.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, key: &str) -> ConfValue {
        let entries = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        get(&entries, key).map(|(v, _)| v.clone()).unwrap_or_else(|| panic!("{key} in {entries:?}"))
    }

    /// Parses on another thread, failing when it does not finish in time.
    fn parse_within(text: &str) -> Result<Vec<Entry>, ConfError> {
        let (done, result) = std::sync::mpsc::channel();
        let text = text.to_owned();
        std::thread::spawn(move || done.send(parse(&text)));
        result.recv_timeout(std::time::Duration::from_secs(5)).unwrap_or_else(|_| panic!("parsing did not finish"))
    }

    #[test]
    fn an_array_item_that_reads_nothing_is_an_error_not_a_loop() {
        for text in ["a: [;]", "a: [1; 2]", "users: [\n  {user: x}\n  c;\n]"] {
            let error = parse_within(text).expect_err(text);
            assert!(error.message.starts_with("unexpected ; inside an array"), "{text}: {error}");
        }
    }

    #[test]
    fn every_separator_style_reads_alike() {
        for text in ["port: 4222", "port = 4222", "port 4222", "port:4222 # comment", "port=4222 // c"] {
            assert_eq!(value(text, "port"), ConfValue::Int(4222), "{text}");
        }
    }

    #[test]
    fn strings_numbers_booleans_and_sizes() {
        assert_eq!(value(r#"a: "x\"y\\z\n""#, "a"), ConfValue::Str("x\"y\\z\n".into()));
        assert_eq!(value("a: 'raw\\n'", "a"), ConfValue::Str("raw\\n".into()));
        assert_eq!(value("a: 0.0.0.0:7422", "a"), ConfValue::Str("0.0.0.0:7422".into()));
        assert_eq!(value("a: 1GB", "a"), ConfValue::Int(1 << 30));
        assert_eq!(value("a: 10k", "a"), ConfValue::Int(10_000));
        assert_eq!(value("a: true", "a"), ConfValue::Bool(true));
        assert_eq!(value("a: enabled", "a"), ConfValue::Str("enabled".into()));
        assert_eq!(value("a: 0.5", "a"), ConfValue::Float(0.5));
    }

    #[test]
    fn blocks_arrays_and_lines() {
        let text = "jetstream {\n  domain: hub\n}\ncluster {\n  routes = [\n    \"nats://a:6222\"\n    nats://b:6222, nats://c:6222\n  ]\n}\n";
        let entries = parse(text).expect("parses");
        let (jetstream, line) = get(&entries, "jetstream").expect("jetstream");
        assert_eq!(line, 1);
        assert_eq!(jetstream.get("domain"), Some((&ConfValue::Str("hub".into()), 2)));
        let (cluster, _) = get(&entries, "CLUSTER").expect("keys have no case");
        let Some((ConfValue::List(routes), 5)) = cluster.get("routes") else { panic!("{cluster:?}") };
        let lines: Vec<usize> = routes.iter().map(|i| i.line).collect();
        assert_eq!(lines, [6, 7, 7]);
    }

    #[test]
    fn variables_resolve_from_enclosing_blocks_or_stay_references() {
        let text = "PASS: \"s3cret\"\naccounts { A { users = [ {user: a, password: $PASS}, {user: b, password: $ENV_PASS} ] } }";
        let entries = parse(text).expect("parses");
        let (accounts, _) = get(&entries, "accounts").expect("accounts");
        let (a, _) = accounts.get("A").expect("A");
        let Some((ConfValue::List(users), _)) = a.get("users") else { panic!() };
        assert_eq!(users[0].value.get("password").map(|v| v.0.clone()), Some(ConfValue::Str("s3cret".into())));
        assert_eq!(users[1].value.get("password").map(|v| v.0.clone()), Some(ConfValue::Var("ENV_PASS".into())));
    }

    #[test]
    fn includes_are_directives() {
        let entries = parse("include ./auth.conf\ninclude \"x y.conf\"\n").expect("parses");
        assert_eq!(
            entries,
            [
                Entry::Include { path: "./auth.conf".into(), line: 1 },
                Entry::Include { path: "x y.conf".into(), line: 2 }
            ]
        );
    }

    #[test]
    fn errors_name_their_line_and_deep_nesting_is_refused() {
        assert_eq!(parse("a {\n b: 1\n").unwrap_err().line, 1);
        assert_eq!(parse("a: 1\nb: \"open\n").unwrap_err().line, 2);
        assert_eq!(parse("a: [1, 2\n").unwrap_err().line, 1);
        assert!(parse("}").is_err());
        assert!(parse("key\n").is_err());
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        let deep = format!("a {}{}", "{ b ".repeat(10_000), "}".repeat(10_000));
        assert!(parse(&deep).is_err());
    }
}

#[cfg(test)]
mod top_level_braces {
    use super::*;

    #[test]
    fn braces_around_the_whole_file_are_skipped_as_the_server_does() {
        let entries = parse("{\n  \"port\": 4222,\n  \"cluster\": {\"name\": \"hub\"}\n}\n").unwrap();
        assert_eq!(get(&entries, "port").map(|(v, _)| v.clone()), Some(ConfValue::Int(4222)));
        assert!(get(&entries, "cluster").is_some());
        assert!(parse("port: 1\n}\n").is_err(), "a closing brace with no opening one is still an error");
    }
}
