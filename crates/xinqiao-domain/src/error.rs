//! The validation error every typed value returns: a stable code for programs and a Chinese
//! message for people.

use serde::Serialize;

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    /// The field's name as the API spells it (`username`, `uscc` …).
    pub field: &'static str,
    /// A stable, machine-readable code (`too_short`, `bad_check_char` …).
    pub code: &'static str,
    /// A message in Simplified Chinese, safe to show to the person who typed the value.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self { field, code, message: message.into() }
    }

    /// The same error reported under another field name (a form's own naming).
    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = field;
        self
    }
}
