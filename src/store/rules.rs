//! Rule files on disk: reads a user's rule folder (or a single rule file)
//! into `(label, text)` pairs for `rules::parse_rule_files`, with the same
//! size guard and located errors as model files.
//! Must not: parse rules (that is `rules::load`).

use crate::diag::{Diagnostic, Diagnostics};
use std::path::Path;

/// Reads every `*.yaml`/`*.yml` file of a folder, sorted by name, or the one
/// file named. Each text comes with its path as the label its diagnostics use.
pub fn read_rule_files(path: &Path) -> Result<Vec<(String, String)>, Diagnostics> {
    if path.is_file() {
        return Ok(vec![(path.display().to_string(), super::read_text(path)?)]);
    }
    let label = path.display().to_string();
    let entries = std::fs::read_dir(path)
        .map_err(|e| Diagnostics::one(Diagnostic::new(&label, 0, 0, format!("cannot read rule folder: {e}"))))?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    files.into_iter().map(|f| Ok((f.display().to_string(), super::read_text(&f)?))).collect()
}
