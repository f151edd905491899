//! The minimap: every cluster of the design as a small box coloured by its role, and the part
//! of the world the canvas shows as a frame. Clicking or dragging in it moves the view there;
//! with the keyboard, the arrows move the view.
//!
//! It stays cheap on large designs: each box reads its own cluster's drag offset, as the
//! canvas' shapes do, so a drag re-renders one box, and panning or zooming re-renders the frame.
//! It shows itself for large designs; the "Minimap" button shows or hides it.

use crate::model::geometry::{Point, Rect, Viewport};
use crate::model::{ClusterId, Role};
use crate::state::{use_editor, Shape};
use leptos::ev;
use leptos::prelude::*;

/// The minimap's size in screen pixels.
const WIDTH: f64 = 200.0;
const HEIGHT: f64 = 140.0;
/// Space around the design inside the minimap, in minimap pixels.
const MARGIN: f64 = 8.0;
/// A design is large (and the minimap shows itself) from this many clusters or streams.
const LARGE_CLUSTERS: usize = 8;
const LARGE_STREAMS: usize = 60;
/// How far an arrow key moves the view, as a share of what the canvas shows.
const KEY_STEP: f64 = 0.25;

#[component]
pub fn Minimap() -> impl IntoView {
    let editor = use_editor();
    let layout = editor.doc.layout();
    // `None` until the user decides with the button: then the design's size decides.
    let chosen = RwSignal::new(None::<bool>);
    let large = Memo::new(move |_| {
        editor.with_design(|d| d.clusters().count() >= LARGE_CLUSTERS || d.streams().count() >= LARGE_STREAMS)
    });
    let shown = Memo::new(move |_| chosen.get().unwrap_or_else(|| large.get()));
    let ids = Memo::new(move |_| layout.with(|l| l.clusters().map(|(id, _)| id).collect::<Vec<_>>()));
    // The minimap's own viewport: the whole design, whatever the zoom that takes.
    let map = Memo::new(move |_| {
        let bounds = layout.with(|l| l.bounds()).unwrap_or(Rect { x: 0.0, y: 0.0, width: 800.0, height: 600.0 });
        let fitted = Viewport::overview(bounds, WIDTH - 2.0 * MARGIN, HEIGHT - 2.0 * MARGIN);
        fitted.pan_by(MARGIN, MARGIN)
    });
    let frame = Memo::new(move |_| {
        let (w, h) = editor.view.screen.get();
        editor.view.viewport.get().visible(w, h)
    });
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let dragging = RwSignal::new(false);

    // Centres the canvas' view on the world point under the pointer.
    let look_at = move |e: &ev::PointerEvent| {
        let Some(svg) = svg_ref.get_untracked() else { return };
        let r = svg.get_bounding_client_rect();
        let at =
            map.get_untracked().to_world(Point::new(e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top()));
        let (w, h) = editor.view.screen.get_untracked();
        editor.view.viewport.update(|v| *v = v.centred_on(at, w, h));
    };
    let on_down = move |e: ev::PointerEvent| {
        if e.button() != 0 {
            return;
        }
        e.prevent_default();
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.set_pointer_capture(e.pointer_id());
        }
        dragging.set(true);
        look_at(&e);
    };
    let on_move = move |e: ev::PointerEvent| {
        if dragging.get_untracked() {
            look_at(&e);
        }
    };
    let on_up = move |e: ev::PointerEvent| {
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.release_pointer_capture(e.pointer_id());
        }
        dragging.set(false);
    };
    let on_key = move |e: ev::KeyboardEvent| {
        let (dx, dy) = match e.key().as_str() {
            "ArrowLeft" => (-1.0, 0.0),
            "ArrowRight" => (1.0, 0.0),
            "ArrowUp" => (0.0, -1.0),
            "ArrowDown" => (0.0, 1.0),
            _ => return,
        };
        // The page moves the selection with the arrows; here they move the view.
        e.prevent_default();
        e.stop_propagation();
        let (w, h) = editor.view.screen.get_untracked();
        editor.view.viewport.update(|v| *v = v.pan_by(-dx * w * KEY_STEP, -dy * h * KEY_STEP));
    };

    view! {
        <div class="minimap-dock">
            <button
                type="button"
                class="minimap-toggle"
                aria-pressed=move || shown.get().to_string()
                title="Show or hide the overview of the whole design"
                on:click=move |_| chosen.set(Some(!shown.get_untracked()))
            >
                "Minimap"
            </button>
            <Show when=move || shown.get()>
                <figure
                    class="minimap"
                    aria-label="Minimap"
                    aria-describedby="minimap-help"
                    tabindex="0"
                    on:keydown=on_key
                >
                    <svg
                        node_ref=svg_ref
                        class:dragging=move || dragging.get()
                        width=WIDTH
                        height=HEIGHT
                        viewBox=move || map.get().view_box(WIDTH, HEIGHT)
                        preserveAspectRatio="xMinYMin meet"
                        aria-hidden="true"
                        on:pointerdown=on_down
                        on:pointermove=on_move
                        on:pointerup=on_up
                        on:pointercancel=on_up
                    >
                        <For each=move || ids.get() key=|id| *id let:id>
                            <MinimapCluster id />
                        </For>
                        <rect
                            class="minimap-frame"
                            x=move || frame.get().x
                            y=move || frame.get().y
                            width=move || frame.get().width
                            height=move || frame.get().height
                            vector-effect="non-scaling-stroke"
                        />
                    </svg>
                    <figcaption id="minimap-help" class="sr-only">
                        "Overview of the whole design. Click or drag to move the view there; arrow keys move it too."
                    </figcaption>
                </figure>
            </Show>
        </div>
    }
}

/// One cluster's box on the minimap: it follows the cluster while a drag previews its move.
#[component]
fn MinimapCluster(id: ClusterId) -> impl IntoView {
    let editor = use_editor();
    let layout = editor.doc.layout();
    let base = Memo::new(move |_| layout.with(|l| l.cluster_rect(id)).unwrap_or_default());
    let rect = Memo::new(move |_| base.get().translate(editor.interaction.preview_offset(id)));
    let role = Memo::new(move |_| {
        editor.with_design_of(Shape::Cluster(id), |d| match d.cluster(id).map(|c| c.role) {
            Some(Role::Hub) => "minimap-cluster hub",
            Some(Role::Spoke) => "minimap-cluster spoke",
            _ => "minimap-cluster standalone",
        })
    });
    view! {
        <rect
            class=move || role.get()
            data-id=id.to_string()
            x=move || rect.get().x
            y=move || rect.get().y
            width=move || rect.get().width
            height=move || rect.get().height
            vector-effect="non-scaling-stroke"
        />
    }
}
