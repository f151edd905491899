//! Every editor action a component triggers: creating shapes, fitting and showing, opening and
//! saving files, deleting and nudging, applying what a gesture (`model::gesture`) returns,
//! focusing problems. Components call these and never one another.

use super::{Dialog, Editor, Focus, Gesture, Message, MessageKind, Shape, Ui};
use crate::model::bucket;
use crate::model::command::Command;
use crate::model::edit::{self, CopyKind};
use crate::model::export::file_stem;
use crate::model::gateway;
use crate::model::geometry::{cluster_rect, Insets, Point, Viewport};
use crate::model::gesture::{self, KeyStep, Outcome, Pointer, Preview};
use crate::model::persist;
use crate::model::sort::Sorted;
use crate::model::validate::{Severity, Target};
use crate::model::words::plural;
use crate::model::{ClusterId, Role};
use crate::offload::{self, Request, Response};
use crate::storage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Space around the design when fitting it into the view, in screen pixels.
const FIT_MARGIN: f64 = 32.0;
/// Space between a fitted design and the overlays on the canvas, in screen pixels.
const OVERLAY_GAP: f64 = 12.0;
/// The zoom at which search and problems show an element: its names are readable.
pub const READABLE_ZOOM: f64 = 0.75;
/// Zoom step of the wheel and the +/− buttons.
pub const ZOOM_STEP: f64 = 1.2;
/// The data type palette items carry while dragged.
pub const PALETTE_TYPE: &str = "application/x-nats-topology-shape";
/// A second data type naming the kind (`...-hub`): while dragging, only types can be read.
pub const PALETTE_KIND_TYPE: &str = "application/x-nats-topology-kind-";

/// The canvas element.
pub fn canvas_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.query_selector("svg.canvas").ok().flatten()
}

/// The pointer's position in canvas (screen) pixels.
pub fn screen_point(svg: &web_sys::Element, client_x: i32, client_y: i32) -> Point {
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
    // With the superclusters' outlines and labels around their clusters.
    let bounds = editor.with_design_untracked(gateway::drawn_bounds);
    let (w, h) = editor.view.screen.get_untracked();
    let view = Viewport::fit_within(bounds, w, h, overlay_insets());
    editor.view.viewport.set(view);
    editor.view.last_fit.set_value(Some(view));
}

/// Fits the design once the page has drawn what changed (a new design, a message shown).
pub fn fit_soon(editor: Editor) {
    request_animation_frame(move || fit(editor));
}

/// Zooms by `factor` about the centre of the view.
pub fn zoom(editor: Editor, factor: f64) {
    let (w, h) = editor.view.screen.get_untracked();
    editor.view.viewport.update(|v| *v = v.zoom_at(Point::new(w / 2.0, h / 2.0), factor));
}

/// Lays the clusters out automatically (one undo step) and fits the result.
pub fn auto_layout(editor: Editor) {
    let moves = editor.with_design_untracked(edit::auto_layout);
    if editor.dispatch(Command::MoveClusters { moves }) {
        fit(editor);
    }
}

/// Selects `shape`, and shows it at a readable size in the part of the view no overlay covers.
pub fn show_shape(editor: Editor, shape: Shape) {
    editor.interaction.selection.set([shape].into());
    let rect = editor.with_design_untracked(|d| match shape {
        Shape::Cluster(c) => d.cluster_rect(c),
        Shape::Stream(s) => d.stream_rect(s),
    });
    if let Some(rect) = rect {
        let (w, h) = editor.view.screen.get_untracked();
        editor.view.viewport.set(Viewport::focus(rect.inflate(16.0), w, h, overlay_insets(), READABLE_ZOOM));
    }
}

/// Where a new cluster goes for a drop at `at` (world units): centred on it, and moved inside
/// the visible part of the world when it would stick out.
pub fn cluster_origin_for(editor: Editor, at: Point) -> Point {
    let size = cluster_rect(Point::default(), 0);
    let (w, h) = editor.view.screen.get_untracked();
    let view = editor.view.viewport.get_untracked();
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
            let mut at = editor.view.snapped(cluster_origin_for(editor, at));
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
                    editor.interaction.selection.set([Shape::Cluster(id)].into());
                }
            }
        }
        "region" => match editor.with_design_untracked(|d| edit::cluster_at(d, at)).or(selected_cluster(editor)) {
            // Dropped on a cluster: the region goes beside its supercluster; elsewhere, where dropped.
            Some(from) if editor.with_design_untracked(|d| edit::cluster_at(d, at)).is_some() => {
                add_region(editor, from, None)
            }
            Some(from) => add_region(editor, from, Some(cluster_origin_for(editor, at))),
            None if editor.with_design_untracked(|d| d.clusters().next().is_none()) => {
                editor.messages.say("A region joins a cluster by gateways: add a hub first");
            }
            None => {
                editor.messages.say("Select the cluster whose supercluster the new region joins, or drop it on one")
            }
        },
        "bucket" | "object-store" => {
            match editor.with_design_untracked(|d| edit::cluster_at(d, at)).or(selected_cluster(editor)) {
                Some(cluster) => add_bucket(editor, cluster, kind),
                None if editor.with_design_untracked(|d| d.clusters().next().is_none()) => {
                    editor.messages.say("Buckets live in clusters: add a hub or a spoke first");
                }
                None => editor.messages.say("Select the cluster the bucket goes into, or drop it on one"),
            }
        }
        "stream" => match editor.with_design_untracked(|d| edit::cluster_at(d, at)).or(selected_cluster(editor)) {
            Some(cluster) => add_stream(editor, cluster),
            None if editor.with_design_untracked(|d| d.clusters().next().is_none()) => {
                editor.messages.say("Streams live in clusters: add a hub or a spoke first");
            }
            None => ui.dialog.set(Some(Dialog::PlaceStream(at))),
        },
        _ => {}
    }
}

/// The cluster of the selection: a selected cluster, else the cluster of a selected stream.
fn selected_cluster(editor: Editor) -> Option<ClusterId> {
    editor.interaction.selection.with_untracked(|sel| {
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
        ("bucket" | "object-store", Some(cluster)) => add_bucket(editor, cluster, kind),
        ("region", Some(cluster)) => add_region(editor, cluster, None),
        _ => create(editor, ui, kind, editor.view.view_center()),
    }
}

/// "Add region": a hub joined by gateways to `from`'s supercluster (or forming one with `from`),
/// as one command made by `model::gateway::add_region`, at `at` or else right of the
/// supercluster; selected, and brought into view when it lands outside it.
pub fn add_region(editor: Editor, from: ClusterId, at: Option<Point>) {
    let at = at.unwrap_or_else(|| {
        editor.with_design_untracked(|d| {
            let members = gateway::placement_candidates(d, from);
            let right = members.iter().filter_map(|id| d.cluster_rect(*id)).map(|r| r.right()).fold(f64::MIN, f64::max);
            let top = d.cluster(from).map_or(0.0, |c| c.position.y);
            Point::new(right + 96.0, top)
        })
    });
    let mut at = editor.view.snapped(at);
    for _ in 0..50 {
        let corner = Point::new(at.x + 8.0, at.y + 8.0);
        if editor.with_design_untracked(|d| edit::cluster_at(d, corner)).is_none() {
            break;
        }
        at = Point::new(at.x, at.y + 48.0);
    }
    let Some(command) = editor.with_design_untracked(|d| gateway::add_region(d, from, at)) else { return };
    let before: Vec<_> = editor.with_design_untracked(|d| d.clusters().map(|(id, _)| id).collect());
    if editor.dispatch(command) {
        let added = editor.with_design_untracked(|d| d.clusters().map(|(id, _)| id).find(|id| !before.contains(id)));
        if let Some(id) = added {
            editor.interaction.selection.set([Shape::Cluster(id)].into());
            let name = editor.with_design_untracked(|d| d.cluster(id).map(|c| c.name.clone()).unwrap_or_default());
            editor.messages.say(format!("Added region {name}, joined by gateways; Undo removes it"));
            let (w, h) = editor.view.screen.get_untracked();
            let visible = editor.view.viewport.get_untracked().visible(w, h);
            let inside = editor.with_design_untracked(|d| d.cluster_rect(id)).is_some_and(|r| {
                r.x >= visible.x && r.y >= visible.y && r.right() <= visible.right() && r.bottom() <= visible.bottom()
            });
            if !inside {
                fit(editor);
            }
        }
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
            editor.interaction.selection.set([Shape::Stream(id)].into());
        }
    }
}

/// Adds a new key-value bucket (`kind` "bucket") or object store ("object-store") to `cluster`,
/// as one command made by `model::bucket`, and selects it.
pub fn add_bucket(editor: Editor, cluster: ClusterId, kind: &str) {
    let command = editor.with_design_untracked(|d| {
        let config =
            if kind == "object-store" { bucket::new_object_store(d, cluster) } else { bucket::new_kv(d, cluster) };
        bucket::add(d, cluster, config)
    });
    let before: Vec<_> = editor.with_design_untracked(|d| d.streams().map(|s| s.id).collect());
    if editor.dispatch(command) {
        let added = editor.with_design_untracked(|d| d.streams().map(|s| s.id).find(|id| !before.contains(id)));
        if let Some(id) = added {
            editor.interaction.selection.set([Shape::Stream(id)].into());
        }
    }
}

/// Selects every cluster and stream.
pub fn select_all(editor: Editor) {
    let all = editor.with_design_untracked(|d| {
        d.clusters().map(|(id, _)| Shape::Cluster(id)).chain(d.streams().map(|s| Shape::Stream(s.id))).collect()
    });
    editor.interaction.selection.set(all);
}

/// Removes the selection (clusters take their streams), after a confirmation when that removes
/// more than what is selected.
pub fn delete_selection(editor: Editor) {
    let (clusters, streams): (Vec<_>, Vec<_>) = editor.interaction.selection.with_untracked(|sel| {
        let clusters = sel.iter().filter_map(|s| if let Shape::Cluster(c) = s { Some(*c) } else { None }).collect();
        let streams = sel.iter().filter_map(|s| if let Shape::Stream(c) = s { Some(*c) } else { None }).collect();
        (clusters, streams)
    });
    if clusters.is_empty() && streams.is_empty() {
        return;
    }
    let extra = editor.with_design_untracked(|d| {
        clusters.iter().map(|c| d.streams_in(*c).filter(|s| !streams.contains(&s.id)).count()).sum::<usize>()
    });
    if extra > 0 {
        let question = format!("Delete the selected clusters with their {extra} streams and the links to them?");
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
        if !confirmed {
            return;
        }
    }
    let also = editor.with_design_untracked(|d| crate::model::command::also_removed(d, &clusters, &streams));
    if editor.dispatch(Command::RemoveElements { clusters, streams }) {
        // What else went, said out loud: links of the remaining shapes disappear with it.
        let mut parts = Vec::new();
        if also.origins > 0 {
            parts.push(plural(also.origins, "source"));
        }
        if also.remotes > 0 {
            parts.push(plural(also.remotes, "leafnode remote"));
        }
        let notice = if parts.is_empty() {
            "Deleted; Undo restores it".to_owned()
        } else {
            format!("Deleted; also removed {}; Undo restores them", parts.join(" and "))
        };
        editor.messages.say(notice);
    }
}

/// Moves the selected clusters by a step of the grid.
pub fn nudge(editor: Editor, dx: f64, dy: f64) {
    let clusters = editor.interaction.selected_clusters();
    let moves = editor.with_design_untracked(|d| {
        clusters
            .iter()
            .filter_map(|c| d.cluster(*c).map(|cl| (*c, Point::new(cl.position.x + dx, cl.position.y + dy))))
            .collect::<Vec<_>>()
    });
    if !moves.is_empty() {
        editor.dispatch(Command::MoveClusters { moves });
    }
}

// ---- Gestures: `model::gesture` decides, these apply its answers to the signals. ----

/// Starts `gesture` (a pointer went down on the canvas or a shape).
pub fn begin_gesture(editor: Editor, gesture: Gesture) {
    editor.interaction.gesture.set(gesture);
}

/// A pointer pressed on a cluster: selects it (shift toggles) and starts moving the selected
/// clusters when it is one of them.
pub fn press_cluster(editor: Editor, id: ClusterId, at: Point, shift: bool) {
    let shape = Shape::Cluster(id);
    if shift {
        editor.interaction.select(shape, true);
    } else if !editor.interaction.selection.with_untracked(|s| s.contains(&shape)) {
        editor.interaction.select(shape, false);
    }
    let clusters = editor.interaction.selected_clusters();
    if clusters.contains(&id) {
        begin_gesture(editor, Gesture::MoveClusters { clusters, start: at, delta: Point::default() });
    }
}

/// A pointer pressed on the background: pans (middle button, Space held, touch) or starts a
/// selection rectangle (clearing the selection unless shift adds to it).
pub fn press_background(editor: Editor, screen: Point, world: Point, pan: bool, shift: bool) {
    if pan {
        begin_gesture(editor, Gesture::Pan { last: screen });
    } else {
        if !shift {
            editor.interaction.selection.update(|s| s.clear());
        }
        begin_gesture(editor, Gesture::Select { from: world, to: world, additive: shift });
    }
}

/// A pointer move during a gesture: the model computes the next state and the preview.
pub fn pointer_moved(editor: Editor, pointer: Pointer) {
    let gesture = editor.interaction.gesture.get_untracked();
    if gesture == Gesture::Idle {
        return;
    }
    let (next, preview) = editor.with_design_untracked(|d| gesture.moved(d, pointer));
    let interaction = editor.interaction;
    match preview {
        Preview::Nothing => {}
        Preview::PanBy(by) => editor.view.viewport.update(|v| *v = v.pan_by(by.x, by.y)),
        Preview::Offset { clusters, delta } => interaction.set_preview(&clusters, delta),
        Preview::DragStream { stream, at, hover } => {
            interaction.drag_stream(Some((stream, at)));
            interaction.set_hover(hover);
        }
        Preview::Hover(hover) => interaction.set_hover(hover),
    }
    interaction.gesture.set(next);
}

/// Ends the gesture in progress: a drag becomes one command; Escape passes `cancel`.
pub fn finish_gesture(editor: Editor, cancel: bool) {
    let interaction = editor.interaction;
    let gesture = interaction.gesture.get_untracked();
    interaction.gesture.set(Gesture::Idle);
    interaction.set_hover(None);
    interaction.drag_stream(None);
    let moving = gesture.moving().to_vec();
    if cancel {
        interaction.clear_preview(&moving);
        return;
    }
    if gesture.moves_shapes() {
        reveal_above_sheet(editor);
    }
    let outcome = editor.with_design_untracked(|d| gesture.finish(d, editor.view.grid()));
    match outcome {
        Outcome::Nothing => {}
        Outcome::Command(command) => {
            editor.dispatch(command);
        }
        Outcome::Refused(reason) => editor.messages.say(format!("Not connected: {reason}")),
        Outcome::Select { shapes, additive } => interaction.selection.update(|sel| {
            if !additive {
                sel.clear();
            }
            sel.extend(shapes);
        }),
    }
    // The preview ends after the move is applied, so the shapes never jump back in between.
    interaction.clear_preview(&moving);
}

/// A key on a shape's connection handle (see `model::gesture::connect_key`); true when the key
/// was the connection's.
pub fn connect_key(editor: Editor, from: Shape, key: &str) -> bool {
    let current = editor.interaction.gesture.get_untracked();
    let step = editor.with_design_untracked(|d| gesture::connect_key(d, &current, from, key));
    match step {
        KeyStep::Ignored => return false,
        KeyStep::Nothing(text) => editor.messages.say(text),
        KeyStep::Point { gesture, to, announce } => {
            editor.interaction.gesture.set(gesture);
            if to.is_some() {
                editor.interaction.set_hover(to);
            }
            if !announce.is_empty() {
                editor.messages.say(announce);
            }
        }
        KeyStep::Finish => {
            editor.messages.notice.set(None);
            finish_gesture(editor, false);
        }
        KeyStep::Cancel => {
            finish_gesture(editor, true);
            editor.messages.say("Connection cancelled");
        }
    }
    true
}

/// The kind of link a handle starts: a mirror with Alt, else a source.
pub fn copy_kind(alt: bool) -> CopyKind {
    if alt {
        CopyKind::Mirror
    } else {
        CopyKind::Source
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
        let Some(shape) =
            editor.interaction.selection.with_untracked(|s| if s.len() == 1 { s.first().copied() } else { None })
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
        let view = editor.view.viewport.get_untracked();
        let top = canvas_top + view.to_screen(Point::new(rect.x, rect.y)).y;
        let bottom = canvas_top + view.to_screen(Point::new(rect.x, rect.bottom())).y;
        let room_bottom = sheet.get_bounding_client_rect().top() - 12.0;
        // Up until its bottom clears the sheet, but never past its top: a tall cluster shows its header.
        let up = (bottom - room_bottom).min(top - canvas_top - 8.0);
        if up > 0.0 {
            editor.view.viewport.update(|v| *v = v.pan_by(0.0, -up));
        }
    });
}

// ---- Problems ----

/// The shape a target is drawn as.
pub fn shape_of(target: Target) -> Option<Shape> {
    match target {
        Target::Design => None,
        Target::Cluster(c) | Target::Remote { cluster: c, .. } => Some(Shape::Cluster(c)),
        Target::Stream(s) | Target::Origin { stream: s, .. } => Some(Shape::Stream(s)),
    }
}

/// Selects the element of a problem, shows it and asks the inspector to focus its field.
pub fn activate_problem(editor: Editor, ui: Ui, target: Target, field: Option<&'static str>) {
    let Some(shape) = shape_of(target) else { return };
    show_shape(editor, shape);
    ui.request_focus(Focus::Field { target, field });
}

/// Opens the problems panel and focuses its first problem of `severity` (or the panel).
pub fn show_problems(ui: Ui, severity: Option<Severity>) {
    ui.problems_open.set(true);
    ui.request_focus(Focus::Problems(severity));
}

// ---- Files ----

/// Replaces the design with one read from `text` (a file named `name`), or says why not.
pub fn open_text(editor: Editor, name: &str, text: &str) {
    match persist::load(text) {
        Ok(loaded) => {
            editor.replace_design(loaded.design);
            fit_soon(editor);
            let message = if loaded.repairs.is_empty() {
                Message { kind: MessageKind::Info, title: format!("Opened {name}."), details: Vec::new() }
            } else {
                Message {
                    kind: MessageKind::Warning,
                    title: format!("Opened {name}, with {} repairs:", loaded.repairs.len()),
                    details: loaded.repairs,
                }
            };
            editor.messages.message.set(Some(message));
        }
        Err(e) => editor.messages.message.set(Some(Message {
            kind: MessageKind::Error,
            title: format!(
                "{name} is a nats-topology design file, but not one this designer can read (what it expected, and \
                 where, is below); the current design is unchanged."
            ),
            details: vec![e.to_string()],
        })),
    }
}

/// Whether `text` is a design file rather than a configuration file to import.
fn is_design_file(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.get("format").and_then(|f| f.as_str()) == Some("nats-topology"))
}

/// A file's name and its text, or why it could not be read.
type ReadFile = (String, Result<String, String>);

/// Opens dropped or picked files: one design file is opened; anything else (Helm values, stream
/// JSON, nats CLI scripts, nats-server confs, any mix) is imported into a new design, laid out
/// automatically, with what the import found shown to the user.
pub fn open_or_import(editor: Editor, files: Vec<web_sys::File>) {
    let total = files.len();
    if total == 0 {
        return;
    }
    let read: std::rc::Rc<std::cell::RefCell<Vec<ReadFile>>> = Default::default();
    for file in files {
        let read = read.clone();
        storage::read_file(file, move |name, text| {
            read.borrow_mut().push((name, text));
            if read.borrow().len() == total {
                let mut all = std::mem::take(&mut *read.borrow_mut());
                all.sort_with(|a, b| a.0.cmp(&b.0));
                finish_open_or_import(editor, all);
            }
        });
    }
}

fn finish_open_or_import(editor: Editor, files: Vec<ReadFile>) {
    if let [(name, Ok(text))] = files.as_slice() {
        if is_design_file(text) {
            open_text(editor, name, text);
            return;
        }
    }
    let mut unreadable = Vec::new();
    let sources: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|(path, text)| match text {
            Ok(text) => Some((path, text)),
            Err(e) => {
                unreadable.push(format!("{path}: {e}"));
                None
            }
        })
        .collect();
    let count = sources.len();
    // The importers run in the worker (`offload`), loaded on the first import.
    leptos::task::spawn_local(async move {
        let response = offload::client::call(&Request::Import { files: sources }).await;
        finish_import(editor, count, unreadable, response);
    });
}

fn finish_import(editor: Editor, count: usize, unreadable: Vec<String>, response: Response) {
    let (design, clusters, streams, found) = match response {
        Response::Imported { design, clusters, streams, found } => (design, clusters, streams, found),
        Response::Failed(why) => return import_failed(editor, count, vec![why]),
        Response::Exported { .. } => return import_failed(editor, count, vec!["the worker answered an export".into()]),
    };
    let found: Vec<String> = found.into_iter().chain(unreadable).collect();
    if clusters == 0 && streams == 0 {
        return import_failed(editor, count, found);
    }
    let design = match persist::load(&design) {
        Ok(loaded) => loaded.design,
        Err(e) => {
            return import_failed(editor, count, vec![format!("the imported design could not be read back: {e}")])
        }
    };
    editor.replace_design(design);
    fit_soon(editor);
    editor.messages.message.set(Some(Message {
        kind: if found.is_empty() { MessageKind::Info } else { MessageKind::Warning },
        title: format!(
            "Imported {}: {}, {}. What the files themselves show is listed here; the design's problems are in \
             Problems.",
            plural(count, "file"),
            plural(clusters, "cluster"),
            plural(streams, "stream"),
        ),
        details: found,
    }));
}

fn import_failed(editor: Editor, count: usize, details: Vec<String>) {
    editor.messages.message.set(Some(Message {
        kind: MessageKind::Error,
        title: format!("Nothing to import from {}; the current design is unchanged.", plural(count, "file")),
        details,
    }));
}

/// Downloads the design file.
pub fn save(editor: Editor) {
    let (name, text) = editor.with_design_untracked(|d| (format!("{}.json", file_stem(&d.name)), persist::save(d)));
    match storage::download(&name, text.as_bytes(), "application/json") {
        Ok(()) => editor.messages.say(format!("Saved {name}")),
        Err(e) => editor.messages.say(format!("Not saved: {e}")),
    }
}
