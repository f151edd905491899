//! nats CLI scripts: the `nats stream add --config FILE --js-domain D` commands that say in
//! which JetStream domain each stream file is created, the `nats stream add NAME --subjects ...`
//! and `nats kv add BUCKET ...` commands that describe a stream with flags (read as natscli
//! v0.5.0 reads them, `flags.rs`), and the `nats context save` commands that say which user
//! (hence account) a context connects as.
//!
//! Shell text is split into words as a POSIX shell would (single and double quotes,
//! backslashes, line continuations, `#` comments, `;`, `&&`, `|` between commands); nothing is
//! expanded. Lines that are not nats commands are ignored. An unbalanced quote ends the reading
//! with a finding on the line where the quote opened.

use super::Finding;
use crate::model::validate::Rule;

mod flags;

use flags::Kind;
pub use flags::NATSCLI_FLAGS;
pub(super) use flags::{FlagStream, Overrides, RESERVED_METADATA};

/// A shell word and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Word {
    text: String,
    line: usize,
}

/// The word being read, started at `line` if there is none yet.
fn ensure(word: &mut Option<Word>, line: usize) -> &mut Word {
    word.get_or_insert_with(|| Word { text: String::new(), line })
}

/// The commands of a shell text, each a list of words, and the line of an unbalanced quote.
fn commands(text: &str) -> (Vec<Vec<Word>>, Option<(char, usize)>) {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut word: Option<Word> = None;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let end_word = |word: &mut Option<Word>, words: &mut Vec<Word>| {
        if let Some(w) = word.take() {
            words.push(w);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                end_word(&mut word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
                line += 1;
            }
            ';' | '&' | '|' | '(' | ')' => {
                end_word(&mut word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => end_word(&mut word, &mut words),
            '#' if word.is_none() => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
            }
            '\\' => match chars.next() {
                Some('\n') => line += 1,
                Some(escaped) => ensure(&mut word, line).text.push(escaped),
                None => {}
            },
            '\'' => {
                let opened = line;
                ensure(&mut word, line);
                loop {
                    match chars.next() {
                        None => return (commands, Some(('\'', opened))),
                        Some('\'') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            ensure(&mut word, opened).text.push(c);
                        }
                    }
                }
            }
            '"' => {
                let opened = line;
                ensure(&mut word, line);
                loop {
                    let Some(c) = chars.next() else { return (commands, Some(('"', opened))) };
                    let pushed = match c {
                        '"' => break,
                        '\\' => match chars.peek().copied() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => {
                                chars.next();
                                Some(e)
                            }
                            Some('\n') => {
                                chars.next();
                                line += 1;
                                None
                            }
                            _ => Some('\\'),
                        },
                        '\n' => {
                            line += 1;
                            Some('\n')
                        }
                        c => Some(c),
                    };
                    if let Some(c) = pushed {
                        ensure(&mut word, opened).text.push(c);
                    }
                }
            }
            c => ensure(&mut word, line).text.push(c),
        }
    }
    end_word(&mut word, &mut words);
    if !words.is_empty() {
        commands.push(words);
    }
    (commands, None)
}

/// Flags of the nats CLI that take a value (as `--flag value` or `--flag=value`): the global
/// ones, those of `stream add` and those of `kv add` (natscli v0.5.0). Every other flag is a
/// boolean.
const VALUE_FLAGS: &[&str] = &[
    "context",
    "server",
    "user",
    "password",
    "creds",
    "nkey",
    "jwt",
    "token",
    "tlscert",
    "tlskey",
    "tlsca",
    "js-domain",
    "domain",
    "js-api-prefix",
    "js-event-prefix",
    "config",
    "subjects",
    "storage",
    "replicas",
    "retention",
    "discard",
    "max-age",
    "max-bytes",
    "max-msgs",
    "max-msg-size",
    "max-msgs-per-subject",
    "max-consumers",
    "dupe-window",
    "description",
    "mirror",
    "source",
    "output",
    "timeout",
    "connection-name",
    "inbox-prefix",
    "colors",
    "socks-proxy",
    "cluster",
    "tag",
    "tags",
    "compression",
    "first-sequence",
    "metadata",
    "subject-del-markers-ttl",
    "transform-source",
    "transform-destination",
    "republish-source",
    "republish-destination",
    "limit-consumer-inactive",
    "limit-consumer-max-pending",
    "persist-mode",
    "history",
    "ttl",
    "marker-ttl",
    "max-value-size",
    "max-bucket-size",
    "mirror-domain",
];

/// `nats [flags] stream add [NAME] --config FILE [--js-domain D]`, or a stream described by
/// flags alone (`stream add NAME --subjects ... --defaults`, `kv add BUCKET ...`).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct StreamAdd {
    pub line: usize,
    pub config: Option<String>,
    pub domain: Option<String>,
    pub name: Option<String>,
    pub context: Option<String>,
    /// The user the command runs as when the script says so without a context: our exported
    /// script's default `NATS_USER=…`, or `NATS_USER_<ACCOUNT>=…` for a command run through its
    /// `as_<account>` function (a stream of another account).
    pub user: Option<String>,
    /// The configuration natscli sends for a command without `--config`, when it sends one.
    pub flags: Option<FlagStream>,
    /// What the command line changes in the `--config` file's configuration.
    pub overrides: Overrides,
    /// What was assumed or not read, one sentence each.
    pub notes: Vec<String>,
}

/// `nats context save NAME [--user U] [--js-domain D] [--js-api-prefix P]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ContextSave {
    pub line: usize,
    pub name: String,
    pub user: Option<String>,
    pub domain: Option<String>,
}

/// What a script says.
#[derive(Debug, Default)]
pub(super) struct Script {
    pub adds: Vec<StreamAdd>,
    pub contexts: Vec<ContextSave>,
    pub findings: Vec<Finding>,
}

/// Whether a text is a shell script with nats commands.
pub(super) fn recognize(text: &str) -> bool {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    (first.starts_with("#!") && first.contains("sh"))
        || text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("nats ") || l.starts_with("$ nats ")
        })
}

/// One nats command: its positional words and flags in order.
struct Parsed {
    positional: Vec<String>,
    flags: Vec<(String, String)>,
}

impl Parsed {
    fn flag(&self, names: &[&str]) -> Option<String> {
        self.flags.iter().rev().find(|(n, _)| names.contains(&n.as_str())).map(|(_, v)| v.clone())
    }
}

fn parse_nats(words: &[Word]) -> Option<Parsed> {
    let mut words = words.iter().map(|w| w.text.as_str()).skip_while(|w| w.contains('=') && !w.starts_with('-'));
    let mut first = words.next()?;
    if first == "$" {
        first = words.next()?;
    }
    if first != "nats" && !first.ends_with("/nats") {
        return None;
    }
    let mut positional = Vec::new();
    let mut flags = Vec::new();
    while let Some(word) = words.next() {
        if let Some(flag) = word.strip_prefix("--") {
            match flag.split_once('=') {
                Some((name, value)) => flags.push((name.to_owned(), value.to_owned())),
                None if VALUE_FLAGS.contains(&flag) => {
                    flags.push((flag.to_owned(), words.next().unwrap_or_default().to_owned()));
                }
                None => flags.push((flag.to_owned(), String::new())),
            }
        } else if word == "-s" {
            flags.push(("server".to_owned(), words.next().unwrap_or_default().to_owned()));
        } else if word.starts_with('-') && word.len() > 1 {
            flags.push((word.trim_start_matches('-').to_owned(), String::new()));
        } else {
            positional.push(word.to_owned());
        }
    }
    Some(Parsed { positional, flags })
}

/// The users a script assigns by default, as our exported script does
/// (`NATS_USER=acc`, `NATS_USER_APP=app`): by suffix, `""` for `NATS_USER` itself.
fn default_users(commands: &[Vec<Word>]) -> std::collections::BTreeMap<String, String> {
    let mut users = std::collections::BTreeMap::new();
    for word in commands.iter().flatten() {
        let Some((name, value)) = word.text.split_once('=') else { continue };
        let Some(rest) = name.strip_prefix("NATS_USER") else { continue };
        let suffix = match rest.strip_prefix('_') {
            Some(suffix) if !suffix.is_empty() => suffix,
            None if rest.is_empty() => "",
            _ => continue,
        };
        if !value.is_empty() {
            users.entry(suffix.to_owned()).or_insert_with(|| value.to_owned());
        }
    }
    users
}

/// Reads a script's nats commands.
pub(super) fn read(text: &str) -> Script {
    let mut script = Script::default();
    let (commands, unbalanced) = commands(text);
    let users = default_users(&commands);
    for mut words in commands {
        let Some(line) = words.first().map(|w| w.line) else { continue };
        // `as_app nats …`: our script's function that runs nats as account APP's hub user.
        let run_as = words
            .first()
            .and_then(|w| w.text.strip_prefix("as_"))
            .and_then(|suffix| users.get(&suffix.to_ascii_uppercase()).cloned());
        if run_as.is_some() {
            words.remove(0);
        }
        let Some(parsed) = parse_nats(&words) else { continue };
        let positional: Vec<&str> = parsed.positional.iter().map(String::as_str).collect();
        match positional.as_slice() {
            [command @ ("stream" | "str" | "st" | "ms" | "s" | "streams"), "add" | "create" | "new", rest @ ..]
            | [command @ "kv", "add" | "new", rest @ ..]
            | [command @ ("object" | "obj"), "add", rest @ ..] => {
                let config = parsed.flag(&["config"]);
                let name = rest.first().map(|n| (*n).to_owned());
                let kind = match *command {
                    "kv" => Kind::KeyValue,
                    "object" | "obj" => Kind::Object,
                    _ => Kind::Stream,
                };
                let mut add = StreamAdd {
                    line,
                    config: config.clone().filter(|_| kind == Kind::Stream),
                    domain: parsed.flag(&["js-domain", "domain"]).filter(|d| !d.is_empty()),
                    name: name.clone(),
                    context: parsed.flag(&["context"]),
                    user: run_as.clone().or_else(|| users.get("").cloned()),
                    flags: None,
                    overrides: Overrides::default(),
                    notes: Vec::new(),
                };
                let read = if add.config.is_some() {
                    flags::config_overrides(&parsed.flags).map(|(overrides, notes)| {
                        add.overrides = overrides;
                        add.notes = notes;
                    })
                } else {
                    flags::read(kind, name.as_deref(), &parsed.flags).map(|read| {
                        add.flags = read.stream;
                        add.notes = read.notes;
                    })
                };
                if let Err(refusal) = read {
                    script.findings.push(Finding::new(
                        Rule::StreamConfigSchema,
                        Some(line),
                        format!("{refusal}: natscli refuses the command, so the stream is not created"),
                    ));
                    continue;
                }
                script.adds.push(add);
            }
            ["context" | "ctx", "save" | "add" | "create" | "new", name, ..] => {
                let domain = parsed.flag(&["js-domain", "domain"]).filter(|d| !d.is_empty());
                let prefix = parsed.flag(&["js-api-prefix"]).filter(|p| !p.is_empty());
                if let (Some(domain), Some(prefix)) = (&domain, &prefix) {
                    script.findings.push(Finding::new(
                        Rule::ContextDomainAndPrefix,
                        Some(line),
                        format!(
                            "context {name} sets both --js-domain {domain} and --js-api-prefix {prefix}: the nats \
                             CLI uses only one of them (natscli issue 1284); keep --js-domain"
                        ),
                    ));
                }
                script.contexts.push(ContextSave {
                    line,
                    name: (*name).to_owned(),
                    user: parsed.flag(&["user"]).filter(|u| !u.is_empty()),
                    domain,
                });
            }
            _ => {}
        }
    }
    if let Some((quote, line)) = unbalanced {
        script.findings.push(Finding::new(
            Rule::ScriptConfigMissing,
            Some(line),
            format!(
                "the {quote} opened on line {line} is never closed, so the shell would not run the script; the \
                 commands from this line on were not read, and the stream files they name are not placed"
            ),
        ));
    }
    script
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<String>> {
        commands(text).0.into_iter().map(|c| c.into_iter().map(|w| w.text).collect()).collect()
    }

    #[test]
    fn words_split_as_a_shell_splits_them() {
        assert_eq!(words("a 'b c' \"d \\\" e\" f\\ g # comment\nh"), [vec!["a", "b c", "d \" e", "f g"], vec!["h"]]);
        assert_eq!(words("a \\\n  b; c && d | e"), [vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"]]);
        assert_eq!(words("x'y'\"z\""), [vec!["xyz"]]);
        assert_eq!(commands("a 'b\nc\"").1, Some(('\'', 1)));
        assert_eq!(commands("a\nb \"c\n").1, Some(('"', 2)));
    }

    #[test]
    fn the_guides_commands_are_read_with_their_domains() {
        let script = read(
            "nats --context=hub str add --config src/hub.cinema-a.json --js-domain=hub\n\
             nats --context hub stream create ORDERS --config 'src/a b.json' --js-domain spoke-1\n\
             nats --context=hub str report --js-domain=hub\n\
             echo nats stream add --config x.json\n",
        );
        let adds: Vec<_> =
            script.adds.iter().map(|a| (a.line, a.config.clone(), a.domain.clone(), a.name.clone())).collect();
        assert_eq!(
            adds,
            [
                (1, Some("src/hub.cinema-a.json".into()), Some("hub".into()), None),
                (2, Some("src/a b.json".into()), Some("spoke-1".into()), Some("ORDERS".into())),
            ]
        );
        assert_eq!(script.adds[0].context.as_deref(), Some("hub"));
    }

    #[test]
    fn a_context_with_domain_and_prefix_is_flagged() {
        let script =
            read("nats context save hub --server=nats://x --user=acc --js-domain hub --js-api-prefix '$JS.hub.API'\n");
        assert_eq!(script.findings.len(), 1);
        assert_eq!(script.findings[0].rule, Rule::ContextDomainAndPrefix);
        assert_eq!(script.contexts[0].user.as_deref(), Some("acc"));
    }

    #[test]
    fn flag_commands_describe_their_stream_and_say_what_was_assumed() {
        let script = read(
            "nats stream add ORDERS --subjects 'orders.*' --storage memory --replicas 3 --defaults\n\
             nats --server nats://x:4222 kv add config --history 5\n\
             nats obj add files --ttl 1h\n\
             nats stream add BARE --subjects bare\n\
             nats stream add --subjects nameless --defaults\n\
             nats stream add BAD --subjects bad --storage disk --defaults\n",
        );
        let streams: Vec<_> =
            script.adds.iter().map(|a| a.flags.as_ref().map(|f| (f.config.name.clone(), f.bucket.clone()))).collect();
        assert_eq!(
            streams,
            [
                Some(("ORDERS".into(), None)),
                Some(("KV_config".into(), Some("config".into()))),
                Some(("OBJ_files".into(), Some("files".into()))),
                Some(("BARE".into(), None)),
                None,
            ]
        );
        let orders = &script.adds[0].flags.as_ref().expect("read").config;
        assert_eq!((orders.storage, orders.num_replicas), (crate::model::Storage::Memory, 3));
        assert!(script.adds[1].notes[0].contains("key-value bucket config"), "{:?}", script.adds[1].notes);
        assert!(script.adds[3].notes[0].contains("no --defaults"), "{:?}", script.adds[3].notes);
        assert!(script.adds[4].notes[0].contains("no name"), "{:?}", script.adds[4].notes);
        assert_eq!(script.findings.len(), 1);
        assert_eq!((script.findings[0].rule, script.findings[0].line), (Rule::StreamConfigSchema, Some(6)));
    }

    #[test]
    fn an_unbalanced_quote_is_a_finding_on_its_line() {
        let script = read("nats stream add --config a.json\nnats stream add --config 'b.json\n");
        assert_eq!(script.adds.len(), 1);
        assert_eq!(script.findings[0].line, Some(2));
    }
}
