use super::*;
use crate::model::example::guide_corrected;

fn parsed(files: &[ExportedFile], prefix: &str) -> Vec<Value> {
    files
        .iter()
        .filter(|f| f.path.starts_with(prefix))
        .map(|f| serde_yaml::from_str(&f.contents).expect("the file is YAML"))
        .collect()
}

#[test]
fn dns_names_are_dns_1123_labels_and_keep_distinct_names_apart() {
    assert_eq!(dns_name("orders"), "orders");
    assert_eq!(dns_name("hub-orders"), "hub-orders");
    let lossy = ["Orders", "orders!", "$(rm -rf ~)", "", "-", "x\ny", &"a".repeat(100), "ÄÖ"];
    let mut seen = vec![dns_name("orders")];
    for raw in lossy {
        let name = dns_name(raw);
        assert!(name.len() <= 63 && !name.is_empty(), "{raw:?} → {name:?}");
        assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{name}");
        assert!(!name.starts_with('-') && !name.ends_with('-'), "{name}");
        assert!(!seen.contains(&name), "{raw:?} collides as {name}");
        seen.push(name);
    }
    let mut names = Names::default();
    assert_eq!(names.claim("a"), "a");
    assert_eq!(names.claim("a"), "a-2");
}

#[test]
fn durations_are_go_durations_in_their_largest_exact_unit() {
    assert_eq!(go_duration(30 * SECOND), "30s");
    assert_eq!(go_duration(7200 * SECOND), "2h");
    assert_eq!(go_duration(120 * SECOND), "2m");
    assert_eq!(go_duration(1_500_000_000), "1500ms");
    assert_eq!(go_duration(1), "1ns");
    assert_eq!(go_duration(0), "0s");
}

#[test]
fn the_guide_gets_domains_prefixes_accounts_and_a_kustomization() {
    let mut design = guide_corrected();
    let tickets = design.streams().find(|s| s.config.name == "tickets-1").expect("tickets-1").id;
    design.stream_mut(tickets).expect("listed").consumers = vec![Consumer::pull("counter")];
    let files = render(&design);
    let accounts = parsed(&files, "nack/account-");
    assert_eq!(accounts.len(), 1, "every stream is in ACC");
    let account = accounts[0]["metadata"]["name"].as_str().expect("a name").to_owned();
    assert_eq!(accounts[0]["spec"]["servers"][0], SERVER_URL);
    assert_eq!(accounts[0]["spec"]["user"]["secret"]["name"], secret_name(&account));
    let streams = parsed(&files, "nack/stream-");
    assert_eq!(streams.len(), design.streams().count());
    for s in &streams {
        assert_eq!(s["spec"]["account"], account.as_str());
        assert!(s["spec"]["jsDomain"].is_string(), "every guide cluster has a domain: {s}");
        assert_eq!(s["spec"]["storage"], "file", "never the CRD's memory default");
    }
    let sales = streams.iter().find(|s| s["spec"]["name"] == "sales").expect("sales");
    assert_eq!(sales["spec"]["jsDomain"], "hub");
    let prefixes: Vec<&str> = sales["spec"]["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s["externalApiPrefix"].as_str().unwrap())
        .collect();
    assert_eq!(prefixes, ["$JS.cinema-a.API", "$JS.cinema-b.API"]);
    let consumers = parsed(&files, "nack/consumer-");
    assert_eq!(consumers.len(), 1);
    let c = &consumers[0]["spec"];
    assert_eq!((c["streamName"].as_str(), c["durableName"].as_str()), (Some("tickets-1"), Some("counter")));
    assert_eq!(c["jsDomain"], "cinema-a");
    assert_eq!(c["ackWait"], "30s", "never the CRD's 1ns default");
    assert_eq!(files.last().expect("files").path, "nack/kustomization.yaml");
    assert!(files.iter().all(|f| f.contents.starts_with("# NACK") || f.path.ends_with("kustomization.yaml")));
    assert!(!files.iter().any(|f| f.contents.contains("password: ") && !f.contents.contains("password: password")));
}

#[test]
fn no_streams_no_files() {
    let mut design = guide_corrected();
    let ids: Vec<_> = design.streams().map(|s| s.id).collect();
    for id in ids {
        design.remove_stream(id);
    }
    assert!(render(&design).is_empty());
}
