//! A link: a leafnode between clusters, or a mirror/source between streams, with its label.

use crate::model::{Link, LinkKind};
use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn LinkEdge(link: Link) -> impl IntoView {
    let editor = use_editor();
    let kind = link.kind();
    let route = {
        let link = link.clone();
        Memo::new(move |_| editor.with_design(|d| d.link_route(&link)))
    };
    // The accessible name says what connects to what, as a person would read the drawing.
    let names = {
        let link = link.clone();
        Memo::new(move |_| {
            editor.with_design(|d| match &link {
                Link::Leafnode { from, to, account, .. } => {
                    let name = |id| d.cluster(id).map(|c| c.name.clone()).unwrap_or_default();
                    let via = account.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
                    (format!("{} to {}{via}", name(*from), name(*to)), account.clone().unwrap_or_default())
                }
                Link::Stream { origin, copy, api, .. } => {
                    let name = |id| d.stream(id).map(|s| s.config.name.clone()).unwrap_or_default();
                    let verb = if kind == LinkKind::Mirror { "mirrors" } else { "sources" };
                    let label = api.clone().unwrap_or_default();
                    (format!("{} {verb} {}", name(*copy), name(*origin)), label)
                }
            })
        })
    };
    let class = match kind {
        LinkKind::Leafnode => "link leafnode",
        LinkKind::Mirror => "link mirror",
        LinkKind::Source => "link source",
    };
    let marker = match kind {
        LinkKind::Leafnode => None,
        LinkKind::Mirror => Some("url(#arrow-mirror)"),
        LinkKind::Source => Some("url(#arrow-source)"),
    };

    view! {
        <g class=class role="group" aria-roledescription=kind.role_description() aria-label=move || names.get().0>
            <path class="link-line" d=move || route.get().map(|r| r.route.svg_path()).unwrap_or_default() marker-end=marker />
            <text
                class="link-label"
                x=move || route.get().map_or(0.0, |r| r.label.x)
                y=move || route.get().map_or(0.0, |r| r.label.y - 6.0)
                text-anchor="middle"
            >
                {move || names.get().1}
            </text>
        </g>
    }
}
