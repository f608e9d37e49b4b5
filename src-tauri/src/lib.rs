//! Tauri builder for the Threatwright desktop app: registers the IPC commands, the dialog
//! plugin and the app state, and runs the event loop. No business logic lives here — commands
//! are in `commands`, errors in `error`, state in `state`, and the threat-modelling logic in
//! the `threatwright` core crate.

pub mod commands;
pub mod delta;
pub mod error;
pub mod menu;
pub mod paths;
pub mod state;

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod capabilities;

use tauri::Manager;

use commands::{analysis, export, file, layout, project, recovery, revisions, schema, session, triage, window};

/// On Linux, WebKitGTK's accelerated compositing gives canvas nodes their own tiled layers:
/// with a 2,000-element model the web process grew past 20 GB (software GL, as under Xvfb or
/// in a VM) where it stays near 0.6 GB without. It is off unless the user asks for it
/// (`TW_GPU_COMPOSITING=1`) or has set WebKit's own switch. Must run before any thread starts.
fn choose_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("TW_GPU_COMPOSITING").is_none() && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none()
    {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// Builds and runs the Tauri application (blocks until the last window closes).
pub fn run() {
    choose_compositing();
    let startup_path =
        std::env::args_os().nth(1).map(std::path::PathBuf::from).map(|p| std::path::absolute(&p).unwrap_or(p));
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let config = app.path().app_config_dir().ok();
            let recent = config.as_ref().map(|d| d.join("recent.json"));
            let recovery = app.path().app_data_dir().ok().map(|d| d.join("recovery"));
            let mut state = state::AppState::new(startup_path.clone(), recent, recovery);
            state.opening_file = config.map(|d| d.join("opening.json"));
            let recent = file::read_recent(state.recent_file.as_deref());
            app.manage(state);
            menu::install(app.handle(), &recent)?;
            Ok(())
        })
        .on_menu_event(menu::on_event)
        .on_window_event(|w, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                window::on_close_requested(w, api);
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            schema::get_schema,
            analysis::analyze_model,
            analysis::layout_model,
            layout::place_flow_labels,
            file::get_startup,
            file::open_model,
            file::finish_opening,
            file::save_model,
            file::list_recent_files,
            file::pick_open_path,
            file::pick_save_path,
            window::set_document_state,
            window::close_window,
            project::list_templates,
            project::new_from_template,
            project::sample_project,
            export::list_formats,
            project::import_file,
            project::reimport_file,
            project::pick_import_path,
            project::current_user,
            project::os_user_name,
            project::set_user_name,
            project::today_date,
            triage::triage_threat,
            triage::triage_threats,
            recovery::autosave_model,
            recovery::check_recovery,
            recovery::clear_recovery,
            revisions::project_history,
            revisions::compare_revision,
            revisions::load_revision,
            session::session_questions,
            session::session_answer,
            export::export_file,
            export::pick_export_path,
            export::open_exported,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Threatwright application");
}
