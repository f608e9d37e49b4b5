//! Located diagnostics shared by every reader of user files (models, rule
//! catalogs, importers). Printed as `file:line:column: message`, one per line.

use serde::Serialize;
use std::fmt;

/// One problem in a user file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_string(), line, column, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        }
    }
}

/// A failed read: every diagnostic found, in file order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct Diagnostics(pub Vec<Diagnostic>);

/// Problems shown for one bad input, in the CLI and the app: a generated or hostile file with
/// 300,000 problems must not flood the terminal or become a 30 MB message to the page.
pub const MAX_SHOWN: usize = 200;

impl Diagnostics {
    pub fn one(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }

    /// The first [`MAX_SHOWN`] problems, and how many more there are.
    pub fn shown(&self) -> (&[Diagnostic], usize) {
        let n = self.0.len().min(MAX_SHOWN);
        (&self.0[..n], self.0.len() - n)
    }
}

/// `text` safe to print on a terminal: a control character other than a line break or a tab,
/// and a bidirectional override, isolate or mark, is printed as its escape (`\u{1b}`), so a
/// name in a model cannot move the cursor, recolour or clear the screen, retitle the window,
/// or reorder what the user reads (CWE-150).
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn terminal_escapes_and_overrides_are_printed_as_escapes() {
        assert_eq!(terminal_safe("plain 中文 `x`\n\tnext"), "plain 中文 `x`\n\tnext");
        assert_eq!(terminal_safe("b\u{1b}[31m\u{7}"), "b\\u{1b}[31m\\u{7}");
        assert_eq!(terminal_safe("invoice\u{202e}fdp.exe\r"), "invoice\\u{202e}fdp.exe\\u{d}");
    }
}
