//! A link: a leafnode or gateway between clusters (with a lock when its dial uses TLS), or a mirror/source between streams, with its label
//! (the account, or the `external.api` prefix; for a copy of another account's stream, the two
//! accounts it joins, "APP ← DATA") and a badge with its worst problem.

use super::draw::{keep, num, set_title, svg, update, BadgeNode};
use crate::fanout::Fanout;
use crate::model::account_links::link_accounts;
use crate::model::geometry::Point;
use crate::model::links::LinkTls;
use crate::model::validate::Target;
use crate::model::{ClusterId, Link, LinkKind, LinkRoute};
use crate::state::{use_editor, Editor, Shape};
use leptos::prelude::*;
use web_sys::Element;

/// Every link's route by the link's key, routed together when the layout, the links or the
/// route inputs change (`model::RouteInputs`) and fanned out, so that a link re-renders only
/// when its own route changes.
pub type Routes = Fanout<String, Option<LinkRoute>>;

/// What a link shows that the design decides, read in one pass: its one derived value, so that
/// an edit elsewhere wakes nothing here.
#[derive(Clone, PartialEq)]
struct Look {
    /// The clusters at both ends, for the drag preview.
    ends: Option<(ClusterId, ClusterId)>,
    /// The accessible name, without what the TLS adds.
    name: String,
    label: String,
    /// For a copy of another account's stream, the accounts it joins ("APP ← DATA").
    joins: Option<String>,
    /// The accounts at both ends of a stream link, for the account filter.
    accounts: Option<(String, Option<String>)>,
    tls: LinkTls,
}

impl Look {
    /// Reads the link's look from the design, tracking the elements it depends on.
    fn read(editor: Editor, link: &Link) -> Look {
        let kind = link.kind();
        // The elements whose names, domains, accounts, clusters and TLS the link shows.
        match link {
            Link::Leafnode { from: a, to: b, .. } | Link::Gateway { a, b } => {
                editor.doc.track(Shape::Cluster(*a));
                editor.doc.track(Shape::Cluster(*b));
            }
            Link::Stream { origin, copy, index, .. } => {
                editor.doc.track(Shape::Stream(*origin));
                editor.doc.track(Shape::Stream(*copy));
                let origin_cluster = editor.with_design_untracked(|d| {
                    d.stream(*copy).and_then(|s| s.origins().nth(*index)).and_then(|o| o.origin_cluster)
                });
                if let Some(cluster) = origin_cluster {
                    editor.doc.track(Shape::Cluster(cluster));
                }
            }
            Link::Dangling { copy, .. } => editor.doc.track(Shape::Stream(*copy)),
        }
        editor.with_design_untracked(|d| {
            let ends = match link {
                Link::Leafnode { from, to, .. } => Some((*from, *to)),
                Link::Gateway { a, b } => Some((*a, *b)),
                Link::Stream { origin, copy, .. } => {
                    d.stream(*origin).zip(d.stream(*copy)).map(|(o, c)| (o.cluster, c.cluster))
                }
                Link::Dangling { copy, .. } => d.stream(*copy).map(|s| (s.cluster, s.cluster)),
            };
            // The label is read from the design, not from `link`: the link stays while a remote
            // before it is removed, a domain or an override changes.
            let label = link.label(d);
            let joined = link_accounts(d, link);
            let (name, label) = match link {
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
            let (name, joins) = match &joined {
                Some((copy, origin)) => {
                    (format!("{name}, account {copy} from account {origin}"), Some(format!("{copy} ← {origin}")))
                }
                None => (name, None),
            };
            let accounts = match link {
                Link::Leafnode { .. } | Link::Gateway { .. } => None,
                Link::Stream { origin, copy, .. } => {
                    d.stream(*copy).zip(d.stream(*origin)).map(|(c, o)| (c.account.clone(), Some(o.account.clone())))
                }
                Link::Dangling { copy, .. } => {
                    d.stream(*copy).map(|c| (c.account.clone(), joined.map(|(_, origin)| origin)))
                }
            };
            let tls = match link {
                Link::Leafnode { .. } | Link::Gateway { .. } => link.tls(d),
                Link::Stream { .. } | Link::Dangling { .. } => LinkTls::Plain,
            };
            Look { ends, name, label, joins, accounts, tls }
        })
    }
}

/// What a link's lock says, when it has one.
fn tls_text(tls: LinkTls) -> Option<&'static str> {
    match tls {
        LinkTls::Plain => None,
        LinkTls::Secure => Some("TLS"),
        LinkTls::Mismatch => Some("TLS on one side only, or a certificate missing: the link fails"),
    }
}

/// What a link's update last wrote, so that the next writes only what changed.
#[derive(Default)]
struct Written {
    class: String,
    aria: String,
    label: String,
    /// The title and its text, while the link has one.
    title: Option<(Element, String)>,
    /// The route drawn; `None` before the first run.
    route: Option<Option<LinkRoute>>,
    /// The lock, its title, its text and its transform, while the link has one.
    lock: Option<(Element, Element, &'static str, String)>,
    badge: BadgeNode,
}

#[component]
pub fn LinkEdge(link: Link, routes: Routes) -> impl IntoView {
    view! { <g use:draw_link=(link, routes) /> }
}

/// Draws a link into its group `g`: the parts every link has (line, label), the open end of a
/// dangling one, and one update for everything that can change (class, names, route, title,
/// lock, badge), which creates the title, lock and badge only while there is one.
fn draw_link(g: Element, (link, routes): (Link, Routes)) {
    let editor = use_editor();
    let kind = link.kind();
    let key = link.key();
    let dangling = matches!(link, Link::Dangling { .. });
    let is_gateway = kind == LinkKind::Gateway;
    let base_class = match (kind, dangling) {
        (LinkKind::Leafnode, _) => "link leafnode",
        (LinkKind::Gateway, _) => "link gateway",
        (LinkKind::Mirror, false) => "link mirror",
        (LinkKind::Source, false) => "link source",
        (LinkKind::Mirror, true) => "link mirror dangling",
        (LinkKind::Source, true) => "link source dangling",
    };
    let target = match &link {
        Link::Leafnode { from, remote, .. } => Target::Remote { cluster: *from, index: *remote },
        // A gateway's problems are its clusters' (their badges show them).
        Link::Gateway { a, .. } => Target::Cluster(*a),
        Link::Stream { copy, index, .. } | Link::Dangling { copy, index, .. } => {
            Target::Origin { stream: *copy, index: *index }
        }
    };
    let look = Memo::new(move |_| Look::read(editor, &link));

    let _ = g.set_attribute("role", "group");
    let _ = g.set_attribute("aria-roledescription", kind.role_description());
    let line = match kind {
        LinkKind::Leafnode | LinkKind::Gateway => svg("path", &[("class", "link-line")]),
        LinkKind::Mirror => svg("path", &[("class", "link-line"), ("marker-end", "url(#arrow-mirror)")]),
        LinkKind::Source => svg("path", &[("class", "link-line"), ("marker-end", "url(#arrow-source)")]),
    };
    let _ = g.append_child(&line);
    // The open end: a ring where the origin should be.
    let open_end = dangling.then(|| svg("circle", &[("class", "dangling-end"), ("r", "5")]));
    if let Some(ring) = &open_end {
        let _ = g.append_child(ring);
    }
    let text = svg("text", &[("class", "link-label"), ("text-anchor", "middle")]);
    let _ = g.append_child(&text);

    keep(RenderEffect::new(move |written: Option<Written>| {
        let mut w = written.unwrap_or_default();
        let (ends, accounts, tls, cross_account) = look.with(|l| {
            let mut aria = l.name.clone();
            match l.tls {
                LinkTls::Plain => {}
                LinkTls::Secure => aria.push_str(", TLS"),
                LinkTls::Mismatch => aria.push_str(", TLS mismatch"),
            }
            update(&g, "aria-label", &mut w.aria, aria);
            if w.label != l.label {
                text.set_text_content(Some(&l.label));
                w.label.clone_from(&l.label);
            }
            let title = l.joins.as_ref().map(|joins| format!("Joins accounts {joins} (copy ← origin)"));
            let title = title.or_else(|| tls_text(l.tls).map(str::to_owned));
            set_title(&g, &mut w.title, title);
            (l.ends, l.accounts.clone(), l.tls, l.joins.is_some())
        });
        let tls_text = tls_text(tls);

        // While a drag moves clusters, a link with an end on one is hidden here and drawn by the
        // canvas' drag overlay: bundled with the others between the same clusters when one end
        // moves, as it is routed when both do. None is routed again until the drop, when the
        // design changes and every link is routed anew.
        let stretched = ends.is_some_and(|(a, b)| editor.interaction.is_moving(a) || editor.interaction.is_moving(b));
        // Dimmed by the account filter when neither end is of the chosen account.
        let dimmed = accounts.is_some_and(|(copy, origin)| {
            editor.view.is_dimmed(&copy) && origin.is_none_or(|o| editor.view.is_dimmed(&o))
        });
        let mut class = String::from(base_class);
        for (on, name) in [
            (stretched, " stretched"),
            (dimmed, " dimmed"),
            (cross_account, " cross-account"),
            (tls != LinkTls::Plain, " tls"),
            (tls == LinkTls::Mismatch, " tls-mismatch"),
        ] {
            if on {
                class.push_str(name);
            }
        }
        update(&g, "class", &mut w.class, class);

        routes.with(&key, |route| {
            if w.route.as_ref() == Some(route) {
                return;
            }
            let path = route.as_ref().map(|r| r.route.svg_path()).unwrap_or_default();
            let _ = line.set_attribute("d", &path);
            if let Some(ring) = &open_end {
                let at = route.as_ref().map(|r| r.route.at(0.0));
                let _ = ring.set_attribute("cx", &num(at.map(|p| p.x).unwrap_or_default()));
                let _ = ring.set_attribute("cy", &num(at.map(|p| p.y).unwrap_or_default()));
            }
            let at = route.as_ref().map(|r| r.label).unwrap_or_default();
            let _ = text.set_attribute("x", &num(at.x));
            let _ = text.set_attribute("y", &num(at.y - 6.0));
            w.route = Some(route.clone());
        });
        let label_at = w.route.as_ref().and_then(|r| r.as_ref().map(|r| r.label)).unwrap_or_default();

        // The lock sits left of the problem badge, below the label.
        match (tls_text, &mut w.lock) {
            (None, lock) => {
                if let Some((e, ..)) = lock.take() {
                    e.remove();
                }
            }
            (Some(new), lock) => {
                let at = if is_gateway { label_at } else { Point::new(label_at.x - 18.0, label_at.y + 10.0) };
                let transform = format!("translate({} {})", at.x - 6.0, at.y - 7.0);
                let (e, title, said, placed) = lock.get_or_insert_with(|| {
                    // A padlock: a shackle over a body, 12 by 14 world units.
                    let e = svg("g", &[("class", "tls-lock"), ("role", "img")]);
                    let title = svg("title", &[]);
                    let shackle = svg("path", &[("class", "lock-shackle"), ("d", "M3 6 V4 A3 3 0 0 1 9 4 V6")]);
                    let body = svg(
                        "rect",
                        &[
                            ("class", "lock-body"),
                            ("x", "1"),
                            ("y", "6"),
                            ("width", "10"),
                            ("height", "8"),
                            ("rx", "1.5"),
                        ],
                    );
                    let _ = e.append_child(&title);
                    let _ = e.append_child(&shackle);
                    let _ = e.append_child(&body);
                    let _ = g.insert_before(&e, text.next_sibling().as_ref());
                    (e, title, "", String::new())
                });
                if *said != new {
                    let _ = e.set_attribute("aria-label", new);
                    title.set_text_content(Some(new));
                    *said = new;
                }
                update(e, "transform", placed, transform);
            }
        }
        if !is_gateway {
            let worst = editor.doc.worst(&target);
            w.badge.show(&g, None, worst, Point::new(label_at.x, label_at.y + 10.0));
        }
        w
    }));
}
