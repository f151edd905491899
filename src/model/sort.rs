//! One sort for the whole designer.
//!
//! `slice::sort_by` is generic over the element and the comparison, so every call site with its
//! own types compiled a copy of the standard library's stable sort (about 3 KB of wasm each;
//! 23 of them were in the designer's first load, issue 18). These methods sort a list of
//! indices with one comparison behind `&mut dyn FnMut`, so there is one compiled sort, and then
//! move the elements into that order by swaps. The order is the stable sort's: equal elements
//! keep their relative order, also where a call site used an unstable sort before (which only
//! permutes elements that compare equal, and those are indistinguishable where it was used).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Stable sorting through the one shared sort of indices.
pub trait Sorted<T> {
    /// Like `sort_by`.
    fn sort_with(&mut self, compare: impl FnMut(&T, &T) -> Ordering);

    /// Like `sort_by_key`.
    fn sort_with_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.sort_with(|a, b| key(a).cmp(&key(b)));
    }

    /// Like `sort`.
    fn sort_all(&mut self)
    where
        T: Ord,
    {
        self.sort_with(T::cmp);
    }
}

impl<T> Sorted<T> for [T] {
    fn sort_with(&mut self, mut compare: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let order = sorted_indices(self.len(), &mut |a, b| compare(&self[a], &self[b]));
        permute(self, order);
    }
}

/// The indices `0..len` in the order `compare` gives their elements (stable). The one place
/// that instantiates the standard library's sort.
#[inline(never)]
fn sorted_indices(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| compare(*a, *b));
    order
}

/// Moves the element at `order[i]` to position `i`, by swaps (each puts one element where it
/// belongs, so at most `len` of them).
fn permute<T>(items: &mut [T], order: Vec<usize>) {
    let mut to = order_to_destinations(order);
    for i in 0..items.len() {
        while to[i] != i {
            let j = to[i];
            items.swap(i, j);
            to.swap(i, j);
        }
    }
}

/// `to[k]` = where the element now at `k` goes.
fn order_to_destinations(order: Vec<usize>) -> Vec<usize> {
    let mut to = vec![0; order.len()];
    for (position, from) in order.into_iter().enumerate() {
        to[from] = position;
    }
    to
}

/// Collects into a `BTreeSet` by inserting, where `collect()` would sort the items first with a
/// copy of the standard library's sort for their type.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// Collects into a `BTreeMap` by inserting (a later value for the same key wins, as with
/// `collect()`), where `collect()` would sort the pairs first with a copy of the sort.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// `collect()` into a B-tree by inserting: `iter.collect_set()`, `pairs.collect_map()`.
pub trait CollectSorted: Iterator + Sized {
    fn collect_set(self) -> BTreeSet<Self::Item>
    where
        Self::Item: Ord,
    {
        set_of(self)
    }

    fn collect_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        map_of(self)
    }
}

impl<I: Iterator> CollectSorted for I {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys included.
        #[test]
        fn sorts_as_the_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            ours.sort_with_key(|(key, _)| *key);
            let mut std = items.clone();
            std.sort_by_key(|(key, _)| *key);
            prop_assert_eq!(&ours, &std);
            let mut all = items.clone();
            all.sort_all();
            let mut std_all = items;
            std_all.sort();
            prop_assert_eq!(all, std_all);
        }

        #[test]
        fn collects_as_collect(pairs in proptest::collection::vec((0u8..20, any::<u8>()), 0..60)) {
            prop_assert_eq!(map_of(pairs.clone()), pairs.iter().copied().collect::<BTreeMap<_, _>>());
            prop_assert_eq!(set_of(pairs.clone()), pairs.iter().copied().collect::<BTreeSet<_>>());
            prop_assert_eq!(pairs.iter().copied().collect_map(), pairs.iter().copied().collect::<BTreeMap<_, _>>());
            prop_assert_eq!(pairs.iter().copied().collect_set(), pairs.into_iter().collect::<BTreeSet<_>>());
        }
    }
}
