//! Runtime end-of-life data: deprecation dates of function runtimes, kept as
//! data with the date they were checked. Must not: read the clock — the
//! analysis date is an input so results stay reproducible.

use super::data::{self, TableError};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The table, embedded so the analysis stays reproducible.
pub const TABLE: &str = include_str!("../../models/data/runtime-eol.tsv");

/// When the table was last checked against the vendors' schedules (its `# checked:` line).
pub fn checked() -> &'static str {
    data::header(TABLE, "checked").unwrap_or("2026-11-01")
}

/// Runtime → end-of-support date, or `None` for a runtime supported with no date yet.
pub struct RuntimeTable {
    dates: HashMap<&'static str, Option<&'static str>>,
}

impl RuntimeTable {
    /// Parses the table: `runtime<TAB>YYYY-MM-DD` or `runtime<TAB>supported`.
    pub fn parse(text: &'static str) -> Result<RuntimeTable, TableError> {
        let mut dates = HashMap::new();
        for (line, cells) in data::rows(text, 2)? {
            let (runtime, date) = (cells[0], cells[1]);
            let ok = date == "supported"
                || date.len() == 10
                    && date
                        .chars()
                        .enumerate()
                        .all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
            if !ok {
                return Err(TableError {
                    line,
                    message: format!("expected a date (YYYY-MM-DD) or `supported`, found `{date}`"),
                });
            }
            if dates.insert(runtime, (date != "supported").then_some(date)).is_some() {
                return Err(TableError { line, message: format!("runtime `{runtime}` is listed twice") });
            }
        }
        Ok(RuntimeTable { dates })
    }

    /// The built-in table (parsed once; a test proves it parses).
    pub fn builtin() -> &'static RuntimeTable {
        static T: OnceLock<RuntimeTable> = OnceLock::new();
        T.get_or_init(|| RuntimeTable::parse(TABLE).unwrap_or(RuntimeTable { dates: HashMap::new() }))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeStatus {
    EndOfLife { since: &'static str },
    Supported,
    Unknown,
}

/// Status of a runtime on `today` (ISO date, compared as text).
pub fn runtime_status(runtime: &str, today: &str) -> RuntimeStatus {
    let r = runtime.trim().to_ascii_lowercase();
    match RuntimeTable::builtin().dates.get(r.as_str()) {
        Some(Some(date)) if *date <= today => RuntimeStatus::EndOfLife { since: date },
        Some(_) => RuntimeStatus::Supported,
        None => RuntimeStatus::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses_and_says_when_it_was_checked() {
        let t = RuntimeTable::parse(TABLE).expect("models/data/runtime-eol.tsv parses");
        assert!(t.dates.len() > 60);
        assert_eq!(checked(), "2026-11-01");
        assert_eq!(RuntimeTable::parse("python3.8\t2024-13\n").err().unwrap().line, 1);
        assert!(RuntimeTable::parse("a\tsupported\na\t2020-01-01\n").err().unwrap().message.contains("twice"));
    }

    #[test]
    fn eol_depends_on_the_analysis_date() {
        assert_eq!(runtime_status("python3.8", "2026-11-29"), RuntimeStatus::EndOfLife { since: "2024-10-14" });
        assert_eq!(runtime_status("nodejs20.x", "2026-01-01"), RuntimeStatus::Supported);
        assert!(matches!(runtime_status("nodejs20.x", "2026-11-29"), RuntimeStatus::EndOfLife { .. }));
        assert_eq!(runtime_status("python3.12", "2026-11-29"), RuntimeStatus::Supported);
        assert_eq!(runtime_status("cobol", "2026-11-29"), RuntimeStatus::Unknown);
    }
}
