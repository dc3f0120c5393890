//! Smaller types of the plugin API: KV-store and cluster-event send options, plugin status,
//! permissions, websocket broadcasts, user authentication data, file-info listing options and
//! interactive dialogs.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// `PluginClusterEventSendOptions::send_type` for delivery over the reliable (TCP) channel.
pub const PLUGIN_CLUSTER_EVENT_SEND_TYPE_RELIABLE: &str = "reliable";
/// `PluginClusterEventSendOptions::send_type` for best-effort delivery.
pub const PLUGIN_CLUSTER_EVENT_SEND_TYPE_BEST_EFFORT: &str = "best_effort";

/// How to send a plugin event to the other nodes of the cluster. Upstream:
/// `model.PluginClusterEventSendOptions` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginClusterEventSendOptions {
    /// One of the `PLUGIN_CLUSTER_EVENT_SEND_TYPE_*` values.
    #[serde(rename = "SendType")]
    pub send_type: String,
    /// The cluster node to send to; empty sends to all other nodes.
    #[serde(rename = "TargetId")]
    pub target_id: String,
    /// Wait until the event has been sent before returning.
    #[serde(rename = "Synchronous")]
    pub synchronous: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginClusterEventSendOptions);

pub const PLUGIN_STATE_NOT_RUNNING: i64 = 0;
pub const PLUGIN_STATE_STARTING: i64 = 1;
pub const PLUGIN_STATE_RUNNING: i64 = 2;
pub const PLUGIN_STATE_FAILED_TO_START: i64 = 3;
pub const PLUGIN_STATE_FAILED_TO_STAY_RUNNING: i64 = 4;
pub const PLUGIN_STATE_STOPPING: i64 = 5;

/// The state of an installed plugin on one node of the cluster. Upstream: `model.PluginStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginStatus {
    pub plugin_id: String,
    pub cluster_id: String,
    pub plugin_path: String,
    /// One of the `PLUGIN_STATE_*` values.
    pub state: i64,
    pub error: String,
    pub name: String,
    pub description: String,
    pub version: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginStatus);

pub const PERMISSION_SCOPE_SYSTEM: &str = "system_scope";
pub const PERMISSION_SCOPE_TEAM: &str = "team_scope";
pub const PERMISSION_SCOPE_CHANNEL: &str = "channel_scope";
pub const PERMISSION_SCOPE_GROUP: &str = "group_scope";
pub const PERMISSION_SCOPE_PLAYBOOK: &str = "playbook_scope";
pub const PERMISSION_SCOPE_RUN: &str = "run_scope";

/// A permission that roles grant, e.g. `create_post`. Upstream: `model.Permission`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Permission {
    /// The permission's id, e.g. `manage_team`.
    pub id: String,
    pub name: String,
    pub description: String,
    /// Where the permission applies: one of the `PERMISSION_SCOPE_*` values.
    pub scope: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Permission);

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

/// How a user signs in: the external service and the id it knows the user by. Upstream:
/// `model.UserAuth` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct UserAuth {
    /// Deprecated upstream and unused.
    pub password: String,
    /// The user's id at the authentication service.
    pub auth_data: Option<String>,
    /// The authentication service, e.g. `gitlab`, `saml`, `ldap`; empty for email sign-in.
    pub auth_service: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(UserAuth);

/// `GetFileInfosOptions::sort_by` value: by creation time (the default).
pub const FILEINFO_SORT_BY_CREATED: &str = "CreateAt";
/// `GetFileInfosOptions::sort_by` value: by size.
pub const FILEINFO_SORT_BY_SIZE: &str = "Size";

/// Filters and order for listing file infos. Upstream: `model.GetFileInfosOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct GetFileInfosOptions {
    /// Only files uploaded by these users.
    pub user_ids: Vec<String>,
    /// Only files posted in these channels.
    pub channel_ids: Vec<String>,
    /// Only files created at or after this time, in milliseconds.
    pub since: i64,
    pub include_deleted: bool,
    /// `CreateAt` (default) or `Size`.
    pub sort_by: String,
    pub sort_descending: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(GetFileInfosOptions);

/// A request to open an interactive dialog in the user's client. Upstream:
/// `model.OpenDialogRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct OpenDialogRequest {
    /// The trigger id from the slash command or action that prompted the dialog.
    pub trigger_id: String,
    /// Where the dialog's submission is sent.
    pub url: String,
    pub dialog: Dialog,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(OpenDialogRequest);

/// An interactive dialog: a title, some form elements and a submit button. Upstream:
/// `model.Dialog`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Dialog {
    /// Passed back with the submission.
    pub callback_id: String,
    pub title: String,
    /// Markdown shown above the elements.
    pub introduction_text: String,
    pub icon_url: String,
    pub elements: Vec<DialogElement>,
    pub submit_label: String,
    /// Send a submission marked as cancelled when the user closes the dialog.
    pub notify_on_cancel: bool,
    /// Passed back with the submission.
    pub state: String,
    /// Where to fetch the dialog from again when a `refresh` element changes.
    pub source_url: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Dialog);

/// One input of an interactive dialog. Upstream: `model.DialogElement`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct DialogElement {
    pub display_name: String,
    /// The key of the element's value in the submission.
    pub name: String,
    /// `text`, `textarea`, `select`, `radio`, `bool`, `date`, `datetime`, ...
    #[serde(rename = "type")]
    pub element_type: String,
    /// For text elements: `email`, `number`, `password`, `tel`, `url`, ...
    #[serde(rename = "subtype")]
    pub sub_type: String,
    pub default: String,
    pub placeholder: String,
    pub help_text: String,
    pub optional: bool,
    pub min_length: i64,
    pub max_length: i64,
    /// For selects: `users`, `channels` or `dynamic` instead of fixed `options`.
    pub data_source: String,
    /// For dynamic selects: where to look options up.
    pub data_source_url: String,
    pub options: Vec<PostActionOptions>,
    #[serde(rename = "multiselect")]
    pub multi_select: bool,
    /// Fetch the dialog again from `Dialog::source_url` when this element changes.
    pub refresh: bool,
    /// For date elements: the earliest date allowed.
    pub min_date: String,
    /// For date elements: the latest date allowed.
    pub max_date: String,
    /// For datetime elements: the step between selectable times, in minutes.
    pub time_interval: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(DialogElement);

/// One option of a select: the text shown and the value submitted. Upstream:
/// `model.PostActionOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostActionOptions {
    pub text: String,
    pub value: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostActionOptions);
