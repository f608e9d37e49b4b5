//! The JSON contract of `analyze --format json` (see PRODUCT.md and
//! docs/analysis-format.md): the `Analysis` as one object, with its
//! `format_version`.
//! Must not: shape the fields (they are `Analysis`'s own).

use crate::engine::Analysis;

/// Pretty JSON of an analysis, newline-terminated.
pub fn analysis(a: &Analysis) -> String {
    let mut s = serde_json::to_string_pretty(a).expect("analysis serialises");
    s.push('\n');
    s
}
