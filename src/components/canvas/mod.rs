//! The SVG canvas: clusters with their streams, the links between them, and every pointer
//! gesture (pan, zoom, move, select, connect, drop from the palette).
//!
//! The canvas only forwards events: `model::gesture` decides what a pointer move previews and
//! what a release does (one command, so one drag is one undo step), and `state::actions`
//! applies it. Each shape derives its own memos, so an edit re-renders the shapes it touches
//! only; a drag re-renders none (see the drag preview below).

mod cluster_shape;
mod draw;
mod link_edge;
mod pinch;
mod stream_shape;
mod supercluster_group;

use crate::fanout::Fanout;
use crate::model::edit::CopyKind;
use crate::model::geometry::{self, cluster_rect, Point, Rect, Viewport, CLUSTER_WIDTH, STREAM_HEIGHT};
use crate::model::gesture::Pointer;
use crate::model::{ClusterId, LinkKind, LinkRoute, RouteInputs};
use crate::state::actions::{self, canvas_element, screen_point, PALETTE_KIND_TYPE, PALETTE_TYPE};
use crate::state::{in_text_field, use_editor, use_ui, Editor, Gesture, Shape};
use cluster_shape::ClusterShape;
use leptos::ev;
use leptos::prelude::*;
use link_edge::LinkEdge;
use std::collections::{BTreeMap, HashMap};
use supercluster_group::Superclusters;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The kinds of links a drag preview draws, with their classes.
const STRETCHED_KINDS: [(LinkKind, &str); 4] = [
    (LinkKind::Leafnode, "leafnode"),
    (LinkKind::Gateway, "gateway"),
    (LinkKind::Mirror, "mirror"),
    (LinkKind::Source, "source"),
];

/// The links of one kind and direction between the dragged clusters and one other cluster, drawn
/// as one curve while a drag lasts.
#[derive(Clone, PartialEq)]
struct Bundle {
    /// Index into `STRETCHED_KINDS`.
    kind: usize,
    /// The curve, unmoved (`Route::bundled`).
    route: geometry::Route,
    /// Whether the curve starts on a dragged cluster (else it ends on one).
    from_moves: bool,
    /// How many links it stands for.
    links: usize,
}

/// What a drag draws in the overlay, found when it starts.
#[derive(Clone, PartialEq)]
struct DragDrawing {
    /// A dragged cluster, whose offset the drag follows (all move by the same).
    first: ClusterId,
    moving: Vec<ClusterId>,
    bundles: Vec<Bundle>,
    /// The links with both ends on dragged clusters: their kind and route.
    inner: Vec<(usize, geometry::Route)>,
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// What a drag draws in the drag overlay (see `Canvas`): the overlay itself is always there,
/// empty between drags; dropping this empties it and shows the canvas' own elements of the
/// dragged clusters again.
struct Overlay {
    moving: Vec<ClusterId>,
    root: web_sys::Element,
    /// The copies of the dragged clusters and of the links between them.
    moved: web_sys::Element,
    /// The group of the bundles' curves.
    bundled: web_sys::Element,
    /// One path per bundle.
    curves: Vec<web_sys::Element>,
    /// The canvas' own groups of the dragged clusters, hidden while the copies move.
    hidden: Vec<web_sys::Element>,
    /// What the overlay was last placed for (the canvas' unit and view box), so that a
    /// move that leaves them alone neither measures the canvas nor sets them again.
    placed: String,
}

impl Overlay {
    /// Fills the overlay `root` with what `drawing` moves.
    fn new(svg: &web_sys::Element, root: web_sys::Element, drawing: &DragDrawing) -> Option<Overlay> {
        let document = svg.owner_document()?;
        let make = |name: &str, class: &str| {
            let e = document.create_element_ns(Some(SVG_NS), name).ok()?;
            let _ = e.set_attribute("class", class);
            Some(e)
        };
        let (moved, inner, bundled) =
            (make("g", "drag-moved")?, make("g", "drag-preview")?, make("g", "drag-preview")?);
        // The links between dragged clusters move with them, under their copies.
        let _ = moved.append_child(&inner);
        let _ = root.append_child(&bundled);
        let _ = root.append_child(&moved);
        // From here on, dropping it puts everything back.
        let mut overlay = Overlay {
            moving: drawing.moving.clone(),
            root,
            moved,
            bundled,
            curves: Vec::new(),
            hidden: Vec::new(),
            placed: String::new(),
        };
        for id in &drawing.moving {
            let Some(own) = svg.query_selector(&format!("g.clusters > g[data-id=\"{id}\"]")).ok().flatten() else {
                continue;
            };
            let Some(copy) = own.clone_node_with_deep(true).ok().and_then(|c| c.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            // A picture only: not a second cluster for assistive technology, the keyboard or the
            // pointer (the overlay takes no pointer events either).
            for attribute in ["role", "aria-roledescription", "aria-label", "tabindex", "data-id"] {
                let _ = copy.remove_attribute(attribute);
                if let Ok(list) = copy.query_selector_all(&format!("[{attribute}]")) {
                    for i in 0..list.length() {
                        if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                            let _ = e.remove_attribute(attribute);
                        }
                    }
                }
            }
            let _ = overlay.moved.append_child(&copy);
            let _ = own.set_attribute("visibility", "hidden");
            overlay.hidden.push(own);
        }
        for (kind, route) in &drawing.inner {
            let path = make("path", &format!("{} link-line", STRETCHED_KINDS[*kind].1))?;
            let _ = path.set_attribute("d", &route.svg_path());
            let _ = inner.append_child(&path);
        }
        for bundle in &drawing.bundles {
            let many = if bundle.links > 1 { " many" } else { "" };
            let path = make("path", &format!("{} link-line{many}", STRETCHED_KINDS[bundle.kind].1))?;
            let _ = overlay.bundled.append_child(&path);
            overlay.curves.push(path);
        }
        Some(overlay)
    }

    /// Places the overlay over the canvas as it is now and draws the drag `by` so far.
    fn show(&mut self, svg: &web_sys::Element, view_box: &str, unit: &str, by: Point, drawing: &DragDrawing) {
        // The canvas' box is read only when its unit or view changed (the view box holds the
        // canvas' size): on a plain move nothing is measured.
        let placed = format!("{unit}|{view_box}");
        if placed != self.placed {
            let (r, parent) = (svg.get_bounding_client_rect(), svg.parent_element());
            let p = parent.map(|p| p.get_bounding_client_rect());
            let (left, top) = p.map_or((0.0, 0.0), |p| (r.left() - p.left(), r.top() - p.top()));
            let style = format!(
                "{unit}; position: absolute; left: {left}px; top: {top}px; width: {}px; height: {}px; pointer-events: none",
                r.width(),
                r.height()
            );
            let _ = self.root.set_attribute("style", &style);
            let _ = self.root.set_attribute("viewBox", view_box);
            self.placed = placed;
        }
        let _ = self.moved.set_attribute("transform", &format!("translate({:.1} {:.1})", by.x, by.y));
        for (path, bundle) in self.curves.iter().zip(&drawing.bundles) {
            let (from_by, to_by) = if bundle.from_moves { (by, Point::default()) } else { (Point::default(), by) };
            let _ = path.set_attribute("d", &bundle.route.stretched(from_by, to_by).svg_path());
        }
    }
}

impl Drop for Overlay {
    fn drop(&mut self) {
        // Emptied, not removed: the overlay stays (see `Canvas`).
        self.moved.remove();
        self.bundled.remove();
        for own in &self.hidden {
            let _ = own.remove_attribute("visibility");
        }
    }
}

/// Below this zoom the canvas drops its small text (see `.canvas.far` in the stylesheet).
const FAR_ZOOM: f64 = 0.35;
/// Below this zoom the canvas draws no text at all (the names would be under 4 px tall).
const TINY_ZOOM: f64 = 0.25;

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
        let before = editor.view.screen.get_untracked();
        if before == size {
            return;
        }
        editor.view.screen.set(size);
        let view = editor.view.viewport.get_untracked();
        if editor.view.last_fit.get_value().is_none_or(|fitted| fitted == view) {
            actions::fit(editor);
        } else {
            editor.view.viewport.set(view.resized(before, size));
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
        // The observer reports the canvas' size once the page is laid out (and fits the view to
        // it, see `measure`): measuring here would lay out the page while it is being built.
        observer.observe(&svg);
        Some(observer)
    });
    // Until it is measured, the view is fitted to the window: the page is first laid out at
    // about the zoom it opens with, far out without any text for a large design, instead of
    // laying out every label at zoom 1 (see `opening_fit`).
    if editor.view.last_fit.get_value().is_none() {
        opening_fit(editor);
    }
    let _ = window_event_listener(ev::keydown, move |e| {
        if e.key() == " " && !in_text_field(&e) {
            space_held.set(true);
        }
    });
    let _ = window_event_listener(ev::keyup, move |e| {
        if e.key() == " " {
            space_held.set(false);
        }
    });

    let view_box = move || {
        let (w, h) = editor.view.screen.get();
        editor.view.viewport.get().view_box(w, h)
    };
    // A memo, so that panning (which keeps the zoom) does not set the style again: a new value
    // of the property restyles every shape.
    let unit = Memo::new(move |_| editor.view.viewport.with(|v| format!("--unit: {:.3}px", 1.0 / v.zoom)));
    let cluster_ids = Memo::new(move |_| editor.with_design(|d| d.clusters().map(|(id, _)| id).collect::<Vec<_>>()));
    let links = Memo::new(move |_| editor.with_design(|d| d.links()));
    // What else of the design routes depend on: equal after most edits, so that an edit that
    // moves nothing (a stream's replicas) does not route every link again.
    let route_inputs = Memo::new(move |_| editor.with_design(|d| links.with(|links| RouteInputs::new(d, links))));
    // All links are routed in one pass over one layout: routing one link at a time would
    // measure the design's boxes again for each. Routes are a function of the layout, the links
    // and `route_inputs` (tested in `model::links`), so the design itself is read untracked.
    let all_routes: Memo<HashMap<String, LinkRoute>> = Memo::new(move |_| {
        let layout = editor.doc.layout();
        route_inputs.track();
        layout.with(|layout| {
            editor.with_design_untracked(|d| {
                links.with(|links| {
                    // In one pass, so that labels of links side by side stay clear of each other.
                    let routes = layout.routes(d, links);
                    links.iter().zip(routes).filter_map(|(link, route)| Some((link.key(), route?))).collect()
                })
            })
        })
    });
    let routes: link_edge::Routes =
        Fanout::follow(all_routes, |all: &HashMap<String, LinkRoute>, key: &String| all.get(key).cloned());

    // While a drag lasts, the links with one end on a dragged cluster are hidden (their own
    // elements stay as they are) and drawn by the drag overlay in bundles, one curve for all the
    // links of one kind and direction between the dragged clusters and one other cluster
    // (`Route::bundled`), without labels, badges or arrowheads: the hub's 1,078 links are some
    // 150 curves. Links with both ends on dragged clusters are drawn there as they are routed.
    // Found when the drag starts; the drop routes every link properly again.
    let bundles = Memo::new(move |_| {
        let moving = editor.interaction.moving();
        let first = moving.first().copied()?;
        let layout = editor.doc.layout();
        let (bundles, inner): (Vec<Bundle>, Vec<(usize, geometry::Route)>) = layout.with_untracked(|layout| {
            all_routes.with_untracked(|routes| {
                links.with_untracked(|links| {
                    let mut by_end: BTreeMap<(ClusterId, usize, bool), Vec<&geometry::Route>> = BTreeMap::new();
                    let mut inner = Vec::new();
                    for link in links {
                        let Some((a, b)) = layout.ends(link) else { continue };
                        let (ma, mb) = (moving.contains(&a), moving.contains(&b));
                        let kind = STRETCHED_KINDS.iter().position(|(k, _)| *k == link.kind());
                        let (Some(kind), Some(route)) = (kind, routes.get(&link.key())) else { continue };
                        if ma && mb {
                            inner.push((kind, route.route.clone()));
                        } else if ma || mb {
                            let other = if ma { b } else { a };
                            by_end.entry((other, kind, ma)).or_default().push(&route.route);
                        }
                    }
                    let bundles = by_end
                        .into_iter()
                        .filter_map(|((_, kind, from_moves), routes)| {
                            let links = routes.len();
                            Some(Bundle { kind, route: geometry::Route::bundled(routes)?, from_moves, links })
                        })
                        .collect();
                    (bundles, inner)
                })
            })
        });
        Some(DragDrawing { first, moving: moving.into_iter().collect(), bundles, inner })
    });
    // The drag overlay: an SVG over the canvas, filled when a drag starts and emptied when it
    // ends, holding copies of the dragged clusters and of the links between them (one group,
    // moved by a transform) and the bundles' curves, set on each move outside the reactive graph.
    // The canvas' own elements change only when the drag starts (the dragged clusters and their
    // links hidden) and ends: any change inside the canvas makes the browser walk all of its
    // thousands of elements again before painting (pre-paint: 21-28 ms a frame with 5,000
    // streams, for one path or one transform), a change in the overlay walks the overlay.
    // The overlay's own element stays beside the canvas between drags: adding or removing an
    // element there lays the whole canvas out again (150-220 ms at a readable zoom on 50
    // clusters / 1,000 streams, most of a drag's first frame and of its drop).
    let overlay_ref = NodeRef::<leptos::svg::Svg>::new();
    let overlay = StoredValue::new_local(None::<Overlay>);
    Effect::new(move |_| {
        let (Some(svg), Some(root)) = (svg_ref.get(), overlay_ref.get()) else { return };
        let view_box = view_box();
        let unit = unit.get();
        bundles.with(|drawing| {
            let Some(drawing) = drawing else {
                overlay.update_value(|o| drop(o.take()));
                return;
            };
            let by = editor.interaction.preview_offset(drawing.first);
            overlay.update_value(|o| {
                if o.as_ref().is_none_or(|o| o.moving != drawing.moving) {
                    drop(o.take());
                    *o = Overlay::new(&svg, root.into(), drawing);
                }
                if let Some(o) = o {
                    o.show(&svg, &view_box, &unit, by, drawing);
                }
            });
        });
    });

    pinch::install(editor, svg_ref);

    let world = move |client_x: i32, client_y: i32| -> Point {
        let screen = svg_ref.get_untracked().map(|svg| screen_point(&svg, client_x, client_y)).unwrap_or_default();
        editor.view.viewport.get_untracked().to_world(screen)
    };

    let screen_of = move |client_x: i32, client_y: i32| -> Point {
        svg_ref.get_untracked().map(|svg| screen_point(&svg, client_x, client_y)).unwrap_or_default()
    };

    let on_background_down = move |e: ev::PointerEvent| {
        if e.button() != 0 && e.button() != 1 {
            return;
        }
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.set_pointer_capture(e.pointer_id());
        }
        // On a touch screen one finger on the background pans, as people expect there; two pinch.
        let pan = e.button() == 1 || space_held.get_untracked() || e.pointer_type() == "touch";
        let screen = screen_of(e.client_x(), e.client_y());
        actions::press_background(editor, screen, world(e.client_x(), e.client_y()), pan, e.shift_key());
    };

    let on_move = move |e: ev::PointerEvent| {
        let pointer = Pointer {
            screen: screen_of(e.client_x(), e.client_y()),
            world: world(e.client_x(), e.client_y()),
            alt: e.alt_key(),
        };
        actions::pointer_moved(editor, pointer);
    };

    let on_up = move |e: ev::PointerEvent| {
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.release_pointer_capture(e.pointer_id());
        }
        actions::finish_gesture(editor, false);
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
        editor.view.viewport.update(|v| *v = v.zoom_at(screen, factor));
    };

    let on_drop = move |e: ev::DragEvent| {
        e.prevent_default();
        // Files dropped from outside the page: a design file is opened, configuration files are
        // imported into a new design.
        if let Some(list) = e.data_transfer().and_then(|t| t.files()).filter(|f| f.length() > 0) {
            let files = (0..list.length()).filter_map(|i| list.get(i)).collect();
            actions::open_or_import(editor, files);
            return;
        }
        ghost.set(None);
        let kind = e.data_transfer().and_then(|t| t.get_data(PALETTE_TYPE).ok()).unwrap_or_default();
        actions::create(editor, ui, &kind, world(e.client_x(), e.client_y()));
    };
    // While a palette item is dragged over the canvas, a ghost shows where it would land.
    let on_drag_over = move |e: ev::DragEvent| {
        e.prevent_default();
        let kind = e.data_transfer().and_then(|t| {
            let types = t.types();
            (0..types.length()).filter_map(|i| types.get(i).as_string()).find_map(|ty| {
                ["hub", "spoke", "region", "stream", "bucket", "object-store"]
                    .into_iter()
                    .find(|k| ty.strip_prefix(PALETTE_KIND_TYPE) == Some(*k))
            })
        });
        let at = world(e.client_x(), e.client_y());
        let rect = kind.map(|kind| {
            if matches!(kind, "stream" | "bucket" | "object-store") {
                let size = Point::new(CLUSTER_WIDTH - 32.0, STREAM_HEIGHT);
                Rect { x: at.x - size.x / 2.0, y: at.y - size.y / 2.0, width: size.x, height: size.y }
            } else {
                let origin = editor.view.snapped(actions::cluster_origin_for(editor, at));
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
        if e.key() == "Escape" && editor.interaction.gesture.with_untracked(|g| *g != Gesture::Idle) {
            actions::finish_gesture(editor, true);
            e.prevent_default();
        }
    };

    let selection_rect = move || {
        editor.interaction.gesture.with(|g| match g {
            Gesture::Select { from, to, .. } => Some(Rect::from_corners(*from, *to)),
            _ => None,
        })
    };
    let connect_line = move || {
        editor.interaction.gesture.with(|g| match g {
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
            class:panning=move || space_held.get() || editor.interaction.gesture.with(|g| matches!(g, Gesture::Pan { .. }))
            // Level of detail: far out, small text is unreadable and costs most of the painting.
            class:far=move || editor.view.viewport.with(|v| v.zoom < FAR_ZOOM)
            // Further out, text would be under 4 px: none is drawn, nor arrowheads.
            class:tiny=move || editor.view.viewport.with(|v| v.zoom < TINY_ZOOM)
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
            on:pointercancel=move |_| actions::finish_gesture(editor, true)
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
            <Superclusters />
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
        // The drag overlay (see above): empty between drags. Its classes are the canvas' own
        // levels of detail, set with them: giving it a class when a drag starts cost as much as
        // adding it (a forced layout of 150-240 ms at 38 % on 50 clusters / 1,000 streams).
        <svg
            node_ref=overlay_ref
            class="canvas drag-overlay"
            class:far=move || editor.view.viewport.with(|v| v.zoom < FAR_ZOOM)
            class:tiny=move || editor.view.viewport.with(|v| v.zoom < TINY_ZOOM)
            aria-hidden="true"
            preserveAspectRatio="xMinYMin meet"
            style="position: absolute; left: 0; top: 0; width: 0; height: 0; pointer-events: none"
        />
    }
}

/// Fits the view to the window's size, read without laying out the page: the canvas is not
/// drawn yet. The `ResizeObserver` fits it to the canvas' own size after the first layout.
fn opening_fit(editor: Editor) {
    let Some(window) = web_sys::window() else { return };
    let size = |v: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| v.ok().and_then(|v| v.as_f64());
    if let (Some(w), Some(h)) = (size(window.inner_width()), size(window.inner_height())) {
        if w > 0.0 && h > 0.0 {
            editor.view.screen.set((w, h));
        }
    }
    actions::fit(editor);
}

/// The pointer's position in world units; also captures the pointer on the canvas, so that a
/// drag that leaves a shape (or the window) still reaches the canvas' handlers.
pub fn pointer_world(editor: Editor, e: &ev::PointerEvent) -> Point {
    let Some(svg) = canvas_element() else { return Point::default() };
    let _ = svg.set_pointer_capture(e.pointer_id());
    editor.view.viewport.get_untracked().to_world(screen_point(&svg, e.client_x(), e.client_y()))
}

/// A key on a shape's connection handle: the model's keyboard path of the drag.
pub fn handle_key(editor: Editor, from: Shape, e: &ev::KeyboardEvent) {
    if actions::connect_key(editor, from, &e.key()) {
        e.prevent_default();
        e.stop_propagation();
    }
}

/// A small round badge with the worst severity of an element's problems, at a fixed point of
/// its shape. It reads the element's own key of the problems' fan-out (no memo of its own: that
/// signal changes only with the element's worst severity) and is drawn only while there is one.
#[component]
pub fn Badge(target: crate::model::validate::Target, at: Point) -> impl IntoView {
    let editor = use_editor();
    move || {
        editor.doc.worst(&target).map(|severity| {
            let (class, mark, label) = draw::badge_look(severity);
            view! {
                <g class=class role="img" aria-label=label>
                    <circle cx=at.x cy=at.y r="9" />
                    <text x=at.x y=at.y + 4.0 text-anchor="middle">{mark}</text>
                </g>
            }
        })
    }
}
