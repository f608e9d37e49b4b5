//! Threatwright: threat modeling and risk assessment for serverless
//! architectures. This crate holds all domain logic; the desktop shell in
//! `src-tauri/` and the CLI in `main.rs` are thin layers over it.
//!
//! Must not: depend on Tauri or any GUI library.
//!
//! # The front page
//!
//! A [`Model`] (elements, flows, trust boundaries, permission grants, data
//! assets) comes from the YAML format ([`yaml::parse_model`]), a project file
//! ([`store::load_model`]), a template ([`import::templates`]) or an importer
//! ([`ImportFormat`] and [`import::run`]). [`analyze`] applies a threat
//! [`Catalog`] ([`builtin_catalog`], or rule files parsed with
//! [`rules::parse_rule_files`]) and returns an [`Analysis`]: ranked threats
//! with their rationale and scores, plus everything a renderer draws (heat
//! map, bands, mitigation plan, compliance view, denial-of-wallet bounds).
//! [`ExportFormat`] and [`export::render`] turn it into JSON, YAML, CSV,
//! Markdown, SARIF, Threat Dragon or a PDF report.
//!
//! ```
//! let text = "threatwright: \"2.1\"\nname: Tiny\nelements:\n  - {name: Api, type: aws.apigateway, properties: {auth: none}}\n  - {name: Fn, type: aws.lambda}\nflows:\n  - {from: Api, to: Fn}\n";
//! let model = threatwright::yaml::parse_model(text, "tiny.yaml").expect("a valid model");
//! let catalog = threatwright::builtin_catalog().expect("the built-in catalog loads");
//! let analysis = threatwright::analyze(&model, &catalog, &threatwright::Options::default());
//! assert!(analysis.threats.iter().any(|t| t.target.name == "Api"));
//! ```
//!
//! Invariants (see `ARCHITECTURE.md`): `model`, `graph`, `rules`, `engine`,
//! `risk` and `layout` are pure; analysis never fails; reading a user's file
//! never panics — every problem is a located [`Diagnostic`].

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
pub use engine::{analyze, Analysis, Options, Threat};
pub use export::Format as ExportFormat;
pub use import::Format as ImportFormat;
pub use model::Model;
pub use rules::{builtin_catalog, Catalog};

/// Version of this build.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
