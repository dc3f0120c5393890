//! Bot accounts: the bot itself, a patch to it, and the filter for listing bots.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// A user account meant for programs rather than people. Its primary key is the id of the user
/// behind it. Upstream: `model.Bot` (all fields, plus the computed `system_owned` flag upstream
/// adds when it writes a bot as JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Bot {
    /// The id of the user account behind the bot.
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub description: String,
    /// The user or plugin that owns the bot.
    pub owner_id: String,
    /// When the bot's icon last changed, in milliseconds; 0 when it never had one.
    pub last_icon_update: i64,
    pub create_at: i64,
    pub update_at: i64,
    /// When the bot was deactivated, in milliseconds; 0 while it is active.
    pub delete_at: i64,
    /// Set by the server on output for the system bots that must never be disabled; ignored on
    /// input.
    pub system_owned: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Bot);

/// The fields to change on an existing bot; `None` leaves a field as it is.
/// Upstream: `model.BotPatch`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct BotPatch {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(BotPatch);

/// A filter for listing bots. Upstream: `model.BotGetOptions` (it has no JSON tags, so the
/// names are the Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct BotGetOptions {
    /// Only bots owned by this user or plugin; empty for any owner.
    #[serde(rename = "OwnerId")]
    pub owner_id: String,
    /// Include deactivated bots.
    #[serde(rename = "IncludeDeleted")]
    pub include_deleted: bool,
    /// Only bots whose owner no longer exists.
    #[serde(rename = "OnlyOrphaned")]
    pub only_orphaned: bool,
    #[serde(rename = "Page")]
    pub page: i64,
    #[serde(rename = "PerPage")]
    pub per_page: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(BotGetOptions);
