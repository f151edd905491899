//! The palette: drag a hub, spoke, region (a hub joined by gateways), stream, key-value bucket or object store onto the canvas, or activate one to create it at
//! the centre of the view (a stream goes into the selected cluster). On phones it is a drawer
//! that the canvas' "Add…" button opens.

use crate::state::actions::{create_here, PALETTE_KIND_TYPE, PALETTE_TYPE};
use crate::state::{use_editor, use_ui};
use leptos::ev;
use leptos::prelude::*;

#[component]
fn PaletteItem(kind: &'static str, label: &'static str, hint: &'static str) -> impl IntoView {
    let editor = use_editor();
    let ui = use_ui();
    let on_drag = move |e: ev::DragEvent| {
        if let Some(t) = e.data_transfer() {
            let _ = t.set_data(PALETTE_TYPE, kind);
            let _ = t.set_data(&format!("{PALETTE_KIND_TYPE}{kind}"), kind);
            t.set_effect_allowed("copy");
        }
    };
    view! {
        <button
            type="button"
            class=format!("palette-item {kind}")
            draggable="true"
            title=hint
            on:dragstart=on_drag
            on:click=move |_| {
                ui.palette_open.set(false);
                create_here(editor, ui, kind);
            }
        >
            <span class="swatch" aria-hidden="true"></span>
            {label}
        </button>
    }
}

#[component]
pub fn Palette() -> impl IntoView {
    let ui = use_ui();
    view! {
        <nav class="palette" id="palette" class:open=move || ui.palette_open.get() aria-label="Palette">
            <PaletteItem kind="hub" label="Add hub" hint="A cluster that accepts leafnodes (drag onto the canvas or click)" />
            <PaletteItem kind="spoke" label="Add spoke" hint="A cluster that dials a hub (drag onto the canvas or click)" />
            <PaletteItem kind="region" label="Add region" hint="A hub joined by gateways to the selected cluster's supercluster, or forming one with it (click, or drop it on a cluster)" />
            <PaletteItem kind="stream" label="Add stream" hint="Drop it on a cluster, or click to add it to the selected cluster (or choose one)" />
            <PaletteItem kind="bucket" label="Add bucket" hint="A key-value bucket: drop it on a cluster, or click to add it to the selected cluster" />
            <PaletteItem kind="object-store" label="Add object store" hint="An object store: drop it on a cluster, or click to add it to the selected cluster" />
        </nav>
    }
}
