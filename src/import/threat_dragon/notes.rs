//! The "Threat Dragon" section of an element description: how threats that
//! Threat Dragon users wrote by hand (and the out-of-scope flag) survive a
//! trip through a Threatwright model, which has no place for free-form
//! threats. Threat ids differ, so they cannot become triage decisions; they
//! are kept verbatim, readable in the editor and the report, and the Threat
//! Dragon export writes them back onto their cell. Every other importer of
//! threats (Open Threat Model, Threagile, Threat Composer, Microsoft TMT)
//! keeps its threats the same way: each then carries a `tool:` line and the
//! section is headed `Threats from other tools:`, so every exporter can write
//! back what any tool said.
//!
//! Format (appended after a blank line; continuation lines of a value start
//! with `    |`):
//!
//! ```text
//! Threat Dragon:
//! out of scope: Reads the file system only
//! - title: Credential theft
//!   status: open
//!   type: Information disclosure
//!   severity: Medium
//!   id: e12765bf-ec61-47d8-8e9f-6bb3f5adab47
//!   flow: 2f0c…-uuid (Queries → Database)
//!   description: An attacker could obtain the DB credentials
//!   mitigation: Use a firewall
//!     |
//!     | and rotate credentials.
//! ```
//!
//! Must not: do IO. Parsing is total: anything it cannot read stays in the
//! description as text.

use crate::model::TriageStatus;

/// The header line that opens the section when every threat in it came from Threat Dragon.
pub const HEADER: &str = "Threat Dragon:";
/// The header when some threat came from another tool (each then names its `tool`).
pub const OTHER_TOOLS_HEADER: &str = "Threats from other tools:";

/// A Threat Dragon threat kept on an element (or on one of its outgoing flows).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeptThreat {
    /// The tool the threat was written in (`Open Threat Model`, `Threagile`, …); empty for
    /// Threat Dragon.
    pub tool: String,
    pub title: String,
    pub status: Option<TriageStatus>,
    /// Threat Dragon's type (STRIDE category as Threat Dragon spells it).
    pub kind: String,
    /// `High`, `Medium`, `Low` (or whatever the file said).
    pub severity: String,
    pub id: String,
    /// Methodology (`STRIDE` when empty).
    pub model_type: String,
    /// The flow this threat is about, by flow id, when not the element itself.
    pub flow: Option<String>,
    /// Readable form of the flow (`label → target`), for people only.
    pub flow_label: String,
    pub description: String,
    pub mitigation: String,
    pub score: String,
}

/// The section parsed out of a description.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Notes {
    /// `Some(reason)` (possibly empty) when Threat Dragon marked the cell out of scope.
    pub out_of_scope: Option<String>,
    pub threats: Vec<KeptThreat>,
}

impl Notes {
    pub fn is_empty(&self) -> bool {
        self.out_of_scope.is_none() && self.threats.is_empty()
    }
}

fn field(out: &mut String, indent: &str, key: &str, value: &str) {
    let mut lines = value.split('\n');
    out.push_str(indent);
    out.push_str(key);
    out.push_str(": ");
    out.push_str(lines.next().unwrap_or("").trim_end());
    out.push('\n');
    for l in lines {
        let l = l.trim_end();
        out.push_str(if indent.is_empty() { "  |" } else { "    |" });
        if !l.is_empty() {
            out.push(' ');
            out.push_str(l);
        }
        out.push('\n');
    }
}

/// Renders the section (without the leading blank line); empty for empty notes.
pub fn render(notes: &Notes) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let other_tools = notes.threats.iter().any(|t| !t.tool.is_empty());
    let mut out = String::from(if other_tools { OTHER_TOOLS_HEADER } else { HEADER });
    out.push('\n');
    if let Some(reason) = &notes.out_of_scope {
        field(&mut out, "", "out of scope", if reason.is_empty() { "yes" } else { reason });
    }
    for t in &notes.threats {
        field(&mut out, "- ", "title", &t.title);
        if other_tools {
            field(&mut out, "  ", "tool", if t.tool.is_empty() { "Threat Dragon" } else { &t.tool });
        }
        let status = t.status.map(|s| s.as_str()).unwrap_or("open");
        field(&mut out, "  ", "status", status);
        // Threat Dragon always has a type and a severity; other tools may have neither.
        if t.tool.is_empty() || !t.kind.is_empty() {
            field(&mut out, "  ", "type", &t.kind);
        }
        if t.tool.is_empty() || !t.severity.is_empty() {
            field(&mut out, "  ", "severity", &t.severity);
        }
        if !t.id.is_empty() {
            field(&mut out, "  ", "id", &t.id);
        }
        if !t.model_type.is_empty() && t.model_type != "STRIDE" {
            field(&mut out, "  ", "model type", &t.model_type);
        }
        if !t.score.is_empty() {
            field(&mut out, "  ", "score", &t.score);
        }
        if let Some(flow) = &t.flow {
            let v = if t.flow_label.is_empty() { flow.clone() } else { format!("{flow} ({})", t.flow_label) };
            field(&mut out, "  ", "flow", &v);
        }
        if !t.description.is_empty() {
            field(&mut out, "  ", "description", &t.description);
        }
        if !t.mitigation.is_empty() {
            field(&mut out, "  ", "mitigation", &t.mitigation);
        }
    }
    out.trim_end().to_string()
}

/// Appends the section to a description.
pub fn append(description: &str, notes: &Notes) -> String {
    let block = render(notes);
    match (description.trim_end().is_empty(), block.is_empty()) {
        (_, true) => description.to_string(),
        (true, false) => block,
        (false, false) => format!("{}\n\n{block}", description.trim_end()),
    }
}

/// Splits a description into the text before the section and the parsed
/// section. A description without a well-formed section comes back whole.
pub fn split(description: &str) -> (String, Notes) {
    let start_of = |header: &str| {
        if description.starts_with(&format!("{header}\n")) || description == header {
            Some(0)
        } else {
            description.rfind(&format!("\n\n{header}\n")).map(|i| i + 2)
        }
    };
    let Some(start) = start_of(HEADER).or_else(|| start_of(OTHER_TOOLS_HEADER)) else {
        return (description.to_string(), Notes::default());
    };
    match parse(&description[start..]) {
        Some(notes) => (description[..start].trim_end().to_string(), notes),
        None => (description.to_string(), Notes::default()),
    }
}

fn parse(block: &str) -> Option<Notes> {
    let mut lines = block.lines();
    let header = lines.next()?;
    if header != HEADER && header != OTHER_TOOLS_HEADER {
        return None;
    }
    // Fields of the section (`None`) and of each threat, continuation lines joined.
    let mut top: Vec<(String, String)> = Vec::new();
    let mut threats: Vec<Vec<(String, String)>> = Vec::new();
    for line in lines {
        if let Some(r) = line.strip_prefix("    |").or_else(|| line.strip_prefix("  |")) {
            let fields = match threats.last_mut() {
                Some(t) if line.starts_with("    |") => t,
                _ => &mut top,
            };
            let (_, value) = fields.last_mut()?;
            value.push('\n');
            value.push_str(r.strip_prefix(' ').unwrap_or(r));
            continue;
        }
        let (fields, rest) = if let Some(r) = line.strip_prefix("- ") {
            threats.push(Vec::new());
            (threats.last_mut()?, r)
        } else if let Some(r) = line.strip_prefix("  ") {
            (threats.last_mut()?, r)
        } else if threats.is_empty() {
            (&mut top, line)
        } else {
            return None;
        };
        let (key, value) = rest.split_once(": ").or_else(|| rest.strip_suffix(':').map(|k| (k, "")))?;
        fields.push((key.to_string(), value.to_string()));
    }
    let mut notes = Notes::default();
    for (key, value) in top {
        if key != "out of scope" {
            return None;
        }
        notes.out_of_scope = Some(if value == "yes" { String::new() } else { value });
    }
    for fields in threats {
        let mut t = KeptThreat::default();
        for (key, value) in fields {
            match key.as_str() {
                "title" => t.title = value,
                "tool" => t.tool = if value == "Threat Dragon" { String::new() } else { value },
                "status" => t.status = TriageStatus::parse(&value),
                "type" => t.kind = value,
                "severity" => t.severity = value,
                "id" => t.id = value,
                "model type" => t.model_type = value,
                "score" => t.score = value,
                "flow" => match value.split_once(" (") {
                    Some((id, label)) => {
                        t.flow = Some(id.to_string());
                        t.flow_label = label.strip_suffix(')').unwrap_or(label).to_string();
                    }
                    None => t.flow = Some(value),
                },
                "description" => t.description = value,
                "mitigation" => t.mitigation = value,
                _ => return None,
            }
        }
        notes.threats.push(t);
    }
    Some(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_round_trips_through_a_description() {
        let notes = Notes {
            out_of_scope: Some("Reads the file system\nonly".into()),
            threats: vec![
                KeptThreat {
                    title: "Credential theft".into(),
                    status: Some(TriageStatus::Mitigated),
                    kind: "Information disclosure".into(),
                    severity: "High".into(),
                    id: "e127".into(),
                    description: "line one\n\nline three  ".into(),
                    mitigation: "Rotate".into(),
                    ..KeptThreat::default()
                },
                KeptThreat {
                    title: "Tampered queries".into(),
                    status: Some(TriageStatus::NotApplicable),
                    kind: "Tampering".into(),
                    severity: "Low".into(),
                    flow: Some("0a1b".into()),
                    flow_label: "Queries → Database".into(),
                    model_type: "LINDDUN".into(),
                    ..KeptThreat::default()
                },
            ],
        };
        let d = append("The web app.", &notes);
        let (text, back) = split(&d);
        assert_eq!(text, "The web app.");
        let mut expected = notes.clone();
        expected.threats[0].description = "line one\n\nline three".into();
        assert_eq!(back, expected);
        assert_eq!(split(&render(&notes)).1, expected);
    }

    #[test]
    fn threats_from_other_tools_name_their_tool_and_round_trip() {
        let notes = Notes {
            out_of_scope: None,
            threats: vec![
                KeptThreat {
                    title: "Spoofed caller".into(),
                    tool: "Open Threat Model".into(),
                    status: Some(TriageStatus::Open),
                    ..KeptThreat::default()
                },
                KeptThreat {
                    title: "Drawn in Threat Dragon".into(),
                    status: Some(TriageStatus::Open),
                    ..KeptThreat::default()
                },
            ],
        };
        let d = append("An API.", &notes);
        assert!(d.contains("Threats from other tools:\n- title: Spoofed caller\n  tool: Open Threat Model\n"), "{d}");
        assert!(d.contains("  tool: Threat Dragon\n"), "{d}");
        assert_eq!(split(&d), ("An API.".to_string(), notes));
    }

    #[test]
    fn text_that_merely_looks_like_a_section_stays_text() {
        for d in
            ["Threat Dragon: great tool", "a\n\nThreat Dragon:\nnonsense here", "x\n\nThreat Dragon:\n  title: orphan"]
        {
            assert_eq!(split(d), (d.to_string(), Notes::default()));
        }
    }
}
