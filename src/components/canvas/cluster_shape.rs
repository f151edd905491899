//! A cluster: a rounded box with a header (name, role, domain, servers) holding its streams.

use super::stream_shape::StreamShape;
use crate::model::{geometry::CLUSTER_HEADER, ClusterId};
use crate::state::use_editor;
use leptos::prelude::*;

/// What the shape shows, derived once per change of its cluster.
#[derive(Clone, PartialEq)]
struct Header {
    name: String,
    role: &'static str,
    details: String,
}

#[component]
pub fn ClusterShape(id: ClusterId) -> impl IntoView {
    let editor = use_editor();
    let rect = Memo::new(move |_| editor.with_design(|d| d.cluster_rect(id).unwrap_or_default()));
    let header = Memo::new(move |_| {
        editor.with_design(|d| {
            d.cluster(id).map(|c| {
                let domain = c.domain().map_or_else(|| "no domain".to_owned(), |d| format!("domain {d}"));
                let servers = if c.servers == 1 { "1 server".to_owned() } else { format!("{} servers", c.servers) };
                let js = if c.jetstream { "" } else { " · no JetStream" };
                Header { name: c.name.clone(), role: c.role.as_str(), details: format!("{domain} · {servers}{js}") }
            })
        })
    });
    let streams = Memo::new(move |_| editor.with_design(|d| d.streams_in(id).map(|s| s.id).collect::<Vec<_>>()));
    let name = move || header.with(|h| h.as_ref().map(|h| h.name.clone()).unwrap_or_default());
    let role = move || header.with(|h| h.as_ref().map_or("", |h| h.role));

    view! {
        <g
            class=move || format!("cluster {}", role())
            role="group"
            aria-roledescription="cluster"
            aria-label=name
            tabindex="0"
        >
            <rect
                class="cluster-box"
                x=move || rect.get().x
                y=move || rect.get().y
                width=move || rect.get().width
                height=move || rect.get().height
                rx="14"
            />
            <path
                class="cluster-header"
                d=move || {
                    let r = rect.get();
                    format!(
                        "M{x} {y2} V{y1} Q{x} {y} {x1} {y} H{x2} Q{xr} {y} {xr} {y1} V{y2} Z",
                        x = r.x, y = r.y, x1 = r.x + 14.0, x2 = r.right() - 14.0, xr = r.right(),
                        y1 = r.y + 14.0, y2 = r.y + CLUSTER_HEADER,
                    )
                }
            />
            <text class="role-badge" x=move || rect.get().right() - 16.0 y=move || rect.get().y + 26.0 text-anchor="end">
                {move || role().to_uppercase()}
            </text>
            <text class="cluster-name" x=move || rect.get().x + 16.0 y=move || rect.get().y + 28.0>
                {name}
            </text>
            <text class="cluster-details" x=move || rect.get().x + 16.0 y=move || rect.get().y + 50.0>
                {move || header.with(|h| h.as_ref().map(|h| h.details.clone()).unwrap_or_default())}
            </text>
            <For each=move || streams.get() key=|id| *id let:stream>
                <StreamShape id=stream />
            </For>
        </g>
    }
}
