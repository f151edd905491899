//! Rules of the catalog group "One stream (mirrors the server's own checks)".
//!
//! `check_config` runs every rule that needs nothing but one configuration and the target server
//! version, so that it can be compared with a real nats-server's verdict (nats-server
//! `server/stream.go` `checkStreamCfg`, `server/jetstream_api.go` stream create,
//! `server/sublist.go` `IsValidSubject`). `check` runs it on every stream of a design and adds the
//! rules that compare streams with each other or with their cluster.
//!
//! Decisions:
//! - `stream-subjects-missing`: every server line the designer targets (2.2 onwards) gives a
//!   stream with no subjects, no mirror and no sources its own name as its only subject, so the
//!   rule fires only where that default cannot work: the name is not usable as a subject (empty,
//!   or containing whitespace, `.`, `*`, `>`). A stream left to the default takes part in the
//!   overlap rules with its name as subject.
//! - `subject-reserved` follows the server line: up to 2.10 a subject is refused when it is a
//!   subset of `$JS.>`, `$JSC.>` or `$SYS.>`; from 2.11 (nats-server PR 6786) when it merely
//!   overlaps `$JS.>`, `$JSC.>`, `$NRG.>` or `$SYS.>`. Subsets of `$JS.EVENT.>` and
//!   `$SYS.ACCOUNT.>` stay allowed, and `no_ack` lifts the restriction. `>` alone needs `no_ack`
//!   and one replica.
//! - `max_age` and `duplicate_window` are refused when negative, on every line (the differential
//!   corpus, `tests/corpus/streams`, shows 2.9.10 and 2.15.1 both refusing them).
//! - `filter-and-transforms` does not fire for 2.9, which predates `subject_transforms` and
//!   ignores the field.
//! - Subject overlap between streams is found through a token trie (`subject::Index`) built per
//!   account, never by comparing every pair of streams.

use super::{Diagnostic, Rule, Severity, Target};
use crate::model::cluster::NatsVersion;
use crate::model::command::Command;
use crate::model::fast_map::FastMap;
use crate::model::ids::{ClusterId, StreamId};
use crate::model::stream::{Discard, Nanos, Stream, StreamConfig, StreamSource};
use crate::model::Design;
use std::collections::BTreeMap;

/// NATS subjects: validity and wildcard semantics (`*` one token, `>` one or more trailing
/// tokens), as in nats-server `server/sublist.go`.
pub mod subject {
    use crate::model::fast_map::FastMap;

    /// Why a subject is not valid (nats-server `IsValidSubject`), or `None` when it is.
    ///
    /// A token is `*` or `>` only when it is that one character: `a*` is a literal token.
    pub fn invalid_reason(subject: &str) -> Option<&'static str> {
        if subject.is_empty() {
            return Some("it is empty");
        }
        let mut after_rest = false;
        for token in subject.split('.') {
            if token.is_empty() {
                return Some("it has an empty token (a leading, trailing or doubled '.')");
            }
            if after_rest {
                return Some("'>' is not its last token");
            }
            if token.bytes().any(is_space) {
                return Some("it contains whitespace");
            }
            after_rest = token == ">";
        }
        None
    }

    /// The whitespace the server refuses in subjects and names (space, tab, CR, LF, form feed).
    pub fn is_space(b: u8) -> bool {
        matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
    }

    /// A valid subject: no empty token, `>` only last, no whitespace.
    pub fn is_valid(subject: &str) -> bool {
        invalid_reason(subject).is_none()
    }

    /// A valid subject without wildcards: one a message can be published to.
    pub fn is_literal(subject: &str) -> bool {
        is_valid(subject) && subject.split('.').all(|t| t != "*" && t != ">")
    }

    /// Whether some subject matches both patterns (nats-server `SubjectsCollide`).
    pub fn collide(a: &str, b: &str) -> bool {
        let mut a = a.split('.');
        let mut b = b.split('.');
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(">"), Some(_)) | (Some(_), Some(">")) => return true,
                (Some(x), Some(y)) if x == "*" || y == "*" || x == y => continue,
                _ => return false,
            }
        }
    }

    /// Whether every subject `subject` matches is also matched by `test` (nats-server
    /// `subjectIsSubsetMatch`).
    pub fn is_subset(subject: &str, test: &str) -> bool {
        let mut s = subject.split('.');
        let mut t = test.split('.');
        loop {
            match (s.next(), t.next()) {
                (None, None) => return true,
                (Some(">"), Some(y)) => return y == ">",
                (Some(_), Some(">")) => return true,
                (Some("*"), Some("*")) => continue,
                (Some(x), Some(y)) if x != "*" && (y == "*" || x == y) => continue,
                _ => return false,
            }
        }
    }

    /// Subject patterns by token, to find the patterns that collide with one without comparing
    /// it with all of them. Patterns must be valid.
    ///
    /// A tree of tokens kept flat: the nodes in one list, the literal edges in one hash map
    /// from (node, token) to node, so that building and dropping the index of thousands of
    /// streams costs a few large allocations rather than one map per node.
    pub struct Index<'a, T> {
        nodes: Vec<Node<T>>,
        literal: FastMap<(u32, &'a str), u32>,
    }

    struct Node<T> {
        /// The literal children, for a `*` or `>` that matches any of them.
        literals: Vec<u32>,
        star: Option<u32>,
        /// Patterns whose next token is `>`.
        rest: Vec<T>,
        /// Patterns that end here.
        end: Vec<T>,
    }

    impl<T> Default for Node<T> {
        fn default() -> Self {
            Self { literals: Vec::new(), star: None, rest: Vec::new(), end: Vec::new() }
        }
    }

    impl<T> Default for Index<'_, T> {
        fn default() -> Self {
            // The root is made by the first insert: an index that stays empty allocates nothing.
            Self { nodes: Vec::new(), literal: FastMap::default() }
        }
    }

    impl<'a, T: Copy> Index<'a, T> {
        pub fn new() -> Self {
            Self::default()
        }

        /// An index for about `patterns` patterns.
        pub fn with_capacity(patterns: usize) -> Self {
            let mut index = Self::default();
            index.nodes.reserve(patterns);
            index.literal.reserve(patterns);
            index
        }

        fn child(&mut self, parent: u32, token: &'a str) -> u32 {
            if token == "*" {
                if let Some(star) = self.nodes[parent as usize].star {
                    return star;
                }
            } else if let Some(&node) = self.literal.get(&(parent, token)) {
                return node;
            }
            let node = u32::try_from(self.nodes.len()).expect("fewer than 2^32 tokens");
            self.nodes.push(Node::default());
            if token == "*" {
                self.nodes[parent as usize].star = Some(node);
            } else {
                self.literal.insert((parent, token), node);
                self.nodes[parent as usize].literals.push(node);
            }
            node
        }

        pub fn insert(&mut self, pattern: &'a str, value: T) {
            if self.nodes.is_empty() {
                self.nodes.push(Node::default());
            }
            let mut node = 0;
            for token in pattern.split('.') {
                if token == ">" {
                    self.nodes[node as usize].rest.push(value);
                    return;
                }
                node = self.child(node, token);
            }
            self.nodes[node as usize].end.push(value);
        }

        /// The literal children of `node`, then its `*` child.
        fn children(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
            let n = &self.nodes[node as usize];
            n.literals.iter().copied().chain(n.star)
        }

        /// Pushes the value of every pattern that collides with `pattern`.
        ///
        /// Iterative, so that a subject of thousands of tokens cannot exhaust the stack.
        pub fn collisions(&self, pattern: &str, out: &mut Vec<T>) {
            if self.nodes.is_empty() {
                return;
            }
            let tokens: Vec<&str> = pattern.split('.').collect();
            let mut stack = vec![(0u32, 0usize)];
            while let Some((at, i)) = stack.pop() {
                let node = &self.nodes[at as usize];
                let Some(token) = tokens.get(i) else {
                    out.extend_from_slice(&node.end);
                    continue;
                };
                // A `>` of either side swallows whatever follows, as long as one token does.
                out.extend_from_slice(&node.rest);
                match *token {
                    ">" => {
                        let mut below: Vec<u32> = self.children(at).collect();
                        while let Some(n) = below.pop() {
                            out.extend_from_slice(&self.nodes[n as usize].end);
                            out.extend_from_slice(&self.nodes[n as usize].rest);
                            below.extend(self.children(n));
                        }
                    }
                    "*" => stack.extend(self.children(at).map(|n| (n, i + 1))),
                    literal => {
                        stack.extend(self.literal.get(&(at, literal)).map(|&n| (n, i + 1)));
                        stack.extend(node.star.map(|n| (n, i + 1)));
                    }
                }
            }
        }
    }
}

/// The longest stream name the server accepts (`JSMaxNameLen`), in bytes.
const MAX_NAME_LEN: usize = 255;
/// The most replicas a stream can have (`StreamMaxReplicas`).
const MAX_REPLICAS: i64 = 5;
/// The smallest non-zero `max_age` and `duplicate_window`.
const MIN_DURATION: Nanos = 100_000_000;

/// Runs every rule that depends on one stream configuration alone: name, subjects, reserved
/// subjects, replica range and parity, mirror and source rules, duplicate window and age,
/// sealed, deny-purge with roll-ups, discard new per subject.
///
/// `target` is the element the diagnostics name; with `Target::Stream` origins are named as
/// `Target::Origin` and fixes are offered. `external.api` is taken as written (an origin is
/// external when it has `api` or `deliver`).
pub fn check_config(config: &StreamConfig, version: NatsVersion, target: Target, out: &mut Vec<Diagnostic>) {
    let api_as_written = |s: &StreamSource| s.api.clone().or_else(|| s.deliver.as_ref().map(|_| String::new()));
    Checker { config, version, target, servers: None, external_api: &api_as_written, out }.run();
}

/// Runs the rules of this group on every stream of the design.
pub fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    for stream in design.streams() {
        check_one(design, stream, out);
    }
    check_between(design, out);
}

/// The rules of this group that judge one stream: they read the stream, its cluster and the
/// clusters its origins name, nothing else (`validate::incremental` relies on it).
pub(super) fn check_one(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    let cluster = design.cluster(stream.cluster);
    let version = cluster.map_or(NatsVersion::V2_14, |c| c.version);
    let external_api = |s: &StreamSource| design.effective_api(stream, s);
    let servers = cluster.map(|c| c.servers);
    let config = &stream.config;
    Checker { config, version, target: Target::Stream(stream.id), servers, external_api: &external_api, out }.run();
    replicas_exceed_cluster(design, stream, out);
}

/// The rules of this group that compare streams with each other.
pub(super) fn check_between(design: &Design, out: &mut Vec<Diagnostic>) {
    stream_name_duplicate(design, out);
    subject_overlap_between_streams(design, out);
}

/// A value for messages: quoted and escaped, so that hostile or invisible characters show, and
/// cut short when long.
fn show(text: &str) -> String {
    const MAX: usize = 64;
    if text.chars().count() > MAX {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut:?}…")
    } else {
        format!("{text:?}")
    }
}

/// A duration in the unit that shows it exactly.
fn show_nanos(nanos: Nanos) -> String {
    if nanos != 0 && nanos % crate::model::stream::SECOND == 0 {
        format!("{}s", nanos / crate::model::stream::SECOND)
    } else if nanos != 0 && nanos % 1_000_000 == 0 {
        format!("{}ms", nanos / 1_000_000)
    } else {
        format!("{nanos}ns")
    }
}

/// The replicas the server uses: 0 means 1.
fn effective_replicas(config: &StreamConfig) -> i64 {
    if config.num_replicas == 0 {
        1
    } else {
        config.num_replicas
    }
}

/// Why a stream name is refused by that server line, or `None` (nats-server `isValidName`, and
/// the create request's path separator check).
///
/// RULES.md dates the path separator check from 2.10, but the differential test measured
/// nats-server 2.9.10 refusing `/` and `\\` too (10128 "Stream name can not contain path
/// separators"), and the server is the authority: every line refuses them.
fn name_problem(name: &str, version: NatsVersion) -> Option<String> {
    let _ = version;
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    if name.len() > MAX_NAME_LEN {
        return Some(format!("is {} bytes long, more than {MAX_NAME_LEN}", name.len()));
    }
    // Every refused character is ASCII: one pass over the bytes finds the first of each kind.
    let (mut whitespace, mut token_char, mut separator) = (false, None, None);
    for b in name.bytes() {
        match b {
            b'.' | b'*' | b'>' => _ = token_char.get_or_insert(b),
            b'/' | b'\\' => _ = separator.get_or_insert(b),
            b if subject::is_space(b) => whitespace = true,
            _ => {}
        }
    }
    if whitespace {
        Some("contains whitespace".to_owned())
    } else if let Some(c) = token_char {
        Some(format!("contains '{}'", char::from(c)))
    } else {
        separator.map(|c| format!("contains the path separator '{}'", char::from(c)))
    }
}

/// The name with every refused character replaced by `-`, cut to the maximum length.
fn sanitized_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = if c.is_whitespace() || matches!(c, '.' | '*' | '>' | '/' | '\\') { '-' } else { c };
        if out.len() + c.len_utf8() > MAX_NAME_LEN {
            break;
        }
        out.push(c);
    }
    out
}

/// What makes two sources the same for the server (`composeIName`): the origin's name, the API
/// prefix when external, and the (filter, destination) pairs.
type SourceKey<'a> = (&'a str, Option<String>, Vec<(&'a str, &'a str)>);

/// The rules on one configuration. `external_api` says whether an origin is external (and its
/// prefix), as written in a file or as the design derives it.
struct Checker<'a> {
    config: &'a StreamConfig,
    version: NatsVersion,
    target: Target,
    /// The number of servers of the stream's cluster, when known.
    servers: Option<u8>,
    external_api: &'a dyn Fn(&StreamSource) -> Option<String>,
    out: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn run(mut self) {
        self.name();
        self.subjects();
        self.replicas();
        self.mirror();
        self.origins();
        self.durations();
        self.ranges();
        self.flags();
    }

    fn stream_id(&self) -> Option<StreamId> {
        match self.target {
            Target::Stream(id) => Some(id),
            _ => None,
        }
    }

    fn origin_target(&self, index: usize) -> Target {
        match self.target {
            Target::Stream(stream) => Target::Origin { stream, index },
            other => other,
        }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    /// Adds a fix when the target is a stream of a design.
    fn push_fixed(&mut self, diagnostic: Diagnostic, label: String, command: impl FnOnce(StreamId) -> Command) {
        let diagnostic = match self.stream_id() {
            Some(id) => diagnostic.fix(label, command(id)),
            None => diagnostic,
        };
        self.out.push(diagnostic);
    }

    /// A fix replacing the whole configuration with an edited copy.
    fn with_config(&self, edit: impl FnOnce(&mut StreamConfig)) -> impl FnOnce(StreamId) -> Command {
        let mut config = self.config.clone();
        edit(&mut config);
        move |stream| Command::SetStreamConfig { stream, config: Box::new(config) }
    }

    fn name(&mut self) {
        let c = self.config;
        let name = &c.name;
        let Some(problem) = name_problem(name, self.version) else {
            return;
        };
        let message = format!(
            "stream name {} {problem}: names must be 1 to {MAX_NAME_LEN} bytes without whitespace, '.', '*' or '>' \
             (nor '/' or '\\' from server 2.10); rename the stream",
            show(name)
        );
        let diagnostic = Diagnostic::new(Rule::StreamNameInvalid, self.target, message).field("name");
        let renamed = sanitized_name(name);
        if renamed.is_empty() || renamed == *name {
            self.push(diagnostic);
        } else {
            let label = format!("rename the stream to {}", show(&renamed));
            let fix = self.with_config(|c| c.name = renamed);
            self.push_fixed(diagnostic, label, fix);
        }
    }

    fn subjects(&mut self) {
        let c = self.config;
        if c.subjects.is_empty() {
            if c.mirror.is_none() && c.sources.is_empty() && name_problem(&c.name, self.version).is_some() {
                let message = format!(
                    "stream {} has no subjects, no mirror and no sources, and its name is not valid, so the server \
                     cannot use it as the default subject: add the subjects it should capture",
                    show(&c.name)
                );
                self.push(Diagnostic::new(Rule::StreamSubjectsMissing, self.target, message).field("subjects"));
            }
            return;
        }
        // Most streams have a handful of subjects: comparing each with the earlier ones costs
        // less than building an index, which only pays off for long lists.
        const PAIRWISE: usize = 16;
        let mut index = subject::Index::new();
        let mut valid: Vec<usize> = Vec::new();
        let mut hits = Vec::new();
        for (i, subj) in c.subjects.iter().enumerate() {
            if let Some(reason) = subject::invalid_reason(subj) {
                let message = format!(
                    "subject {} of stream {} is not valid: {reason}; tokens are separated by single '.', \
                     and '>' may only be the last token",
                    show(subj),
                    show(&c.name)
                );
                let diagnostic = Diagnostic::new(Rule::SubjectInvalid, self.target, message).field("subjects");
                let rest: Vec<String> = c.subjects.iter().filter(|s| *s != subj).cloned().collect();
                let label = format!("remove {} from the subjects", show(subj));
                self.push_fixed(diagnostic, label, |stream| Command::SetStreamSubjects { stream, subjects: rest });
                continue;
            }
            if c.mirror.is_none() {
                self.reserved(subj);
            }
            hits.clear();
            if c.subjects.len() <= PAIRWISE {
                hits.extend(valid.iter().copied().filter(|&j| subject::collide(&c.subjects[j], subj)));
            } else {
                index.collisions(subj, &mut hits);
                hits.sort_unstable();
                hits.dedup();
            }
            for &j in &hits {
                let earlier: &String = &c.subjects[j];
                self.overlap_in_stream(earlier, subj, i);
            }
            if c.subjects.len() <= PAIRWISE {
                valid.push(i);
            } else {
                index.insert(subj, i);
            }
        }
    }

    /// `later` (at `later_index`) repeats or overlaps `earlier`, both of this stream.
    fn overlap_in_stream(&mut self, earlier: &str, later: &str, later_index: usize) {
        let c = self.config;
        let message = if earlier == later {
            format!("stream {} lists subject {} twice: remove one", show(&c.name), show(later))
        } else {
            format!(
                "subjects {} and {} of stream {} overlap, so a message matching both would be stored twice: \
                 keep only the wider one, or make them disjoint",
                show(earlier),
                show(later),
                show(&c.name)
            )
        };
        let diagnostic = Diagnostic::new(Rule::SubjectOverlapInStream, self.target, message).field("subjects");
        // The narrower subject can go; a partial overlap has no one-step repair.
        let drop = if earlier == later || subject::is_subset(later, earlier) {
            Some(later_index)
        } else if subject::is_subset(earlier, later) {
            c.subjects.iter().position(|s| s == earlier)
        } else {
            None
        };
        match drop {
            Some(drop) => {
                let label = format!("remove {} from the subjects", show(&c.subjects[drop]));
                let subjects: Vec<String> =
                    c.subjects.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, s)| s.clone()).collect();
                self.push_fixed(diagnostic, label, |stream| Command::SetStreamSubjects { stream, subjects });
            }
            None => self.push(diagnostic),
        }
    }

    fn reserved(&mut self, subj: &str) {
        // Every reserved range starts with a `$` token: a subject whose first token is another
        // literal can neither collide with one nor lie in one (the common case, checked without
        // splitting the subject again for each range).
        let first = subj.split('.').next().unwrap_or_default();
        if !first.starts_with('$') && first != "*" && first != ">" {
            return;
        }
        let c = self.config;
        // Measured on nats-server 2.9.10: it refuses subjects inside $JS.API.> whatever no_ack
        // says, and accepts the wider reserved ranges that later lines refuse. Those stay
        // flagged on 2.9, as warnings: the server takes them, and the stream then captures
        // internal traffic.
        let on_2_9 = self.version == NatsVersion::V2_9;
        if on_2_9 && subject::is_subset(subj, "$JS.API.>") {
            let message = format!(
                "subject {} of stream {} lies in the JetStream API subjects $JS.API.>, which nats-server 2.9 \
                 refuses even with no_ack; choose an application subject",
                show(subj),
                show(&c.name)
            );
            self.push(Diagnostic::new(Rule::SubjectReserved, self.target, message).field("subjects"));
            return;
        }
        let problem = if subj == ">" {
            match (c.no_ack, effective_replicas(c) == 1) {
                (true, true) => None,
                (false, _) => Some("captures every subject, which needs no_ack".to_owned()),
                (true, false) => Some("captures every subject, which needs a single replica".to_owned()),
            }
        } else if c.no_ack {
            None
        } else if self.version >= NatsVersion::V2_11 {
            let api = ["$JS.>", "$JSC.>", "$NRG.>"].into_iter().find(|ns| subject::collide(subj, ns));
            match api {
                Some(ns) if !subject::is_subset(subj, "$JS.EVENT.>") => {
                    Some(format!("overlaps the JetStream API subjects {ns}, which needs no_ack"))
                }
                _ if subject::collide(subj, "$SYS.>") && !subject::is_subset(subj, "$SYS.ACCOUNT.>") => {
                    Some("overlaps the system subjects $SYS.>, which needs no_ack".to_owned())
                }
                _ => None,
            }
        } else {
            let api = ["$JS.>", "$JSC.>"].into_iter().find(|ns| subject::is_subset(subj, ns));
            match api {
                Some(ns) if !subject::is_subset(subj, "$JS.EVENT.>") => {
                    Some(format!("lies in the JetStream API subjects {ns}, which needs no_ack"))
                }
                _ if subject::is_subset(subj, "$SYS.>") && !subject::is_subset(subj, "$SYS.ACCOUNT.>") => {
                    Some("lies in the system subjects $SYS.>, which needs no_ack".to_owned())
                }
                _ => None,
            }
        };
        if let Some(problem) = problem {
            let message = format!(
                "subject {} of stream {} {problem}: a stream that acknowledges such subjects answers API requests \
                 itself; choose an application subject",
                show(subj),
                show(&c.name)
            );
            let diagnostic = Diagnostic::new(Rule::SubjectReserved, self.target, message).field("subjects");
            self.push(if on_2_9 { diagnostic.severity(Severity::Warning) } else { diagnostic });
        }
    }

    fn replicas(&mut self) {
        let c = self.config;
        let n = c.num_replicas;
        let limit = self.servers.map_or(MAX_REPLICAS, |s| i64::from(s).clamp(1, MAX_REPLICAS));
        if !(0..=MAX_REPLICAS).contains(&n) {
            let message = format!(
                "stream {} has num_replicas {n}: the server accepts 1 to {MAX_REPLICAS} (0 means 1)",
                show(&c.name)
            );
            let diagnostic = Diagnostic::new(Rule::ReplicasOutOfRange, self.target, message).field("num_replicas");
            let replicas = if n < 0 { 1 } else { limit };
            let label = format!("set num_replicas to {replicas}");
            self.push_fixed(diagnostic, label, |stream| Command::SetStreamReplicas { stream, replicas });
            return;
        }
        let n = effective_replicas(c);
        if n == 2 || n == 4 {
            let message = format!(
                "stream {} has {n} replicas: a RAFT group of {n} survives no more failures than one of {}; \
                 use an odd number",
                show(&c.name),
                n - 1
            );
            let diagnostic = Diagnostic::new(Rule::ReplicasEven, self.target, message).field("num_replicas");
            let replicas = if n < limit { n + 1 } else { n - 1 };
            let label = format!("set num_replicas to {replicas}");
            self.push_fixed(diagnostic, label, |stream| Command::SetStreamReplicas { stream, replicas });
        }
    }

    fn mirror(&mut self) {
        let c = self.config;
        let Some(mirror) = &c.mirror else {
            return;
        };
        if !c.subjects.is_empty() {
            let message = format!(
                "stream {} mirrors {} but also lists subjects: a mirror stores exactly its origin's messages; \
                 remove the subjects (or make it a plain stream with sources)",
                show(&c.name),
                show(&mirror.name)
            );
            let diagnostic = Diagnostic::new(Rule::MirrorHasSubjects, self.target, message).field("subjects");
            let label = "remove the subjects".to_owned();
            self.push_fixed(diagnostic, label, |stream| Command::SetStreamSubjects { stream, subjects: Vec::new() });
        }
        if !c.sources.is_empty() {
            let message = format!(
                "stream {} mirrors {} but also has {} source(s): a stream is either a mirror or sources others; \
                 remove the sources, or drop the mirror and source it instead",
                show(&c.name),
                show(&mirror.name),
                c.sources.len()
            );
            let diagnostic = Diagnostic::new(Rule::MirrorHasSources, self.target, message).field("sources");
            let fix = self.with_config(|c| c.sources.clear());
            self.push_fixed(diagnostic, "remove the sources".to_owned(), fix);
        }
    }

    fn origins(&mut self) {
        let c = self.config;
        let mirror_count = usize::from(c.mirror.is_some());
        let mut seen: FastMap<SourceKey, usize> = FastMap::default();
        let origins: Vec<(usize, &StreamSource)> = c.mirror.iter().chain(c.sources.iter()).enumerate().collect();
        for (index, source) in origins {
            let is_mirror = index < mirror_count;
            let kind = if is_mirror { "mirror" } else { "source" };
            let external = (self.external_api)(source);

            // The server checks a mirror's name only for a local origin; sources always.
            if !is_mirror || external.is_none() {
                if let Some(problem) = name_problem(&source.name, NatsVersion::V2_9) {
                    let message = format!(
                        "the {kind} of stream {} names stream {}, which {problem}: name an existing stream",
                        show(&c.name),
                        show(&source.name)
                    );
                    let target = self.origin_target(index);
                    self.push(Diagnostic::new(Rule::StreamNameInvalid, target, message).field("name"));
                }
            }

            let filter = source.filter_subject.as_deref().filter(|f| !f.is_empty());
            if let Some(filter) = filter {
                if !source.subject_transforms.is_empty() && self.version >= NatsVersion::V2_10 {
                    let message = format!(
                        "the {kind} {} of stream {} sets both filter_subject {} and subject_transforms: \
                         use one; a transform's source filters too",
                        show(&source.name),
                        show(&c.name),
                        show(filter)
                    );
                    let target = self.origin_target(index);
                    let diagnostic =
                        Diagnostic::new(Rule::FilterAndTransforms, target, message).field("filter_subject");
                    let fix = self.with_config(|c| {
                        if let Some(o) = c.mirror.iter_mut().chain(c.sources.iter_mut()).nth(index) {
                            o.filter_subject = None;
                        }
                    });
                    self.push_fixed(diagnostic, "remove filter_subject, keep the transforms".to_owned(), fix);
                }
            }

            // A single source cannot repeat one: skip building its key.
            if is_mirror || c.sources.len() < 2 {
                continue;
            }
            // nats-server `composeIName`: the name, the API prefix when external, and the
            // filters with their destinations (empty ones standing for `>`).
            fn or_all(s: &str) -> &str {
                if s.is_empty() {
                    ">"
                } else {
                    s
                }
            }
            let filters: Vec<(&str, &str)> = if source.subject_transforms.is_empty() {
                vec![(or_all(filter.unwrap_or("")), ">")]
            } else {
                source.subject_transforms.iter().map(|t| (or_all(&t.src), or_all(&t.dest))).collect()
            };
            let key = (source.name.as_str(), external, filters);
            if let Some(&first) = seen.get(&key) {
                let message = format!(
                    "stream {} sources {} twice (sources #{} and #{}), with the same filter and API prefix: \
                     remove one",
                    show(&c.name),
                    show(&source.name),
                    first - mirror_count + 1,
                    index - mirror_count + 1
                );
                let target = self.origin_target(index);
                let diagnostic = Diagnostic::new(Rule::SourceDuplicate, target, message).field("sources");
                // nats-server 2.9.10 accepts duplicate sources (measured); 10140 came with 2.10.
                let diagnostic =
                    if self.version == NatsVersion::V2_9 { diagnostic.severity(Severity::Warning) } else { diagnostic };
                let position = index - mirror_count;
                let fix = self.with_config(|c| {
                    if position < c.sources.len() {
                        c.sources.remove(position);
                    }
                });
                self.push_fixed(diagnostic, format!("remove the second source {}", show(&source.name)), fix);
            } else {
                seen.insert(key, index);
            }
        }
    }

    /// Numbers the server cannot hold in its own field types. Measured on 2.9.10 and 2.15.1 (the
    /// `range-*` cases of the differential corpus): `max_msg_size` is a 32-bit integer there, and
    /// 2147483648 is refused as a bad request (10025); every other number the design file holds
    /// (64-bit `max_msgs`, `max_bytes`, `max_consumers`, durations, unsigned sequences, and -2 or
    /// lower for a limit) is accepted. A `max_bytes` above the server's storage is refused too
    /// (10047), but that limit is the deployment's, not the design's.
    fn ranges(&mut self) {
        let c = self.config;
        if i32::try_from(c.max_msg_size).is_err() {
            let message = format!(
                "max_msg_size {} of stream {} does not fit the server's 32-bit field (at most {}): the server \
                 refuses the configuration; use -1 for no limit",
                c.max_msg_size,
                show(&c.name),
                i32::MAX
            );
            let diagnostic = Diagnostic::new(Rule::StreamConfigSchema, self.target, message).field("max_msg_size");
            let fix = self.with_config(|c| c.max_msg_size = -1);
            self.push_fixed(diagnostic, "set max_msg_size to -1 (no limit)".to_owned(), fix);
        }
    }

    fn durations(&mut self) {
        let c = self.config;
        let max_age = c.max_age;
        if max_age < 0 || (max_age > 0 && max_age < MIN_DURATION) {
            let (why, to) = if max_age < 0 { ("is negative", 0) } else { ("is below 100ms", MIN_DURATION) };
            let message = format!(
                "max_age {} of stream {} {why}: use 0 for no age limit, or at least 100ms",
                show_nanos(max_age),
                show(&c.name)
            );
            let diagnostic = Diagnostic::new(Rule::MaxAgeTooSmall, self.target, message).field("max_age");
            let fix = self.with_config(|c| c.max_age = to);
            self.push_fixed(diagnostic, format!("set max_age to {}", show_nanos(to)), fix);
        }
        let Some(window) = c.duplicate_window else {
            return;
        };
        if window < 0 || (window > 0 && window < MIN_DURATION) {
            let why = if window < 0 { "is negative" } else { "is below 100ms" };
            let message = format!(
                "duplicate_window {} of stream {} {why}: leave it out for the server's default (2m, or max_age \
                 when shorter), or use at least 100ms",
                show_nanos(window),
                show(&c.name)
            );
            let diagnostic = Diagnostic::new(Rule::MaxAgeTooSmall, self.target, message).field("duplicate_window");
            let fix = self.with_config(|c| c.duplicate_window = None);
            self.push_fixed(diagnostic, "use the server's default duplicate_window".to_owned(), fix);
        }
        if max_age > 0 && window > max_age {
            let message = format!(
                "duplicate_window {} of stream {} is longer than its max_age {}: messages would be forgotten \
                 before their ids; shorten the window to at most max_age",
                show_nanos(window),
                show(&c.name),
                show_nanos(max_age)
            );
            let diagnostic =
                Diagnostic::new(Rule::DuplicateWindowExceedsMaxAge, self.target, message).field("duplicate_window");
            let fix = self.with_config(|c| c.duplicate_window = Some(max_age));
            self.push_fixed(diagnostic, format!("set duplicate_window to {}", show_nanos(max_age)), fix);
        }
    }

    fn flags(&mut self) {
        let c = self.config;
        if c.sealed {
            let message = format!(
                "stream {} is sealed: a stream cannot be created sealed (the server refuses it); create it, \
                 then seal it with an update",
                show(&c.name)
            );
            let diagnostic = Diagnostic::new(Rule::SealedAtCreate, self.target, message).field("sealed");
            self.push_fixed(diagnostic, "unseal the stream".to_owned(), |stream| Command::SetStreamSealed {
                stream,
                sealed: false,
            });
        }
        if c.deny_purge && c.allow_rollup_hdrs {
            let message = format!(
                "stream {} sets deny_purge and allow_rollup_hdrs: a roll-up purges, so it needs the purge \
                 permission; turn one of them off",
                show(&c.name)
            );
            let diagnostic =
                Diagnostic::new(Rule::DenyPurgeWithRollup, self.target, message).field("allow_rollup_hdrs");
            let fix = self.with_config(|c| c.allow_rollup_hdrs = false);
            self.push_fixed(diagnostic, "turn allow_rollup_hdrs off".to_owned(), fix);
        }
        if c.discard_new_per_subject {
            let discard_new = c.discard == Discard::New;
            let per_subject = c.max_msgs_per_subject > 0;
            if !discard_new || !per_subject {
                let missing = match (discard_new, per_subject) {
                    (false, false) => "discard: new and max_msgs_per_subject above 0",
                    (false, true) => "discard: new",
                    _ => "max_msgs_per_subject above 0",
                };
                let message = format!(
                    "stream {} sets discard_new_per_subject without {missing}: set them, or turn \
                     discard_new_per_subject off",
                    show(&c.name)
                );
                let diagnostic =
                    Diagnostic::new(Rule::DiscardNewPerSubject, self.target, message).field("discard_new_per_subject");
                let label = if per_subject { "set discard to new" } else { "turn discard_new_per_subject off" };
                let fix = self.with_config(|c| {
                    if per_subject {
                        c.discard = Discard::New;
                    } else {
                        c.discard_new_per_subject = false;
                    }
                });
                self.push_fixed(diagnostic, label.to_owned(), fix);
            }
        }
    }
}

fn replicas_exceed_cluster(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    let Some(cluster) = design.cluster(stream.cluster) else {
        return;
    };
    let replicas = effective_replicas(&stream.config);
    let servers = i64::from(cluster.servers);
    if !(1..=MAX_REPLICAS).contains(&replicas) || replicas <= servers {
        return;
    }
    let message = format!(
        "stream {} asks for {replicas} replicas but cluster {} has {servers} server(s): the server cannot \
         place it; lower num_replicas or add servers",
        show(&stream.config.name),
        show(&cluster.name)
    );
    let diagnostic =
        Diagnostic::new(Rule::ReplicasExceedCluster, Target::Stream(stream.id), message).field("num_replicas");
    out.push(if servers >= 1 {
        diagnostic.fix(
            format!("set num_replicas to {servers}"),
            Command::SetStreamReplicas { stream: stream.id, replicas: servers },
        )
    } else {
        diagnostic
    });
}

/// The JetStream name space a stream lives in: its cluster's domain, or the cluster itself when
/// it has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Place<'a> {
    Domain(&'a str),
    Cluster(ClusterId),
}

impl Place<'_> {
    fn of<'a>(design: &'a Design, stream: &Stream) -> Place<'a> {
        match design.cluster(stream.cluster).and_then(|c| c.domain()) {
            Some(domain) => Place::Domain(domain),
            None => Place::Cluster(stream.cluster),
        }
    }

    fn describe(self, design: &Design) -> String {
        match self {
            Place::Domain(d) => format!("domain {}", show(d)),
            Place::Cluster(c) => {
                let name = design.cluster(c).map_or_else(|| c.to_string(), |c| c.name.clone());
                format!("cluster {} (no domain)", show(&name))
            }
        }
    }
}

fn cluster_name(design: &Design, id: ClusterId) -> String {
    show(&design.cluster(id).map_or_else(|| id.to_string(), |c| c.name.clone()))
}

fn stream_name_duplicate(design: &Design, out: &mut Vec<Diagnostic>) {
    let mut first: FastMap<(&str, Place, &str), &Stream> =
        FastMap::with_capacity_and_hasher(design.stream_count(), Default::default());
    for stream in design.streams() {
        let key = (stream.account.as_str(), Place::of(design, stream), stream.config.name.as_str());
        let Some(earlier) = first.get(&key) else {
            first.insert(key, stream);
            continue;
        };
        out.push(name_duplicate(design, stream, earlier, key.1));
    }
}

/// `stream-name-duplicate` on one stream: `named` is every stream of the design with its name,
/// in id order. The same as `stream_name_duplicate` says of it.
pub(super) fn name_duplicate_one<'a>(
    design: &Design,
    stream: &Stream,
    named: impl IntoIterator<Item = &'a Stream>,
    out: &mut Vec<Diagnostic>,
) {
    let place = Place::of(design, stream);
    let earlier = named
        .into_iter()
        .take_while(|s| s.id < stream.id)
        .find(|s| s.account == stream.account && s.config.name == stream.config.name && Place::of(design, s) == place);
    if let Some(earlier) = earlier {
        out.push(name_duplicate(design, stream, earlier, place));
    }
}

fn name_duplicate(design: &Design, stream: &Stream, earlier: &Stream, place: Place) -> Diagnostic {
    let message = format!(
        "stream {} in cluster {} has the same name as the stream in cluster {}; both are in {} and account \
         {}, where stream names are unique: rename one",
        show(&stream.config.name),
        cluster_name(design, stream.cluster),
        cluster_name(design, earlier.cluster),
        place.describe(design),
        show(&stream.account)
    );
    Diagnostic::new(Rule::StreamNameDuplicate, Target::Stream(stream.id), message).field("name")
}

/// The subjects a stream captures: its own, or its name when the server defaults to it. Only
/// valid ones: invalid subjects are reported by `subject-invalid`. A mirror captures none.
/// They are appended to `out`.
fn captured_subjects<'a>(config: &'a StreamConfig, version: NatsVersion, out: &mut Vec<&'a str>) {
    if config.mirror.is_some() {
        return;
    }
    if config.subjects.is_empty() {
        if config.sources.is_empty() && name_problem(&config.name, version).is_none() {
            out.push(config.name.as_str());
        }
        return;
    }
    out.extend(config.subjects.iter().map(String::as_str).filter(|s| subject::is_valid(s)));
}

/// `subject-overlap-in-domain` and `subject-overlap-across-domains`: one diagnostic per pair of
/// streams of one account, on the later stream, found through a subject index per account.
fn subject_overlap_between_streams(design: &Design, out: &mut Vec<Diagnostic>) {
    let mut accounts: BTreeMap<&str, Vec<&Stream>> = BTreeMap::new();
    for stream in design.streams() {
        accounts.entry(stream.account.as_str()).or_default().push(stream);
    }
    let mut hits = Vec::new();
    for (account, streams) in accounts {
        let mut index: subject::Index<(usize, usize)> = subject::Index::with_capacity(streams.len());
        let version = |s: &Stream| design.cluster(s.cluster).map_or(NatsVersion::V2_14, |c| c.version);
        // Every stream's subjects in one list, stream `i`'s at `subjects[starts[i]..starts[i + 1]]`.
        let mut flat: Vec<&str> = Vec::with_capacity(streams.len());
        let mut starts: Vec<usize> = Vec::with_capacity(streams.len() + 1);
        for s in &streams {
            starts.push(flat.len());
            captured_subjects(&s.config, version(s), &mut flat);
        }
        starts.push(flat.len());
        let subjects = |i: usize| &flat[starts[i]..starts[i + 1]];
        for (i, stream) in streams.iter().enumerate() {
            // Per earlier stream, the first pair of overlapping subjects.
            let mut pairs: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
            for (k, subj) in subjects(i).iter().enumerate() {
                hits.clear();
                index.collisions(subj, &mut hits);
                for &(j, l) in &hits {
                    let first = pairs.entry(j).or_insert((k, l));
                    *first = (*first).min((k, l));
                }
            }
            for (j, (k, l)) in pairs {
                out.push(overlap(design, account, stream, streams[j], subjects(i)[k], subjects(j)[l]));
            }
            for (k, subj) in subjects(i).iter().enumerate() {
                index.insert(subj, (i, k));
            }
        }
    }
}

/// The subjects `captured_subjects` gives for a stream of `design`.
pub(super) fn captured<'a>(design: &Design, stream: &'a Stream) -> Vec<&'a str> {
    let version = design.cluster(stream.cluster).map_or(NatsVersion::V2_14, |c| c.version);
    let mut out = Vec::new();
    captured_subjects(&stream.config, version, &mut out);
    out
}

/// The subject overlaps of one stream with the streams before it (in id order) of its account:
/// the same as `subject_overlap_between_streams` says of it.
pub(super) fn overlap_one(design: &Design, stream: &Stream, out: &mut Vec<Diagnostic>) {
    let mine = captured(design, stream);
    if mine.is_empty() {
        return;
    }
    let mut theirs = Vec::new();
    for other in design.streams().take_while(|s| s.id < stream.id).filter(|s| s.account == stream.account) {
        theirs.clear();
        let version = design.cluster(other.cluster).map_or(NatsVersion::V2_14, |c| c.version);
        captured_subjects(&other.config, version, &mut theirs);
        // The first pair in (mine, theirs) order, as the index search keeps it.
        let first = mine
            .iter()
            .enumerate()
            .find_map(|(k, a)| theirs.iter().position(|b| subject::collide(a, b)).map(|l| (k, l)));
        if let Some((k, l)) = first {
            out.push(overlap(design, &stream.account, stream, other, mine[k], theirs[l]));
        }
    }
}

/// `subject-overlap-in-domain` or `-across-domains` on `stream`, whose subject `mine` overlaps
/// `theirs` of the earlier stream `other`.
fn overlap(design: &Design, account: &str, stream: &Stream, other: &Stream, mine: &str, theirs: &str) -> Diagnostic {
    let (place, other_place) = (Place::of(design, stream), Place::of(design, other));
    let overlap = if mine == theirs {
        format!("captures subject {} like stream {}", show(mine), show(&other.config.name))
    } else {
        format!(
            "captures subject {}, which overlaps {} of stream {}",
            show(mine),
            show(theirs),
            show(&other.config.name)
        )
    };
    let diagnostic = if place == other_place {
        let message = format!(
            "stream {} {overlap} (cluster {}), both in {} and account {}: the server refuses the \
             second (subjects overlap, 10065); give each stream its own subjects",
            show(&stream.config.name),
            cluster_name(design, other.cluster),
            place.describe(design),
            show(account)
        );
        Diagnostic::new(Rule::SubjectOverlapInDomain, Target::Stream(stream.id), message)
    } else {
        let message = format!(
            "stream {} in {} {overlap} in {}, same account {}: while the leafnode is up both store \
             every message; if one should copy the other, make it a mirror or source, else give each \
             its own subjects",
            show(&stream.config.name),
            place.describe(design),
            other_place.describe(design),
            show(account)
        );
        Diagnostic::new(Rule::SubjectOverlapAcrossDomains, Target::Stream(stream.id), message)
    };
    diagnostic.field("subjects")
}

#[cfg(test)]
mod index_tests {
    use super::subject::{collide, Index};
    use proptest::prelude::*;

    /// Valid patterns over a small alphabet, so that collisions are frequent.
    fn pattern() -> impl Strategy<Value = String> {
        let token = prop_oneof![Just("a"), Just("b"), Just("c"), Just("*")];
        (prop::collection::vec(token, 1..5), any::<bool>()).prop_map(|(tokens, rest)| {
            let mut p = tokens.join(".");
            if rest {
                p.push_str(".>");
            }
            p
        })
    }

    proptest! {
        /// The index and the pairwise comparison (`collide`) agree, so `subjects` may use either.
        #[test]
        fn the_index_finds_exactly_the_colliding_patterns(
            patterns in prop::collection::vec(prop_oneof![9 => pattern(), 1 => Just(">".to_owned())], 0..24),
            probe in prop_oneof![9 => pattern(), 1 => Just(">".to_owned())],
        ) {
            let mut index = Index::new();
            for (i, p) in patterns.iter().enumerate() {
                index.insert(p, i);
            }
            let mut found = Vec::new();
            index.collisions(&probe, &mut found);
            found.sort_unstable();
            found.dedup();
            let expected: Vec<usize> = (0..patterns.len()).filter(|&i| collide(&patterns[i], &probe)).collect();
            prop_assert_eq!(found, expected);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::stream::{SubjectTransform, SECOND};
    use crate::model::validate::Severity;

    /// The diagnostics of this group for a design, as (rule, stream name) pairs, sorted.
    fn check_design(design: &Design) -> Vec<(Rule, String)> {
        let mut out = Vec::new();
        check(design, &mut out);
        let mut found: Vec<(Rule, String)> = out
            .iter()
            .map(|d| {
                let id = match d.target {
                    Target::Stream(id) | Target::Origin { stream: id, .. } => Some(id),
                    _ => None,
                };
                let name = id.and_then(|id| design.stream(id)).map_or_else(String::new, |s| s.config.name.clone());
                (d.rule, name)
            })
            .collect();
        found.sort();
        found
    }

    /// The rules `check_config` raises for one configuration on a version.
    fn rules_of(config: &StreamConfig, version: NatsVersion) -> Vec<Rule> {
        let mut out = Vec::new();
        check_config(config, version, Target::Design, &mut out);
        out.iter().map(|d| d.rule).collect()
    }

    /// The diagnostics of `check_config` for a stream target, to look at fixes and fields.
    fn diagnostics_of(config: &StreamConfig) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check_config(config, NatsVersion::V2_14, Target::Stream(StreamId(7)), &mut out);
        out
    }

    fn stream(name: &str, subjects: &[&str]) -> StreamConfig {
        let mut c = StreamConfig::new(name);
        c.subjects = subjects.iter().map(|s| (*s).to_owned()).collect();
        c
    }

    fn fires(config: &StreamConfig, rule: Rule) -> bool {
        rules_of(config, NatsVersion::V2_14).contains(&rule)
    }

    fn id_of(design: &Design, name: &str) -> StreamId {
        design.streams().find(|s| s.config.name == name).map(|s| s.id).expect("the example has this stream")
    }

    fn with_config(design: &mut Design, name: &str, edit: impl FnOnce(&mut StreamConfig)) {
        let id = id_of(design, name);
        if let Some(s) = design.stream_mut(id) {
            edit(&mut s.config);
        }
    }

    #[test]
    fn the_corrected_guide_raises_nothing_from_these_rules() {
        assert_eq!(check_design(&guide_corrected()), []);
    }

    #[test]
    fn subject_helpers_follow_wildcard_semantics() {
        assert!(subject::collide("a.*", "a.b"));
        assert!(subject::collide("a.>", "a.b.c"));
        assert!(!subject::collide("a.>", "a"));
        assert!(subject::collide("*.b", "a.*"));
        assert!(!subject::collide("a.*", "a.b.c"));
        assert!(subject::collide(">", "x"));
        assert!(subject::collide("a*", "a*"));
        assert!(!subject::collide("a*", "ab"));
        assert!(subject::is_subset("a.b", "a.*"));
        assert!(subject::is_subset("a.*.c", "a.>"));
        assert!(!subject::is_subset("a.>", "a.*"));
        assert!(!subject::is_subset("*.>", "$JS.>"));
        assert!(subject::is_subset("a.*", "a.*"));
        assert!(!subject::is_subset("a.*", "a.b"));
        assert!(subject::is_literal("$JS.hub.API"));
        assert!(!subject::is_literal("$JS.*.API"));
    }

    #[test]
    fn the_subject_index_finds_exactly_the_colliding_patterns() {
        let patterns = ["a.b", "a.*", "a.>", "*.b", ">", "b.c", "a.b.c", "*", "a*.b"];
        let mut index = subject::Index::new();
        for (i, p) in patterns.iter().enumerate() {
            index.insert(p, i);
        }
        for query in ["a.b", "a", "a.b.c", "*.*", ">", "b.>", "x.y.z", "a*.*", "*.c"] {
            let mut hits = Vec::new();
            index.collisions(query, &mut hits);
            hits.sort_unstable();
            hits.dedup();
            let expected: Vec<usize> = (0..patterns.len()).filter(|i| subject::collide(query, patterns[*i])).collect();
            assert_eq!(hits, expected, "query {query}");
        }
    }

    #[test]
    fn stream_names_are_refused_as_the_server_refuses_them() {
        for bad in ["", "a.b", "a*", "a>", "a b", "a\tb", "$(rm -rf ~)", &"x".repeat(256)] {
            assert!(fires(&stream(bad, &["s"]), Rule::StreamNameInvalid), "{bad:?}");
        }
        for good in ["orders", "ORDERS_2", "$(rm)", "\";drop", "<script", "é", &"x".repeat(255)] {
            assert!(!fires(&stream(good, &["s"]), Rule::StreamNameInvalid), "{good:?}");
        }
    }

    #[test]
    fn path_separators_in_names_are_refused_on_every_server_line() {
        for name in ["a/b", "a\\b"] {
            assert!(rules_of(&stream(name, &["s"]), NatsVersion::V2_10).contains(&Rule::StreamNameInvalid));
            assert!(rules_of(&stream(name, &["s"]), NatsVersion::V2_9).contains(&Rule::StreamNameInvalid));
        }
    }

    #[test]
    fn an_invalid_name_is_fixed_by_a_rename_to_a_valid_one() {
        let d = diagnostics_of(&stream("a.b c", &["s"]));
        let fix = d.iter().find(|d| d.rule == Rule::StreamNameInvalid).and_then(|d| d.fix.clone());
        match fix.map(|f| f.command) {
            Some(Command::SetStreamConfig { config, .. }) => assert_eq!(config.name, "a-b-c"),
            other => panic!("unexpected fix {other:?}"),
        }
    }

    #[test]
    fn an_invalid_origin_name_is_reported_on_the_origin() {
        let mut c = stream("copy", &[]);
        c.sources = vec![StreamSource { name: "a.b".into(), ..StreamSource::default() }];
        let d = diagnostics_of(&c);
        assert!(
            d.iter()
                .any(|d| d.rule == Rule::StreamNameInvalid
                    && d.target == Target::Origin { stream: StreamId(7), index: 0 })
        );
    }

    #[test]
    fn names_of_external_mirrors_are_left_to_the_other_side_like_the_server_does() {
        let mut c = stream("copy", &[]);
        c.mirror = Some(StreamSource { name: "a.b".into(), api: Some("$JS.x.API".into()), ..StreamSource::default() });
        assert!(!fires(&c, Rule::StreamNameInvalid));
        c.mirror = Some(StreamSource { name: "a.b".into(), ..StreamSource::default() });
        assert!(fires(&c, Rule::StreamNameInvalid));
    }

    #[test]
    fn two_streams_with_one_name_in_one_domain_and_account_are_refused() {
        let mut d = guide_corrected();
        with_config(&mut d, "sales", |c| c.name = "cinema-a".into());
        assert_eq!(check_design(&d), [(Rule::StreamNameDuplicate, "cinema-a".to_owned())]);
    }

    #[test]
    fn one_name_in_two_domains_or_two_accounts_is_fine() {
        let mut d = guide_corrected();
        // tickets-2 lives in cinema-b: a stream called tickets-1 there is another name space.
        with_config(&mut d, "tickets-2", |c| c.name = "tickets-1".into());
        with_config(&mut d, "sales", |c| c.sources.clear());
        assert!(!check_design(&d).iter().any(|(r, _)| *r == Rule::StreamNameDuplicate));

        let mut d = guide_corrected();
        let hub = d.clusters().next().map(|(id, _)| id).expect("the example has a hub");
        d.add_stream(hub, "OTHER", stream("cinema-a", &["other.films"]));
        assert!(!check_design(&d).iter().any(|(r, _)| *r == Rule::StreamNameDuplicate));
    }

    #[test]
    fn subjects_are_missing_only_where_the_server_cannot_default_to_the_name() {
        assert!(!fires(&stream("orders", &[]), Rule::StreamSubjectsMissing));
        assert!(fires(&stream("", &[]), Rule::StreamSubjectsMissing));
        assert!(fires(&stream("a.b", &[]), Rule::StreamSubjectsMissing));
        let mut sourced = stream("a.b", &[]);
        sourced.sources = vec![StreamSource { name: "x".into(), ..StreamSource::default() }];
        assert!(!fires(&sourced, Rule::StreamSubjectsMissing));
    }

    #[test]
    fn invalid_subjects_are_refused() {
        for bad in ["", "a..b", ".a", "a.", "a.>.b", "a b", "a.\tb", "$(rm -rf ~)"] {
            assert!(fires(&stream("s", &[bad]), Rule::SubjectInvalid), "{bad:?}");
        }
        for good in ["a", "a.*.c", "a.>", "a*.b>", "$(rm)", "<script>", "\";drop"] {
            assert!(!fires(&stream("s", &[good]), Rule::SubjectInvalid), "{good:?}");
        }
    }

    #[test]
    fn subjects_of_one_stream_must_not_repeat_or_overlap() {
        // Long lists go through the subject index, short ones are compared pairwise.
        let many: Vec<String> = (0..20).map(|i| format!("x.{i}")).collect();
        let mut long: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(!fires(&stream("s", &long), Rule::SubjectOverlapInStream));
        long.push("x.*");
        assert!(fires(&stream("s", &long), Rule::SubjectOverlapInStream));
        assert!(fires(&stream("s", &["a.b", "a.b"]), Rule::SubjectOverlapInStream));
        assert!(fires(&stream("s", &["a.*", "a.b"]), Rule::SubjectOverlapInStream));
        assert!(fires(&stream("s", &["a.>", "*.b.c"]), Rule::SubjectOverlapInStream));
        assert!(!fires(&stream("s", &["a.b", "a.c", "b.>"]), Rule::SubjectOverlapInStream));
    }

    #[test]
    fn an_overlap_in_one_stream_is_fixed_by_removing_the_narrower_subject() {
        let d = diagnostics_of(&stream("s", &["a.b", "a.>"]));
        let fix = d.iter().find(|d| d.rule == Rule::SubjectOverlapInStream).and_then(|d| d.fix.clone());
        assert_eq!(
            fix.map(|f| f.command),
            Some(Command::SetStreamSubjects { stream: StreamId(7), subjects: vec!["a.>".into()] })
        );
    }

    #[test]
    fn overlapping_streams_in_one_domain_are_refused() {
        let mut d = guide_corrected();
        with_config(&mut d, "sales", |c| {
            c.sources.clear();
            c.subjects = vec!["cinema-a.*.films".into()];
        });
        assert_eq!(check_design(&d), [(Rule::SubjectOverlapInDomain, "sales".to_owned())]);
    }

    #[test]
    fn a_stream_left_to_its_default_subject_overlaps_like_any_other() {
        let mut d = guide_corrected();
        with_config(&mut d, "sales", |c| {
            c.sources.clear();
            c.subjects = vec!["*".into()];
        });
        let hub = d.clusters().next().map(|(id, _)| id).expect("the example has a hub");
        d.add_stream(hub, "ACC", stream("orders", &[]));
        assert_eq!(check_design(&d), [(Rule::SubjectOverlapInDomain, "orders".to_owned())]);
    }

    #[test]
    fn disjoint_subjects_or_other_accounts_do_not_overlap() {
        let mut d = guide_corrected();
        let hub = d.clusters().next().map(|(id, _)| id).expect("the example has a hub");
        d.add_stream(hub, "ACC", stream("other", &["cinema-a.old.films", "cinema-b.>"]));
        d.add_stream(hub, "OTHER", stream("shadow", &["cinema-a.>"]));
        assert_eq!(check_design(&d), []);
    }

    #[test]
    fn overlapping_streams_in_different_domains_are_a_warning() {
        // The guide's "mirror": a second stream called cinema-a with the same subjects in cinema-a.
        let mut d = guide_corrected();
        with_config(&mut d, "cinema-a-mirror", |c| {
            c.name = "cinema-a".into();
            c.mirror = None;
            c.subjects = vec!["cinema-a.new.films".into()];
        });
        let mut out = Vec::new();
        check(&d, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].rule, Rule::SubjectOverlapAcrossDomains);
        assert_eq!(out[0].severity, Severity::Warning);
        assert!(out[0].message.contains("\"cinema-a\"") && out[0].message.contains("mirror"), "{}", out[0].message);
    }

    #[test]
    fn reserved_subjects_need_no_ack() {
        for bad in ["$JS.API.>", "$JSC.x", "$SYS.REQ.x", "$JS.*"] {
            assert!(fires(&stream("s", &[bad]), Rule::SubjectReserved), "{bad}");
            let mut no_ack = stream("s", &[bad]);
            no_ack.no_ack = true;
            assert!(!fires(&no_ack, Rule::SubjectReserved), "{bad}");
        }
        for allowed in ["$JS.EVENT.ADVISORY.>", "$SYS.ACCOUNT.x.CONNECT", "$JSX.a", "orders.>"] {
            assert!(!fires(&stream("s", &[allowed]), Rule::SubjectReserved), "{allowed}");
        }
    }

    #[test]
    fn wildcards_that_overlap_reserved_subjects_are_refused_from_2_11_only() {
        for subject in ["*.>", "*.API.>", "$NRG.>"] {
            assert!(rules_of(&stream("s", &[subject]), NatsVersion::V2_11).contains(&Rule::SubjectReserved));
            assert!(!rules_of(&stream("s", &[subject]), NatsVersion::V2_10).contains(&Rule::SubjectReserved));
        }
    }

    #[test]
    fn capturing_everything_needs_no_ack_and_one_replica() {
        let mut c = stream("s", &[">"]);
        assert!(fires(&c, Rule::SubjectReserved));
        c.no_ack = true;
        assert!(!fires(&c, Rule::SubjectReserved));
        c.num_replicas = 3;
        assert!(fires(&c, Rule::SubjectReserved));
    }

    #[test]
    fn replicas_range_from_zero_to_five() {
        for (n, bad) in [(-1, true), (i64::MIN, true), (0, false), (1, false), (5, false), (6, true), (i64::MAX, true)]
        {
            let mut c = stream("s", &["s"]);
            c.num_replicas = n;
            assert_eq!(fires(&c, Rule::ReplicasOutOfRange), bad, "{n}");
        }
    }

    #[test]
    fn replicas_out_of_range_are_clamped_by_the_fix() {
        let mut c = stream("s", &["s"]);
        c.num_replicas = -3;
        let fix = diagnostics_of(&c).into_iter().find_map(|d| d.fix);
        assert_eq!(fix.map(|f| f.command), Some(Command::SetStreamReplicas { stream: StreamId(7), replicas: 1 }));
    }

    #[test]
    fn replicas_beyond_the_cluster_size_cannot_be_placed() {
        let mut d = guide_corrected();
        with_config(&mut d, "cinema-a", |c| c.num_replicas = 5);
        let mut out = Vec::new();
        check(&d, &mut out);
        let exceed: Vec<_> = out.iter().filter(|x| x.rule == Rule::ReplicasExceedCluster).collect();
        assert_eq!(exceed.len(), 1);
        let fix = exceed[0].fix.clone().map(|f| f.command);
        assert_eq!(fix, Some(Command::SetStreamReplicas { stream: id_of(&d, "cinema-a"), replicas: 3 }));

        with_config(&mut d, "cinema-a", |c| c.num_replicas = 3);
        assert!(!check_design(&d).iter().any(|(r, _)| *r == Rule::ReplicasExceedCluster));
    }

    #[test]
    fn even_replicas_are_a_warning_fixed_towards_an_odd_count_that_fits() {
        for (n, even) in [(1, false), (2, true), (3, false), (4, true), (5, false)] {
            let mut c = stream("s", &["s"]);
            c.num_replicas = n;
            assert_eq!(fires(&c, Rule::ReplicasEven), even, "{n}");
        }
        let mut d = guide_corrected();
        with_config(&mut d, "cinema-a", |c| c.num_replicas = 4);
        let mut out = Vec::new();
        check(&d, &mut out);
        let even = out.iter().find(|x| x.rule == Rule::ReplicasEven).and_then(|x| x.fix.clone());
        let expected = Command::SetStreamReplicas { stream: id_of(&d, "cinema-a"), replicas: 3 };
        assert_eq!(even.map(|f| f.command), Some(expected));
    }

    #[test]
    fn a_mirror_has_neither_subjects_nor_sources() {
        let mut c = stream("copy", &[]);
        c.mirror = Some(StreamSource { name: "origin".into(), ..StreamSource::default() });
        assert_eq!(rules_of(&c, NatsVersion::V2_14), []);
        c.subjects = vec!["x".into()];
        assert!(fires(&c, Rule::MirrorHasSubjects));
        c.subjects.clear();
        c.sources = vec![StreamSource { name: "other".into(), ..StreamSource::default() }];
        assert!(fires(&c, Rule::MirrorHasSources));
        assert!(!fires(&c, Rule::MirrorHasSubjects));
    }

    #[test]
    fn a_filter_and_transforms_together_are_refused_from_2_10() {
        let mut c = stream("copy", &[]);
        c.sources = vec![StreamSource {
            name: "origin".into(),
            filter_subject: Some("a.>".into()),
            subject_transforms: vec![SubjectTransform { src: "a.>".into(), dest: "b.>".into() }],
            ..StreamSource::default()
        }];
        assert!(rules_of(&c, NatsVersion::V2_10).contains(&Rule::FilterAndTransforms));
        assert!(!rules_of(&c, NatsVersion::V2_9).contains(&Rule::FilterAndTransforms));
        c.sources[0].filter_subject = None;
        assert!(!fires(&c, Rule::FilterAndTransforms));
    }

    #[test]
    fn the_same_origin_twice_is_a_duplicate_source() {
        let origin = |name: &str, filter: Option<&str>, api: Option<&str>| StreamSource {
            name: name.into(),
            filter_subject: filter.map(Into::into),
            api: api.map(Into::into),
            ..StreamSource::default()
        };
        let mut c = stream("copy", &[]);
        c.sources = vec![origin("a", None, None), origin("a", Some(">"), None)];
        assert!(fires(&c, Rule::SourceDuplicate));
        c.sources = vec![origin("a", Some("x"), None), origin("a", Some("y"), None)];
        assert!(!fires(&c, Rule::SourceDuplicate));
        c.sources = vec![origin("a", None, Some("$JS.one.API")), origin("a", None, Some("$JS.two.API"))];
        assert!(!fires(&c, Rule::SourceDuplicate));
        c.sources = vec![
            origin("a", None, Some("$JS.one.API")),
            origin("b", None, None),
            origin("a", None, Some("$JS.one.API")),
        ];
        let d = diagnostics_of(&c);
        let dup = d.iter().find(|d| d.rule == Rule::SourceDuplicate).expect("a duplicate");
        assert_eq!(dup.target, Target::Origin { stream: StreamId(7), index: 2 });
        match dup.fix.clone().map(|f| f.command) {
            Some(Command::SetStreamConfig { config, .. }) => assert_eq!(config.sources.len(), 2),
            other => panic!("unexpected fix {other:?}"),
        }
    }

    #[test]
    fn the_duplicate_window_may_not_exceed_a_non_zero_max_age() {
        let mut c = stream("s", &["s"]);
        c.duplicate_window = Some(2 * SECOND);
        c.max_age = SECOND;
        assert!(fires(&c, Rule::DuplicateWindowExceedsMaxAge));
        c.max_age = 2 * SECOND;
        assert!(!fires(&c, Rule::DuplicateWindowExceedsMaxAge));
        c.max_age = 0;
        assert!(!fires(&c, Rule::DuplicateWindowExceedsMaxAge));
        c.duplicate_window = None;
        c.max_age = SECOND;
        assert!(!fires(&c, Rule::DuplicateWindowExceedsMaxAge));
    }

    #[test]
    fn max_msg_size_must_fit_the_servers_32_bit_field() {
        let mut c = stream("big", &["big"]);
        for (size, fires_schema) in [(i64::from(i32::MAX), false), (-1, false), (-2, false), (1 << 31, true)] {
            c.max_msg_size = size;
            assert_eq!(fires(&c, Rule::StreamConfigSchema), fires_schema, "max_msg_size {size}");
        }
        c.max_msg_size = i64::from(i32::MIN) - 1;
        assert!(fires(&c, Rule::StreamConfigSchema));
        let d = diagnostics_of(&c).into_iter().find(|d| d.rule == Rule::StreamConfigSchema).unwrap();
        assert_eq!(d.field, Some("max_msg_size"));
        assert_eq!(d.fix.map(|f| f.label).as_deref(), Some("set max_msg_size to -1 (no limit)"));
    }

    #[test]
    fn max_age_and_duplicate_window_are_zero_or_at_least_100ms() {
        for (age, bad) in [
            (i64::MIN, true),
            (-1, true),
            (0, false),
            (1, true),
            (99_999_999, true),
            (100_000_000, false),
            (i64::MAX, false),
        ] {
            let mut c = stream("s", &["s"]);
            c.max_age = age;
            assert_eq!(fires(&c, Rule::MaxAgeTooSmall), bad, "max_age {age}");
            let mut c = stream("s", &["s"]);
            c.duplicate_window = Some(age);
            assert_eq!(fires(&c, Rule::MaxAgeTooSmall), bad, "duplicate_window {age}");
        }
        let mut c = stream("s", &["s"]);
        c.max_age = 5;
        let d = diagnostics_of(&c);
        assert_eq!(d[0].field, Some("max_age"));
        match d[0].fix.clone().map(|f| f.command) {
            Some(Command::SetStreamConfig { config, .. }) => assert_eq!(config.max_age, 100_000_000),
            other => panic!("unexpected fix {other:?}"),
        }
    }

    #[test]
    fn a_stream_cannot_be_created_sealed() {
        let mut c = stream("s", &["s"]);
        assert!(!fires(&c, Rule::SealedAtCreate));
        c.sealed = true;
        let d = diagnostics_of(&c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, Rule::SealedAtCreate);
        assert_eq!(
            d[0].fix.clone().map(|f| f.command),
            Some(Command::SetStreamSealed { stream: StreamId(7), sealed: false })
        );
    }

    #[test]
    fn deny_purge_and_roll_ups_exclude_each_other() {
        let mut c = stream("s", &["s"]);
        c.deny_purge = true;
        assert!(!fires(&c, Rule::DenyPurgeWithRollup));
        c.allow_rollup_hdrs = true;
        assert!(fires(&c, Rule::DenyPurgeWithRollup));
        c.deny_purge = false;
        assert!(!fires(&c, Rule::DenyPurgeWithRollup));
    }

    #[test]
    fn discard_new_per_subject_needs_discard_new_and_a_per_subject_limit() {
        let mut c = stream("s", &["s"]);
        c.discard_new_per_subject = true;
        assert!(fires(&c, Rule::DiscardNewPerSubject));
        c.discard = Discard::New;
        assert!(fires(&c, Rule::DiscardNewPerSubject));
        c.max_msgs_per_subject = 1;
        assert!(!fires(&c, Rule::DiscardNewPerSubject));
        c.discard = Discard::Old;
        assert!(fires(&c, Rule::DiscardNewPerSubject));
    }

    #[test]
    fn hostile_configurations_never_panic() {
        let hostile = [
            "",
            "$(rm -rf ~)",
            "\"; drop",
            "<script>",
            ".",
            ">",
            "*",
            "a..b",
            "\u{0}",
            "é.ü.>",
            &"x.".repeat(20_000),
            &format!("{}y", "x.".repeat(20_000)),
        ];
        for text in hostile {
            let mut c = stream(text, &[text, text, ">", "*.>"]);
            c.num_replicas = i64::MIN;
            c.max_age = i64::MIN;
            c.duplicate_window = Some(i64::MAX);
            c.max_msgs_per_subject = i64::MIN;
            c.discard_new_per_subject = true;
            let origin = StreamSource {
                name: text.into(),
                api: Some(text.into()),
                filter_subject: Some(text.into()),
                subject_transforms: vec![SubjectTransform { src: text.into(), dest: text.into() }],
                ..StreamSource::default()
            };
            c.mirror = Some(origin.clone());
            c.sources = vec![origin.clone(), origin];
            for version in NatsVersion::ALL {
                let _ = rules_of(&c, version);
            }
            let _ = diagnostics_of(&c);
        }
    }
}
