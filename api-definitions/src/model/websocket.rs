//! Websocket events: who receives an event a plugin publishes.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who receives a websocket event. Empty fields do not restrict. Upstream:
/// `model.WebsocketBroadcast` (all fields; `reliable_cluster_send`, which upstream keeps out
/// of JSON, is carried here because plugins set it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct WebsocketBroadcast {
    /// Users who must not receive the event.
    pub omit_users: BTreeMap<String, bool>,
    /// Only this user.
    pub user_id: String,
    /// Only members of this channel.
    pub channel_id: String,
    /// Only members of this team.
    pub team_id: String,
    /// Only this websocket connection.
    pub connection_id: String,
    /// Every connection but this one.
    pub omit_connection_id: String,
    /// Only users who are not system admins.
    pub contains_sanitized_data: bool,
    /// Only system admins.
    pub contains_sensitive_data: bool,
    /// Send the event to other cluster nodes over the reliable (TCP) channel.
    pub reliable_cluster_send: bool,
    /// Server-side hooks that process the event per connection (never sent to clients).
    pub broadcast_hooks: Vec<String>,
    /// The arguments of each hook in `broadcast_hooks`, by index.
    pub broadcast_hook_args: Vec<BTreeMap<String, serde_json::Value>>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(WebsocketBroadcast);
