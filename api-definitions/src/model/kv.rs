//! The plugin's key-value store: how a value is written (atomically, with an expiry).

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// How to store a value in the plugin's key-value store. Upstream: `model.PluginKVSetOptions`
/// (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginKVSetOptions {
    /// Store only if the current value equals `old_value`.
    #[serde(rename = "Atomic")]
    pub atomic: bool,
    /// The value expected before the write (atomic sets only); `None` expects no value.
    #[serde(rename = "OldValue")]
    pub old_value: Option<Vec<u8>>,
    /// Delete the value after this many seconds; 0 keeps it forever.
    #[serde(rename = "ExpireInSeconds")]
    pub expire_in_seconds: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginKVSetOptions);
