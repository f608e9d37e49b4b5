//! The model as temporal rows: one table per entity kind, each row a version
//! of one entity live for a range of revisions, `data` holding the entity's
//! serde_json. Saving a revision touches only the entities that changed.
//!
//! Lossless by construction: the model is rebuilt from `meta` (the Model with
//! its lists emptied) and each row's `data`, in `ord` order; the key columns
//! are derived copies for queries and are never read back.

use super::db::{fail, sql_error};
use crate::diag::Diagnostics;
use crate::model::Model;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value as Json;
use std::collections::HashMap;

/// One entity kind: its table and the key columns copied out of the JSON.
pub struct Spec {
    pub table: &'static str,
    /// JSON pointer of the identity (`/id`, `/threat`).
    pub id: &'static str,
    /// (column, JSON pointer) pairs after the identity column.
    pub columns: &'static [(&'static str, &'static str)],
    pub id_column: &'static str,
}

pub const ELEMENTS: Spec = Spec {
    table: "elements",
    id: "/id",
    id_column: "id",
    columns: &[("name", "/name"), ("kind", "/kind"), ("type", "/type"), ("boundary", "/boundary")],
};
pub const BOUNDARIES: Spec = Spec {
    table: "boundaries",
    id: "/id",
    id_column: "id",
    columns: &[("name", "/name"), ("kind", "/kind"), ("parent", "/parent")],
};
pub const FLOWS: Spec =
    Spec { table: "flows", id: "/id", id_column: "id", columns: &[("from_id", "/from"), ("to_id", "/to"), ("label", "/label")] };
pub const ASSETS: Spec =
    Spec { table: "assets", id: "/id", id_column: "id", columns: &[("name", "/name"), ("classification", "/classification")] };
pub const GRANTS: Spec = Spec {
    table: "grants",
    id: "/id",
    id_column: "id",
    columns: &[("principal", "/principal"), ("target_type", "/target/type"), ("target", "/target/value")],
};
pub const TRIAGE: Spec = Spec {
    table: "triage",
    id: "/threat",
    id_column: "threat",
    columns: &[("rule", "/rule"), ("target", "/target"), ("status", "/status")],
};

fn scalar(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A row about to be written: identity key, key columns, canonical JSON.
struct Row {
    key: String,
    id: Option<String>,
    columns: Vec<Option<String>>,
    data: String,
}

fn rows(spec: &Spec, items: Vec<Json>) -> Vec<Row> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(items.len());
    for json in items {
        let id = scalar(json.pointer(spec.id));
        // A half-drawn model may repeat an id; keep every copy, in order.
        let base = id.clone().unwrap_or_else(|| "#".to_string());
        let n = seen.entry(base.clone()).or_insert(0);
        let key = if *n == 0 { base } else { format!("{base}#{n}") };
        *n += 1;
        let columns = spec.columns.iter().map(|(_, p)| scalar(json.pointer(p))).collect();
        let data = serde_json::to_string(&json).expect("a JSON value always encodes");
        out.push(Row { key, id, columns, data });
    }
    out
}

/// Writes the live set of one entity kind as of revision `rev`: unchanged
/// rows stay, changed ones are closed and re-inserted, removed ones closed.
/// Returns the previous live JSON by key (for the triage history).
pub fn sync(
    conn: &Connection,
    spec: &Spec,
    items: Vec<Json>,
    rev: i64,
    label: &str,
) -> Result<HashMap<String, String>, Diagnostics> {
    let err = |e| sql_error(label, e);
    let new_rows = rows(spec, items);
    let mut live: HashMap<String, (i64, String)> = HashMap::new();
    {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT key, ord, data FROM {} WHERE rev_to IS NULL", spec.table)).map_err(err)?;
        let mut q = stmt.query([]).map_err(err)?;
        while let Some(r) = q.next().map_err(err)? {
            live.insert(r.get(0).map_err(err)?, (r.get(1).map_err(err)?, r.get(2).map_err(err)?));
        }
    }
    let cols: Vec<&str> = spec.columns.iter().map(|(c, _)| *c).collect();
    let insert_sql = format!(
        "INSERT INTO {} (key, rev_from, rev_to, ord, {}, {}, data) VALUES (?1, ?2, NULL, ?3, ?4, {}, ?{})",
        spec.table,
        spec.id_column,
        cols.join(", "),
        (0..cols.len()).map(|i| format!("?{}", i + 5)).collect::<Vec<_>>().join(", "),
        cols.len() + 5
    );
    let mut insert = conn.prepare_cached(&insert_sql).map_err(err)?;
    let mut close =
        conn.prepare_cached(&format!("UPDATE {} SET rev_to = ?2 WHERE key = ?1 AND rev_to IS NULL", spec.table)).map_err(err)?;
    let mut still: HashMap<&str, ()> = HashMap::with_capacity(new_rows.len());
    for (ord, row) in new_rows.iter().enumerate() {
        still.insert(&row.key, ());
        match live.get(&row.key) {
            Some((o, d)) if *o == ord as i64 && *d == row.data => continue,
            Some(_) => {
                close.execute(params![row.key, rev]).map_err(err)?;
            }
            None => {}
        }
        let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![
            Box::new(row.key.clone()),
            Box::new(rev),
            Box::new(ord as i64),
            Box::new(row.id.clone()),
        ];
        for c in &row.columns {
            values.push(Box::new(c.clone()));
        }
        values.push(Box::new(row.data.clone()));
        insert.execute(rusqlite::params_from_iter(values.iter())).map_err(err)?;
    }
    for key in live.keys() {
        if !still.contains_key(key.as_str()) {
            close.execute(params![key, rev]).map_err(err)?;
        }
    }
    Ok(live.into_iter().map(|(k, (_, d))| (k, d)).collect())
}

/// Reads the entities of one kind live at revision `rev`, in model order.
fn load(conn: &Connection, spec: &Spec, rev: i64, label: &str) -> Result<Vec<Json>, Diagnostics> {
    let err = |e| sql_error(label, e);
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT data FROM {} WHERE rev_from <= ?1 AND (rev_to IS NULL OR rev_to > ?1) ORDER BY ord",
            spec.table
        ))
        .map_err(err)?;
    let mut q = stmt.query([rev]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(r) = q.next().map_err(err)? {
        let data: String = r.get(0).map_err(err)?;
        let item = serde_json::from_str(&data).map_err(|e| {
            fail(label, format!("file is corrupted: a row of {} at revision {rev} does not decode ({e})", spec.table))
        })?;
        out.push(item);
    }
    Ok(out)
}

/// The entity lists of `Model` (by serde field name) and their tables.
pub const KINDS: [(&str, &Spec); 6] = [
    ("assets", &ASSETS),
    ("boundaries", &BOUNDARIES),
    ("elements", &ELEMENTS),
    ("flows", &FLOWS),
    ("grants", &GRANTS),
    ("triage", &TRIAGE),
];

/// Splits a model into `meta` (the Model's JSON with its entity lists
/// removed: new top-level fields travel here with no migration) and the
/// entity lists, in `KINDS` order.
pub fn split(model: &Model, label: &str) -> Result<(String, Vec<Vec<Json>>), Diagnostics> {
    let mut json = serde_json::to_value(model).map_err(|e| fail(label, format!("cannot encode the model: {e}")))?;
    let obj = json.as_object_mut().ok_or_else(|| fail(label, "cannot encode the model: not an object"))?;
    let lists = KINDS
        .iter()
        .map(|(field, _)| match obj.remove(*field) {
            Some(Json::Array(items)) => items,
            _ => Vec::new(),
        })
        .collect();
    Ok((serde_json::to_string(&json).expect("a JSON value always encodes"), lists))
}

/// Writes revision `rev` of every entity table; returns the previous live
/// triage rows by threat id.
pub fn write_model(
    conn: &Connection,
    lists: Vec<Vec<Json>>,
    rev: i64,
    label: &str,
) -> Result<HashMap<String, String>, Diagnostics> {
    let mut previous_triage = HashMap::new();
    for ((_, spec), items) in KINDS.iter().zip(lists) {
        let prev = sync(conn, spec, items, rev, label)?;
        if spec.table == "triage" {
            previous_triage = prev;
        }
    }
    Ok(previous_triage)
}

/// Rebuilds the model of revision `rev`.
pub fn load_model(conn: &Connection, rev: i64, label: &str) -> Result<Model, Diagnostics> {
    let err = |e| sql_error(label, e);
    let meta: Option<String> =
        conn.query_row("SELECT meta FROM revision WHERE rev = ?1", [rev], |r| r.get(0)).optional().map_err(err)?;
    let meta = meta.ok_or_else(|| fail(label, format!("no revision {rev}")))?;
    let corrupt = |e: serde_json::Error| fail(label, format!("file is corrupted: revision {rev} does not decode ({e})"));
    let mut json: Json = serde_json::from_str(&meta).map_err(corrupt)?;
    let obj = json.as_object_mut().ok_or_else(|| fail(label, format!("file is corrupted: revision {rev} is not an object")))?;
    for (field, spec) in KINDS {
        obj.insert(field.to_string(), Json::Array(load(conn, spec, rev, label)?));
    }
    serde_json::from_value(json).map_err(corrupt)
}
