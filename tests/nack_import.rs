//! NACK resources back into a design: what `export::nack` writes is read by `import` into the
//! same streams, buckets and consumers, in the same clusters (by `jsDomain`) and accounts, with
//! the chart values beside them or alone, from files or from one multi-document YAML.

use nats_topology::model::consumer::{AckPolicy, Consumer, DeliverPolicy};
use nats_topology::model::example::guide_corrected;
use nats_topology::model::export::{export, nack, ExportOptions};
use nats_topology::model::import::{import, SourceFile};
use nats_topology::model::stream::SECOND;
use nats_topology::model::{templates, Design};

fn with_consumers(mut d: Design) -> Design {
    let ids: Vec<_> = d.streams().map(|s| s.id).collect();
    for (i, id) in ids.into_iter().enumerate() {
        let s = d.stream_mut(id).unwrap();
        let mut pull = Consumer::pull(format!("reader-{i}"));
        pull.filter_subjects = s.config.subjects.iter().take(1).cloned().collect();
        pull.max_deliver = Some(5);
        pull.ack_wait = Some(45 * SECOND);
        let mut push = Consumer::push("$(id)'\"<b;x", format!("deliver.{i}"));
        push.ack_policy = AckPolicy::All;
        push.deliver_policy = DeliverPolicy::New;
        push.idle_heartbeat = Some(5 * SECOND);
        push.flow_control = true;
        push.description = Some("it's\n$(uname)".into());
        s.consumers = vec![pull, push];
    }
    d
}

/// Every stream of `original` is in `imported`, in a cluster of the same domain and in the same
/// account, with the same configuration (origins compared by name and derived prefix) and
/// consumers.
fn same_streams(original: &Design, imported: &Design) {
    assert_eq!(imported.streams().count(), original.streams().count());
    for stream in original.streams() {
        let domain = original.stream_domain(stream);
        let found = imported
            .streams()
            .find(|s| s.config.name == stream.config.name && imported.stream_domain(s) == domain)
            .unwrap_or_else(|| panic!("{} in {domain:?} was not imported", stream.config.name));
        assert_eq!(found.account, stream.account, "{}", stream.config.name);
        assert_eq!(found.consumers, stream.consumers, "{}", stream.config.name);
        let strip = |d: &Design, s: &nats_topology::model::Stream| {
            let mut c = s.config.clone();
            for o in c.mirror.iter_mut().chain(c.sources.iter_mut()) {
                o.api = d.effective_api(s, o);
                o.origin_cluster = None;
            }
            c
        };
        assert_eq!(strip(imported, found), strip(original, stream), "{}", stream.config.name);
    }
}

fn designs() -> Vec<Design> {
    let mut kv = templates::edge_key_value();
    let hub = kv.clusters().next().unwrap().0;
    let store = nats_topology::model::bucket::ObjSettings::default();
    kv.add_stream(hub, "ACC", nats_topology::model::bucket::obj_config("files", &store)).unwrap();
    vec![with_consumers(guide_corrected()), with_consumers(kv), with_consumers(templates::cross_account_sharing())]
}

#[test]
fn nack_files_with_the_chart_values_import_as_the_design_they_came_from() {
    for design in designs() {
        let files: Vec<SourceFile> = export(&design, &ExportOptions::default())
            .into_iter()
            .filter(|f| f.path.starts_with("helm/") || f.path.starts_with("nack/"))
            .map(|f| SourceFile::new(f.path, f.contents))
            .collect();
        let imported = import(&files);
        same_streams(&design, &imported.design);
        assert!(
            imported.notes.iter().any(|n| n.contains("kustomization")),
            "the kustomization is skipped with a note: {:?}",
            imported.notes
        );
        assert!(!imported.notes.iter().any(|n| n.contains("skipped fields")), "{:?}", imported.notes);
    }
}

#[test]
fn one_multi_document_file_of_nack_resources_alone_makes_a_cluster_per_domain() {
    let design = designs().remove(0);
    let text: String = nack::render(&design)
        .into_iter()
        .filter(|f| f.path != "nack/kustomization.yaml")
        .map(|f| format!("---\n{}", f.contents))
        .collect();
    let imported = import(&[SourceFile::new("all.yaml", text)]);
    let mut domains: Vec<&str> = imported.design.clusters().filter_map(|(_, c)| c.domain()).collect();
    domains.sort_unstable();
    assert_eq!(domains, ["cinema-a", "cinema-b", "hub"]);
    same_streams(&design, &imported.design);
}

#[test]
fn what_the_design_does_not_hold_is_named_in_a_note() {
    let text = "apiVersion: jetstream.nats.io/v1beta2\nkind: Consumer\nmetadata:\n  name: c\nspec:\n  streamName: ORDERS\n  durableName: c\n  sampleFreq: '50'\n  servers: [nats://elsewhere:4222]\n---\napiVersion: jetstream.nats.io/v1beta2\nkind: Stream\nmetadata:\n  name: orders\nspec:\n  name: ORDERS\n  subjects: [orders.>]\n  maxAge: soon\n";
    let imported = import(&[SourceFile::new("x.yaml", text)]);
    let notes = imported.notes.join("\n");
    assert!(notes.contains("sampleFreq"), "{notes}");
    assert!(notes.contains("servers"), "{notes}");
    assert!(notes.contains("`maxAge` is not a duration"), "{notes}");
    let stream = imported.design.streams().next().expect("the stream");
    assert_eq!(stream.consumers.len(), 1);
    assert_eq!(stream.consumers[0].ack_policy, AckPolicy::None, "the CRD's default");
    assert_eq!(stream.config.storage, nats_topology::model::Storage::Memory, "the CRD's default");
}

#[test]
fn a_whole_exported_folder_imports_each_stream_once_with_its_consumers_from_nack() {
    for design in designs() {
        let files: Vec<SourceFile> = export(&design, &ExportOptions::default())
            .into_iter()
            .filter(|f| !f.path.starts_with("server/"))
            .map(|f| SourceFile::new(f.path, f.contents))
            .collect();
        let imported = import(&files);
        same_streams(&design, &imported.design);
    }
}
