//! The design-file loader: any bytes load or fail with a `LoadError`, never panic; what loads
//! saves to a file that loads back to the same design with no repairs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_topology::model::persist::{load, save};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(loaded) = load(&text) {
        let saved = save(&loaded.design);
        let again = load(&saved).expect("a saved design loads");
        assert!(again.repairs.is_empty(), "repairs after a save: {:?}", again.repairs);
        assert_eq!(save(&again.design), saved, "saving is stable across a load");
    }
});
