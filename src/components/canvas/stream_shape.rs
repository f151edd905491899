//! A stream: a box inside its cluster showing its name, subjects (or what it copies) and
//! replicas, a handle to draw a mirror or source from, and a badge with its worst problem.

use super::{handle_key, Badge};
use crate::model::bucket::{self, BucketKind};
use crate::model::geometry::{self, Point};
use crate::model::gesture::connection_at;
use crate::model::validate::Target;
use crate::model::{StreamConfig, StreamId};
use crate::state::actions;
use crate::state::{use_editor, Gesture, Shape};
use leptos::ev;
use leptos::prelude::*;

/// The second line of a stream shape: its subjects, or where it copies from; for a bucket, its
/// kind (and what it mirrors).
fn summary(config: &StreamConfig) -> String {
    if let Some(b) = bucket::bucket_of(config) {
        let origin = config.mirror.as_ref().and_then(|m| bucket::bucket_of_name(&m.name));
        return match (b.kind, origin) {
            (BucketKind::KeyValue, Some(o)) => format!("key-value, mirror of {}", o.name),
            (BucketKind::ObjectStore, Some(o)) => format!("object store, mirror of {}", o.name),
            (BucketKind::KeyValue, None) => match config.sources.len() {
                0 => "key-value".to_owned(),
                1 => "key-value, 1 source".to_owned(),
                n => format!("key-value, {n} sources"),
            },
            (BucketKind::ObjectStore, None) => "object store".to_owned(),
        };
    }
    if let Some(mirror) = &config.mirror {
        return format!("mirror of {}", mirror.name);
    }
    if !config.subjects.is_empty() {
        return config.subjects.join(", ");
    }
    match config.sources.len() {
        0 => "no subjects".to_owned(),
        1 => "1 source".to_owned(),
        n => format!("{n} sources"),
    }
}

/// A stream box's size (every stream's is the same).
const WIDTH: f64 = geometry::CLUSTER_WIDTH - 2.0 * geometry::STREAM_INSET;
const HEIGHT: f64 = geometry::STREAM_HEIGHT;

/// A stream, drawn inside its cluster's group: the group is moved to the stream's place (one
/// `transform`, relative to its cluster), and everything in it has fixed coordinates, so that
/// drawing a stream sets its attributes once and moving one changes one attribute.
/// `origin` is the cluster's top left corner in the world (read only while the stream itself is
/// dragged, to follow the pointer); `index` its row.
#[component]
pub fn StreamShape(id: StreamId, origin: Memo<Point>, index: Signal<usize>) -> impl IntoView {
    let editor = use_editor();
    // While the stream itself is dragged, it follows the pointer.
    let dragged = Memo::new(move |_| editor.interaction.is_dragging(id));
    // Where the stream's box is, relative to its cluster's top left corner.
    let at = Memo::new(move |_| {
        let home = geometry::stream_rect(Point::default(), index.get());
        if dragged.get() {
            let o = origin.get();
            let pointer = editor.interaction.drag_at();
            let r = home.translate(Point::new(pointer.x - o.x - home.center().x, pointer.y - o.y - home.center().y));
            Point::new(r.x, r.y)
        } else {
            Point::new(home.x, home.y)
        }
    });
    let label = Memo::new(move |_| {
        editor.with_design_of(Shape::Stream(id), |d| {
            d.stream(id)
                .map(|s| {
                    let replicas = format!("R{}", s.config.num_replicas.max(1));
                    // A bucket shows the name clients open it by; its accessible name says what it is.
                    let (shown, kind) = match bucket::bucket_of(&s.config) {
                        Some(b) => (b.name.to_owned(), Some(b.kind)),
                        None => (s.config.name.clone(), None),
                    };
                    (s.config.name.clone(), summary(&s.config), replicas, s.account.clone(), shown, kind)
                })
                .unwrap_or_default()
        })
    });
    // The consumer count badge (`consumers` in the inspector).
    let consumer_count =
        Memo::new(move |_| editor.with_design_of(Shape::Stream(id), |d| d.stream(id).map_or(0, |s| s.consumers.len())));
    // The account filter dims the streams of the other accounts.
    let dimmed = Memo::new(move |_| label.with(|l| editor.view.is_dimmed(&l.3)));
    let selected = Memo::new(move |_| editor.interaction.is_selected(Shape::Stream(id)));
    let drop_state = Memo::new(move |_| {
        if !editor.interaction.is_hovered(Shape::Stream(id)) {
            return None;
        }
        editor.interaction.gesture.with_untracked(|g| match g {
            Gesture::Connect { from: from @ Shape::Stream(_), at, kind } => {
                editor.with_design_untracked(|d| connection_at(d, *from, *at, *kind)).map(|c| c.map(|_| ()))
            }
            _ => None,
        })
    });
    let kind = Memo::new(move |_| label.with(|l| l.5));

    let on_down = move |e: ev::PointerEvent| {
        if e.button() != 0 {
            return;
        }
        e.stop_propagation();
        editor.interaction.select(Shape::Stream(id), e.shift_key());
        let at = super::pointer_world(editor, &e);
        actions::begin_gesture(editor, Gesture::MoveStream { stream: id, at });
    };
    let on_handle_down = move |e: ev::PointerEvent| {
        e.stop_propagation();
        let at = super::pointer_world(editor, &e);
        actions::begin_gesture(
            editor,
            Gesture::Connect { from: Shape::Stream(id), at, kind: actions::copy_kind(e.alt_key()) },
        );
    };

    view! {
        <g
            class=move || {
                let mut class = String::from("stream");
                match kind.get() {
                    Some(BucketKind::KeyValue) => class.push_str(" bucket kv"),
                    Some(BucketKind::ObjectStore) => class.push_str(" bucket object-store"),
                    None => {}
                }
                if selected.get() {
                    class.push_str(" selected");
                }
                if dragged.get() {
                    class.push_str(" dragged");
                }
                if dimmed.get() {
                    class.push_str(" dimmed");
                }
                match drop_state.get() {
                    Some(Ok(())) => class.push_str(" drop-ok"),
                    Some(Err(_)) => class.push_str(" drop-refused"),
                    None => {}
                }
                class
            }
            transform=move || at.with(|p| format!("translate({} {})", p.x, p.y))
            role="group"
            aria-roledescription=move || match kind.get() {
                Some(BucketKind::KeyValue) => "key-value bucket",
                Some(BucketKind::ObjectStore) => "object store",
                None => "stream",
            }
            aria-label=move || label.with(|l| match l.5 {
                Some(kind) => format!("{} ({}, stream {})", l.4, kind.noun(), l.0),
                None => l.0.clone(),
            })
            aria-selected=move || selected.get().to_string()
            tabindex="0"
            data-id=id.to_string()
            on:focus=move |_| if !editor.interaction.is_selected(Shape::Stream(id)) { editor.interaction.select(Shape::Stream(id), false) }
            on:pointerdown=on_down
        >
            // Why a drop here is refused, while a link is drawn onto the stream.
            {move || drop_state.get().and_then(|r| r.err()).map(|why| view! { <title>{why}</title> })}
            <rect class="stream-box" x="0" y="0" width=WIDTH height=HEIGHT rx=move || if kind.get().is_some() { "2" } else { "8" } />
            // A bucket's mark: a cylinder for key-value, a box with a lid for an object store.
            {move || kind.get().map(|kind| {
                let d = match kind {
                    BucketKind::KeyValue => "M10 11 a5 2 0 0 1 10 0 v10 a5 2 0 0 1 -10 0 z M10 11 a5 2 0 0 0 10 0",
                    BucketKind::ObjectStore => "M10 12 h10 v10 h-10 z M9 9 h12 v3 h-12 z",
                };
                view! { <path class="bucket-mark" d=d aria-hidden="true" /> }
            })}
            <text class="stream-name" x=move || if kind.get().is_some() { "26" } else { "12" } y="20">
                {move || label.with(|l| l.4.clone())}
            </text>
            <text class="stream-details" x="12" y="38">
                {move || label.with(|l| l.1.clone())}
            </text>
            <text class="replicas" x=WIDTH - 22.0 y="20" text-anchor="end">
                {move || label.with(|l| l.2.clone())}
            </text>
            <Show when=move || { consumer_count.get() > 0 }>
                <text class="consumer-count" x=WIDTH - 12.0 y="38" text-anchor="end">
                    {move || {
                        let n = consumer_count.get();
                        format!("{n} consumer{}", if n == 1 { "" } else { "s" })
                    }}
                </text>
            </Show>
            <Badge target=Target::Stream(id) at=Point::new(WIDTH - 8.0, 8.0) />
            <circle
                class="handle stream-handle"
                cx=WIDTH
                cy=HEIGHT / 2.0
                r="6"
                tabindex="0"
                role="button"
                aria-label=move || label.with(|l| format!("Copy {} into another stream", l.0))
                on:pointerdown=on_handle_down
                on:keydown=move |e: ev::KeyboardEvent| handle_key(editor, Shape::Stream(id), &e)
            >
                <title>"Drag to another stream: it sources this one (hold Alt for a mirror; keyboard: Enter, arrows, M, Enter)"</title>
            </circle>
        </g>
    }
}
