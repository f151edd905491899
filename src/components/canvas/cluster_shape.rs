//! A cluster: a rounded box with a header (name, role, domain, servers) holding its streams,
//! a handle to draw a leafnode from, and a badge with its worst problem.

use super::stream_shape::StreamShape;
use super::{handle_key, Badge};
use crate::model::geometry::{Point, CLUSTER_HEADER, CLUSTER_WIDTH};
use crate::model::gesture::connection_at;
use crate::model::validate::Target;
use crate::model::ClusterId;
use crate::state::actions;
use crate::state::{use_editor, Gesture, Shape};
use leptos::ev;
use leptos::prelude::*;

/// What the shape shows, derived once per change of its cluster.
#[derive(Clone, PartialEq, Default)]
struct Header {
    name: String,
    role: &'static str,
    details: String,
}

#[component]
pub fn ClusterShape(id: ClusterId) -> impl IntoView {
    let editor = use_editor();
    let base =
        Memo::new(move |_| editor.with_design_of(Shape::Cluster(id), |d| d.cluster_rect(id).unwrap_or_default()));
    // The group is placed by one transform at the cluster's origin. A drag does not change it:
    // the canvas' drag overlay moves a copy (see `Canvas`).
    let origin = Memo::new(move |_| {
        let r = base.get();
        Point::new(r.x, r.y)
    });
    // Only the box's height changes with the design (its streams): the rest is drawn at fixed
    // coordinates in the group, which the origin moves.
    let height = Memo::new(move |_| base.get().height);
    let header = Memo::new(move |_| {
        editor.with_design_of(Shape::Cluster(id), |d| {
            d.cluster(id)
                .map(|c| {
                    let domain = c.domain().map_or_else(|| "no domain".to_owned(), |d| format!("domain {d}"));
                    let servers = if c.servers == 1 { "1 server".to_owned() } else { format!("{} servers", c.servers) };
                    let js = if c.jetstream { "" } else { " · no JetStream" };
                    Header {
                        name: c.name.clone(), role: c.role.as_str(), details: format!("{domain} · {servers}{js}")
                    }
                })
                .unwrap_or_default()
        })
    });
    let streams = Memo::new(move |_| {
        editor.with_design_of(Shape::Cluster(id), |d| d.streams_in(id).map(|s| s.id).collect::<Vec<_>>())
    });
    let selected = Memo::new(move |_| editor.interaction.is_selected(Shape::Cluster(id)));
    // While a leafnode is drawn or a stream dragged, say whether this cluster takes it.
    let drop_state = Memo::new(move |_| {
        if !editor.interaction.is_hovered(Shape::Cluster(id)) {
            return None;
        }
        editor.interaction.gesture.with_untracked(|g| match g {
            Gesture::Connect { from: from @ Shape::Cluster(_), at, kind } => {
                editor.with_design_untracked(|d| connection_at(d, *from, *at, *kind)).map(|c| c.map(|_| ()))
            }
            Gesture::MoveStream { .. } => Some(Ok(())),
            _ => None,
        })
    });
    let name = move || header.with(|h| h.name.clone());
    let role = move || header.with(|h| h.role);

    let on_down = move |e: ev::PointerEvent| {
        if e.button() != 0 {
            return;
        }
        e.stop_propagation();
        let at = super::pointer_world(editor, &e);
        actions::press_cluster(editor, id, at, e.shift_key());
    };
    let on_handle_down = move |e: ev::PointerEvent| {
        e.stop_propagation();
        let at = super::pointer_world(editor, &e);
        actions::begin_gesture(
            editor,
            Gesture::Connect { from: Shape::Cluster(id), at, kind: actions::copy_kind(false) },
        );
    };

    // The header: a rounded top over the box's width.
    let header_path = format!(
        "M0 {y2} V{r} Q0 0 {r} 0 H{x2} Q{w} 0 {w} {r} V{y2} Z",
        r = 14.0,
        x2 = CLUSTER_WIDTH - 14.0,
        w = CLUSTER_WIDTH,
        y2 = CLUSTER_HEADER,
    );

    view! {
        <g
            class=move || {
                let mut class = format!("cluster {}", role());
                if selected.get() {
                    class.push_str(" selected");
                }
                match drop_state.get() {
                    Some(Ok(())) => class.push_str(" drop-ok"),
                    Some(Err(_)) => class.push_str(" drop-refused"),
                    None => {}
                }
                class
            }
            transform=move || origin.with(|o| format!("translate({} {})", o.x, o.y))
            role="group"
            aria-roledescription="cluster"
            aria-label=name
            aria-selected=move || selected.get().to_string()
            tabindex="0"
            data-id=id.to_string()
            on:focus=move |_| if !editor.interaction.is_selected(Shape::Cluster(id)) { editor.interaction.select(Shape::Cluster(id), false) }
        >
            // Why a drop here is refused, while a leafnode is drawn onto the cluster.
            {move || drop_state.get().and_then(|r| r.err()).map(|why| view! { <title>{why}</title> })}
            <rect
                class="cluster-box"
                x="0"
                y="0"
                width=CLUSTER_WIDTH
                height=move || height.get()
                rx="14"
                on:pointerdown=on_down
            />
            <path class="cluster-header" d=header_path on:pointerdown=on_down />
            <text class="role-badge" x=CLUSTER_WIDTH - 16.0 y="26" text-anchor="end">
                {move || role().to_uppercase()}
            </text>
            <text class="cluster-name" x="16" y="28">
                {name}
            </text>
            <text class="cluster-details" x="16" y="50">
                {move || header.with(|h| h.details.clone())}
            </text>
            <Badge target=Target::Cluster(id) at=Point::new(CLUSTER_WIDTH - 6.0, 6.0) />
            <For each=move || streams.get() key=|id| *id let:stream>
                <StreamShape
                    id=stream
                    origin
                    index=Signal::derive(move || streams.with(|s| s.iter().position(|x| *x == stream).unwrap_or(0)))
                />
            </For>
            <circle
                class="handle leafnode-handle"
                cx=CLUSTER_WIDTH
                cy=CLUSTER_HEADER / 2.0
                r="7"
                tabindex="0"
                role="button"
                aria-label=move || format!("Connect {} to a hub", name())
                on:pointerdown=on_handle_down
                on:keydown=move |e: ev::KeyboardEvent| handle_key(editor, Shape::Cluster(id), &e)
            >
                <title>"Drag to a hub to connect a leafnode (keyboard: Enter, arrows, Enter)"</title>
            </circle>
        </g>
    }
}
