//! Rule files on disk: reads a user's rule folder (or a single rule file)
//! into `(label, text)` pairs for `rules::parse_rule_files`, with the same
//! size guard and located errors as model files.
//! Must not: parse rules (that is `rules::load`).

use crate::diag::{Diagnostic, Diagnostics};
use std::path::Path;

/// Most rule files one folder may hold.
pub const MAX_RULE_FILES: usize = 1_000;

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
    if files.len() > MAX_RULE_FILES {
        let msg =
            format!("{} rule files, over the limit of {MAX_RULE_FILES}; refusing to read the folder", files.len());
        return Err(Diagnostics::one(Diagnostic::new(&label, 0, 0, msg)));
    }
    files.into_iter().map(|f| Ok((f.display().to_string(), super::read_text(&f)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_of_too_many_rule_files_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..=MAX_RULE_FILES {
            std::fs::write(dir.path().join(format!("r{i:04}.yaml")), "rules: []\n").unwrap();
        }
        let err = read_rule_files(dir.path()).unwrap_err().to_string();
        assert_eq!(
            err,
            format!("{}: 1001 rule files, over the limit of 1000; refusing to read the folder", dir.path().display())
        );
        std::fs::remove_file(dir.path().join("r0000.yaml")).unwrap();
        assert_eq!(read_rule_files(dir.path()).unwrap().len(), MAX_RULE_FILES);
    }
}
