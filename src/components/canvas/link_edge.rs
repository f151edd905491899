//! A link: a leafnode or gateway between clusters (with a lock when its dial uses TLS), or a mirror/source between streams, with its label
//! (the account, or the `external.api` prefix; for a copy of another account's stream, the two
//! accounts it joins, "APP ← DATA") and a badge with its worst problem.

use super::Badge;
use crate::fanout::Fanout;
use crate::model::account_links::link_accounts;
use crate::model::geometry::Point;
use crate::model::links::LinkTls;
use crate::model::validate::Target;
use crate::model::{Link, LinkKind, LinkRoute};
use crate::state::{use_editor, Shape};
use leptos::prelude::*;

/// Every link's route by the link's key, routed together when the layout, the links or the
/// route inputs change (`model::RouteInputs`) and fanned out, so that a link re-renders only
/// when its own route changes.
pub type Routes = Fanout<String, Option<LinkRoute>>;

#[component]
pub fn LinkEdge(link: Link, routes: Routes) -> impl IntoView {
    let editor = use_editor();
    let kind = link.kind();
    // The clusters at both ends, for the drag preview.
    let ends = {
        let link = link.clone();
        Memo::new(move |_| match &link {
            Link::Leafnode { from, to, .. } => Some((*from, *to)),
            Link::Gateway { a, b } => Some((*a, *b)),
            Link::Stream { origin, copy, .. } => {
                editor.doc.track(Shape::Stream(*origin));
                editor.doc.track(Shape::Stream(*copy));
                editor.with_design_untracked(|d| Some((d.stream(*origin)?.cluster, d.stream(*copy)?.cluster)))
            }
            Link::Dangling { copy, .. } => {
                editor.doc.track(Shape::Stream(*copy));
                editor.with_design_untracked(|d| d.stream(*copy).map(|s| (s.cluster, s.cluster)))
            }
        })
    };
    let base = {
        let key = link.key();
        Memo::new(move |_| routes.get(key.clone()))
    };
    // While a drag moves clusters, a link with an end on one is hidden here and drawn by the
    // canvas' drag overlay: bundled with the others between the same clusters when one end
    // moves, as it is routed when both do. None is routed again until the drop, when the design
    // changes and every link is routed anew.
    let moving =
        Memo::new(move |_| ends.get().map(|(a, b)| (editor.interaction.is_moving(a), editor.interaction.is_moving(b))));
    let stretched = Memo::new(move |_| moving.get().is_some_and(|(a, b)| a || b));
    let route = base;
    // The accessible name says what connects to what, as a person would read the drawing.
    let names = {
        let link = link.clone();
        Memo::new(move |_| {
            // Tracks the elements whose names and domains the label shows.
            let ends: Vec<Shape> = match &link {
                Link::Leafnode { from, to, .. } => vec![Shape::Cluster(*from), Shape::Cluster(*to)],
                Link::Gateway { a, b } => vec![Shape::Cluster(*a), Shape::Cluster(*b)],
                Link::Stream { origin, copy, index, .. } => {
                    let origin_cluster = editor.with_design_untracked(|d| {
                        d.stream(*copy).and_then(|s| s.origins().nth(*index)).and_then(|o| o.origin_cluster)
                    });
                    [Shape::Stream(*origin), Shape::Stream(*copy)]
                        .into_iter()
                        .chain(origin_cluster.map(Shape::Cluster))
                        .collect()
                }
                Link::Dangling { copy, .. } => vec![Shape::Stream(*copy)],
            };
            for shape in ends {
                editor.doc.track(shape);
            }
            editor.with_design_untracked(|d| {
                // The label is read from the design, not from `link`: the link stays while a
                // remote before it is removed, a domain or an override changes.
                let label = link.label(d);
                let accounts = link_accounts(d, &link);
                let (name, label) = match &link {
                    Link::Leafnode { from, to, .. } => {
                        let name = |id| d.cluster(id).map(|c| c.name.clone()).unwrap_or_default();
                        let via = if label.is_empty() { String::new() } else { format!(" ({label})") };
                        (format!("{} to {}{via}", name(*from), name(*to)), label)
                    }
                    Link::Gateway { a, b } => {
                        let name = |id| d.cluster(id).map(|c| c.name.clone()).unwrap_or_default();
                        (format!("{} and {} joined by gateways", name(*a), name(*b)), label)
                    }
                    Link::Stream { origin, copy, .. } => {
                        let name = |id| d.stream(id).map(|s| s.config.name.clone()).unwrap_or_default();
                        let verb = if kind == LinkKind::Mirror { "mirrors" } else { "sources" };
                        (format!("{} {verb} {}", name(*copy), name(*origin)), label)
                    }
                    Link::Dangling { copy, name: origin, .. } => {
                        let name = d.stream(*copy).map(|s| s.config.name.clone()).unwrap_or_default();
                        let verb = if kind == LinkKind::Mirror { "mirrors" } else { "sources" };
                        let label = if label.is_empty() { "?".to_owned() } else { format!("{label} ?") };
                        (format!("{name} {verb} {origin}, which the design does not have"), label)
                    }
                };
                // A copy of another account's stream says which accounts it joins (its label,
                // `Link::label`, names them too).
                match accounts {
                    Some((copy, origin)) => {
                        let joins = format!("{copy} ← {origin}");
                        (format!("{name}, account {copy} from account {origin}"), label, Some(joins))
                    }
                    None => (name, label, None),
                }
            })
        })
    };
    // The accounts at both ends of a stream link, for the account filter.
    let end_accounts = {
        let link = link.clone();
        Memo::new(move |_| {
            names.track();
            editor.with_design_untracked(|d| match &link {
                Link::Leafnode { .. } | Link::Gateway { .. } => None,
                Link::Stream { origin, copy, .. } => {
                    Some((d.stream(*copy)?.account.clone(), Some(d.stream(*origin)?.account.clone())))
                }
                Link::Dangling { copy, .. } => {
                    let copy_account = d.stream(*copy)?.account.clone();
                    let origin = link_accounts(d, &link).map(|(_, origin)| origin);
                    Some((copy_account, origin))
                }
            })
        })
    };
    // Dimmed by the account filter when neither end is of the chosen account.
    let dimmed = Memo::new(move |_| {
        end_accounts.with(|ends| match ends {
            None => false,
            Some((copy, origin)) => {
                editor.view.is_dimmed(copy) && origin.as_ref().is_none_or(|o| editor.view.is_dimmed(o))
            }
        })
    });
    let target = match &link {
        Link::Leafnode { from, remote, .. } => Target::Remote { cluster: *from, index: *remote },
        // A gateway's problems are its clusters' (their badges show them).
        Link::Gateway { a, .. } => Target::Cluster(*a),
        Link::Stream { copy, index, .. } | Link::Dangling { copy, index, .. } => {
            Target::Origin { stream: *copy, index: *index }
        }
    };
    let dangling = matches!(link, Link::Dangling { .. });
    let class = match (kind, dangling) {
        (LinkKind::Leafnode, _) => "link leafnode",
        (LinkKind::Gateway, _) => "link gateway",
        (LinkKind::Mirror, false) => "link mirror",
        (LinkKind::Source, false) => "link source",
        (LinkKind::Mirror, true) => "link mirror dangling",
        (LinkKind::Source, true) => "link source dangling",
    };
    let marker = match kind {
        LinkKind::Leafnode | LinkKind::Gateway => None,
        LinkKind::Mirror => Some("url(#arrow-mirror)"),
        LinkKind::Source => Some("url(#arrow-source)"),
    };
    let label_at = move || route.with(|r| r.as_ref().map(|r| r.label)).unwrap_or_default();
    let is_gateway = kind == LinkKind::Gateway;
    // The lock of a link whose dial uses TLS, read from both ends' clusters.
    let tls = {
        let link = link.clone();
        Memo::new(move |_| {
            // Both ends' clusters: the dial's block and the listener's TLS.
            match &link {
                Link::Leafnode { from: a, to: b, .. } | Link::Gateway { a, b } => {
                    editor.doc.track(Shape::Cluster(*a));
                    editor.doc.track(Shape::Cluster(*b));
                }
                Link::Stream { .. } | Link::Dangling { .. } => return LinkTls::Plain,
            }
            editor.with_design_untracked(|d| link.tls(d))
        })
    };
    let tls_text = move || match tls.get() {
        LinkTls::Plain => None,
        LinkTls::Secure => Some("TLS"),
        LinkTls::Mismatch => Some("TLS on one side only, or a certificate missing: the link fails"),
    };
    let aria = move || match tls.get() {
        LinkTls::Plain => names.with(|n| n.0.clone()),
        LinkTls::Secure => names.with(|n| format!("{}, TLS", n.0)),
        LinkTls::Mismatch => names.with(|n| format!("{}, TLS mismatch", n.0)),
    };
    // The lock sits left of the problem badge, below the label.
    let lock_at = move || {
        let at = label_at();
        if is_gateway {
            at
        } else {
            Point::new(at.x - 18.0, at.y + 10.0)
        }
    };

    view! {
        <g class=class class:stretched=move || stretched.get() class:dimmed=move || dimmed.get() class:cross-account=move || names.with(|n| n.2.is_some())
            class:tls=move || tls.get() != LinkTls::Plain class:tls-mismatch=move || tls.get() == LinkTls::Mismatch
            role="group" aria-roledescription=kind.role_description() aria-label=aria>
            <title>{move || names.with(|n| n.2.as_ref().map(|joins| format!("Joins accounts {joins} (copy ← origin)"))).or_else(|| tls_text().map(str::to_owned))}</title>
            <path class="link-line" d=move || route.with(|r| r.as_ref().map(|r| r.route.svg_path())).unwrap_or_default() marker-end=marker />
            {dangling.then(|| view! {
                // The open end: a ring where the origin should be.
                <circle class="dangling-end" r="5"
                    cx=move || route.with(|r| r.as_ref().map(|r| r.route.at(0.0).x)).unwrap_or_default()
                    cy=move || route.with(|r| r.as_ref().map(|r| r.route.at(0.0).y)).unwrap_or_default() />
            })}
            <text class="link-label" x=move || label_at().x y=move || label_at().y - 6.0 text-anchor="middle">
                {move || names.get().1}
            </text>
            {move || tls_text().map(|text| view! {
                // A padlock: a shackle over a body, 12 by 14 world units.
                <g class="tls-lock" role="img" aria-label=text
                    transform=move || { let at = lock_at(); format!("translate({} {})", at.x - 6.0, at.y - 7.0) }>
                    <title>{text}</title>
                    <path class="lock-shackle" d="M3 6 V4 A3 3 0 0 1 9 4 V6" />
                    <rect class="lock-body" x="1" y="6" width="10" height="8" rx="1.5" />
                </g>
            })}
            {(!is_gateway).then(|| view! {
                <Badge target at=Signal::derive(move || Point::new(label_at().x, label_at().y + 10.0)) />
            })}
        </g>
    }
}
