//! Threatwright: threat modeling and risk assessment for serverless
//! architectures. This crate holds all domain logic; the desktop shell in
//! `src-tauri/` and the CLI in `main.rs` are thin layers over it.
//!
//! Must not: depend on Tauri or any GUI library.

pub mod clock;
pub mod diag;
pub mod engine;
pub mod export;
pub mod graph;
pub mod import;
pub mod layout;
pub mod model;
pub mod risk;
pub mod rules;
pub mod store;
pub mod yaml;

pub use diag::{Diagnostic, Diagnostics};
pub use model::Model;

/// Version of this build.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
