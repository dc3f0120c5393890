//! The request context the server passes to many hooks.

use serde::{Deserialize, Serialize};

/// Who and what triggered a hook. Upstream: `plugin.Context`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Context {
    pub session_id: String,
    pub request_id: String,
    pub ip_address: String,
    pub accept_language: String,
    pub user_agent: String,
}
