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
