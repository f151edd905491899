//! The inspector of a key-value bucket or object store (a stream known by its name, `KV_<b>`,
//! `OBJ_<b>`): its name and settings as `nats kv add` / `nats object add` ask for them, each
//! change one command made by `model::bucket` (rename, set_kv, set_obj), and "Mirror into…" a
//! site, which adds the mirror under the bucket's own name with `mirror_direct`.

use super::fields::{NumberField, SecondsField, SelectField, TextField};
use super::stream::{options, StreamForm};
use crate::model::bucket::{self, BucketKind, KvSettings, ObjSettings};
use crate::model::stream::{Compression, Storage};
use crate::model::ClusterId;
use leptos::prelude::*;

/// The bucket's kind and name, when the stream is a bucket.
pub fn bucket_kind(form: StreamForm) -> Memo<Option<(BucketKind, String)>> {
    let config = form.config;
    Memo::new(move |_| {
        config.with(|c| c.as_ref().and_then(|c| bucket::bucket_of(c).map(|b| (b.kind, b.name.to_owned()))))
    })
}

fn storage_of(v: &str) -> Storage {
    if v == "memory" {
        Storage::Memory
    } else {
        Storage::File
    }
}

#[component]
pub fn BucketSettings(form: StreamForm) -> impl IntoView {
    let StreamForm { id, config, editor } = form;
    let kind = bucket_kind(form);
    let problems = move |field| form.problems(field);
    let kv = Memo::new(move |_| config.with(|c| c.as_ref().map(KvSettings::of).unwrap_or_default()));
    let obj = Memo::new(move |_| config.with(|c| c.as_ref().map(ObjSettings::of).unwrap_or_default()));
    // One change of the settings: the model's command, one undo step.
    let set_kv = move |change: Box<dyn FnOnce(&mut KvSettings)>| {
        let mut settings = kv.get_untracked();
        change(&mut settings);
        if let Some(command) = editor.with_design_untracked(|d| bucket::set_kv(d, id, &settings)) {
            editor.dispatch(command);
        }
    };
    let set_obj = move |change: Box<dyn FnOnce(&mut ObjSettings)>| {
        let mut settings = obj.get_untracked();
        change(&mut settings);
        if let Some(command) = editor.with_design_untracked(|d| bucket::set_obj(d, id, &settings)) {
            editor.dispatch(command);
        }
    };
    let rename = move |name: String| {
        if let Some(command) = editor.with_design_untracked(|d| bucket::rename(d, id, name.trim())) {
            editor.dispatch(command);
        }
    };
    let name = Signal::derive(move || kind.with(|k| k.as_ref().map(|k| k.1.clone()).unwrap_or_default()));
    let is_kv = move || kind.with(|k| matches!(k, Some((BucketKind::KeyValue, _))));
    let storage = move |s: Storage| s.as_str().to_owned();
    let kv_fields = move || {
        view! {
            <NumberField label="History" min=1 value=Signal::derive(move || kv.with(|s| s.history)) problems=problems("max_msgs_per_subject")
                hint="values kept per key, 1 to 64"
                on_commit=Callback::new(move |n: i64| set_kv(Box::new(move |s| s.history = n))) />
            <SecondsField label="TTL (s)" nanos=Signal::derive(move || kv.with(|s| s.ttl)) problems=problems("max_age") hint="0 keeps values forever"
                on_commit=Callback::new(move |n: i64| set_kv(Box::new(move |s| s.ttl = n))) />
            <NumberField label="Max value size" value=Signal::derive(move || kv.with(|s| s.max_value_size)) problems=problems("max_msg_size") hint="-1 for no limit"
                on_commit=Callback::new(move |n: i64| set_kv(Box::new(move |s| s.max_value_size = n))) />
            <NumberField label="Max bytes" value=Signal::derive(move || kv.with(|s| s.max_bytes)) problems=problems("max_bytes") hint="-1 for no limit"
                on_commit=Callback::new(move |n: i64| set_kv(Box::new(move |s| s.max_bytes = n))) />
            <SelectField label="Storage" options=options(&["file", "memory"]) value=Signal::derive(move || kv.with(|s| storage(s.storage)))
                problems=problems("storage")
                on_commit=Callback::new(move |v: String| set_kv(Box::new(move |s| s.storage = storage_of(&v)))) />
            <NumberField label="Replicas" min=1 value=Signal::derive(move || kv.with(|s| s.replicas)) problems=problems("num_replicas")
                on_commit=Callback::new(move |n: i64| set_kv(Box::new(move |s| s.replicas = n))) />
            <SelectField label="Compression" options=options(&["none", "s2"])
                value=Signal::derive(move || kv.with(|s| if s.compression == Compression::S2 { "s2" } else { "none" }.to_owned()))
                problems=problems("compression")
                on_commit=Callback::new(move |v: String| set_kv(Box::new(move |s| {
                    s.compression = if v == "s2" { Compression::S2 } else { Compression::None }
                }))) />
        }
    };
    let obj_fields = move || {
        view! {
            <SecondsField label="TTL (s)" nanos=Signal::derive(move || obj.with(|s| s.ttl)) problems=problems("max_age") hint="0 keeps objects forever"
                on_commit=Callback::new(move |n: i64| set_obj(Box::new(move |s| s.ttl = n))) />
            <NumberField label="Max bytes" value=Signal::derive(move || obj.with(|s| s.max_bytes)) problems=problems("max_bytes") hint="-1 for no limit"
                on_commit=Callback::new(move |n: i64| set_obj(Box::new(move |s| s.max_bytes = n))) />
            <SelectField label="Storage" options=options(&["file", "memory"]) value=Signal::derive(move || obj.with(|s| storage(s.storage)))
                problems=problems("storage")
                on_commit=Callback::new(move |v: String| set_obj(Box::new(move |s| s.storage = storage_of(&v)))) />
            <NumberField label="Replicas" min=1 value=Signal::derive(move || obj.with(|s| s.replicas)) problems=problems("num_replicas")
                on_commit=Callback::new(move |n: i64| set_obj(Box::new(move |s| s.replicas = n))) />
        }
    };
    view! {
        <fieldset class="bucket-settings">
            <legend>"Bucket"</legend>
            <TextField label="Bucket name" value=name problems=problems("name") hint="letters, digits, - and _"
                on_commit=Callback::new(rename) />
            {move || if is_kv() { kv_fields().into_any() } else { obj_fields().into_any() }}
        </fieldset>
        <Show when=move || is_kv() && config.with(|c| c.as_ref().is_some_and(|c| c.mirror.is_none()))>
            <MirrorInto form />
        </Show>
    }
}

/// "Mirror into…": a site (another cluster) and the button that adds the bucket's mirror there.
#[component]
fn MirrorInto(form: StreamForm) -> impl IntoView {
    let StreamForm { id, editor, .. } = form;
    let sites = Memo::new(move |_| {
        editor.with_design(|d| {
            let home = d.stream(id).map(|s| s.cluster);
            // Only the sites a mirror can go into: not its own, not one that has it already.
            d.clusters()
                .filter(|(c, cluster)| Some(*c) != home && cluster.jetstream)
                .filter(|(c, _)| bucket::mirror_into(d, id, *c).is_ok())
                .map(|(c, cluster)| (c, cluster.name.clone()))
                .collect::<Vec<(ClusterId, String)>>()
        })
    });
    let chosen = RwSignal::new(String::new());
    let site = move || {
        let chosen = chosen.get_untracked();
        sites.with_untracked(|s| s.iter().find(|(c, _)| c.to_string() == chosen).or(s.first()).map(|(c, _)| *c))
    };
    let mirror = move |_| {
        let Some(site) = site() else { return };
        match editor.with_design_untracked(|d| bucket::mirror_into(d, id, site)) {
            Ok(command) => {
                if editor.dispatch(command) {
                    let name = editor.with_design_untracked(|d| d.cluster(site).map(|c| c.name.clone()));
                    editor.messages.say(format!("Mirrored into {}; Undo removes the mirror", name.unwrap_or_default()));
                }
            }
            Err(e) => editor.messages.say(format!("Cannot mirror: {e}")),
        }
    };
    view! {
        <fieldset class="mirror-into">
            <legend>"Mirror into…"</legend>
            <Show when=move || sites.with(|s| !s.is_empty())
                fallback=|| view! { <p class="hint">"Every other cluster with JetStream has a mirror of this bucket already."</p> }>
                <div class="field">
                    <label class="field-control">
                        <span class="field-label">"Site"</span>
                        <select on:change=move |e| chosen.set(event_target_value(&e))>
                            {move || sites.get().into_iter().map(|(c, name)| view! { <option value=c.to_string()>{name}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <button type="button" class="small" on:click=mirror
                    title="A mirror under the bucket's own name in the site's domain, with mirror_direct: clients there read it locally">
                    "Mirror into site"
                </button>
            </Show>
        </fieldset>
    }
}
