//! Typed key/value fields for the logging API methods, replacing upstream's `...any` pairs,
//! which lose their types (and sometimes their pairing) on the way through gob; and the log
//! level of an audit record.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// One structured field of a log line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogField {
    pub key: String,
    pub value: LogValue,
}

impl LogField {
    /// A field from a key and anything convertible to a [`LogValue`].
    pub fn new(key: impl Into<String>, value: impl Into<LogValue>) -> Self {
        LogField { key: key.into(), value: value.into() }
    }
}

/// The value of a log field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LogValue {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    /// Anything else, as JSON.
    Json(serde_json::Value),
}

/// The value as it goes into a text log line after `key=`: strings quoted with escapes, so a
/// value cannot fake further fields or lines.
impl std::fmt::Display for LogValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogValue::Null => f.write_str("null"),
            LogValue::Bool(v) => write!(f, "{v}"),
            LogValue::Int(v) => write!(f, "{v}"),
            LogValue::Uint(v) => write!(f, "{v}"),
            LogValue::Float(v) => write!(f, "{v}"),
            LogValue::Str(v) => write!(f, "{v:?}"),
            LogValue::Json(v) => write!(f, "{v}"),
        }
    }
}

impl From<bool> for LogValue {
    fn from(v: bool) -> Self {
        LogValue::Bool(v)
    }
}
impl From<i64> for LogValue {
    fn from(v: i64) -> Self {
        LogValue::Int(v)
    }
}
impl From<i32> for LogValue {
    fn from(v: i32) -> Self {
        LogValue::Int(v.into())
    }
}
impl From<u64> for LogValue {
    fn from(v: u64) -> Self {
        LogValue::Uint(v)
    }
}
impl From<f64> for LogValue {
    fn from(v: f64) -> Self {
        LogValue::Float(v)
    }
}
impl From<String> for LogValue {
    fn from(v: String) -> Self {
        LogValue::Str(v)
    }
}
impl From<&str> for LogValue {
    fn from(v: &str) -> Self {
        LogValue::Str(v.to_owned())
    }
}
impl From<serde_json::Value> for LogValue {
    fn from(v: serde_json::Value) -> Self {
        LogValue::Json(v)
    }
}

/// A log level: a numeric id, which decides what is logged, and a name. Besides the standard
/// levels (the `LOG_LEVEL_*` constants), the server defines its own (the audit levels have ids
/// 100 to 103), so this is a struct, not an enum. Upstream: `mlog.Level`, an alias of
/// `logr.Level` (all fields); named `LogLevel` here because upstream's name is only unambiguous
/// inside its `mlog` package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct LogLevel {
    pub id: u64,
    pub name: String,
    /// Whether a record at this level carries a stack trace.
    pub stacktrace: bool,
    /// An ANSI color code for formatters that color their output; 0 for none.
    pub color: u8,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(LogLevel);

impl LogLevel {
    /// A level with an id and a name, no stack trace and no color.
    pub fn new(id: u64, name: &str) -> Self {
        LogLevel { id, name: name.to_owned(), ..LogLevel::default() }
    }

    // The standard levels, most severe first (upstream's `mlog.LvlPanic` ... `mlog.LvlTrace`),
    // then the audit levels (`mlog.LvlAuditAPI` ... `mlog.LvlAuditCLI`). The server picks
    // records by id; the colors upstream gives some standard levels only affect its console.
    pub fn panic() -> Self {
        Self::new(0, "panic")
    }
    pub fn fatal() -> Self {
        Self::new(1, "fatal")
    }
    pub fn error() -> Self {
        Self::new(2, "error")
    }
    pub fn warn() -> Self {
        Self::new(3, "warn")
    }
    pub fn info() -> Self {
        Self::new(4, "info")
    }
    pub fn debug() -> Self {
        Self::new(5, "debug")
    }
    pub fn trace() -> Self {
        Self::new(6, "trace")
    }
    pub fn audit_api() -> Self {
        Self::new(100, "audit-api")
    }
    pub fn audit_content() -> Self {
        Self::new(101, "audit-content")
    }
    pub fn audit_permissions() -> Self {
        Self::new(102, "audit-permissions")
    }
    pub fn audit_cli() -> Self {
        Self::new(103, "audit-cli")
    }
}
