-- Schema 2: autosaves (kept apart from revisions, pruned to the last few),
-- project settings and the editor layout, each a JSON document.

CREATE TABLE autosave (
    seq        INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,           -- ISO 8601 UTC
    base_rev   INTEGER NOT NULL,        -- latest revision when it was taken (0: none)
    model      TEXT NOT NULL            -- serde_json of the whole Model
);

-- Risk matrix, disabled rules, custom rule folders: one JSON object for now.
CREATE TABLE settings (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL
);

-- Editor view state that is not part of the model (viewport, zoom, panels).
-- Positions and sizes of elements and boundaries live in the model itself.
CREATE TABLE layout (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL
);
