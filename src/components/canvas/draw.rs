//! Drawing straight into the DOM, for the shapes a canvas has thousands of.
//!
//! Through `view!`, each attribute or run of children that can change is a reactive node of its
//! own: with a thousand links, building those was much of the time to everything drawn. A shape
//! drawn here builds its elements once and keeps one update (a `RenderEffect`) that writes only
//! what changed since its last run.

use crate::model::geometry::Point;
use crate::model::validate::Severity;
use leptos::prelude::*;
use web_sys::Element;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// A new SVG element with its fixed attributes.
pub fn svg(name: &str, attributes: &[(&str, &str)]) -> Element {
    let e = document().create_element_ns(Some(SVG_NS), name).expect("an SVG element");
    for (name, value) in attributes {
        let _ = e.set_attribute(name, value);
    }
    e
}

/// Sets the attribute `name` to `value` unless `last` (what was last written) already says so.
pub fn update(e: &Element, name: &str, last: &mut String, value: String) {
    if *last != value {
        let _ = e.set_attribute(name, &value);
        *last = value;
    }
}

/// A number as an attribute's value, written as `view!` writes it.
pub fn num(value: f64) -> String {
    value.to_string()
}

/// Keeps a group's `<title>` (its first child) saying `text`: created when there is one,
/// rewritten when it changed, removed when there is none. `drawn` is the title and its text.
pub fn set_title(g: &Element, drawn: &mut Option<(Element, String)>, text: Option<String>) {
    match (text, drawn) {
        (None, drawn) => {
            if let Some((e, _)) = drawn.take() {
                e.remove();
            }
        }
        (Some(new), Some((e, old))) => {
            if *old != new {
                e.set_text_content(Some(&new));
                *old = new;
            }
        }
        (Some(new), drawn @ None) => {
            let e = svg("title", &[]);
            e.set_text_content(Some(&new));
            let _ = g.prepend_with_node_1(&e);
            *drawn = Some((e, new));
        }
    }
}

/// Keeps `effect` running as long as the current owner (the shape's) lives.
pub fn keep<T: 'static>(effect: RenderEffect<T>) {
    StoredValue::new_local(effect);
}

/// A problem badge's class, mark and accessible name for a severity.
pub fn badge_look(severity: Severity) -> (&'static str, &'static str, &'static str) {
    match severity {
        Severity::Error => ("badge error", "!", "has errors"),
        Severity::Warning => ("badge warning", "!", "has warnings"),
        Severity::Info => ("badge info", "i", "has notes"),
    }
}

/// A problem badge drawn into a parent element: a small round mark with the worst severity of
/// an element's problems, there only while it has some.
#[derive(Default)]
pub struct BadgeNode {
    /// The group, its circle and its mark, while shown.
    drawn: Option<(Element, Element, Element)>,
    severity: Option<Severity>,
    at: Option<Point>,
}

impl BadgeNode {
    /// Shows `severity` centred at `at` in `parent` (before `before`, else last), or removes the
    /// badge when there is none.
    pub fn show(&mut self, parent: &Element, before: Option<&Element>, severity: Option<Severity>, at: Point) {
        let Some(severity) = severity else {
            if let Some((g, _, _)) = self.drawn.take() {
                g.remove();
            }
            self.severity = None;
            self.at = None;
            return;
        };
        let (g, circle, text) = self.drawn.get_or_insert_with(|| {
            let g = svg("g", &[("role", "img")]);
            let circle = svg("circle", &[("r", "9")]);
            let text = svg("text", &[("text-anchor", "middle")]);
            let _ = g.append_child(&circle);
            let _ = g.append_child(&text);
            let _ = parent.insert_before(&g, before.map(AsRef::as_ref));
            (g, circle, text)
        });
        if self.severity != Some(severity) {
            let (class, mark, label) = badge_look(severity);
            let _ = g.set_attribute("class", class);
            let _ = g.set_attribute("aria-label", label);
            text.set_text_content(Some(mark));
            self.severity = Some(severity);
        }
        if self.at != Some(at) {
            let (x, y) = (num(at.x), num(at.y));
            let _ = circle.set_attribute("cx", &x);
            let _ = circle.set_attribute("cy", &y);
            let _ = text.set_attribute("x", &x);
            let _ = text.set_attribute("y", &num(at.y + 4.0));
            self.at = Some(at);
        }
    }
}
