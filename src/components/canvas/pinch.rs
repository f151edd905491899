//! Two-finger pinch on touch screens: the view zooms with the fingers' distance and pans with
//! their midpoint. (A trackpad pinch arrives as a Ctrl+wheel event and is zoomed like the wheel.)
//!
//! The listeners run in the capture phase on the canvas, so that once a second finger touches
//! down no shape or background handler sees the fingers: the gesture the first finger started
//! is cancelled and the pinch owns both.

use crate::model::geometry::{Point, Viewport};
use crate::state::actions::{finish_gesture, screen_point};
use crate::state::Editor;
use gloo::events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// The view and the fingers' places when the pinch began.
type Start = (Viewport, (Point, Point));

/// The first two fingers, by pointer id.
fn pair(touches: &BTreeMap<i32, Point>) -> Option<(Point, Point)> {
    let mut points = touches.values();
    Some((*points.next()?, *points.next()?))
}

pub fn install(editor: Editor, svg: NodeRef<leptos::svg::Svg>) {
    let touches = StoredValue::new(BTreeMap::<i32, Point>::new());
    let pinch = StoredValue::new(None::<Start>);
    Effect::new(move |installed: Option<Option<Vec<EventListener>>>| {
        if let Some(Some(listeners)) = installed {
            return Some(listeners);
        }
        let el = svg.get()?;
        let target: web_sys::EventTarget = el.clone().unchecked_into();
        let element: web_sys::Element = el.unchecked_into();
        let point = move |e: &web_sys::PointerEvent| screen_point(&element, e.client_x(), e.client_y());
        let touch = |event: &web_sys::Event| {
            event.dyn_ref::<web_sys::PointerEvent>().filter(|e| e.pointer_type() == "touch").cloned()
        };
        let listen = |name: &'static str, handler: Box<dyn Fn(&web_sys::Event)>| {
            EventListener::new_with_options(&target, name, EventListenerOptions::run_in_capture_phase(), handler)
        };

        let down = {
            let point = point.clone();
            move |event: &web_sys::Event| {
                let Some(e) = touch(event) else { return };
                touches.update_value(|t| {
                    t.insert(e.pointer_id(), point(&e));
                });
                match touches.with_value(BTreeMap::len) {
                    0 | 1 => {}
                    2 => {
                        finish_gesture(editor, true);
                        let fingers = touches.with_value(pair);
                        pinch.set_value(fingers.map(|f| (editor.view.viewport.get_untracked(), f)));
                        e.stop_propagation();
                    }
                    _ => e.stop_propagation(),
                }
            }
        };
        let moved = {
            let point = point.clone();
            move |event: &web_sys::Event| {
                let Some(e) = touch(event) else { return };
                if !touches.with_value(|t| t.contains_key(&e.pointer_id())) {
                    return;
                }
                touches.update_value(|t| {
                    t.insert(e.pointer_id(), point(&e));
                });
                let Some((start, from)) = pinch.get_value() else { return };
                if let Some(to) = touches.with_value(pair) {
                    editor.view.viewport.set(Viewport::pinch(&start, from, to));
                }
                e.stop_propagation();
            }
        };
        let lifted = move |event: &web_sys::Event| {
            let Some(e) = touch(event) else { return };
            touches.update_value(|t| {
                t.remove(&e.pointer_id());
            });
            if pinch.with_value(Option::is_some) {
                e.stop_propagation();
                if touches.with_value(BTreeMap::len) < 2 {
                    pinch.set_value(None);
                }
            }
        };
        Some(vec![
            listen("pointerdown", Box::new(down)),
            listen("pointermove", Box::new(moved)),
            listen("pointerup", Box::new(lifted)),
            listen("pointercancel", Box::new(lifted)),
        ])
    });
}
