//! The JSON contract of `analyze --format json` (see PRODUCT.md): one object
//! with `threats` and `summary`.

use crate::engine::Analysis;

/// Pretty JSON of an analysis, newline-terminated.
pub fn analysis(a: &Analysis) -> String {
    let mut s = serde_json::to_string_pretty(a).expect("analysis serialises");
    s.push('\n');
    s
}
