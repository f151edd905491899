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
// The same figures as attribute text, written once for every stream instead of formatted per
// stream; the build fails if the geometry no longer says so.
const _: () = assert!(WIDTH == 228.0 && HEIGHT == 48.0);
const WIDTH_ATTR: &str = "228";
const HEIGHT_ATTR: &str = "48";
const MIDDLE_ATTR: &str = "24";
const REPLICAS_X: &str = "206";
const CONSUMERS_X: &str = "216";

/// What a stream shape shows of its stream, read from the design in one pass: the only
/// per-stream derived value, so that an edit elsewhere wakes nothing here.
#[derive(Clone, Default, PartialEq)]
struct Label {
    /// The stream's name.
    name: String,
    /// The second line (see [`summary`]).
    summary: String,
    /// `R1`, `R3`, ...
    replicas: String,
    account: String,
    /// The name shown: a bucket's own name for a bucket, else the stream's.
    shown: String,
    kind: Option<BucketKind>,
    consumers: usize,
}

/// Whether a link being drawn may be dropped on the stream (`Some(Err(why))` when refused),
/// while the pointer is over it.
fn drop_state(editor: crate::state::Editor, id: StreamId) -> Option<Result<(), String>> {
    if !editor.interaction.is_hovered(Shape::Stream(id)) {
        return None;
    }
    editor.interaction.gesture.with_untracked(|g| match g {
        Gesture::Connect { from: from @ Shape::Stream(_), at, kind } => {
            editor.with_design_untracked(|d| connection_at(d, *from, *at, *kind)).map(|c| c.map(|_| ()))
        }
        _ => None,
    })
}

/// A stream, drawn inside its cluster's group: the group is moved to the stream's place (one
/// `transform`, relative to its cluster), and everything in it has fixed coordinates, so that
/// drawing a stream sets its attributes once and moving one changes one attribute.
/// `origin` is the cluster's top left corner in the world (read only while the stream itself is
/// dragged, to follow the pointer); `index` its row.
///
/// A thousand of these are built when a page opens, so each costs few reactive nodes: one memo
/// (`label`, what the design says), and one effect per attribute or run of children that can
/// change. Selection, dragging and hovering are read straight from their keyed selectors, which
/// wake only the stream concerned; what depends on the bucket kind or the design (box corners,
/// mark, texts, consumer count) is one run of children drawn again (patched in place) when the
/// label changes.
#[component]
pub fn StreamShape(id: StreamId, origin: Memo<Point>, index: Signal<usize>) -> impl IntoView {
    let editor = use_editor();
    let label = Memo::new(move |_| {
        editor.with_design_of(Shape::Stream(id), |d| {
            d.stream(id)
                .map(|s| {
                    // A bucket shows the name clients open it by; its accessible name says what it is.
                    let (shown, kind) = match bucket::bucket_of(&s.config) {
                        Some(b) => (b.name.to_owned(), Some(b.kind)),
                        None => (s.config.name.clone(), None),
                    };
                    Label {
                        name: s.config.name.clone(),
                        summary: summary(&s.config),
                        replicas: format!("R{}", s.config.num_replicas.max(1)),
                        account: s.account.clone(),
                        shown,
                        kind,
                        // The consumer count badge (`consumers` in the inspector).
                        consumers: s.consumers.len(),
                    }
                })
                .unwrap_or_default()
        })
    });

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
                // The account filter dims the streams of the other accounts.
                let dimmed = label.with(|l| {
                    match l.kind {
                        Some(BucketKind::KeyValue) => class.push_str(" bucket kv"),
                        Some(BucketKind::ObjectStore) => class.push_str(" bucket object-store"),
                        None => {}
                    }
                    editor.view.is_dimmed(&l.account)
                });
                if editor.interaction.is_selected(Shape::Stream(id)) {
                    class.push_str(" selected");
                }
                if editor.interaction.is_dragging(id) {
                    class.push_str(" dragged");
                }
                if dimmed {
                    class.push_str(" dimmed");
                }
                match drop_state(editor, id) {
                    Some(Ok(())) => class.push_str(" drop-ok"),
                    Some(Err(_)) => class.push_str(" drop-refused"),
                    None => {}
                }
                class
            }
            // Where the stream's box is, relative to its cluster's top left corner; while the
            // stream itself is dragged, it follows the pointer.
            transform=move || {
                let home = geometry::stream_rect(Point::default(), index.get());
                let p = if editor.interaction.is_dragging(id) {
                    let o = origin.get();
                    let pointer = editor.interaction.drag_at();
                    let r = home.translate(Point::new(pointer.x - o.x - home.center().x, pointer.y - o.y - home.center().y));
                    Point::new(r.x, r.y)
                } else {
                    Point::new(home.x, home.y)
                };
                format!("translate({} {})", p.x, p.y)
            }
            role="group"
            aria-roledescription=move || label.with(|l| match l.kind {
                Some(BucketKind::KeyValue) => "key-value bucket",
                Some(BucketKind::ObjectStore) => "object store",
                None => "stream",
            })
            aria-label=move || label.with(|l| match l.kind {
                Some(kind) => format!("{} ({}, stream {})", l.shown, kind.noun(), l.name),
                None => l.name.clone(),
            })
            aria-selected=move || if editor.interaction.is_selected(Shape::Stream(id)) { "true" } else { "false" }
            tabindex="0"
            data-id=id.to_string()
            on:focus=move |_| if !editor.interaction.is_selected(Shape::Stream(id)) { editor.interaction.select(Shape::Stream(id), false) }
            on:pointerdown=on_down
        >
            // Why a drop here is refused, while a link is drawn onto the stream.
            {move || drop_state(editor, id).and_then(|r| r.err()).map(|why| view! { <title>{why}</title> })}
            // Everything the design decides, drawn as one run: drawn again (patched in place) when
            // the stream's label changes.
            {move || label.with(|l| {
                let bucket = l.kind.is_some();
                // A bucket's mark: a cylinder for key-value, a box with a lid for an object store.
                let mark = l.kind.map(|kind| {
                    let d = match kind {
                        BucketKind::KeyValue => "M10 11 a5 2 0 0 1 10 0 v10 a5 2 0 0 1 -10 0 z M10 11 a5 2 0 0 0 10 0",
                        BucketKind::ObjectStore => "M10 12 h10 v10 h-10 z M9 9 h12 v3 h-12 z",
                    };
                    view! { <path class="bucket-mark" d=d aria-hidden="true" /> }
                });
                let consumers = (l.consumers > 0).then(|| {
                    let n = l.consumers;
                    view! {
                        <text class="consumer-count" x=CONSUMERS_X y="38" text-anchor="end">
                            {format!("{n} consumer{}", if n == 1 { "" } else { "s" })}
                        </text>
                    }
                });
                view! {
                    <rect class="stream-box" x="0" y="0" width=WIDTH_ATTR height=HEIGHT_ATTR rx=if bucket { "2" } else { "8" } />
                    {mark}
                    <text class="stream-name" x=if bucket { "26" } else { "12" } y="20">{l.shown.clone()}</text>
                    <text class="stream-details" x="12" y="38">{l.summary.clone()}</text>
                    <text class="replicas" x=REPLICAS_X y="20" text-anchor="end">{l.replicas.clone()}</text>
                    {consumers}
                }
            })}
            <Badge target=Target::Stream(id) at=Point::new(WIDTH - 8.0, 8.0) />
            <circle
                class="handle stream-handle"
                cx=WIDTH_ATTR
                cy=MIDDLE_ATTR
                r="6"
                tabindex="0"
                role="button"
                aria-label=move || label.with(|l| format!("Copy {} into another stream", l.name))
                on:pointerdown=on_handle_down
                on:keydown=move |e: ev::KeyboardEvent| handle_key(editor, Shape::Stream(id), &e)
            >
                <title>"Drag to another stream: it sources this one (hold Alt for a mirror; keyboard: Enter, arrows, M, Enter)"</title>
            </circle>
        </g>
    }
}
