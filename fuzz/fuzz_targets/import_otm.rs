//! Fuzz target `import_otm`: see `readers::import_otm` in fuzz/src/readers.rs.
#![no_main]
#[path = "../src/readers.rs"]
#[allow(dead_code)]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::import_otm(data));
