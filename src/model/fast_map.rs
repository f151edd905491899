//! Hash maps for the model's in-memory indexes (streams by name, subject tokens, graph
//! bookkeeping), where `BTreeMap`'s string comparisons made validation grow as n log n.
//!
//! The hasher is `rustc-hash`'s, the one rustc uses for its own tables: a few instructions per
//! word instead of SipHash's rounds. It is not meant to resist crafted collisions; the worst a
//! hostile design can do is slow the validation of itself. Nothing iterates these maps to
//! produce output, so their order never shows.

pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub type FastSet<K> = rustc_hash::FxHashSet<K>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_as_maps() {
        let mut names: FastMap<&str, usize> = FastMap::default();
        for (i, name) in ["a", "b", "a", "c"].into_iter().enumerate() {
            names.entry(name).or_insert(i);
        }
        assert_eq!((names.len(), names["a"], names["c"]), (3, 0, 3));
        let set: FastSet<u32> = (0..1000).collect();
        assert!(set.contains(&999) && !set.contains(&1000));
    }
}
