//! Guards for the app's security configuration: every registered command has exactly one
//! `allow-<command>` permission in the capability (and the capability allows nothing else of
//! the app's), and the content security policy stays strict. These read the source files as
//! text, so they fail before a build would silently allow or deny a command.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn read(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(rel: &str) -> serde_json::Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The command names inside `tauri::generate_handler![...]` in lib.rs (last path segment).
fn registered_commands() -> Vec<String> {
    let lib = read("src/lib.rs");
    let start = lib.find("generate_handler![").expect("lib.rs registers commands with generate_handler!");
    let body = &lib[start + "generate_handler![".len()..];
    let body = &body[..body.find(']').expect("generate_handler! is closed")];
    body.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.rsplit("::").next().unwrap_or(s).to_string())
        .collect()
}

/// The names in build.rs's `COMMANDS` list (what the app manifest declares).
fn declared_commands() -> Vec<String> {
    let build = read("build.rs");
    let head = "const COMMANDS: &[&str] = &[";
    let start = build.find(head).expect("build.rs declares COMMANDS") + head.len();
    let body = &build[start..];
    let body = &body[..body.find("];").expect("COMMANDS is closed")];
    body.split(',').map(|s| s.trim().trim_matches('"').to_string()).filter(|s| !s.is_empty()).collect()
}

#[test]
fn every_registered_command_is_declared_and_allowed_and_nothing_else() {
    let registered = registered_commands();
    assert!(registered.len() >= 20, "parsed only {registered:?}");
    let declared = declared_commands();
    assert_eq!(registered, declared, "build.rs must declare the commands of generate_handler!, in order");
    let commands = declared;
    let cap = json("capabilities/default.json");
    let granted: BTreeSet<String> = cap["permissions"]
        .as_array()
        .expect("permissions is a list")
        .iter()
        .map(|p| p.as_str().expect("permissions are plain identifiers").to_string())
        .collect();
    let app_granted: BTreeSet<String> = granted.iter().filter(|p| p.starts_with("allow-")).cloned().collect();
    let wanted: BTreeSet<String> = commands.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert_eq!(app_granted, wanted, "capabilities/default.json must allow exactly the registered commands");
    let others: Vec<&String> = granted.iter().filter(|p| !p.starts_with("allow-")).collect();
    assert_eq!(others, ["core:default"], "only core defaults beside the app's own commands");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
}

#[test]
fn build_script_declares_the_command_list() {
    assert!(read("build.rs").contains("AppManifest::new().commands(COMMANDS)"), "build.rs must declare the commands");
}

/// Splits a CSP into `directive -> sources`.
fn directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut words = d.split_whitespace().map(String::from);
            (words.next().unwrap_or_default(), words.collect())
        })
        .collect()
}

/// Every way `csp` is looser than the app needs; empty when it is strict.
fn csp_problems(csp: &str) -> Vec<String> {
    let dirs = directives(csp);
    let get = |name: &str| dirs.iter().find(|(n, _)| n == name).map(|(_, s)| s.clone());
    let mut problems = Vec::new();
    for (name, want) in [("default-src", "'self'"), ("script-src", "'self'"), ("object-src", "'none'")] {
        if get(name) != Some(vec![want.to_string()]) {
            problems.push(format!("{name} must be exactly {want}"));
        }
    }
    for (name, sources) in &dirs {
        for s in sources {
            let remote = s.starts_with("http:") || s.starts_with("https:") || s.starts_with("ws");
            let ipc = name == "connect-src" && s == "http://ipc.localhost";
            if s.contains("unsafe-") || s.contains('*') || (remote && !ipc) {
                problems.push(format!("{name} allows {s}"));
            }
        }
    }
    problems
}

#[test]
fn content_security_policy_stays_strict() {
    let conf = json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"].as_str().expect("tauri.conf.json sets a CSP string");
    assert_eq!(csp_problems(csp), Vec::<String>::new(), "{csp}");
    assert!(conf["app"]["security"].get("dangerousDisableAssetCspModification").is_none());
    assert_eq!(conf["app"]["withGlobalTauri"], serde_json::json!(false), "no global Tauri object");
}

#[test]
fn the_csp_check_rejects_loose_policies() {
    let loose = "default-src 'self'; script-src 'self' 'unsafe-eval' https://cdn.example; style-src *";
    assert_eq!(
        csp_problems(loose),
        [
            "script-src must be exactly 'self'",
            "object-src must be exactly 'none'",
            "script-src allows 'unsafe-eval'",
            "script-src allows https://cdn.example",
            "style-src allows *"
        ]
    );
}

/// Plugins whose presence alone would widen what the web view can reach.
const RISKY_PLUGINS: &[&str] = &["shell", "fs", "http", "process", "opener", "updater", "websocket", "sql"];

/// Every way the app's plugins, capabilities and windows reach beyond the app itself: a risky
/// plugin in `Cargo.toml`, a permission of one, a capability for remote URLs, a window or
/// frontend loaded from the network.
fn surface_problems(
    cargo_toml: &str,
    capabilities: &[(String, serde_json::Value)],
    conf: &serde_json::Value,
) -> Vec<String> {
    let mut problems = Vec::new();
    for p in RISKY_PLUGINS {
        if cargo_toml.lines().any(|l| l.trim_start().starts_with(&format!("tauri-plugin-{p}"))) {
            problems.push(format!("Cargo.toml depends on tauri-plugin-{p}"));
        }
    }
    for (name, cap) in capabilities {
        if cap.get("remote").is_some() {
            problems.push(format!("{name} grants remote URLs"));
        }
        for perm in cap["permissions"].as_array().into_iter().flatten() {
            let id = perm.as_str().or_else(|| perm["identifier"].as_str()).unwrap_or_default();
            if RISKY_PLUGINS.iter().any(|p| id.starts_with(&format!("{p}:"))) || perm.get("allow").is_some() {
                problems.push(format!("{name} grants {perm}"));
            }
        }
    }
    for w in conf["app"]["windows"].as_array().into_iter().flatten() {
        if w["url"].as_str().is_some_and(|u| u.contains("://")) {
            problems.push(format!("window {} loads {}", w["label"], w["url"]));
        }
    }
    if conf["build"]["frontendDist"].as_str().is_some_and(|u| u.contains("://")) {
        problems.push("the frontend is loaded from the network".into());
    }
    if conf["app"]["security"].get("capabilities").is_some() {
        problems.push("capabilities are declared inline in tauri.conf.json, outside this check".into());
    }
    problems
}

#[test]
fn no_plugin_capability_or_window_reaches_beyond_the_app() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let caps: Vec<(String, serde_json::Value)> = std::fs::read_dir(&dir)
        .expect("capabilities/ exists")
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().to_string())
        .map(|n| (n.clone(), json(&format!("capabilities/{n}"))))
        .collect();
    assert_eq!(caps.len(), 1, "one capability file, checked above");
    assert_eq!(surface_problems(&read("Cargo.toml"), &caps, &json("tauri.conf.json")), Vec::<String>::new());
}

#[test]
fn the_surface_check_rejects_plugins_remote_urls_and_scoped_grants() {
    let cargo = "[dependencies]\ntauri = \"2\"\ntauri-plugin-shell = \"2\"\n";
    let cap = serde_json::json!({
        "remote": { "urls": ["https://*.example.com"] },
        "permissions": ["core:default", "fs:allow-read-file", { "identifier": "http:default", "allow": [{ "url": "https://*" }] }]
    });
    let conf =
        serde_json::json!({ "app": { "windows": [{ "label": "main", "url": "https://evil.example" }] }, "build": {} });
    let problems = surface_problems(cargo, &[("evil.json".into(), cap)], &conf);
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(problems[0].contains("tauri-plugin-shell") && problems[1].contains("remote URLs"));
    assert!(problems[2].contains("fs:allow-read-file") && problems[3].contains("http:default"));
    assert!(problems[4].contains("https://evil.example"));
}
