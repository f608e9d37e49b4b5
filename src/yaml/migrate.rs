//! The versions of the model file format, and the upgrade of older files.
//!
//! A file says which version of the format it was written in:
//! `threatwright: "2.1"`, `MAJOR.MINOR`. The bare integer `1` that every file
//! carried before versions had a minor is 1.0, and so is a file without the
//! key. A minor version only adds (a section, a key, a property), so an older
//! file of the same major reads unchanged. A major version removes or changes
//! something an older file may hold; its step rewrites the located tree before
//! the reader sees it and leaves a note saying what it did, so the model reads
//! as if it had been written at [`CURRENT`] and `fmt` writes it back so.
//! [`HISTORY`] lists every version with what it changed; docs/model-format.md
//! has the same table for people (a test keeps them together).
//!
//! Must not: touch files, or change what a step does not recognise. A file
//! without a version runs every step, so each step acts only on the old shape
//! it replaces and leaves a newer file as it is.

use super::node::{Mark, Node, NodeValue};
use crate::model::ids::{threat_id, ElementId};
use crate::model::kind::{self, ElementKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;
use uuid::Uuid;

/// A version of the model file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FormatVersion {
    pub major: u32,
    pub minor: u32,
}

impl FormatVersion {
    pub const fn new(major: u32, minor: u32) -> Self {
        FormatVersion { major, minor }
    }

    /// Parses `MAJOR.MINOR`, or a bare `MAJOR` (which is `MAJOR.0`: the
    /// integer `1` of the files written before versions had a minor).
    pub fn parse(text: &str) -> Option<Self> {
        let number = |part: &str| -> Option<u32> {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        match text.split_once('.') {
            Some((major, minor)) => Some(FormatVersion::new(number(major)?, number(minor)?)),
            None => Some(FormatVersion::new(number(text)?, 0)),
        }
    }
}

impl fmt::Display for FormatVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The version this build reads up to and writes.
pub const CURRENT: FormatVersion = FormatVersion::new(2, 2);

/// The version of a file that does not say (and of `threatwright: 1`).
pub const OLDEST: FormatVersion = FormatVersion::new(1, 0);

/// A located note or problem, as the reader's.
pub type Note = (Mark, String);

/// Rewrites a tree of the version before into this one, noting what it changed.
type Step = fn(&mut Node, &mut Vec<Note>);

/// One version of the format: what it changed, and for a major version the
/// step that upgrades a file of the version before it.
pub struct Release {
    pub version: FormatVersion,
    pub changes: &'static str,
    step: Option<Step>,
}

/// Every version of the format, oldest first, as the history of the reader
/// shows it (the commits are named in docs/model-format.md).
pub const HISTORY: &[Release] = &[
    Release {
        version: OLDEST,
        changes: "the first format: `name` and the other header fields, `assets`, `boundaries`, `elements`, \
                  `flows` and `grants`; a function describes its function URL with the property \
                  `function_url: disabled | none | iam`",
        step: None,
    },
    Release {
        version: FormatVersion::new(1, 1),
        changes: "adds the `triage:` and `risk:` sections and the grant resource `{outside: NAME}`",
        step: None,
    },
    Release {
        version: FormatVersion::new(2, 0),
        changes: "removes the function property `function_url`: a function URL is only its \
                  `aws.lambda_url` element, with a flow to the function",
        step: Some(migrate_1_1_to_2_0),
    },
    Release {
        version: FormatVersion::new(2, 1),
        changes: "adds the properties `dead_letter_queue`, `alarmed` and `kms_key` (queues, topics, event buses \
                  and streams; `kms_key` also on stores) and `user_writable_claims` (identity providers)",
        step: None,
    },
    Release {
        version: CURRENT,
        changes: "adds the `session:` section, the guided sessions' log (who answered which question about \
                  which element or flow, when, and the threats the answer resolved or raised)",
        step: None,
    },
];

/// What [`upgrade`] did: the version the file declared and a note per change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Upgraded {
    pub from: Option<FormatVersion>,
    pub notes: Vec<Note>,
}

/// Reads the file's version and runs the steps of every newer major version
/// on the tree. A version newer than [`CURRENT`], one that never existed, or
/// one that is not a version at all is refused (the one problem reported:
/// the rest of the file is in a shape this reader cannot know).
pub fn upgrade(root: &mut Node) -> Result<Upgraded, Note> {
    let declared = declared(root)?;
    let from = declared.unwrap_or(OLDEST);
    let mut notes = Vec::new();
    for release in HISTORY.iter().filter(|r| r.version > from) {
        let Some(step) = release.step else { continue };
        let before = notes.len();
        step(root, &mut notes);
        for (_, message) in &mut notes[before..] {
            message.push_str(&format!(" (format {from} upgraded to {})", release.version));
        }
    }
    Ok(Upgraded { from: declared, notes })
}

/// The `threatwright:` value, checked: `None` when the file does not say.
fn declared(root: &Node) -> Result<Option<FormatVersion>, Note> {
    let Some(node) = root.get("threatwright") else { return Ok(None) };
    let expected = format!("expected the format version as \"MAJOR.MINOR\", such as \"{CURRENT}\"");
    let text = match &node.value {
        NodeValue::Scalar { text, .. } if !node.is_null() => text.trim(),
        _ => return Err((node.mark, format!("threatwright: {expected}, found {}", node.describe()))),
    };
    let Some(version) = FormatVersion::parse(text) else {
        return Err((node.mark, format!("threatwright: {expected}, found `{text}`")));
    };
    if version > CURRENT {
        return Err((
            node.mark,
            format!(
                "written by a newer Threatwright: format {version}, this version reads up to {CURRENT}; \
                 upgrade Threatwright to open it"
            ),
        ));
    }
    if !HISTORY.iter().any(|r| r.version == version) {
        let known: Vec<String> = HISTORY.iter().map(|r| r.version.to_string()).collect();
        return Err((
            node.mark,
            format!("threatwright: there is no format version {version}; the versions are {}", known.join(", ")),
        ));
    }
    Ok(Some(version))
}

// ---- 1.1 → 2.0: a function URL is only its element -----------------------------------

/// Retired with the property: reported a function whose `function_url` was `none`.
const RETIRED_URL_RULE: &str = "TW-FN-013";
/// Reports the same unauthenticated URL on its element since 2.0.
const URL_RULE: &str = "TW-API-013";

/// What the step needs to know of an element node.
struct ElementRef {
    name: String,
    /// The id the reader gives it: the file's, else derived from the name.
    id: Uuid,
    category: Option<&'static str>,
}

/// Format 1.x described a function URL twice over: the function property
/// `function_url` (`disabled`, `none` or `iam`) and, optionally, an
/// `aws.lambda_url` element with a flow to the function. 2.0 keeps only the
/// element (the two gave one unauthenticated URL two findings). So the
/// property goes; for `none` or `iam` the function gets the element that 2.0
/// draws — named `<function> URL`, in the function's boundary, with that
/// `auth` and an `invoke` flow to the function, as the SAM importer builds it —
/// unless the file already draws one; and a triage decision on the retired
/// TW-FN-013 moves to TW-API-013 on that element, which reports the same URL.
/// Any other value is left for the reader to report as unknown.
fn migrate_1_1_to_2_0(root: &mut Node, notes: &mut Vec<Note>) {
    let Some(elements) = root.get("elements").and_then(Node::as_seq) else { return };
    if !elements.iter().any(|e| e.get("properties").and_then(|p| p.get("function_url")).is_some()) {
        return;
    }
    let refs: Vec<Option<ElementRef>> = element_refs(elements);
    let drawn = drawn_urls(root, &refs);
    let mut names: FxHashSet<String> = refs.iter().flatten().map(|r| r.name.clone()).collect();
    let mut new_elements = Vec::new();
    let mut new_flows = Vec::new();
    let mut moves = Vec::new();
    let Some(NodeValue::Seq(elements)) = get_mut(root, "elements").map(|n| &mut n.value) else { return };
    for (node, r) in elements.iter_mut().zip(&refs) {
        let Some(r) = r.as_ref().filter(|r| r.category.and_then(kind::category_kind) == Some(ElementKind::Function))
        else {
            continue;
        };
        let Some(props) = get_mut(node, "properties") else { continue };
        let Some(value) = props.get("function_url").and_then(Node::as_scalar).map(str::to_string) else { continue };
        if !matches!(value.as_str(), "disabled" | "none" | "iam") {
            continue;
        }
        let mark = remove(props, "function_url").map(|(k, _)| k.mark).unwrap_or(node.mark);
        let was = format!("function `{}`: `function_url: {value}`", r.name);
        if value == "disabled" {
            notes.push((mark, format!("{was} removed (the function has no URL)")));
            continue;
        }
        let (url_name, url_id) = match drawn.get(&r.id) {
            Some(&url) => {
                let url = refs[url].as_ref().expect("a drawn URL is a named element");
                notes.push((mark, format!("{was} removed: the URL is already drawn as `{}`", url.name)));
                (url.name.clone(), url.id)
            }
            None => {
                let name = free_name(&mut names, &format!("{} URL", r.name));
                let vendor_type = if node.get("type").and_then(Node::as_scalar).is_some_and(|t| t.starts_with("aws.")) {
                    "aws.lambda_url"
                } else {
                    "generic.function_url"
                };
                let boundary = node.get("boundary").filter(|b| !b.is_null()).cloned();
                new_elements.push(url_element(&name, vendor_type, boundary, &value, mark));
                new_flows.push(invoke_flow(&name, r.id, vendor_type, mark));
                notes.push((mark, format!("{was} is now the element `{name}` ({vendor_type}) that invokes it")));
                let id = ElementId::derive(&name, 0).0;
                (name, id)
            }
        };
        moves.push(TriageMove {
            old: threat_id(RETIRED_URL_RULE, r.id),
            function: r.name.clone(),
            url_name,
            url_id,
            mark,
        });
    }
    elements.extend(new_elements);
    append(root, "flows", new_flows);
    move_triage(root, &moves, notes);
}

/// The name, id and category of each element node, as the reader will see
/// them (`None` for a node without a name, which the reader skips).
fn element_refs(elements: &[Node]) -> Vec<Option<ElementRef>> {
    let mut ordinals: FxHashMap<String, usize> = FxHashMap::default();
    elements
        .iter()
        .map(|e| {
            let name = e.as_map().and(e.get("name")).filter(|n| !n.is_null())?.as_scalar()?.to_string();
            let nth = ordinals.entry(name.clone()).or_insert(0);
            let derived = ElementId::derive(&name, *nth);
            *nth += 1;
            let id = e.get("id").and_then(Node::as_scalar).and_then(ElementId::parse).unwrap_or(derived).0;
            let category = match e.get("type").and_then(Node::as_scalar) {
                Some(t) => kind::category_of(t),
                None => {
                    e.get("kind").and_then(Node::as_scalar).and_then(ElementKind::parse).map(|k| k.default_category())
                }
            };
            Some(ElementRef { name, id, category })
        })
        .collect()
}

/// For each function the file already draws a function URL in front of: the
/// index of that URL element.
fn drawn_urls(root: &Node, refs: &[Option<ElementRef>]) -> FxHashMap<Uuid, usize> {
    let mut by_name: FxHashMap<&str, usize> = FxHashMap::default();
    let mut by_id: FxHashMap<Uuid, usize> = FxHashMap::default();
    for (i, r) in refs.iter().enumerate() {
        if let Some(r) = r {
            by_name.entry(&r.name).or_insert(i);
            by_id.entry(r.id).or_insert(i);
        }
    }
    let resolve = |text: &str| Uuid::try_parse(text).ok().and_then(|u| by_id.get(&u)).or_else(|| by_name.get(text));
    let mut drawn = FxHashMap::default();
    for flow in root.get("flows").and_then(Node::as_seq).unwrap_or(&[]) {
        let end = |key| flow.get(key).and_then(Node::as_scalar).and_then(resolve).copied();
        let (Some(from), Some(to)) = (end("from"), end("to")) else { continue };
        let (Some(url), Some(function)) = (&refs[from], &refs[to]) else { continue };
        if url.category == Some(kind::category::FUNCTION_URL) {
            drawn.entry(function.id).or_insert(from);
        }
    }
    drawn
}

/// `wanted`, or `wanted 2`, `wanted 3`… when an element already has the name.
fn free_name(names: &mut FxHashSet<String>, wanted: &str) -> String {
    let name = (1..)
        .map(|n| if n == 1 { wanted.to_string() } else { format!("{wanted} {n}") })
        .find(|n| !names.contains(n))
        .expect("some numbered name is free");
    names.insert(name.clone());
    name
}

/// The function URL element 2.0 draws for `function_url: <auth>`.
fn url_element(name: &str, vendor_type: &str, boundary: Option<Node>, auth: &str, mark: Mark) -> Node {
    let mut entries = vec![entry("name", text(name, mark)), entry("type", text(vendor_type, mark))];
    if let Some(b) = boundary {
        entries.push(entry("boundary", b));
    }
    entries.push(entry("properties", map(vec![entry("auth", text(auth, mark))], mark)));
    map(entries, mark)
}

/// The URL's `invoke` flow to its function: the cloud's own call, as the
/// SAM importer writes it (encrypted, authenticated by the platform).
fn invoke_flow(url: &str, function: Uuid, vendor_type: &str, mark: Mark) -> Node {
    let mut entries = vec![
        entry("from", text(url, mark)),
        entry("to", text(&function.to_string(), mark)),
        entry("label", text("invoke", mark)),
    ];
    if vendor_type.starts_with("aws.") {
        entries.push(entry("protocol", text("aws-internal", mark)));
    }
    entries.push(entry("encrypted", plain("true", mark)));
    entries.push(entry("authenticated", plain("true", mark)));
    map(entries, mark)
}

/// A function whose decision on the retired rule, if any, goes to its URL element.
struct TriageMove {
    old: Uuid,
    function: String,
    url_name: String,
    url_id: Uuid,
    mark: Mark,
}

/// Moves each triage decision on the retired rule's threat of a function to
/// the URL rule's threat of its URL element, unless that one has a decision.
fn move_triage(root: &mut Node, moves: &[TriageMove], notes: &mut Vec<Note>) {
    let Some(NodeValue::Seq(decisions)) = get_mut(root, "triage").map(|n| &mut n.value) else { return };
    let threat_of = |d: &Node| d.get("threat").and_then(Node::as_scalar).and_then(|t| Uuid::try_parse(t).ok());
    let mut decided: FxHashSet<Uuid> = decisions.iter().filter_map(threat_of).collect();
    for TriageMove { old, function, url_name, url_id, mark } in moves {
        let new = threat_id(URL_RULE, *url_id);
        let Some(d) = decisions.iter_mut().find(|d| threat_of(d) == Some(*old)) else { continue };
        if !decided.insert(new) {
            continue;
        }
        let at = d.mark;
        for (key, value) in [("threat", new.to_string()), ("rule", URL_RULE.to_string()), ("target", url_name.clone())]
        {
            set(d, key, text(&value, at));
        }
        notes.push((
            *mark,
            format!(
                "the triage decision on {RETIRED_URL_RULE} for `{function}` now decides {URL_RULE} on `{url_name}`"
            ),
        ));
    }
}

// ---- tree editing ----------------------------------------------------------------------

fn text(value: &str, mark: Mark) -> Node {
    Node { value: NodeValue::Scalar { text: value.to_string(), plain: false }, mark, tag: None }
}

fn plain(value: &str, mark: Mark) -> Node {
    Node { value: NodeValue::Scalar { text: value.to_string(), plain: true }, mark, tag: None }
}

fn entry(key: &str, value: Node) -> (Node, Node) {
    let mark = value.mark;
    (text(key, mark), value)
}

fn map(entries: Vec<(Node, Node)>, mark: Mark) -> Node {
    Node { value: NodeValue::Map(entries), mark, tag: None }
}

fn get_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        NodeValue::Map(entries) => entries.iter_mut().find(|(k, _)| k.as_scalar() == Some(key)).map(|(_, v)| v),
        _ => None,
    }
}

fn remove(node: &mut Node, key: &str) -> Option<(Node, Node)> {
    match &mut node.value {
        NodeValue::Map(entries) => {
            let at = entries.iter().position(|(k, _)| k.as_scalar() == Some(key))?;
            Some(entries.remove(at))
        }
        _ => None,
    }
}

/// Sets `key` of a mapping, adding it when it is missing.
fn set(node: &mut Node, key: &str, value: Node) {
    match get_mut(node, key) {
        Some(old) => *old = value,
        None => {
            if let NodeValue::Map(entries) = &mut node.value {
                entries.push(entry(key, value));
            }
        }
    }
}

/// Appends items to the list under `key` of the root, creating it when it is
/// missing or empty (`flows:`). A key holding anything else is left for the
/// reader to report.
fn append(root: &mut Node, key: &str, items: Vec<Node>) {
    if items.is_empty() {
        return;
    }
    let mark = items[0].mark;
    match get_mut(root, key) {
        Some(Node { value: NodeValue::Seq(list), .. }) => list.extend(items),
        Some(node) if node.is_null() => node.value = NodeValue::Seq(items),
        Some(_) => {}
        None => set(root, key, Node { value: NodeValue::Seq(items), mark, tag: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{load, Limits};

    fn upgraded(text: &str) -> Result<(Node, Upgraded), Note> {
        let mut root = load(text, Limits::default()).expect("test YAML loads");
        let u = upgrade(&mut root)?;
        Ok((root, u))
    }

    #[test]
    fn versions_parse_in_both_written_forms_and_nothing_else() {
        assert_eq!(FormatVersion::parse("1"), Some(OLDEST));
        assert_eq!(FormatVersion::parse("2.2"), Some(CURRENT));
        assert_eq!(FormatVersion::parse("2.10"), Some(FormatVersion::new(2, 10)));
        for bad in ["", "1.", ".1", "1.2.3", "-1", "+1", "1.x", "v2", "2 .1", "99999999999"] {
            assert_eq!(FormatVersion::parse(bad), None, "{bad}");
        }
        assert!(FormatVersion::new(1, 9) < FormatVersion::new(2, 0));
        assert_eq!(CURRENT.to_string(), "2.2");
    }

    #[test]
    fn history_is_ascending_starts_at_the_oldest_and_ends_at_the_current_version() {
        assert_eq!(HISTORY.first().map(|r| r.version), Some(OLDEST));
        assert_eq!(HISTORY.last().map(|r| r.version), Some(CURRENT));
        assert!(HISTORY.windows(2).all(|w| w[0].version < w[1].version));
        for r in HISTORY {
            // A major version changes what older files hold, so it has a step; a minor one only adds.
            assert_eq!(r.step.is_some(), r.version.minor == 0 && r.version != OLDEST, "{}", r.version);
        }
    }

    #[test]
    fn the_model_format_doc_lists_every_version() {
        let doc = include_str!("../../docs/model-format.md");
        for r in HISTORY {
            assert!(doc.contains(&format!("| {} |", r.version)), "docs/model-format.md lacks version {}", r.version);
        }
        assert!(doc.contains(&format!("threatwright: \"{CURRENT}\"")), "the doc's example shows the current version");
    }

    #[test]
    fn a_file_without_a_version_or_with_the_integer_one_reads_as_1_0() {
        assert_eq!(upgraded("name: x\n").unwrap().1, Upgraded { from: None, notes: vec![] });
        assert_eq!(upgraded("threatwright: 1\nname: x\n").unwrap().1.from, Some(OLDEST));
        assert_eq!(upgraded("threatwright: 2.2\nname: x\n").unwrap().1.from, Some(CURRENT));
        assert_eq!(upgraded("threatwright: 2.1\nname: x\n").unwrap().1.from, Some(FormatVersion::new(2, 1)));
        assert_eq!(upgraded("threatwright: '2.0'\nname: x\n").unwrap().1.from, Some(FormatVersion::new(2, 0)));
    }

    #[test]
    fn newer_unknown_and_malformed_versions_are_refused_at_the_value() {
        let err = |t: &str| upgraded(t).expect_err(t);
        let (mark, message) = err("name: x\nthreatwright: \"2.3\"\n");
        assert_eq!((mark.line, mark.col), (2, 15));
        assert_eq!(message, "written by a newer Threatwright: format 2.3, this version reads up to 2.2; upgrade Threatwright to open it");
        assert!(err("threatwright: 3\n").1.contains("format 3.0, this version reads up to 2.2"));
        assert!(err("threatwright: 1.5\n")
            .1
            .contains("there is no format version 1.5; the versions are 1.0, 1.1, 2.0, 2.1, 2.2"));
        assert!(err("threatwright: 0.9\n").1.contains("no format version 0.9"));
        assert!(err("threatwright: one\n").1.contains("found `one`"));
        assert!(err("threatwright:\n").1.contains("found nothing"));
        assert!(err("threatwright: {major: 2}\n").1.contains("found a mapping"));
    }

    const OLD_FUNCTIONS: &str = "threatwright: 1
elements:
  - {name: Api, type: aws.apigateway}
  - {name: Open, type: aws.lambda, boundary: Account, properties: {function_url: none, timeout: 3}}
  - {name: Signed, type: azure.function, properties: {function_url: iam}}
  - {name: Plain, type: aws.lambda, properties: {function_url: disabled}}
  - {name: Drawn, type: aws.lambda, properties: {function_url: none}}
  - {name: Drawn URL, type: aws.lambda_url, properties: {auth: none}}
  - {name: Odd, type: aws.lambda, properties: {function_url: maybe}}
  - {name: Open URL, kind: external}
flows:
  - {from: Drawn URL, to: Drawn}
";

    #[test]
    fn function_url_properties_become_url_elements_once() {
        let (root, u) = upgraded(OLD_FUNCTIONS).unwrap();
        let names: Vec<&str> = root
            .get("elements")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|e| e.get("name").unwrap().as_scalar().unwrap())
            .collect();
        assert_eq!(
            names,
            ["Api", "Open", "Signed", "Plain", "Drawn", "Drawn URL", "Odd", "Open URL", "Open URL 2", "Signed URL"]
        );
        let elements = root.get("elements").unwrap().as_seq().unwrap();
        let open_url = &elements[8];
        assert_eq!(open_url.get("type").unwrap().as_scalar(), Some("aws.lambda_url"));
        assert_eq!(open_url.get("boundary").unwrap().as_scalar(), Some("Account"));
        assert_eq!(open_url.get("properties").unwrap().get("auth").unwrap().as_scalar(), Some("none"));
        assert_eq!(elements[9].get("type").unwrap().as_scalar(), Some("generic.function_url"));
        for i in [1, 2, 3, 4] {
            assert!(elements[i].get("properties").unwrap().get("function_url").is_none(), "{}", names[i]);
        }
        assert!(
            elements[6].get("properties").unwrap().get("function_url").is_some(),
            "an unknown value is the reader's to report"
        );
        assert_eq!(root.get("flows").unwrap().as_seq().unwrap().len(), 3, "one invoke flow per new URL");
        let messages: Vec<&str> = u.notes.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(messages, [
            "function `Open`: `function_url: none` is now the element `Open URL 2` (aws.lambda_url) that invokes it (format 1.0 upgraded to 2.0)",
            "function `Signed`: `function_url: iam` is now the element `Signed URL` (generic.function_url) that invokes it (format 1.0 upgraded to 2.0)",
            "function `Plain`: `function_url: disabled` removed (the function has no URL) (format 1.0 upgraded to 2.0)",
            "function `Drawn`: `function_url: none` removed: the URL is already drawn as `Drawn URL` (format 1.0 upgraded to 2.0)",
        ]);
        assert_eq!(u.notes[0].0, Mark { line: 4, col: 68 }, "a note points at the property it replaced");
    }

    #[test]
    fn a_current_file_is_left_alone() {
        let text = "threatwright: '2.1'\nelements:\n  - {name: Fn, type: aws.lambda}\nflows: []\n";
        let (root, u) = upgraded(text).unwrap();
        assert_eq!(root, load(text, Limits::default()).unwrap());
        assert!(u.notes.is_empty());
        // 2.0 files never run the 1.x step, even when a property by that name shows up.
        let (_, u) = upgraded(
            "threatwright: '2.0'\nelements:\n  - {name: F, type: aws.lambda, properties: {function_url: none}}\n",
        )
        .unwrap();
        assert!(u.notes.is_empty());
    }

    #[test]
    fn a_triage_decision_on_the_retired_rule_moves_to_the_url_element() {
        let function = ElementId::derive("Open", 0).0;
        let old = threat_id(RETIRED_URL_RULE, function);
        let text = format!(
            "threatwright: '1.1'\nelements:\n  - {{name: Open, type: aws.lambda, properties: {{function_url: none}}}}\ntriage:\n  - {{threat: {old}, rule: {RETIRED_URL_RULE}, target: Open, status: accepted, note: signed by the handler}}\n"
        );
        let (root, u) = upgraded(&text).unwrap();
        let d = &root.get("triage").unwrap().as_seq().unwrap()[0];
        let url = ElementId::derive("Open URL", 0).0;
        assert_eq!(d.get("threat").unwrap().as_scalar(), Some(threat_id(URL_RULE, url).to_string().as_str()));
        assert_eq!(d.get("rule").unwrap().as_scalar(), Some(URL_RULE));
        assert_eq!(d.get("target").unwrap().as_scalar(), Some("Open URL"));
        assert_eq!(d.get("note").unwrap().as_scalar(), Some("signed by the handler"));
        assert!(u.notes[1]
            .1
            .starts_with("the triage decision on TW-FN-013 for `Open` now decides TW-API-013 on `Open URL`"));
        assert!(root.get("flows").is_some(), "a missing `flows:` is created for the invoke flow");
    }
}
