//! The request context the server passes to many hooks.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// Who and what triggered a hook. Upstream: `plugin.Context` (all fields; no JSON tags
/// upstream, and the names here are the Go names in snake case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Context {
    pub session_id: String,
    /// The websocket connection the request came over, when it came over one.
    pub connection_id: String,
    pub request_id: String,
    pub ip_address: String,
    pub accept_language: String,
    pub user_agent: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Context);
