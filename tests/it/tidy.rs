//! Tidy: the style and layering rules of ARCHITECTURE.md and HOUSE-STYLE.md,
//! checked on the source text so that reviewers need not (rust-analyzer's
//! `tidy` habit). Every failure names `file:line`.
//!
//! The checks read source text only: a small scanner blanks comments,
//! strings and character literals, so a forbidden name in a doc comment or a
//! message does not count, and matches braces to measure functions.
//!
//! There are no exceptions lists: fix the code, not the check. The one
//! escape is `// tidy: allow(clock) — why` on the line before a clock read in
//! a crash test that must kill a live process.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dirs` (relative to the repository root), sorted,
/// as paths relative to the root with `/` separators.
fn rust_files(dirs: &[&str]) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in dirs {
        let path = root().join(dir);
        if path.is_file() {
            files.push(path);
        } else {
            walk(&path, &mut files);
        }
    }
    let mut rel: Vec<String> =
        files.iter().map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/")).collect();
    rel.sort();
    rel.dedup();
    rel
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The source with comments, string literals and character literals replaced
/// by spaces (newlines kept), so positions and line numbers are unchanged and
/// only code remains. String delimiters are kept so `""` stays a token.
fn mask(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                blank(&mut out, i, j);
                i = j;
            }
            // Raw strings: r"…", r#"…"#, br#"…"#.
            b'r' if (i == 0 || !ident(b[i - 1]) || (b[i - 1] == b'b' && (i < 2 || !ident(b[i - 2]))))
                && matches!(b.get(i + 1), Some(b'"' | b'#')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let open = i + 2 + hashes;
                let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                let end = src[open..].find(&close).map_or(b.len(), |n| open + n);
                blank(&mut out, open, end);
                i = end + close.len();
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i + 1, j);
                i = j + 1;
            }
            // A character literal ('a', '\n', '\u{1F600}', '"'), not a lifetime ('a).
            b'\'' => {
                let end = if b.get(i + 1) == Some(&b'\\') {
                    src[i + 2..].find('\'').map(|n| i + 2 + n)
                } else {
                    let c = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + c) == Some(&b'\'')).then_some(i + 1 + c)
                };
                match end {
                    Some(end) => {
                        blank(&mut out, i + 1, end);
                        i = end + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).expect("blanking keeps UTF-8: whole characters become spaces")
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].bytes().filter(|&c| c == b'\n').count() + 1
}

/// Offsets of `word` in masked code where it is a whole identifier path
/// (not part of a longer identifier).
fn find_word(code: &str, word: &str) -> Vec<usize> {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    code.match_indices(word)
        .map(|(at, _)| at)
        .filter(|&at| !ident(code[..at].chars().next_back()) && !ident(code[at + word.len()..].chars().next()))
        .collect()
}

/// A function body found by the scanner.
#[derive(Debug)]
struct Function {
    name: String,
    line: usize,
    lines: usize,
}

/// Every `fn` with a body: its name, first line and length in lines (from
/// the `fn` line to the closing brace, both included). Nested functions
/// count towards their parent too.
fn functions(code: &str) -> Vec<Function> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    for at in find_word(code, "fn") {
        let rest = code[at + 2..].trim_start();
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            continue; // a function pointer type such as `fn(u8) -> u8`
        }
        // The body opens at the first `{` outside parentheses and brackets;
        // a `;` first means a declaration without a body (trait items, extern).
        let (mut depth, mut j) = (0i32, at);
        let open = loop {
            match b.get(j) {
                None => break None,
                Some(b'(' | b'[') => depth += 1,
                Some(b')' | b']') => depth -= 1,
                Some(b';') if depth == 0 => break None,
                Some(b'{') if depth == 0 => break Some(j),
                _ => {}
            }
            j += 1;
        };
        let Some(open) = open else { continue };
        let (mut depth, mut k) = (0i32, open);
        while k < b.len() {
            match b[k] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        let line = line_of(code, at);
        out.push(Function { name, line, lines: line_of(code, k.min(code.len())) - line + 1 });
    }
    out
}

/// Fails with every violation, one `file:line: what` per line.
fn report(check: &str, violations: Vec<String>) {
    assert!(violations.is_empty(), "{check}: {} violations\n{}", violations.len(), violations.join("\n"));
}

// ---- headers -----------------------------------------------------------------

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let mut violations = Vec::new();
    for rel in rust_files(&["src", "src-tauri/src", "src-tauri/build.rs", "tests", "benches"]) {
        if !read(&rel).starts_with("//!") {
            violations.push(format!("{rel}:1: the file must open with a `//!` doc saying what it owns"));
        }
    }
    report("module docs", violations);
}

// ---- purity --------------------------------------------------------------------

/// The modules ARCHITECTURE.md declares pure: no IO, no environment, no clock,
/// no randomness, no Tauri.
const PURE: &[&str] = &[
    "src/model",
    "src/model.rs",
    "src/graph",
    "src/graph.rs",
    "src/rules",
    "src/rules.rs",
    "src/engine",
    "src/engine.rs",
    "src/risk",
    "src/risk.rs",
    "src/layout",
    "src/layout.rs",
];

/// What a pure module must not name, and why.
const IMPURE: &[(&str, &str)] = &[
    ("std::fs", "file access"),
    ("std::env", "the environment"),
    ("std::net", "the network"),
    ("std::process", "processes"),
    ("SystemTime", "the wall clock"),
    ("Instant::now", "the clock"),
    ("tauri", "Tauri"),
    ("rand", "randomness"),
    ("crate::store", "files through `store`"),
    ("crate::clock", "the wall clock through `clock`"),
];

fn purity_violations() -> Vec<String> {
    let mut violations = Vec::new();
    for rel in rust_files(PURE) {
        let code = mask(&read(&rel));
        for (name, what) in IMPURE {
            for at in find_word(&code, name) {
                violations.push(format!("{rel}:{}: `{name}` in a pure module ({what})", line_of(&code, at)));
            }
        }
        // `use std::{fs, …}` names the module without the `std::fs` path.
        for (at, _) in code.match_indices("std::{") {
            let group = &code[at + 6..];
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',').map(str::trim) {
                if ["fs", "env", "net", "process"].iter().any(|m| item == *m || item.starts_with(&format!("{m}::"))) {
                    violations.push(format!("{rel}:{}: `std::{item}` in a pure module", line_of(&code, at)));
                }
            }
        }
    }
    violations
}

#[test]
fn pure_modules_do_no_io_and_read_no_clock() {
    report("purity", purity_violations());
}

// ---- loaders -----------------------------------------------------------------------

/// Readers of user files, where a panic is a crash on a user's file.
const LOADERS: &[&str] = &["src/rules/load.rs", "src/rules/load", "src/yaml", "src/import"];

fn loader_violations() -> Vec<String> {
    let mut violations = Vec::new();
    for rel in rust_files(LOADERS) {
        let code = mask(&read(&rel));
        for at in find_word(&code, "unreachable") {
            if code[at..].starts_with("unreachable!") {
                violations.push(format!(
                    "{rel}:{}: `unreachable!` in a loader: dispatch through a table or return a diagnostic",
                    line_of(&code, at)
                ));
            }
        }
    }
    violations
}

#[test]
fn loaders_have_no_unreachable() {
    report("loaders", loader_violations());
}

// ---- function length -------------------------------------------------------------

const MAX_FUNCTION_LINES: usize = 150;

fn long_functions() -> Vec<String> {
    let mut violations = Vec::new();
    for rel in rust_files(&["src"]) {
        for f in functions(&mask(&read(&rel))) {
            if f.lines > MAX_FUNCTION_LINES {
                violations.push(format!(
                    "{rel}:{}: fn {} is {} lines (at most {MAX_FUNCTION_LINES})",
                    f.line, f.name, f.lines
                ));
            }
        }
    }
    violations
}

#[test]
fn no_function_in_src_is_longer_than_150_lines() {
    report("function length", long_functions());
}

// ---- dependency direction -----------------------------------------------------------

fn model_dependency_violations() -> Vec<String> {
    let mut violations = Vec::new();
    for rel in rust_files(&["src/model", "src/model.rs"]) {
        let code = mask(&read(&rel));
        for module in ["risk", "engine", "import", "export", "store", "graph", "rules"] {
            let path = format!("crate::{module}");
            for at in find_word(&code, &path) {
                violations.push(format!(
                    "{rel}:{}: `model` depends on `{module}`; the arrow points the other way",
                    line_of(&code, at)
                ));
            }
        }
    }
    violations
}

#[test]
fn model_depends_on_no_later_stage() {
    report("model dependencies", model_dependency_violations());
}

// ---- determinism of the tests ------------------------------------------------------

/// Test code that sleeps or reads the clock passes or fails with the
/// machine's load: inject timeouts and use fixed seeds instead.
fn clock_in_tests() -> Vec<String> {
    let mut violations = Vec::new();
    for rel in rust_files(&["tests"]) {
        if rel == "tests/it/tidy.rs" {
            continue; // names the patterns it looks for
        }
        let raw = read(&rel);
        let lines: Vec<&str> = raw.lines().collect();
        let code = mask(&raw);
        for name in ["sleep", "Instant::now", "SystemTime::now"] {
            for at in find_word(&code, name) {
                // A crash test that must kill a live save may say why, on the line before.
                let line = line_of(&code, at);
                if line >= 2 && lines[line - 2].contains("tidy: allow(clock)") {
                    continue;
                }
                violations.push(format!(
                    "{rel}:{}: `{name}` in a test: inject the timeout or the seed instead",
                    line_of(&code, at)
                ));
            }
        }
    }
    violations
}

#[test]
fn tests_neither_sleep_nor_read_the_clock() {
    report("clock in tests", clock_in_tests());
}

// ---- the scanner itself ---------------------------------------------------------------

#[test]
fn the_scanner_skips_comments_strings_and_chars() {
    let src = "fn a() {\n    let s = \"} { std::fs\"; // } std::env\n    let c = '}';\n    let r = r#\"}\"#;\n    /* { */\n    let l: &'static str = \"x\";\n}\nfn b(f: fn(u8) -> u8) -> u8 { f(1) }\ntrait T { fn c(&self); }\n";
    let code = mask(src);
    assert_eq!(code.lines().count(), src.lines().count(), "line numbers are kept");
    assert!(find_word(&code, "std::fs").is_empty() && find_word(&code, "std::env").is_empty());
    let found: Vec<(String, usize, usize)> = functions(&code).into_iter().map(|f| (f.name, f.line, f.lines)).collect();
    assert_eq!(found, [("a".to_string(), 1, 7), ("b".to_string(), 8, 1)]);
    assert_eq!(find_word("crate::risk::X; crate::risky", "crate::risk"), [0]);
}
