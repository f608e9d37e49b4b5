//! A Markdown risk register for trackers and pull requests.
//! Must not: compute threats or scores (it lists the register as analysed).

use crate::engine::Analysis;

/// Model text is user input: escape what Markdown renderers would treat as
/// table syntax or raw HTML.
fn cell(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|").replace('\n', " ")
}

/// Markdown of an analysis: summary line and ranked register.
pub fn analysis(a: &Analysis) -> String {
    let mut out = format!("# Threat register: {}\n\n", cell(&a.model));
    let counts: Vec<String> = ["critical", "high", "medium", "low"]
        .iter()
        .map(|s| format!("{} {s}", a.summary.by_severity.get(*s).copied().unwrap_or(0)))
        .collect();
    out.push_str(&format!("{} threats: {} (analysed {}).\n\n", a.summary.total, counts.join(", "), a.as_of));
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
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn user_text_cannot_inject_html_or_break_the_table() {
        assert_eq!(cell("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
