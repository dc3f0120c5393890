//! Types that hooks are handed or return: the install event, cloud product limits, push
//! notifications, websocket requests, and the shared-channel sync messages and remote clusters.

use super::{Post, Reaction, User};
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Tells a plugin it was installed. Upstream: `model.OnInstallEvent` (all fields; no JSON tags
/// upstream, so the names are the Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct OnInstallEvent {
    /// The user who installed the plugin.
    #[serde(rename = "UserId")]
    pub user_id: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(OnInstallEvent);

/// The usage limits of a cloud workspace's plan; a `None` section has no limits. Upstream:
/// `model.ProductLimits` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ProductLimits {
    pub boards: Option<BoardsLimits>,
    pub files: Option<FilesLimits>,
    pub integrations: Option<IntegrationsLimits>,
    pub messages: Option<MessagesLimits>,
    pub teams: Option<TeamsLimits>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ProductLimits);

/// Boards limits of a plan. Upstream: `model.BoardsLimits` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct BoardsLimits {
    pub cards: Option<i64>,
    pub views: Option<i64>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(BoardsLimits);

/// File storage limits of a plan. Upstream: `model.FilesLimits` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct FilesLimits {
    /// In bytes.
    pub total_storage: Option<i64>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(FilesLimits);

/// Integration limits of a plan. Upstream: `model.IntegrationsLimits` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct IntegrationsLimits {
    /// How many integrations may be enabled.
    pub enabled: Option<i64>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(IntegrationsLimits);

/// Message limits of a plan. Upstream: `model.MessagesLimits` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct MessagesLimits {
    /// How many messages of history stay accessible.
    pub history: Option<i64>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(MessagesLimits);

/// Team limits of a plan. Upstream: `model.TeamsLimits` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct TeamsLimits {
    /// How many teams may be active.
    pub active: Option<i64>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(TeamsLimits);

/// `PushNotification::push_type` of a new-message notification.
pub const PUSH_TYPE_MESSAGE: &str = "message";
/// `PushNotification::push_type` clearing notifications of a channel.
pub const PUSH_TYPE_CLEAR: &str = "clear";
/// `PushNotification::push_type` updating the app's badge.
pub const PUSH_TYPE_UPDATE_BADGE: &str = "update_badge";
/// `PushNotification::push_type` of a session-expiry notice.
pub const PUSH_TYPE_SESSION: &str = "session";
/// `PushNotification::push_type` of a test notification.
pub const PUSH_TYPE_TEST: &str = "test";

/// A notification on its way to a mobile device through the push proxy. Upstream:
/// `model.PushNotification` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PushNotification {
    /// Lets the device acknowledge receipt.
    pub ack_id: String,
    /// `apple`, `android`, `apple_rn`, `android_rn`, ...
    pub platform: String,
    pub server_id: String,
    pub device_id: String,
    pub post_id: String,
    /// `CAN_REPLY` for notifications the user can reply to.
    pub category: String,
    pub sound: String,
    pub message: String,
    pub badge: i64,
    #[serde(rename = "cont_ava")]
    pub content_available: i64,
    pub team_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub channel_name: String,
    /// One of the `PUSH_TYPE_*` values.
    #[serde(rename = "type")]
    pub push_type: String,
    /// Extra type information for the mobile app, e.g. `calls`.
    pub sub_type: String,
    pub sender_id: String,
    pub sender_name: String,
    pub override_username: String,
    pub override_icon_url: String,
    pub from_webhook: String,
    /// `v2` for notifications whose content the device fetches by id.
    pub version: String,
    pub is_crt_enabled: bool,
    pub is_id_loaded: bool,
    /// The type of the post the notification is about. Hidden from JSON upstream (the push
    /// proxy never sees it) but carried by its RPC, hence the Go name.
    #[serde(rename = "PostType", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub post_type: String,
    /// The type of the post's channel, one of the `CHANNEL_TYPE_*` values; like `post_type`.
    #[serde(rename = "ChannelType", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub channel_type: String,
    pub signature: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PushNotification);

/// A request a client sent over its websocket. Upstream: `model.WebSocketRequest` (all fields
/// but the translation function, a Go function that no RPC carries).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct WebSocketRequest {
    /// The client's request counter.
    pub seq: i64,
    /// What to do, e.g. `user_typing` or `get_statuses`.
    pub action: String,
    pub data: BTreeMap<String, serde_json::Value>,
    /// The sender's session, filled in by the server; upstream hands plugins only its id. Hidden
    /// from JSON upstream but carried by its RPC, hence the Go name.
    #[serde(rename = "Session", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub session: super::Session,
    /// The sender's locale, filled in by the server; like `session`.
    #[serde(rename = "Locale", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub locale: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(WebSocketRequest);

/// Changes in one shared channel to deliver to a remote: users, posts and reactions. Upstream:
/// `model.SyncMsg` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SyncMsg {
    pub id: String,
    pub channel_id: String,
    /// The users concerned, by id.
    pub users: BTreeMap<String, User>,
    pub posts: Vec<Post>,
    pub reactions: Vec<Reaction>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SyncMsg);

/// How far a remote got in applying a [`SyncMsg`]: the newest update time of each kind it
/// stored, and the ids it could not store. Upstream: `model.SyncResponse` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SyncResponse {
    pub users_last_update_at: i64,
    pub user_errors: Vec<String>,
    /// The ids of the users synced.
    pub users_syncd: Vec<String>,
    pub posts_last_update_at: i64,
    pub post_errors: Vec<String>,
    pub reactions_last_update_at: i64,
    pub reaction_errors: Vec<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SyncResponse);

/// `RemoteCluster::options` bit: every new direct or group message is shared with the remote.
pub const REMOTE_OPTION_AUTO_SHARE_DMS: u32 = 1 << 5;
/// `RemoteCluster::options` bit: the remote is invited to every shared channel.
pub const REMOTE_OPTION_AUTO_INVITED: u32 = 1 << 6;

/// A remote cluster (another server, or a plugin acting as one) that shared channels sync with.
/// Upstream: `model.RemoteCluster` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct RemoteCluster {
    pub remote_id: String,
    /// Deprecated upstream and unused.
    pub remote_team_id: String,
    pub name: String,
    pub display_name: String,
    /// The remote's site URL; `plugin_...` or `pending_...` for plugins and unconfirmed remotes.
    pub site_url: String,
    pub default_team_id: String,
    pub create_at: i64,
    pub delete_at: i64,
    /// When the remote last answered a ping, in milliseconds.
    pub last_ping_at: i64,
    pub last_global_user_sync_at: i64,
    pub token: String,
    pub remote_token: String,
    /// Space-separated topics the remote subscribes to.
    pub topics: String,
    pub creator_id: String,
    /// The plugin acting as this remote; empty for a real server.
    pub plugin_id: String,
    /// A bit set of the `REMOTE_OPTION_*` flags. Upstream: `model.Bitmask`.
    pub options: u32,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(RemoteCluster);

/// The content of a notification email, which a plugin may replace. Upstream:
/// `model.EmailNotificationContent` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct EmailNotificationContent {
    pub subject: String,
    pub title: String,
    #[serde(rename = "subtitle")]
    pub sub_title: String,
    pub message_html: String,
    pub message_text: String,
    pub button_text: String,
    pub button_url: String,
    pub footer_text: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(EmailNotificationContent);

/// A notification email about to be sent: what it is about and whom it goes to, and its
/// content. Upstream: `model.EmailNotification`, which embeds `EmailNotificationContent`; the
/// content's fields are spelled out here, so the JSON shape is the same.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct EmailNotification {
    pub post_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub sender_id: String,
    pub sender_display_name: String,
    pub recipient_id: String,
    /// The thread's root post; empty for a post that is not a reply.
    pub root_id: String,
    /// The channel's type, one of the `CHANNEL_TYPE_*` values.
    pub channel_type: String,
    pub channel_name: String,
    pub team_name: String,
    pub sender_username: String,
    pub is_direct_message: bool,
    pub is_group_message: bool,
    pub is_thread_reply: bool,
    /// Whether the recipient uses collapsed reply threads.
    pub is_crt_enabled: bool,
    /// Whether the recipient reads times on a 24-hour clock.
    pub use_military_time: bool,
    pub subject: String,
    pub title: String,
    #[serde(rename = "subtitle")]
    pub sub_title: String,
    pub message_html: String,
    pub message_text: String,
    pub button_text: String,
    pub button_url: String,
    pub footer_text: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(EmailNotification);
