//! The import formats as one enum, with the one dispatch the CLI and the
//! desktop shell both use: its name on the command line and in IPC, the
//! label and file extensions of its open dialog, and [`run`].
//!
//! Adding an importer means adding a variant here; the compiler then points
//! at every place that must know it. Must not: parse any format itself.

use crate::diag::{Diagnostic, Diagnostics};
use crate::import::sam::Imported;
use std::path::Path;
use std::str::FromStr;

/// A source format a model can be imported from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// AWS SAM or CloudFormation template (YAML or JSON).
    Sam,
    /// Serverless Framework `serverless.yml`.
    Serverless,
    /// OWASP Threat Dragon v2 model (JSON).
    ThreatDragon,
    /// Terraform: a directory of `.tf` files, one `.tf` file, or `terraform show -json` output.
    Terraform,
    /// Threagile model (`threagile.yaml`).
    Threagile,
    /// Microsoft Threat Modeling Tool model (`.tm7`).
    Tm7,
    /// Open Threat Model (OTM) JSON, IriusRisk's open format.
    Otm,
    /// AWS Threat Composer (`.tc.json`): threats and mitigations, onto the model it embeds or one element.
    ThreatComposer,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Sam,
        Format::Serverless,
        Format::Terraform,
        Format::ThreatDragon,
        Format::Otm,
        Format::Threagile,
        Format::ThreatComposer,
        Format::Tm7,
    ];

    /// The name used by the CLI (`import NAME`) and over IPC.
    pub fn name(self) -> &'static str {
        match self {
            Format::Sam => "sam",
            Format::Serverless => "serverless",
            Format::ThreatDragon => "threat-dragon",
            Format::Terraform => "terraform",
            Format::Threagile => "threagile",
            Format::Tm7 => "tm7",
            Format::Otm => "otm",
            Format::ThreatComposer => "threat-composer",
        }
    }

    /// The filter label of an open dialog.
    pub fn label(self) -> &'static str {
        match self {
            Format::Sam => "SAM / CloudFormation template",
            Format::Serverless => "Serverless Framework (serverless.yml)",
            Format::ThreatDragon => "OWASP Threat Dragon model (JSON)",
            Format::Terraform => "Terraform (.tf, or plan/state JSON)",
            Format::Threagile => "Threagile model (YAML)",
            Format::Tm7 => "Microsoft Threat Modeling Tool model (.tm7)",
            Format::Otm => "Open Threat Model (JSON)",
            Format::ThreatComposer => "AWS Threat Composer (.tc.json)",
        }
    }

    /// File extensions of an open dialog, without the dot.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Sam => &["yaml", "yml", "json", "template"],
            Format::Serverless => &["yml", "yaml"],
            Format::ThreatDragon | Format::Otm | Format::ThreatComposer => &["json"],
            Format::Terraform => &["tf", "json"],
            Format::Threagile => &["yaml", "yml"],
            Format::Tm7 => &["tm7"],
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a format name is not known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown import format `{0}` (expected {list})", list = Format::ALL.map(Format::name).join(", "))]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Accepts the [`Format::name`], with `_` for `-` too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Format::ALL.into_iter().find(|f| f.name() == wanted).ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// Imports `text` (labelled `label` in diagnostics, usually its path) as `format`. An import
/// that yields no element is an error (with the warnings that explain why), never an empty model.
pub fn run(format: Format, text: &str, label: &str) -> Result<Imported, Diagnostics> {
    let imported = match format {
        Format::Sam => crate::import::sam::import(text, label),
        Format::Serverless => crate::import::serverless::import(text, label),
        Format::ThreatDragon => crate::import::threat_dragon::import(text, label),
        Format::Terraform => crate::import::terraform::import(text, label, None),
        Format::Threagile => crate::import::threagile::import(text, label),
        Format::Tm7 => crate::import::tm7::import(text, label),
        Format::Otm => crate::import::otm::import(text, label),
        Format::ThreatComposer => crate::import::threat_composer::import(text, label),
    }?;
    non_empty(format, label, imported)
}

/// An import that yields no element is an error (with the warnings that explain why).
fn non_empty(format: Format, label: &str, imported: Imported) -> Result<Imported, Diagnostics> {
    if imported.model.elements.is_empty() {
        let mut why = imported.warnings;
        why.push(Diagnostic::new(
            label,
            0,
            0,
            format!(
                "nothing to import: no part of this {} could be read as an element of the model{}",
                format.label(),
                if why.is_empty() { "" } else { " (see the warnings above)" }
            ),
        ));
        return Err(Diagnostics(why));
    }
    Ok(imported)
}

/// Reads the file at `path` and imports it (see [`run`]). Terraform also reads a directory,
/// and the local modules a `.tf` file names.
pub fn run_file(format: Format, path: &Path) -> Result<Imported, Diagnostics> {
    if format == Format::Terraform {
        let imported = crate::import::terraform::import_path(path)?;
        return non_empty(format, &path.display().to_string(), imported);
    }
    let text = crate::store::read_text(path)?;
    run(format, &text, &path.display().to_string())
}
