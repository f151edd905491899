//! The view handle: where the canvas looks, how big it is, snapping.

use crate::fanout::Fanout;
use crate::model::geometry::{Point, Viewport};
use leptos::prelude::*;

/// Grid step of "snap to grid", in world units.
pub const GRID: f64 = 24.0;

/// The view of the canvas; never an undo step.
#[derive(Clone, Copy)]
pub struct View {
    pub viewport: RwSignal<Viewport>,
    /// The canvas' size in screen pixels (measured by a `ResizeObserver`).
    pub screen: RwSignal<(f64, f64)>,
    /// The view "Fit" last chose: while the view is still that, a resized canvas fits again.
    pub last_fit: StoredValue<Option<Viewport>>,
    pub snap: RwSignal<bool>,
    /// Only the streams of this account are shown at full strength (the account filter).
    pub account_filter: RwSignal<Option<String>>,
    /// Per account: whether the filter dims it (shapes read their account's key only).
    dimmed: Fanout<String, bool>,
}

impl View {
    pub(super) fn new() -> Self {
        let account_filter = RwSignal::new(None::<String>);
        let dimmed = Fanout::follow(account_filter, |filter: &Option<String>, account: &String| {
            filter.as_ref().is_some_and(|f| f != account)
        });
        View {
            viewport: RwSignal::new(Viewport::default()),
            screen: RwSignal::new((1200.0, 800.0)),
            last_fit: StoredValue::new(None),
            snap: RwSignal::new(true),
            account_filter,
            dimmed,
        }
    }

    /// Whether the account filter dims what belongs to `account` (tracked: only that account's).
    pub fn is_dimmed(&self, account: &str) -> bool {
        self.dimmed.get(account.to_owned())
    }

    /// The world point at the centre of the view.
    pub fn view_center(&self) -> Point {
        let (w, h) = self.screen.get_untracked();
        self.viewport.get_untracked().to_world(Point::new(w / 2.0, h / 2.0))
    }

    /// The grid step when snapping is on.
    pub fn grid(&self) -> Option<f64> {
        self.snap.get_untracked().then_some(GRID)
    }

    /// `p` on the grid when snapping is on.
    pub fn snapped(&self, p: Point) -> Point {
        self.grid().map_or(p, |g| crate::model::geometry::snap(p, g))
    }
}
