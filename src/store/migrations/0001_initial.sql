-- Schema 1: the model as temporal rows, named revisions, triage history.
--
-- Every entity table has the same shape: `key` (the entity id, `#n`-suffixed
-- when a half-drawn model repeats one), the revision range in which this
-- version of the row is live (`rev_from` inclusive, `rev_to` exclusive, NULL
-- while it is current), its position in the model's list (`ord`), a few key
-- columns for queries and `data`, the serde_json of the whole entity. `data` is
-- authoritative: new fields of an entity need no migration. Rows change only
-- when the entity does, so a revision costs what it changed. Plain rowid
-- tables: `data` rows are too large for WITHOUT ROWID to pay off.

CREATE TABLE revision (
    rev        INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,           -- ISO 8601 UTC
    author     TEXT NOT NULL,
    message    TEXT NOT NULL,
    meta       TEXT NOT NULL,           -- serde_json of the Model with its entity lists emptied
    elements   INTEGER NOT NULL,
    flows      INTEGER NOT NULL,
    boundaries INTEGER NOT NULL,
    grants     INTEGER NOT NULL,
    assets     INTEGER NOT NULL,
    triage     INTEGER NOT NULL
);

CREATE TABLE elements (
    key TEXT NOT NULL, rev_from INTEGER NOT NULL, rev_to INTEGER, ord INTEGER NOT NULL,
    id TEXT, name TEXT, kind TEXT, type TEXT, boundary TEXT,
    data TEXT NOT NULL
);
CREATE INDEX elements_live ON elements (ord) WHERE rev_to IS NULL;

CREATE TABLE boundaries (
    key TEXT NOT NULL, rev_from INTEGER NOT NULL, rev_to INTEGER, ord INTEGER NOT NULL,
    id TEXT, name TEXT, kind TEXT, parent TEXT,
    data TEXT NOT NULL
);
CREATE INDEX boundaries_live ON boundaries (ord) WHERE rev_to IS NULL;

CREATE TABLE flows (
    key TEXT NOT NULL, rev_from INTEGER NOT NULL, rev_to INTEGER, ord INTEGER NOT NULL,
    id TEXT, from_id TEXT, to_id TEXT, label TEXT,
    data TEXT NOT NULL
);
CREATE INDEX flows_live ON flows (ord) WHERE rev_to IS NULL;

CREATE TABLE assets (
    key TEXT NOT NULL, rev_from INTEGER NOT NULL, rev_to INTEGER, ord INTEGER NOT NULL,
    id TEXT, name TEXT, classification TEXT,
    data TEXT NOT NULL
);
CREATE INDEX assets_live ON assets (ord) WHERE rev_to IS NULL;

CREATE TABLE grants (
    key TEXT NOT NULL, rev_from INTEGER NOT NULL, rev_to INTEGER, ord INTEGER NOT NULL,
    id TEXT, principal TEXT, target_type TEXT, target TEXT,
    data TEXT NOT NULL
);
CREATE INDEX grants_live ON grants (ord) WHERE rev_to IS NULL;

-- Current triage decisions (keyed by the stable threat id), versioned like the entities.
CREATE TABLE triage (
    key TEXT NOT NULL, rev_from INTEGER NOT NULL, rev_to INTEGER, ord INTEGER NOT NULL,
    threat TEXT, rule TEXT, target TEXT, status TEXT,
    data TEXT NOT NULL
);
CREATE INDEX triage_live ON triage (ord) WHERE rev_to IS NULL;

-- Append-only: every change of a decision, who made it and when.
CREATE TABLE triage_history (
    seq         INTEGER PRIMARY KEY,
    rev         INTEGER NOT NULL REFERENCES revision (rev),
    threat      TEXT NOT NULL,
    rule        TEXT NOT NULL,
    target      TEXT NOT NULL,
    who         TEXT NOT NULL,
    at          TEXT NOT NULL,          -- ISO 8601 UTC
    from_status TEXT,                   -- NULL: no decision before
    to_status   TEXT,                   -- NULL: decision removed
    note        TEXT NOT NULL
);
CREATE INDEX triage_history_threat ON triage_history (threat, seq);
