//! Each supercluster drawn as one group: a rounded outline around its clusters, under them,
//! labelled with its clusters' names and its JetStream domain (`model::gateway`). The outline
//! follows a cluster while it is dragged.

use crate::model::gateway::{supercluster_label, superclusters};
use crate::model::geometry::Rect;
use crate::model::ClusterId;
use crate::state::use_editor;
use leptos::prelude::*;

/// Space between the clusters and the outline; above them, room for the label.
const PAD: f64 = 18.0;
const LABEL_ROOM: f64 = 30.0;

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
        let union = layout.with(|l| {
            members
                .iter()
                .filter_map(|id| l.cluster_rect(*id).map(|r| r.translate(editor.interaction.preview_offset(*id))))
                .reduce(|a, b| a.union(&b))
        })?;
        Some(Rect {
            x: union.x - PAD,
            y: union.y - PAD - LABEL_ROOM,
            width: union.width + 2.0 * PAD,
            height: union.height + 2.0 * PAD + LABEL_ROOM,
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
