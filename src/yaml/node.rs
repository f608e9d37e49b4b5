//! A located YAML tree built from yaml-rust2's event parser, with hard limits.
//!
//! Every node keeps its line and column so the model reader, the rule loader
//! and the importers can point at the exact spot of a problem. The loader
//! refuses oversized input, absurd nesting and alias bombs (anchors expanded
//! beyond a node budget) with a clear error instead of exhausting memory.
//! Must not: interpret the tree (that is the reader's job).

use rustc_hash::FxHashSet;
use std::collections::HashMap;
use std::fmt;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Line and column, both 1-based.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mark {
    pub line: usize,
    pub col: usize,
}

impl Mark {
    fn from_marker(m: &Marker) -> Self {
        // yaml-rust2 reports 1-based lines and 0-based columns.
        Mark { line: m.line(), col: m.col() + 1 }
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A YAML node with its position and tag (`!Ref`, `!Sub`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub mark: Mark,
    pub tag: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    /// A scalar as written; `plain` is false for quoted and block scalars,
    /// which are always strings.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A located load error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub mark: Mark,
    pub message: String,
}

/// Resource limits of the loader.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    /// Nodes in the expanded tree, aliases counted at their full size.
    pub max_nodes: usize,
    /// Bytes in one scalar (a name, a description, a policy document string).
    pub max_scalar_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 32 * 1024 * 1024, max_depth: 64, max_nodes: 2_000_000, max_scalar_bytes: 1024 * 1024 }
    }
}

impl Node {
    /// The scalar text, if this is a scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for a plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, NodeValue::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A boolean in the YAML 1.2 core schema.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            NodeValue::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// An integer in the YAML 1.2 core schema.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            NodeValue::Scalar { text, plain: true } => parse_int(text),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            NodeValue::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Value of a string key in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|(k, _)| k.as_scalar() == Some(key)).map(|(_, v)| v)
    }

    /// A short description of the node's type for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match &self.value {
            NodeValue::Scalar { .. } if self.is_null() => "nothing",
            NodeValue::Scalar { .. } if self.as_bool().is_some() => "a boolean",
            NodeValue::Scalar { .. } if self.as_i64().is_some() => "a number",
            NodeValue::Scalar { .. } => "a string",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }
}

fn parse_int(text: &str) -> Option<i64> {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(if neg { -value } else { value })
}

/// Mappings up to this many entries find duplicate keys by a scan.
const SCAN_KEYS: usize = 16;

enum Frame {
    Seq {
        items: Vec<Node>,
        mark: Mark,
        tag: Option<String>,
        anchor: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// The scalar keys so far once the mapping has more than [`SCAN_KEYS`] entries, so a
        /// duplicate is found in constant time (a linear scan made a mapping of 300,000 keys take
        /// minutes); smaller mappings — nearly all — are scanned without allocating.
        keys: FxHashSet<String>,
        mark: Mark,
        tag: Option<String>,
        anchor: usize,
    },
}

/// Parses one YAML document into a located tree. An empty document is a null scalar.
pub fn load(text: &str, limits: Limits) -> Result<Node, LoadError> {
    if text.len() > limits.max_bytes {
        return Err(LoadError {
            mark: Mark { line: 1, col: 1 },
            message: format!(
                "file is {} bytes, over the limit of {} bytes; refusing to load it",
                text.len(),
                limits.max_bytes
            ),
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut anchor_sizes: Vec<usize> = Vec::new(); // node count at each open frame's start
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut documents = 0usize;

    loop {
        let (event, marker) = parser.next_token().map_err(|e| {
            let mark = Mark::from_marker(e.marker());
            if e.info().contains("recursion limit") {
                depth_error(mark, limits)
            } else {
                LoadError { mark, message: format!("invalid YAML: {}", e.info()) }
            }
        })?;
        let mark = Mark::from_marker(&marker);
        let finished: Option<(Node, usize, usize)> = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(LoadError {
                        mark,
                        message: "expected a single YAML document, found a second one".into(),
                    });
                }
                None
            }
            Event::Alias(id) => {
                let (node, size) = anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| LoadError { mark, message: "alias refers to an unknown anchor".into() })?;
                nodes = nodes.saturating_add(size);
                Some((Node { mark, ..node }, 0, size))
            }
            Event::Scalar(text, style, anchor, tag) => {
                if text.len() > limits.max_scalar_bytes {
                    return Err(LoadError {
                        mark,
                        message: format!(
                            "a string of {} bytes, over the limit of {} bytes; refusing to load it",
                            text.len(),
                            limits.max_scalar_bytes
                        ),
                    });
                }
                nodes += 1;
                let plain = matches!(style, TScalarStyle::Plain);
                Some((Node { value: NodeValue::Scalar { text, plain }, mark, tag: tag.map(tag_text) }, anchor, 1))
            }
            Event::SequenceStart(anchor, tag) => {
                if stack.len() >= limits.max_depth {
                    return Err(depth_error(mark, limits));
                }
                nodes += 1;
                anchor_sizes.push(nodes);
                stack.push(Frame::Seq { items: Vec::new(), mark, tag: tag.map(tag_text), anchor });
                None
            }
            Event::MappingStart(anchor, tag) => {
                if stack.len() >= limits.max_depth {
                    return Err(depth_error(mark, limits));
                }
                nodes += 1;
                anchor_sizes.push(nodes);
                stack.push(Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    keys: FxHashSet::default(),
                    mark,
                    tag: tag.map(tag_text),
                    anchor,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let start = anchor_sizes.pop().unwrap_or(nodes);
                let size = nodes - start + 1;
                match stack.pop() {
                    Some(Frame::Seq { items, mark, tag, anchor }) => {
                        Some((Node { value: NodeValue::Seq(items), mark, tag }, anchor, size))
                    }
                    Some(Frame::Map { entries, mark, tag, anchor, .. }) => {
                        Some((Node { value: NodeValue::Map(entries), mark, tag }, anchor, size))
                    }
                    None => None,
                }
            }
        };
        if nodes > limits.max_nodes {
            return Err(LoadError {
                mark,
                message: format!(
                    "document expands to more than {} nodes (alias bomb or oversized input); refusing to load it",
                    limits.max_nodes
                ),
            });
        }
        let Some((node, anchor, size)) = finished else { continue };
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, keys, .. }) => match key.take() {
                None => {
                    if let Some(k) = node.as_scalar() {
                        let duplicate = if entries.len() < SCAN_KEYS {
                            entries.iter().any(|(e, _)| e.as_scalar() == Some(k))
                        } else {
                            if keys.is_empty() {
                                keys.extend(entries.iter().filter_map(|(e, _)| e.as_scalar().map(str::to_string)));
                            }
                            !keys.insert(k.to_string())
                        };
                        if duplicate {
                            return Err(LoadError { mark: node.mark, message: format!("duplicate key `{k}`") });
                        }
                    }
                    *key = Some(node);
                }
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(root.unwrap_or(Node {
        value: NodeValue::Scalar { text: String::new(), plain: true },
        mark: Mark { line: 1, col: 1 },
        tag: None,
    }))
}

fn tag_text(tag: yaml_rust2::parser::Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

fn depth_error(mark: Mark, limits: Limits) -> LoadError {
    LoadError { mark, message: format!("nesting deeper than {} levels; refusing to load it", limits.max_depth) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_one_based_lines_and_columns() {
        let n = load("a: 1\nb:\n  c: x\n", Limits::default()).unwrap();
        let c = n.get("b").unwrap().get("c").unwrap();
        assert_eq!(c.mark, Mark { line: 3, col: 6 });
        assert_eq!(n.get("a").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn quoted_scalars_are_strings() {
        let n = load("a: 'true'\nb: true\nc: \"12\"\n", Limits::default()).unwrap();
        assert_eq!(n.get("a").unwrap().as_bool(), None);
        assert_eq!(n.get("b").unwrap().as_bool(), Some(true));
        assert_eq!(n.get("c").unwrap().as_i64(), None);
    }

    #[test]
    fn tags_are_kept() {
        let n = load("a: !Ref Foo\nb: !GetAtt [X, Arn]\n", Limits::default()).unwrap();
        assert_eq!(n.get("a").unwrap().tag.as_deref(), Some("!Ref"));
        assert_eq!(n.get("b").unwrap().tag.as_deref(), Some("!GetAtt"));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = load(&text, Limits::default()).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn small_aliases_are_expanded() {
        let n = load("base: &b {x: 1}\nother: *b\n", Limits::default()).unwrap();
        assert_eq!(n.get("other").unwrap().get("x").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = load(&text, Limits::default()).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{}", err.message);
    }

    #[test]
    fn oversized_input_is_refused() {
        let limits = Limits { max_bytes: 10, ..Limits::default() };
        assert!(load("a: 12345678901", limits).unwrap_err().message.contains("over the limit"));
        let limits = Limits { max_scalar_bytes: 8, ..Limits::default() };
        let err = load("short: 12345678\nlong: \"123456789\"\n", limits).unwrap_err();
        assert_eq!(
            (err.mark.line, err.message.as_str()),
            (2, "a string of 9 bytes, over the limit of 8 bytes; refusing to load it")
        );
    }

    #[test]
    fn duplicate_keys_are_located() {
        let err = load("a: 1\nb: 2\na: 3\n", Limits::default()).unwrap_err();
        assert_eq!(err.mark.line, 3);
        assert!(err.message.contains("duplicate key `a`"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = load("a: [1, 2\nb: 3\n", Limits::default()).unwrap_err();
        assert!(err.mark.line >= 1);
        assert!(err.message.starts_with("invalid YAML"));
    }
}
