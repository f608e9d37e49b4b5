//! Build script: lets tauri-build generate the context (config, capabilities, icons, assets).
fn main() {
    tauri_build::build()
}
