//! Integration tests of the library and the `threatwright` CLI, as one binary.

mod analysis;
mod catalog;
mod cli;
mod docs;
mod drift;
mod estate;
mod eval;
mod families;
mod fuzz_replay;
mod graph;
mod hostile;
mod import;
mod knowledge;
mod layout;
mod migrate;
mod otm;
mod pdf;
mod pdf_diagram;
mod project;
mod regression;
mod roundtrip;
mod rules_cli;
mod sarif;
mod security_model;
mod support;
mod terraform;
#[path = "../common/testkit.rs"]
mod testkit;
mod threagile;
mod threat_composer;
mod threat_dragon;
mod tidy;
mod tm7;
mod triage;
