//! Finding clusters, streams and accounts by name, for the designer's search box.
//!
//! Matching ignores case; a name equal to the query ranks first, then names starting with it,
//! then names containing it. Within a rank clusters come before streams before accounts, then
//! names in order, so the same design and query always list the same hits.

use super::{ClusterId, Design, StreamId};
use crate::model::sort::Sorted;

/// What a hit names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HitKind {
    Cluster,
    Stream,
    Account,
}

impl HitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Cluster => "cluster",
            HitKind::Stream => "stream",
            HitKind::Account => "account",
        }
    }
}

/// One element whose name matches the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: HitKind,
    pub name: String,
    /// Where it lives: the cluster of a stream or an account; for a cluster, its role.
    pub context: String,
    /// The cluster to show: the cluster itself, or the one holding the stream or account.
    pub cluster: ClusterId,
    /// The stream to select, for a stream hit.
    pub stream: Option<StreamId>,
}

/// How well `name` matches `query` (already lowercase): lower is better, `None` is no match.
fn rank(name: &str, query: &str) -> Option<u8> {
    let name = name.to_lowercase();
    if name == query {
        Some(0)
    } else if name.starts_with(query) {
        Some(1)
    } else if name.contains(query) {
        Some(2)
    } else {
        None
    }
}

/// The elements whose names match `query`, best first, at most `limit`, and how many matched
/// in all. A blank query matches nothing.
pub fn search(design: &Design, query: &str, limit: usize) -> (Vec<Hit>, usize) {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return (Vec::new(), 0);
    }
    let mut ranked: Vec<(u8, Hit)> = Vec::new();
    for (id, cluster) in design.clusters() {
        if let Some(r) = rank(&cluster.name, &query) {
            let context = cluster.role.as_str().to_owned();
            let hit = Hit { kind: HitKind::Cluster, name: cluster.name.clone(), context, cluster: id, stream: None };
            ranked.push((r, hit));
        }
        for account in cluster.accounts.keys() {
            if let Some(r) = rank(account, &query) {
                let hit = Hit {
                    kind: HitKind::Account,
                    name: account.clone(),
                    context: cluster.name.clone(),
                    cluster: id,
                    stream: None,
                };
                ranked.push((r, hit));
            }
        }
    }
    for stream in design.streams() {
        if let Some(r) = rank(&stream.config.name, &query) {
            let context = design.cluster(stream.cluster).map(|c| c.name.clone()).unwrap_or_default();
            let hit = Hit {
                kind: HitKind::Stream,
                name: stream.config.name.clone(),
                context,
                cluster: stream.cluster,
                stream: Some(stream.id),
            };
            ranked.push((r, hit));
        }
    }
    let total = ranked.len();
    ranked.sort_with(|(ra, a), (rb, b)| {
        (ra, a.kind, &a.name, &a.context, a.stream).cmp(&(rb, b.kind, &b.name, &b.context, b.stream))
    });
    (ranked.into_iter().take(limit).map(|(_, hit)| hit).collect(), total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::example::guide_corrected;

    fn check(query: &str, expected: &[(HitKind, &str, &str)]) {
        let (hits, total) = search(&guide_corrected(), query, 50);
        let got: Vec<_> = hits.iter().map(|h| (h.kind, h.name.as_str(), h.context.as_str())).collect();
        assert_eq!(got, expected);
        assert_eq!(total, expected.len());
    }

    #[test]
    fn blank_query_finds_nothing() {
        check("", &[]);
        check("   ", &[]);
    }

    #[test]
    fn exact_names_rank_before_prefixes_before_substrings_ignoring_case() {
        check(
            "Cinema-A",
            &[(HitKind::Stream, "cinema-a", "headquarter"), (HitKind::Stream, "cinema-a-mirror", "spoke-1")],
        );
        check("tickets-2", &[(HitKind::Stream, "tickets-2", "spoke-2")]);
    }

    #[test]
    fn clusters_come_before_streams_and_accounts_within_a_rank() {
        let (hits, _) = search(&guide_corrected(), "s", 50);
        // "s" starts spoke-1, spoke-2, sales and SYS: those rank before names that only contain
        // it, clusters first.
        let starting: Vec<_> = hits.iter().take(4).map(|h| (h.kind, h.name.as_str())).collect();
        assert_eq!(
            starting,
            [
                (HitKind::Cluster, "spoke-1"),
                (HitKind::Cluster, "spoke-2"),
                (HitKind::Stream, "sales"),
                (HitKind::Account, "SYS")
            ]
        );
    }

    #[test]
    fn an_account_hit_shows_its_cluster_and_a_stream_hit_selects_the_stream() {
        let design = guide_corrected();
        let (hits, _) = search(&design, "sys", 50);
        assert!(hits.iter().all(|h| h.kind == HitKind::Account && h.stream.is_none()));
        assert_eq!(hits.len(), design.clusters().count());
        let (hits, _) = search(&design, "sales", 50);
        let sales = design.streams().find(|s| s.config.name == "sales").expect("the guide has sales");
        assert_eq!(hits[0].stream, Some(sales.id));
        assert_eq!(hits[0].cluster, sales.cluster);
    }

    #[test]
    fn the_limit_cuts_the_list_but_the_total_counts_every_match() {
        let design = crate::model::generate::generated(10, 200);
        let (hits, total) = search(&design, "-", 5);
        assert_eq!(hits.len(), 5);
        assert!(total > 200);
    }
}
