//! The application shell: toolbar on top; palette, canvas (with the problems panel below it)
//! and inspector side by side; status bar; the open dialog, if any.

use super::canvas::Canvas;
use super::export_dialog::ExportDialog;
use super::inspector::Inspector;
use super::message::MessageBanner;
use super::new_dialog::NewDialog;
use super::palette::Palette;
use super::place_stream_dialog::PlaceStreamDialog;
use super::problems::ProblemsPanel;
use super::rules_dialog::RulesDialog;
use super::share_dialog::ShareDialog;
use super::status::StatusBar;
use super::toolbar::Toolbar;
use super::view_controls::ViewControls;
use crate::model::geometry::Point;
use crate::state::provide_editor;
use crate::storage;
use leptos::prelude::*;

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
}

/// Page layout state that is not the design: which panel is open, which dialog is shown.
#[derive(Clone, Copy)]
pub struct Ui {
    pub problems_open: RwSignal<bool>,
    pub dialog: RwSignal<Option<Dialog>>,
}

/// The layout state provided by `App`.
pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

/// Tells the canvas that its size may have changed (a panel opened or closed).
pub fn relayout() {
    set_timeout(
        || {
            if let (Some(w), Ok(event)) = (web_sys::window(), web_sys::Event::new("resize")) {
                let _ = w.dispatch_event(&event);
            }
        },
        std::time::Duration::ZERO,
    );
}

#[component]
pub fn App() -> impl IntoView {
    let start = storage::start();
    let editor = provide_editor(start.design);
    editor.message.set(start.message);
    if start.autosave {
        storage::install_autosave(editor);
    }
    // The panel starts open when the design opens with problems; the toolbar counts open it
    // later. A fixed height while open keeps the canvas' size stable.
    let has_problems =
        editor.diagnostics().with_untracked(|d| d.iter().any(|d| d.severity != crate::model::validate::Severity::Info));
    let ui = Ui { problems_open: RwSignal::new(has_problems), dialog: RwSignal::new(None) };
    provide_context(ui);
    super::keyboard::install(editor);
    let close = Callback::new(move |()| ui.dialog.set(None));
    view! {
        <div class="app">
            <Toolbar />
            <div class="main">
                <Palette />
                <main class="workspace">
                    <div class="canvas-area">
                        <Canvas />
                        <Legend />
                        <ViewControls />
                        <super::minimap::Minimap />
                        <MessageBanner />
                    </div>
                    <ProblemsPanel />
                </main>
                <Inspector />
            </div>
            <StatusBar />
            {move || ui.dialog.get().map(|dialog| match dialog {
                Dialog::New => view! { <NewDialog on_close=close /> }.into_any(),
                Dialog::PlaceStream(at) => view! { <PlaceStreamDialog at on_close=close /> }.into_any(),
                Dialog::Export => view! { <ExportDialog on_close=close /> }.into_any(),
                Dialog::Share => view! { <ShareDialog on_close=close /> }.into_any(),
                Dialog::Rules(current) => view! { <RulesDialog current on_close=close /> }.into_any(),
            })}
        </div>
    }
}

/// What the three kinds of line mean.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label="Legend">
            <li><svg viewBox="0 0 28 8" aria-hidden="true"><path class="leafnode" d="M0 4 H28" /></svg>"leafnode"</li>
            <li><svg viewBox="0 0 28 8" aria-hidden="true"><path class="mirror" d="M0 4 H28" /></svg>"mirror"</li>
            <li><svg viewBox="0 0 28 8" aria-hidden="true"><path class="source" d="M0 4 H28" /></svg>"source"</li>
        </ul>
    }
}
