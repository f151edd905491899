//! Light syntax highlighting for previews of exported files: a tiny line tokenizer for YAML,
//! JSON, shell and nats-server conf that marks keys, strings, comments, numbers, literals and
//! shell variables. It never fails and never drops text: the tokens, concatenated, are the input.
//!
//! Tokens are slices of the text; the designer renders each as a text node inside a `<span>`
//! with a class, so file contents never become markup.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Key,
    Str,
    Comment,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// A shell variable: `$NAME`, `${NAME}`.
    Variable,
}

impl Token {
    /// The CSS class of the token; empty for plain text.
    pub fn class(self) -> &'static str {
        match self {
            Token::Plain => "",
            Token::Key => "tok-key",
            Token::Str => "tok-str",
            Token::Comment => "tok-comment",
            Token::Number => "tok-num",
            Token::Literal => "tok-lit",
            Token::Variable => "tok-var",
        }
    }
}

/// The languages the tokenizer knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Yaml,
    Json,
    Shell,
    Conf,
    /// No highlighting (Markdown and anything unknown).
    Text,
}

impl Language {
    /// The language of a file, by its extension.
    pub fn of(path: &str) -> Language {
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "yaml" | "yml" => Language::Yaml,
            "json" => Language::Json,
            "sh" | "bash" => Language::Shell,
            "conf" => Language::Conf,
            _ => Language::Text,
        }
    }

    fn hash_comments(self) -> bool {
        matches!(self, Language::Yaml | Language::Shell | Language::Conf)
    }
}

/// The text of a file as tokens; adjacent plain text is merged.
pub fn highlight(language: Language, text: &str) -> Vec<(Token, &str)> {
    let mut out: Vec<(Token, &str)> = Vec::new();
    if language == Language::Text {
        if !text.is_empty() {
            out.push((Token::Plain, text));
        }
        return out;
    }
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        tokenize_line(language, text, line_start, line.len(), &mut out);
        line_start += line.len();
    }
    out
}

fn push<'a>(out: &mut Vec<(Token, &'a str)>, text: &'a str, kind: Token, from: usize, to: usize) {
    if from >= to {
        return;
    }
    if kind == Token::Plain {
        if let Some((Token::Plain, last)) = out.last_mut() {
            // Merge with the previous plain slice when it ends where this one starts.
            let end = last.as_ptr() as usize + last.len() - text.as_ptr() as usize;
            if end == from {
                *last = &text[from - last.len()..to];
                return;
            }
        }
    }
    out.push((kind, &text[from..to]));
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The end of a quoted string starting at `start` (the quote), within `end`.
fn string_end(bytes: &[u8], start: usize, end: usize, escapes: bool) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < end {
        match bytes[i] {
            b'\\' if escapes => i += 2,
            b'\n' => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    end.min(bytes.len())
}

fn tokenize_line<'a>(language: Language, text: &'a str, start: usize, len: usize, out: &mut Vec<(Token, &'a str)>) {
    let bytes = text.as_bytes();
    let end = start + len;
    let content_end = if end > start && bytes[end - 1] == b'\n' { end - 1 } else { end };
    let mut i = start;
    // A bare key at the start of a YAML or conf line: `name:` / `name: value` / `name {`.
    while i < content_end && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    if language == Language::Yaml {
        while i + 1 < content_end && bytes[i] == b'-' && bytes[i + 1] == b' ' {
            i += 2;
        }
    }
    push(out, text, Token::Plain, start, i);
    if matches!(language, Language::Yaml | Language::Conf) && i < content_end && bytes[i] != b'"' && bytes[i] != b'\'' {
        let mut k = i;
        while k < content_end && (is_word(bytes[k]) || matches!(bytes[k], b'-' | b'.' | b'$' | b'/')) {
            k += 1;
        }
        if k > i && bytes[i] != b'#' {
            let mut after = k;
            while after < content_end && bytes[after] == b' ' {
                after += 1;
            }
            let next = bytes.get(after).copied();
            let key = match language {
                Language::Yaml => {
                    k < content_end
                        && bytes[k] == b':'
                        && (k + 1 == content_end || bytes[k + 1] == b' ' || bytes[k + 1] == b'\r')
                }
                _ => after < content_end && matches!(next, Some(b':' | b'=' | b'{')),
            };
            if key {
                push(out, text, Token::Key, i, k);
                i = k;
            }
        }
    }
    while i < content_end {
        let c = bytes[i];
        let prev = if i > start { bytes[i - 1] } else { b' ' };
        if (c == b'#' && language.hash_comments() && (i == start || prev == b' ' || prev == b'\t'))
            || (c == b'/' && language == Language::Conf && bytes.get(i + 1) == Some(&b'/'))
        {
            push(out, text, Token::Comment, i, content_end);
            i = content_end;
        } else if c == b'"' || (c == b'\'' && matches!(language, Language::Yaml | Language::Shell)) {
            let close = string_end(bytes, i, content_end, c == b'"');
            let mut after = close;
            while after < content_end && bytes[after] == b' ' {
                after += 1;
            }
            let is_key = language != Language::Shell && bytes.get(after) == Some(&b':');
            push(out, text, if is_key { Token::Key } else { Token::Str }, i, close);
            i = close;
        } else if c == b'$' && language == Language::Shell && i + 1 < content_end {
            let mut k = i + 1;
            if bytes[k] == b'{' {
                while k < content_end && bytes[k] != b'}' {
                    k += 1;
                }
                k = (k + 1).min(content_end);
            } else {
                while k < content_end && is_word(bytes[k]) {
                    k += 1;
                }
            }
            push(out, text, if k > i + 1 { Token::Variable } else { Token::Plain }, i, k);
            i = k;
        } else if is_word(c) {
            let mut k = i;
            while k < content_end && is_word(bytes[k]) {
                k += 1;
            }
            let standalone = !matches!(prev, b'-' | b'.' | b'$') && !is_word(prev);
            let mut number_end = i;
            while number_end < content_end && (bytes[number_end].is_ascii_digit() || bytes[number_end] == b'.') {
                number_end += 1;
            }
            let after = bytes.get(number_end).copied().unwrap_or(b' ');
            if standalone && c.is_ascii_digit() && !is_word(after) && after != b'-' {
                push(out, text, Token::Number, i, number_end);
                i = number_end;
                continue;
            }
            let word = &text[i..k];
            let literal = standalone && matches!(word, "true" | "false" | "null") && language != Language::Shell;
            push(out, text, if literal { Token::Literal } else { Token::Plain }, i, k);
            i = k;
        } else if c == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) && !is_word(prev) && prev != b'-' {
            let mut k = i + 1;
            while k < content_end && (bytes[k].is_ascii_digit() || bytes[k] == b'.') {
                k += 1;
            }
            let number = !bytes.get(k).copied().is_some_and(|b| is_word(b) || b == b'-');
            push(out, text, if number { Token::Number } else { Token::Plain }, i, k);
            i = k;
        } else {
            // Any other character, as a whole UTF-8 sequence.
            let width = text[i..].chars().next().map_or(1, char::len_utf8);
            push(out, text, Token::Plain, i, i + width);
            i += width;
        }
    }
    push(out, text, Token::Plain, content_end, end);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example;
    use crate::model::export::{bundle, ExportOptions};
    use proptest::prelude::*;

    /// Checks the tokens of `text` other than plain ones.
    fn check(language: Language, text: &str, expected: &[(Token, &str)]) {
        let tokens = highlight(language, text);
        assert_eq!(tokens.iter().map(|(_, t)| *t).collect::<String>(), text, "no text lost");
        let marked: Vec<(Token, &str)> = tokens.into_iter().filter(|(k, _)| *k != Token::Plain).collect();
        assert_eq!(marked, expected);
    }

    #[test]
    fn yaml_keys_strings_numbers_and_comments() {
        check(
            Language::Yaml,
            "# values\nconfig:\n  cluster:\n    replicas: 3 # odd\n  - name: \"a # b\"\n    on: true\n",
            &[
                (Token::Comment, "# values"),
                (Token::Key, "config"),
                (Token::Key, "cluster"),
                (Token::Key, "replicas"),
                (Token::Number, "3"),
                (Token::Comment, "# odd"),
                (Token::Key, "name"),
                (Token::Str, "\"a # b\""),
                (Token::Key, "on"),
                (Token::Literal, "true"),
            ],
        );
        check(Language::Yaml, "url: nats://h:7422\n", &[(Token::Key, "url"), (Token::Number, "7422")]);
        check(Language::Yaml, "name: nats-0\n", &[(Token::Key, "name")]);
    }

    #[test]
    fn json_keys_are_strings_before_a_colon() {
        check(
            Language::Json,
            "{\"name\": \"sales\", \"num_replicas\": -1, \"sealed\": false}",
            &[
                (Token::Key, "\"name\""),
                (Token::Str, "\"sales\""),
                (Token::Key, "\"num_replicas\""),
                (Token::Number, "-1"),
                (Token::Key, "\"sealed\""),
                (Token::Literal, "false"),
            ],
        );
    }

    #[test]
    fn shell_variables_strings_and_comments() {
        check(
            Language::Shell,
            "nats --server \"$URL\" ${NATS_HUB_PASSWORD} 'it''s' # done\n",
            &[
                (Token::Str, "\"$URL\""),
                (Token::Variable, "${NATS_HUB_PASSWORD}"),
                (Token::Str, "'it'"),
                (Token::Str, "'s'"),
                (Token::Comment, "# done"),
            ],
        );
    }

    #[test]
    fn conf_keys_before_colons_equals_and_braces() {
        check(
            Language::Conf,
            "jetstream {\n  domain: \"hub\"\n  port = 4222 // client\n}\n",
            &[
                (Token::Key, "jetstream"),
                (Token::Key, "domain"),
                (Token::Str, "\"hub\""),
                (Token::Key, "port"),
                (Token::Number, "4222"),
                (Token::Comment, "// client"),
            ],
        );
    }

    #[test]
    fn every_exported_file_is_tokenized_without_losing_text() {
        let design = example::hostile_names();
        for file in bundle::files(&design, &ExportOptions::default()) {
            let tokens = highlight(Language::of(&file.path), &file.contents);
            assert_eq!(tokens.iter().map(|(_, t)| *t).collect::<String>(), file.contents, "{}", file.path);
        }
    }

    proptest! {
        #[test]
        fn tokens_always_concatenate_to_the_input(text in "(\\PC|\n){0,120}", n in 0..5usize) {
            let language = [Language::Yaml, Language::Json, Language::Shell, Language::Conf, Language::Text][n];
            let tokens = highlight(language, &text);
            prop_assert_eq!(tokens.iter().map(|(_, t)| *t).collect::<String>(), text);
        }
    }
}
