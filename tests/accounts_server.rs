//! Differential test of RULES.md "Accounts, exports and imports" against the real servers.
//!
//! Each case edits the hub of the corrected guide (accounts DATA and APP added) and states which
//! account rules it raises. The hub's exported conf is then checked with `nats-server -t` on
//! 2.9.10 and 2.15.1: the server must refuse exactly the cases where we raise an error (a
//! warning is a conf the server accepts). The same conf read back by the importer gives the
//! same exports and imports.

mod support;

use nats_topology::cli::sandbox::process::TempDir;
use nats_topology::model::example::guide_corrected;
use nats_topology::model::export::server_conf::{self, ServerConfOptions};
use nats_topology::model::import::{import as import_files, SourceFile};
use nats_topology::model::validate::{validate, Rule, Severity};
use nats_topology::model::{
    Account, ClusterId, Design, Export, Import, LocalSubject, Password, ResponseType, ShareKind, User,
};
use std::fs;
use std::process::Command;

const HUB: ClusterId = ClusterId(1);

fn export(kind: ShareKind, subject: &str, accounts: &[&str]) -> Export {
    Export::new(kind, subject).to(accounts)
}

fn import(kind: ShareKind, account: &str, subject: &str, local: Option<LocalSubject>) -> Import {
    Import { local, ..Import::new(kind, account, subject) }
}

fn to(subject: &str) -> Option<LocalSubject> {
    Some(LocalSubject::To(subject.into()))
}

/// The corrected guide with accounts DATA and APP on the hub, sharing what `edit` sets.
fn design(edit: impl FnOnce(&mut Account, &mut Account)) -> Design {
    let mut d = guide_corrected();
    let user = |name: &str| User { name: name.into(), password: Password::Plain(format!("{name}-pw")) };
    let (mut data, mut app) = (Account::new(true, vec![user("data")]), Account::new(true, vec![user("app")]));
    edit(&mut data, &mut app);
    let hub = d.cluster_mut(HUB).expect("the guide has a hub");
    hub.accounts.insert("DATA".into(), data);
    hub.accounts.insert("APP".into(), app);
    d
}

/// The cross-account pieces of nats.docs' jetstream_leafnodes: DATA's JetStream API for APP
/// under a prefix, the deliver subjects back, and flow control.
fn wired(data: &mut Account, app: &mut Account) {
    data.exports = vec![
        Export { response_type: Some(ResponseType::Stream), ..export(ShareKind::Service, "$JS.hub.API.>", &["APP"]) },
        export(ShareKind::Stream, "$JS.FC.>", &[]),
    ];
    data.imports = vec![import(ShareKind::Stream, "APP", "deliver.app.>", None)];
    app.exports = vec![export(ShareKind::Stream, "deliver.app.>", &["DATA"])];
    app.imports = vec![
        import(ShareKind::Service, "DATA", "$JS.hub.API.>", to("JS.DATA.API.>")),
        import(ShareKind::Stream, "DATA", "$JS.FC.>", None),
    ];
}

struct Case {
    name: &'static str,
    design: Design,
    /// The account rules it raises, sorted.
    rules: Vec<Rule>,
}

fn cases() -> Vec<Case> {
    vec![
        Case { name: "wired", design: design(wired), rules: vec![] },
        Case {
            name: "stream import with a prefix",
            design: design(|data, app| {
                data.exports = vec![export(ShareKind::Stream, "orders.>", &[])];
                app.imports =
                    vec![import(ShareKind::Stream, "DATA", "orders.>", Some(LocalSubject::Prefix("data".into())))];
            }),
            rules: vec![],
        },
        Case {
            name: "import from an account the cluster lacks",
            design: design(|_, app| app.imports = vec![import(ShareKind::Stream, "NOPE", "orders.>", None)]),
            rules: vec![Rule::AccountImportUnknownAccount],
        },
        Case {
            name: "stream import of nothing exported",
            design: design(|_, app| app.imports = vec![import(ShareKind::Stream, "DATA", "orders.>", None)]),
            rules: vec![Rule::AccountImportNotExported],
        },
        Case {
            name: "stream import of an export to another account",
            design: design(|data, app| {
                data.exports = vec![export(ShareKind::Stream, "orders.>", &["SYS"])];
                app.imports = vec![import(ShareKind::Stream, "DATA", "orders.>", None)];
            }),
            rules: vec![Rule::AccountImportNotExported],
        },
        Case {
            name: "stream import wider than the export",
            design: design(|data, app| {
                data.exports = vec![export(ShareKind::Stream, "orders.eu.>", &[])];
                app.imports = vec![import(ShareKind::Stream, "DATA", "orders.>", None)];
            }),
            rules: vec![Rule::AccountImportNotExported],
        },
        Case {
            name: "service import of nothing exported",
            design: design(|_, app| {
                app.imports = vec![import(ShareKind::Service, "DATA", "$JS.hub.API.>", to("JS.DATA.API.>"))]
            }),
            rules: vec![Rule::AccountImportNotExported],
        },
        Case {
            name: "service imports in a cycle",
            design: design(|data, app| {
                data.exports = vec![export(ShareKind::Service, "svc.>", &[])];
                app.exports = vec![export(ShareKind::Service, "svc.>", &[])];
                app.imports = vec![import(ShareKind::Service, "DATA", "svc.>", to("svc.>"))];
                data.imports = vec![import(ShareKind::Service, "APP", "svc.>", to("svc.>"))];
            }),
            rules: vec![Rule::AccountImportCycle],
        },
        Case {
            name: "overlapping stream imports",
            design: design(|data, app| {
                data.exports = vec![export(ShareKind::Stream, "orders.>", &[])];
                app.imports = vec![
                    import(ShareKind::Stream, "DATA", "orders.>", None),
                    import(ShareKind::Stream, "DATA", "orders.eu", None),
                ];
            }),
            rules: vec![Rule::AccountImportOverlap],
        },
    ]
}

/// The account rules `design` raises, sorted.
fn account_rules(design: &Design) -> Vec<Rule> {
    let mut rules: Vec<Rule> = validate(design)
        .into_iter()
        .map(|d| d.rule)
        .filter(|r| r.as_str().starts_with("account-import-") || r.as_str().starts_with("cross-account-"))
        .collect();
    rules.sort();
    rules
}

fn errors(design: &Design) -> bool {
    validate(design).iter().any(|d| d.severity == Severity::Error && d.rule.as_str().starts_with("account-import-"))
}

#[test]
fn the_servers_refuse_exactly_the_account_confs_our_rules_call_errors() {
    let servers = [
        ("2.9.10", support::server_binary(support::SERVER_2_9.0, support::SERVER_2_9.1)),
        ("2.15", support::server_binary(support::SERVER_2_15.0, support::SERVER_2_15.1)),
    ];
    let dir = TempDir::new("nats-topology-accounts").expect("a temporary folder");
    let mut mismatches = Vec::new();
    for (n, case) in cases().into_iter().enumerate() {
        assert_eq!(account_rules(&case.design), case.rules, "{}: our rules", case.name);
        let confs = server_conf::server_confs(&case.design, &ServerConfOptions::default());
        let hub = confs.iter().find(|c| c.file.path.starts_with("server/headquarter/")).expect("the hub's conf");
        let path = dir.path().join(format!("case-{n}.conf"));
        fs::write(&path, &hub.file.contents).expect("the conf is written");
        for (release, binary) in &servers {
            let mut command = Command::new(binary);
            command.arg("-t").arg("-c").arg(&path).env_clear();
            for variable in &hub.variables {
                command.env(&variable.name, variable.env_value("test-password"));
            }
            let output = command.output().unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
            let refused = !output.status.success();
            if refused != errors(&case.design) {
                let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
                mismatches.push(format!(
                    "{} on {release}: we say {:?}, the server {} ({said})\n{}",
                    case.name,
                    case.rules,
                    if refused { "refuses" } else { "accepts" },
                    hub.file.contents
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n\n"));
}

#[test]
fn exports_and_imports_read_back_from_the_exported_conf() {
    for case in cases() {
        let confs = server_conf::server_confs(&case.design, &ServerConfOptions::default());
        let hub = confs.iter().find(|c| c.file.path.starts_with("server/headquarter/")).expect("the hub's conf");
        let imported = import_files(&[SourceFile::new(hub.file.path.clone(), hub.file.contents.clone())]);
        let read = imported.design.clusters().next().expect("one cluster read").1;
        let designed = case.design.cluster(HUB).unwrap();
        for name in ["DATA", "APP"] {
            let (got, want) = (&read.accounts[name], &designed.accounts[name]);
            assert_eq!((&got.exports, &got.imports), (&want.exports, &want.imports), "{}: account {name}", case.name);
        }
    }
}
