//! The bucket stage: a key-value round trip through a real client, the `nats` CLI.
//!
//! For every key-value bucket (that is no mirror itself) the CLI puts a value in the bucket's
//! own cluster; then, for every cluster that reaches the bucket (`model::bucket::access`), it
//! gets the key there as a client of that cluster would:
//!
//! - at home, and where the cluster's domain holds a mirror of the bucket under its name, with
//!   no `--js-domain`: the value must come back (from the local copy in the second case);
//! - where the cluster's domain holds no copy, once without `--js-domain`, which must fail
//!   (the request stays in the cluster's own domain: `bucket-remote-without-domain`), and once
//!   with the bucket's domain, which must return the value.
//!
//! The CLI gets the connection from `NATS_URL`, `NATS_USER` and `NATS_PASSWORD` (never from its
//! command line, which other users can read) and its configuration folder inside the sandbox,
//! so no context of the user's is read or written. Object stores are not probed: their reads
//! take files, and their placement follows the same rule.

use super::probe::Endpoint;
use crate::model::bucket::{self, Access, BucketKind};
use crate::model::{ClusterId, Design, StreamId};
use serde::Serialize;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The key every probe writes.
const KEY: &str = "sandbox-probe";

/// One get of one bucket in one cluster.
#[derive(Clone, Debug, Serialize)]
pub struct BucketResult {
    pub bucket: String,
    pub cluster: String,
    pub domain: Option<String>,
    /// `home`, `mirror` (read from the cluster's own copy) or `origin-domain`.
    pub access: &'static str,
    /// Whether `nats kv get` without `--js-domain` returned the value put.
    pub read_in_own_domain: bool,
    /// For `origin-domain`: whether the get with the bucket's domain returned it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_with_origin_domain: Option<bool>,
    /// Whether the reads went as `bucket::access` (and the rule) say they must.
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl BucketResult {
    pub fn text_line(&self) -> String {
        let place = match &self.domain {
            Some(d) => format!("{} (domain {d})", self.cluster),
            None => self.cluster.clone(),
        };
        let verdict = if self.ok { "ok  " } else { "FAIL" };
        let what = match (self.access, self.read_with_origin_domain) {
            ("origin-domain", Some(with)) => format!(
                "no copy here: get without --js-domain {}, with the bucket's domain {}",
                if self.read_in_own_domain { "READ IT (expected to fail)" } else { "failed as expected" },
                if with { "read it" } else { "FAILED" }
            ),
            (access, _) => format!(
                "{} in its own domain: {}",
                if access == "home" { "home" } else { "its mirror" },
                if self.read_in_own_domain { "read it" } else { "FAILED" }
            ),
        };
        let error = self.error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default();
        format!("  {verdict} kv {} at {place}: {what}{error}", self.bucket)
    }
}

/// The `nats` CLI with a connection and a configuration folder of its own.
struct Cli<'a> {
    binary: &'a Path,
    home: &'a Path,
}

impl Cli<'_> {
    fn run(&self, endpoint: &Endpoint, args: &[&str]) -> Result<String, String> {
        let mut command = Command::new(self.binary);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("NATS_URL", format!("nats://127.0.0.1:{}", endpoint.port));
        if let (Some(user), Some(password)) = (&endpoint.user, &endpoint.password) {
            command.env("NATS_USER", user).env("NATS_PASSWORD", password);
        }
        let output = command.output().map_err(|e| format!("cannot run {}: {e}", self.binary.display()))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("failed").trim().to_owned())
        }
    }

    /// Gets the probe key until it holds `value` or `timeout` passes.
    fn get(
        &self,
        endpoint: &Endpoint,
        bucket: &str,
        domain: Option<&str>,
        value: &str,
        timeout: Duration,
    ) -> Result<(), String> {
        let mut args = vec!["kv", "get", bucket, KEY, "--raw", "--timeout", "2s"];
        if let Some(domain) = domain {
            args.extend(["--js-domain", domain]);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.run(endpoint, &args);
            match &got {
                Ok(text) if text == value => return Ok(()),
                _ if Instant::now() >= deadline => {
                    return Err(got.map_or_else(|e| e, |text| format!("read {text:?}, not {value:?}")))
                }
                _ => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }
}

/// Runs the stage; `endpoint` gives a cluster's client endpoint as a user of an account.
pub fn probe(
    design: &Design,
    nats: &Path,
    home: &Path,
    endpoint: &dyn Fn(ClusterId, &str) -> Option<Endpoint>,
    created: &dyn Fn(StreamId) -> bool,
    timeout: Duration,
) -> Vec<BucketResult> {
    let cli = Cli { binary: nats, home };
    let mut results = Vec::new();
    let access = bucket::access(design);
    let mut put: Vec<(StreamId, Result<String, String>)> = Vec::new();
    for row in &access {
        let Some(stream) = design.stream(row.bucket) else { continue };
        let Some(b) = bucket::bucket_of(&stream.config).filter(|b| b.kind == BucketKind::KeyValue) else { continue };
        if !bucket::is_valid_bucket_name(b.name) || !created(stream.id) {
            continue;
        }
        let (Some(cluster), Some(home_domain)) = (design.cluster(row.cluster), design.stream_domain(stream)) else {
            continue;
        };
        // One put per bucket, in its own cluster, before its first get.
        let value = match put.iter().find(|(id, _)| *id == stream.id) {
            Some((_, value)) => value.clone(),
            None => {
                let value = format!("put in {} at {}", b.name, home_domain);
                let done = endpoint(stream.cluster, &stream.account)
                    .ok_or_else(|| "no user of its account at home".to_owned())
                    .and_then(|e| cli.run(&e, &["kv", "put", b.name, KEY, &value]))
                    .map(|_| value);
                put.push((stream.id, done.clone()));
                done
            }
        };
        let mut result = BucketResult {
            bucket: b.name.to_owned(),
            cluster: cluster.name.clone(),
            domain: cluster.domain().map(str::to_owned),
            access: match row.access {
                Access::Home => "home",
                Access::Copy(_) => "mirror",
                Access::OriginDomain(_) => "origin-domain",
            },
            read_in_own_domain: false,
            read_with_origin_domain: None,
            ok: false,
            error: None,
        };
        let value = match value {
            Ok(value) => value,
            Err(e) => {
                result.error = Some(format!("kv put failed: {e}"));
                results.push(result);
                continue;
            }
        };
        let Some(at) = endpoint(row.cluster, &stream.account) else {
            result.error = Some("no user of the bucket's account in this cluster".to_owned());
            results.push(result);
            continue;
        };
        match &row.access {
            Access::Home | Access::Copy(_) => {
                let read = cli.get(&at, b.name, None, &value, timeout);
                result.read_in_own_domain = read.is_ok();
                result.ok = read.is_ok();
                result.error = read.err();
            }
            Access::OriginDomain(domain) => {
                // The value is readable somewhere first, so a failure without the domain is
                // the domain's doing, not replication lag.
                let with = cli.get(&at, b.name, Some(domain), &value, timeout);
                let without = cli.get(&at, b.name, None, &value, Duration::ZERO);
                result.read_with_origin_domain = Some(with.is_ok());
                result.read_in_own_domain = without.is_ok();
                result.ok = with.is_ok() && without.is_err();
                result.error = with.err();
            }
        }
        results.push(result);
    }
    results
}
