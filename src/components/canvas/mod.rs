//! The SVG canvas: clusters with their streams, the links between them, and every pointer
//! gesture (pan, zoom, move, select, connect, drop from the palette).
//!
//! The canvas only forwards events: `model::gesture` decides what a pointer move previews and
//! what a release does (one command, so one drag is one undo step), and `state::actions`
//! applies it. Each shape derives its own memos, so an edit re-renders the shapes it touches
//! only; a drag re-renders none (see the drag preview below).

mod cluster_shape;
mod link_edge;
mod pinch;
mod stream_shape;
mod supercluster_group;

use crate::fanout::Fanout;
use crate::model::edit::CopyKind;
use crate::model::geometry::{self, cluster_rect, Point, Rect, Viewport, CLUSTER_WIDTH, STREAM_HEIGHT};
use crate::model::gesture::Pointer;
use crate::model::{ClusterId, LinkKind, LinkRoute};
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
        observer.observe(&svg);
        measure();
        if editor.view.last_fit.get_value().is_none() {
            actions::fit(editor);
        }
        Some(observer)
    });
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
    // All links are routed in one pass over one layout: routing one link at a time would
    // measure the design's boxes again for each.
    let all_routes: Memo<HashMap<String, LinkRoute>> = Memo::new(move |_| {
        let layout = editor.doc.layout();
        layout.with(|layout| {
            editor.with_design(|d| {
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
    // elements stay as they are) and drawn here in bundles, one curve for all the links of one
    // kind and direction between the dragged clusters and one other cluster (`Route::bundled`),
    // without labels, badges or arrowheads: the hub's 1,078 links are some 150 curves. Found
    // when the drag starts; the drop routes every link properly again.
    let bundles = Memo::new(move |_| {
        let moving = editor.interaction.moving();
        let first = moving.first().copied()?;
        let layout = editor.doc.layout();
        let bundles: Vec<Bundle> = layout.with_untracked(|layout| {
            all_routes.with_untracked(|routes| {
                links.with_untracked(|links| {
                    let mut by_end: BTreeMap<(ClusterId, usize, bool), Vec<&geometry::Route>> = BTreeMap::new();
                    for link in links {
                        let Some((a, b)) = layout.ends(link) else { continue };
                        let (ma, mb) = (moving.contains(&a), moving.contains(&b));
                        let kind = STRETCHED_KINDS.iter().position(|(k, _)| *k == link.kind());
                        if let (true, Some(kind), Some(route)) = (ma != mb, kind, routes.get(&link.key())) {
                            let other = if ma { b } else { a };
                            by_end.entry((other, kind, ma)).or_default().push(&route.route);
                        }
                    }
                    by_end
                        .into_iter()
                        .filter_map(|((_, kind, from_moves), routes)| {
                            let links = routes.len();
                            Some(Bundle { kind, route: geometry::Route::bundled(routes)?, from_moves, links })
                        })
                        .collect()
                })
            })
        });
        Some((first, moving.into_iter().collect::<Vec<_>>(), bundles))
    });
    // Each move sets, outside the reactive graph, a transform on the dragged clusters' groups
    // (their shapes are not drawn again: a cluster and its streams are some hundred elements)
    // and the curve of each bundle, one path element each, made when the drag starts: one path
    // for all of them was slower to paint (every tile of the canvas draws all of a path that
    // crosses it), and a reactive node per link re-subscribes to the moved cluster's offset on
    // each move. A per-cluster moving signal changes only when the drag starts and ends.
    let preview_ref = NodeRef::<leptos::svg::G>::new();
    let transformed = StoredValue::new_local((Vec::<ClusterId>::new(), Vec::<web_sys::Element>::new()));
    Effect::new(move |_| {
        let (Some(group), Some(svg)) = (preview_ref.get(), svg_ref.get()) else { return };
        let group: &web_sys::Element = &group;
        bundles.with(|s| {
            let (ids, items) = s.as_ref().map(|(_, ids, items)| (ids.as_slice(), items.as_slice())).unwrap_or_default();
            let by = s.as_ref().map(|(first, _, _)| editor.interaction.preview_offset(*first)).unwrap_or_default();
            // The dragged clusters' groups, found when the drag starts; a cluster the drag no
            // longer moves (it ended: the design has the move now) loses its transform.
            transformed.update_value(|(moved, elements)| {
                if moved.as_slice() != ids {
                    for element in elements.drain(..) {
                        let _ = element.remove_attribute("transform");
                    }
                    *moved = ids.to_vec();
                    *elements = ids
                        .iter()
                        .filter_map(|id| {
                            svg.query_selector(&format!("g.clusters > g[data-id=\"{id}\"]")).ok().flatten()
                        })
                        .collect();
                }
                let transform = format!("translate({:.1} {:.1})", by.x, by.y);
                for element in elements.iter() {
                    let _ = element.set_attribute("transform", &transform);
                }
            });
            let Some(document) = group.owner_document() else { return };
            // The paths follow the bundles, in order: made or removed only when the drag starts or ends.
            while group.child_element_count() as usize > items.len() {
                if let Some(last) = group.last_element_child() {
                    last.remove();
                }
            }
            while (group.child_element_count() as usize) < items.len() {
                let Ok(path) = document.create_element_ns(Some("http://www.w3.org/2000/svg"), "path") else { return };
                let item = &items[group.child_element_count() as usize];
                let (_, class) = STRETCHED_KINDS[item.kind];
                let many = if item.links > 1 { " many" } else { "" };
                let _ = path.set_attribute("class", &format!("{class} link-line{many}"));
                let _ = group.append_child(&path);
            }
            let mut path = group.first_element_child();
            for item in items {
                let Some(element) = path else { break };
                let (from_by, to_by) = if item.from_moves { (by, Point::default()) } else { (Point::default(), by) };
                let _ = element.set_attribute("d", &item.route.stretched(from_by, to_by).svg_path());
                path = element.next_element_sibling();
            }
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
            <g class="drag-preview" aria-hidden="true" node_ref=preview_ref></g>
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

/// A small round badge with the worst severity of an element's problems.
#[component]
pub fn Badge(target: crate::model::validate::Target, #[prop(into)] at: Signal<Point>) -> impl IntoView {
    use crate::model::validate::Severity;
    let editor = use_editor();
    let worst = Memo::new(move |_| editor.doc.worst(&target));
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
