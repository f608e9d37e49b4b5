//! The risk register as CSV (RFC 4180) for spreadsheets and trackers.
//! Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) are
//! prefixed with `'`: model text is user input (CWE-1236).
//! Must not: compute threats or scores (it lists the register as analysed).

use crate::engine::Analysis;

pub(crate) fn cell(text: &str) -> String {
    let t = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}

/// CSV of the ranked register, one threat per row.
pub fn analysis(a: &Analysis) -> String {
    let mut out = String::from(
        "rank,id,rule,title,category,target,target_kind,likelihood,impact,score,severity,inherent_score,inherent_severity,status,confidence,owner,note,rationale,mitigations,dow_usd_month\r\n",
    );
    for (i, t) in a.threats.iter().enumerate() {
        let (owner, note) = t.triage.as_ref().map(|x| (x.owner.as_str(), x.note.as_str())).unwrap_or(("", ""));
        let mitigations: Vec<&str> = t.mitigations.iter().map(|m| m.text.as_str()).collect();
        let row = [
            (i + 1).to_string(),
            t.id.to_string(),
            t.rule.clone(),
            t.title.clone(),
            t.category.as_str().to_string(),
            t.target.name.clone(),
            t.target.kind.clone(),
            t.likelihood.to_string(),
            t.impact.to_string(),
            t.score.to_string(),
            t.severity.as_str().to_string(),
            t.inherent_score.to_string(),
            t.inherent_severity.as_str().to_string(),
            t.status.as_str().to_string(),
            format!("{:?}", t.confidence).to_lowercase(),
            owner.to_string(),
            note.to_string(),
            t.rationale.join("; "),
            mitigations.join(" | "),
            t.cost.as_ref().map(|c| format!("{:.0}", c.usd_per_month)).unwrap_or_default(),
        ];
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn quoting_and_formula_neutralisation() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
    }
}
