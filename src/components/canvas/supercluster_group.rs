//! Each supercluster drawn as one group: a rounded outline around its clusters, under them,
//! labelled with its clusters' names and its JetStream domain (`model::gateway`). The outline
//! follows a cluster while it is dragged.

use crate::model::gateway::{supercluster_label, supercluster_outline, superclusters};
use crate::model::ClusterId;
use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn Superclusters() -> impl IntoView {
    let editor = use_editor();
    let groups = Memo::new(move |_| editor.with_design(superclusters));
    view! {
        <g class="superclusters">
            <For each=move || groups.get() key=|members| members.clone() let:members>
                <SuperclusterGroup members />
            </For>
        </g>
    }
}

#[component]
fn SuperclusterGroup(members: Vec<ClusterId>) -> impl IntoView {
    let editor = use_editor();
    let label = {
        let members = members.clone();
        Memo::new(move |_| editor.with_design(|d| supercluster_label(d, &members)))
    };
    let outline = Memo::new(move |_| {
        let layout = editor.doc.layout();
        layout.with(|l| {
            supercluster_outline(
                members
                    .iter()
                    .filter_map(|id| l.cluster_rect(*id).map(|r| r.translate(editor.interaction.preview_offset(*id)))),
            )
        })
    });
    move || {
        outline.get().map(|r| {
            view! {
                <g class="supercluster" role="group" aria-roledescription="supercluster" aria-label=move || label.get()>
                    <rect class="supercluster-box" x=r.x y=r.y width=r.width height=r.height rx="22" />
                    <text class="supercluster-label" x=r.x + 16.0 y=r.y + 24.0>{move || label.get()}</text>
                </g>
            }
        })
    }
}
