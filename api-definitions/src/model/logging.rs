//! Typed key/value fields for the logging API methods, replacing upstream's `...any` pairs,
//! which lose their types (and sometimes their pairing) on the way through gob.

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
