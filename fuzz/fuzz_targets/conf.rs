//! Import through the nats-server.conf parser: any text imports to a design with diagnostics and
//! notes, never panics; the imported design validates (validation never fails either).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_topology::model::import::{import, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let imported = import(&[SourceFile::new("nats.conf", text)]);
    let _ = imported.validate();
});
