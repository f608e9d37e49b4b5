//! Fuzz target `open_twm`: see `readers::open_twm` in fuzz/src/readers.rs.
#![no_main]
#[path = "../src/readers.rs"]
#[allow(dead_code)]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::open_twm(data));
