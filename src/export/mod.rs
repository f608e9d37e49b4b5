//! Exports of an analysis and of the catalog. Of an analysis, through one
//! [`Format`] enum and [`render`]: JSON (the versioned contract other tools
//! rely on, `json`), the same as YAML (`yaml_out`), CSV (`csv`), Markdown
//! (`markdown`), SARIF 2.1.0 (`sarif`), OWASP Threat Dragon v2
//! (`threat_dragon`), Open Threat Model (`otm`), Threagile (`threagile`), AWS Threat Composer
//! (`threat_composer`) and the PDF risk report (`pdf`). Of the catalog and the
//! schema: the generated rule documentation (`rules_doc`) and property
//! reference (`schema_doc`).
//!
//! Must not: compute threats or scores (renderers draw what `Analysis`
//! carries: bands, heat map, mitigation plan), or touch files.

pub(crate) mod csv;
pub mod estate;
pub(crate) mod format;
pub(crate) mod json;
pub(crate) mod markdown;
pub mod otm;
pub mod pdf;
pub mod rules_doc;
pub(crate) mod sarif;
pub mod schema_doc;
pub mod threagile;
pub mod threat_composer;
pub mod threat_dragon;
pub(crate) mod yaml_out;

pub use format::{render, write, ExportError, Format, RenderInputs, SourceLines, WriteError};
