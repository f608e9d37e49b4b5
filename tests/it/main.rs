//! Integration tests of the library and the `threatwright` CLI, as one binary.

mod analysis;
mod catalog;
mod cli;
mod docs;
mod families;
mod graph;
mod pdf;
mod import;
mod project;
mod roundtrip;
mod sarif;
mod triage;
mod rules_cli;
mod support;
mod threat_dragon;
