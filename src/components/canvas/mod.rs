//! The SVG canvas: clusters with their streams, and the links between them.
//!
//! Each shape derives its own memos from the design, so a change to one cluster re-renders
//! that cluster's shape only.

mod cluster_shape;
mod link_edge;
mod stream_shape;

use crate::state::use_editor;
use cluster_shape::ClusterShape;
use leptos::prelude::*;
use link_edge::LinkEdge;

/// Space around the design inside the view.
const VIEW_MARGIN: f64 = 48.0;

#[component]
pub fn Canvas() -> impl IntoView {
    let editor = use_editor();
    let view_box = Memo::new(move |_| {
        let r = editor.with_design(|d| d.bounds()).inflate(VIEW_MARGIN);
        format!("{:.0} {:.0} {:.0} {:.0}", r.x, r.y, r.width, r.height)
    });
    let cluster_ids = Memo::new(move |_| editor.with_design(|d| d.clusters().map(|(id, _)| id).collect::<Vec<_>>()));
    let links = Memo::new(move |_| editor.with_design(|d| d.links()));

    view! {
        <Legend />
        <svg
            class="canvas"
            role="application"
            aria-label="Topology canvas"
            viewBox=view_box
            preserveAspectRatio="xMidYMid meet"
        >
            <defs>
                <marker id="arrow-mirror" class="arrow mirror" viewBox="0 0 10 10" refX="9" refY="5"
                    markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0 L10 5 L0 10 z" />
                </marker>
                <marker id="arrow-source" class="arrow source" viewBox="0 0 10 10" refX="9" refY="5"
                    markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0 L10 5 L0 10 z" />
                </marker>
                <pattern id="grid" width="24" height="24" patternUnits="userSpaceOnUse">
                    <circle cx="1" cy="1" r="1" class="grid-dot" />
                </pattern>
            </defs>
            <rect class="background" x="-100000" y="-100000" width="200000" height="200000" fill="url(#grid)" />
            <g class="clusters">
                <For each=move || cluster_ids.get() key=|id| *id let:id>
                    <ClusterShape id />
                </For>
            </g>
            <g class="links">
                <For each=move || links.get() key=|link| link.key() let:link>
                    <LinkEdge link />
                </For>
            </g>
        </svg>
    }
}

/// What the three kinds of line mean.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label="Legend">
            <li>
                <svg viewBox="0 0 28 8" aria-hidden="true"><path class="leafnode" d="M0 4 H28" /></svg>
                "leafnode"
            </li>
            <li>
                <svg viewBox="0 0 28 8" aria-hidden="true"><path class="mirror" d="M0 4 H28" /></svg>
                "mirror"
            </li>
            <li>
                <svg viewBox="0 0 28 8" aria-hidden="true"><path class="source" d="M0 4 H28" /></svg>
                "source"
            </li>
        </ul>
    }
}
