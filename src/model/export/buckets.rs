//! What the exports say about key-value buckets and object stores: the `nats kv add` /
//! `nats object add` line of a bucket the script creates, and the README's table of which
//! domain a site's client names to read and write each bucket.
//!
//! A bucket's stream file is written like any stream's (`streams/<cluster>.KV_<b>.json`). The
//! script creates a bucket with `nats kv add` / `nats object add` only when those commands
//! recreate its stream exactly (`bucket::is_as_created`: a valid name, no mirror or sources,
//! nothing the flags cannot set); mirrors, sources and misshapen buckets go through
//! `nats stream add --config`, as for any stream (natscli's `--mirror` does not copy the
//! origin's history, and `--source` cannot name an origin in another domain).
//!
//! Flags are those of natscli v0.5.0 (`nats kv add --help`): durations as Go writes them
//! (`3600s`, `100ms`), sizes in bytes with the unit `B`.

use super::cli_script::quote;
use crate::model::bucket::{self, Access, BucketKind, KvSettings, ObjSettings};
use crate::model::stream::{Compression, Nanos, Placement, Storage, StreamConfig, SECOND};
use crate::model::Design;
use std::fmt::Write;

/// A duration as natscli reads it.
fn duration(nanos: Nanos) -> String {
    if nanos % SECOND == 0 {
        format!("{}s", nanos / SECOND)
    } else if nanos % 1_000_000 == 0 {
        format!("{}ms", nanos / 1_000_000)
    } else {
        format!("{nanos}ns")
    }
}

fn common(
    out: &mut Vec<String>,
    description: &Option<String>,
    storage: Storage,
    replicas: i64,
    placement: &Option<Placement>,
    compression: Compression,
) {
    if let Some(description) = description {
        out.push(format!("--description={}", quote(description)));
    }
    if storage == Storage::Memory {
        out.push("--storage=memory".to_owned());
    }
    if replicas != 1 {
        out.push(format!("--replicas={replicas}"));
    }
    if let Some(placement) = placement {
        if let Some(cluster) = &placement.cluster {
            out.push(format!("--cluster={}", quote(cluster)));
        }
        for tag in &placement.tags {
            out.push(format!("--tags={}", quote(tag)));
        }
    }
    if compression == Compression::S2 {
        out.push("--compress".to_owned());
    }
}

/// `nats kv add <b> ...` or `nats object add <b> ...` (without `--js-domain`) for a bucket
/// whose stream those commands recreate exactly; `None` for every other stream.
pub(super) fn add_command(config: &StreamConfig) -> Option<String> {
    if !bucket::is_as_created(config) {
        return None;
    }
    let b = bucket::bucket_of(config)?;
    let mut flags = Vec::new();
    let command = match b.kind {
        BucketKind::KeyValue => {
            let s = KvSettings::of(config);
            flags.push(format!("--history={}", s.history));
            if s.ttl > 0 {
                flags.push(format!("--ttl={}", duration(s.ttl)));
            }
            if s.max_value_size >= 0 {
                flags.push(format!("--max-value-size={}B", s.max_value_size));
            }
            if s.max_bytes >= 0 {
                flags.push(format!("--max-bucket-size={}B", s.max_bytes));
            }
            common(&mut flags, &s.description, s.storage, s.replicas, &s.placement, s.compression);
            "nats kv add"
        }
        BucketKind::ObjectStore => {
            let s = ObjSettings::of(config);
            if s.ttl > 0 {
                flags.push(format!("--ttl={}", duration(s.ttl)));
            }
            if s.max_bytes >= 0 {
                flags.push(format!("--max-bucket-size={}B", s.max_bytes));
            }
            common(&mut flags, &s.description, s.storage, s.replicas, &s.placement, s.compression);
            "nats object add"
        }
    };
    let mut line = format!("{command} {}", quote(b.name));
    for flag in flags {
        line.push(' ');
        line.push_str(&flag);
    }
    Some(line)
}

/// The script's function that brings an existing bucket's stream to its file.
pub(super) const UPDATE: &str = "update_bucket";

/// Its definition. natscli v0.5.0 will not `nats stream edit` the stream of a bucket without a
/// terminal, even with `--force` (it asks to confirm an "unsupported action" and fails with
/// "cannot ask for confirmation without a terminal"; measured on 2.9.10 and 2.15.1), so the
/// file goes to the JetStream API's stream update. Its reply is the stream's information after
/// the response type (`"config"` first), or an `"error"` in that place (measured on 2.9.10 and
/// 2.15.1); looking for the word "error" anywhere would be fooled by a metadata key.
pub(super) const UPDATE_FUNCTION: &str = "\
# Brings an existing bucket's stream to its file: natscli will not edit a bucket's stream without
# a terminal, so the file goes to the JetStream API (update_bucket API-SUBJECT FILE).
update_bucket() {
  local reply
  reply=\"$(nats request --raw \"$1\" \"$(cat -- \"$2\")\")\"
  if [[ $reply != '{\"type\":\"io.nats.jetstream.api.v1.stream_update_response\",\"config\":'* ]]; then
    printf '%s\\n' \"$reply\" >&2
    return 1
  fi
}
";

/// The stream update subject of stream `name` in `domain` (the local API without one).
pub(super) fn update_subject(domain: Option<&str>, name: &str) -> String {
    match domain {
        Some(domain) => format!("$JS.{domain}.API.STREAM.UPDATE.{name}"),
        None => format!("$JS.API.STREAM.UPDATE.{name}"),
    }
}

/// Text safe in one Markdown table cell.
fn cell(text: &str) -> String {
    super::bundle::md(text)
}

/// The read a client of that cluster makes, as a code span; a dash when a name is not a plain
/// word (a code span cannot escape, and such a bucket is `bucket-name-invalid` anyway).
fn cli_read(kind: BucketKind, bucket: &str, access: &Access) -> String {
    let word = |w: &str| !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    let domain = match access {
        Access::OriginDomain(d) if word(d) => format!(" --js-domain {d}"),
        Access::OriginDomain(_) => return "\\-".to_owned(),
        _ => String::new(),
    };
    if !word(bucket) {
        return "\\-".to_owned();
    }
    match kind {
        BucketKind::KeyValue => format!("`nats kv get {bucket} KEY{domain}`"),
        BucketKind::ObjectStore => format!("`nats object get {bucket} NAME{domain}`"),
    }
}

/// The README section: for every bucket and every cluster whose clients can reach it through
/// leafnodes, the domain they name to read and to write. Empty when the design has no bucket
/// in a cluster with a domain.
pub(super) fn readme_section(design: &Design) -> String {
    let access = bucket::access(design);
    if access.is_empty() {
        return String::new();
    }
    let mut r = String::new();
    r.push_str("## Buckets: the domain a client names\n\n");
    r.push_str(
        "A client opens a key-value bucket or object store in one JetStream domain: its own unless it \
         names another (`nats --js-domain <domain>`, `jetstream.WithDomain(\"<domain>\")` in Go). Where a \
         site holds a mirror of a bucket under the bucket's name, its clients read the local copy in their \
         own domain, and writes through it reach the origin (measured with `nats kv put` / `nats kv get` on \
         nats-server 2.9.10 and 2.15.1). Where it holds none, they must name the bucket's domain.\n\n",
    );
    r.push_str(
        "| bucket | clients in cluster | domain to name for reads | domain to name for writes | a read with the nats CLI |\n\
         |---|---|---|---|---|\n",
    );
    for a in access {
        let (Some(stream), Some(cluster)) = (design.stream(a.bucket), design.cluster(a.cluster)) else { continue };
        let Some(b) = bucket::bucket_of(&stream.config) else { continue };
        let own = |c: &crate::model::Cluster| match c.domain() {
            Some(d) => format!("none (own domain {})", cell(d)),
            None => "none".to_owned(),
        };
        let (read, write) = match &a.access {
            Access::Home => (own(cluster), own(cluster)),
            Access::Copy(copy) => {
                let name = design.stream(*copy).map_or_else(String::new, |s| s.config.name.clone());
                (format!("{} (mirror {})", own(cluster), cell(&name)), own(cluster))
            }
            Access::OriginDomain(domain) => (format!("**{}**", cell(domain)), format!("**{}**", cell(domain))),
        };
        let _ = writeln!(
            r,
            "| {} {} | {} | {read} | {write} | {} |",
            b.kind.noun(),
            cell(b.name),
            cell(&cluster.name),
            cli_read(b.kind, b.name, &a.access)
        );
    }
    r.push('\n');
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bucket::{kv_config, obj_config};
    use crate::model::stream::Placement;

    #[test]
    fn kv_add_flags_carry_every_setting() {
        let settings = KvSettings {
            description: Some("it's $(x)".into()),
            history: 5,
            ttl: 3600 * SECOND,
            max_value_size: 1024,
            max_bytes: 1_048_576,
            storage: Storage::Memory,
            replicas: 3,
            placement: Some(Placement { cluster: Some("hub".into()), tags: vec!["ssd".into()] }),
            compression: Compression::S2,
        };
        assert_eq!(
            add_command(&kv_config("cfg", &settings)).as_deref(),
            Some(
                "nats kv add cfg --history=5 --ttl=3600s --max-value-size=1024B --max-bucket-size=1048576B \
                 --description='it'\\''s $(x)' --storage=memory --replicas=3 --cluster=hub --tags=ssd --compress"
            )
        );
        assert_eq!(add_command(&kv_config("b", &KvSettings::default())).as_deref(), Some("nats kv add b --history=1"));
        let obj = ObjSettings { ttl: SECOND / 10, ..ObjSettings::default() };
        assert_eq!(add_command(&obj_config("o", &obj)).as_deref(), Some("nats object add o --ttl=100ms"));
    }

    #[test]
    fn streams_the_flags_cannot_recreate_are_left_to_stream_add() {
        let mut mirror = bucket::kv_mirror_config("cfg", None, &KvSettings::default());
        assert_eq!(add_command(&mirror), None);
        mirror.mirror = None;
        assert_eq!(add_command(&mirror), None, "no subjects: misshapen");
        assert_eq!(add_command(&StreamConfig::new("orders")), None);
        let mut hostile = kv_config("x", &KvSettings::default());
        hostile.name = "KV_$(rm -rf ~)".into();
        hostile.subjects = vec!["$KV.$(rm -rf ~).>".into()];
        assert_eq!(add_command(&hostile), None, "an invalid bucket name is never a kv add word");
        let mut metadata = kv_config("m", &KvSettings::default());
        metadata.metadata.insert("k".into(), "v".into());
        assert_eq!(add_command(&metadata), None);
    }

    #[test]
    fn the_readme_names_the_domain_each_site_must_use() {
        let mut d = crate::model::templates::edge_key_value();
        let hub = d.clusters().next().map(|(id, _)| id).expect("hub");
        d.add_stream(hub, "ACC", obj_config("files", &ObjSettings::default()));
        let section = readme_section(&d);
        let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| bucket")).collect();
        assert_eq!(
            rows,
            [
                "| key-value bucket config | hub | none (own domain hub) | none (own domain hub) | `nats kv get config KEY` |",
                "| key-value bucket config | spoke-1 | none (own domain site-1) (mirror KV\\_config) | none (own domain site-1) | `nats kv get config KEY` |",
                "| key-value bucket config | spoke-2 | none (own domain site-2) (mirror KV\\_config) | none (own domain site-2) | `nats kv get config KEY` |",
                "| key-value bucket status-1 | spoke-1 | none (own domain site-1) | none (own domain site-1) | `nats kv get status-1 KEY` |",
                "| key-value bucket status-2 | spoke-2 | none (own domain site-2) | none (own domain site-2) | `nats kv get status-2 KEY` |",
                "| key-value bucket status | hub | none (own domain hub) | none (own domain hub) | `nats kv get status KEY` |",
                "| object store files | hub | none (own domain hub) | none (own domain hub) | `nats object get files NAME` |",
                "| object store files | spoke-1 | **hub** | **hub** | `nats object get files NAME --js-domain hub` |",
                "| object store files | spoke-2 | **hub** | **hub** | `nats object get files NAME --js-domain hub` |",
            ]
        );
        assert_eq!(readme_section(&crate::model::example::guide_corrected()), "", "no buckets, no section");
    }

    #[test]
    fn hostile_bucket_names_stay_plain_text_in_the_readme() {
        let mut d = crate::model::templates::edge_key_value();
        let hub = d.clusters().next().map(|(id, _)| id).expect("hub");
        let mut hostile = kv_config("x", &KvSettings::default());
        hostile.name = "KV_<script>|`$(id)`\n".into();
        d.add_stream(hub, "ACC", hostile);
        let section = readme_section(&d);
        assert!(section.contains("&lt;script&gt;\\|\\`$\\(id\\)\\`"), "{section}");
        assert!(!section.contains("<script>"));
        assert!(section.contains("| \\- |"), "no code span for a hostile name");
    }
}
