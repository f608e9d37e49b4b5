//! The cells of a Threat Dragon diagram that a Threatwright model has no place
//! for — trust-boundary curves, text blocks, and flows without two modelled
//! ends — kept whole (geometry, labels, threats) in a section at the end of
//! the model description, so the Threat Dragon export writes them back as they
//! were drawn. One `cell:` line per cell, its JSON on one line:
//!
//! ```text
//! Threat Dragon diagram (cells Threatwright does not model; the Threat Dragon export writes them back):
//! cell: {"id":"…","shape":"trust-boundary-curve","source":{"x":10,"y":20},…}
//! ```
//!
//! The notes the importer writes about curves ("Threat Dragon trust boundary
//! curve … is crossed by: …") are derived from the kept curves and rewritten on
//! every import, so a round trip does not repeat them.
//!
//! Must not: do IO. Parsing is total: a line that is not a JSON object stays text.

use crate::yaml::{Node, NodeValue};
use serde_json::Value as J;

/// The header line of the section.
pub const HEADER: &str =
    "Threat Dragon diagram (cells Threatwright does not model; the Threat Dragon export writes them back):";
const CELL: &str = "cell: ";
const CURVE_NOTE: &str = "Threat Dragon trust boundary curve ";

/// A cell of the located tree as JSON (the importer reads JSON through the YAML loader:
/// quoted scalars are strings, plain ones numbers, booleans or null).
pub fn to_json(n: &Node) -> J {
    fn go(n: &Node, depth: usize) -> J {
        if depth > 64 {
            return J::Null;
        }
        match &n.value {
            NodeValue::Scalar { text, plain: false } => J::String(text.clone()),
            NodeValue::Scalar { text, plain: true } => match text.as_str() {
                "true" => J::Bool(true),
                "false" => J::Bool(false),
                "null" | "~" | "" => J::Null,
                t => serde_json::from_str::<serde_json::Number>(t).map(J::Number).unwrap_or_else(|_| J::String(t.into())),
            },
            NodeValue::Seq(items) => J::Array(items.iter().map(|i| go(i, depth + 1)).collect()),
            NodeValue::Map(entries) => J::Object(
                entries.iter().filter_map(|(k, v)| Some((k.as_scalar()?.to_string(), go(v, depth + 1)))).collect(),
            ),
        }
    }
    go(n, 0)
}

/// Splits a model description into its text (without the section and without the curve
/// notes an import derived) and the kept cells.
pub fn split(description: &str) -> (String, Vec<J>) {
    let (text, section) = match description.find(HEADER) {
        Some(i) if i == 0 || description[..i].ends_with("\n\n") => (&description[..i], &description[i + HEADER.len()..]),
        _ => (description, ""),
    };
    let cells: Vec<J> = section
        .lines()
        .filter_map(|l| l.strip_prefix(CELL))
        .filter_map(|j| serde_json::from_str::<J>(j).ok())
        .filter(J::is_object)
        .collect();
    let kept: Vec<&str> = text.split("\n\n").filter(|p| !(p.starts_with(CURVE_NOTE) && p.contains(" is crossed by: "))).collect();
    (kept.join("\n\n").trim_end().to_string(), cells)
}

/// Appends the section (nothing when there are no cells).
pub fn append(description: &str, cells: &[J]) -> String {
    if cells.is_empty() {
        return description.to_string();
    }
    let mut out = description.trim_end().to_string();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(HEADER);
    for c in cells {
        out.push('\n');
        out.push_str(CELL);
        out.push_str(&c.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_and_text_round_trip_and_derived_curve_notes_are_dropped() {
        let cells = vec![json!({"id": "c1", "shape": "trust-boundary-curve", "source": {"x": 1.5, "y": 2}}), json!({"id": "t", "shape": "td-text-block", "attrs": {"text": {"text": "multi\nline"}}})];
        let d = append("The model.\n\nThreat Dragon trust boundary curve 1 is crossed by: a → b.", &cells);
        let (text, back) = split(&d);
        assert_eq!(text, "The model.");
        assert_eq!(back, cells);
        assert_eq!(split("Just text.\ncell: {\"not\": \"a section\"}"), ("Just text.\ncell: {\"not\": \"a section\"}".into(), vec![]));
    }

    #[test]
    fn the_located_tree_converts_back_to_the_json_it_was_read_from() {
        let text = r#"{"a": [1, 2.5, true, null, "x"], "b": {"c": "007"}}"#;
        let node = crate::import::load_document(text, "t.json").unwrap();
        assert_eq!(to_json(&node), serde_json::from_str::<J>(text).unwrap());
    }
}
