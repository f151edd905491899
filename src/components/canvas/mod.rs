//! The SVG canvas: clusters with their streams, the links between them, and every pointer
//! gesture (pan, zoom, move, select, connect, drop from the palette).
//!
//! Gestures only change `Editor::gesture` while they last; releasing dispatches one command,
//! so one drag is one undo step. Each shape derives its own memos, so moving one cluster
//! re-renders that cluster, its streams and its links only.

mod cluster_shape;
mod link_edge;
mod pinch;
mod stream_shape;

use super::app::{use_ui, Dialog, Ui};
use crate::fanout::Fanout;
use crate::model::command::Command;
use crate::model::edit::{self, CopyKind};
use crate::model::geometry::{cluster_rect, Insets, Point, Rect, Viewport, CLUSTER_WIDTH, STREAM_HEIGHT};
use crate::model::LinkRoute;
use crate::model::{ClusterId, Role};
use crate::state::{use_editor, Editor, Gesture, Shape};
use cluster_shape::ClusterShape;
use leptos::ev;
use leptos::prelude::*;
use link_edge::LinkEdge;
use std::collections::HashMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Space around the design when fitting it into the view, in screen pixels.
const FIT_MARGIN: f64 = 32.0;
/// Space between a fitted design and the overlays on the canvas, in screen pixels.
const OVERLAY_GAP: f64 = 12.0;
/// The zoom at which search and problems show an element: its names are readable.
pub const READABLE_ZOOM: f64 = 0.75;
/// The data type palette items carry while dragged.
pub const PALETTE_TYPE: &str = "application/x-nats-topology-shape";
/// A second data type naming the kind (`...-hub`): while dragging, only types can be read.
pub const PALETTE_KIND_TYPE: &str = "application/x-nats-topology-kind-";
/// Below this zoom the canvas drops its small text (see `.canvas.far` in the stylesheet).
const FAR_ZOOM: f64 = 0.35;
/// Below this zoom the canvas draws no text at all (the names would be under 4 px tall).
const TINY_ZOOM: f64 = 0.25;
/// Zoom step of the wheel and the +/− buttons.
pub const ZOOM_STEP: f64 = 1.2;

/// The pointer's position in canvas (screen) pixels.
fn screen_point(svg: &web_sys::Element, client_x: i32, client_y: i32) -> Point {
    let r = svg.get_bounding_client_rect();
    Point::new(client_x as f64 - r.left(), client_y as f64 - r.top())
}

/// What the overlays on the canvas (legend, view controls, minimap, message) cover, as the
/// cheapest side of the screen to keep clear for each: a bar along the bottom keeps the bottom
/// clear, the minimap in a corner the side that costs less room.
pub fn overlay_insets() -> Insets {
    let mut insets = Insets { top: FIT_MARGIN, right: FIT_MARGIN, bottom: FIT_MARGIN, left: FIT_MARGIN };
    let Some(svg) = canvas_element() else { return insets };
    let c = svg.get_bounding_client_rect();
    let (w, h) = (c.width(), c.height());
    if w <= 0.0 || h <= 0.0 {
        return insets;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return insets };
    let Ok(list) = document.query_selector_all(
        ".canvas-area .legend, .canvas-area .view-controls, .canvas-area .minimap-dock > *, .canvas-area .banner",
    ) else {
        return insets;
    };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let r = el.get_bounding_client_rect();
        if r.width() <= 0.0 || r.height() <= 0.0 {
            continue;
        }
        let top = r.bottom() - c.top() + OVERLAY_GAP;
        let bottom = c.bottom() - r.top() + OVERLAY_GAP;
        let left = r.right() - c.left() + OVERLAY_GAP;
        let right = c.right() - r.left() + OVERLAY_GAP;
        let cheapest = [top / h, bottom / h, left / w, right / w]
            .into_iter()
            .enumerate()
            .fold((0, f64::INFINITY), |best, (side, cost)| if cost < best.1 { (side, cost) } else { best });
        match cheapest.0 {
            0 => insets.top = insets.top.max(top),
            1 => insets.bottom = insets.bottom.max(bottom),
            2 => insets.left = insets.left.max(left),
            _ => insets.right = insets.right.max(right),
        }
    }
    insets
}

/// Fits the whole design into the part of the view that no overlay covers.
pub fn fit(editor: Editor) {
    let bounds = editor.with_design_untracked(|d| d.bounds());
    let (w, h) = editor.screen.get_untracked();
    let view = Viewport::fit_within(bounds, w, h, overlay_insets());
    editor.viewport.set(view);
    editor.last_fit.set_value(Some(view));
}

/// Fits the design once the page has drawn what changed (a new design, a message shown).
pub fn fit_soon(editor: Editor) {
    request_animation_frame(move || fit(editor));
}

/// Selects `shape`, and shows it at a readable size in the part of the view no overlay covers.
pub fn show_shape(editor: Editor, shape: Shape) {
    editor.selection.set([shape].into());
    let rect = editor.with_design_untracked(|d| match shape {
        Shape::Cluster(c) => d.cluster_rect(c),
        Shape::Stream(s) => d.stream_rect(s),
    });
    if let Some(rect) = rect {
        let (w, h) = editor.screen.get_untracked();
        editor.viewport.set(Viewport::focus(rect.inflate(16.0), w, h, overlay_insets(), READABLE_ZOOM));
    }
}

/// Where a new cluster goes for a drop at `at` (world units): centred on it, and moved inside
/// the visible part of the world when it would stick out.
pub fn cluster_origin_for(editor: Editor, at: Point) -> Point {
    let size = cluster_rect(Point::default(), 0);
    let (w, h) = editor.screen.get_untracked();
    let view = editor.viewport.get_untracked();
    let visible = view.visible(w, h);
    let margin = 12.0 / view.zoom;
    let inside = |start: f64, size: f64, lo: f64, span: f64| {
        let hi = lo + span - size - margin;
        let lo = lo + margin;
        if hi < lo {
            lo
        } else {
            start.clamp(lo, hi)
        }
    };
    Point::new(
        inside(at.x - size.width / 2.0, size.width, visible.x, visible.width),
        inside(at.y - size.height / 2.0, size.height, visible.y, visible.height),
    )
}

/// Creates a shape from the palette centred at `at` (world units), as one command. A stream
/// goes into the cluster under `at`, else the selected one; with neither, the user is asked.
pub fn create(editor: Editor, ui: Ui, kind: &str, at: Point) {
    match kind {
        "hub" | "spoke" => {
            let mut at = editor.snapped(cluster_origin_for(editor, at));
            // Clicking the palette twice must not stack clusters: step aside from occupied spots.
            for _ in 0..50 {
                let corner = Point::new(at.x + 8.0, at.y + 8.0);
                if editor.with_design_untracked(|d| edit::cluster_at(d, corner)).is_none() {
                    break;
                }
                at = Point::new(at.x + 48.0, at.y + 48.0);
            }
            let role = if kind == "hub" { Role::Hub } else { Role::Spoke };
            let cluster = editor.with_design_untracked(|d| edit::new_cluster(d, role, at));
            let before: Vec<_> = editor.with_design_untracked(|d| d.clusters().map(|(id, _)| id).collect());
            if editor.dispatch(Command::AddCluster { cluster: Box::new(cluster) }) {
                let added =
                    editor.with_design_untracked(|d| d.clusters().map(|(id, _)| id).find(|id| !before.contains(id)));
                if let Some(id) = added {
                    editor.selection.set([Shape::Cluster(id)].into());
                }
            }
        }
        "stream" => {
            let selected = editor.selection.with_untracked(|sel| {
                sel.iter().find_map(|s| match s {
                    Shape::Cluster(c) => Some(*c),
                    Shape::Stream(s) => editor.with_design_untracked(|d| d.stream(*s).map(|s| s.cluster)),
                })
            });
            match editor.with_design_untracked(|d| edit::cluster_at(d, at)).or(selected) {
                Some(cluster) => add_stream(editor, cluster),
                None if editor.with_design_untracked(|d| d.clusters().next().is_none()) => {
                    editor.notice.set(Some("Streams live in clusters: add a hub or a spoke first".into()));
                }
                None => ui.dialog.set(Some(Dialog::PlaceStream(at))),
            }
        }
        _ => {}
    }
}

/// The cluster of the selection: a selected cluster, else the cluster of a selected stream.
fn selected_cluster(editor: Editor) -> Option<ClusterId> {
    editor.selection.with_untracked(|sel| {
        let cluster = sel.iter().find_map(|s| if let Shape::Cluster(c) = s { Some(*c) } else { None });
        cluster.or_else(|| {
            sel.iter().find_map(|s| match s {
                Shape::Stream(s) => editor.with_design_untracked(|d| d.stream(*s).map(|s| s.cluster)),
                Shape::Cluster(_) => None,
            })
        })
    })
}

/// A palette item activated without a drop point (a click, Enter): clusters go to the centre of
/// the view; a stream goes into the selected cluster (or the selected stream's cluster) whatever
/// cluster happens to lie under the centre, and without a selection where `create` puts it.
pub fn create_here(editor: Editor, ui: Ui, kind: &str) {
    match (kind, selected_cluster(editor)) {
        ("stream", Some(cluster)) => add_stream(editor, cluster),
        _ => create(editor, ui, kind, editor.view_center()),
    }
}

/// Adds a new stream to `cluster`, as one command, and selects it.
pub fn add_stream(editor: Editor, cluster: ClusterId) {
    let (account, config) =
        editor.with_design_untracked(|d| (edit::default_account(d, cluster), edit::new_stream(d, cluster)));
    let before: Vec<_> = editor.with_design_untracked(|d| d.streams().map(|s| s.id).collect());
    if editor.dispatch(Command::AddStream { cluster, account, config: Box::new(config) }) {
        let added = editor.with_design_untracked(|d| d.streams().map(|s| s.id).find(|id| !before.contains(id)));
        if let Some(id) = added {
            editor.selection.set([Shape::Stream(id)].into());
        }
    }
}

/// Ends the gesture in progress: a drag becomes one command; Escape passes `cancel`.
fn finish_gesture(editor: Editor, cancel: bool) {
    let gesture = editor.gesture.get_untracked();
    editor.gesture.set(Gesture::Idle);
    editor.set_hover(None);
    editor.drag_stream(None);
    let moving = match &gesture {
        Gesture::MoveClusters { clusters, .. } => clusters.clone(),
        _ => Vec::new(),
    };
    if cancel {
        editor.clear_preview(&moving);
        return;
    }
    if matches!(gesture, Gesture::MoveClusters { .. } | Gesture::MoveStream { .. }) {
        reveal_above_sheet(editor);
    }
    // The preview ends after the move is applied, so the shapes never jump back in between.
    let _clear = ClearPreview(editor, moving);
    match gesture {
        Gesture::MoveClusters { clusters, delta, .. } if delta != Point::default() => {
            let moves = editor.with_design_untracked(|d| {
                clusters
                    .iter()
                    .filter_map(|id| {
                        let p = d.cluster(*id)?.position;
                        Some((*id, editor.snapped(Point::new(p.x + delta.x, p.y + delta.y))))
                    })
                    .collect()
            });
            editor.dispatch(Command::MoveClusters { moves });
        }
        Gesture::MoveStream { stream, at } => {
            let (target, current) =
                editor.with_design_untracked(|d| (edit::cluster_at(d, at), d.stream(stream).map(|s| s.cluster)));
            if let (Some(target), Some(current)) = (target, current) {
                if target != current {
                    editor.dispatch(Command::SetStreamCluster { stream, cluster: target });
                }
            }
        }
        Gesture::Select { from, to, additive } => {
            let area = Rect::from_corners(from, to);
            if area.width < 3.0 && area.height < 3.0 {
                return;
            }
            let hits: Vec<Shape> = editor.with_design_untracked(|d| {
                let clusters = edit::clusters_in(d, area).into_iter().map(Shape::Cluster);
                let streams = d
                    .streams()
                    .filter(|s| d.stream_rect(s.id).is_some_and(|r| r.intersects(&area)))
                    .map(|s| Shape::Stream(s.id))
                    .collect::<Vec<_>>();
                clusters.chain(streams).collect()
            });
            editor.selection.update(|sel| {
                if !additive {
                    sel.clear();
                }
                sel.extend(hits);
            });
        }
        Gesture::Connect { from, at, kind } => connect(editor, from, at, kind),
        _ => {}
    }
}

/// On a phone the inspector is a sheet over the lower part of the canvas: once a tap has
/// selected a shape and the sheet is drawn, the view moves up so that the shape is above it.
fn reveal_above_sheet(editor: Editor) {
    let phone =
        web_sys::window().and_then(|w| w.match_media("(max-width: 700px)").ok().flatten()).is_some_and(|m| m.matches());
    if !phone {
        return;
    }
    request_animation_frame(move || {
        let Some(shape) = editor.selection.with_untracked(|s| if s.len() == 1 { s.first().copied() } else { None })
        else {
            return;
        };
        let sheet = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".inspector.sheet-open").ok().flatten());
        let (Some(sheet), Some(svg)) = (sheet, canvas_element()) else { return };
        let rect = editor.with_design_untracked(|d| match shape {
            Shape::Cluster(c) => d.cluster_rect(c),
            Shape::Stream(s) => d.stream_rect(s),
        });
        let Some(rect) = rect else { return };
        let canvas_top = svg.get_bounding_client_rect().top();
        let view = editor.viewport.get_untracked();
        let top = canvas_top + view.to_screen(Point::new(rect.x, rect.y)).y;
        let bottom = canvas_top + view.to_screen(Point::new(rect.x, rect.bottom())).y;
        let room_bottom = sheet.get_bounding_client_rect().top() - 12.0;
        // Up until its bottom clears the sheet, but never past its top: a tall cluster shows its header.
        let up = (bottom - room_bottom).min(top - canvas_top - 8.0);
        if up > 0.0 {
            editor.viewport.update(|v| *v = v.pan_by(0.0, -up));
        }
    });
}

/// Ends a move preview when dropped.
struct ClearPreview(Editor, Vec<crate::model::ClusterId>);

impl Drop for ClearPreview {
    fn drop(&mut self) {
        self.0.clear_preview(&self.1);
    }
}

/// The shape a gesture from `from` would end on at `at`: a stream for stream links, a cluster
/// for leafnodes and for dragged streams.
fn hover_target(editor: Editor, from: Option<Shape>, at: Point) -> Option<Shape> {
    editor.with_design_untracked(|d| match from {
        Some(Shape::Stream(_)) => edit::stream_at(d, at).map(Shape::Stream),
        _ => edit::cluster_at(d, at).map(Shape::Cluster),
    })
}

/// What a connection dropped at `at` would be, or why it cannot be.
pub fn connection_at(editor: Editor, from: Shape, at: Point, kind: CopyKind) -> Option<Result<Command, String>> {
    editor.with_design_untracked(|d| match from {
        Shape::Stream(origin) => {
            let copy = edit::stream_at(d, at)?;
            Some(
                edit::can_connect_streams(d, origin, copy, kind)
                    .map(|()| Command::ConnectStreams { origin, copy, kind })
                    .map_err(|e| e.to_string()),
            )
        }
        Shape::Cluster(spoke) => {
            let hub = edit::cluster_at(d, at)?;
            if hub == spoke {
                return None;
            }
            Some(
                edit::can_connect_leafnode(d, spoke, hub)
                    .map(|()| Command::ConnectLeafnode { from: spoke, to: hub, accounts: None })
                    .map_err(|e| e.to_string()),
            )
        }
    })
}

/// The shapes a connection from `from` can end on, each with a point where a drop hits it: the
/// other clusters for a leafnode, the other streams for a mirror or source; in id order. A
/// shape covered by others everywhere it is tried is left out (a drop could not reach it either).
fn connect_candidates(editor: Editor, from: Shape) -> Vec<(Shape, Point)> {
    /// Points of `r` to try, the centre first.
    fn probes(r: Rect) -> [Point; 5] {
        let inset = |fx: f64, fy: f64| Point::new(r.x + r.width * fx, r.y + r.height * fy);
        [r.center(), inset(0.5, 0.1), inset(0.1, 0.1), inset(0.9, 0.9), inset(0.1, 0.9)]
    }
    editor.with_design_untracked(|d| match from {
        Shape::Cluster(c) => d
            .clusters()
            .filter(|(id, _)| *id != c)
            .filter_map(|(id, _)| {
                let at = probes(d.cluster_rect(id)?).into_iter().find(|p| edit::cluster_at(d, *p) == Some(id))?;
                Some((Shape::Cluster(id), at))
            })
            .collect(),
        Shape::Stream(s) => d
            .streams()
            .filter(|st| st.id != s)
            .filter_map(|st| {
                let at = probes(d.stream_rect(st.id)?).into_iter().find(|p| edit::stream_at(d, *p) == Some(st.id))?;
                Some((Shape::Stream(st.id), at))
            })
            .collect(),
    })
}

/// Says which shape a keyboard connection would end on, and whether it may (the status line is
/// a live region: a screen reader hears it).
fn announce_connection(editor: Editor, from: Shape, to: Shape, at: Point, kind: CopyKind) {
    let name = editor.with_design_untracked(|d| match to {
        Shape::Cluster(c) => d.cluster(c).map(|c| format!("cluster {}", c.name)),
        Shape::Stream(s) => d.stream(s).map(|s| format!("stream {}", s.config.name)),
    });
    let verb = match (from, kind) {
        (Shape::Cluster(_), _) => "Leafnode to",
        (_, CopyKind::Mirror) => "Mirror into",
        (_, CopyKind::Source) => "Source into",
    };
    let hint = match connection_at(editor, from, at, kind) {
        Some(Ok(_)) => "Enter connects".to_owned(),
        Some(Err(reason)) => format!("not allowed: {reason}"),
        None => "not allowed".to_owned(),
    };
    let mirror = if matches!(from, Shape::Stream(_)) { ", M switches mirror/source" } else { "" };
    editor.notice.set(Some(format!(
        "{verb} {}: {hint}; arrows choose another{mirror}, Escape cancels",
        name.unwrap_or_default()
    )));
}

/// The keyboard path of a handle's drag: Enter or Space starts a connection from `from` and
/// points it at the first other shape; the arrows step through the shapes it can end on, M
/// switches a stream link between source and mirror (Alt while dragging), Enter connects (one
/// command, as a drop does) and Escape cancels. The rubber band and the drop highlight are the
/// pointer's.
pub fn handle_key(editor: Editor, from: Shape, e: &ev::KeyboardEvent) {
    let current = editor.gesture.with_untracked(|g| match g {
        Gesture::Connect { from: f, at, kind } if *f == from => Some((*at, *kind)),
        _ => None,
    });
    let key = e.key();
    match (key.as_str(), current) {
        ("Enter" | " ", None) => {
            let candidates = connect_candidates(editor, from);
            let Some((to, at)) = candidates.first().copied() else {
                editor.notice.set(Some("Nothing to connect to yet".into()));
                return;
            };
            editor.gesture.set(Gesture::Connect { from, at, kind: CopyKind::Source });
            editor.set_hover(Some(to));
            announce_connection(editor, from, to, at, CopyKind::Source);
        }
        ("Enter" | " ", Some(_)) => {
            editor.notice.set(None);
            finish_gesture(editor, false);
        }
        ("Escape", Some(_)) => {
            finish_gesture(editor, true);
            editor.notice.set(Some("Connection cancelled".into()));
        }
        ("ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp", Some((at, kind))) => {
            let candidates = connect_candidates(editor, from);
            if candidates.is_empty() {
                return;
            }
            let here = candidates.iter().position(|(_, p)| *p == at).unwrap_or(0);
            let n = candidates.len();
            let next =
                if matches!(key.as_str(), "ArrowRight" | "ArrowDown") { (here + 1) % n } else { (here + n - 1) % n };
            let (to, at) = candidates[next];
            editor.gesture.set(Gesture::Connect { from, at, kind });
            editor.set_hover(Some(to));
            announce_connection(editor, from, to, at, kind);
        }
        ("m" | "M", Some((at, kind))) if matches!(from, Shape::Stream(_)) => {
            let kind = if kind == CopyKind::Mirror { CopyKind::Source } else { CopyKind::Mirror };
            editor.gesture.set(Gesture::Connect { from, at, kind });
            if let Some(to) = hover_target(editor, Some(from), at) {
                announce_connection(editor, from, to, at, kind);
            }
        }
        _ => return,
    }
    e.prevent_default();
    e.stop_propagation();
}

fn connect(editor: Editor, from: Shape, at: Point, kind: CopyKind) {
    match connection_at(editor, from, at, kind) {
        Some(Ok(command)) => {
            editor.dispatch(command);
        }
        Some(Err(reason)) => editor.notice.set(Some(format!("Not connected: {reason}"))),
        None => {}
    }
}

#[component]
pub fn Canvas() -> impl IntoView {
    let editor = use_editor();
    let ui = use_ui();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let space_held = RwSignal::new(false);
    let ghost = RwSignal::new(None::<Rect>);

    // The canvas' box changes with the window, the problems panel, a phone's sheets: a
    // ResizeObserver sees every change, where window resize events miss the panels. A view the
    // user has not moved since it was fitted is fitted again; any other keeps its centre.
    let measure = move || {
        let Some(svg) = svg_ref.get_untracked() else { return };
        let r = svg.get_bounding_client_rect();
        let size = (r.width(), r.height());
        if size.0 <= 0.0 || size.1 <= 0.0 {
            return;
        }
        let before = editor.screen.get_untracked();
        if before == size {
            return;
        }
        editor.screen.set(size);
        let view = editor.viewport.get_untracked();
        if editor.last_fit.get_value().is_none_or(|fitted| fitted == view) {
            fit(editor);
        } else {
            editor.viewport.set(view.resized(before, size));
        }
    };
    Effect::new(move |observer: Option<Option<web_sys::ResizeObserver>>| {
        if let Some(existing) = observer.flatten() {
            return Some(existing);
        }
        let svg = svg_ref.get()?;
        let callback = Closure::<dyn FnMut()>::new(measure);
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        // The canvas lives as long as the page: its callback does too.
        callback.forget();
        observer.observe(&svg);
        measure();
        if editor.last_fit.get_value().is_none() {
            fit(editor);
        }
        Some(observer)
    });
    let _ = window_event_listener(ev::keydown, move |e| {
        if e.key() == " " && !crate::components::keyboard::in_text_field(&e) {
            space_held.set(true);
        }
    });
    let _ = window_event_listener(ev::keyup, move |e| {
        if e.key() == " " {
            space_held.set(false);
        }
    });

    let view_box = move || {
        let (w, h) = editor.screen.get();
        editor.viewport.get().view_box(w, h)
    };
    // A memo, so that panning (which keeps the zoom) does not set the style again: a new value
    // of the property restyles every shape.
    let unit = Memo::new(move |_| editor.viewport.with(|v| format!("--unit: {:.3}px", 1.0 / v.zoom)));
    let cluster_ids = Memo::new(move |_| editor.with_design(|d| d.clusters().map(|(id, _)| id).collect::<Vec<_>>()));
    let links = Memo::new(move |_| editor.with_design(|d| d.links()));
    // All links are routed in one pass over one layout: routing one link at a time would
    // measure the design's boxes again for each.
    let all_routes: Memo<HashMap<String, LinkRoute>> = Memo::new(move |_| {
        let layout = editor.layout();
        layout.with(|layout| {
            editor.with_design(|d| {
                links.with(|links| {
                    links
                        .iter()
                        .filter_map(|link| Some((link.key(), layout.route(d, link, |_| Point::default())?)))
                        .collect()
                })
            })
        })
    });
    let routes: link_edge::Routes =
        Fanout::follow(all_routes, |all: &HashMap<String, LinkRoute>, key: &String| all.get(key).cloned());

    pinch::install(editor, svg_ref);

    let world = move |client_x: i32, client_y: i32| -> Point {
        let screen = svg_ref.get_untracked().map(|svg| screen_point(&svg, client_x, client_y)).unwrap_or_default();
        editor.viewport.get_untracked().to_world(screen)
    };

    let on_background_down = move |e: ev::PointerEvent| {
        if e.button() != 0 && e.button() != 1 {
            return;
        }
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.set_pointer_capture(e.pointer_id());
        }
        let screen =
            svg_ref.get_untracked().map(|svg| screen_point(&svg, e.client_x(), e.client_y())).unwrap_or_default();
        // On a touch screen one finger on the background pans, as people expect there; two pinch.
        if e.button() == 1 || space_held.get_untracked() || e.pointer_type() == "touch" {
            editor.gesture.set(Gesture::Pan { last: screen });
        } else {
            let at = world(e.client_x(), e.client_y());
            if !e.shift_key() {
                editor.selection.update(|s| s.clear());
            }
            editor.gesture.set(Gesture::Select { from: at, to: at, additive: e.shift_key() });
        }
    };

    let on_move = move |e: ev::PointerEvent| {
        let at = world(e.client_x(), e.client_y());
        let gesture = editor.gesture.get_untracked();
        match gesture {
            Gesture::Idle => {}
            Gesture::Pan { last } => {
                let screen =
                    svg_ref.get_untracked().map(|svg| screen_point(&svg, e.client_x(), e.client_y())).unwrap_or(last);
                editor.viewport.update(|v| *v = v.pan_by(screen.x - last.x, screen.y - last.y));
                editor.gesture.set(Gesture::Pan { last: screen });
            }
            Gesture::MoveClusters { clusters, start, .. } => {
                let delta = Point::new(at.x - start.x, at.y - start.y);
                editor.set_preview(&clusters, delta);
                editor.gesture.set(Gesture::MoveClusters { clusters, start, delta });
            }
            Gesture::MoveStream { stream, .. } => {
                editor.drag_stream(Some((stream, at)));
                editor.set_hover(hover_target(editor, None, at));
                editor.gesture.set(Gesture::MoveStream { stream, at });
            }
            Gesture::Select { from, additive, .. } => editor.gesture.set(Gesture::Select { from, to: at, additive }),
            Gesture::Connect { from, .. } => {
                let kind = if e.alt_key() { CopyKind::Mirror } else { CopyKind::Source };
                editor.set_hover(hover_target(editor, Some(from), at).filter(|s| *s != from));
                editor.gesture.set(Gesture::Connect { from, at, kind });
            }
        }
    };

    let on_up = move |e: ev::PointerEvent| {
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.release_pointer_capture(e.pointer_id());
        }
        finish_gesture(editor, false);
    };

    let on_wheel = move |e: ev::WheelEvent| {
        e.prevent_default();
        let screen =
            svg_ref.get_untracked().map(|svg| screen_point(&svg, e.client_x(), e.client_y())).unwrap_or_default();
        let pixels = match e.delta_mode() {
            web_sys::WheelEvent::DOM_DELTA_LINE => e.delta_y() * 16.0,
            web_sys::WheelEvent::DOM_DELTA_PAGE => e.delta_y() * 800.0,
            _ => e.delta_y(),
        };
        let factor = Viewport::wheel_factor(pixels, e.ctrl_key());
        editor.viewport.update(|v| *v = v.zoom_at(screen, factor));
    };

    let on_drop = move |e: ev::DragEvent| {
        e.prevent_default();
        // Files dropped from outside the page: a design file is opened, configuration files are
        // imported into a new design.
        if let Some(list) = e.data_transfer().and_then(|t| t.files()).filter(|f| f.length() > 0) {
            let files = (0..list.length()).filter_map(|i| list.get(i)).collect();
            crate::components::file_menu::open_or_import(editor, files);
            return;
        }
        ghost.set(None);
        let kind = e.data_transfer().and_then(|t| t.get_data(PALETTE_TYPE).ok()).unwrap_or_default();
        create(editor, ui, &kind, world(e.client_x(), e.client_y()));
    };
    // While a palette item is dragged over the canvas, a ghost shows where it would land.
    let on_drag_over = move |e: ev::DragEvent| {
        e.prevent_default();
        let kind = e.data_transfer().and_then(|t| {
            let types = t.types();
            (0..types.length()).filter_map(|i| types.get(i).as_string()).find_map(|ty| {
                ["hub", "spoke", "stream"].into_iter().find(|k| ty.strip_prefix(PALETTE_KIND_TYPE) == Some(*k))
            })
        });
        let at = world(e.client_x(), e.client_y());
        let rect = kind.map(|kind| {
            if kind == "stream" {
                let size = Point::new(CLUSTER_WIDTH - 32.0, STREAM_HEIGHT);
                Rect { x: at.x - size.x / 2.0, y: at.y - size.y / 2.0, width: size.x, height: size.y }
            } else {
                let origin = editor.snapped(cluster_origin_for(editor, at));
                cluster_rect(origin, 0)
            }
        });
        if ghost.get_untracked() != rect {
            ghost.set(rect);
        }
    };
    let on_drag_leave = move |e: ev::DragEvent| {
        let inside = e
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(svg_ref.get_untracked())
            .is_some_and(|(node, svg)| svg.contains(Some(&node)));
        if !inside {
            ghost.set(None);
        }
    };

    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" && editor.gesture.with_untracked(|g| *g != Gesture::Idle) {
            finish_gesture(editor, true);
            e.prevent_default();
        }
    };

    let selection_rect = move || {
        editor.gesture.with(|g| match g {
            Gesture::Select { from, to, .. } => Some(Rect::from_corners(*from, *to)),
            _ => None,
        })
    };
    let connect_line = move || {
        editor.gesture.with(|g| match g {
            Gesture::Connect { from, at, kind } => {
                let start = editor.with_design_untracked(|d| match from {
                    Shape::Cluster(c) => d.cluster_rect(*c).map(|r| r.center()),
                    Shape::Stream(s) => d.stream_rect(*s).map(|r| r.center()),
                })?;
                let class = match (from, kind) {
                    (Shape::Cluster(_), _) => "connect-line leafnode",
                    (_, CopyKind::Mirror) => "connect-line mirror",
                    (_, CopyKind::Source) => "connect-line source",
                };
                Some((start, *at, class))
            }
            _ => None,
        })
    };

    view! {
        <svg
            node_ref=svg_ref
            class="canvas"
            class:panning=move || space_held.get() || editor.gesture.with(|g| matches!(g, Gesture::Pan { .. }))
            // Level of detail: far out, small text is unreadable and costs most of the painting.
            class:far=move || editor.viewport.with(|v| v.zoom < FAR_ZOOM)
            // Further out, text would be under 4 px: none is drawn, nor arrowheads.
            class:tiny=move || editor.viewport.with(|v| v.zoom < TINY_ZOOM)
            // One screen pixel in world units, for strokes and dashes that keep their screen size.
            style=move || unit.get()
            role="application"
            tabindex="0"
            aria-label="Topology canvas"
            aria-roledescription="topology canvas"
            viewBox=view_box
            preserveAspectRatio="xMinYMin meet"
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=move |_| finish_gesture(editor, true)
            on:wheel=on_wheel
            on:dragover=on_drag_over
            on:dragleave=on_drag_leave
            on:drop=on_drop
            on:keydown=on_key
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
            <rect
                class="background"
                x="-100000"
                y="-100000"
                width="200000"
                height="200000"
                fill="url(#grid)"
                on:pointerdown=on_background_down
            />
            <g class="clusters">
                <For each=move || cluster_ids.get() key=|id| *id let:id>
                    <ClusterShape id />
                </For>
            </g>
            <g class="links">
                <For each=move || links.get() key=|link| link.key() let:link>
                    <LinkEdge link routes />
                </For>
            </g>
            {move || ghost.get().map(|r| view! {
                <rect class="drop-ghost" x=r.x y=r.y width=r.width height=r.height rx="12" />
            })}
            {move || selection_rect().map(|r| view! {
                <rect class="selection-rect" x=r.x y=r.y width=r.width height=r.height />
            })}
            {move || connect_line().map(|(from, to, class)| view! {
                <line class=class x1=from.x y1=from.y x2=to.x y2=to.y />
            })}
        </svg>
    }
}

/// The canvas element, found once per gesture start.
fn canvas_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.query_selector("svg.canvas").ok().flatten()
}

/// The pointer's position in world units; also captures the pointer on the canvas, so that a
/// drag that leaves a shape (or the window) still reaches the canvas' handlers.
pub fn pointer_world(editor: Editor, e: &ev::PointerEvent) -> Point {
    let Some(svg) = canvas_element() else { return Point::default() };
    let _ = svg.set_pointer_capture(e.pointer_id());
    editor.viewport.get_untracked().to_world(screen_point(&svg, e.client_x(), e.client_y()))
}

/// A small round badge with the worst severity of an element's problems.
#[component]
pub fn Badge(target: crate::model::validate::Target, #[prop(into)] at: Signal<Point>) -> impl IntoView {
    use crate::model::validate::Severity;
    let editor = use_editor();
    let worst = Memo::new(move |_| editor.worst(&target));
    move || {
        worst.get().map(|severity| {
            let (class, mark, label) = match severity {
                Severity::Error => ("badge error", "!", "has errors"),
                Severity::Warning => ("badge warning", "!", "has warnings"),
                Severity::Info => ("badge info", "i", "has notes"),
            };
            view! {
                <g class=class role="img" aria-label=label>
                    <circle cx=move || at.get().x cy=move || at.get().y r="9" />
                    <text x=move || at.get().x y=move || at.get().y + 4.0 text-anchor="middle">{mark}</text>
                </g>
            }
        })
    }
}
