//! The inspector of one stream: a shell over its sections (identity, storage, limits, placement, origins;
//! for a key-value bucket or object store its bucket settings instead of the first three),
//! each in its own file and each editing the stream through [`StreamForm`].

use super::bucket_settings::{bucket_kind, BucketSettings};
use super::consumers::StreamConsumers;
use super::fields::Problems;
use super::stream_identity::StreamIdentity;
use super::stream_limits::StreamLimits;
use super::stream_origins::StreamOrigins;
use super::stream_placement::StreamPlacement;
use super::stream_storage::StreamStorage;
use super::{field_problems, ElementProblems};
use crate::model::bucket::BucketKind;
use crate::model::command::Command;
use crate::model::stream::StreamConfig;
use crate::model::validate::Target;
use crate::model::StreamId;
use crate::state::{use_editor, Editor};
use leptos::prelude::*;

const FIELDS: &[&str] = &[
    "name",
    "subjects",
    "retention",
    "storage",
    "num_replicas",
    "discard",
    "max_age",
    "duplicate_window",
    "max_msgs",
    "max_bytes",
    "max_msgs_per_subject",
    "max_msg_size",
    "placement",
    "consumers",
];

/// The stream fields a bucket's inspector shows (as bucket settings).
const BUCKET_FIELDS: &[&str] = &[
    "name",
    "max_msgs_per_subject",
    "max_age",
    "max_msg_size",
    "max_bytes",
    "storage",
    "num_replicas",
    "compression",
    "placement",
    "consumers",
];

pub fn options(values: &[&str]) -> Vec<(String, String)> {
    values.iter().map(|v| ((*v).to_owned(), (*v).to_owned())).collect()
}

/// The stream a section edits: read its configuration (tracked), and commit a changed copy as
/// one command.
#[derive(Clone, Copy)]
pub struct StreamForm {
    pub id: StreamId,
    pub config: Memo<Option<StreamConfig>>,
    pub editor: Editor,
}

impl StreamForm {
    /// A text property of the configuration.
    pub fn read(self, f: fn(&StreamConfig) -> String) -> Signal<String> {
        let config = self.config;
        Signal::derive(move || config.with(|c| c.as_ref().map(f).unwrap_or_default()))
    }

    /// A number property of the configuration.
    pub fn number(self, f: fn(&StreamConfig) -> i64) -> Signal<i64> {
        let config = self.config;
        Signal::derive(move || config.with(|c| c.as_ref().map_or(0, f)))
    }

    /// One field edit: a changed copy of the configuration, committed as one command.
    pub fn edit(self, change: Box<dyn FnOnce(&mut StreamConfig)>) {
        if let Some(mut c) = self.config.get_untracked() {
            change(&mut c);
            self.editor.dispatch(Command::SetStreamConfig { stream: self.id, config: Box::new(c) });
        }
    }

    /// The problems of one field of the stream.
    pub fn problems(self, field: &'static str) -> Problems {
        field_problems(Target::Stream(self.id), field)
    }
}

#[component]
pub fn StreamInspector(id: StreamId) -> impl IntoView {
    let editor = use_editor();
    let config = Memo::new(move |_| editor.with_design(|d| d.stream(id).map(|s| s.config.clone())));
    let form = StreamForm { id, config, editor };
    let kind = bucket_kind(form);
    let target = Target::Stream(id);
    let placement = Memo::new(move |_| {
        editor.with_design(|d| {
            d.stream(id).and_then(|s| {
                let c = d.cluster(s.cluster)?;
                Some((
                    c.name.clone(),
                    c.domain.clone(),
                    s.account.clone(),
                    c.accounts.keys().cloned().collect::<Vec<_>>(),
                ))
            })
        })
    });
    view! {
        <section class="inspector-body" aria-label="Stream properties">
            <h2>
                <span class="kind">{move || match kind.get() {
                    Some((BucketKind::KeyValue, _)) => "Key-value bucket",
                    Some((BucketKind::ObjectStore, _)) => "Object store",
                    None => "Stream",
                }}</span>
                // A bucket by the name clients open it by; its stream's name is said below.
                {move || match kind.get() {
                    Some((_, bucket)) => bucket,
                    None => config.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default()),
                }}
            </h2>
            <p class="placement">
                {move || placement.get().map(|(cluster, domain, account, _)| {
                    let domain = if domain.is_empty() { "no domain".to_owned() } else { format!("domain {domain}") };
                    let stream = kind.with(|k| k.is_some())
                        .then(|| config.with(|c| c.as_ref().map(|c| format!("stream {}, ", c.name))))
                        .flatten()
                        .unwrap_or_default();
                    format!("{stream}in cluster {cluster} ({domain}), account {account}")
                })}
            </p>
            // Problems of fields the bucket section does not show are listed here.
            <Show when=move || kind.with(Option::is_some) fallback=move || view! { <ElementProblems target shown_fields=FIELDS /> }>
                <ElementProblems target shown_fields=BUCKET_FIELDS />
            </Show>
            // A bucket is edited as `nats kv add` / `nats object add` see it; its stream's other
            // fields are the shape natscli gives it.
            <Show when=move || kind.with(Option::is_some) fallback=move || view! {
                <StreamIdentity form />
                <StreamStorage form />
                <StreamLimits form />
            }>
                <BucketSettings form />
            </Show>
            <StreamPlacement form />
            <StreamOrigins form />
            <StreamConsumers id />
        </section>
    }
}
