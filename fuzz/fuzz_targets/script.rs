//! Import through the nats CLI script importer: any text imports to a design with diagnostics
//! and notes, never panics; the imported design validates (validation never fails either). The
//! input is a script and, after its first NUL byte, a stream file the script may name
//! (`--config streams/s.json`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nats_topology::model::import::{import, SourceFile};

fuzz_target!(|data: &[u8]| {
    let (script, stream) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let Ok(script) = std::str::from_utf8(script) else { return };
    let mut files = vec![SourceFile::new("nats-setup.sh", script)];
    if let Some(Ok(stream)) = stream.map(std::str::from_utf8) {
        files.push(SourceFile::new("streams/s.json", stream));
    }
    let imported = import(&files);
    let _ = imported.validate();
});
