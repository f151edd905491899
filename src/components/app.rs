//! The application shell: toolbar on top, canvas below.

use super::canvas::Canvas;
use super::toolbar::Toolbar;
use crate::model::example;
use crate::state::provide_editor;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    provide_editor(example::guide_corrected());
    view! {
        <div class="app">
            <Toolbar />
            <main class="workspace">
                <Canvas />
            </main>
        </div>
    }
}
