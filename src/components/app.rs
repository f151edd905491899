//! The application shell: toolbar on top; palette, canvas and inspector side by side; status bar.

use super::canvas::Canvas;
use super::inspector::Inspector;
use super::palette::Palette;
use super::status::StatusBar;
use super::toolbar::Toolbar;
use crate::model::example;
use crate::state::provide_editor;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let editor = provide_editor(example::guide_corrected());
    super::keyboard::install(editor);
    view! {
        <div class="app">
            <Toolbar />
            <div class="main">
                <Palette />
                <main class="workspace">
                    <Canvas />
                    <Legend />
                </main>
                <Inspector />
            </div>
            <StatusBar />
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
