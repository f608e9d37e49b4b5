//! The model as temporal rows: one table per entity kind, each row a version
//! of one entity live for a range of revisions (`rev_from` inclusive,
//! `rev_to` exclusive, NULL while current), `data` holding the entity's
//! serde_json. Saving a revision touches only the entities that changed.
//!
//! Lossless by construction: the model is rebuilt from `meta` (the Model's
//! serde_json with its entity lists emptied) and each row's `data`, in `ord`
//! order. The key columns are derived copies for queries, never read back, so
//! a new field of an entity or of `Model` needs no migration.
//! Must not: open files or decide revisions (that is `project`).

use super::db::{fail, fail_as, sql_error};
use crate::model::{Boundary, DataAsset, Element, Flow, Grant, GrantTarget, Model, TriageDecision};
use crate::store::error::{Error, ErrorKind};
use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;

/// An entity kind stored in its own table.
pub trait Entity: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    /// Key columns after `key, rev_from, rev_to, ord`, identity first.
    const COLUMNS: &'static [&'static str];
    /// The values of `COLUMNS`; the first is the identity.
    fn columns(&self) -> Vec<Option<String>>;
    /// Rows one revision may hold: the YAML reader's limits, so a hostile project cannot make
    /// the app load more than a model file could hold.
    const MAX_ROWS: usize = crate::yaml::read::MAX_FLOWS;
}

fn s<T: ToString>(v: T) -> Option<String> {
    Some(v.to_string())
}

impl Entity for Element {
    const TABLE: &'static str = "elements";
    const MAX_ROWS: usize = crate::yaml::read::MAX_ELEMENTS;
    const COLUMNS: &'static [&'static str] = &["id", "name", "kind", "type", "boundary"];
    fn columns(&self) -> Vec<Option<String>> {
        vec![
            s(self.id),
            s(&self.name),
            s(self.kind.as_str()),
            s(&self.vendor_type),
            self.boundary.map(|b| b.to_string()),
        ]
    }
}

impl Entity for Boundary {
    const TABLE: &'static str = "boundaries";
    const COLUMNS: &'static [&'static str] = &["id", "name", "kind", "parent"];
    fn columns(&self) -> Vec<Option<String>> {
        vec![s(self.id), s(&self.name), s(self.kind.as_str()), self.parent.map(|p| p.to_string())]
    }
}

impl Entity for Flow {
    const TABLE: &'static str = "flows";
    const COLUMNS: &'static [&'static str] = &["id", "from_id", "to_id", "label"];
    fn columns(&self) -> Vec<Option<String>> {
        vec![s(self.id), s(self.from), s(self.to), s(&self.label)]
    }
}

impl Entity for DataAsset {
    const TABLE: &'static str = "assets";
    const COLUMNS: &'static [&'static str] = &["id", "name", "classification"];
    fn columns(&self) -> Vec<Option<String>> {
        vec![s(self.id), s(&self.name), s(self.classification.as_str())]
    }
}

impl Entity for Grant {
    const TABLE: &'static str = "grants";
    const COLUMNS: &'static [&'static str] = &["id", "principal", "target_type", "target"];
    fn columns(&self) -> Vec<Option<String>> {
        let (kind, target) = match &self.target {
            GrantTarget::Element(e) => ("element", Some(e.to_string())),
            GrantTarget::Any => ("any", None),
            GrantTarget::Unmodelled(t) => ("unmodelled", Some(t.clone())),
        };
        vec![s(self.id), s(self.principal), s(kind), target]
    }
}

impl Entity for TriageDecision {
    const TABLE: &'static str = "triage";
    const COLUMNS: &'static [&'static str] = &["threat", "rule", "target", "status"];
    fn columns(&self) -> Vec<Option<String>> {
        vec![s(self.threat), s(&self.rule), s(&self.target), s(self.status.as_str())]
    }
}

/// What saving one entity kind changed: the previous `data` of every key
/// that was inserted (`None`), changed or removed. Unchanged keys are absent.
pub type Changes = HashMap<String, Option<String>>;

/// Writes the live set of one entity kind as of revision `rev`: unchanged
/// rows stay, changed ones are closed and re-inserted, removed ones closed.
/// Rows are compared exactly (`ord` and `data`), borrowing SQLite's buffers.
fn sync<T: Entity>(conn: &Connection, items: &[T], rev: i64, label: &str) -> Result<Changes, Error> {
    let err = |e| sql_error(label, e);
    let table = T::TABLE;
    // 1. The new rows, keyed; a half-drawn model may repeat an id: keep every copy, in order.
    let mut rows: Vec<(String, Vec<Option<String>>, String)> = Vec::with_capacity(items.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(items.len());
    let mut repeats: HashMap<String, usize> = HashMap::new();
    for (ord, item) in items.iter().enumerate() {
        let data =
            serde_json::to_string(item).map_err(|e| fail(label, format!("cannot encode {table} #{ord}: {e}")))?;
        let columns = item.columns();
        let mut key = columns[0].clone().unwrap_or_default();
        if index.contains_key(&key) {
            let n = repeats.entry(key.clone()).or_insert(0);
            *n += 1;
            key = format!("{key}#{n}");
        }
        index.insert(key.clone(), ord);
        rows.push((key, columns, data));
    }
    // 2. Compare with the live rows.
    let mut unchanged = vec![false; rows.len()];
    let mut close: Vec<i64> = Vec::new();
    let mut changes = Changes::new();
    {
        let mut stmt = conn
            .prepare_cached(&format!("SELECT key, rowid, ord, data FROM {table} WHERE rev_to IS NULL"))
            .map_err(err)?;
        let mut q = stmt.query([]).map_err(err)?;
        while let Some(r) = q.next().map_err(err)? {
            let key = r.get_ref(0).map_err(err)?.as_str().map_err(|e| err(e.into()))?;
            let data = r.get_ref(3).map_err(err)?.as_str().map_err(|e| err(e.into()))?;
            let ord: i64 = r.get(2).map_err(err)?;
            match index.get(key) {
                Some(&i) if i as i64 == ord && rows[i].2 == data => unchanged[i] = true,
                _ => {
                    close.push(r.get(1).map_err(err)?);
                    changes.insert(key.to_string(), Some(data.to_string()));
                }
            }
        }
    }
    // 3. Close what changed or went, insert what is new or changed.
    let mut closing = conn.prepare_cached(&format!("UPDATE {table} SET rev_to = ?2 WHERE rowid = ?1")).map_err(err)?;
    for rowid in close {
        closing.execute(params![rowid, rev]).map_err(err)?;
    }
    let cols = T::COLUMNS;
    let insert_sql = format!(
        "INSERT INTO {table} (key, rev_from, ord, {}, data) VALUES (?1, ?2, ?3, {}, ?{})",
        cols.join(", "),
        (0..cols.len()).map(|i| format!("?{}", i + 4)).collect::<Vec<_>>().join(", "),
        cols.len() + 4
    );
    let mut insert = conn.prepare_cached(&insert_sql).map_err(err)?;
    for (ord, (key, columns, data)) in rows.iter().enumerate() {
        if unchanged[ord] {
            continue;
        }
        changes.entry(key.clone()).or_insert(None);
        let head: [&dyn rusqlite::ToSql; 3] = [key, &rev, &(ord as i64)];
        let values = head
            .into_iter()
            .chain(columns.iter().map(|c| c as &dyn rusqlite::ToSql))
            .chain([data as &dyn rusqlite::ToSql]);
        insert.execute(rusqlite::params_from_iter(values)).map_err(err)?;
    }
    Ok(changes)
}

/// Reads the entities of one kind live at revision `rev`, in model order.
fn load<T: Entity>(conn: &Connection, rev: i64, latest: bool, label: &str) -> Result<Vec<T>, Error> {
    let err = |e| sql_error(label, e);
    let table = T::TABLE;
    let sql = if latest {
        format!("SELECT data FROM {table} WHERE rev_to IS NULL ORDER BY ord")
    } else {
        format!("SELECT data FROM {table} WHERE rev_from <= ?1 AND (rev_to IS NULL OR rev_to > ?1) ORDER BY ord")
    };
    let mut stmt = conn.prepare_cached(&sql).map_err(err)?;
    let mut q = if latest { stmt.query([]) } else { stmt.query([rev]) }.map_err(err)?;
    let mut out = Vec::new();
    while let Some(r) = q.next().map_err(err)? {
        if out.len() == T::MAX_ROWS {
            return Err(fail(
                label,
                format!(
                    "`{table}` has more than {} rows at revision {rev}, over the limit; refusing to read them",
                    T::MAX_ROWS
                ),
            ));
        }
        let data = r.get_ref(0).map_err(err)?.as_str().map_err(|e| err(e.into()))?;
        let item = serde_json::from_str(data).map_err(|e| {
            fail_as(
                ErrorKind::Corrupt,
                label,
                format!("file is corrupted: a row of {table} at revision {rev} does not decode ({e})"),
            )
        })?;
        out.push(item);
    }
    Ok(out)
}

/// `meta`: the Model's serde_json without its entity lists (new top-level
/// fields travel here with no migration).
pub fn meta_json(model: &Model, label: &str) -> Result<String, Error> {
    let shell = Model {
        assets: Vec::new(),
        boundaries: Vec::new(),
        elements: Vec::new(),
        flows: Vec::new(),
        grants: Vec::new(),
        triage: Vec::new(),
        ..model.clone()
    };
    serde_json::to_string(&shell).map_err(|e| fail(label, format!("cannot encode the model: {e}")))
}

/// Writes revision `rev` of every entity table; returns the triage changes.
pub fn write_model(conn: &Connection, model: &Model, rev: i64, label: &str) -> Result<Changes, Error> {
    sync(conn, &model.assets, rev, label)?;
    sync(conn, &model.boundaries, rev, label)?;
    sync(conn, &model.elements, rev, label)?;
    sync(conn, &model.flows, rev, label)?;
    sync(conn, &model.grants, rev, label)?;
    sync(conn, &model.triage, rev, label)
}

/// Rebuilds the model of revision `rev`.
pub fn load_model(conn: &Connection, rev: i64, label: &str) -> Result<Model, Error> {
    let err = |e| sql_error(label, e);
    let (meta, latest): (String, i64) = conn
        .query_row("SELECT meta, (SELECT MAX(rev) FROM revision) FROM revision WHERE rev = ?1", [rev], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .map_err(err)?
        .ok_or_else(|| fail(label, format!("no revision {rev}")))?;
    let latest = latest == rev;
    let mut model: Model = serde_json::from_str(&meta).map_err(|e| {
        fail_as(ErrorKind::Corrupt, label, format!("file is corrupted: revision {rev} does not decode ({e})"))
    })?;
    model.assets = load(conn, rev, latest, label)?;
    model.boundaries = load(conn, rev, latest, label)?;
    model.elements = load(conn, rev, latest, label)?;
    model.flows = load(conn, rev, latest, label)?;
    model.grants = load(conn, rev, latest, label)?;
    model.triage = load(conn, rev, latest, label)?;
    Ok(model)
}
