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
use super::search::SearchDialog;
use super::share_dialog::ShareDialog;
use super::status::StatusBar;
use super::toolbar::Toolbar;
use super::view_controls::ViewControls;
use crate::state::{provide_editor, use_editor, use_ui, Dialog, Ui};
use crate::storage;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let start = storage::start();
    let editor = provide_editor(start.design);
    editor.messages.message.set(start.message);
    if start.autosave {
        storage::install_autosave(editor);
    }
    // The panel starts open when the design opens with problems; the toolbar counts open it
    // later. A fixed height while open keeps the canvas' size stable.
    let has_problems =
        editor.diagnostics().with_untracked(|d| d.iter().any(|d| d.severity != crate::model::validate::Severity::Info));
    let ui = Ui::new(has_problems);
    provide_context(ui);
    super::keyboard::install(editor, ui);
    let close = Callback::new(move |()| ui.dialog.set(None));
    view! {
        <div class="app">
            <Toolbar />
            <div class="main">
                <Palette />
                <main class="workspace">
                    <div class="canvas-area">
                        <Canvas />
                        <PhoneActions />
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
                Dialog::Search => view! { <SearchDialog on_close=close /> }.into_any(),
            })}
        </div>
    }
}

/// What the kinds of line, and the lock of a TLS link, mean.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label="Legend">
            <li><svg viewBox="0 0 28 8" aria-hidden="true"><path class="leafnode" d="M0 4 H28" /></svg>"leafnode"</li>
            <li><svg viewBox="0 0 28 8" aria-hidden="true"><path class="gateway" d="M0 4 H28" /></svg>"gateway"</li>
            <li><svg viewBox="0 0 28 8" aria-hidden="true"><path class="mirror" d="M0 4 H28" /></svg>"mirror"</li>
            <li><svg viewBox="0 0 28 8" aria-hidden="true"><path class="source" d="M0 4 H28" /></svg>"source"</li>
            <li><svg class="lock" viewBox="0 0 12 14" aria-hidden="true"><path class="lock-shackle" d="M3 6 V4 A3 3 0 0 1 9 4 V6" /><rect class="lock-body" x="1" y="6" width="10" height="8" rx="1.5" /></svg>"TLS"</li>
        </ul>
    }
}

/// On phones, where the palette and the inspector are a drawer and a sheet: the buttons that
/// open them, over the canvas' top-left corner.
#[component]
fn PhoneActions() -> impl IntoView {
    let editor = use_editor();
    let ui = use_ui();
    view! {
        <div class="phone-actions phone-only">
            <button type="button" aria-expanded=move || ui.palette_open.get().to_string() aria-controls="palette"
                on:click=move |_| ui.palette_open.update(|o| *o = !*o)>
                "Add…"
            </button>
            <Show when=move || editor.interaction.selection.with(|s| !s.is_empty()) && !ui.inspector_sheet_open(editor)>
                <button type="button" on:click=move |_| ui.inspector_closed_for.set(None)>"Inspector"</button>
            </Show>
        </div>
    }
}
