//! Exports of the current model's analysis in every format the CLI writes (JSON, YAML, CSV,
//! Markdown, SARIF, Threat Dragon, the PDF report) through `export::render`, and the list of
//! import and export formats the UI builds its menus and file dialogs from.

use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use threatwright::engine::{analyze, Options};
use threatwright::export::pdf::{PdfError, PdfOptions};
use threatwright::export::{self, ExportError, Format, RenderInputs, SourceLines};
use threatwright::import::Format as ImportFormat;
use threatwright::Model;
use ts_rs::TS;

use crate::commands::analysis::today;
use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

/// One file format: its IPC name, the label of its dialog filter and its file extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "FormatInfo.ts")]
pub struct FormatInfo {
    /// What `import_file` / `export_file` take, e.g. `threat-dragon`.
    pub name: String,
    pub label: String,
    pub extensions: Vec<String>,
}

/// Every format the app reads and writes, in the core's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "Formats.ts")]
pub struct Formats {
    pub import: Vec<FormatInfo>,
    pub export: Vec<FormatInfo>,
}

/// The formats of `import::Format` and `export::Format`.
#[tauri::command]
pub fn list_formats() -> CommandResult<Formats> {
    let info = |name: &str, label: &str, ext: &[&str]| FormatInfo {
        name: name.into(),
        label: label.into(),
        extensions: ext.iter().map(|e| e.to_string()).collect(),
    };
    Ok(Formats {
        import: ImportFormat::ALL.iter().map(|f| info(f.name(), f.label(), f.extensions())).collect(),
        export: Format::ALL.iter().map(|f| info(f.name(), f.label(), &[f.extension()])).collect(),
    })
}

/// The command error of a failed PDF render, with the core's code and advice.
pub fn pdf_error(e: &PdfError) -> CommandError {
    let code = if matches!(e, PdfError::MissingFont(_)) { ErrorCode::FontsMissing } else { ErrorCode::PdfFailed };
    CommandError::new(code, e.user_message())
}

/// Analyses `model` and renders it in `format`; `source` names the model in SARIF. The font
/// folders of the environment are resolved here, at the edge.
pub fn render(
    catalog: &threatwright::rules::Catalog,
    model: &Model,
    format: Format,
    source: &str,
) -> CommandResult<Vec<u8>> {
    let analysis = analyze(model, catalog, &Options { as_of: today(), ..Options::default() });
    let lines = SourceLines::new();
    let pdf =
        PdfOptions::default().with_environment(std::env::var_os("THREATWRIGHT_FONT_DIR"), std::env::var_os("HOME"));
    let inputs = RenderInputs { catalog, source_uri: source, source_lines: &lines, pdf: &pdf };
    export::render(format, model, &analysis, &inputs).map_err(|e| match e {
        ExportError::Pdf(p) => pdf_error(&p),
    })
}

/// Writes the analysis of `model` in `format` to `path`, on the blocking thread pool.
#[tauri::command]
pub async fn export_file(app: AppHandle, format: Format, path: String, model: Model) -> CommandResult<()> {
    let file = app.state::<AppState>().chosen.check(&path)?;
    super::with_catalog(app, move |catalog| {
        let bytes = render(catalog, &model, format, &model.name)?;
        threatwright::store::write_atomic(&file, &bytes)
            .map_err(|e| CommandError::new(ErrorCode::SaveFailed, format!("{path}: {e}")))
    })
    .await
}

/// The program that opens an exported file: `TW_OPEN_WITH` when set (the end-to-end tests record
/// the call instead of starting a viewer), else the desktop's own opener.
fn opener() -> (String, Vec<String>) {
    if let Some(p) = std::env::var_os("TW_OPEN_WITH").filter(|p| !p.is_empty()) {
        return (p.to_string_lossy().into_owned(), Vec::new());
    }
    if cfg!(target_os = "macos") {
        ("open".into(), Vec::new())
    } else if cfg!(windows) {
        ("cmd".into(), vec!["/C".into(), "start".into(), String::new()])
    } else {
        ("xdg-open".into(), Vec::new())
    }
}

/// Whether `path` names a file of an export format (by its extension): only those are opened.
fn is_export(path: &std::path::Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    Format::ALL.iter().any(|f| name.ends_with(&format!(".{}", f.extension())))
}

/// Opens an exported file with the desktop's viewer for its type ("Open when done"). Only a file
/// the user chose, of an export format, that exists; the viewer runs on its own.
#[tauri::command]
pub async fn open_exported(app: AppHandle, path: String) -> CommandResult<()> {
    let file = app.state::<AppState>().chosen.check(&path)?;
    if !is_export(&file) || !file.is_file() {
        return Err(CommandError::new(ErrorCode::InvalidInput, format!("{path}: not an exported file")));
    }
    let (program, args) = opener();
    std::process::Command::new(&program)
        .args(args)
        .arg(&file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| CommandError::new(ErrorCode::Internal, format!("cannot open {path} with {program}: {e}")))
}

/// Native save dialog for an export in `format`; `None` when cancelled.
#[tauri::command]
pub async fn pick_export_path(app: AppHandle, format: Format, suggested: String) -> CommandResult<Option<String>> {
    let dialog = app
        .dialog()
        .file()
        .set_title(format!("Export {}", format.label()))
        .add_filter(format.label(), &[format.extension()])
        .set_file_name(&suggested);
    Ok(crate::commands::file::chosen(&app, dialog.blocking_save_file().and_then(|p| p.into_path().ok())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn webhook() -> (threatwright::rules::Catalog, Model) {
        let catalog = threatwright::rules::builtin_catalog().unwrap();
        (catalog, threatwright::import::templates::instantiate("aws-webhook-ingest").unwrap())
    }

    #[test]
    fn only_files_of_an_export_format_are_opened() {
        for ok in ["/t/r-report.pdf", "/t/m.sarif", "/t/m.threat-dragon.json", "/t/M.CSV", "/t/m.md"] {
            assert!(is_export(std::path::Path::new(ok)), "{ok}");
        }
        for bad in ["/t/run.sh", "/t/m.exe", "/t/pdf", "/t/m.desktop", "/t/"] {
            assert!(!is_export(std::path::Path::new(bad)), "{bad}");
        }
    }

    #[test]
    fn every_cli_format_is_offered() {
        let formats = list_formats().unwrap();
        let names = |v: &[FormatInfo]| v.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        // Every format of the core's dispatch, which is what the CLI accepts.
        assert_eq!(names(&formats.import), ImportFormat::ALL.map(|f| f.name().to_string()));
        assert_eq!(names(&formats.export), Format::ALL.map(|f| f.name().to_string()));
        for name in ["sam", "serverless", "terraform", "threat-dragon", "otm", "threagile", "threat-composer", "tm7"] {
            assert!(names(&formats.import).iter().any(|n| n == name), "{name} cannot be imported in the app");
        }
        for name in
            ["json", "yaml", "csv", "markdown", "sarif", "threat-dragon", "otm", "threagile", "threat-composer", "pdf"]
        {
            assert!(names(&formats.export).iter().any(|n| n == name), "{name} cannot be exported in the app");
        }
        assert!(formats.export.iter().all(|f| f.extensions.len() == 1 && !f.label.is_empty()));
    }

    #[test]
    fn text_formats_render_what_the_cli_writes() {
        let (catalog, model) = webhook();
        let json: serde_json::Value =
            serde_json::from_slice(&render(&catalog, &model, Format::Json, "m").unwrap()).unwrap();
        assert_eq!(json["model"], serde_json::json!(model.name));
        assert_eq!(json["format_version"], serde_json::json!(threatwright::engine::FORMAT_VERSION));
        let sarif: serde_json::Value =
            serde_json::from_slice(&render(&catalog, &model, Format::Sarif, "m").unwrap()).unwrap();
        assert_eq!(sarif["version"], serde_json::json!("2.1.0"));
        let csv = String::from_utf8(render(&catalog, &model, Format::Csv, "m").unwrap()).unwrap();
        assert!(csv.lines().count() > 1, "{csv}");
        let dragon: serde_json::Value =
            serde_json::from_slice(&render(&catalog, &model, Format::ThreatDragon, "m").unwrap()).unwrap();
        assert!(dragon.get("detail").is_some(), "a Threat Dragon v2 model has a detail section");
    }

    #[test]
    fn pdf_report_renders_with_the_installed_fonts() {
        // DejaVu Sans is a documented dependency of the app (docs ENVIRONMENT, scripts/install-deps.sh).
        let (catalog, model) = webhook();
        let bytes =
            render(&catalog, &model, Format::Pdf, "m").unwrap_or_else(|e| panic!("install fonts-dejavu-core: {e}"));
        assert!(bytes.starts_with(b"%PDF"));
    }

    #[test]
    fn missing_fonts_get_their_own_code_and_advice() {
        let err = pdf_error(&PdfError::MissingFont("DejaVuSans.ttf not found".into()));
        assert_eq!(err.code, ErrorCode::FontsMissing);
        assert!(err.message.contains("DejaVuSans.ttf not found"), "{}", err.message);
        assert!(err.message.contains("apt install fonts-dejavu-core"), "{}", err.message);
        assert_eq!(pdf_error(&PdfError::Font("bad glyph table".into())).code, ErrorCode::PdfFailed);
    }
}
