//! The single error type returned by every IPC command. It crosses the IPC boundary as
//! `{ "code": "...", "message": "...", "diagnostics": [...] }` (see `CommandError` in
//! ui/src/bindings), so the UI can branch on a stable machine-readable `code`, show the
//! human-readable `message`, and point at each located problem in `diagnostics`.

use serde::Serialize;
use std::fmt;
use threatwright::store::{Error as StoreError, ErrorKind as StoreKind};
use threatwright::{Diagnostic, Diagnostics};
use ts_rs::TS;

/// Every error code a command can return. The serialized names are a contract with the UI;
/// a test pins each one, so renaming a variant cannot silently change the wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ErrorCode.ts")]
pub enum ErrorCode {
    /// The input sent by the UI was rejected.
    InvalidInput,
    /// An unexpected failure inside the backend.
    Internal,
    /// The built-in rule catalog failed to load.
    CatalogInvalid,
    /// A model file could not be read; `diagnostics` says where.
    ModelInvalid,
    /// A model or report could not be written.
    SaveFailed,
    /// A built-in template is unknown or broken.
    TemplateInvalid,
    /// An import source could not be read; `diagnostics` says where.
    ImportFailed,
    /// An export could not be rendered.
    ExportFailed,
    /// The autosave or recovery file could not be written.
    AutosaveFailed,
    /// The PDF report needs fonts that are not installed.
    FontsMissing,
    /// The PDF report failed for another reason.
    PdfFailed,
    /// A triage decision names no threat of the analysis.
    TriageFailed,
    /// A `.twm` project is being written by another program; try again.
    FileBusy,
    /// A `.twm` project was written by a newer Threatwright; upgrade to open it.
    NewerSchema,
    /// Set by the UI itself when no backend answers (a plain browser); never sent by Rust.
    IpcUnavailable,
}

impl fmt::Display for ErrorCode {
    /// Writes the wire name, e.g. `invalid_input`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => f.write_str(&name),
            _ => Err(fmt::Error),
        }
    }
}

/// One located problem behind an error, in a shape the UI can point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "Located.ts")]
pub struct Located {
    /// The file the problem is in (empty when it is not about a file).
    pub file: String,
    /// 1-based line, or 0 when the problem has no position.
    #[ts(type = "number")]
    pub line: usize,
    /// 1-based column, or 0 when the problem has no position.
    #[ts(type = "number")]
    pub column: usize,
    /// The id of the element, flow or boundary the problem is about, if known.
    pub subject: Option<String>,
    /// The field within the subject (`to`, `properties.timeout`), if known.
    pub field: Option<String>,
    pub message: String,
}

impl From<&Diagnostic> for Located {
    fn from(d: &Diagnostic) -> Self {
        Located {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            subject: None,
            field: None,
            message: d.message.clone(),
        }
    }
}

/// Error returned by Tauri commands; serialized as `{ code, message, diagnostics }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "CommandError.ts")]
pub struct CommandError {
    /// Stable, machine-readable identifier.
    pub code: ErrorCode,
    /// Human-readable explanation, safe to show to the user as plain text.
    pub message: String,
    /// The located problems behind the error, in file order (empty when there are none).
    pub diagnostics: Vec<Located>,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), diagnostics: Vec::new() }
    }

    /// An error whose message summarises `diags` and whose `diagnostics` carry each of them.
    pub fn located(code: ErrorCode, diags: &Diagnostics) -> Self {
        let message = match diags.0.as_slice() {
            [one] => one.to_string(),
            many => {
                format!("{} problems, first: {}", many.len(), many.first().map(|d| d.to_string()).unwrap_or_default())
            }
        };
        let (shown, more) = diags.shown();
        let mut diagnostics: Vec<Located> = shown.iter().map(Located::from).collect();
        if more > 0 {
            diagnostics.push(Located {
                file: String::new(),
                line: 0,
                column: 0,
                subject: None,
                field: None,
                message: format!(
                    "… and {more} more problems (the first {} are shown; fix these and open it again)",
                    shown.len()
                ),
            });
        }
        Self { code, message, diagnostics }
    }

    /// A failed `.twm` project operation: a busy file and a newer schema get their own codes
    /// (the UI can say "retry" or "upgrade"); any other kind gets `otherwise`.
    pub fn store(otherwise: ErrorCode, e: &StoreError) -> Self {
        let code = match e.kind {
            StoreKind::Busy => ErrorCode::FileBusy,
            StoreKind::NewerSchema => ErrorCode::NewerSchema,
            _ => otherwise,
        };
        Self::located(code, &e.diagnostics)
    }

    /// The input sent by the UI was rejected.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// An unexpected failure inside the backend.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CommandError {}

/// Result alias used by all commands.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wire(code: ErrorCode) -> serde_json::Value {
        serde_json::to_value(code).unwrap()
    }

    #[test]
    fn a_file_with_thousands_of_problems_sends_the_first_two_hundred() {
        let diags = Diagnostics((1..=1000).map(|i| Diagnostic::new("m.yaml", i, 1, format!("problem {i}"))).collect());
        let e = CommandError::located(ErrorCode::ModelInvalid, &diags);
        assert_eq!(e.diagnostics.len(), threatwright::diag::MAX_SHOWN + 1);
        assert_eq!(e.diagnostics[threatwright::diag::MAX_SHOWN - 1].message, "problem 200");
        let last = e.diagnostics.last().unwrap();
        assert!(last.message.starts_with("… and 800 more problems"), "{}", last.message);
        assert_eq!((last.line, last.file.as_str()), (0, ""));
        assert!(e.message.starts_with("1000 problems, first: m.yaml:1:1: problem 1"), "{}", e.message);
    }

    #[test]
    fn invalid_input_is_pinned() {
        assert_eq!(wire(ErrorCode::InvalidInput), json!("invalid_input"));
    }
    #[test]
    fn internal_is_pinned() {
        assert_eq!(wire(ErrorCode::Internal), json!("internal"));
    }
    #[test]
    fn catalog_invalid_is_pinned() {
        assert_eq!(wire(ErrorCode::CatalogInvalid), json!("catalog_invalid"));
    }
    #[test]
    fn model_invalid_is_pinned() {
        assert_eq!(wire(ErrorCode::ModelInvalid), json!("model_invalid"));
    }
    #[test]
    fn save_failed_is_pinned() {
        assert_eq!(wire(ErrorCode::SaveFailed), json!("save_failed"));
    }
    #[test]
    fn template_invalid_is_pinned() {
        assert_eq!(wire(ErrorCode::TemplateInvalid), json!("template_invalid"));
    }
    #[test]
    fn import_failed_is_pinned() {
        assert_eq!(wire(ErrorCode::ImportFailed), json!("import_failed"));
    }
    #[test]
    fn export_failed_is_pinned() {
        assert_eq!(wire(ErrorCode::ExportFailed), json!("export_failed"));
    }
    #[test]
    fn autosave_failed_is_pinned() {
        assert_eq!(wire(ErrorCode::AutosaveFailed), json!("autosave_failed"));
    }
    #[test]
    fn fonts_missing_is_pinned() {
        assert_eq!(wire(ErrorCode::FontsMissing), json!("fonts_missing"));
    }
    #[test]
    fn pdf_failed_is_pinned() {
        assert_eq!(wire(ErrorCode::PdfFailed), json!("pdf_failed"));
    }
    #[test]
    fn triage_failed_is_pinned() {
        assert_eq!(wire(ErrorCode::TriageFailed), json!("triage_failed"));
    }
    #[test]
    fn file_busy_is_pinned() {
        assert_eq!(wire(ErrorCode::FileBusy), json!("file_busy"));
    }
    #[test]
    fn newer_schema_is_pinned() {
        assert_eq!(wire(ErrorCode::NewerSchema), json!("newer_schema"));
    }
    #[test]
    fn store_errors_keep_busy_and_newer_schema_apart() {
        let busy = StoreError::new(StoreKind::Busy, "m.twm", "locked by another writer");
        assert_eq!(CommandError::store(ErrorCode::AutosaveFailed, &busy).code, ErrorCode::FileBusy);
        let newer = StoreError::new(StoreKind::NewerSchema, "m.twm", "schema 9");
        assert_eq!(CommandError::store(ErrorCode::ModelInvalid, &newer).code, ErrorCode::NewerSchema);
        let corrupt = StoreError::new(StoreKind::Corrupt, "m.twm", "bad page");
        let err = CommandError::store(ErrorCode::ModelInvalid, &corrupt);
        assert_eq!((err.code, err.diagnostics.len()), (ErrorCode::ModelInvalid, 1));
    }
    #[test]
    fn ipc_unavailable_is_pinned() {
        assert_eq!(wire(ErrorCode::IpcUnavailable), json!("ipc_unavailable"));
    }

    #[test]
    fn serializes_as_code_message_and_diagnostics() {
        let err = CommandError::invalid_input("bad model");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json, json!({ "code": "invalid_input", "message": "bad model", "diagnostics": [] }));
    }

    #[test]
    fn located_errors_carry_every_diagnostic() {
        let diags = Diagnostics(vec![
            Diagnostic::new("m.yaml", 3, 5, "unknown key `nmae`"),
            Diagnostic::new("m.yaml", 9, 1, "flow `f1`: unknown element `db`"),
        ]);
        let err = CommandError::located(ErrorCode::ModelInvalid, &diags);
        assert_eq!(err.message, "2 problems, first: m.yaml:3:5: unknown key `nmae`");
        let json = serde_json::to_value(&err.diagnostics[1]).unwrap();
        assert_eq!(
            json,
            json!({ "file": "m.yaml", "line": 9, "column": 1, "subject": null, "field": null,
                    "message": "flow `f1`: unknown element `db`" })
        );
    }

    #[test]
    fn display_includes_code() {
        assert_eq!(CommandError::internal("x").to_string(), "internal: x");
        assert_eq!(CommandError::new(ErrorCode::FontsMissing, "y").to_string(), "fonts_missing: y");
    }
}
