//! RULES.md "Accounts, exports and imports": what one cluster's accounts share with each other.
//!
//! nats-server checks these when it loads its configuration (`server/opts.go` parses the
//! imports, `server/accounts.go` authorizes them and looks for service import cycles) and
//! refuses to start on most of them; the designer says so before anything is deployed.
//!
//! Every problem targets the importing account's cluster, with the field `accounts`, and names
//! the account and the import (`ACC import #2 (service $JS.API.>) from DATA`).

use super::clusters::{list, show};
use super::streams::subject;
use super::{Diagnostic, Rule, Target};
use crate::model::command::Command;
use crate::model::{Account, Cluster, ClusterId, Design, Export, Import, ShareKind};

pub fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    for (id, cluster) in design.clusters() {
        check_cluster(id, cluster, out);
    }
}

/// One import of one account, with where it is.
struct Imported<'a> {
    account: &'a str,
    index: usize,
    import: &'a Import,
}

impl Imported<'_> {
    /// `ACC import #2 (service $JS.API.>) from DATA`.
    fn describe(&self) -> String {
        format!(
            "account {} import #{} ({} {}) from {}",
            show(self.account),
            self.index + 1,
            self.import.kind,
            self.import.subject,
            show(&self.import.account)
        )
    }
}

fn check_cluster(id: ClusterId, cluster: &Cluster, out: &mut Vec<Diagnostic>) {
    let target = Target::Cluster(id);
    let imports: Vec<Imported> = cluster
        .accounts
        .iter()
        .flat_map(|(name, account)| {
            account.imports.iter().enumerate().map(move |(index, import)| Imported { account: name, index, import })
        })
        .collect();
    for imported in &imports {
        let Some(exporter) = cluster.accounts.get(&imported.import.account) else {
            out.push(unknown_account(id, cluster, imported));
            continue;
        };
        if !exported(exporter, imported) {
            let message = format!(
                "{} of cluster {}: {} does not export {} {} to {}, so the server refuses to start \
                 (\"{} import not authorized\")",
                imported.describe(),
                show(&cluster.name),
                show(&imported.import.account),
                imported.import.kind,
                imported.import.subject,
                show(imported.account),
                imported.import.kind
            );
            let mut exports = exporter.exports.clone();
            exports.push(Export::new(imported.import.kind, &imported.import.subject).to(&[imported.account]));
            let fix = Command::SetAccountShares {
                cluster: id,
                account: imported.import.account.clone(),
                exports,
                imports: exporter.imports.clone(),
            };
            let label = format!(
                "export {} {} from {} to {}",
                imported.import.kind,
                imported.import.subject,
                show(&imported.import.account),
                show(imported.account)
            );
            out.push(
                Diagnostic::new(Rule::AccountImportNotExported, target, message).field("accounts").fix(label, fix),
            );
        }
    }
    overlaps(id, cluster, &imports, out);
    cycles(id, cluster, &imports, out);
}

fn unknown_account(id: ClusterId, cluster: &Cluster, imported: &Imported) -> Diagnostic {
    let named = &imported.import.account;
    let similar: Vec<&String> =
        cluster.accounts.keys().filter(|a| a.eq_ignore_ascii_case(named) && *a != imported.account).collect();
    let message = format!(
        "{} of cluster {}: the cluster has no account {}, so the server refuses to start; its accounts are {}",
        imported.describe(),
        show(&cluster.name),
        show(named),
        list(cluster.accounts.keys().map(|a| show(a)))
    );
    let diagnostic = Diagnostic::new(Rule::AccountImportUnknownAccount, Target::Cluster(id), message).field("accounts");
    match similar.as_slice() {
        [only] => {
            let account = &cluster.accounts[imported.account];
            let mut imports = account.imports.clone();
            imports[imported.index].account = (*only).clone();
            let fix = Command::SetAccountShares {
                cluster: id,
                account: imported.account.to_owned(),
                exports: account.exports.clone(),
                imports,
            };
            diagnostic.fix(format!("import from {only}"), fix)
        }
        _ => diagnostic,
    }
}

/// Whether `exporter` exports what `imported` takes, to its account (`server/accounts.go`
/// `checkStreamImportAuthorized`: the import's subject is a subset of the export's).
fn exported(exporter: &Account, imported: &Imported) -> bool {
    exporter.exports.iter().any(|export| {
        export.kind == imported.import.kind
            && subject::is_subset(&imported.import.subject, &export.subject)
            && (export.accounts.is_empty() || export.accounts.iter().any(|a| a == imported.account))
    })
}

/// Two imports of one account whose local subjects overlap: the server delivers twice.
fn overlaps(id: ClusterId, cluster: &Cluster, imports: &[Imported], out: &mut Vec<Diagnostic>) {
    for (i, first) in imports.iter().enumerate() {
        for second in &imports[i + 1..] {
            if first.account != second.account || first.import.kind != second.import.kind {
                continue;
            }
            let (a, b) = (first.import.local_subject(), second.import.local_subject());
            if subject::collide(&a, &b) {
                let message = format!(
                    "{} and import #{} ({} {}) of cluster {} both appear on subjects that overlap ({a} and {b}): \
                     a message on both is delivered twice",
                    first.describe(),
                    second.index + 1,
                    second.import.kind,
                    second.import.subject,
                    show(&cluster.name)
                );
                out.push(Diagnostic::new(Rule::AccountImportOverlap, Target::Cluster(id), message).field("accounts"));
            }
        }
    }
}

/// Service imports that lead back to where they started: a request on an import's local
/// subject goes to the exporting account, where another service import may take it further
/// (`server/accounts.go` refuses an import that closes such a loop).
fn cycles(id: ClusterId, cluster: &Cluster, imports: &[Imported], out: &mut Vec<Diagnostic>) {
    let services: Vec<&Imported> = imports.iter().filter(|i| i.import.kind == ShareKind::Service).collect();
    // `next[i]`: the service imports a request that `services[i]` forwards is taken by.
    let next: Vec<Vec<usize>> = services
        .iter()
        .map(|from| {
            services
                .iter()
                .enumerate()
                .filter(|(_, to)| {
                    to.account == from.import.account
                        && subject::collide(&to.import.local_subject(), &from.import.subject)
                })
                .map(|(j, _)| j)
                .collect()
        })
        .collect();
    let mut reported = vec![false; services.len()];
    for start in 0..services.len() {
        if reported[start] {
            continue;
        }
        let Some(path) = loop_from(start, &next) else { continue };
        for &i in &path {
            reported[i] = true;
        }
        let accounts: Vec<&str> = path.iter().map(|&i| services[i].account).chain([services[start].account]).collect();
        let message = format!(
            "service imports of cluster {} form a cycle: {} (the server refuses to start: a request would \
             go round forever); remove one of them",
            show(&cluster.name),
            accounts.join(" → ")
        );
        out.push(Diagnostic::new(Rule::AccountImportCycle, Target::Cluster(id), message).field("accounts"));
    }
}

/// The imports on a path from `start` back to it, `start` first, if there is one.
fn loop_from(start: usize, next: &[Vec<usize>]) -> Option<Vec<usize>> {
    let mut path = vec![start];
    let mut visited = vec![false; next.len()];
    visited[start] = true;
    fn walk(at: usize, start: usize, next: &[Vec<usize>], path: &mut Vec<usize>, visited: &mut [bool]) -> bool {
        for &to in &next[at] {
            if to == start {
                return true;
            }
            if !visited[to] {
                visited[to] = true;
                path.push(to);
                if walk(to, start, next, path, visited) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(start, start, next, &mut path, &mut visited).then_some(path)
}

// ---------------------------------------------------------------------------------------------
// Cross-account mirrors and sources (`cross-account-exports-missing`, `cross-account-prefix-mismatch`)
//
// Measured with nats-server 2.9.10 and 2.15.1 across a leafnode (tests/sandbox_accounts.rs), a
// copy in account APP of a spoke and its origin in account DATA of the hub: the copy's requests
// and the deliveries to it travel in the account its leafnode binds on the hub (the landing
// account, here APP), and three pieces join that account to DATA there:
// - the API: DATA exports the service `$JS.API.CONSUMER.CREATE.<origin>` and the landing
//   account imports it `to` `<P>.CONSUMER.CREATE.<origin>`, with `external.api` = `<P>`. An
//   unfiltered copy asks on exactly `…CONSUMER.CREATE.<origin>` (server/stream.go
//   `JSApiConsumerCreateT`), a filtered one on `…CONSUMER.CREATE.<origin>.<name>.<filter>`
//   (`JSApiConsumerCreateExT`), so `…CREATE.<origin>.>` alone does not serve an unfiltered copy;
// - the deliveries: DATA exports the stream `<D>.>` and the landing account imports it
//   unchanged, with `external.deliver` = `<D>` (the consumer in DATA publishes to
//   `<D>.M.…`/`<D>.S.…`; RULES.md has the import on the origin's side, which delivers nothing);
// - flow control: DATA exports the service `$JS.FC.>` and the landing account imports it (the
//   copy answers flow-control requests on `$JS.FC.…`, which must reach the consumer in DATA), or
//   the landing account exports the stream `$JS.FC.>` and DATA imports it; both carry 20,000
//   messages of 1 KB. Without either a probe message arrives but the copy stalls after about
//   1,900 of them, for good (2.15.1: error 10228; 2.9.10: silently). RULES.md makes this a
//   warning; the server makes it a stall under load, which the message says.

/// The token `name` gives in a subject: letters, digits, `-` and `_` kept, anything else `_`.
fn token(name: &str) -> String {
    let t: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if t.is_empty() {
        "_".to_owned()
    } else {
        t
    }
}

/// Flow-control replies, as the landing account imports them from the origin's.
pub(super) const FLOW_CONTROL: &str = "$JS.FC.>";

/// One mirror or source whose origin lives in another account, as seen on the origin's cluster.
pub(super) struct CrossLink<'a> {
    pub cluster: ClusterId,
    pub accounts: &'a std::collections::BTreeMap<String, Account>,
    /// The origin stream's account.
    pub origin_account: &'a str,
    /// The account of the origin's cluster in which the copy's requests land.
    pub landing: &'a str,
    /// The origin stream's name.
    pub origin: &'a str,
    /// The copy's effective `external.api`.
    pub api: Option<&'a str>,
    /// The copy's `external.deliver`, when not empty.
    pub deliver: Option<&'a str>,
    /// Whether the copy filters (it then asks on the extended create subject).
    pub filtered: bool,
    /// The deliver prefixes of every other copy of the design, which an import may serve.
    pub other_delivers: Vec<&'a str>,
}

/// One of the three pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    Api,
    Deliver,
    FlowControl,
}

/// What the origin's cluster provides for one cross-account link.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Wiring {
    /// The prefix under which the landing account imports the origin's consumer creation, when
    /// it does and the origin account exports it; `Ok` when it is the copy's `external.api`.
    pub api: Result<(), Option<String>>,
    /// The same for the deliver prefix.
    pub deliver: Result<(), Option<String>>,
    pub flow_control: bool,
}

/// What follows `$JS.API.` or `$JS.<domain>.API.` in a JetStream API subject.
fn api_root(subject: &str) -> Option<&str> {
    let rest = subject.strip_prefix("$JS.")?;
    if let Some(tail) = rest.strip_prefix("API.") {
        return Some(tail);
    }
    let (_domain, rest) = rest.split_once('.')?;
    rest.strip_prefix("API.")
}

fn exports_to(exporter: &Account, kind: ShareKind, subject: &str, importer: &str) -> bool {
    exporter.exports.iter().any(|export| {
        export.kind == kind
            && subject::is_subset(subject, &export.subject)
            && (export.accounts.is_empty() || export.accounts.iter().any(|a| a == importer))
    })
}

impl CrossLink<'_> {
    fn origin_account(&self) -> Option<&Account> {
        self.accounts.get(self.origin_account)
    }

    fn landing_account(&self) -> Option<&Account> {
        self.accounts.get(self.landing)
    }

    /// The tail of the consumer creation subject the copy asks on, after the API prefix.
    fn create_tail(&self) -> String {
        if self.filtered {
            format!("CONSUMER.CREATE.{}.*.>", self.origin)
        } else {
            format!("CONSUMER.CREATE.{}", self.origin)
        }
    }

    /// Service imports of the landing account that take the consumer creation to the origin
    /// account's JetStream, each as the local prefix it appears under and whether it is exported.
    fn api_imports(&self) -> Vec<(String, bool)> {
        let (Some(landing), Some(origin)) = (self.landing_account(), self.origin_account()) else {
            return Vec::new();
        };
        let wanted = self.create_tail();
        landing
            .imports
            .iter()
            .filter(|i| i.kind == ShareKind::Service && i.account == self.origin_account)
            .filter_map(|i| {
                let tail = api_root(&i.subject)?;
                if !subject::is_subset(&wanted, tail) {
                    return None;
                }
                let local = i.local_subject();
                let prefix = local.strip_suffix(tail)?.strip_suffix('.')?;
                let exported = exports_to(origin, ShareKind::Service, &i.subject, self.landing);
                Some((prefix.to_owned(), exported))
            })
            .collect()
    }

    /// Stream imports of the landing account from the origin account that keep their subject,
    /// as (subject, exported).
    fn stream_imports(&self) -> Vec<(&str, bool)> {
        let (Some(landing), Some(origin)) = (self.landing_account(), self.origin_account()) else {
            return Vec::new();
        };
        landing
            .imports
            .iter()
            .filter(|i| i.kind == ShareKind::Stream && i.account == self.origin_account)
            .filter(|i| i.local.is_none() || i.local_subject() == i.subject)
            .map(|i| (i.subject.as_str(), exports_to(origin, ShareKind::Stream, &i.subject, self.landing)))
            .collect()
    }

    pub(super) fn wiring(&self) -> Wiring {
        let imports = self.api_imports();
        let api = if imports.iter().any(|(p, exported)| *exported && Some(p.as_str()) == self.api) {
            Ok(())
        } else {
            Err(imports.into_iter().find(|(p, _)| Some(p.as_str()) != self.api).map(|(p, _)| p))
        };
        let streams = self.stream_imports();
        let covers = |d: &str, s: &str| subject::is_subset(&format!("{d}.>"), s);
        let deliver = match self.deliver {
            Some(d) if streams.iter().any(|(s, exported)| *exported && covers(d, s)) => Ok(()),
            Some(d) if streams.iter().any(|(s, _)| covers(d, s)) => Err(None),
            _ => {
                // An import of `X.>` that serves no other copy names the prefix this one should use.
                let candidates: Vec<&str> = streams
                    .iter()
                    .filter_map(|(s, _)| s.strip_suffix(".>"))
                    .filter(|x| subject::is_literal(x) && !x.starts_with("$JS."))
                    .filter(|x| !self.other_delivers.iter().any(|d| covers(d, &format!("{x}.>"))))
                    .collect();
                match candidates.as_slice() {
                    [only] => Err(Some((*only).to_owned())),
                    _ => Err(None),
                }
            }
        };
        let flow_control = self.flow_control();
        Wiring { api, deliver, flow_control }
    }

    /// The landing account imports `$JS.FC.>` from the origin account as a service, or the
    /// origin account imports it from the landing account as a stream.
    fn flow_control(&self) -> bool {
        let (Some(landing), Some(origin)) = (self.landing_account(), self.origin_account()) else {
            return false;
        };
        let service = landing.imports.iter().any(|i| {
            i.kind == ShareKind::Service
                && i.account == self.origin_account
                && subject::is_subset(FLOW_CONTROL, &i.subject)
                && i.local_subject() == i.subject
                && exports_to(origin, ShareKind::Service, &i.subject, self.landing)
        });
        let stream = origin.imports.iter().any(|i| {
            i.kind == ShareKind::Stream
                && i.account == self.landing
                && subject::is_subset(FLOW_CONTROL, &i.subject)
                && i.local_subject() == i.subject
                && exports_to(landing, ShareKind::Stream, &i.subject, self.origin_account)
        });
        service || stream
    }

    /// The API prefix the fix uses: the copy's own when it is an import prefix, else
    /// `JS.<origin account>.API`.
    pub(super) fn chosen_api(&self) -> String {
        match self.api {
            Some(api) if subject::is_literal(api) && !api.starts_with("$JS.") => api.to_owned(),
            _ => format!("JS.{}.API", token(self.origin_account)),
        }
    }

    /// The deliver prefix the fix uses: the copy's own, else `deliver.<account>.<copy>`.
    pub(super) fn chosen_deliver(&self, copy_account: &str, copy: &str) -> String {
        match self.deliver {
            Some(d) if subject::is_literal(d) => d.to_owned(),
            _ => format!("deliver.{}.{}", token(copy_account), token(copy)),
        }
    }

    /// The exports and imports that complete the wiring for prefixes `api` and `deliver`, as one
    /// command per account changed (none when the pieces are there); `None` when the origin's
    /// cluster lacks one of the two accounts.
    pub(super) fn complete(&self, api: &str, deliver: &str) -> Option<Vec<Command>> {
        let (landing, origin) = (self.landing_account()?, self.origin_account()?);
        let (mut exports, mut imports) = (origin.exports.clone(), landing.imports.clone());
        let to = [self.landing];
        let tail = if self.filtered {
            format!("CONSUMER.CREATE.{}.>", self.origin)
        } else {
            format!("CONSUMER.CREATE.{}", self.origin)
        };
        let create = format!("$JS.API.{tail}");
        let served = self.api_imports().iter().any(|(p, _)| p == api);
        if !served {
            imports.push(
                Import::new(ShareKind::Service, self.origin_account, &create)
                    .at(crate::model::LocalSubject::To(format!("{api}.{tail}"))),
            );
        }
        let api_import = imports
            .iter()
            .find(|i| {
                i.kind == ShareKind::Service
                    && i.account == self.origin_account
                    && api_root(&i.subject).is_some_and(|t| subject::is_subset(&self.create_tail(), t))
                    && i.local_subject().starts_with(&format!("{api}."))
            })
            .map(|i| i.subject.clone())
            .unwrap_or(create);
        if !exports_to(origin, ShareKind::Service, &api_import, self.landing) {
            exports.push(Export::new(ShareKind::Service, api_import).to(&to));
        }
        let deliveries = format!("{deliver}.>");
        let streams = self.stream_imports();
        let delivered = streams.iter().find(|(s, _)| subject::is_subset(&deliveries, s)).map(|(s, _)| s.to_string());
        let delivered = delivered.unwrap_or_else(|| {
            imports.push(Import::new(ShareKind::Stream, self.origin_account, &deliveries));
            deliveries.clone()
        });
        if !exports_to(origin, ShareKind::Stream, &delivered, self.landing) {
            exports.push(Export::new(ShareKind::Stream, delivered).to(&to));
        }
        if !self.flow_control() {
            if !imports
                .iter()
                .any(|i| i.kind == ShareKind::Service && i.account == self.origin_account && i.subject == FLOW_CONTROL)
            {
                imports.push(Import::new(ShareKind::Service, self.origin_account, FLOW_CONTROL));
            }
            if !exports_to(origin, ShareKind::Service, FLOW_CONTROL, self.landing) {
                exports.push(Export::new(ShareKind::Service, FLOW_CONTROL).to(&to));
            }
        }
        let mut commands = Vec::new();
        if exports != origin.exports {
            commands.push(Command::SetAccountShares {
                cluster: self.cluster,
                account: self.origin_account.to_owned(),
                exports,
                imports: origin.imports.clone(),
            });
        }
        if imports != landing.imports {
            commands.push(Command::SetAccountShares {
                cluster: self.cluster,
                account: self.landing.to_owned(),
                exports: landing.exports.clone(),
                imports,
            });
        }
        Some(commands)
    }
}

/// Whether an account of `cluster` imports the JetStream API of `account` under `prefix`: how a
/// copy whose `external.api` is an import prefix finds its origin.
pub(crate) fn imports_api_under(cluster: &Cluster, account: &str, prefix: &str) -> bool {
    cluster.accounts.values().flat_map(|a| &a.imports).any(|i| {
        i.kind == ShareKind::Service
            && i.account == account
            && api_root(&i.subject).is_some_and(|tail| {
                i.local_subject().strip_suffix(tail).and_then(|p| p.strip_suffix('.')) == Some(prefix)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;
    use crate::model::{LocalSubject, User};

    fn import(kind: ShareKind, account: &str, subject: &str, to: Option<&str>) -> Import {
        let import = Import::new(kind, account, subject);
        match to {
            Some(to) => import.at(LocalSubject::To(to.into())),
            None => import,
        }
    }

    fn export(kind: ShareKind, subject: &str, accounts: &[&str]) -> Export {
        Export::new(kind, subject).to(accounts)
    }

    /// The example's hub with accounts DATA (exporting) and APP (importing) added.
    fn design(data: Vec<Export>, app: Vec<Import>) -> Design {
        let mut d = guide_corrected();
        let hub = d.cluster_mut(ClusterId(1)).unwrap();
        let user = |name: &str| User { name: name.into(), password: crate::model::Password::Plain(name.into()) };
        let mut data_account = Account::new(true, vec![user("data")]);
        data_account.exports = data;
        let mut app_account = Account::new(true, vec![user("app")]);
        app_account.imports = app;
        hub.accounts.insert("DATA".into(), data_account);
        hub.accounts.insert("APP".into(), app_account);
        d
    }

    fn fired(d: &Design) -> Vec<(Rule, String)> {
        let mut out = Vec::new();
        check(d, &mut out);
        out.into_iter().map(|d| (d.rule, d.message)).collect()
    }

    fn rules(d: &Design) -> Vec<Rule> {
        fired(d).into_iter().map(|(rule, _)| rule).collect()
    }

    #[test]
    fn an_import_of_what_is_exported_to_the_account_raises_nothing() {
        let d = design(
            vec![export(ShareKind::Service, "$JS.hub.API.>", &["APP"]), export(ShareKind::Stream, "deliver.>", &[])],
            vec![
                import(
                    ShareKind::Service,
                    "DATA",
                    "$JS.hub.API.CONSUMER.CREATE.orders.>",
                    Some("JS.DATA.API.CONSUMER.CREATE.orders.>"),
                ),
                import(ShareKind::Stream, "DATA", "deliver.app.>", None),
            ],
        );
        assert_eq!(fired(&d), vec![]);
        assert_eq!(fired(&guide_corrected()), vec![], "the example shares nothing and raises nothing");
    }

    #[test]
    fn an_import_from_an_account_the_cluster_lacks_is_an_error_with_a_fix_for_a_case_slip() {
        let d = design(Vec::new(), vec![import(ShareKind::Stream, "data", "x.>", None)]);
        let mut out = Vec::new();
        check(&d, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].rule, Rule::AccountImportUnknownAccount);
        assert!(out[0].message.contains("has no account data"), "{}", out[0].message);
        let fix = out[0].fix.clone().expect("DATA is the only account of that name in another case");
        assert_eq!(fix.label, "import from DATA");
        let mut fixed = d.clone();
        fix.command.apply(&mut fixed).unwrap();
        assert_eq!(rules(&fixed), vec![Rule::AccountImportNotExported], "now it names an account that exports nothing");

        let d = design(Vec::new(), vec![import(ShareKind::Stream, "NOPE", "x.>", None)]);
        let mut out = Vec::new();
        check(&d, &mut out);
        assert_eq!((out[0].rule, out[0].fix.is_none()), (Rule::AccountImportUnknownAccount, true));
    }

    #[test]
    fn an_import_not_exported_to_the_account_is_an_error_whose_fix_exports_it() {
        for exports in [
            Vec::new(),
            vec![export(ShareKind::Stream, "deliver.>", &["OTHER"])],
            vec![export(ShareKind::Service, "deliver.>", &[])],
            vec![export(ShareKind::Stream, "deliver.app", &[])],
        ] {
            let d = design(exports.clone(), vec![import(ShareKind::Stream, "DATA", "deliver.>", None)]);
            let mut out = Vec::new();
            check(&d, &mut out);
            assert_eq!(
                out.iter().map(|d| d.rule).collect::<Vec<_>>(),
                vec![Rule::AccountImportNotExported],
                "{exports:?}"
            );
            let fix = out[0].fix.clone().unwrap();
            assert_eq!(fix.label, "export stream deliver.> from DATA to APP");
            let mut fixed = d.clone();
            let undo = fix.command.apply(&mut fixed).unwrap();
            assert_eq!(fired(&fixed), vec![], "{exports:?}");
            undo.apply(&mut fixed).unwrap();
            assert_eq!(fixed, d, "one undoable step");
        }
    }

    #[test]
    fn imports_of_one_account_onto_overlapping_subjects_are_a_warning() {
        let exports = vec![export(ShareKind::Stream, ">", &[])];
        let d = design(
            exports.clone(),
            vec![
                import(ShareKind::Stream, "DATA", "orders.>", None),
                import(ShareKind::Stream, "DATA", "orders.eu", None),
            ],
        );
        assert_eq!(rules(&d), vec![Rule::AccountImportOverlap]);
        let d = design(
            exports.clone(),
            vec![
                import(ShareKind::Stream, "DATA", "orders.>", Some("a.>")),
                import(ShareKind::Stream, "DATA", "orders.>", Some("b.>")),
            ],
        );
        assert_eq!(rules(&d), vec![], "mapped apart");
        let mut d = design(exports, vec![import(ShareKind::Stream, "DATA", "orders.>", None)]);
        let prefixed = Import {
            local: Some(LocalSubject::Prefix("eu".into())),
            ..import(ShareKind::Stream, "DATA", "orders.>", None)
        };
        d.cluster_mut(ClusterId(1)).unwrap().accounts.get_mut("APP").unwrap().imports.push(prefixed);
        assert_eq!(rules(&d), vec![], "a prefix moves it to eu.orders.>");
    }

    #[test]
    fn service_imports_that_lead_back_are_a_cycle() {
        let mut d = design(
            vec![export(ShareKind::Service, "svc.>", &[])],
            vec![import(ShareKind::Service, "DATA", "svc.>", Some("svc.>"))],
        );
        assert_eq!(rules(&d), vec![], "one way only");
        let hub = d.cluster_mut(ClusterId(1)).unwrap();
        hub.accounts.get_mut("APP").unwrap().exports.push(export(ShareKind::Service, "svc.>", &[]));
        hub.accounts.get_mut("DATA").unwrap().imports.push(import(ShareKind::Service, "APP", "svc.>", Some("svc.>")));
        let found = fired(&d);
        assert_eq!(found.iter().map(|(r, _)| *r).collect::<Vec<_>>(), vec![Rule::AccountImportCycle], "{found:?}");
        assert!(found[0].1.contains("APP → DATA → APP"), "{}", found[0].1);
        // Mapped onto a subject the other side does not import from: no cycle.
        let hub = d.cluster_mut(ClusterId(1)).unwrap();
        hub.accounts.get_mut("DATA").unwrap().imports[0].local = Some(LocalSubject::To("other.>".into()));
        assert_eq!(rules(&d), vec![]);
    }
}
