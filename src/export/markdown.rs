//! A Markdown risk register for trackers and pull requests.
//! Must not: compute threats or scores (it lists the register as analysed).

use crate::engine::{register_groups, Analysis};

/// Model text is user input: escape what Markdown renderers would treat as table syntax, raw
/// HTML or a link, and turn line breaks and other control characters into spaces (a backslash
/// is escaped too, so `a\\|b` cannot close the cell). Backticks, `*` and `_` stay: the
/// rationale quotes names in code spans, where an escape would show.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Markdown of an analysis: summary line and ranked register.
pub fn analysis(a: &Analysis) -> String {
    let mut out = format!("# Threat register: {}\n\n", cell(&a.model));
    let counts: Vec<String> = ["critical", "high", "medium", "low"]
        .iter()
        .map(|s| format!("{} {s}", a.summary.by_severity.get(*s).copied().unwrap_or(0)))
        .collect();
    out.push_str(&format!("{} threats: {} (analysed {}).\n\n", a.summary.total, counts.join(", "), a.as_of));
    grouped(a, &mut out);
    if a.threats.is_empty() {
        return out;
    }
    out.push_str(&format!("\n<details><summary>Every finding, one per target ({})</summary>\n\n", a.threats.len()));
    out.push_str(
        "| # | Severity | Score | Threat | Target | STRIDE | Rule | Why |\n|---|---|---|---|---|---|---|---|\n",
    );
    for (i, t) in a.threats.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            t.severity.as_str(),
            t.score,
            cell(&t.title),
            cell(&t.target.name),
            t.category.as_str(),
            t.rule,
            cell(&t.rationale.join("; "))
        ));
    }
    out.push_str("\n</details>\n");
    out
}

/// The register for people: one row per rule and severity, its targets listed.
fn grouped(a: &Analysis, out: &mut String) {
    let groups = register_groups(&a.threats);
    let n = groups.len();
    let rows = if n == 1 { "1 row".to_string() } else { format!("{n} rows") };
    out.push_str(&format!("{rows}: the findings of one rule with one severity share a row.\n\n"));
    out.push_str(
        "| # | Severity | Score | Threat | Targets | STRIDE | Rule | Open |\n|---|---|---|---|---|---|---|---|\n",
    );
    for (i, g) in groups.iter().enumerate() {
        let t = g.top();
        let targets = g.targets();
        let named = targets.iter().map(|n| cell(n)).collect::<Vec<_>>().join(", ");
        let targets = if targets.len() == 1 { named } else { format!("{} targets: {named}", targets.len()) };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            g.severity.as_str(),
            t.score,
            cell(&t.title),
            targets,
            t.category.as_str(),
            g.rule,
            g.open()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn user_text_cannot_inject_html_or_break_the_table() {
        assert_eq!(cell("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell("a\\|b\r`x`"), "a\\\\\\|b `x`", "a backslash cannot unescape the pipe");
        assert_eq!(cell("[x](javascript:alert(1)) **b**"), "\\[x\\](javascript:alert(1)) **b**");
    }
}
