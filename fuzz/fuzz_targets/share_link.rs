//! The share-link decoder: any fragment decodes or fails with a `ShareError`, never panics.
//! Half the inputs are taken as the link's text, half as the deflated bytes it carries (so the
//! fuzzer reaches the inflater and the loader behind it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_topology::model::share::{decode, encode};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else { return };
    let fragment =
        if mode % 2 == 0 { format!("#design={}", base64url(rest)) } else { String::from_utf8_lossy(rest).into_owned() };
    if let Ok(loaded) = decode(&fragment) {
        // A decoded design shares again, and the second link decodes to the same design.
        let (link, _) = encode(&loaded.design);
        let again = decode(&link).expect("an encoded link decodes");
        assert_eq!(encode(&again.design).0, link);
    }
});
