//! Exports of an analysis and of the catalog: JSON (the contract other tools
//! rely on), Markdown, and the generated rule documentation.
//! Must not: compute threats or scores.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod rules_doc;
pub mod sarif;
pub mod schema_doc;
pub mod threat_dragon;
pub mod yaml_out;
