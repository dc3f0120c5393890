//! Custom emojis and the emoji reactions users add to posts.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// `GetEmojiList` sort order: by name.
pub const EMOJI_SORT_BY_NAME: &str = "name";

/// A custom emoji. Upstream: `model.Emoji` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Emoji {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The user who added the emoji.
    pub creator_id: String,
    /// The name used between colons, e.g. `party_parrot`.
    pub name: String,
    pub description: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Emoji);

/// A user's emoji reaction to a post. Upstream: `model.Reaction` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Reaction {
    pub user_id: String,
    pub post_id: String,
    /// The emoji's name, without colons.
    pub emoji_name: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The remote cluster the reaction comes from, for reactions synced through shared channels.
    pub remote_id: Option<String>,
    pub channel_id: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Reaction);
