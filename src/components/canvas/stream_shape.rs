//! A stream: a box inside its cluster showing its name, subjects (or what it copies) and replicas.

use crate::model::StreamId;
use crate::state::use_editor;
use leptos::prelude::*;

/// The second line of a stream shape: its subjects, or where it copies from.
fn summary(config: &crate::model::StreamConfig) -> String {
    if let Some(mirror) = &config.mirror {
        return format!("mirror of {}", mirror.name);
    }
    if !config.subjects.is_empty() {
        return config.subjects.join(", ");
    }
    match config.sources.len() {
        0 => "no subjects".to_owned(),
        1 => "1 source".to_owned(),
        n => format!("{n} sources"),
    }
}

#[component]
pub fn StreamShape(id: StreamId) -> impl IntoView {
    let editor = use_editor();
    let rect = Memo::new(move |_| editor.with_design(|d| d.stream_rect(id).unwrap_or_default()));
    let label = Memo::new(move |_| {
        editor.with_design(|d| {
            d.stream(id)
                .map(|s| (s.config.name.clone(), summary(&s.config), format!("R{}", s.config.num_replicas.max(1))))
                .unwrap_or_default()
        })
    });

    view! {
        <g class="stream" role="group" aria-roledescription="stream" aria-label=move || label.get().0 tabindex="0">
            <rect
                class="stream-box"
                x=move || rect.get().x
                y=move || rect.get().y
                width=move || rect.get().width
                height=move || rect.get().height
                rx="8"
            />
            <text class="stream-name" x=move || rect.get().x + 12.0 y=move || rect.get().y + 20.0>
                {move || label.get().0}
            </text>
            <text class="stream-details" x=move || rect.get().x + 12.0 y=move || rect.get().y + 38.0>
                {move || label.get().1}
            </text>
            <text class="replicas" x=move || rect.get().right() - 12.0 y=move || rect.get().y + 20.0 text-anchor="end">
                {move || label.get().2}
            </text>
        </g>
    }
}
