//! Runtime end-of-life data: deprecation dates of function runtimes, kept as
//! data with the date they were checked. Must not: read the clock — the
//! analysis date is an input so results stay reproducible.

/// When this table was last checked against the vendors' published schedules.
pub const CHECKED: &str = "2026-11-01";

/// (runtime identifier prefix-free name, end-of-support date ISO).
/// Sources: AWS Lambda runtimes page, Azure Functions and Google Cloud
/// Functions runtime support schedules.
const EOL: &[(&str, &str)] = &[
    ("nodejs", "2016-10-31"),
    ("nodejs4.3", "2020-03-05"),
    ("nodejs6.10", "2019-08-12"),
    ("nodejs8.10", "2020-03-06"),
    ("nodejs10.x", "2021-07-30"),
    ("nodejs12.x", "2023-03-31"),
    ("nodejs14.x", "2023-12-04"),
    ("nodejs16.x", "2024-06-12"),
    ("nodejs18.x", "2025-09-01"),
    ("nodejs20.x", "2026-04-30"),
    ("nodejs8", "2020-06-05"),
    ("nodejs10", "2021-07-30"),
    ("nodejs12", "2023-01-30"),
    ("nodejs14", "2024-01-30"),
    ("nodejs16", "2024-01-30"),
    ("nodejs18", "2025-04-30"),
    ("nodejs20", "2026-04-30"),
    ("python2.7", "2021-07-15"),
    ("python3.6", "2022-07-18"),
    ("python3.7", "2023-12-04"),
    ("python3.8", "2024-10-14"),
    ("python3.9", "2025-12-15"),
    ("python37", "2024-01-30"),
    ("python38", "2024-10-14"),
    ("python39", "2025-10-05"),
    ("ruby2.5", "2021-07-30"),
    ("ruby2.7", "2023-12-07"),
    ("ruby3.2", "2026-03-31"),
    ("java8", "2024-01-08"),
    ("dotnetcore1.0", "2019-07-30"),
    ("dotnetcore2.0", "2019-05-30"),
    ("dotnetcore2.1", "2022-01-05"),
    ("dotnetcore3.1", "2023-04-03"),
    ("dotnet5.0", "2022-05-10"),
    ("dotnet6", "2024-12-20"),
    ("dotnet7", "2024-05-14"),
    ("go1.x", "2024-01-08"),
    ("provided", "2024-01-08"),
    ("go111", "2024-01-30"),
    ("go113", "2024-01-30"),
    ("go116", "2024-01-30"),
];

/// Runtimes known to be supported as of [`CHECKED`].
const SUPPORTED: &[&str] = &[
    "nodejs22.x",
    "nodejs24.x",
    "nodejs22",
    "nodejs24",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "python310",
    "python311",
    "python312",
    "python313",
    "java11",
    "java17",
    "java21",
    "java25",
    "ruby3.3",
    "ruby3.4",
    "dotnet8",
    "dotnet9",
    "dotnet10",
    "provided.al2",
    "provided.al2023",
    "go1.22",
    "go1.23",
    "go1.24",
    "go1.25",
    "go122",
    "go123",
    "go124",
    "go125",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeStatus {
    EndOfLife { since: &'static str },
    Supported,
    Unknown,
}

/// Status of a runtime on `today` (ISO date, compared as text).
pub fn runtime_status(runtime: &str, today: &str) -> RuntimeStatus {
    let r = runtime.trim().to_ascii_lowercase();
    if let Some((_, date)) = EOL.iter().find(|(name, _)| *name == r) {
        if *date <= today {
            return RuntimeStatus::EndOfLife { since: date };
        }
        return RuntimeStatus::Supported;
    }
    if SUPPORTED.contains(&r.as_str()) {
        RuntimeStatus::Supported
    } else {
        RuntimeStatus::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eol_depends_on_the_analysis_date() {
        assert_eq!(runtime_status("python3.8", "2026-11-29"), RuntimeStatus::EndOfLife { since: "2024-10-14" });
        assert_eq!(runtime_status("nodejs20.x", "2026-01-01"), RuntimeStatus::Supported);
        assert!(matches!(runtime_status("nodejs20.x", "2026-11-29"), RuntimeStatus::EndOfLife { .. }));
        assert_eq!(runtime_status("python3.12", "2026-11-29"), RuntimeStatus::Supported);
        assert_eq!(runtime_status("cobol", "2026-11-29"), RuntimeStatus::Unknown);
    }
}
