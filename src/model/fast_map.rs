//! Hash maps for the model's in-memory indexes (streams by name, subject tokens, graph
//! bookkeeping), where `BTreeMap`'s string comparisons made validation grow as n log n.
//!
//! The hasher is a multiply-rotate word hash in the spirit of the one rustc uses for its own
//! tables: a few instructions per word instead of SipHash's rounds. It is not meant to resist
//! crafted collisions; the worst a hostile design can do is slow the validation of itself.
//! Nothing iterates these maps to produce output, so their order never shows.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

/// Folds each 8-byte word into the state with a rotate, an xor and a multiply by an odd constant.
#[derive(Clone, Copy, Default)]
pub struct WordHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut word = [0; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash(value: impl Hash) -> u64 {
        BuildHasherDefault::<WordHasher>::default().hash_one(value)
    }

    #[test]
    fn equal_keys_hash_alike_and_near_keys_apart() {
        assert_eq!(hash("tickets-1"), hash(String::from("tickets-1")));
        assert_ne!(hash("tickets-1"), hash("tickets-2"));
        // The tail of a long key counts, and so does where a key ends.
        assert_ne!(hash("orders.cinema-a.>"), hash("orders.cinema-a.*"));
        assert_ne!(hash(("ab", "c")), hash(("a", "bc")));
    }

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
