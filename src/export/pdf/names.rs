//! Element names that fit a box: a name is broken into at most N lines at
//! spaces, after `-` `_` `.` `/`, at camelCase and letter/digit boundaries
//! and between CJK characters, never inside a word part; a name that needs
//! more lines ends its last line with "…". Pure: the width of a string comes
//! in as a function (the report passes the font metrics), so the tests need
//! no fonts.
//! Must not: draw, or know about models; the full name is always shown
//! elsewhere (the element table), so cutting here loses nothing.

/// Characters after which a line may break, kept at the end of the line.
const SEPARATORS: [char; 5] = [' ', '-', '_', '.', '/'];

const ELLIPSIS: &str = "…";

/// The word parts of `name`, each with its trailing separators, in order;
/// concatenated they give `name` back.
pub(super) fn parts(name: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let (at, cur) = chars[i];
        let prev = chars[i - 1].1;
        let next = chars.get(i + 1).map(|c| c.1);
        if breaks_between(prev, cur, next) {
            out.push(&name[start..at]);
            start = at;
        }
    }
    if start < name.len() {
        out.push(&name[start..]);
    }
    out
}

/// Whether a line may break between `prev` and `cur` (`next` follows `cur`).
fn breaks_between(prev: char, cur: char, next: Option<char>) -> bool {
    let sep = |c: char| SEPARATORS.contains(&c);
    if sep(cur) {
        return false;
    }
    if sep(prev) || super::fonts::is_wide(prev) || super::fonts::is_wide(cur) {
        return true;
    }
    // camelCase: "JobUpdate" breaks before "U".
    if prev.is_lowercase() && cur.is_uppercase() {
        return true;
    }
    // The end of an acronym: "HTTPServer" breaks before "Server".
    if prev.is_uppercase() && cur.is_uppercase() && next.is_some_and(char::is_lowercase) {
        return true;
    }
    // Digits stay with what precedes them ("S3", "EC2", "v2", "order2024");
    // a capitalised word after digits starts a part ("S3Bucket").
    prev.is_ascii_digit() && cur.is_uppercase()
}

/// `name` in at most `max_lines` lines no wider than `width` by `measure`.
/// A part wider than a line gets a line of its own, cut with "…"; when the
/// parts need more lines than allowed, the last line ends with "…". An
/// empty name gives no lines.
pub(super) fn wrap_name(name: &str, max_lines: usize, width: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let name = name.trim();
    if name.is_empty() || max_lines == 0 {
        return Vec::new();
    }
    // Lines as runs of parts.
    let parts = parts(name);
    let mut lines: Vec<Vec<&str>> = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    for part in parts {
        let candidate: String = line.iter().copied().chain([part]).collect();
        if line.is_empty() || measure(candidate.trim_end()) <= width {
            line.push(part);
            continue;
        }
        lines.push(std::mem::take(&mut line));
        line.push(part);
    }
    lines.push(line);
    let overflow = lines.len() > max_lines;
    let rest: Vec<&str> = if overflow { lines.split_off(max_lines - 1).concat() } else { Vec::new() };
    let mut out: Vec<String> = lines.iter().map(|l| fit(&l.concat(), width, measure)).collect();
    if overflow {
        out.push(with_ellipsis(&rest, width, measure));
    }
    out
}

/// `text` trimmed, or cut with "…" when it is wider than `width`.
fn fit(text: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    let text = text.trim_end();
    if measure(text) <= width {
        return text.to_string();
    }
    cut(text, width, measure)
}

/// As many whole parts as fit before "…"; by characters when not even the
/// first part fits.
fn with_ellipsis(parts: &[&str], width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    let mut kept = String::new();
    for part in parts {
        let candidate = format!("{kept}{part}");
        if measure(&format!("{}{ELLIPSIS}", candidate.trim_end())) > width {
            break;
        }
        kept = candidate;
    }
    if kept.trim().is_empty() {
        return cut(&parts.concat(), width, measure);
    }
    format!("{}{ELLIPSIS}", kept.trim_end())
}

/// The longest prefix of `text` that fits with "…" after it (at least "…").
fn cut(text: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if measure(&format!("{}{ELLIPSIS}", out.trim_end())) > width {
            out.pop();
            break;
        }
    }
    format!("{}{ELLIPSIS}", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit per character: widths in characters.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    fn wrap(name: &str, lines: usize, width: f32) -> Vec<String> {
        wrap_name(name, lines, width, &chars)
    }

    #[test]
    fn parts_split_at_separators_camel_case_acronyms_and_digits() {
        assert_eq!(parts("CronJobUpdateFunction"), ["Cron", "Job", "Update", "Function"]);
        assert_eq!(parts("my-very-long_name.prod/eu"), ["my-", "very-", "long_", "name.", "prod/", "eu"]);
        assert_eq!(parts("HTTPServerS3Bucket"), ["HTTP", "Server", "S3", "Bucket"]);
        assert_eq!(parts("EC2Instance v2 order2024"), ["EC2", "Instance ", "v2 ", "order2024"]);
        assert_eq!(parts("a--b  c"), ["a--", "b  ", "c"]);
        assert_eq!(parts("注文サービス"), ["注", "文", "サ", "ー", "ビ", "ス"]);
        assert_eq!(parts("ЗаказыОплата"), ["Заказы", "Оплата"]);
        assert!(parts("").is_empty());
    }

    #[test]
    fn parts_give_the_name_back() {
        for name in ["CronJobUpdateFunction", "  odd  spacing ", "x", "É_é-Ñ", "طلبات", "a/b/c."] {
            assert_eq!(parts(name).concat(), name);
        }
    }

    #[test]
    fn camel_case_names_wrap_between_words_never_inside() {
        assert_eq!(wrap("CronJobUpdateFunction", 3, 14.0), ["CronJobUpdate", "Function"]);
        assert_eq!(wrap("CronJobUpdateFunction", 3, 8.0), ["CronJob", "Update", "Function"]);
        assert_eq!(wrap("OrderProcessingDeadLetterQueue", 2, 20.0), ["OrderProcessingDead", "LetterQueue"]);
    }

    #[test]
    fn hyphenated_names_keep_the_hyphen_at_the_line_end() {
        assert_eq!(
            wrap("my-very-long-service-name-prod-eu-west-1", 3, 16.0),
            ["my-very-long-", "service-name-", "prod-eu-west-1"]
        );
        assert_eq!(wrap("my-very-long-service-name-prod-eu-west-1", 2, 16.0), ["my-very-long-", "service-name-…"]);
    }

    #[test]
    fn a_name_that_needs_more_lines_ends_with_an_ellipsis() {
        let lines = wrap("OrderProcessingDeadLetterQueue", 2, 12.0);
        assert_eq!(lines, ["Order", "Processing…"]);
        assert!(lines.iter().all(|l| chars(l) <= 12.0), "{lines:?}");
    }

    #[test]
    fn a_word_without_break_opportunity_is_cut_with_an_ellipsis() {
        assert_eq!(wrap("supercalifragilistic", 2, 10.0), ["supercali…"]);
        assert_eq!(wrap("supercalifragilistic handler", 2, 10.0), ["supercali…", "handler"]);
        assert_eq!(wrap("x", 1, 0.5), ["…"]);
    }

    #[test]
    fn short_names_stay_on_one_line_and_spaces_are_trimmed() {
        assert_eq!(wrap("Read profile", 2, 20.0), ["Read profile"]);
        assert_eq!(wrap("  Users table  ", 2, 6.0), ["Users", "table"]);
        assert!(wrap("   ", 2, 10.0).is_empty());
        assert!(wrap("Name", 0, 10.0).is_empty());
    }

    #[test]
    fn unicode_names_wrap_by_character_width() {
        assert_eq!(wrap("注文サービス", 2, 3.0), ["注文サ", "ービス"]);
        assert_eq!(wrap("Café Ñandú Пользователи", 2, 11.0), ["Café Ñandú", "Пользовате…"]);
    }

    #[test]
    fn every_line_fits_for_many_widths() {
        let names =
            ["CronJobUpdateFunction", "my-very-long-service-name-prod-eu-west-1", "注文サービス", "aaaaaaaaaaaa"];
        for name in names {
            for width in 1..30 {
                for max in 1..4 {
                    let lines = wrap(name, max, width as f32);
                    assert!(lines.len() <= max, "{name} {width} {max}: {lines:?}");
                    assert!(lines.iter().all(|l| chars(l) <= (width as f32).max(1.0)), "{name} {width}: {lines:?}");
                }
            }
        }
    }
}
