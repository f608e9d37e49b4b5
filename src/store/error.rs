//! The error of the project store: what went wrong, as a kind a caller can
//! act on (retry when busy, offer an upgrade for a newer schema, a recovery
//! for a corrupted file), with the located diagnostic a user reads.
//!
//! Must not: know SQL or the tables (it only names the outcome).

use crate::diag::{Diagnostic, Diagnostics};

/// What kind of failure a store operation met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Another program holds the write lock past the busy timeout.
    Busy,
    /// The file was written by a newer Threatwright (a newer schema).
    NewerSchema,
    /// The file is damaged, truncated or not a project.
    Corrupt,
    /// The file cannot be read or written (missing, permissions, disk full).
    Io,
    /// The request or the content is invalid (no such revision, a model
    /// that fails validation, nothing saved yet).
    Invalid,
}

/// A store failure: its kind and the diagnostics to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub diagnostics: Diagnostics,
}

impl Error {
    /// One unlocated diagnostic (line 0) about the file `label`.
    pub fn new(kind: ErrorKind, label: &str, message: impl Into<String>) -> Error {
        Error { kind, diagnostics: Diagnostics::one(Diagnostic::new(label, 0, 0, message)) }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diagnostics.fmt(f)
    }
}

impl std::error::Error for Error {}

impl From<Error> for Diagnostics {
    fn from(e: Error) -> Diagnostics {
        e.diagnostics
    }
}

/// Problems of user input (a model file, a revision text) are `Invalid`.
impl From<Diagnostics> for Error {
    fn from(diagnostics: Diagnostics) -> Error {
        Error { kind: ErrorKind::Invalid, diagnostics }
    }
}
