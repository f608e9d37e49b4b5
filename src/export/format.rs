//! The export formats of an analysis as one enum, with the one dispatch the
//! CLI and the desktop shell both use: [`render`] turns a model and its
//! analysis into the bytes of a file.
//!
//! Adding an export format means adding a variant here and its module beside
//! this one; the compiler points at every place that must know it.
//! Must not: compute threats or scores, or touch files.

use crate::engine::Analysis;
use crate::export::pdf::{PdfError, PdfOptions};
use crate::model::Model;
use crate::rules::Catalog;
use std::collections::HashMap;
use std::str::FromStr;
use uuid::Uuid;

/// An output format of `analyze` (and of the app's export menu).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The JSON analysis contract (see docs/analysis-format.md).
    Json,
    /// The same document as YAML.
    Yaml,
    /// The register as CSV.
    Csv,
    /// The register as a Markdown report.
    Markdown,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// OWASP Threat Dragon v2 JSON (one STRIDE diagram with the threats per cell).
    ThreatDragon,
    /// A Threagile model (YAML) with our triage as its risk tracking.
    Threagile,
    /// An Open Threat Model (OTM 0.2.0) JSON document with every threat and its state.
    Otm,
    /// An AWS Threat Composer file (`.tc.json`): threat statements with their mitigations linked.
    ThreatComposer,
    /// The PDF risk report.
    Pdf,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Json,
        Format::Yaml,
        Format::Csv,
        Format::Markdown,
        Format::Sarif,
        Format::ThreatDragon,
        Format::Otm,
        Format::Threagile,
        Format::ThreatComposer,
        Format::Pdf,
    ];

    /// The name used by the CLI (`--format NAME`) and over IPC.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Sarif => "sarif",
            Format::ThreatDragon => "threat-dragon",
            Format::Threagile => "threagile",
            Format::Otm => "otm",
            Format::ThreatComposer => "threat-composer",
            Format::Pdf => "pdf",
        }
    }

    /// The filter label of a save dialog.
    pub fn label(self) -> &'static str {
        match self {
            Format::Json => "Threatwright analysis (JSON)",
            Format::Yaml => "Threatwright analysis (YAML)",
            Format::Csv => "Risk register (CSV)",
            Format::Markdown => "Risk register (Markdown)",
            Format::Sarif => "SARIF 2.1.0 log",
            Format::ThreatDragon => "OWASP Threat Dragon model (JSON)",
            Format::Threagile => "Threagile model (YAML)",
            Format::Otm => "Open Threat Model (JSON)",
            Format::ThreatComposer => "AWS Threat Composer (.tc.json)",
            Format::Pdf => "PDF risk report",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json | Format::ThreatDragon | Format::Otm => "json",
            Format::ThreatComposer => "tc.json",
            Format::Yaml | Format::Threagile => "yaml",
            Format::Csv => "csv",
            Format::Markdown => "md",
            Format::Sarif => "sarif",
            Format::Pdf => "pdf",
        }
    }

    /// Whether the output is text (UTF-8) rather than binary.
    pub fn is_text(self) -> bool {
        self != Format::Pdf
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a format name is not known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format `{0}` (expected {list})", list = Format::ALL.map(Format::name).join(", "))]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Accepts the [`Format::name`], with `_` for `-` too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Format::ALL.into_iter().find(|f| f.name() == wanted).ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// The line of each element and flow in the model's source file
/// (`store::load_located`), for formats that point into it (SARIF).
pub type SourceLines = HashMap<Uuid, usize>;

/// What some formats need beyond the model and the analysis.
#[derive(Clone, Copy, Debug)]
pub struct RenderInputs<'a> {
    /// The catalog the analysis ran with (SARIF describes its rules).
    pub catalog: &'a Catalog,
    /// The model file as SARIF's artifact URI (forward slashes).
    pub source_uri: &'a str,
    /// Lines of the elements and flows in that file; line 1 when unknown.
    pub source_lines: &'a SourceLines,
    /// Options of the PDF report.
    pub pdf: &'a PdfOptions,
}

impl RenderInputs<'_> {
    /// The 1-based line of an element or flow in the model file (1 when unknown).
    fn line_of(&self, id: uuid::Uuid) -> usize {
        self.source_lines.get(&id).copied().unwrap_or(1)
    }
}

/// Why an export could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// Why an export could not be written: rendering failed, or the writer did.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot render: {0}")]
    Render(#[from] ExportError),
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes `analysis` of `model` as `format` to `w`: what [`render`] returns,
/// except that JSON and SARIF are streamed instead of built in memory (a
/// 10,000-function estate's JSON is 81 MB).
pub fn write(
    format: Format,
    model: &Model,
    analysis: &Analysis,
    inputs: &RenderInputs,
    w: &mut dyn std::io::Write,
) -> Result<(), WriteError> {
    match format {
        Format::Json => crate::export::json::write(analysis, w)?,
        Format::Sarif => {
            crate::export::sarif::write(analysis, inputs.catalog, inputs.source_uri, &|id| inputs.line_of(id), w)?
        }
        _ => w.write_all(&render(format, model, analysis, inputs)?)?,
    }
    Ok(())
}

/// Renders `analysis` of `model` as `format`.
pub fn render(
    format: Format,
    model: &Model,
    analysis: &Analysis,
    inputs: &RenderInputs,
) -> Result<Vec<u8>, ExportError> {
    use crate::export::{csv, json, markdown, otm, pdf, sarif, threagile, threat_composer, threat_dragon, yaml_out};
    let text = match format {
        Format::Json => json::analysis(analysis),
        Format::Yaml => yaml_out::to_yaml(analysis),
        Format::Csv => csv::analysis(analysis),
        Format::Markdown => markdown::analysis(analysis),
        Format::ThreatDragon => threat_dragon::analysis(model, analysis),
        Format::Threagile => threagile::analysis(model, analysis),
        Format::Otm => otm::analysis(model, analysis),
        Format::ThreatComposer => threat_composer::analysis(model, analysis),
        Format::Sarif => sarif::analysis(analysis, inputs.catalog, inputs.source_uri, &|id| inputs.line_of(id)),
        Format::Pdf => return Ok(pdf::render(model, analysis, inputs.pdf)?),
    };
    Ok(text.into_bytes())
}
