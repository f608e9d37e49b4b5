//! Binary entry point of the Threatwright desktop app; all wiring lives in `app_lib::run`.
// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc, as in the CLI: an analysis allocates millions of small strings and vectors, and
/// glibc's allocator spent a fifth of the app's analysis time in `malloc`/`free`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    app_lib::run()
}
