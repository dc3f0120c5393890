//! Messages not sent yet: a user's draft in a channel or thread, and a post scheduled to be sent
//! later.

use super::PostMetadata;
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A message a user is writing but has not sent, kept per channel or thread so it follows them
/// across devices. Upstream: `model.Draft` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Draft {
    pub create_at: i64,
    pub update_at: i64,
    /// No longer used: drafts are deleted outright.
    pub delete_at: i64,
    pub user_id: String,
    pub channel_id: String,
    /// The thread the draft replies to; empty for a draft of a new post.
    pub root_id: String,
    /// The wiki a page draft belongs to; empty for message drafts.
    pub wiki_id: String,
    pub message: String,
    pub props: BTreeMap<String, serde_json::Value>,
    pub file_ids: Vec<String>,
    pub metadata: Option<PostMetadata>,
    /// The priority the post will be sent with (`priority`, `requested_ack`, ...).
    pub priority: BTreeMap<String, serde_json::Value>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Draft);

/// A post that the server will send at a set time. Upstream: `model.ScheduledPost`, which embeds
/// `Draft`; the draft's fields are spelled out here, so the JSON shape is the same.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ScheduledPost {
    pub id: String,
    /// When to send it, in milliseconds since the epoch.
    pub scheduled_at: i64,
    /// When the server tried to send it; 0 until then.
    pub processed_at: i64,
    /// Why sending failed, if it did.
    pub error_code: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub user_id: String,
    pub channel_id: String,
    /// The thread the post replies to; empty for a new post.
    pub root_id: String,
    pub wiki_id: String,
    pub message: String,
    pub props: BTreeMap<String, serde_json::Value>,
    pub file_ids: Vec<String>,
    pub metadata: Option<PostMetadata>,
    pub priority: BTreeMap<String, serde_json::Value>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ScheduledPost);
