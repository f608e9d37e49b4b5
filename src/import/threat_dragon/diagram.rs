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
const DRAWN: &str = "drawn: ";
/// What the section keeps of a cell the model does hold: its geometry and the fields the
/// model has no place for (the rest is the model's).
const DRAWN_KEYS: &[&str] = &["position", "size", "source", "target", "vertices", "labels", "zIndex", "attrs"];
const DRAWN_DATA_KEYS: &[&str] =
    &["name", "description", "protocol", "outOfScope", "reasonOutOfScope", "isTrustBoundary", "isEncrypted"];
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
                t => {
                    serde_json::from_str::<serde_json::Number>(t).map(J::Number).unwrap_or_else(|_| J::String(t.into()))
                }
            },
            NodeValue::Seq(items) => J::Array(items.iter().map(|i| go(i, depth + 1)).collect()),
            NodeValue::Map(entries) => J::Object(
                entries.iter().filter_map(|(k, v)| Some((k.as_scalar()?.to_string(), go(v, depth + 1)))).collect(),
            ),
        }
    }
    go(n, 0)
}

/// The drawn record of a modelled cell: its id, geometry and the data fields the model has
/// no place for.
pub fn drawn(cell: &J) -> Option<J> {
    let mut out = serde_json::Map::new();
    out.insert("id".into(), cell.get("id")?.clone());
    for k in DRAWN_KEYS {
        if let Some(v) = cell.get(*k) {
            out.insert((*k).into(), v.clone());
        }
    }
    let data: serde_json::Map<String, J> =
        DRAWN_DATA_KEYS.iter().filter_map(|k| Some((k.to_string(), cell.get("data")?.get(*k)?.clone()))).collect();
    out.insert("data".into(), J::Object(data));
    Some(J::Object(out))
}

fn words(v: Option<&J>) -> String {
    v.and_then(J::as_str).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn near(a: Option<&J>, b: Option<&J>) -> bool {
    let xy = |v: Option<&J>, k: &str| v.and_then(|v| v.get(k)).and_then(J::as_f64);
    let close = |k: &str| match (xy(a, k), xy(b, k)) {
        (Some(p), Some(q)) => (p - q).abs() < 1.0,
        _ => false,
    };
    (close("x") && close("y")) || (close("width") && close("height"))
}

/// Writes a modelled cell back as it was drawn where the model still says what the drawing
/// said: the same ends for a flow (then its ports, vertices and label placement), the same
/// place, the same name (then its line breaks and styling), and the fields the model has no
/// place for. What the user changed in Threatwright wins.
pub fn overlay(cell: &mut J, drawn: &J) {
    let same_name =
        words(cell.get("data").and_then(|d| d.get("name"))) == words(drawn.get("data").and_then(|d| d.get("name")));
    let end = |c: &J, k: &str| c.get(k).and_then(|e| e.get("cell")).cloned();
    let is_flow = cell.get("shape").and_then(J::as_str) == Some("flow");
    let Some(out) = cell.as_object_mut() else { return };
    if is_flow {
        if end(&J::Object(out.clone()), "source") == end(drawn, "source")
            && end(&J::Object(out.clone()), "target") == end(drawn, "target")
        {
            for k in ["source", "target", "vertices", "labels", "zIndex"] {
                if let Some(v) = drawn.get(k) {
                    out.insert(k.into(), v.clone());
                }
            }
        }
    } else {
        for k in ["position", "size"] {
            if near(out.get(k), drawn.get(k)) || (k == "size" && near(out.get("position"), drawn.get("position"))) {
                if let Some(v) = drawn.get(k) {
                    out.insert(k.into(), v.clone());
                }
            }
        }
        if let Some(z) = drawn.get("zIndex") {
            out.insert("zIndex".into(), z.clone());
        }
    }
    if same_name {
        if let Some(a) = drawn.get("attrs") {
            out.insert("attrs".into(), a.clone());
        }
    }
    let Some(data) = out.get_mut("data").and_then(J::as_object_mut) else { return };
    let Some(was) = drawn.get("data").and_then(J::as_object) else { return };
    for (k, v) in was {
        match k.as_str() {
            "name" if same_name => {
                data.insert(k.clone(), v.clone());
            }
            "protocol" => {
                let now = data.get(k).and_then(J::as_str).unwrap_or("").to_ascii_lowercase();
                if now == v.as_str().unwrap_or("").trim().to_ascii_lowercase() {
                    data.insert(k.clone(), v.clone());
                }
            }
            // The import takes an HTTPS, TLS, WSS, SFTP or SSH flow as encrypted even where
            // the drawing did not tick it; that inference is not written back as the user's.
            "isEncrypted" if v == &J::Bool(false) => {
                let protocol = was.get("protocol").and_then(J::as_str).unwrap_or("").trim().to_ascii_lowercase();
                if matches!(protocol.as_str(), "https" | "tls" | "wss" | "sftp" | "ssh") {
                    data.insert(k.clone(), v.clone());
                }
            }
            "description" | "outOfScope" | "reasonOutOfScope" | "isTrustBoundary" => {
                let empty = match data.get(k) {
                    None | Some(J::Null) => true,
                    Some(J::String(s)) => s.is_empty(),
                    Some(J::Bool(b)) => !b,
                    _ => false,
                };
                if empty {
                    data.insert(k.clone(), v.clone());
                }
            }
            _ => {}
        }
    }
}

/// Splits a model description into its text (without the section and without the curve
/// notes an import derived) and the kept cells.
pub fn split(description: &str) -> (String, Vec<J>) {
    let (text, cells, _) = split_all(description);
    (text, cells)
}

/// [`split`], with the drawn records of modelled cells by cell id.
pub fn split_all(description: &str) -> (String, Vec<J>, std::collections::HashMap<String, J>) {
    let (text, section) = match description.find(HEADER) {
        Some(i) if i == 0 || description[..i].ends_with("\n\n") => {
            (&description[..i], &description[i + HEADER.len()..])
        }
        _ => (description, ""),
    };
    let parse = |prefix: &str| -> Vec<J> {
        section
            .lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .filter_map(|j| serde_json::from_str::<J>(j).ok())
            .filter(J::is_object)
            .collect()
    };
    let drawn = parse(DRAWN).into_iter().filter_map(|d| Some((d.get("id")?.as_str()?.to_string(), d))).collect();
    let kept: Vec<&str> =
        text.split("\n\n").filter(|p| !(p.starts_with(CURVE_NOTE) && p.contains(" is crossed by: "))).collect();
    (kept.join("\n\n").trim_end().to_string(), parse(CELL), drawn)
}

/// Appends the section (nothing when there are no cells).
pub fn append(description: &str, cells: &[J]) -> String {
    append_all(description, cells, &[])
}

/// Appends the section with the kept cells and the drawn records of modelled cells.
pub fn append_all(description: &str, cells: &[J], drawn: &[J]) -> String {
    if cells.is_empty() && drawn.is_empty() {
        return description.to_string();
    }
    let mut out = description.trim_end().to_string();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(HEADER);
    for (prefix, list) in [(CELL, cells), (DRAWN, drawn)] {
        for c in list {
            out.push('\n');
            out.push_str(prefix);
            out.push_str(&c.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_and_text_round_trip_and_derived_curve_notes_are_dropped() {
        let cells = vec![
            json!({"id": "c1", "shape": "trust-boundary-curve", "source": {"x": 1.5, "y": 2}}),
            json!({"id": "t", "shape": "td-text-block", "attrs": {"text": {"text": "multi\nline"}}}),
        ];
        let d = append("The model.\n\nThreat Dragon trust boundary curve 1 is crossed by: a → b.", &cells);
        let (text, back) = split(&d);
        assert_eq!(text, "The model.");
        assert_eq!(back, cells);
        assert_eq!(
            split("Just text.\ncell: {\"not\": \"a section\"}"),
            ("Just text.\ncell: {\"not\": \"a section\"}".into(), vec![])
        );
    }

    #[test]
    fn the_located_tree_converts_back_to_the_json_it_was_read_from() {
        let text = r#"{"a": [1, 2.5, true, null, "x"], "b": {"c": "007"}}"#;
        let node = crate::import::load_document(text, "t.json").unwrap();
        assert_eq!(to_json(&node), serde_json::from_str::<J>(text).unwrap());
    }
}
