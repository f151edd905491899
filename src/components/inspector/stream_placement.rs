//! The stream (and bucket) inspector's placement section: the cluster chosen among the clusters
//! the stream can be placed on (its supercluster, or its own cluster), the tags among the tags
//! their servers carry; clearing either, or both. What no server satisfies shows as the
//! `placement-unknown` problem, live.

use super::fields::{answer_focus, FieldProblems};
use super::stream::StreamForm;
use crate::model::gateway::placement_candidates;
use crate::model::sort::Sorted;
use crate::model::stream::Placement;
use leptos::prelude::*;

/// The placement with `change` applied; none left when it names neither cluster nor tags.
fn placed(current: Option<Placement>, change: impl FnOnce(&mut Placement)) -> Option<Placement> {
    let mut p = current.unwrap_or_default();
    change(&mut p);
    (p.cluster.is_some() || !p.tags.is_empty()).then_some(p)
}

#[component]
pub fn StreamPlacement(form: StreamForm) -> impl IntoView {
    let StreamForm { id, config, editor } = form;
    let edit = move |change| form.edit(change);
    // The clusters in reach and every tag their servers carry.
    let reach = Memo::new(move |_| {
        editor.with_design(|d| {
            let Some(stream) = d.stream(id) else { return (Vec::new(), Vec::new()) };
            let clusters: Vec<_> =
                placement_candidates(d, stream.cluster).into_iter().filter_map(|c| d.cluster(c)).collect();
            let names: Vec<String> = clusters.iter().map(|c| c.name.clone()).collect();
            let mut tags: Vec<String> = clusters.iter().flat_map(|c| c.server_tags.iter().cloned()).collect();
            tags.sort_all();
            tags.dedup();
            (names, tags)
        })
    });
    let placement = Memo::new(move |_| config.with(|c| c.as_ref().and_then(|c| c.placement.clone())));
    let chosen_cluster = move || placement.with(|p| p.as_ref().and_then(|p| p.cluster.clone()).unwrap_or_default());
    // The select's options: any cluster, those in reach, and a chosen one out of reach.
    let cluster_options = move || {
        let chosen = chosen_cluster();
        let (names, _) = reach.get();
        let mut options = vec![(String::new(), "(any cluster)".to_owned())];
        options.extend(names.iter().map(|n| (n.clone(), n.clone())));
        if !chosen.is_empty() && !names.contains(&chosen) {
            options.push((chosen.clone(), format!("{chosen} (not in reach)")));
        }
        options
    };
    // Every tag in reach, and the chosen ones no server carries.
    let tag_options = move || {
        let (_, mut tags) = reach.get();
        let chosen = placement.with(|p| p.as_ref().map(|p| p.tags.clone()).unwrap_or_default());
        for t in chosen {
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    };
    let problems = form.problems("placement");
    let node = NodeRef::<leptos::html::Select>::new();
    answer_focus(problems, node);

    view! {
        <fieldset>
            <legend>"Placement"</legend>
            <div class="field" class:invalid=move || problems.list.with(|p| !p.is_empty())>
                <label class="field-control">
                    <span class="field-label">"Placement cluster"</span>
                    <select node_ref=node data-field="placement" aria-label="Placement cluster"
                        on:change=move |e| {
                            let name = event_target_value(&e);
                            edit(Box::new(move |c| {
                                c.placement = placed(c.placement.take(), |p| p.cluster = (!name.is_empty()).then_some(name));
                            }))
                        }>
                        {move || {
                            let chosen = chosen_cluster();
                            cluster_options().into_iter().map(|(value, label)| {
                                let selected = value == chosen;
                                view! { <option value=value prop:selected=selected>{label}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <div class="placement-tags" role="group" aria-label="Placement tags">
                    <span class="field-label">"Placement tags"</span>
                    {move || {
                        let tags = tag_options();
                        if tags.is_empty() {
                            return view! { <p class="hint">"No server in reach has tags: give a cluster server tags to place by tag."</p> }.into_any();
                        }
                        tags.into_iter().map(|tag| {
                            let t = tag.clone();
                            let checked = placement.with(|p| p.as_ref().is_some_and(|p| p.tags.contains(&tag)));
                            view! {
                                <label class="inline chip">
                                    <input type="checkbox" aria-label=format!("Placement tag {tag}") prop:checked=checked
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            let t = t.clone();
                                            edit(Box::new(move |c| {
                                                c.placement = placed(c.placement.take(), |p| {
                                                    p.tags.retain(|x| *x != t);
                                                    if on { p.tags.push(t) }
                                                });
                                            }))
                                        } />
                                    {tag.clone()}
                                </label>
                            }
                        }).collect_view().into_any()
                    }}
                </div>
                <FieldProblems problems=problems.list />
            </div>
            <Show when=move || placement.with(Option::is_some)>
                <button type="button" class="small" on:click=move |_| edit(Box::new(|c| c.placement = None))>"Clear placement"</button>
            </Show>
        </fieldset>
    }
}
