//! Which accounts a mirror or source joins, for the designer: the link between a copy and an
//! origin in another account is labelled with both ("APP ← DATA"), and the canvas can be
//! filtered by account.

use super::links::Link;
use super::{Design, Stream, StreamSource};
use std::collections::BTreeSet;

/// The accounts a stream link joins, `(copy's, origin's)`, when they differ. A link whose
/// origin the design resolves compares the two streams; a dangling one looks for a stream of
/// the origin's name in another account where the copy looks for it (the case
/// `cross-account-exports-missing` reports).
pub fn link_accounts(design: &Design, link: &Link) -> Option<(String, String)> {
    match link {
        Link::Leafnode { .. } => None,
        Link::Stream { origin, copy, .. } => {
            let (origin, copy) = (design.stream(*origin)?, design.stream(*copy)?);
            (origin.account != copy.account).then(|| (copy.account.clone(), origin.account.clone()))
        }
        Link::Dangling { copy, index, .. } => {
            let copy = design.stream(*copy)?;
            let source = copy.origins().nth(*index)?;
            let origin = other_account_origin(design, copy, source)?;
            Some((copy.account.clone(), origin.account.clone()))
        }
    }
}

/// A stream named like `source`'s origin, in another account than `copy`, in the place the
/// copy looks: the domain its `external.api` names, else the origin cluster, else its own.
fn other_account_origin<'a>(design: &'a Design, copy: &Stream, source: &StreamSource) -> Option<&'a Stream> {
    let domain = match design.effective_api(copy, source) {
        Some(api) => Some(Design::api_domain(&api)?.to_owned()),
        None => match source.origin_cluster {
            Some(c) => design.cluster(c)?.domain().map(str::to_owned),
            None => design.stream_domain(copy).map(str::to_owned),
        },
    };
    design.streams().find(|s| {
        s.id != copy.id
            && s.config.name == source.name
            && s.account != copy.account
            && match (&domain, source.origin_cluster) {
                (Some(d), _) => design.stream_domain(s) == Some(d.as_str()),
                (None, Some(c)) => s.cluster == c,
                (None, None) => s.cluster == copy.cluster,
            }
    })
}

/// Every account name of the design, once, sorted: the clusters' accounts and the accounts
/// streams are placed in.
pub fn account_names(design: &Design) -> Vec<String> {
    let mut names: BTreeSet<String> = design.clusters().flat_map(|(_, c)| c.accounts.keys().cloned()).collect();
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
    fn a_copy_of_a_stream_in_another_account_names_both_accounts() {
        let (design, link) = cross_account();
        let Link::Stream { copy, index, .. } = link else { unreachable!() };
        let copy_account = design.stream(copy).unwrap().account.clone();
        // The design no longer resolves the origin across accounts: the link dangles, and still
        // names the account it would come from.
        let drawn = design
            .links()
            .into_iter()
            .find(|l| matches!(l, Link::Dangling { copy: c, index: i, .. } if *c == copy && *i == index));
        let drawn = drawn.expect("the copy's link is still drawn");
        assert_eq!(link_accounts(&design, &drawn), Some((copy_account, "DATA".to_owned())));
        assert!(account_names(&design).contains(&"DATA".to_owned()));
    }
}
