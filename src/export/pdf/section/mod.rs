//! The sections of the PDF report, one file each, in report order. Each
//! draws with `doc::Writer` from a `Report` (the model and its analysis).
//!
//! Must not: compute threats, scores or bands, or touch files.

pub(super) mod appendix;
pub(super) mod attack_paths;
pub(super) mod compliance;
pub(super) mod contents;
pub(super) mod cover;
pub(super) mod details;
pub(super) mod diagram;
pub(super) mod heat_map;
pub(super) mod plan;
pub(super) mod register;
