//! The `.twm` project file: SQLite as the application file format.
//!
//! One file holds the model's history as named revisions (every explicit save
//! is one; autosaves are kept apart and pruned), the triage history (who,
//! when, from → to, note), settings and the editor layout. Each save is one
//! transaction in WAL mode with full sync, so a crash or `kill -9` leaves the
//! last committed revision intact; readers never block; a second writer waits
//! up to two seconds and then gets "file is busy".
//!
//! Schema: see `src/store/migrations/*.sql` (`PRAGMA user_version` is the
//! number of migrations applied, `PRAGMA application_id` is
//! [`APPLICATION_ID`]). Entities are rows of `data` JSON plus derived key
//! columns, so new fields of an entity or of `Model` need no migration.
//!
//! Must not: parse YAML (that is `yaml`), hold domain logic, panic on any file.

mod db;
mod tables;

pub use db::{create_at_version, APPLICATION_ID, BUSY_TIMEOUT, MIGRATIONS, SCHEMA_VERSION};

use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::triage::TriageOutcome;
use crate::model::{validate, Model, Subject, TriageDecision, TriageStatus};
use crate::store::error::{Error, ErrorKind};
use db::{fail, fail_as, sql_error, Db};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use std::path::Path;

/// File extension of project files.
pub const EXTENSION: &str = "twm";

/// Autosaves kept per file; older ones are pruned on every autosave.
pub const AUTOSAVE_KEEP: i64 = 10;

/// Whether `path` names a project file (by extension, case-insensitive).
pub fn is_project(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

/// One named revision, as listed by `threatwright revisions`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RevisionInfo {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub number: u64,
    /// ISO 8601 UTC.
    pub date: String,
    pub author: String,
    pub message: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elements: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub flows: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub boundaries: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub grants: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub assets: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub triage: u64,
}

/// One change of a triage decision.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriageHistoryEntry {
    /// Revision that made the change.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub revision: u64,
    pub threat: uuid::Uuid,
    pub rule: String,
    pub target: String,
    pub who: String,
    /// ISO 8601 UTC.
    pub at: String,
    /// `None`: there was no decision before.
    pub from: Option<TriageStatus>,
    /// `None`: the decision was removed.
    pub to: Option<TriageStatus>,
    pub note: String,
}

/// An autosaved model, newer than the latest revision it was based on.
#[derive(Clone, Debug, PartialEq)]
pub struct Autosave {
    pub seq: u64,
    pub created_at: String,
    /// Latest revision when it was taken (0: none yet).
    pub base_revision: u64,
    pub model: Model,
}

/// Now, as ISO 8601 UTC to the second.
fn now() -> String {
    crate::clock::now()
}

fn latest_rev(conn: &Connection, label: &str) -> Result<i64, Error> {
    conn.query_row("SELECT COALESCE(MAX(rev), 0) FROM revision", [], |r| r.get(0)).map_err(|e| sql_error(label, e))
}

fn resolve_rev(conn: &Connection, label: &str, rev: &str) -> Result<i64, Error> {
    let latest = latest_rev(conn, label)?;
    if latest == 0 {
        return Err(fail(label, "the project has no saved revision yet"));
    }
    let wanted = rev.trim();
    if wanted.eq_ignore_ascii_case("latest") {
        return Ok(latest);
    }
    match wanted.parse::<i64>() {
        Ok(n) if (1..=latest).contains(&n) => Ok(n),
        Ok(n) => Err(fail(label, format!("no revision {n} (the file has revisions 1 to {latest})"))),
        Err(_) => Err(fail(label, format!("expected a revision number or `latest`, found `{rev}`"))),
    }
}

/// Writes `model` as a new revision inside the caller's transaction, with a
/// triage history row for every decision that changed. Returns its number.
fn write_revision(conn: &Connection, label: &str, model: &Model, author: &str, message: &str) -> Result<i64, Error> {
    let err = |e| sql_error(label, e);
    let meta = tables::meta_json(model, label)?;
    let rev = latest_rev(conn, label)? + 1;
    let at = now();
    conn.execute(
        "INSERT INTO revision (rev, created_at, author, message, meta, elements, flows, boundaries, grants, assets, triage)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            rev,
            at,
            author,
            message,
            meta,
            model.elements.len() as i64,
            model.flows.len() as i64,
            model.boundaries.len() as i64,
            model.grants.len() as i64,
            model.assets.len() as i64,
            model.triage.len() as i64
        ],
    )
    .map_err(err)?;
    let changes = tables::write_model(conn, model, rev, label)?;
    let mut history = conn
        .prepare_cached(
            "INSERT INTO triage_history (rev, threat, rule, target, who, at, from_status, to_status, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .map_err(err)?;
    // Only decisions whose row changed; a moved row with the same status and
    // note is not a decision.
    let mut keys: Vec<&String> = changes.keys().filter(|k| !k.contains('#')).collect();
    keys.sort();
    for key in keys {
        let before = changes[key].as_deref().and_then(|d| serde_json::from_str::<TriageDecision>(d).ok());
        let after = model.triage.iter().find(|d| d.threat.to_string() == *key);
        let same = match (&before, after) {
            (Some(b), Some(a)) => b.status == a.status && b.note == a.note,
            (None, None) => true,
            _ => false,
        };
        if same {
            continue;
        }
        let (rule, target, note) = match (after, &before) {
            (Some(a), _) => (&a.rule, &a.target, a.note.as_str()),
            (None, Some(b)) => (&b.rule, &b.target, ""),
            (None, None) => continue,
        };
        history
            .execute(params![
                rev,
                key,
                rule,
                target,
                author,
                at,
                before.as_ref().map(|b| b.status.as_str()),
                after.map(|a| a.status.as_str()),
                note
            ])
            .map_err(err)?;
    }
    Ok(rev)
}

/// Runs `f` in one immediate (write-locking) transaction on a project opened
/// for writing; nothing is written unless `f` succeeds.
fn with_write<T>(path: &Path, create: bool, f: impl FnOnce(&Connection, &str) -> Result<T, Error>) -> Result<T, Error> {
    with_write_waiting(path, create, db::BUSY_TIMEOUT, f)
}

/// [`with_write`] waiting up to `busy_timeout` for another writer.
fn with_write_waiting<T>(
    path: &Path,
    create: bool,
    busy_timeout: std::time::Duration,
    f: impl FnOnce(&Connection, &str) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut db: Db = db::open_write(path, create, busy_timeout)?;
    let label = db.label.clone();
    let tx = db.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| {
        if db::is_busy(&e) {
            db::busy(&label, busy_timeout)
        } else {
            sql_error(&label, e)
        }
    })?;
    let out = f(&tx, &label)?;
    tx.commit().map_err(|e| sql_error(&label, e))?;
    Ok(out)
}

/// Opens a project: the model of its latest revision (not validated, so a
/// half-drawn model opens as it was saved).
pub fn open(path: &Path) -> Result<Model, Error> {
    load_revision(path, "latest")
}

/// The model of one revision: a number, or `latest`.
pub fn load_revision(path: &Path, rev: &str) -> Result<Model, Error> {
    let db = db::open_read(path)?;
    let n = resolve_rev(&db.conn, &db.label, rev)?;
    tables::load_model(&db.conn, n, &db.label)
}

/// Opens the latest revision and validates it like a YAML model; what
/// `store::load_model` does for `.twm` files.
pub fn load_validated(path: &Path) -> Result<Model, Error> {
    load_validated_noted(path).map(|(model, _)| model)
}

/// [`load_validated`], with a note per change when the model was saved in an
/// older format and upgraded as it was read (see [`upgraded`]).
pub fn load_validated_noted(path: &Path) -> Result<(Model, Vec<Diagnostic>), Error> {
    let model = open(path)?;
    let label = path.display().to_string();
    let problems = validate(&model);
    if problems.is_empty() {
        return Ok((model, Vec::new()));
    }
    if let Some(up) = upgraded(&model, &label) {
        return Ok(up);
    }
    // Names by id, built once: a lookup per problem made a project of 60,000 invalid elements
    // take minutes to report.
    let names: std::collections::HashMap<_, &str> = (model.elements.iter().map(|e| (e.id.0, e.name.as_str())))
        .chain(model.boundaries.iter().map(|b| (b.id.0, b.name.as_str())))
        .chain(model.assets.iter().map(|a| (a.id.0, a.name.as_str())))
        .collect();
    let named =
        |what: &str, id| format!("{what} `{}`", names.get(&id).map_or_else(|| id.to_string(), |n| n.to_string()));
    let name = |s: Subject| -> String {
        match s {
            Subject::Model => "model".into(),
            Subject::Element(id) => named("element", id),
            Subject::Boundary(id) => named("boundary", id),
            Subject::Asset(id) => named("data asset", id),
            Subject::Flow(id) => format!("flow {id}"),
            Subject::Grant(id) => format!("grant {id}"),
        }
    };
    Err(Error::from(Diagnostics(
        problems
            .into_iter()
            .map(|p| {
                let field = p.field.map(|f| format!(" `{f}`")).unwrap_or_default();
                Diagnostic::new(&label, 0, 0, format!("{}{field}: {}", name(p.subject), p.message))
            })
            .collect(),
    )))
}

/// A project does not record the format version of the model it holds, so a
/// model saved before a breaking change of the format (2.0: `function_url`)
/// fails validation as it stands. Written out as YAML that declares the oldest
/// version, it runs through every upgrade step — each changes only the old
/// shape it replaces — exactly as an old model file does; `None` when that
/// does not make it valid either (then its problems are reported as they are).
fn upgraded(model: &Model, label: &str) -> Option<(Model, Vec<Diagnostic>)> {
    use crate::yaml::{migrate, FORMAT_VERSION};
    let text = crate::yaml::to_string(model);
    let declared = format!("threatwright: \"{FORMAT_VERSION}\"");
    if !text.contains(&declared) {
        return None;
    }
    let text = text.replacen(&declared, &format!("threatwright: \"{}\"", migrate::OLDEST), 1);
    let parsed = crate::yaml::parse(&text, label).ok()?;
    // The notes' lines are those of the YAML written here, not of anything the user has.
    let notes = parsed.notes.into_iter().map(|n| Diagnostic::new(label, 0, 0, n.message)).collect();
    Some((parsed.model, notes))
}

/// Saves `model` as a new named revision by `author` (creating the file if
/// needed) and returns its number. The caller resolves the author once at
/// its edge (`store::current_user`).
pub fn save(path: &Path, model: &Model, message: Option<&str>, author: &str) -> Result<u64, Error> {
    save_waiting(path, model, message, author, db::BUSY_TIMEOUT)
}

/// [`save`], waiting up to `busy_timeout` (instead of [`BUSY_TIMEOUT`])
/// for another writer before reporting "file is busy".
pub fn save_waiting(
    path: &Path,
    model: &Model,
    message: Option<&str>,
    author: &str,
    busy_timeout: std::time::Duration,
) -> Result<u64, Error> {
    let message = message.map(str::trim).filter(|m| !m.is_empty()).unwrap_or("saved");
    with_write_waiting(path, true, busy_timeout, |conn, label| write_revision(conn, label, model, author, message))
        .map(|r| r as u64)
}

/// Stores an autosave (not a revision), keeping the last [`AUTOSAVE_KEEP`].
pub fn autosave(path: &Path, model: &Model) -> Result<(), Error> {
    let json = serde_json::to_string(model)
        .map_err(|e| fail(&path.display().to_string(), format!("cannot encode the model: {e}")))?;
    with_write(path, true, |conn, label| {
        let err = |e| sql_error(label, e);
        let base = latest_rev(conn, label)?;
        conn.execute(
            "INSERT INTO autosave (created_at, base_rev, model) VALUES (?1, ?2, ?3)",
            params![now(), base, json],
        )
        .map_err(err)?;
        conn.execute("DELETE FROM autosave WHERE seq <= (SELECT MAX(seq) FROM autosave) - ?1", [AUTOSAVE_KEEP])
            .map_err(err)?;
        Ok(())
    })
}

/// The newest autosave when it is newer than the latest revision (what the
/// desktop app offers to recover after a crash), else `None`.
pub fn recoverable_autosave(path: &Path) -> Result<Option<Autosave>, Error> {
    let db = db::open_read(path)?;
    if db.version < 2 {
        return Ok(None);
    }
    let label = &db.label;
    let latest = latest_rev(&db.conn, label)?;
    let row: Option<(i64, String, i64, String)> = db
        .conn
        .query_row("SELECT seq, created_at, base_rev, model FROM autosave ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()
        .map_err(|e| sql_error(label, e))?;
    match row {
        Some((seq, created_at, base, json)) if base >= latest => {
            let model = serde_json::from_str(&json).map_err(|e| {
                fail_as(ErrorKind::Corrupt, label, format!("file is corrupted: autosave {seq} does not decode ({e})"))
            })?;
            Ok(Some(Autosave { seq: seq as u64, created_at, base_revision: base as u64, model }))
        }
        _ => Ok(None),
    }
}

/// Applies one triage outcome (`engine::triage::record`) to the latest
/// model as a new revision (replacing, or for a cleared decision removing,
/// any decision on the same threat) and records the change.
pub fn record_triage(path: &Path, outcome: &TriageOutcome, who: &str) -> Result<(), Error> {
    with_write(path, false, |conn, label| {
        let latest = latest_rev(conn, label)?;
        if latest == 0 {
            return Err(fail(label, "the project has no saved revision yet"));
        }
        let mut model = tables::load_model(conn, latest, label)?;
        let from = crate::engine::triage::apply(&mut model.triage, outcome.threat, outcome.decision.clone());
        let to = outcome.decision.as_ref().map_or("none", |d| d.status.as_str());
        let message =
            format!("triage {} on {}: {} → {to}", outcome.rule, outcome.target, from.map_or("none", |s| s.as_str()),);
        write_revision(conn, label, &model, who, &message).map(|_| ())
    })
}

/// Every change of every triage decision, oldest first.
pub fn triage_history(path: &Path) -> Result<Vec<TriageHistoryEntry>, Error> {
    let db = db::open_read(path)?;
    let label = &db.label;
    let err = |e| sql_error(label, e);
    let mut stmt = db
        .conn
        .prepare(
            "SELECT rev, threat, rule, target, who, at, from_status, to_status, note FROM triage_history ORDER BY seq",
        )
        .map_err(err)?;
    let mut q = stmt.query([]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(r) = q.next().map_err(err)? {
        let threat: String = r.get(1).map_err(err)?;
        let status = |s: Option<String>| s.and_then(|s| TriageStatus::parse(&s));
        out.push(TriageHistoryEntry {
            revision: r.get::<_, i64>(0).map_err(err)? as u64,
            threat: uuid::Uuid::parse_str(&threat).map_err(|_| {
                fail_as(ErrorKind::Corrupt, label, format!("file is corrupted: triage history names threat `{threat}`"))
            })?,
            rule: r.get(2).map_err(err)?,
            target: r.get(3).map_err(err)?,
            who: r.get(4).map_err(err)?,
            at: r.get(5).map_err(err)?,
            from: status(r.get(6).map_err(err)?),
            to: status(r.get(7).map_err(err)?),
            note: r.get(8).map_err(err)?,
        });
    }
    Ok(out)
}

/// Every named revision, oldest first.
pub fn revisions(path: &Path) -> Result<Vec<RevisionInfo>, Error> {
    let db = db::open_read(path)?;
    let label = &db.label;
    let err = |e| sql_error(label, e);
    let mut stmt = db
        .conn
        .prepare(
            "SELECT rev, created_at, author, message, elements, flows, boundaries, grants, assets, triage FROM revision ORDER BY rev",
        )
        .map_err(err)?;
    let rows = stmt
        .query_map([], |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
            Ok(RevisionInfo {
                number: n(0)?,
                date: r.get(1)?,
                author: r.get(2)?,
                message: r.get(3)?,
                elements: n(4)?,
                flows: n(5)?,
                boundaries: n(6)?,
                grants: n(7)?,
                assets: n(8)?,
                triage: n(9)?,
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(err)?;
    Ok(rows)
}

fn get_doc(path: &Path, table: &str) -> Result<serde_json::Value, Error> {
    let db = db::open_read(path)?;
    if db.version < 2 {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    let label = &db.label;
    let text: Option<String> = db
        .conn
        .query_row(&format!("SELECT data FROM {table} WHERE id = 1"), [], |r| r.get(0))
        .optional()
        .map_err(|e| sql_error(label, e))?;
    match text {
        None => Ok(serde_json::Value::Object(Default::default())),
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| fail_as(ErrorKind::Corrupt, label, format!("file is corrupted: {table} do not decode ({e})"))),
    }
}

fn set_doc(path: &Path, table: &str, value: &serde_json::Value) -> Result<(), Error> {
    with_write(path, true, |conn, label| {
        conn.execute(&format!("INSERT OR REPLACE INTO {table} (id, data) VALUES (1, ?1)"), [value.to_string()])
            .map(|_| ())
            .map_err(|e| sql_error(label, e))
    })
}

/// Project settings (risk matrix, disabled rules, custom rule folders) as
/// one JSON object; `{}` when none were stored.
pub fn settings(path: &Path) -> Result<serde_json::Value, Error> {
    get_doc(path, "settings")
}

/// Replaces the project settings (not a revision).
pub fn set_settings(path: &Path, value: &serde_json::Value) -> Result<(), Error> {
    set_doc(path, "settings", value)
}

/// Editor view state (viewport, zoom, panels) as one JSON object.
pub fn layout(path: &Path) -> Result<serde_json::Value, Error> {
    get_doc(path, "layout")
}

/// Replaces the editor view state (not a revision).
pub fn set_layout(path: &Path, value: &serde_json::Value) -> Result<(), Error> {
    set_doc(path, "layout", value)
}

/// Opens a project read-only and checks it (identity, integrity); what
/// `validate` relies on to report a damaged file.
pub fn check(path: &Path) -> Result<(), Error> {
    db::open_read(path).map(|_| ())
}

fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Converts between YAML and a project file, by extension. YAML → `.twm`
/// adds a revision "imported from NAME" (revision 1 of a new file); `.twm` →
/// YAML writes revision `rev` (`latest` by default) atomically. Returns a
/// one-line summary.
pub fn convert(input: &Path, output: &Path, rev: &str, author: &str) -> Result<String, Error> {
    let out_label = output.display().to_string();
    if is_yaml(input) && is_project(output) {
        let model = crate::store::load_model(input)?;
        let source =
            input.file_name().map_or_else(|| input.display().to_string(), |n| n.to_string_lossy().into_owned());
        let n = save(output, &model, Some(&format!("imported from {source}")), author)?;
        Ok(format!("{out_label}: revision {n} ({} elements, {} flows)", model.elements.len(), model.flows.len()))
    } else if is_project(input) && is_yaml(output) {
        let model = load_revision(input, rev)?;
        crate::store::write_atomic(output, crate::yaml::to_string(&model).as_bytes())
            .map_err(|e| fail_as(ErrorKind::Io, &out_label, format!("cannot write: {e}")))?;
        Ok(format!("{out_label}: written ({} elements, {} flows)", model.elements.len(), model.flows.len()))
    } else {
        Err(fail(
            &input.display().to_string(),
            format!("cannot convert to {out_label}: expected one .yaml/.yml and one .{EXTENSION} file (chosen by extension)"),
        ))
    }
}
