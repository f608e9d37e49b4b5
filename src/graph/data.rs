//! Dated knowledge kept as data under `models/data/` (embedded, so an analysis
//! needs no file and stays reproducible): tab-separated rows, `#` comments,
//! `# key: value` header lines. One reader for every table, each problem
//! located by its line. Must not: interpret the rows (their modules do).

/// A line of a data table that does not have the expected shape.
#[derive(Debug, PartialEq, Eq)]
pub struct TableError {
    pub line: usize,
    pub message: String,
}

/// The rows of a table with exactly `columns` tab-separated, non-empty cells,
/// each with its line number.
pub fn rows(text: &str, columns: usize) -> Result<Vec<(usize, Vec<&str>)>, TableError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != columns || cells.iter().any(|c| c.trim().is_empty()) {
            return Err(TableError {
                line: i + 1,
                message: format!("expected {columns} non-empty cells separated by tabs, found {}", cells.len()),
            });
        }
        out.push((i + 1, cells));
    }
    Ok(out)
}

/// The value of a `# key: value` header line, if the table has one.
pub fn header<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    text.lines().take_while(|l| l.starts_with('#')).find_map(|l| {
        l.trim_start_matches('#').trim().strip_prefix(key).and_then(|r| r.strip_prefix(':')).map(str::trim)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_located_and_checked() {
        let t = "# checked: 2026-11-01\n# a comment\nx\t1\n\ny\t2\n";
        assert_eq!(rows(t, 2).unwrap(), vec![(3, vec!["x", "1"]), (5, vec!["y", "2"])]);
        assert_eq!(header(t, "checked"), Some("2026-11-01"));
        assert_eq!(header(t, "missing"), None);
        assert_eq!(rows("x\t1\ny 2\n", 2).unwrap_err().line, 2);
        assert_eq!(rows("x\t\n", 2).unwrap_err().line, 1);
    }
}
