//! Which accounts a mirror or source joins, for the designer: the link between a copy and an
//! origin in another account is labelled with both ("APP ← DATA"), and the canvas can be
//! filtered by account.

use super::links::Link;
use super::validate::imports_api_under;
use super::{Design, Stream, StreamSource};
use crate::model::sort::CollectSorted;
use std::collections::BTreeSet;

/// The accounts a stream link joins, `(copy's, origin's)`, when they differ. A drawn link
/// compares its two streams (an origin in another account is drawn as a link, found as
/// [`origin_in_other_account`] finds it); a dangling one joins none.
pub fn link_accounts(design: &Design, link: &Link) -> Option<(String, String)> {
    match link {
        Link::Leafnode { .. } | Link::Gateway { .. } | Link::Dangling { .. } => None,
        Link::Stream { origin, copy, .. } => {
            let (origin, copy) = (design.stream(*origin)?, design.stream(*copy)?);
            (origin.account != copy.account).then(|| (copy.account.clone(), origin.account.clone()))
        }
    }
}

/// The origin of `copy`'s `source` when it lives in another account than the copy, as the rule
/// `cross-account-exports-missing` finds it (`validate/topology.rs` calls it): in the
/// cluster the link points at; else in the domain the `external.api` names, or the copy's own
/// place; else, behind an import prefix (`$JS.DATA.API` imported by an account), in a cluster
/// where some account imports the origin account's API under that prefix. `candidates` holds at
/// least every stream named like the origin, in id order. Used by [`Design::links`] once the
/// origin is not found in the copy's own account.
pub fn origin_in_other_account<'a>(
    design: &Design,
    copy: &Stream,
    source: &StreamSource,
    candidates: impl IntoIterator<Item = &'a Stream>,
) -> Option<&'a Stream> {
    let mut others =
        candidates.into_iter().filter(|s| s.id != copy.id && s.config.name == source.name && s.account != copy.account);
    if let Some(c) = source.origin_cluster {
        return others.find(|s| s.cluster == c);
    }
    match design.effective_api(copy, source) {
        Some(api) => match Design::api_domain(&api) {
            Some(domain) => others.find(|s| design.stream_domain(s) == Some(domain)),
            None => others.find(|s| design.cluster(s.cluster).is_some_and(|c| imports_api_under(c, &s.account, &api))),
        },
        None => match design.stream_domain(copy) {
            Some(domain) => others.find(|s| design.stream_domain(s) == Some(domain)),
            None => others.find(|s| s.cluster == copy.cluster),
        },
    }
}

/// Every account name of the design, once, sorted: the clusters' accounts and the accounts
/// streams are placed in.
pub fn account_names(design: &Design) -> Vec<String> {
    let mut names: BTreeSet<String> = design.clusters().flat_map(|(_, c)| c.accounts.keys().cloned()).collect_set();
    names.extend(design.streams().map(|s| s.account.clone()).filter(|a| !a.is_empty()));
    names.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;

    /// The guide's design with the origin of its first copy moved into account DATA.
    fn cross_account() -> (Design, Link) {
        let mut design = guide_corrected();
        let link = design.links().into_iter().find(|l| matches!(l, Link::Stream { .. })).expect("the guide copies");
        let Link::Stream { origin, .. } = link else { unreachable!() };
        let cluster = design.stream(origin).unwrap().cluster;
        design.cluster_mut(cluster).unwrap().accounts.entry("DATA".into()).or_default();
        design.stream_mut(origin).unwrap().account = "DATA".into();
        (design, link)
    }

    #[test]
    fn a_link_within_one_account_joins_no_accounts() {
        let design = guide_corrected();
        assert!(design.links().iter().all(|l| link_accounts(&design, l).is_none()));
    }

    #[test]
    fn a_copy_of_a_stream_in_another_account_is_a_link_naming_both_accounts() {
        let (design, link) = cross_account();
        let Link::Stream { copy, index, origin, .. } = link else { unreachable!() };
        let copy_account = design.stream(copy).unwrap().account.clone();
        let drawn = design
            .links()
            .into_iter()
            .find(|l| matches!(l, Link::Stream { copy: c, index: i, .. } if *c == copy && *i == index));
        let drawn = drawn.expect("the copy's link resolves into the other account");
        assert!(matches!(drawn, Link::Stream { origin: o, .. } if o == origin));
        assert_eq!(link_accounts(&design, &drawn), Some((copy_account, "DATA".to_owned())));
        assert!(account_names(&design).contains(&"DATA".to_owned()));
    }

    /// The origins the links find in other accounts are the ones the rule judges: in the
    /// template, wired and not, every copy is a link to its origin joining APP and DATA, and the
    /// unwired copies' `cross-account-exports-missing` names that same origin.
    #[test]
    fn the_cross_account_template_draws_resolved_links_app_from_data() {
        use crate::model::templates::{cross_account_sharing, cross_account_unwired};
        use crate::model::validate::{validate, Rule, Target};
        for design in [cross_account_sharing(), cross_account_unwired()] {
            let links = design.links();
            assert!(!links.iter().any(|l| matches!(l, Link::Dangling { .. })), "{links:#?}");
            let joins: Vec<_> = links.iter().filter_map(|l| link_accounts(&design, l)).collect();
            assert_eq!(joins, [("APP".to_owned(), "DATA".to_owned()), ("APP".to_owned(), "DATA".to_owned())]);
            for link in &links {
                if let Link::Stream { origin, copy, .. } = link {
                    let (o, c) = (design.stream(*origin).unwrap(), design.stream(*copy).unwrap());
                    let expected = if c.config.name == "orders-mirror" { "orders" } else { "events" };
                    assert_eq!(o.config.name, expected);
                }
            }
        }
        let unwired = cross_account_unwired();
        let flagged: Vec<_> = validate(&unwired)
            .into_iter()
            .filter(|d| d.rule == Rule::CrossAccountExportsMissing)
            .map(|d| d.target)
            .collect();
        let flagged: Vec<_> = flagged
            .into_iter()
            .map(|t| match t {
                Target::Origin { stream, .. } => Target::Stream(stream),
                other => other,
            })
            .collect();
        let copies: Vec<_> = unwired
            .links()
            .into_iter()
            .filter_map(|l| match l {
                Link::Stream { copy, .. } => Some(Target::Stream(copy)),
                _ => None,
            })
            .collect();
        assert!(!flagged.is_empty());
        assert!(flagged.iter().all(|t| copies.contains(t)), "{flagged:?} among {copies:?}");
    }

    /// Behind an import prefix (no origin cluster, `external.api` = the prefix an account of the
    /// origin's cluster imports DATA's API under), the origin is found as the rule finds it.
    #[test]
    fn an_origin_behind_an_import_prefix_is_found() {
        use crate::model::templates::cross_account_sharing;
        let mut design = cross_account_sharing();
        let id = design.streams().find(|s| s.config.name == "orders-mirror").unwrap().id;
        let api = {
            let s = design.stream(id).unwrap();
            design.effective_api(s, s.config.mirror.as_ref().unwrap()).unwrap()
        };
        let mirror = design.stream_mut(id).unwrap().config.mirror.as_mut().unwrap();
        mirror.origin_cluster = None;
        mirror.api = Some(api.clone());
        let resolved = design.links().into_iter().any(|l| matches!(l, Link::Stream { copy, .. } if copy == id));
        assert!(Design::api_domain(&api).is_none(), "the wired template names an import prefix: {api}");
        assert!(resolved, "{api}");
    }
}
