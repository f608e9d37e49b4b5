//! Fuzz target `import_threat_composer`: see `readers::import_threat_composer` in fuzz/src/readers.rs.
#![no_main]
#[path = "../src/readers.rs"]
#[allow(dead_code)]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::import_threat_composer(data));
