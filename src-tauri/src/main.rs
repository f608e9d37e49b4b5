//! Binary entry point of the Threatwright desktop app; all wiring lives in `app_lib::run`.
// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    app_lib::run()
}
