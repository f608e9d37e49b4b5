//! Build script: lets tauri-build generate the context (config, capabilities, icons, assets).
//! The app's commands are declared in an app manifest, so each one needs an explicit
//! `allow-<command>` permission in `capabilities/default.json`; nothing is allowed implicitly.
//! `src/capabilities.rs` tests that this list, `generate_handler!` and the capability agree.

/// Every command registered with `tauri::generate_handler!` in `src/lib.rs`, in that order.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_schema",
    "analyze_model",
    "layout_model",
    "place_flow_labels",
    "get_startup",
    "open_model",
    "finish_opening",
    "save_model",
    "list_recent_files",
    "pick_open_path",
    "pick_save_path",
    "set_document_state",
    "close_window",
    "list_templates",
    "new_from_template",
    "sample_project",
    "list_formats",
    "import_file",
    "reimport_file",
    "pick_import_path",
    "current_user",
    "os_user_name",
    "set_user_name",
    "today_date",
    "triage_threat",
    "triage_threats",
    "autosave_model",
    "check_recovery",
    "clear_recovery",
    "project_history",
    "compare_revision",
    "load_revision",
    "session_questions",
    "session_answer",
    "export_file",
    "pick_export_path",
    "open_exported",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("failed to run tauri-build");
}
