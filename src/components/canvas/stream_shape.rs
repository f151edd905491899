//! A stream: a box inside its cluster showing its name, subjects (or what it copies) and
//! replicas, a handle to draw a mirror or source from, and a badge with its worst problem.

use super::draw::{keep, num, set_title, svg, update, BadgeNode};
use super::handle_key;
use crate::model::bucket::{self, BucketKind};
use crate::model::geometry::{self, Point};
use crate::model::gesture::connection_at;
use crate::model::validate::Target;
use crate::model::{StreamConfig, StreamId};
use crate::state::actions;
use crate::state::{use_editor, Gesture, Shape};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;

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
/// (`label`, what the design says) and two updates that write straight into the DOM (see
/// `draw`): one for what the label and the problems decide (names, texts, bucket mark, consumer
/// count, badge), one for what the editor's state decides (class, place, selection, why a drop
/// is refused). Selection, dragging and hovering are read from their keyed selectors, which wake
/// only the stream concerned. One listener takes the events of the group and of its handle
/// (`on_event`).
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

    view! { <g use:draw_stream=(id, label, origin, index) /> }
}

/// The stream's one listener, for the events of its group and of its handle: a press on the
/// box selects the stream and starts moving it, a press on the handle starts drawing a mirror
/// or source from it, a key on the handle is the keyboard path of that, focusing the group
/// selects it.
fn on_event(editor: crate::state::Editor, id: StreamId, handle: &Element, e: web_sys::Event) {
    let on_handle =
        e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()).is_some_and(|t| handle.contains(Some(&t)));
    match e.type_().as_str() {
        // Focus does not bubble: this is the group's own.
        "focus" if !editor.interaction.is_selected(Shape::Stream(id)) => {
            editor.interaction.select(Shape::Stream(id), false);
        }
        "pointerdown" => {
            let e: ev::PointerEvent = e.unchecked_into();
            if on_handle {
                e.stop_propagation();
                let at = super::pointer_world(editor, &e);
                actions::begin_gesture(
                    editor,
                    Gesture::Connect { from: Shape::Stream(id), at, kind: actions::copy_kind(e.alt_key()) },
                );
            } else if e.button() == 0 {
                e.stop_propagation();
                editor.interaction.select(Shape::Stream(id), e.shift_key());
                let at = super::pointer_world(editor, &e);
                actions::begin_gesture(editor, Gesture::MoveStream { stream: id, at });
            }
        }
        "keydown" if on_handle => handle_key(editor, Shape::Stream(id), &e.unchecked_into()),
        _ => {}
    }
}

/// What a stream's label update last wrote.
#[derive(Default)]
struct LabelWritten {
    role: &'static str,
    aria: String,
    /// The handle's accessible name.
    handle: String,
    /// The kind of bucket drawn (box corners, mark, where the name starts).
    kind: Option<BucketKind>,
    mark: Option<Element>,
    shown: String,
    summary: String,
    replicas: String,
    consumers: Option<(Element, usize)>,
    badge: BadgeNode,
}

/// What a stream's state update last wrote.
#[derive(Default)]
struct StateWritten {
    class: String,
    transform: String,
    selected: &'static str,
    /// Why a drop here is refused, while a link is drawn onto the stream.
    title: Option<(Element, String)>,
}

/// Draws a stream into its group `g`: box, texts, bucket mark, consumer count, badge and, last,
/// the handle; keeps them and the group's own attributes up to date.
fn draw_stream(g: Element, (id, label, origin, index): (StreamId, Memo<Label>, Memo<Point>, Signal<usize>)) {
    let editor = use_editor();
    let _ = g.set_attribute("role", "group");
    let _ = g.set_attribute("tabindex", "0");
    let _ = g.set_attribute("data-id", &id.to_string());
    let rect =
        svg("rect", &[("class", "stream-box"), ("x", "0"), ("y", "0"), ("width", WIDTH_ATTR), ("height", HEIGHT_ATTR)]);
    let name = svg("text", &[("class", "stream-name"), ("y", "20")]);
    let details = svg("text", &[("class", "stream-details"), ("x", "12"), ("y", "38")]);
    let replicas = svg("text", &[("class", "replicas"), ("x", REPLICAS_X), ("y", "20"), ("text-anchor", "end")]);
    // The handle to draw a mirror or source from, last (over the rest).
    let handle = svg(
        "circle",
        &[
            ("class", "handle stream-handle"),
            ("cx", WIDTH_ATTR),
            ("cy", MIDDLE_ATTR),
            ("r", "6"),
            ("tabindex", "0"),
            ("role", "button"),
        ],
    );
    let hint = svg("title", &[]);
    hint.set_text_content(Some(
        "Drag to another stream: it sources this one (hold Alt for a mirror; keyboard: Enter, arrows, M, Enter)",
    ));
    let _ = handle.append_child(&hint);
    for e in [&rect, &name, &details, &replicas, &handle] {
        let _ = g.append_child(e);
    }
    {
        let handle = handle.clone();
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |e| on_event(editor, id, &handle, e));
        for event in ["pointerdown", "keydown", "focus"] {
            let _ = g.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
        // The listener lives as long as the shape.
        StoredValue::new_local(listener);
    }

    // Everything the design decides.
    {
        let g = g.clone();
        keep(RenderEffect::new(move |written: Option<LabelWritten>| {
            let first = written.is_none();
            let mut w = written.unwrap_or_default();
            label.with(|l| {
                let role = match l.kind {
                    Some(BucketKind::KeyValue) => "key-value bucket",
                    Some(BucketKind::ObjectStore) => "object store",
                    None => "stream",
                };
                if w.role != role {
                    let _ = g.set_attribute("aria-roledescription", role);
                    w.role = role;
                }
                let aria = match l.kind {
                    Some(kind) => format!("{} ({}, stream {})", l.shown, kind.noun(), l.name),
                    None => l.name.clone(),
                };
                update(&g, "aria-label", &mut w.aria, aria);
                update(&handle, "aria-label", &mut w.handle, format!("Copy {} into another stream", l.name));
                let bucket = l.kind.is_some();
                if first || w.kind.is_some() != bucket {
                    let _ = rect.set_attribute("rx", if bucket { "2" } else { "8" });
                    let _ = name.set_attribute("x", if bucket { "26" } else { "12" });
                }
                // A bucket's mark: a cylinder for key-value, a box with a lid for an object store.
                if first || w.kind != l.kind {
                    if let Some(mark) = w.mark.take() {
                        mark.remove();
                    }
                    w.mark = l.kind.map(|kind| {
                        let d = match kind {
                            BucketKind::KeyValue => {
                                "M10 11 a5 2 0 0 1 10 0 v10 a5 2 0 0 1 -10 0 z M10 11 a5 2 0 0 0 10 0"
                            }
                            BucketKind::ObjectStore => "M10 12 h10 v10 h-10 z M9 9 h12 v3 h-12 z",
                        };
                        let mark = svg("path", &[("class", "bucket-mark"), ("d", d), ("aria-hidden", "true")]);
                        let _ = rect.after_with_node_1(&mark);
                        mark
                    });
                    w.kind = l.kind;
                }
                for (e, last, new) in [
                    (&name, &mut w.shown, &l.shown),
                    (&details, &mut w.summary, &l.summary),
                    (&replicas, &mut w.replicas, &l.replicas),
                ] {
                    if first || last != new {
                        e.set_text_content(Some(new));
                        last.clone_from(new);
                    }
                }
                let n = l.consumers;
                if w.consumers.as_ref().map_or(0, |(_, count)| *count) != n {
                    if let Some((e, _)) = w.consumers.take() {
                        e.remove();
                    }
                    if n > 0 {
                        let e = svg(
                            "text",
                            &[("class", "consumer-count"), ("x", CONSUMERS_X), ("y", "38"), ("text-anchor", "end")],
                        );
                        e.set_text_content(Some(&format!("{n} consumer{}", if n == 1 { "" } else { "s" })));
                        let _ = replicas.after_with_node_1(&e);
                        w.consumers = Some((e, n));
                    }
                }
            });
            w.badge.show(&g, Some(&handle), editor.doc.worst(&Target::Stream(id)), Point::new(WIDTH - 8.0, 8.0));
            w
        }));
    }

    // Everything the editor's state decides.
    keep(RenderEffect::new(move |written: Option<StateWritten>| {
        let mut w = written.unwrap_or_default();
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
        let selected = editor.interaction.is_selected(Shape::Stream(id));
        let dragging = editor.interaction.is_dragging(id);
        if selected {
            class.push_str(" selected");
        }
        if dragging {
            class.push_str(" dragged");
        }
        if dimmed {
            class.push_str(" dimmed");
        }
        let drop = drop_state(editor, id);
        match &drop {
            Some(Ok(())) => class.push_str(" drop-ok"),
            Some(Err(_)) => class.push_str(" drop-refused"),
            None => {}
        }
        update(&g, "class", &mut w.class, class);
        // Where the stream's box is, relative to its cluster's top left corner; while the
        // stream itself is dragged, it follows the pointer.
        let home = geometry::stream_rect(Point::default(), index.get());
        let p = if dragging {
            let o = origin.get();
            let pointer = editor.interaction.drag_at();
            let r = home.translate(Point::new(pointer.x - o.x - home.center().x, pointer.y - o.y - home.center().y));
            Point::new(r.x, r.y)
        } else {
            Point::new(home.x, home.y)
        };
        update(&g, "transform", &mut w.transform, format!("translate({} {})", num(p.x), num(p.y)));
        let selected = if selected { "true" } else { "false" };
        if w.selected != selected {
            let _ = g.set_attribute("aria-selected", selected);
            w.selected = selected;
        }
        // Why a drop here is refused, while a link is drawn onto the stream.
        set_title(&g, &mut w.title, drop.and_then(Result::err));
        w
    }));
}
