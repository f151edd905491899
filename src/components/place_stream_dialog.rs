//! "Add stream" for a stream dropped (or added) where there is no cluster: streams live in
//! clusters, so it asks which one, offering the nearest first.

use super::modal::Modal;
use crate::model::geometry::Point;
use crate::model::sort::Sorted;
use crate::model::ClusterId;
use crate::state::actions::add_stream;
use crate::state::use_editor;
use leptos::prelude::*;

#[component]
pub fn PlaceStreamDialog(at: Point, on_close: Callback<()>) -> impl IntoView {
    let editor = use_editor();
    // Nearest first: the cluster the user most likely meant is the first choice.
    let clusters: Vec<(ClusterId, String, String)> = editor.with_design_untracked(|d| {
        let mut all: Vec<(f64, ClusterId, String, String)> = d
            .clusters()
            .filter_map(|(id, c)| {
                let center = d.cluster_rect(id)?.center();
                let distance = (center.x - at.x).hypot(center.y - at.y);
                let domain = c.domain().map_or_else(|| "no domain".to_owned(), |d| format!("domain {d}"));
                Some((distance, id, c.name.clone(), format!("{} · {domain}", c.role.as_str())))
            })
            .collect();
        all.sort_with(|a, b| a.0.total_cmp(&b.0));
        all.into_iter().map(|(_, id, name, details)| (id, name, details)).collect()
    });
    let choice = RwSignal::new(clusters.first().map(|c| c.0));
    // A form, so that Enter on the chosen cluster adds the stream, like the button.
    let add = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if let Some(cluster) = choice.get_untracked() {
            on_close.run(());
            add_stream(editor, cluster);
        }
    };
    let options = clusters
        .into_iter()
        .map(|(id, name, details)| {
            view! {
                <label class="choice">
                    <input type="radio" name="cluster" prop:checked=move || choice.get() == Some(id)
                        on:change=move |_| choice.set(Some(id)) />
                    <span>{name}</span>
                    <span class="hint">{details}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <Modal title="Add stream" on_close class="place-stream-dialog">
            <form class="dialog-form" on:submit=add>
            <div class="dialog-body">
                <p>"A stream lives in a cluster. Which cluster should hold the new stream?"</p>
                <fieldset class="clusters">
                    <legend>"Cluster"</legend>
                    {options}
                </fieldset>
            </div>
            <footer class="dialog-footer">
                <span class="dialog-status"></span>
                <button type="submit" class="primary">"Add stream"</button>
            </footer>
            </form>
        </Modal>
    }
}
