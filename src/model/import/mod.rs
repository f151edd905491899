//! Importers: real configuration files in, a design out, every problem a diagnostic with the
//! file and line it is on.
//!
//! Files are recognized by content, never by name: Helm values of the NATS chart (0.19.x or
//! 1.x/2.x, `helm.rs`), stream configurations (`nats stream add --config` files and
//! `nats stream info --json` documents, `stream_json.rs`), shell scripts with `nats stream add`
//! commands, by `--config` or by flags, and `nats kv add` / `nats object add` commands (`cli_script.rs`; a
//! bucket is its stream `KV_<b>` / `OBJ_<b>`, as `model::bucket` explains), nats-server.conf files (`server_conf.rs`, over
//! the small parser of `conf_syntax.rs`) and NACK resources (`nack.rs`: streams, buckets and
//! consumers, each in the cluster of its `jsDomain`). Anything else is skipped with a note, among them the
//! list of names `nats stream ls --json` prints.
//!
//! Assembly: every values file or group of confs is a cluster; remote URLs are matched to the
//! clusters that listen for leafnodes (and, when the values do not say where such a cluster is
//! reachable, the URLs that reach it become its public endpoints); a stream file is placed in
//! the cluster whose domain a script creates it in, else by the naming convention
//! `<cluster-or-domain>.<anything>.json`, else it stays unplaced (a note) and is checked on its
//! own. Mirrors and sources link to the cluster their `external.api` names; an API prefix that
//! differs from what the design derives is kept, so that the rules check it.
//!
//! Parse errors have no rule of their own in the catalog; each is reported under the import
//! rule of its kind of file: stream JSON under `stream-config-schema`, a script under
//! `script-config-missing` (the commands after the error are lost), Helm values and server
//! confs under `helm-unknown-key` (a file that does not parse has no key the chart or server
//! reads).
//!
//! Invariants: pure (no IO; the CLI reads the files); never panics, whatever the bytes;
//! deterministic (same files, same design and diagnostics).

mod cli_script;
mod conf_syntax;
mod gateways;
mod helm;
mod helm_tls;
#[rustfmt::skip]
mod helm_keys;
mod lines;
pub mod localize;
mod nack;
mod server_conf;
mod stream_json;

pub use cli_script::NATSCLI_FLAGS;

use super::cluster::{Cluster, NatsVersion, Password, Role};
use super::export::Chart;
use super::geometry::{Point, CLUSTER_WIDTH};
use super::ids::{ClusterId, StreamId};
use super::stream::{Retention, StreamConfig};
use super::topology::Design;
use super::url;
use super::validate::{self, Diagnostic, Rule, Severity, Target};
use conf_syntax::Entry;
use lines::KeyLines;
use std::collections::{BTreeMap, BTreeSet};

/// Files larger than this are skipped (10 MB): no configuration is that large.
pub const MAX_FILE_SIZE: usize = 10 * 1024 * 1024;

/// One file given to the importer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it; diagnostics name the file by it, scripts find stream files
    /// relative to it.
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self { path: path.into(), text: text.into() }
    }
}

/// What the importer made of a set of files.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub design: Design,
    /// Problems found while importing (helm-unknown-key, script-*, stream-config-schema, parse
    /// errors, checks of unplaced streams), each with its file and line, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// What was skipped or assumed, one sentence each.
    pub notes: Vec<String>,
    sources: Sources,
}

impl Imported {
    /// Fills in the file and line of a diagnostic about the imported design (from `validate`),
    /// from where its target was read. Diagnostics that have a location keep it.
    pub fn locate(&self, diagnostic: &mut Diagnostic) {
        if diagnostic.location.is_some() {
            return;
        }
        let field = diagnostic.field;
        let found = match &diagnostic.target {
            Target::Design => None,
            Target::Cluster(id) => self.sources.clusters.get(id).map(|p| {
                let line = field.and_then(|f| p.fields.get(f)).and_then(|path| p.lines.get(path));
                (p, line.or(p.line))
            }),
            Target::Remote { cluster, index } => {
                self.sources.clusters.get(cluster).map(|p| (p, p.remotes.get(*index).copied().flatten().or(p.line)))
            }
            Target::Stream(id) => self.sources.streams.get(id).map(|p| {
                let line = field.and_then(|f| p.lines.get(&format!("{}{f}", p.prefix)));
                (p, line.or(p.line))
            }),
            Target::Origin { stream, index } => self.sources.streams.get(stream).map(|p| {
                let at = p.origins.get(*index).map(|o| format!("{}{o}", p.prefix));
                let line = at
                    .as_ref()
                    .and_then(|at| field.and_then(|f| p.lines.get(&format!("{at}.{f}"))).or_else(|| p.lines.get(at)));
                (p, line.or(p.line))
            }),
        };
        if let Some((place, line)) = found {
            diagnostic.location = Some(validate::Location { file: place.file.clone(), line });
        }
    }

    /// The import's diagnostics and those of `validate` on the imported design, located, in the
    /// validator's order.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut all = self.diagnostics.clone();
        for mut d in validate::validate(&self.design) {
            self.locate(&mut d);
            all.push(d);
        }
        validate::sort(&mut all);
        all
    }
}

/// Where each cluster and stream of the design was read.
#[derive(Clone, Debug, Default, PartialEq)]
struct Sources {
    clusters: BTreeMap<ClusterId, Place>,
    streams: BTreeMap<StreamId, Place>,
}

/// A file an element was read from, and where its parts are in it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Place {
    file: String,
    /// The line findings without a better one point at.
    line: Option<usize>,
    lines: KeyLines,
    /// Design field (as diagnostics name it) → key path in the file.
    fields: BTreeMap<&'static str, String>,
    /// The line of each leafnode remote.
    remotes: Vec<Option<usize>>,
    /// `config.` in a stream info document: what stream field paths start with.
    prefix: &'static str,
    /// The path of each origin of a stream (`mirror`, `sources[1]`).
    origins: Vec<String>,
}

/// A problem found in a file, before the design element it concerns exists.
#[derive(Clone, Debug, PartialEq)]
struct Finding {
    rule: Rule,
    /// Overrides the rule's catalog severity.
    severity: Option<Severity>,
    message: String,
    line: Option<usize>,
}

impl Finding {
    fn new(rule: Rule, line: Option<usize>, message: impl Into<String>) -> Self {
        Self { rule, severity: None, message: message.into(), line }
    }

    fn diagnostic(self, target: Target, file: &str) -> Diagnostic {
        let mut d = Diagnostic::new(self.rule, target, self.message).at(file, self.line);
        if let Some(severity) = self.severity {
            d = d.severity(severity);
        }
        d
    }
}

/// A cluster read from a values file or a group of confs.
struct ReadCluster {
    cluster: Cluster,
    place: Place,
    findings: Vec<Finding>,
    notes: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the readers

/// nats-server's test for a bcrypt hash (`server/auth.go` `isBcrypt`): `$2a$`, `$2b$`, `$2x$`,
/// `$2y$` and two digits of cost.
fn is_bcrypt(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 7
        && b.starts_with(b"$2")
        && matches!(b[2], b'a' | b'b' | b'x' | b'y')
        && b[3] == b'$'
        && b[4].is_ascii_digit()
        && b[5].is_ascii_digit()
        && b[6] == b'$'
}

/// A password as written in a file: bcrypt-shaped text is a hash; the chart 0.19 export's
/// placeholder names the secret it stands for.
fn password(text: &str) -> Password {
    // The exporters' placeholders (chart 0.19 cannot read a secret): bcrypt-shaped on the
    // accepting side, plain in a remote URL.
    if let Some((name, key)) = text
        .strip_prefix("$2a$11$REPLACE-WITH-BCRYPT-HASH-OF-SECRET-")
        .or_else(|| text.strip_prefix("REPLACE-WITH-PASSWORD-IN-SECRET-"))
        .and_then(|r| r.rsplit_once("-KEY-"))
    {
        return Password::SecretRef { name: name.to_owned(), key: key.to_owned() };
    }
    if is_bcrypt(text) {
        Password::Bcrypt(text.to_owned())
    } else {
        Password::Plain(text.to_owned())
    }
}

/// A URL without its user information, and the user and password it held (decoded).
fn split_url(text: &str) -> (String, Option<String>, Option<String>) {
    match url::take_userinfo(text) {
        Some((url, user, password)) => (url, Some(user), password),
        None => (text.to_owned(), None, None),
    }
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word`, if it is close (a few edits, relative to the length).
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates.map(|c| (edit_distance(word, c), c)).filter(|(d, _)| *d <= limit).min().map(|(_, c)| c)
}

/// The last component of a path.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The file name without its last extension.
fn file_stem(path: &str) -> String {
    let name = file_name(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem).to_owned()
}

/// A `/`-separated path with `.` and `..` resolved where possible.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let absolute = path.starts_with('/');
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The folder of a path (empty for a bare file name).
fn parent(path: &str) -> &str {
    path.rfind(['/', '\\']).map_or("", |i| &path[..i])
}

// ---------------------------------------------------------------------------------------------
// Recognizing files

enum Kind {
    Helm(Chart, serde_yaml::Value),
    /// Kubernetes manifests (`helm template` output, Secrets).
    Manifests,
    /// NACK resources (`jetstream.nats.io`), `nack.rs`.
    Nack(Vec<serde_yaml::Value>),
    Stream(serde_json::Value),
    Script,
    Conf(Vec<Entry>),
    Skip(String),
    Broken(Finding),
}

fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let odd = sample.iter().filter(|c| **c == '\u{fffd}' || (c.is_control() && !c.is_whitespace())).count();
    sample.contains(&'\0') || odd * 20 > sample.len().max(1)
}

/// Whether the text has a block-style YAML key at its first column (`nats:`, `config:`).
fn looks_like_yaml(text: &str) -> bool {
    text.lines().any(|l| {
        l.strip_suffix(':')
            .or_else(|| l.split_once(": ").map(|(k, _)| k))
            .is_some_and(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    }) && !text.contains('{')
}

fn classify(file: &SourceFile) -> Kind {
    let text = file.text.as_str();
    if text.len() > MAX_FILE_SIZE {
        return Kind::Skip(format!("larger than {} MB", MAX_FILE_SIZE / (1024 * 1024)));
    }
    if text.trim().is_empty() {
        return Kind::Skip("empty".into());
    }
    if looks_binary(text) {
        return Kind::Skip("binary, not a configuration file".into());
    }
    let trimmed = text.trim_start().trim_start_matches('\u{feff}');
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return match serde_json::from_str::<serde_json::Value>(trimmed) {
            Ok(value) if stream_json::is_design_file(&value) => {
                Kind::Skip("a design file of this tool, not a configuration to import".into())
            }
            Ok(value) if stream_json::recognize(&value) => Kind::Stream(value),
            Ok(value) if stream_json::is_name_list(&value) => Kind::Skip(format!(
                "a list of stream names (what `nats stream ls --json` prints), without their configurations; \
                 import the `nats stream info --json` of each: {}",
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(serde_json::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Ok(_) => Kind::Skip("JSON, but not a stream configuration".into()),
            Err(error) => match conf_syntax::parse(text) {
                Ok(entries) if server_conf::recognize(&entries) => Kind::Conf(entries),
                _ => Kind::Broken(Finding::new(
                    Rule::StreamConfigSchema,
                    Some(error.line()).filter(|l| *l > 0),
                    format!("not valid JSON ({error}), so it cannot be a stream configuration nats-server reads"),
                )),
            },
        };
    }
    if text.contains("apiVersion:") && bracket_depth(text) <= conf_syntax::MAX_DEPTH {
        if let Some(docs) = nack::recognize(text) {
            return Kind::Nack(docs);
        }
        if nack::is_kustomization(text) {
            return Kind::Skip("a kustomization: the files it lists are imported when they are given too".into());
        }
    }
    if (trimmed.starts_with("---") || text.contains("\n---") || text.contains("apiVersion:"))
        && bracket_depth(text) <= conf_syntax::MAX_DEPTH
        && crate::model::k8s::is_manifests(text)
    {
        return Kind::Manifests;
    }
    if cli_script::recognize(text) {
        return Kind::Script;
    }
    // serde_yaml refuses deep nesting only after a slow parse: refuse it first.
    let too_deep = bracket_depth(text) > conf_syntax::MAX_DEPTH;
    let yaml = if too_deep { None } else { Some(serde_yaml::from_str::<serde_yaml::Value>(text)) };
    if let Some(Ok(value)) = &yaml {
        if let Some(chart) = helm::recognize(value) {
            return Kind::Helm(chart, value.clone());
        }
    }
    let conf = conf_syntax::parse(text);
    if let Ok(entries) = conf {
        if server_conf::recognize(&entries) {
            return Kind::Conf(entries);
        }
        return Kind::Skip("not a configuration this tool reads".into());
    }
    let yaml_error = match &yaml {
        Some(Err(error)) => Some((error.location().map(|l| l.line()), error.to_string())),
        Some(Ok(_)) => None,
        None => Some((None, format!("nested deeper than {} levels", conf_syntax::MAX_DEPTH))),
    };
    match (yaml_error, conf) {
        (Some((line, error)), _) if looks_like_yaml(text) => Kind::Broken(Finding::new(
            Rule::HelmUnknownKey,
            line,
            format!("not valid YAML ({error}): Helm cannot read these values"),
        )),
        (_, Err(error))
            if (text.contains('{') && !text.trim_start().starts_with('#')) || text.contains("server_name") =>
        {
            Kind::Broken(Finding::new(
                Rule::HelmUnknownKey,
                Some(error.line),
                format!("not a valid nats-server configuration: {}", error.message),
            ))
        }
        _ => Kind::Skip("not a configuration this tool reads".into()),
    }
}

/// The deepest nesting of brackets and braces outside quotes (roughly: quotes are not
/// escaped-aware), stopping early once it is deep.
fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut quote) = (0usize, 0usize, None);
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q || c == '\n' => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '\n') => quote = None,
            (None, '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > 1000 {
                    break;
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

// ---------------------------------------------------------------------------------------------
// Assembly

/// A stream file, read.
struct StreamFile {
    path: String,
    read: stream_json::ReadStream,
    /// Whether some script command placed it.
    scripted: bool,
}

/// Where a stream is created.
struct Placement {
    file: usize,
    cluster: Option<ClusterId>,
    name: Option<String>,
    user: Option<String>,
    /// What the command's flags change in the file's configuration.
    overrides: cli_script::Overrides,
}

/// Imports a set of files. Pure; never fails (problems are diagnostics and notes).
pub fn import(files: &[SourceFile]) -> Imported {
    let mut notes = Vec::new();
    let mut diagnostics = Vec::new();
    let mut helm_files = Vec::new();
    let mut confs: Vec<(usize, Vec<Entry>)> = Vec::new();
    let mut streams: Vec<StreamFile> = Vec::new();
    let mut scripts = Vec::new();
    let mut manifests = Vec::new();
    let mut nack_files = Vec::new();
    for (index, file) in files.iter().enumerate() {
        match classify(file) {
            Kind::Helm(chart, value) => helm_files.push((index, chart, value)),
            Kind::Stream(value) => {
                let read = stream_json::read(&file.text, value);
                streams.push(StreamFile { path: file.path.clone(), read, scripted: false });
            }
            Kind::Script => scripts.push((index, cli_script::read(&file.text))),
            Kind::Conf(entries) => confs.push((index, entries)),
            Kind::Manifests => manifests.push(index),
            Kind::Nack(docs) => nack_files.push((file, docs)),
            Kind::Skip(why) => notes.push(format!("{}: skipped: {why}", file.path)),
            Kind::Broken(finding) => diagnostics.push(finding.diagnostic(Target::Design, &file.path)),
        }
    }

    let mut design = Design::new(design_name(files));
    let mut sources = Sources::default();
    let mut read_clusters: Vec<ReadCluster> = helm_files
        .into_iter()
        .map(|(index, chart, value)| helm::read(&files[index].path, &files[index].text, &value, chart))
        .collect();
    let mut servers = expand_includes(files, confs, &mut notes);
    servers.extend(manifest_servers(files, &manifests, &mut diagnostics, &mut notes));
    let from_values = read_clusters.len();
    for read in server_conf::clusters(servers) {
        // An exported folder describes each cluster twice, by its chart values and by its
        // servers' confs: one cluster, not two of one name. The confs are kept: they name each
        // remote's target, which the values leave to a secret.
        let described = read_clusters[..from_values].iter().position(|v| v.cluster.name == read.cluster.name);
        match described {
            Some(at) => {
                notes.push(format!(
                    "{}: cluster {} is also described by {}; the conf is imported and the values are not",
                    read_clusters[at].place.file, read.cluster.name, read.place.file
                ));
                read_clusters[at] = read;
            }
            None => read_clusters.push(read),
        }
    }
    for read in read_clusters {
        let id = design.add_cluster(read.cluster);
        diagnostics.extend(read.findings.into_iter().map(|f| f.diagnostic(Target::Cluster(id), &read.place.file)));
        notes.extend(read.notes);
        sources.clusters.insert(id, read.place);
    }
    connect(&mut design);
    gateways::resolve(&mut design);

    // Scripts say where stream files are created.
    let mut placements = Vec::new();
    let contexts: BTreeMap<String, Option<String>> =
        scripts.iter().flat_map(|(_, s)| s.contexts.iter().map(|c| (c.name.clone(), c.user.clone()))).collect();
    for (index, script) in &scripts {
        let path = &files[*index].path;
        for finding in &script.findings {
            diagnostics.push(finding.clone().diagnostic(Target::Design, path));
        }
        for add in &script.adds {
            notes.extend(add.notes.iter().map(|note| format!("{path}:{}: {note}", add.line)));
            let file = match (&add.config, &add.flags) {
                (Some(config), _) => match find_stream_file(path, config, &streams) {
                    Some(file) => file,
                    None => {
                        diagnostics.push(config_missing(path, add.line, config, &streams, files));
                        continue;
                    }
                },
                // A stream given by flags (`stream add NAME --subjects ...`, `kv add BUCKET`),
                // unless a stream file of that name, not created by any other command, holds it
                // (an exported bundle has both: `nats kv add` creates the bucket, its stream file
                // says what `nats stream info` will show).
                (None, Some(flags)) => match same_stream_file(&design, &streams, flags, add.domain.as_deref()) {
                    Some(file) => {
                        if streams[file].read.config.as_ref() != Some(&flags.config) {
                            notes.push(format!(
                                "{path}:{}: stream {} is created by this command and described by {}, which \
                                 differ; the file is imported",
                                add.line, flags.config.name, streams[file].path
                            ));
                        }
                        file
                    }
                    None => {
                        streams.push(StreamFile {
                            path: path.clone(),
                            read: stream_json::from_flags(flags, add.line),
                            scripted: true,
                        });
                        streams.len() - 1
                    }
                },
                (None, None) => {
                    notes.push(format!(
                        "{path}:{}: a stream add without --config; its stream is not imported",
                        add.line
                    ));
                    continue;
                }
            };
            streams[file].scripted = true;
            let mut cluster = None;
            if let Some(domain) = &add.domain {
                cluster = design.cluster_with_domain(domain);
                if cluster.is_none() && design.clusters().next().is_some() {
                    diagnostics.push(domain_unknown(&design, path, add.line, domain));
                }
            }
            let cluster = cluster.or_else(|| by_convention(&design, &streams[file].path));
            let user =
                add.context.as_ref().and_then(|c| contexts.get(c).cloned().flatten()).or_else(|| add.user.clone());
            let name = if add.flags.is_some() { None } else { add.name.clone() };
            placements.push(Placement { file, cluster, name, user, overrides: add.overrides.clone() });
        }
    }
    for (file, stream) in streams.iter().enumerate() {
        if !stream.scripted {
            let cluster = by_convention(&design, &stream.path);
            placements.push(Placement { file, cluster, name: None, user: None, overrides: Default::default() });
        }
    }
    placements.sort_by_key(|p| p.file);

    for stream in &streams {
        for finding in &stream.read.findings {
            diagnostics.push(finding.clone().diagnostic(Target::Design, &stream.path));
        }
    }
    for placement in placements {
        let file = &streams[placement.file];
        let Some(mut config) = file.read.config.clone() else { continue };
        if let Some(name) = &placement.name {
            config.name = name.clone();
        }
        placement.overrides.apply(&mut config);
        let place = stream_place(file, &config);
        let Some(cluster) = placement.cluster else {
            notes.push(format!(
                "{}: stream {} is not placed: no script creates it in a domain of the imported clusters and its file \
                 name does not start with a cluster name or domain; it is checked on its own",
                file.path, config.name
            ));
            let version = common_version(&design);
            for finding in stream_json::unknown(&file.read, version) {
                diagnostics.push(finding.diagnostic(Target::Design, &file.path));
            }
            let mut found = Vec::new();
            validate::streams::check_config(&config, version, Target::Design, &mut found);
            for mut d in found {
                let line = d.field.and_then(|f| place.lines.get(&format!("{}{f}", place.prefix)));
                d.location = Some(validate::Location { file: file.path.clone(), line: line.or(place.line) });
                diagnostics.push(d);
            }
            continue;
        };
        let version = design.cluster(cluster).map_or(NatsVersion::V2_14, |c| c.version);
        let account = account_for(&design, cluster, placement.user.as_deref());
        let Some(id) = design.add_stream(cluster, account, config) else { continue };
        for finding in stream_json::unknown(&file.read, version) {
            diagnostics.push(finding.diagnostic(Target::Stream(id), &file.path));
        }
        sources.streams.insert(id, place);
    }
    nack::add(&mut design, &nack_files, &mut notes);
    link_origins(&mut design);
    probable_origins(&design, &sources, &mut diagnostics);
    layout(&mut design);
    validate::sort(&mut diagnostics);
    Imported { design, diagnostics, notes, sources }
}

/// The stream file, not yet claimed by a script command, that holds the stream a flag-only
/// command creates in `domain`: same name, and a file name that places it in that domain's
/// cluster (or in none).
fn same_stream_file(
    design: &Design,
    streams: &[StreamFile],
    flags: &cli_script::FlagStream,
    domain: Option<&str>,
) -> Option<usize> {
    let cluster = domain.and_then(|d| design.cluster_with_domain(d));
    streams.iter().position(|s| {
        !s.scripted
            && s.read.config.as_ref().is_some_and(|c| c.name == flags.config.name)
            && match (cluster, by_convention(design, &s.path)) {
                (Some(want), Some(found)) => want == found,
                _ => true,
            }
    })
}

/// The folder the files share, as the design's name.
fn design_name(files: &[SourceFile]) -> String {
    let folders: BTreeSet<String> = files.iter().map(|f| normalize(parent(&f.path))).collect();
    let common = folders.iter().next().map(|first| {
        let mut common: Vec<&str> = first.split('/').collect();
        for folder in &folders {
            let parts: Vec<&str> = folder.split('/').collect();
            let same = common.iter().zip(&parts).take_while(|(a, b)| a == b).count();
            common.truncate(same);
        }
        common.into_iter().rfind(|p| !p.is_empty() && *p != "..").unwrap_or_default().to_owned()
    });
    common.filter(|c| !c.is_empty()).unwrap_or_else(|| "imported".to_owned())
}

/// The NATS StatefulSets of Kubernetes manifests as servers, with the Secrets of every imported
/// manifest at hand.
fn manifest_servers(
    files: &[SourceFile],
    manifests: &[usize],
    diagnostics: &mut Vec<Diagnostic>,
    notes: &mut Vec<String>,
) -> Vec<server_conf::Server> {
    use crate::model::k8s;
    let secrets: BTreeMap<(String, String), String> =
        manifests.iter().filter_map(|&i| k8s::secrets(&files[i].text).ok()).flatten().collect();
    let mut servers = Vec::new();
    for &index in manifests {
        let path = &files[index].path;
        let pods = match k8s::nats_pods(&files[index].text) {
            Ok(pods) => pods,
            Err(error) => {
                notes.push(format!("{path}: skipped: {error}"));
                continue;
            }
        };
        for pod in pods {
            let at = format!("{path} (ConfigMap {}, nats.conf)", pod.config_map);
            match server_conf::from_manifest(&at, &pod, &secrets) {
                Ok(server) => servers.push(server),
                Err(error) => diagnostics.push(
                    Finding::new(
                        Rule::HelmUnknownKey,
                        None,
                        format!(
                            "the nats.conf of ConfigMap {} is not a configuration nats-server reads: {error}",
                            pod.config_map
                        ),
                    )
                    .diagnostic(Target::Design, path),
                ),
            }
        }
    }
    servers
}

/// Server confs with their `include`s replaced by the included files' entries (found among the
/// imported files by path relative to the including file). Included files are not servers.
fn expand_includes(
    files: &[SourceFile],
    confs: Vec<(usize, Vec<Entry>)>,
    notes: &mut Vec<String>,
) -> Vec<server_conf::Server> {
    let by_path: BTreeMap<String, usize> =
        confs.iter().enumerate().map(|(i, (f, _))| (normalize(&files[*f].path), i)).collect();
    let mut included = BTreeSet::new();
    let mut expanded = Vec::new();
    for (file, entries) in &confs {
        let path = &files[*file].path;
        let mut out = Vec::new();
        // (entries, folder, depth), expanded in order with an explicit stack.
        let mut todo: Vec<(std::slice::Iter<'_, Entry>, String, usize)> =
            vec![(entries.iter(), parent(path).to_owned(), 0)];
        while let Some((iter, folder, depth)) = todo.last_mut() {
            let Some(entry) = iter.next() else {
                todo.pop();
                continue;
            };
            match entry {
                Entry::Include { path: target, line } => {
                    let full =
                        normalize(&if folder.is_empty() { target.clone() } else { format!("{folder}/{target}") });
                    match by_path.get(&full) {
                        Some(&i) if *depth < 8 => {
                            included.insert(i);
                            let folder = parent(&full).to_owned();
                            let depth = *depth + 1;
                            todo.push((confs[i].1.iter(), folder, depth));
                        }
                        Some(_) => notes.push(format!("{path}:{line}: includes nested too deeply; {target} not read")),
                        None => notes.push(format!(
                            "{path}:{line}: includes {target}, which is not among the imported files; not read"
                        )),
                    }
                }
                pair => out.push(pair.clone()),
            }
        }
        expanded.push((*file, out));
    }
    expanded
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !included.contains(i))
        .map(|(_, (file, entries))| server_conf::Server {
            path: files[file].path.clone(),
            entries,
            header: server_conf::header(&files[file].text),
            replicas: 1,
        })
        .collect()
}

/// Matches remote URLs to the clusters that listen for leafnodes, gives listeners the public
/// endpoints their dialers use, and sets roles: a cluster others dial is a hub, one that dials
/// is a spoke.
fn connect(design: &mut Design) {
    let listeners: Vec<(ClusterId, String, u16)> = design
        .clusters()
        .filter_map(|(id, c)| Some((id, c.name.to_lowercase(), c.leafnode_listener.as_ref()?.port)))
        .collect();
    let ids: Vec<ClusterId> = design.clusters().map(|(id, _)| id).collect();
    let mut reached: BTreeMap<ClusterId, Vec<(String, u16)>> = BTreeMap::new();
    for &id in &ids {
        let Some(cluster) = design.cluster(id) else { continue };
        let mut targets = Vec::new();
        for remote in &cluster.remotes {
            let target = url::endpoint_of(&remote.url, 7422).and_then(|(host, port)| {
                let candidates: Vec<&(ClusterId, String, u16)> = listeners.iter().filter(|l| l.0 != id).collect();
                let endpoint = format!("{host}:{port}");
                let public = candidates.iter().find(|(c, _, _)| {
                    design
                        .cluster(*c)
                        .and_then(|c| c.leafnode_listener.as_ref())
                        .is_some_and(|l| l.public_endpoints.iter().any(|e| e.to_lowercase() == endpoint))
                });
                let label = host.split('.').next().unwrap_or_default();
                let named = || candidates.iter().find(|(_, name, _)| name == label || *name == host).copied();
                let by_port = || {
                    let same: Vec<_> = candidates.iter().filter(|(_, _, p)| *p == port).collect();
                    (same.len() == 1).then(|| *same[0])
                };
                let only = || (candidates.len() == 1).then(|| candidates[0]);
                let found = public.copied().or_else(named).or_else(by_port).or_else(only)?;
                reached.entry(found.0).or_default().push((host, port));
                Some(found.0)
            });
            targets.push(target);
        }
        if let Some(cluster) = design.cluster_mut(id) {
            for (remote, target) in cluster.remotes.iter_mut().zip(targets) {
                remote.target = target;
            }
        }
    }
    for (id, endpoints) in reached {
        let Some(listener) = design.cluster_mut(id).and_then(|c| c.leafnode_listener.as_mut()) else { continue };
        if listener.public_endpoints.is_empty() && endpoints.iter().any(|(_, p)| *p != listener.port) {
            for (host, port) in endpoints {
                let endpoint = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
                if !listener.public_endpoints.contains(&endpoint) {
                    listener.public_endpoints.push(endpoint);
                }
            }
        }
    }
    let dialed: BTreeSet<ClusterId> =
        design.clusters().flat_map(|(_, c)| c.remotes.iter().filter_map(|r| r.target)).collect();
    for id in ids {
        if let Some(cluster) = design.cluster_mut(id) {
            cluster.role = if dialed.contains(&id) {
                Role::Hub
            } else if !cluster.remotes.is_empty() {
                Role::Spoke
            } else {
                Role::Standalone
            };
        }
    }
}

/// The stream file a script's `--config` names: by path relative to the script, then as given,
/// then by the end of a path, then by file name.
fn find_stream_file(script: &str, config: &str, streams: &[StreamFile]) -> Option<usize> {
    let folder = parent(script);
    let relative = normalize(&if folder.is_empty() || config.starts_with('/') {
        config.to_owned()
    } else {
        format!("{folder}/{config}")
    });
    let given = normalize(config);
    let paths: Vec<String> = streams.iter().map(|s| normalize(&s.path)).collect();
    paths
        .iter()
        .position(|p| *p == relative)
        .or_else(|| paths.iter().position(|p| *p == given))
        .or_else(|| paths.iter().position(|p| p.ends_with(&format!("/{given}"))))
        .or_else(|| paths.iter().position(|p| file_name(p) == file_name(&given)))
}

fn config_missing(script: &str, line: usize, config: &str, streams: &[StreamFile], files: &[SourceFile]) -> Diagnostic {
    let wanted = file_name(config);
    let names: Vec<&str> = streams.iter().map(|s| s.path.as_str()).collect();
    let meant = closest(wanted, names.iter().map(|p| file_name(p)))
        .and_then(|name| names.iter().find(|p| file_name(p) == name).copied());
    let mut message = format!("--config {config} names a file that is not part of the import");
    match meant {
        Some(meant) => message.push_str(&format!("; probably {meant} was meant (the file names differ)")),
        None if files.iter().any(|f| file_name(&f.path) == wanted) => {
            message.push_str("; a file of that name was imported but is not a stream configuration");
        }
        None => message.push_str("; add it to the import or correct the path"),
    }
    Diagnostic::new(Rule::ScriptConfigMissing, Target::Design, message).at(script, Some(line))
}

fn domain_unknown(design: &Design, script: &str, line: usize, domain: &str) -> Diagnostic {
    let mut message = format!("--js-domain {domain} names a JetStream domain that no imported cluster has");
    let named = design.clusters().find(|(_, c)| c.name == domain && c.domain().is_some());
    match named {
        Some((_, c)) => message.push_str(&format!(
            "; cluster {} has domain {}, so it probably means --js-domain={}",
            c.name, c.domain, c.domain
        )),
        None => {
            let domains: BTreeSet<&str> = design.clusters().filter_map(|(_, c)| c.domain()).collect();
            let list: Vec<&str> = domains.into_iter().collect();
            message.push_str(&format!("; the domains are {}", list.join(", ")));
        }
    }
    Diagnostic::new(Rule::ScriptDomainUnknown, Target::Design, message).at(script, Some(line))
}

/// The cluster a stream file's name places it in: `<cluster-or-domain>.<anything>.json`, the
/// longest matching name winning.
fn by_convention(design: &Design, path: &str) -> Option<ClusterId> {
    let name = file_name(path);
    design
        .clusters()
        .flat_map(|(id, c)| {
            let domain = c.domain().map(|d| (id, d.to_owned()));
            [(id, super::export::file_stem(&c.name)), (id, c.name.clone())].into_iter().chain(domain)
        })
        .filter(|(_, stem)| !stem.is_empty() && name.starts_with(&format!("{stem}.")) && name.len() > stem.len() + 1)
        .max_by_key(|(_, stem)| stem.len())
        .map(|(id, _)| id)
}

/// The account a stream goes into: the account of the script context's user if the cluster has
/// it, else the cluster's first JetStream account that is not the system account, else its
/// first account, else the global account.
fn account_for(design: &Design, cluster: ClusterId, user: Option<&str>) -> String {
    let Some(c) = design.cluster(cluster) else { return "$G".to_owned() };
    if let Some(user) = user {
        if let Some((name, _)) = c.accounts.iter().find(|(_, a)| a.users.iter().any(|u| u.name == user)) {
            return name.clone();
        }
    }
    let system = c.system_account.as_deref();
    c.accounts
        .iter()
        .find(|(name, a)| a.jetstream && Some(name.as_str()) != system)
        .or_else(|| c.accounts.iter().next())
        .map_or_else(|| "$G".to_owned(), |(name, _)| name.clone())
}

fn common_version(design: &Design) -> NatsVersion {
    design.clusters().map(|(_, c)| c.version).min().unwrap_or(NatsVersion::V2_14)
}

fn stream_place(file: &StreamFile, config: &StreamConfig) -> Place {
    let read = &file.read;
    let origins = config
        .mirror
        .iter()
        .map(|_| "mirror".to_owned())
        .chain((0..config.sources.len()).map(|i| format!("sources[{i}]")))
        .collect();
    Place {
        file: file.path.clone(),
        line: read.lines.get(&format!("{}name", read.prefix)).or(Some(1)),
        lines: read.lines.clone(),
        prefix: read.prefix,
        origins,
        ..Place::default()
    }
}

/// Links mirrors and sources to the cluster their `external.api` names (or their own cluster
/// without one) and drops an API prefix the design derives anyway.
fn link_origins(design: &mut Design) {
    let ids: Vec<StreamId> = design.streams().map(|s| s.id).collect();
    for id in ids {
        let Some(stream) = design.stream(id) else { continue };
        let own = stream.cluster;
        let own_domain = design.stream_domain(stream).map(str::to_owned);
        let resolve = |source: &super::stream::StreamSource| -> (Option<ClusterId>, Option<String>) {
            let Some(api) = &source.api else { return (Some(own), None) };
            let Some(origin) = Design::api_domain(api).and_then(|d| design.cluster_with_domain(d)) else {
                return (None, Some(api.clone()));
            };
            let derived = design
                .cluster(origin)
                .and_then(|c| c.domain())
                .filter(|d| Some(*d) != own_domain.as_deref())
                .map(|d| format!("$JS.{d}.API"));
            let api = (derived.as_deref() != Some(api.as_str())).then(|| api.clone());
            (Some(origin), api)
        };
        let mirror = stream.config.mirror.as_ref().map(&resolve);
        let sources: Vec<_> = stream.config.sources.iter().map(&resolve).collect();
        let Some(stream) = design.stream_mut(id) else { continue };
        if let (Some(m), Some((cluster, api))) = (stream.config.mirror.as_mut(), mirror) {
            m.origin_cluster = cluster;
            m.api = api;
        }
        for (s, (cluster, api)) in stream.config.sources.iter_mut().zip(sources) {
            s.origin_cluster = cluster;
            s.api = api;
        }
    }
}

/// What the author of an API prefix that names no domain probably meant: the guide writes
/// `$JS.spoke-1.API` for the cluster named `spoke-1`. The design cannot link such an origin (and
/// `external-api-unknown-domain` says so), so the checks of the link that would follow are made
/// here against the probable origin: `origin-retention-not-limits`.
fn probable_origins(design: &Design, sources: &Sources, out: &mut Vec<Diagnostic>) {
    for stream in design.streams() {
        for (index, source) in stream.origins().enumerate() {
            let Some(api) = &source.api else { continue };
            let Some(name) = Design::api_domain(api) else { continue };
            if design.cluster_with_domain(name).is_some() || design.resolve_origin(stream, source).is_some() {
                continue;
            }
            let mut named = design.clusters().filter(|(_, c)| c.name == name);
            let (Some((cluster_id, cluster)), None) = (named.next(), named.next()) else { continue };
            let Some(origin) =
                design.streams_in(cluster_id).find(|s| s.config.name == source.name && s.account == stream.account)
            else {
                continue;
            };
            let copy_version = design.cluster(stream.cluster).map_or(NatsVersion::V2_14, |c| c.version);
            let oldest = copy_version.min(cluster.version);
            if origin.config.retention == Retention::Limits || oldest >= NatsVersion::V2_14 {
                continue;
            }
            let message = format!(
                "stream {} copies {} through {api}, which probably means cluster {} (domain {}); that stream uses \
                 {} retention: mirrors and sources of interest or workqueue streams are not supported before \
                 server 2.14 and this link runs on {oldest}; use limits retention on the origin",
                stream.config.name,
                source.name,
                cluster.name,
                cluster.domain,
                origin.config.retention.as_str()
            );
            let mut d =
                Diagnostic::new(Rule::OriginRetentionNotLimits, Target::Origin { stream: stream.id, index }, message)
                    .field("retention");
            if let Some(place) = sources.streams.get(&origin.id) {
                let line = place.lines.get(&format!("{}retention", place.prefix)).or(place.line);
                d = d.at(place.file.clone(), line);
            }
            out.push(d);
        }
    }
}

/// Hubs in a row in the middle, every other cluster on a ring around them.
fn layout(design: &mut Design) {
    const GAP: f64 = 80.0;
    let ids: Vec<(ClusterId, Role)> = design.clusters().map(|(id, c)| (id, c.role)).collect();
    let (hubs, others): (Vec<_>, Vec<_>) = ids.into_iter().partition(|(_, role)| *role == Role::Hub);
    let height = |design: &Design, id: ClusterId| design.cluster_rect(id).map_or(200.0, |r| r.height);
    let row = hubs.len() as f64 * (CLUSTER_WIDTH + GAP);
    for (i, (id, _)) in hubs.iter().enumerate() {
        let x = (i as f64 - (hubs.len() as f64 - 1.0) / 2.0) * (CLUSTER_WIDTH + GAP) - CLUSTER_WIDTH / 2.0;
        let y = -height(design, *id) / 2.0;
        design.move_cluster(*id, Point::new(x.round(), y.round()));
    }
    let tallest = design.clusters().map(|(id, _)| height(design, id)).fold(0.0, f64::max);
    let ring = others.len() as f64 * (CLUSTER_WIDTH + GAP) / std::f64::consts::TAU;
    let radius = ring.max(row / 2.0 + CLUSTER_WIDTH + GAP).max(tallest + GAP);
    for (i, (id, _)) in others.iter().enumerate() {
        let angle = std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / others.len() as f64;
        let x = radius * angle.cos() * 1.4 - CLUSTER_WIDTH / 2.0;
        let y = radius * angle.sin() - height(design, *id) / 2.0;
        design.move_cluster(*id, Point::new(x.round(), y.round()));
    }
    let bounds = design.bounds();
    let shift = Point::new(40.0 - bounds.x, 40.0 - bounds.y);
    let all: Vec<(ClusterId, Point)> = design.clusters().map(|(id, c)| (id, c.position)).collect();
    for (id, at) in all {
        design.move_cluster(id, Point::new(at.x + shift.x, at.y + shift.y));
    }
}

#[cfg(test)]
mod tests;
