//! The page's layout state that is not the design: panels, the open dialog, and focus
//! requests.
//!
//! Focus moves by request: an action names what should get the keyboard focus
//! ([`Ui::request_focus`]), and the element that answers it focuses itself once it is in the
//! page ([`Ui::take_focus`]), however long rendering takes. Nothing retries on a timer.

use super::Editor;
use crate::model::geometry::Point;
use crate::model::gesture::Shape;
use crate::model::validate::{Severity, Target};
use leptos::prelude::*;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// The dialog open over the page, if any.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dialog {
    New,
    /// Which cluster a new stream goes into, for one dropped at this world point.
    PlaceStream(Point),
    Export,
    Share,
    /// The rule catalog, scrolled to one rule.
    Rules(Option<&'static str>),
    /// Find a cluster, stream or account by name.
    Search,
}

/// What should get the keyboard focus next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Focus {
    /// The inspector's input for `field` of `target`; `None`: the element's problem list.
    Field { target: Target, field: Option<&'static str> },
    /// The inspector's first field (Enter on a shape).
    Inspector,
    /// The problems panel: its first problem of a severity, else its toggle.
    Problems(Option<Severity>),
}

/// Page layout state: which panel is open, which dialog is shown, where focus goes.
#[derive(Clone, Copy)]
pub struct Ui {
    pub problems_open: RwSignal<bool>,
    pub dialog: RwSignal<Option<Dialog>>,
    /// The open problems panel's height in pixels (the user drags its edge).
    pub problems_height: RwSignal<f64>,
    /// On phones: whether the palette drawer is open.
    pub palette_open: RwSignal<bool>,
    /// On phones: the selection whose inspector sheet the user closed; another selection
    /// opens the sheet again.
    pub inspector_closed_for: RwSignal<Option<BTreeSet<Shape>>>,
    /// The pending focus request, taken by the element it names.
    focus: RwSignal<Option<Focus>>,
}

impl Ui {
    pub fn new(problems_open: bool) -> Self {
        Ui {
            problems_open: RwSignal::new(problems_open),
            dialog: RwSignal::new(None),
            problems_height: RwSignal::new(210.0),
            palette_open: RwSignal::new(false),
            inspector_closed_for: RwSignal::new(None),
            focus: RwSignal::new(None),
        }
    }

    /// Whether the inspector shows as a sheet on a phone: something is selected and its sheet
    /// was not closed.
    pub fn inspector_sheet_open(&self, editor: Editor) -> bool {
        editor
            .interaction
            .selection
            .with(|sel| !sel.is_empty() && self.inspector_closed_for.with(|c| c.as_ref() != Some(sel)))
    }

    /// Asks for `focus`; the element it names takes it when it is (or once it is) in the page.
    pub fn request_focus(&self, focus: Focus) {
        self.focus.set(Some(focus));
    }

    /// Focuses the element `pick` chooses in `node` (`node` itself or a descendant) when a
    /// request is pending and `node` is in the page, and takes the request; `pick` returns
    /// `None` to leave the request to another element. It runs when the request is made and
    /// when `node` is mounted, after the page is drawn: whichever comes last answers.
    pub fn take_focus<E>(
        &self,
        node: NodeRef<E>,
        pick: impl Fn(&Focus, &web_sys::HtmlElement) -> Option<web_sys::HtmlElement> + 'static,
    ) where
        E: leptos::html::ElementType,
        E::Output: JsCast + Clone + 'static,
    {
        let element = move || node.get().map(|el| el.unchecked_into::<web_sys::HtmlElement>());
        answer_focus(self.focus, Rc::new(element), Rc::new(pick));
    }
}

type Element = Rc<dyn Fn() -> Option<web_sys::HtmlElement>>;
type Pick = Rc<dyn Fn(&Focus, &web_sys::HtmlElement) -> Option<web_sys::HtmlElement>>;

/// The body of [`Ui::take_focus`], once for every kind of element.
fn answer_focus(focus: RwSignal<Option<Focus>>, element: Element, pick: Pick) {
    Effect::new(move |_| {
        let Some(request) = focus.get() else { return };
        let Some(el) = element() else { return };
        let pick = pick.clone();
        let answer = move || {
            if focus.get_untracked() != Some(request) || !el.is_connected() {
                return false;
            }
            let Some(target) = pick(&request, &el) else { return false };
            focus.set(None);
            let _ = target.focus();
            target.scroll_into_view_with_bool(false);
            true
        };
        // At once when the element is in the page (Enter on a shape: the inspector is there);
        // else once this turn's rendering is drawn (a field that a new selection draws).
        if !answer() {
            request_animation_frame(move || {
                answer();
            });
        }
    });
}

/// The layout state provided by `App`.
pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

/// Whether the key went to a form field, where keys keep their text meaning.
pub fn in_text_field(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Keeps the keys pressed inside `node` from the page's shortcuts (which would, for example,
/// turn Enter on a button into "focus the inspector", or Delete into removing the selection),
/// except Ctrl/Cmd combinations such as undo. The element's own handling is untouched.
pub fn own_keys<E>(node: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    Effect::new(move |listener: Option<Option<gloo::events::EventListener>>| {
        if let Some(existing) = listener.flatten() {
            return Some(existing);
        }
        let el: web_sys::EventTarget = node.get()?.unchecked_into();
        Some(gloo::events::EventListener::new(&el, "keydown", |event| {
            if let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() {
                if !(e.ctrl_key() || e.meta_key()) {
                    e.stop_propagation();
                }
            }
        }))
    });
}
