//! Older model files: `fmt` upgrades the model of each older version of the
//! format (`tests/corpus/migrate/<version>.yaml`, written the way Threatwright
//! wrote that version) to the current one. The rewritten file declares the
//! current version and keeps every element, flow, grant and triage decision of
//! the original, changed only where the upgrade says so; a file of a newer
//! version, or whose version is not one, is refused and left untouched.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use threatwright::model::ids::threat_id;
use threatwright::model::*;
use threatwright::yaml::{self, FORMAT_VERSION};

/// The fixture of `version` copied into a temporary folder, with its version
/// line (`threatwright: 1`, as every version before 2.1 wrote it) replaced by
/// `declared` when given.
fn copy(version: &str, declared: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let text = fs::read_to_string(fixture(version)).unwrap();
    assert!(text.contains("\nthreatwright: 1\n"), "{version}.yaml says `threatwright: 1`, as its writer did");
    let text = match declared {
        Some(d) => text.replace("\nthreatwright: 1\n", &format!("\nthreatwright: {d}\n")),
        None => text,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{version}.yaml"));
    fs::write(&path, text).unwrap();
    (dir, path)
}

fn fixture(version: &str) -> PathBuf {
    root().join(format!("tests/corpus/migrate/{version}.yaml"))
}

/// The model as the file holds it, read without any upgrade (what the
/// version that wrote it saw; a 1.x `function_url` is just a property here).
fn as_written(version: &str) -> Model {
    let text = fs::read_to_string(fixture(version)).unwrap();
    let root = yaml::load(&text, yaml::Limits::default()).unwrap();
    let (model, _, problems) = yaml::read::read(&root);
    assert!(problems.is_empty(), "{version}.yaml reads: {problems:?}");
    model
}

/// Runs `fmt` on a file, which must succeed; returns what it printed on standard error.
fn fmt(path: &Path) -> String {
    let out = run(&["fmt", path.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "fmt {}: {stderr}", path.display());
    stderr
}

/// Reads a rewritten file: it declares the current version, as a string, and
/// reads without an upgrade or a problem.
fn current(path: &Path) -> Model {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(&format!("\nthreatwright: \"{FORMAT_VERSION}\"\n")), "{text}");
    let parsed = yaml::parse(&text, "rewritten.yaml").unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(parsed.version, Some(FORMAT_VERSION));
    assert!(parsed.notes.is_empty(), "a current file needs no upgrade: {:?}", parsed.notes);
    parsed.model
}

/// A rule id and the name of its target.
type RuleAt = (&'static str, &'static str);

/// What an upgrade of one fixture is expected to change.
#[derive(Default)]
struct Expected {
    /// Functions whose `function_url` property goes.
    dropped: &'static [&'static str],
    /// Function URL elements it adds: name, vendor type, `auth`, and the function they invoke.
    added: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// Triage decisions it moves: the rule and target before, the rule and target after.
    moved: &'static [(RuleAt, RuleAt)],
}

/// The rewritten model keeps everything of the original but what `expected` names.
fn assert_upgraded(old: &Model, new: &Model, expected: &Expected) {
    let name = |m: &Model, id: ElementId| m.elements.iter().find(|e| e.id == id).map(|e| e.name.clone());
    assert_eq!((&new.name, &new.description, &new.author), (&old.name, &old.description, &old.author));
    assert_eq!((&new.assets, &new.boundaries, &new.risk), (&old.assets, &old.boundaries, &old.risk));
    // Elements: the same, in the same order and with the same ids, minus the dropped property.
    for (i, before) in old.elements.iter().enumerate() {
        let mut before = before.clone();
        if expected.dropped.contains(&before.name.as_str()) {
            assert!(before.properties.remove("function_url").is_some(), "{} had function_url", before.name);
        }
        assert_eq!(new.elements[i], before);
    }
    let added: Vec<(String, String, Option<Value>, Option<BoundaryId>)> = new.elements[old.elements.len()..]
        .iter()
        .map(|e| (e.name.clone(), e.vendor_type.clone(), e.properties.get("auth").cloned(), e.boundary))
        .collect();
    let want: Vec<(String, String, Option<Value>, Option<BoundaryId>)> = expected
        .added
        .iter()
        .map(|(url, ty, auth, function)| {
            let f = old.elements.iter().find(|e| e.name == *function).unwrap();
            (url.to_string(), ty.to_string(), Some(Value::Str(auth.to_string())), f.boundary)
        })
        .collect();
    assert_eq!(added, want, "the URL elements, each in its function's boundary");
    // Flows: the same, plus one `invoke` flow from each new URL to its function.
    assert_eq!(new.flows[..old.flows.len()], old.flows[..]);
    let invokes: Vec<(Option<String>, Option<String>, &str)> =
        new.flows[old.flows.len()..].iter().map(|f| (name(new, f.from), name(new, f.to), f.label.as_str())).collect();
    let want: Vec<(Option<String>, Option<String>, &str)> =
        expected.added.iter().map(|(url, _, _, f)| (Some(url.to_string()), Some(f.to_string()), "invoke")).collect();
    assert_eq!(invokes, want);
    assert_eq!(new.grants, old.grants);
    // Triage: the same decisions in the same order; a moved one decides the URL rule's threat instead.
    assert_eq!(new.triage.len(), old.triage.len());
    for (before, after) in old.triage.iter().zip(&new.triage) {
        let mut want = before.clone();
        if let Some((_, (rule, target))) =
            expected.moved.iter().find(|((r, t), _)| *r == before.rule && *t == before.target)
        {
            let url = new.elements.iter().find(|e| e.name == *target).expect("the URL element");
            want.threat = threat_id(rule, url.id.0);
            want.rule = rule.to_string();
            want.target = target.to_string();
        }
        assert_eq!(*after, want);
    }
}

/// `fmt` on the fixture as written and on the fixture declaring its own
/// version gives the same file, at the current version, upgraded as expected.
fn check(version: &str, expected: &Expected) -> String {
    let (_dir, path) = copy(version, None);
    let notes = fmt(&path);
    let new = current(&path);
    assert_upgraded(&as_written(version), &new, expected);
    let (_dir2, declared) = copy(version, Some(&format!("\"{version}\"")));
    fmt(&declared);
    assert_eq!(fs::read_to_string(&declared).unwrap(), fs::read_to_string(&path).unwrap(), "declared {version}");
    assert_eq!(fmt(&path), "", "the rewritten file needs no upgrade: fmt is idempotent");
    notes
}

#[test]
fn format_1_0_is_upgraded_by_fmt() {
    let notes = check(
        "1.0",
        &Expected {
            dropped: &["Resize", "Purge cache"],
            added: &[("Resize URL", "aws.lambda_url", "none", "Resize")],
            moved: &[],
        },
    );
    for needle in [
        "1.0.yaml:32:66: warning: function `Resize`: `function_url: none` is now the element `Resize URL` \
         (aws.lambda_url) that invokes it (format 1.0 upgraded to 2.0)",
        "1.0.yaml:36:39: warning: function `Purge cache`: `function_url: disabled` removed (the function has no URL)",
    ] {
        assert!(notes.contains(needle), "missing `{needle}` in:\n{notes}");
    }
    assert_eq!(notes.lines().count(), 2, "{notes}");
}

#[test]
fn format_1_1_is_upgraded_by_fmt_and_its_triage_follows_the_url() {
    let notes = check(
        "1.1",
        &Expected {
            dropped: &["Receive webhook", "Record payment"],
            added: &[
                ("Receive webhook URL", "aws.lambda_url", "none", "Receive webhook"),
                ("Record payment URL", "aws.lambda_url", "iam", "Record payment"),
            ],
            moved: &[(("TW-FN-013", "Receive webhook"), ("TW-API-013", "Receive webhook URL"))],
        },
    );
    assert!(notes.contains("now decides TW-API-013 on `Receive webhook URL`"), "{notes}");
    assert_eq!(notes.lines().count(), 3, "{notes}");
    // The decision the team took on the old rule still holds for the finding that replaced it.
    let (_dir, path) = copy("1.1", None);
    fmt(&path);
    let out = run(&["analyze", path.to_str().unwrap(), "--as-of", "2026-12-05"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let threats = json["threats"].as_array().unwrap();
    let url = threats.iter().find(|t| t["rule"] == "TW-API-013").expect("TW-API-013 fires on the URL");
    assert_eq!((&url["target"]["name"], &url["status"]), (&"Receive webhook URL".into(), &"accepted".into()));
    assert!(json["resolved"].as_array().unwrap().is_empty(), "no decision is left without its threat");
}

#[test]
fn format_2_0_only_changes_its_version_line() {
    let notes = check("2.0", &Expected::default());
    assert_eq!(notes, "", "nothing to upgrade, nothing to say");
    let (_dir, path) = copy("2.0", None);
    fmt(&path);
    let before = fs::read_to_string(fixture("2.0")).unwrap();
    let after = fs::read_to_string(&path).unwrap();
    fn body(t: &str) -> Vec<&str> {
        t.lines().filter(|l| !l.starts_with('#') && !l.starts_with("threatwright:")).collect()
    }
    assert_eq!(body(&after), body(&before), "that version's fmt output is this one's");
}

#[test]
fn fmt_check_reports_an_older_file_as_not_formatted() {
    let (_dir, path) = copy("2.0", None);
    let out = run(&["fmt", "--check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

/// Refused with exit 2 and one located line, by every command, and the file left as it was.
fn assert_refused(declared: &str, message: &str) {
    let (_dir, path) = copy("2.0", Some(declared));
    let before = fs::read_to_string(&path).unwrap();
    let p = path.to_str().unwrap();
    let line = before.lines().position(|l| l.starts_with("threatwright:")).unwrap() + 1;
    for args in [vec!["fmt", p], vec!["validate", p], vec!["analyze", p], vec!["fmt", "--check", p]] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stderr), format!("error: {p}:{line}:15: {message}\n"), "{args:?}");
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), before, "the file is untouched");
}

#[test]
fn a_model_of_a_newer_format_is_refused() {
    let newer =
        "written by a newer Threatwright: format 3.0, this version reads up to 2.2; upgrade Threatwright to open it";
    assert_refused("\"3.0\"", newer);
    assert_refused("3", newer);
    assert_refused("2.3", &newer.replace("3.0", "2.3"));
}

#[test]
fn a_version_that_is_not_one_is_refused() {
    let expected = "threatwright: expected the format version as \"MAJOR.MINOR\", such as \"2.2\"";
    assert_refused("two", &format!("{expected}, found `two`"));
    assert_refused("\"1.x\"", &format!("{expected}, found `1.x`"));
    assert_refused("[2, 1]", &format!("{expected}, found a list"));
    assert_refused("1.5", "threatwright: there is no format version 1.5; the versions are 1.0, 1.1, 2.0, 2.1, 2.2");
}

#[test]
fn a_project_saved_before_2_0_is_upgraded_as_it_is_read() {
    // A .twm does not record its model's format version: one saved by a 1.x
    // build still holds `function_url` on its functions.
    let old = as_written("1.1");
    assert!(old.elements.iter().any(|e| e.properties.contains_key("function_url")), "the 1.1 shape");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.twm");
    threatwright::store::project::save(&path, &old, Some("saved by 0.1"), "tester").unwrap();

    let (model, notes) = threatwright::store::load_model_noted(&path).unwrap_or_else(|d| panic!("{d}"));
    assert!(model.elements.iter().all(|e| !e.properties.contains_key("function_url")));
    let url = model.elements.iter().find(|e| e.name == "Receive webhook URL").expect("the URL element");
    assert_eq!(url.vendor_type, "aws.lambda_url");
    assert!(notes.iter().any(|n| n.message.contains("`Receive webhook URL`")), "{notes:?}");
    assert!(notes.iter().all(|n| n.line == 0), "no line of a file the user has: {notes:?}");
    // The CLI reads it, says what it upgraded, and the team's decision follows the URL.
    let out = run(&["analyze", path.to_str().unwrap(), "--as-of", "2026-12-05"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let threats = json["threats"].as_array().unwrap();
    let decided = threats.iter().find(|t| t["rule"] == "TW-API-013" && t["target"]["name"] == "Receive webhook URL");
    assert_eq!(decided.map(|t| &t["status"]), Some(&"accepted".into()));
    let validate = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(validate.status.code(), Some(0), "{}", text(&validate.stderr));
}
