//! The wall clock, read only at the edges (CLI, app, file metadata): pure
//! modules take the date as an input so analyses stay reproducible.
//! Must not: be called from `model`, `graph`, `rules`, `engine` or `risk`.

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's
/// civil-from-days, proleptic Gregorian).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Day count since 1970-01-01 of a civil date: the inverse of
/// [`civil_from_days`] (Howard Hinnant's days-from-civil).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch of midnight UTC of an ISO date (`YYYY-MM-DD`);
/// `None` when the text is not such a date.
pub fn unix_from_date(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok().filter(|m| (1..=12).contains(m))?;
    let d: u32 = parts.next()?.parse().ok().filter(|d| (1..=31).contains(d))?;
    Some(days_from_civil(y, m, d) * 86_400)
}

fn unix_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Today (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let (y, m, d) = civil_from_days(unix_seconds().div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Now (UTC) as ISO 8601 to the second.
pub fn now() -> String {
    iso_from_unix(unix_seconds())
}

/// A Unix time (seconds) as ISO 8601 UTC to the second.
pub fn iso_from_unix(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, days_from_civil, unix_from_date};

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_786), (2026, 11, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn days_from_civil_inverts_civil_from_days() {
        for days in [-800_000, -1, 0, 11_016, 20_786, 60_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(unix_from_date("2026-11-29"), Some(20_786 * 86_400));
        assert_eq!(unix_from_date("2026-13-01"), None);
        assert_eq!(unix_from_date("today"), None);
    }
}
