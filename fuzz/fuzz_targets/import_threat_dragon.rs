//! Fuzz target `import_threat_dragon`: see `readers::import_threat_dragon` in fuzz/src/readers.rs.
#![no_main]
#[path = "../src/readers.rs"]
#[allow(dead_code)]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::import_threat_dragon(data));
