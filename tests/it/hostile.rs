//! Hostile content wherever a model's text is shown: names and descriptions holding HTML and
//! script, template syntax, formula starts, a right-to-left override, control characters, a
//! 10,000-character word and a dozen scripts (`tests/corpus/hostile/hostile-names.yaml`) go
//! through every output. Each must stay valid in its own format, neutralise what its readers
//! would execute, and keep the text itself (nothing silently dropped); the PDF must keep every
//! word inside its page. The same file is opened in the real app by `ui/tests/e2e/hostile.test.mjs`.

use crate::support::*;
use serde_json::Value;

const MODEL: &str = "tests/corpus/hostile/hostile-names.yaml";

fn output(format: &str) -> Vec<u8> {
    let out = run(&["analyze", MODEL, "--format", format, "--as-of", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(0), "{format}: {}", text(&out.stderr));
    out.stdout
}

fn names() -> Vec<String> {
    let model = threatwright::store::load_model(&root().join(MODEL)).expect("the hostile model reads");
    model.elements.iter().map(|e| e.name.clone()).collect()
}

#[test]
fn json_and_sarif_stay_valid_and_keep_every_name_exactly() {
    let json: Value = serde_json::from_slice(&output("json")).expect("JSON parses");
    let targets: Vec<&str> =
        json["threats"].as_array().unwrap().iter().map(|t| t["target"]["name"].as_str().unwrap()).collect();
    for name in names() {
        assert!(targets.contains(&name.as_str()), "a threat names {name:?} byte for byte");
    }
    let sarif: Value = serde_json::from_slice(&output("sarif")).expect("SARIF parses");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let _: Value = serde_json::from_slice(&output("threat-dragon")).expect("the Threat Dragon export parses");
    let yaml = String::from_utf8(output("yaml")).expect("YAML output is UTF-8");
    threatwright::yaml::load(&yaml, Default::default()).expect("the YAML output parses");
}

/// RFC 4180 records of a CSV text.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted && cell.is_empty() && record.is_empty(), "the CSV ends with a whole record");
    records
}

#[test]
fn csv_neutralises_every_formula_start_and_keeps_the_text() {
    let text = String::from_utf8(output("csv")).expect("CSV is UTF-8");
    let records = csv_records(&text);
    let width = records[0].len();
    let target = records[0].iter().position(|h| h == "target").expect("a target column");
    for r in &records[1..] {
        assert_eq!(r.len(), width, "every record has the header's {width} cells: {r:?}");
        for c in r {
            assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "a spreadsheet would run {c:?}");
        }
    }
    let shown: Vec<&str> = records[1..].iter().map(|r| r[target].strip_prefix('\'').unwrap_or(&r[target])).collect();
    for name in names() {
        assert!(shown.contains(&name.as_str()), "{name:?} is in the register, behind at most one quote");
    }
}

#[test]
fn markdown_escapes_html_and_table_syntax() {
    let md = String::from_utf8(output("markdown")).expect("Markdown is UTF-8");
    for raw in ["<script", "<img", "<iframe", "<svg", "<a href"] {
        assert!(!md.contains(raw), "raw HTML {raw} reaches the Markdown");
    }
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(rows.len() > 12, "the register has a row per threat");
    // A cell boundary is a `|` not escaped by an odd run of backslashes.
    let cells = |row: &str| {
        let b = row.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && b[..i].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 0)
            .count()
    };
    let header = cells(rows[0]);
    for row in &rows {
        assert_eq!(cells(row), header, "a name changed the table's shape: {row}");
        assert!(!row.contains(['\r', '\u{7}', '\u{1b}']), "control characters reach the table: {row:?}");
    }
    assert!(md.contains(&"W".repeat(10_000)), "the long name is kept whole");
}

/// Every word `pdftotext -bbox` finds, with its page's size: `(page w, page h, xMin, yMin, xMax, yMax, word)`.
fn pdf_words(pdf: &[u8]) -> Vec<(f64, f64, f64, f64, f64, f64, String)> {
    let html = crate::pdf::pdftotext_as(pdf, "hostile", "-bbox");
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 2;
        tag[at..tag[at..].find('"').unwrap() + at].parse().unwrap()
    };
    let (mut page, mut words) = ((0.0, 0.0), Vec::new());
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page = (attr(line, "width"), attr(line, "height"));
        } else if line.starts_with("<word ") {
            let word = line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()].to_string();
            let b = (attr(line, "xMin"), attr(line, "yMin"), attr(line, "xMax"), attr(line, "yMax"));
            words.push((page.0, page.1, b.0, b.1, b.2, b.3, word));
        }
    }
    words
}

#[test]
fn the_pdf_renders_and_keeps_every_word_on_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.pdf");
    let out = run(&["report", MODEL, "-o", file.to_str().unwrap(), "--as-of", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let pdf = std::fs::read(&file).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let words = pdf_words(&pdf);
    assert!(words.len() > 200, "the report has its text ({} words)", words.len());
    for (w, h, x0, y0, x1, y1, word) in &words {
        let inside = *x0 >= -0.5 && *y0 >= -0.5 && *x1 <= w + 0.5 && *y1 <= h + 0.5;
        assert!(inside, "{word:.40} is drawn at ({x0:.0},{y0:.0})-({x1:.0},{y1:.0}), off its {w:.0}×{h:.0} page");
    }
    assert!(words.iter().any(|w| w.6.contains("Orders")), "the hostile names are printed as text");
    for script in ["中文", "Русский", "ไทย", "हिन्दी", "ქართული", "አማርኛ"]
    {
        assert!(words.iter().any(|w| w.6.contains(script)), "{script} is printed and extractable");
    }
    assert!(words.iter().any(|w| w.6.contains("&lt;script&gt;window")), "markup in a name is printed, not interpreted");
    assert!(
        !words.iter().any(|w| w.6.contains(['\u{7}', '\u{1b}', '\u{fffd}'])),
        "a control character reached the page"
    );
    assert!(
        words.iter().any(|w| w.6.ends_with('…') && w.6.starts_with("WWW")),
        "the long name is cut with an ellipsis"
    );
}

/// A name holding terminal escape sequences or a bidi override reaches the terminal escaped:
/// in the located errors of `validate`, in `diff` and in `triage` (CWE-150).
#[test]
fn terminal_output_escapes_control_sequences_from_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("escapes.yaml");
    let yaml = "threatwright: 1\nname: x\nelements:\n  - {name: \"a\\e]0;pwned\\a\", type: aws.lambda}\nflows:\n  - {from: \"b\\e[2J\\u202e\", to: x}\n";
    std::fs::write(&bad, yaml).unwrap();
    let out = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("unknown element `b\\u{1b}[2J\\u{202e}`"), "{err}");
    assert!(!err.contains(['\u{1b}', '\u{7}', '\u{202e}']), "raw control characters on the terminal: {err:?}");

    let edited = dir.path().join("edited.yaml");
    // Without the element named "bell\u{7} tab\tcr\r …\u{1b}[31m", its threats are "removed".
    let without: String = std::fs::read_to_string(root().join(MODEL))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("bell\\u0007"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&edited, without).unwrap();
    let out = run(&["diff", MODEL, edited.to_str().unwrap()]);
    let shown = text(&out.stdout);
    assert!(shown.contains("bell\\u{7} tab\tcr\\u{d}"), "the removed threats name the element, escaped: {shown}");
    assert!(!shown.contains(['\u{1b}', '\u{7}', '\u{202e}', '\r']), "raw control characters in diff: {shown:?}");
}

/// A UTF-8 byte order mark, which Windows editors write, is not part of the first key: models,
/// SAM templates in YAML and JSON, and Threat Dragon files read as without it.
#[test]
fn a_byte_order_mark_is_dropped_by_every_reader() {
    let dir = tempfile::tempdir().unwrap();
    let with_bom = |source: &str| {
        let path = dir.path().join(std::path::Path::new(source).file_name().unwrap());
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(std::fs::read(root().join(source)).unwrap());
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    };
    let cases = [
        vec!["validate", "models/examples/photo-pipeline.yaml"],
        vec!["import", "sam", "tests/corpus/sam/rest-api-cognito.yaml"],
        vec!["import", "sam", "tests/corpus/sam/sqs-sns-fanout.json"],
        vec!["import", "threat-dragon", "tests/corpus/threat-dragon/orders-v2.json"],
    ];
    for case in cases {
        let (file, command) = case.split_last().unwrap();
        let path = with_bom(file);
        let out = run(&[command, &[path.as_str()]].concat());
        assert_eq!(out.status.code(), Some(0), "{case:?} with a BOM: {}", text(&out.stderr));
    }
}

/// A file with thousands of problems (generated, or hostile) shows the first 200 and how many
/// more there are, instead of flooding the terminal.
#[test]
fn thousands_of_problems_show_the_first_two_hundred() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.yaml");
    let properties: String = (0..500).map(|i| format!("      unknown{i}: 1\n")).collect();
    let model = format!("name: many\nelements:\n  - name: A\n    type: aws.lambda\n    properties:\n{properties}");
    std::fs::write(&path, model).unwrap();
    let out = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 201, "{}", lines.last().unwrap_or(&""));
    assert!(lines[0].contains("many.yaml:6:") && lines[0].contains("unknown property `unknown0`"), "{}", lines[0]);
    assert!(lines[200].contains("and 300 more problems"), "{}", lines[200]);
}
