//! Ways into a model other than drawing it: built-in architecture templates
//! and importers of existing infrastructure (AWS SAM / CloudFormation,
//! Serverless Framework, OWASP Threat Dragon). Every import is laid out with
//! `layout::auto_layout` so it opens cleanly in the editor and the report.
//!
//! Must not: analyse threats. Importers return a model plus located
//! warnings; unknown resource types become generic elements, never a failure.

pub mod format;
pub mod sam;
pub mod serverless;
pub mod templates;
pub mod threat_dragon;

pub use format::{run, run_file, Format};
