//! Fuzz target `rule_files`: see `readers::rule_files` in fuzz/src/readers.rs.
#![no_main]
#[path = "../src/readers.rs"]
#[allow(dead_code)]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::rule_files(data));
