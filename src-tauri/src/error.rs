//! The single error type returned by every IPC command. It crosses the IPC boundary as
//! `{ "code": "...", "message": "..." }` (see `CommandError` in ui/src/ipc/index.ts), so the UI
//! can branch on a stable machine-readable `code` and show the human-readable `message`.

use serde::Serialize;
use std::fmt;
use ts_rs::TS;

/// Error returned by Tauri commands; serialized as `{ code, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "CommandError.ts")]
pub struct CommandError {
    /// Stable, machine-readable identifier, in snake_case (e.g. `invalid_input`).
    pub code: String,
    /// Human-readable explanation, safe to show to the user as plain text.
    pub message: String,
}

impl CommandError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into() }
    }

    /// The input sent by the UI was rejected.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new("invalid_input", message)
    }

    /// An unexpected failure inside the backend.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("internal", message)
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CommandError {}

/// Result alias used by all commands.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let err = CommandError::invalid_input("bad model");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json, serde_json::json!({ "code": "invalid_input", "message": "bad model" }));
    }

    #[test]
    fn display_includes_code() {
        assert_eq!(CommandError::internal("x").to_string(), "internal: x");
    }
}
