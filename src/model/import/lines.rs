//! Where keys are in a text: small scans that give the 1-based line of every key path of a
//! block-style YAML document or a JSON document, because neither `serde_yaml` nor
//! `serde_json` keeps positions for keys.
//!
//! Paths are dotted, list elements indexed: `auth.basic.accounts.ACC.users[0].pass`,
//! `sources[1].external.api`. The first occurrence of a path wins. Both scans are linear,
//! iterative (no recursion, so any nesting is safe) and never fail: a path they cannot place
//! simply has no line.

use std::collections::BTreeMap;

/// Key paths and their lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyLines(BTreeMap<String, usize>);

impl KeyLines {
    /// The line of `path`, if the scan found it.
    pub fn get(&self, path: &str) -> Option<usize> {
        self.0.get(path).copied()
    }

    /// The line of `path`, else of its nearest ancestor that has one.
    pub fn nearest(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(line) = self.get(path) {
                return Some(line);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }

    pub(super) fn insert(&mut self, path: String, line: usize) {
        self.0.entry(path).or_insert(line);
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// The key at the start of `text` (`key: ...`, `"key": ...`), and what follows the colon.
fn yaml_key(text: &str) -> Option<(String, &str)> {
    let (key, rest) = match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = text[1..].find(quote)? + 1;
            (text[1..end].to_owned(), &text[end + 1..])
        }
        _ => {
            let colon = text
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| text[i + 1..].is_empty() || text[i + 1..].starts_with([' ', '\t']))?;
            let key = text[..colon].trim_end();
            if key.is_empty() || key.starts_with(['{', '[', '#', '&', '*', '!', '|', '>']) {
                return None;
            }
            (key.to_owned(), &text[colon..])
        }
    };
    let rest = rest.trim_start().strip_prefix(':')?;
    Some((key, rest.trim()))
}

/// The lines of the keys of a block-style YAML document (flow maps are not entered).
pub fn yaml(text: &str) -> KeyLines {
    struct Frame {
        indent: usize,
        path: String,
        item: bool,
    }
    let mut out = KeyLines::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut items: BTreeMap<String, usize> = BTreeMap::new();
    // Inside a block scalar (`|`, `>`): lines deeper than this indentation are its text.
    let mut block: Option<usize> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let mut content = raw.trim();
        if content.is_empty() {
            continue;
        }
        if let Some(limit) = block {
            if indent > limit {
                continue;
            }
            block = None;
        }
        if content.starts_with('#') || content == "---" || content == "..." {
            continue;
        }
        let mut col = indent;
        if content == "-" || content.starts_with("- ") {
            while stack.last().is_some_and(|f| f.indent > col || (f.indent == col && f.item)) {
                stack.pop();
            }
            let parent = stack.last().map_or(String::new(), |f| f.path.clone());
            let index = items.entry(parent.clone()).or_insert(0);
            let path = format!("{parent}[{index}]");
            *index += 1;
            out.insert(path.clone(), line);
            stack.push(Frame { indent: col, path, item: true });
            let rest = content[1..].trim_start();
            col += content.len() - rest.len();
            content = rest;
            if content.is_empty() {
                continue;
            }
        }
        let Some((key, value)) = yaml_key(content) else { continue };
        while stack.last().is_some_and(|f| f.indent >= col) {
            stack.pop();
        }
        let parent = stack.last().map_or(String::new(), |f| f.path.clone());
        let path = join(&parent, &key);
        out.insert(path.clone(), line);
        let value = value.split(" #").next().unwrap_or_default().trim();
        if value.is_empty() || value.starts_with('&') {
            items.remove(&path);
            stack.push(Frame { indent: col, path, item: false });
        } else if value.starts_with('|') || value.starts_with('>') {
            block = Some(col);
        }
    }
    out
}

/// The lines of the keys of a JSON document (`a.b[1].c`).
pub fn json(text: &str) -> KeyLines {
    enum Frame {
        Object { key: Option<String>, expect_key: bool },
        Array { index: usize },
    }
    fn path(stack: &[Frame]) -> String {
        let mut out = String::new();
        for frame in stack {
            match frame {
                Frame::Object { key: Some(key), .. } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Frame::Object { key: None, .. } => {}
                Frame::Array { index } => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }
    let mut out = KeyLines::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' => stack.push(Frame::Object { key: None, expect_key: true }),
            '[' => stack.push(Frame::Array { index: 0 }),
            '}' | ']' => {
                stack.pop();
            }
            ',' => match stack.last_mut() {
                Some(Frame::Object { expect_key, key }) => {
                    *expect_key = true;
                    *key = None;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            ':' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = false;
                }
            }
            '"' => {
                let start = line;
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                text.push(escaped);
                            }
                        }
                        '\n' => {
                            line += 1;
                            text.push(c);
                        }
                        c => text.push(c),
                    }
                }
                if let Some(Frame::Object { key, expect_key: true }) = stack.last_mut() {
                    *key = Some(text);
                    out.insert(path(&stack), start);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_lists_and_nesting_get_their_lines() {
        let text = "\
# comment
nats:
  jetstream:
    enabled: true
leafnodes:
  remotes:
    - url: \"nats://a\"   # one
      account: ACC
    - url: b
  port: 7422
auth:
  basic:
    accounts:
      ACC:
        users:
        - user: acc
          pass: acc
";
        let lines = yaml(text);
        let get = |p: &str| lines.get(p);
        assert_eq!(get("nats.jetstream.enabled"), Some(4));
        assert_eq!(get("leafnodes.remotes[0]"), Some(7));
        assert_eq!(get("leafnodes.remotes[0].url"), Some(7));
        assert_eq!(get("leafnodes.remotes[0].account"), Some(8));
        assert_eq!(get("leafnodes.remotes[1].url"), Some(9));
        assert_eq!(get("leafnodes.port"), Some(10));
        assert_eq!(get("auth.basic.accounts.ACC.users[0].pass"), Some(17));
        assert_eq!(lines.nearest("auth.basic.accounts.ACC.users[0].missing"), Some(16));
        assert_eq!(get("nope"), None);
    }

    #[test]
    fn yaml_block_scalars_are_skipped() {
        let lines = yaml("a: |\n  b: 1\nc: 2\n");
        assert_eq!(lines.get("a.b"), None);
        assert_eq!(lines.get("c"), Some(3));
    }

    #[test]
    fn json_keys_get_their_lines() {
        let text = "{\n \"name\": \"s\",\n \"sources\": [\n  {\"name\": \"a\"},\n  {\n   \"name\": \"b\",\n   \"external\": {\"api\": \"x:y,\"}\n  }\n ]\n}";
        let lines = json(text);
        assert_eq!(lines.get("name"), Some(2));
        assert_eq!(lines.get("sources"), Some(3));
        assert_eq!(lines.get("sources[0].name"), Some(4));
        assert_eq!(lines.get("sources[1].name"), Some(6));
        assert_eq!(lines.get("sources[1].external.api"), Some(7));
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in ["\"", "- - -", ":", "'a", "[[[{{{", "a: 'b", "é: ü\n  - é", "\"\\"] {
            yaml(text);
            json(text);
        }
    }
}
