//! Shared channels: channels synchronized with remote clusters or plugins, the options a
//! plugin registers as a remote with, and the sync cursor.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// A channel synchronized with one or more remote clusters. When `home` is true the channel
/// lives here and remotes are invited to it; otherwise it lives on the remote `remote_id`.
/// Upstream: `model.SharedChannel` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SharedChannel {
    /// The id of the shared channel.
    #[serde(rename = "id")]
    pub channel_id: String,
    pub team_id: String,
    /// True when the channel lives on this server.
    pub home: bool,
    #[serde(rename = "readonly")]
    pub read_only: bool,
    #[serde(rename = "name")]
    pub share_name: String,
    #[serde(rename = "display_name")]
    pub share_display_name: String,
    #[serde(rename = "purpose")]
    pub share_purpose: String,
    #[serde(rename = "header")]
    pub share_header: String,
    pub creator_id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// The remote cluster the channel lives on, when `home` is false.
    pub remote_id: String,
    /// The channel's type (open, private, direct, group). Upstream gives this field no JSON
    /// tag, so its name is the Go field name.
    #[serde(rename = "Type")]
    pub channel_type: super::ChannelType,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SharedChannel);

/// How a plugin registers itself as a shared-channels remote. Upstream:
/// `model.RegisterPluginOpts` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct RegisterPluginOpts {
    /// The name shown for the remote in status reports.
    #[serde(rename = "Displayname")]
    pub displayname: String,
    /// The id of the plugin registering.
    #[serde(rename = "PluginID")]
    pub plugin_id: String,
    /// The user or bot doing the registering.
    #[serde(rename = "CreatorID")]
    pub creator_id: String,
    /// Share every direct message with this remote automatically.
    #[serde(rename = "AutoShareDMs")]
    pub auto_share_dms: bool,
    /// Invite the plugin to, and sync it with, every shared channel automatically.
    #[serde(rename = "AutoInvited")]
    pub auto_invited: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(RegisterPluginOpts);

/// How far a remote's copy of a shared channel has been synchronized: the last post updated
/// and the last post created that it has seen. Upstream: `model.GetPostsSinceForSyncCursor`
/// (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct GetPostsSinceForSyncCursor {
    #[serde(rename = "LastPostUpdateAt")]
    pub last_post_update_at: i64,
    #[serde(rename = "LastPostUpdateID")]
    pub last_post_update_id: String,
    #[serde(rename = "LastPostCreateAt")]
    pub last_post_create_at: i64,
    #[serde(rename = "LastPostCreateID")]
    pub last_post_create_id: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(GetPostsSinceForSyncCursor);
