//! Fuzz target `model_yaml`: see `readers::model_yaml` in fuzz/src/readers.rs.
#![no_main]
#[path = "../src/readers.rs"]
#[allow(dead_code)]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::model_yaml(data));
