//! One register for many models (`analyze DIR` or `analyze A B C`): each
//! model is rendered on its own by `format::render`, then the outputs are
//! joined — JSON as a list of analyses with a combined summary, SARIF as
//! one run per model, CSV with a `model_file` column, Markdown as an
//! estate summary followed by each register.
//! Must not: analyse or read files (the CLI does, in parallel).

use super::Format;
use crate::diag::Diagnostics;
use crate::risk::Severity;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What one model of an estate gave.
#[derive(Debug)]
pub struct ModelRun {
    /// The model file, as the user named it.
    pub file: String,
    pub outcome: Result<Rendered, Diagnostics>,
}

/// One model's output and its counts.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub threats: usize,
    /// Open threats by severity name.
    pub open_by_severity: BTreeMap<String, usize>,
    /// Open threats at or above `--fail-on`.
    pub failing: usize,
}

impl ModelRun {
    /// The model's own exit code: 2 when it could not be read, 1 when an open
    /// threat is at or above `--fail-on`, else 0.
    pub fn exit_code(&self) -> u8 {
        match &self.outcome {
            Err(_) => 2,
            Ok(r) if r.failing > 0 => 1,
            Ok(_) => 0,
        }
    }
}

/// Why an estate cannot be written in a format.
#[derive(Debug, thiserror::Error)]
#[error("--format {0} writes one model; analyse the models one by one, or use json, csv, markdown or sarif")]
pub struct OneModelOnly(pub Format);

/// The estate's exit code: the worst of its models'.
pub fn exit_code(runs: &[ModelRun]) -> u8 {
    runs.iter().map(ModelRun::exit_code).max().unwrap_or(0)
}

/// Whether `format` can describe several models (JSON, SARIF, CSV, Markdown).
pub fn check(format: Format) -> Result<(), OneModelOnly> {
    match format {
        Format::Json | Format::Sarif | Format::Csv | Format::Markdown => Ok(()),
        Format::Yaml
        | Format::ThreatDragon
        | Format::Threagile
        | Format::Otm
        | Format::ThreatComposer
        | Format::Pdf => Err(OneModelOnly(format)),
    }
}

/// Joins the models' outputs into one document of `format`.
pub fn combine(format: Format, runs: &[ModelRun]) -> Result<Vec<u8>, OneModelOnly> {
    check(format)?;
    match format {
        Format::Json => Ok(json_estate(runs)),
        Format::Sarif => Ok(sarif_estate(runs)),
        Format::Csv => Ok(csv_estate(runs)),
        Format::Markdown => Ok(markdown_estate(runs)),
        _ => Err(OneModelOnly(format)), // `check` lists them
    }
}

fn errors_of(d: &Diagnostics) -> Vec<String> {
    d.0.iter().map(|d| d.to_string()).collect()
}

fn open_totals(runs: &[ModelRun]) -> BTreeMap<String, usize> {
    let mut open: BTreeMap<String, usize> = Severity::ALL.iter().map(|s| (s.as_str().to_string(), 0)).collect();
    for r in runs.iter().filter_map(|r| r.outcome.as_ref().ok()) {
        for (k, n) in &r.open_by_severity {
            *open.entry(k.clone()).or_default() += n;
        }
    }
    open
}

/// `{format_version, format_minor, estate: {models, threats, open_by_severity, exit_code},
/// models: [{file, exit_code, analysis | errors}]}`; each `analysis` is the
/// model's own JSON output, spliced in unchanged.
fn json_estate(runs: &[ModelRun]) -> Vec<u8> {
    let threats: usize = runs.iter().filter_map(|r| r.outcome.as_ref().ok()).map(|r| r.threats).sum();
    let head = json!({
        "format_version": crate::engine::FORMAT_VERSION,
        "format_minor": crate::engine::FORMAT_MINOR,
        "estate": {
            "models": runs.len(),
            "threats": threats,
            "open_by_severity": open_totals(runs),
            "exit_code": exit_code(runs),
        },
    });
    let mut out = serde_json::to_string(&head).expect("serialises");
    out.pop(); // the closing brace: the models follow
    out.push_str(",\"models\":[");
    for (i, r) in runs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let entry = json!({"file": r.file, "exit_code": r.exit_code()});
        let mut entry = serde_json::to_string(&entry).expect("serialises");
        entry.pop();
        out.push_str(&entry);
        match &r.outcome {
            Ok(rendered) => {
                out.push_str(",\"analysis\":");
                out.push_str(String::from_utf8_lossy(&rendered.bytes).trim_end());
            }
            Err(d) => {
                out.push_str(",\"errors\":");
                out.push_str(&serde_json::to_string(&errors_of(d)).expect("serialises"));
            }
        }
        out.push('}');
    }
    out.push_str("]}\n");
    out.into_bytes()
}

/// One SARIF log with a run per model; a model that could not be read is a
/// run whose invocation failed, with its problems as notifications.
fn sarif_estate(runs: &[ModelRun]) -> Vec<u8> {
    let mut log: Option<Value> = None;
    let mut all_runs: Vec<Value> = Vec::new();
    for r in runs {
        match &r.outcome {
            Ok(rendered) => {
                let mut one: Value = serde_json::from_slice(&rendered.bytes).expect("our SARIF is JSON");
                if let Some(Value::Array(rs)) = one.get_mut("runs").map(Value::take) {
                    all_runs.extend(rs);
                }
                log.get_or_insert(one);
            }
            Err(d) => all_runs.push(json!({
                "tool": {"driver": {"name": "Threatwright", "version": crate::version()}},
                "invocations": [{
                    "executionSuccessful": false,
                    "toolExecutionNotifications": d.0.iter().map(|p| json!({
                        "level": "error",
                        "message": {"text": p.message},
                        "locations": [{"physicalLocation": {
                            "artifactLocation": {"uri": r.file.replace('\\', "/")},
                            "region": {"startLine": p.line.max(1), "startColumn": p.column.max(1)},
                        }}],
                    })).collect::<Vec<_>>(),
                }],
                "results": [],
            })),
        }
    }
    let mut log =
        log.unwrap_or_else(|| json!({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0"}));
    log["runs"] = Value::Array(all_runs);
    let mut s = serde_json::to_string_pretty(&log).expect("serialises");
    s.push('\n');
    s.into_bytes()
}

/// Every model's CSV with the model file as the first column.
fn csv_estate(runs: &[ModelRun]) -> Vec<u8> {
    let mut out = String::new();
    let mut header_done = false;
    for r in runs {
        let Ok(rendered) = &r.outcome else { continue };
        let text = String::from_utf8_lossy(&rendered.bytes);
        let mut records = csv_records(&text).into_iter();
        let header = records.next().unwrap_or_default();
        if !header_done {
            out.push_str(&format!("model_file,{header}\r\n"));
            header_done = true;
        }
        let file = super::csv::cell(&r.file);
        for record in records {
            out.push_str(&format!("{file},{record}\r\n"));
        }
    }
    out.into_bytes()
}

/// The records of our own CSV: split at CRLF outside quoted cells (a cell
/// may hold line breaks).
fn csv_records(text: &str) -> Vec<&str> {
    let mut records = Vec::new();
    let (mut start, mut quoted) = (0, false);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'\r' if !quoted && bytes.get(i + 1) == Some(&b'\n') => {
                records.push(&text[start..i]);
                i += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        records.push(&text[start..]);
    }
    records
}

/// An estate summary table, then each model's register.
fn markdown_estate(runs: &[ModelRun]) -> Vec<u8> {
    let mut out = format!("# Threat register: {} model(s)\n\n", runs.len());
    out.push_str("| model | threats | open critical | open high | open medium | open low | exit |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for r in runs {
        let file = r.file.replace('|', "\\|");
        match &r.outcome {
            Ok(x) => {
                let n = |s: &str| x.open_by_severity.get(s).copied().unwrap_or(0);
                out.push_str(&format!(
                    "| {file} | {} | {} | {} | {} | {} | {} |\n",
                    x.threats,
                    n("critical"),
                    n("high"),
                    n("medium"),
                    n("low"),
                    r.exit_code()
                ));
            }
            Err(d) => out.push_str(&format!("| {file} | not read: {} problem(s) | | | | | 2 |\n", d.0.len())),
        }
    }
    for r in runs {
        out.push_str(&format!("\n---\n\n<!-- {} -->\n\n", r.file.replace("--", "- -")));
        match &r.outcome {
            Ok(x) => out.push_str(&String::from_utf8_lossy(&x.bytes)),
            Err(d) => {
                out.push_str(&format!("## {}\n\nNot read:\n\n", r.file));
                for e in errors_of(d) {
                    out.push_str(&format!("- {e}\n"));
                }
            }
        }
    }
    out.into_bytes()
}
