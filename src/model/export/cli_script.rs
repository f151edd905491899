//! The stream JSON files and the nats CLI script that creates them, origins first.
//!
//! Every stream gets `streams/<cluster>.<stream>.json`, self-contained: a mirror or source
//! carries the `external.api` the design derives (`$JS.<origin domain>.API`), so the file means
//! the same thing wherever it is applied. `nats-setup.sh` connects to the hub
//! and adds each stream in its own JetStream domain (`--js-domain`), the way the guide does it,
//! but with the domains the design gives (the guide wrote `spoke-1`, a cluster name, where the
//! domain `cinema-a` was meant). It connects as the hub user of the first stream's account;
//! streams of other accounts (a cross-account copy's) are created as their account's hub user,
//! through a shell function per account that sets the nats CLI's variables from
//! `NATS_USER_<ACCOUNT>`, `NATS_PASSWORD_<ACCOUNT>` or `NATS_CREDS_<ACCOUNT>` for one command
//! (the suffix made of letters, digits and `_` only); an account without a hub user is named in
//! a comment and left out.
//!
//! Invariants: every value from the design reaches the script through [`quote`]; no secret is
//! ever written, the connection comes from `NATS_URL`, `NATS_USER` and `NATS_PASSWORD` (or
//! `NATS_CREDS`), which the nats CLI reads itself, so nothing lands on disk; the paths in the script are
//! exactly those of [`stream_files`]; same design, same bytes.

use super::{comment_text, file_stem, header, ExportedFile};
use crate::model::stream_json;
use crate::model::{Cluster, ClusterId, Design, NatsVersion, Password, Role, Stream, StreamId};
use std::collections::{BTreeMap, BTreeSet};

/// The environment variables the script and the nats CLI read the connection from: the hub's
/// client URL, the user and password (or a credentials file) of the hub user.
pub const URL_VAR: &str = "NATS_URL";
pub const USER_VAR: &str = "NATS_USER";
pub const PASSWORD_VAR: &str = "NATS_PASSWORD";
pub const CREDS_VAR: &str = "NATS_CREDS";

/// The hub's client URL when `NATS_URL` is not set: a port-forward to the hub
/// (`kubectl port-forward svc/nats 4222`). The design's public endpoints are leafnode ports,
/// which take no client connections.
pub const DEFAULT_URL: &str = "nats://localhost:4222";

/// `text` as one POSIX shell word that stands for exactly `text`.
///
/// Words made only of characters no shell treats specially (ASCII letters, digits and
/// `_ . / : @ % + , = -`) are left bare; everything else is single-quoted, with each `'` written
/// as `'\''`. Inside single quotes nothing is special, not `$`, `` ` ``, `\` or a newline.
pub fn quote(text: &str) -> String {
    let plain =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | ':' | '@' | '%' | '+' | ',' | '=' | '-');
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Hands out file paths, adding `-2`, `-3`, ... to a stem already taken, so that two names
/// that sanitize alike (`a b` and `a_b`, or `a.b`+`c` and `a`+`b.c`) never share a file.
#[derive(Default)]
pub(super) struct UniquePaths {
    taken: BTreeSet<String>,
}

impl UniquePaths {
    /// `<stem><extension>`, or `<stem>-<n><extension>` with the smallest free `n`.
    pub(super) fn claim(&mut self, stem: &str, extension: &str) -> String {
        let mut path = format!("{stem}{extension}");
        let mut n = 2;
        while self.taken.contains(&path) {
            path = format!("{stem}-{n}{extension}");
            n += 1;
        }
        self.taken.insert(path.clone());
        path
    }
}

/// The file path of every stream, in id order, unique.
fn stream_paths(design: &Design) -> BTreeMap<StreamId, String> {
    let mut paths = UniquePaths::default();
    design
        .streams()
        .map(|stream| {
            let cluster = design.cluster(stream.cluster).map_or("_", |c| c.name.as_str());
            let stem = format!("streams/{}.{}", file_stem(cluster), file_stem(&stream.config.name));
            (stream.id, paths.claim(&stem, ".json"))
        })
        .collect()
}

/// The stream's configuration with the effective `external.api` written into its mirror and
/// sources, as a pretty JSON document for its cluster's server version.
fn stream_json(design: &Design, stream: &Stream) -> String {
    let mut config = stream.config.clone();
    if let Some(mirror) = config.mirror.as_mut() {
        mirror.api = design.effective_api(stream, mirror);
    }
    for source in &mut config.sources {
        source.api = design.effective_api(stream, source);
    }
    let version = design.cluster(stream.cluster).map_or(NatsVersion::V2_14, |c| c.version);
    let value = stream_json::to_json(&config, version);
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// What the script says about a stream's placement: its file's `placement` carries it to the
/// server (`nats stream add --config` reads the whole configuration), the same as natscli's
/// `--cluster` and `--tag` flags would.
fn placement_note(placement: &crate::model::stream::Placement) -> String {
    let mut parts = Vec::new();
    if let Some(cluster) = placement.cluster.as_deref().filter(|c| !c.is_empty()) {
        parts.push(format!("cluster {cluster}"));
    }
    if !placement.tags.is_empty() {
        parts.push(format!("servers tagged {}", placement.tags.join(", ")));
    }
    let flags: Vec<String> = placement
        .cluster
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| format!("--cluster {c}"))
        .chain(placement.tags.iter().map(|t| format!("--tag {t}")))
        .collect();
    format!(
        "Placed on {} by the file's placement (as natscli's {} would place it).",
        if parts.is_empty() { "any cluster".to_owned() } else { parts.join(", ") },
        if flags.is_empty() { "flags".to_owned() } else { flags.join(" ") }
    )
}

/// The file path of every consumer, by stream id and position, unique:
/// `consumers/<cluster>.<stream>.<durable>.json`.
fn consumer_paths(design: &Design) -> BTreeMap<(StreamId, usize), String> {
    let mut paths = UniquePaths::default();
    let mut out = BTreeMap::new();
    for stream in design.streams() {
        let cluster = design.cluster(stream.cluster).map_or("_", |c| c.name.as_str());
        for (i, consumer) in stream.consumers.iter().enumerate() {
            let stem = format!(
                "consumers/{}.{}.{}",
                file_stem(cluster),
                file_stem(&stream.config.name),
                file_stem(&consumer.durable)
            );
            out.insert((stream.id, i), paths.claim(&stem, ".json"));
        }
    }
    out
}

/// `consumers/<cluster>.<stream>.<durable>.json` for every consumer, as
/// `nats consumer add STREAM --config` reads it (`model::consumer::to_json`).
pub fn consumer_files(design: &Design) -> Vec<ExportedFile> {
    let paths = consumer_paths(design);
    let mut files = Vec::new();
    for stream in design.streams() {
        for (i, consumer) in stream.consumers.iter().enumerate() {
            let mut text = serde_json::to_string_pretty(&crate::model::consumer::to_json(consumer))
                .expect("a JSON value always serializes");
            text.push('\n');
            files.push(ExportedFile { path: paths[&(stream.id, i)].clone(), contents: text });
        }
    }
    files
}

/// `streams/<cluster>.<stream>.json` for every stream, as `nats stream add --config` reads it.
pub fn stream_files(design: &Design) -> Vec<ExportedFile> {
    let paths = stream_paths(design);
    design
        .streams()
        .map(|stream| ExportedFile { path: paths[&stream.id].clone(), contents: stream_json(design, stream) })
        .collect()
}

/// The cluster the script talks to: the first hub, else the first cluster with a leafnode
/// listener, else the first cluster.
fn hub(design: &Design) -> Option<(ClusterId, &Cluster)> {
    design
        .clusters()
        .find(|(_, c)| c.role == Role::Hub)
        .or_else(|| design.clusters().find(|(_, c)| c.leafnode_listener.is_some()))
        .or_else(|| design.clusters().next())
}

/// One step of the creation order: a stream, and when it was taken out of a cycle, the
/// origins it is created before.
struct Step<'a> {
    stream: &'a Stream,
    before_origins: Vec<&'a Stream>,
}

/// The streams, origins before the streams that copy them: in rounds, each round every stream
/// whose origins are all created, in id order (so the guide's three origins come first, then
/// `sales` and the mirror). When only streams on a cycle are left, the one with the smallest id
/// is created next, before its missing origins.
fn creation_order<'a>(design: &'a Design, streams: &[&'a Stream]) -> Vec<Step<'a>> {
    let included: BTreeSet<StreamId> = streams.iter().map(|s| s.id).collect();
    let origins: BTreeMap<StreamId, BTreeSet<StreamId>> = streams
        .iter()
        .map(|s| {
            let found = s
                .origins()
                .filter_map(|o| design.resolve_origin(s, o))
                .filter(|o| included.contains(o) && *o != s.id)
                .collect();
            (s.id, found)
        })
        .collect();
    let mut created: BTreeSet<StreamId> = BTreeSet::new();
    let mut order = Vec::new();
    while created.len() < streams.len() {
        let ready: Vec<&Stream> = streams
            .iter()
            .copied()
            .filter(|s| !created.contains(&s.id) && origins[&s.id].is_subset(&created))
            .collect();
        if ready.is_empty() {
            let stream = streams.iter().copied().find(|s| !created.contains(&s.id)).expect("a stream is left");
            let before_origins =
                origins[&stream.id].iter().filter(|o| !created.contains(o)).filter_map(|o| design.stream(*o)).collect();
            created.insert(stream.id);
            order.push(Step { stream, before_origins });
            continue;
        }
        for stream in ready {
            created.insert(stream.id);
            order.push(Step { stream, before_origins: Vec::new() });
        }
    }
    order
}

/// What a stream copies, for its comment: `mirror of cinema-a (domain hub)`.
fn copies(design: &Design, stream: &Stream) -> String {
    let describe = |kind: &str, source: &crate::model::StreamSource| {
        let api = design.effective_api(stream, source);
        let place = match api.as_deref().and_then(Design::api_domain) {
            Some(domain) => format!(" (domain {domain})"),
            None => match api {
                Some(api) => format!(" (API {api})"),
                None => String::new(),
            },
        };
        format!("{kind} {}{place}", source.name)
    };
    let mut parts: Vec<String> = stream.config.mirror.iter().map(|m| describe("mirror of", m)).collect();
    parts.extend(stream.config.sources.iter().map(|s| describe("sources", s)));
    parts.join(", ")
}

fn cluster_label(design: &Design, stream: &Stream) -> String {
    match design.cluster(stream.cluster) {
        Some(c) => match c.domain() {
            Some(domain) => format!("cluster {}, domain {domain}", c.name),
            None => format!("cluster {}, no domain", c.name),
        },
        None => "no cluster".to_owned(),
    }
}

/// A `#` comment line, safe whatever the design's names hold.
fn comment(out: &mut String, text: &str) {
    out.push_str("# ");
    out.push_str(&comment_text(text));
    out.push('\n');
}

/// Where the design keeps a password, for the script's comments.
fn kept(password: &Password) -> String {
    match password {
        Password::Plain(_) => "the design holds it in plain text".to_owned(),
        Password::Bcrypt(_) => "the design holds only its bcrypt hash".to_owned(),
        Password::SecretRef { name, key } => format!("secret {name}, key {key}"),
    }
}

/// An account other than the script's own whose streams the script creates as its hub user.
struct OtherAccount<'a> {
    account: &'a str,
    user: &'a crate::model::User,
    /// What its variables end in (`NATS_USER_<suffix>`): letters, digits and `_` only.
    suffix: String,
    /// The shell function that runs a command as its user.
    function: String,
}

/// The accounts of `others` (streams outside the script's account) that have a user on the hub,
/// by name; a cross-account copy lives in one of them.
fn other_accounts<'a>(hub: &'a Cluster, others: &[&'a Stream]) -> Vec<OtherAccount<'a>> {
    let names: BTreeSet<&str> = others.iter().map(|s| s.account.as_str()).collect();
    let mut found: Vec<OtherAccount> = Vec::new();
    for (index, (account, user)) in names
        .into_iter()
        .filter_map(|name| Some((hub.accounts.get_key_value(name)?.0.as_str(), hub.accounts[name].users.first()?)))
        .enumerate()
    {
        let mut suffix: String =
            account.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
        if suffix.trim_matches('_').is_empty() {
            suffix = format!("ACCOUNT_{}", index + 1);
        }
        while found.iter().any(|f| f.suffix == suffix) {
            suffix.push_str(&format!("_{}", index + 1));
        }
        let function = format!("as_{}", suffix.to_ascii_lowercase());
        found.push(OtherAccount { account, user, suffix, function });
    }
    found
}

/// The accounts besides the script's own whose streams `nats-setup.sh` creates, each with the
/// variable that holds its hub user's password: `("APP", "NATS_PASSWORD_APP")`.
pub fn other_account_passwords(design: &Design) -> Vec<(String, String)> {
    let Some((_, hub)) = hub(design) else { return Vec::new() };
    let account = script_account(design, hub);
    let others: Vec<&Stream> = design.streams().filter(|s| s.account != account).collect();
    other_accounts(hub, &others)
        .into_iter()
        .map(|o| (o.account.to_owned(), format!("{PASSWORD_VAR}_{}", o.suffix)))
        .collect()
}

/// The account the script connects as: the first stream's, else the hub's first JetStream account.
fn script_account(design: &Design, hub: &Cluster) -> String {
    design
        .streams()
        .next()
        .map(|s| s.account.clone())
        .or_else(|| hub.accounts.iter().find(|(_, a)| a.jetstream).map(|(name, _)| name.clone()))
        .unwrap_or_default()
}

/// `nats-setup.sh`: creates a context on the hub and every stream in its domain.
pub fn render(design: &Design) -> ExportedFile {
    // Every value from the design goes through `q`, which notes whether a quoted word holds a `$` or `` ` ``.
    let quoted_expansion = std::cell::Cell::new(false);
    let q = |text: &str| {
        let word = quote(text);
        if word != text && text.contains(['$', '`']) {
            quoted_expansion.set(true);
        }
        word
    };
    let mut out = String::new();
    out.push_str("#!/usr/bin/env bash\n");
    comment(&mut out, &header(design, "nats-setup.sh"));
    out.push_str("#\n");

    let Some((hub_id, hub)) = hub(design) else {
        comment(&mut out, "The design has no clusters: there is nothing to set up.");
        out.push_str("set -euo pipefail\n");
        return ExportedFile { path: "nats-setup.sh".into(), contents: out };
    };
    let paths = stream_paths(design);
    let consumer_paths = consumer_paths(design);
    // One context means one user, hence one account: the account of the first stream, else
    // the hub's first JetStream account.
    let account = script_account(design, hub);
    let user = hub.accounts.get(&account).and_then(|a| a.users.first());
    let (streams, others): (Vec<&Stream>, Vec<&Stream>) = design.streams().partition(|s| s.account == account);
    let extras = other_accounts(hub, &others);

    comment(
        &mut out,
        &format!(
            "Creates the design's streams, origins first, through the {} cluster {}{}.",
            hub.role,
            hub.name,
            hub.domain().map(|d| format!(" (JetStream domain {d})")).unwrap_or_default(),
        ),
    );
    comment(
        &mut out,
        "Each stream is added in its own JetStream domain with --js-domain; the leafnodes carry the requests.",
    );
    comment(
        &mut out,
        "A stream that exists already is brought to its file's configuration with stream edit, so the script can run again.",
    );
    comment(&mut out, "Run it from the folder it was exported to: it reads streams/*.json.");
    if design.streams().any(|s| !s.consumers.is_empty()) {
        comment(
            &mut out,
            "After each stream come its consumers, from consumers/*.json (nats consumer add, or consumer edit when it exists).",
        );
    }
    comment(
        &mut out,
        "Credentials come from the environment variables the nats CLI reads; the script writes no file and saves \
         no context:",
    );
    comment(
        &mut out,
        &format!(
            "  {URL_VAR}       the hub's client URL; default {DEFAULT_URL} (a port-forward to the hub: the public endpoints are leafnode ports)"
        ),
    );
    if let Some(user) = user {
        let kept = kept(&user.password);
        comment(&mut out, &format!("  {USER_VAR}      default {}, the hub user of account {account}", user.name));
        comment(
            &mut out,
            &format!("  {PASSWORD_VAR}  that user's password ({kept}); required unless {CREDS_VAR} is set"),
        );
        comment(&mut out, &format!("  {CREDS_VAR}     a credentials file to connect with instead of a password"));
    } else {
        comment(&mut out, &format!("The hub has no user in account {account}: the script connects without one."));
    }
    for extra in &extras {
        let suffix = &extra.suffix;
        comment(
            &mut out,
            &format!(
                "Streams of account {} are created as its hub user (default {}), from {USER_VAR}_{suffix}, \
                 {PASSWORD_VAR}_{suffix} ({}) or {CREDS_VAR}_{suffix}.",
                extra.account,
                extra.user.name,
                kept(&extra.user.password)
            ),
        );
    }
    let body_at = out.len();
    out.push_str("set -euo pipefail\n");
    out.push_str("cd -- \"$(dirname -- \"${BASH_SOURCE[0]}\")\"\n\n");
    out.push_str(&format!("export {URL_VAR}=\"${{{URL_VAR}:-{DEFAULT_URL}}}\"\n"));
    if let Some(user) = user {
        // The `:?` message is not a place for arbitrary text (bash expands `$(...)` there), so a
        // user name is named in it only when it is a plain word.
        let named = if q(&user.name) == user.name { format!("user {}", user.name) } else { "the hub user".into() };
        if q(&user.name).contains(['"', '\\']) {
            // shellcheck warns that quotes inside a variable stay literal: here they are the name.
            out.push_str("# shellcheck disable=SC2089,SC2090\n");
        }
        out.push_str(&format!("if [[ -z \"${{{CREDS_VAR}:-}}\" ]]; then\n"));
        out.push_str(&format!("  if [[ -z \"${{{USER_VAR}:-}}\" ]]; then {USER_VAR}={}; fi\n", q(&user.name)));
        out.push_str(&format!("  export {USER_VAR}\n"));
        out.push_str(&format!(
            "  : \"${{{PASSWORD_VAR}:?set {PASSWORD_VAR} to the password of {named} (or {CREDS_VAR} to a credentials file)}}\"\n"
        ));
        out.push_str(&format!("  export {PASSWORD_VAR}\n"));
        out.push_str("fi\n");
    }
    for extra in &extras {
        let suffix = &extra.suffix;
        let (user_var, password_var, creds_var) =
            (format!("{USER_VAR}_{suffix}"), format!("{PASSWORD_VAR}_{suffix}"), format!("{CREDS_VAR}_{suffix}"));
        let name = &extra.user.name;
        let named = if q(name) == *name { format!("user {name}") } else { "the hub user".into() };
        if q(name).contains(['"', '\\']) {
            out.push_str("# shellcheck disable=SC2089,SC2090\n");
        }
        out.push('\n');
        out.push_str(&format!("if [[ -z \"${{{creds_var}:-}}\" ]]; then\n"));
        out.push_str(&format!("  if [[ -z \"${{{user_var}:-}}\" ]]; then {user_var}={}; fi\n", q(name)));
        out.push_str(&format!(
            "  : \"${{{password_var}:?set {password_var} to the password of {named} (or {creds_var} to a credentials file)}}\"\n"
        ));
        out.push_str("fi\n");
        comment(&mut out, &format!("Runs a command as the hub user of account {}.", extra.account));
        out.push_str(&format!("{}() (\n", extra.function));
        out.push_str(&format!("  unset {CREDS_VAR} {USER_VAR} {PASSWORD_VAR}\n"));
        out.push_str(&format!("  if [[ -n \"${{{creds_var}:-}}\" ]]; then\n"));
        out.push_str(&format!("    export {CREDS_VAR}=\"${creds_var}\"\n"));
        out.push_str("  else\n");
        out.push_str(&format!("    export {USER_VAR}=\"${user_var}\" {PASSWORD_VAR}=\"${password_var}\"\n"));
        out.push_str("  fi\n");
        out.push_str("  \"$@\"\n");
        out.push_str(")\n");
    }
    out.push('\n');

    let others: Vec<&Stream> = others.into_iter().filter(|s| !extras.iter().any(|e| e.account == s.account)).collect();
    let streams: Vec<&Stream> = design
        .streams()
        .filter(|s| streams.iter().any(|c| c.id == s.id) || extras.iter().any(|e| e.account == s.account))
        .collect();
    let run_as = |stream: &Stream| {
        extras.iter().find(|e| e.account == stream.account).map_or_else(String::new, |e| format!("{} ", e.function))
    };
    if streams.iter().any(|s| crate::model::bucket::bucket_of(&s.config).is_some()) {
        out.push_str(super::buckets::UPDATE_FUNCTION);
        out.push('\n');
    }
    for stream in &others {
        comment(
            &mut out,
            &format!(
                "Not created: {} ({}) is in account {}, which this context's user cannot reach.",
                stream.config.name,
                cluster_label(design, stream),
                stream.account
            ),
        );
    }
    if !others.is_empty() {
        out.push('\n');
    }

    for step in creation_order(design, &streams) {
        let stream = step.stream;
        let mut what = format!("{} ({})", stream.config.name, cluster_label(design, stream));
        let copied = copies(design, stream);
        if !copied.is_empty() {
            what.push_str(": ");
            what.push_str(&copied);
        }
        comment(&mut out, &what);
        if let Some(placement) = &stream.config.placement {
            comment(&mut out, &placement_note(placement));
        }
        if !step.before_origins.is_empty() {
            let names: Vec<&str> = step.before_origins.iter().map(|s| s.config.name.as_str()).collect();
            comment(
                &mut out,
                &format!(
                    "Mirrors and sources form a cycle here: created before its origin(s) {}, it catches up once they exist.",
                    names.join(", ")
                ),
            );
        }
        let cluster = design.cluster(stream.cluster);
        if stream.cluster != hub_id && cluster.is_some_and(|c| c.domain().is_none()) {
            comment(
                &mut out,
                "Its cluster has no JetStream domain: without --js-domain this lands in the hub's own JetStream.",
            );
        }
        let domain = cluster.and_then(Cluster::domain).map(|d| format!(" --js-domain={}", q(d))).unwrap_or_default();
        let name = q(&stream.config.name);
        let file = q(&paths[&stream.id]);
        // `stream add` of an existing stream with sources fails on 2.9 (10058) even when the
        // file is unchanged, so an existing stream is brought to the file with `stream edit`.
        let run = run_as(stream);
        out.push_str(&format!("if {run}nats stream info {name}{domain} >/dev/null 2>&1; then\n"));
        if crate::model::bucket::bucket_of(&stream.config).is_some() {
            let subject = super::buckets::update_subject(cluster.and_then(Cluster::domain), &stream.config.name);
            out.push_str(&format!("  {run}{} {} {file}\n", super::buckets::UPDATE, q(&subject)));
        } else {
            out.push_str(&format!("  {run}nats stream edit {name} --config {file} --force{domain}\n"));
        }
        out.push_str("else\n");
        match super::buckets::add_command(&stream.config) {
            // A bucket that `nats kv add` / `nats object add` recreates exactly is made by them.
            Some(add) => out.push_str(&format!("  {run}{add}{domain}\n")),
            None => out.push_str(&format!("  {run}nats stream add --config {file}{domain}\n")),
        }
        out.push_str("fi\n\n");
        // Its consumers: added from their files, or brought to them with `consumer edit`
        // (measured with natscli v0.5.0: `edit` of an unchanged file succeeds, so a second run
        // changes nothing).
        for (i, consumer) in stream.consumers.iter().enumerate() {
            comment(
                &mut out,
                &format!("Consumer {} ({}) of {}", consumer.durable, consumer.kind(), stream.config.name),
            );
            let durable = q(&consumer.durable);
            let file = q(&consumer_paths[&(stream.id, i)]);
            out.push_str(&format!("if {run}nats consumer info {name} {durable}{domain} >/dev/null 2>&1; then\n"));
            out.push_str(&format!("  {run}nats consumer edit {name} {durable} --config {file} --force{domain}\n"));
            out.push_str("else\n");
            out.push_str(&format!("  {run}nats consumer add {name} --config {file}{domain}\n"));
            out.push_str("fi\n\n");
        }
    }

    // One report per account and domain that got streams, in cluster order.
    let mut reported: Vec<(String, Option<&str>)> = Vec::new();
    for (id, cluster) in design.clusters() {
        for stream in streams.iter().filter(|s| s.cluster == id) {
            let key = (run_as(stream), cluster.domain());
            if !reported.contains(&key) {
                reported.push(key);
            }
        }
    }
    reported.sort_by_key(|(run, _)| !run.is_empty());
    for (run, domain) in reported {
        let mut line = format!("{run}nats stream report");
        if let Some(domain) = domain {
            line.push_str(&format!(" --js-domain={}", q(domain)));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if quoted_expansion.get() {
        // shellcheck's SC2016 asks whether `$` in single quotes was meant to expand; here it never is.
        out.insert_str(
            body_at,
            "# Names from the design are single-quoted on purpose: nothing in them expands.\n\
             # shellcheck disable=SC2016\n",
        );
    }
    ExportedFile { path: "nats-setup.sh".into(), contents: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::{guide_corrected, hostile_names};
    use crate::model::generate::generated;

    fn script(design: &Design) -> String {
        render(design).contents
    }

    /// The stream names of the `stream add` lines, in order.
    fn added(design: &Design) -> Vec<String> {
        let names: BTreeMap<String, String> = stream_paths(design)
            .into_iter()
            .filter_map(|(id, path)| Some((path, design.stream(id)?.config.name.clone())))
            .collect();
        script(design)
            .lines()
            .filter(|l| l.contains(" stream add "))
            .map(|l| {
                let path = l.split(" --config ").nth(1).and_then(|r| r.split(' ').next()).expect("a --config path");
                names[path.trim_matches('\'')].clone()
            })
            .collect()
    }

    #[test]
    fn consumers_are_added_from_their_files_after_their_stream_quoted() {
        use crate::model::consumer::Consumer;
        let mut design = guide_corrected();
        let id = design.streams().next().expect("streams").id;
        let stream_name = design.stream(id).expect("listed").config.name.clone();
        design.stream_mut(id).expect("listed").consumers =
            vec![Consumer::pull("$(rm -rf ~)"), Consumer::push("$(rm -rf ~)", "deliver.x")];
        let files = consumer_files(&design);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["consumers/headquarter.cinema-a.__rm_-rf___.json", "consumers/headquarter.cinema-a.__rm_-rf___-2.json"]
        );
        let text = script(&design);
        let add = "nats consumer add cinema-a --config consumers/headquarter.cinema-a.__rm_-rf___.json --js-domain=hub";
        let stream_at =
            text.find(&format!("nats stream add --config streams/headquarter.{stream_name}.json")).expect("stream");
        let consumer_at = text.find(add).expect("consumer add line");
        assert!(stream_at < consumer_at, "the stream comes first");
        assert!(text.contains("nats consumer info cinema-a '$(rm -rf ~)' --js-domain=hub"), "{text}");
        assert!(!text.contains("consumer info cinema-a $("), "never a bare expansion");
    }

    #[test]
    fn quote_leaves_plain_words_bare_and_single_quotes_the_rest() {
        assert_eq!(quote("streams/hub.sales.json"), "streams/hub.sales.json");
        assert_eq!(quote("cinema-a"), "cinema-a");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(quote("a'b"), r"'a'\''b'");
        assert_eq!(quote("x\ny"), "'x\ny'");
        assert_eq!(quote("~"), "'~'");
        assert_eq!(quote("*"), "'*'");
    }

    #[test]
    fn guide_streams_are_created_origins_first() {
        let order = added(&guide_corrected());
        assert_eq!(order, ["cinema-a", "tickets-1", "tickets-2", "sales", "cinema-a-mirror"]);
    }

    #[test]
    fn the_mirror_is_created_in_domain_cinema_a_not_spoke_1() {
        let text = script(&guide_corrected());
        assert!(
            text.contains("stream add --config streams/spoke-1.cinema-a-mirror.json --js-domain=cinema-a\n"),
            "{text}"
        );
        assert!(!text.contains("--js-domain=spoke-1"), "{text}");
        for domain in ["hub", "cinema-a", "cinema-b"] {
            assert!(text.contains(&format!("nats stream report --js-domain={domain}\n")), "{text}");
        }
    }

    #[test]
    fn script_paths_are_the_exported_stream_files() {
        for design in [guide_corrected(), hostile_names(), generated(4, 12)] {
            let text = script(&design);
            let files = stream_files(&design);
            let in_script: Vec<&str> = text
                .lines()
                .filter(|l| l.contains(" stream add "))
                .filter_map(|l| l.split(" --config ").nth(1))
                .filter_map(|r| r.split(' ').next())
                .collect();
            let mut exported: Vec<String> = files.iter().map(|f| quote(&f.path)).collect();
            let mut listed: Vec<String> = in_script.iter().map(|p| (*p).to_owned()).collect();
            exported.sort();
            listed.sort();
            assert_eq!(listed, exported);
        }
    }

    #[test]
    fn the_password_comes_from_the_environment_never_from_the_design() {
        let mut design = guide_corrected();
        let hub = design.clusters().next().map(|(id, _)| id).unwrap();
        let acc = design.cluster_mut(hub).unwrap().accounts.get_mut("ACC").unwrap();
        acc.users[0].password = Password::Plain("hunter2".into());
        let text = script(&design);
        assert!(!text.contains("hunter2"));
        assert!(text.contains(
            ": \"${NATS_PASSWORD:?set NATS_PASSWORD to the password of user acc (or NATS_CREDS to a credentials file)}\"\n"
        ));
        assert!(text.contains("if [[ -z \"${NATS_USER:-}\" ]]; then NATS_USER=acc; fi\n"));
        // Nothing that writes a file: no context is saved, no password passed as an argument.
        assert!(!text.contains("context save") && !text.contains("--password"), "{text}");
    }

    #[test]
    fn stream_files_are_self_contained_and_unique() {
        let files = stream_files(&guide_corrected());
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "streams/headquarter.cinema-a.json",
                "streams/headquarter.sales.json",
                "streams/spoke-1.tickets-1.json",
                "streams/spoke-1.cinema-a-mirror.json",
                "streams/spoke-2.tickets-2.json",
            ]
        );
        let sales: serde_json::Value = serde_json::from_str(&files[1].contents).unwrap();
        assert_eq!(sales["sources"][0]["external"]["api"], "$JS.cinema-a.API");
        assert_eq!(sales["sources"][1]["external"]["api"], "$JS.cinema-b.API");
        let mirror: serde_json::Value = serde_json::from_str(&files[3].contents).unwrap();
        assert_eq!(mirror["mirror"]["external"]["api"], "$JS.hub.API");
        assert!(files.iter().all(|f| f.contents.ends_with("}\n")));

        let mut clash = guide_corrected();
        let ids: Vec<_> = clash.streams().map(|s| s.id).collect();
        clash.stream_mut(ids[0]).unwrap().config.name = "a b".into();
        clash.stream_mut(ids[1]).unwrap().config.name = "a_b".into();
        let paths: Vec<String> = stream_files(&clash).into_iter().map(|f| f.path).collect();
        assert_eq!(paths[..2], ["streams/headquarter.a_b.json", "streams/headquarter.a_b-2.json"]);
    }

    #[test]
    fn a_cycle_of_mirrors_is_broken_at_the_smallest_id_with_a_comment() {
        let mut design = guide_corrected();
        let ids: Vec<_> = design.streams().map(|s| s.id).collect();
        let hub = design.stream(ids[0]).unwrap().cluster;
        // cinema-a now sources its own mirror: cinema-a -> cinema-a-mirror -> cinema-a.
        let spoke_1 = design.stream(ids[3]).unwrap().cluster;
        design.stream_mut(ids[0]).unwrap().config.sources = vec![crate::model::StreamSource {
            name: "cinema-a-mirror".into(),
            origin_cluster: Some(spoke_1),
            ..Default::default()
        }];
        assert_ne!(hub, spoke_1);
        let text = script(&design);
        assert!(text.contains("form a cycle here: created before its origin(s) cinema-a-mirror"), "{text}");
        assert_eq!(added(&design), ["tickets-1", "tickets-2", "sales", "cinema-a", "cinema-a-mirror"]);
        assert_eq!(script(&design), text, "deterministic");
    }

    #[test]
    fn streams_of_another_account_are_created_as_its_hub_user_origins_first() {
        let d = crate::model::templates::cross_account_sharing();
        assert_eq!(added(&d), ["orders", "events", "orders-mirror", "events-copy"]);
        let text = script(&d);
        assert!(!text.contains("Not created"), "{text}");
        assert!(text.contains("as_app nats stream add --config streams/spoke.orders-mirror.json --js-domain=spoke"));
        assert!(text.contains("  nats stream add --config streams/hub.orders.json --js-domain=hub"));
        assert!(text.contains(": \"${NATS_PASSWORD_APP:?set NATS_PASSWORD_APP to the password of user app"));

        // A hostile account name shapes neither a variable nor the function: letters, digits, `_`.
        let hostile = "A'P $(id)\n`x`";
        let mut d = d;
        let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        for id in ids {
            let cluster = d.cluster_mut(id).unwrap();
            if let Some(app) = cluster.accounts.remove("APP") {
                cluster.accounts.insert(hostile.into(), app);
            }
        }
        let ids: Vec<StreamId> = d.streams().filter(|s| s.account == "APP").map(|s| s.id).collect();
        for id in ids {
            d.stream_mut(id).unwrap().account = hostile.into();
        }
        let text = script(&d);
        let function = text.lines().find_map(|l| l.strip_suffix("() (")).expect("a function per account");
        assert_eq!(function, "as_a_p___id___x_");
        assert!(text.contains(&format!("{function} nats stream add --config streams/spoke.events-copy.json")));
        assert!(!text.contains("$(id)\n"), "the name's newline stays out of the comments");
    }

    #[test]
    fn hostile_names_reach_the_script_only_quoted() {
        let text = script(&hostile_names());
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            assert!(!line.contains("$(rm") && !line.contains("$(touch"), "{line}");
        }
        assert!(text.lines().all(|l| !l.starts_with("<")), "no line starts with a name");
    }
}

#[cfg(test)]
mod placement_tests {
    use super::*;
    use crate::model::templates::two_regions_and_a_site;

    #[test]
    fn the_script_names_each_streams_placement_and_its_file_carries_it() {
        let design = two_regions_and_a_site();
        let script = render(&design).contents;
        assert!(
            script.contains(
                "# Placed on cluster west by the file's placement (as natscli's --cluster west would place it).\n"
            ),
            "{script}"
        );
        assert!(
            script.contains(
                "# Placed on servers tagged region:east by the file's placement (as natscli's --tag region:east would place it).\n"
            ),
            "{script}"
        );
        let files = stream_files(&design);
        let west = files.iter().find(|f| f.path.ends_with("orders-west.json")).expect("a file");
        let json: serde_json::Value = serde_json::from_str(&west.contents).expect("JSON");
        assert_eq!(json["placement"], serde_json::json!({"cluster": "west"}));
        let audit = files.iter().find(|f| f.path.ends_with("audit-east.json")).expect("a file");
        let json: serde_json::Value = serde_json::from_str(&audit.contents).expect("JSON");
        assert_eq!(json["placement"]["tags"], serde_json::json!(["region:east"]));
    }
}
