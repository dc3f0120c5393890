//! Posts: the message itself, its metadata (embeds, images, priority, acknowledgements), lists of
//! posts, post searches, and the message attachments and interactive actions a post can carry.

use super::{Emoji, FileInfo, Reaction, User};
use plugin_runtime::codec::is_default;
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `Post::post_type` of an ordinary message.
pub const POST_TYPE_DEFAULT: &str = "";
/// `Post::post_type` of a message with Slack-style attachments.
pub const POST_TYPE_MESSAGE_ATTACHMENT: &str = "slack_attachment";
/// `Post::post_type` of a message shown only to one user and never stored.
pub const POST_TYPE_EPHEMERAL: &str = "system_ephemeral";
/// `Post::post_type` of a `/me` message.
pub const POST_TYPE_ME: &str = "me";
/// Prefix of the `Post::post_type` of system messages.
pub const POST_SYSTEM_MESSAGE_PREFIX: &str = "system_";
/// Prefix of the `Post::post_type` of posts that plugins render themselves.
pub const POST_CUSTOM_TYPE_PREFIX: &str = "custom_";

/// `Post::props` key: the Slack-style attachments of the post.
pub const POST_PROPS_ATTACHMENTS: &str = "attachments";
/// `Post::props` key: the username shown instead of the poster's.
pub const POST_PROPS_OVERRIDE_USERNAME: &str = "override_username";
/// `Post::props` key: the icon URL shown instead of the poster's picture.
pub const POST_PROPS_OVERRIDE_ICON_URL: &str = "override_icon_url";
/// `Post::props` key: `"true"` for posts made by plugins.
pub const POST_PROPS_FROM_PLUGIN: &str = "from_plugin";
/// `Post::props` key: `"true"` for posts made by bots.
pub const POST_PROPS_FROM_BOT: &str = "from_bot";
/// `Post::props` key: `"true"` for posts made through webhooks.
pub const POST_PROPS_FROM_WEBHOOK: &str = "from_webhook";

/// A message in a channel. Upstream: `model.Post` (all fields).
///
/// Posts cross the wire on every message hook, and most of their fields are usually empty: a
/// field equal to its default is left out, and the receiver (`#[serde(default)]`) restores it.
/// A typical post encodes in about half the bytes and decodes in about half the time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Post {
    #[serde(skip_serializing_if = "is_default")]
    pub id: String,
    #[serde(skip_serializing_if = "is_default")]
    pub create_at: i64,
    #[serde(skip_serializing_if = "is_default")]
    pub update_at: i64,
    /// When the message was last edited; 0 if never.
    #[serde(skip_serializing_if = "is_default")]
    pub edit_at: i64,
    /// When the post was deleted; 0 while it exists.
    #[serde(skip_serializing_if = "is_default")]
    pub delete_at: i64,
    #[serde(skip_serializing_if = "is_default")]
    pub is_pinned: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub user_id: String,
    #[serde(skip_serializing_if = "is_default")]
    pub channel_id: String,
    /// The thread's root post; empty for a root post.
    #[serde(skip_serializing_if = "is_default")]
    pub root_id: String,
    #[serde(skip_serializing_if = "is_default")]
    pub original_id: String,
    #[serde(skip_serializing_if = "is_default")]
    pub message: String,
    /// The message as the user wrote it, when the server rewrote `message` for display (an
    /// image proxy, for example).
    #[serde(skip_serializing_if = "is_default")]
    pub message_source: String,
    /// One of the `POST_TYPE_*` values, a `system_*` type or a `custom_*` type.
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "is_default")]
    pub post_type: String,
    /// Free-form properties, keyed by the `POST_PROPS_*` names among others.
    #[serde(skip_serializing_if = "is_default")]
    pub props: BTreeMap<String, serde_json::Value>,
    /// Space-separated hashtags found in the message.
    #[serde(skip_serializing_if = "is_default")]
    pub hashtags: String,
    #[serde(skip_serializing_if = "is_default")]
    pub file_ids: Vec<String>,
    /// Deprecated file names from before file ids. Upstream hides it from JSON only; its RPC
    /// still carries it, so it keeps the Go name.
    #[serde(rename = "Filenames", skip_serializing_if = "is_default")]
    pub filenames: Vec<String>,
    /// The client's id for a post still being sent.
    #[serde(skip_serializing_if = "is_default")]
    pub pending_post_id: String,
    #[serde(skip_serializing_if = "is_default")]
    pub has_reactions: bool,
    /// The remote cluster the post comes from, for posts synced through shared channels.
    #[serde(skip_serializing_if = "is_default")]
    pub remote_id: Option<String>,
    /// Transient: the number of replies in the thread.
    #[serde(skip_serializing_if = "is_default")]
    pub reply_count: i64,
    /// Transient: when the thread was last replied to.
    #[serde(skip_serializing_if = "is_default")]
    pub last_reply_at: i64,
    /// Transient: the users who took part in the thread.
    #[serde(skip_serializing_if = "is_default")]
    pub participants: Vec<User>,
    /// Transient: whether the user asking follows the thread (collapsed threads only).
    #[serde(skip_serializing_if = "is_default")]
    pub is_following: Option<bool>,
    /// Transient: embeds, emojis, files, images, reactions and priority of the post.
    #[serde(skip_serializing_if = "is_default")]
    pub metadata: Option<PostMetadata>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Post);

/// What the server adds to a post for clients to render it. Upstream: `model.PostMetadata`
/// (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostMetadata {
    /// Content embedded in the post (OpenGraph previews, images, permalinks, ...).
    pub embeds: Vec<PostEmbed>,
    /// Custom emojis used in the post or its reactions.
    pub emojis: Vec<Emoji>,
    /// The post's attachments.
    pub files: Vec<FileInfo>,
    /// Dimensions of the external images in the post, by URL.
    pub images: BTreeMap<String, PostImage>,
    pub reactions: Vec<Reaction>,
    pub priority: Option<PostPriority>,
    pub acknowledgements: Vec<PostAcknowledgement>,
    /// When the post expires (burn-on-read posts), in milliseconds; 0 for never.
    pub expire_at: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostMetadata);

/// The size and format of an external image. Upstream: `model.PostImage` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostImage {
    pub width: i64,
    pub height: i64,
    /// `png`, `gif`, `jpeg`, ...
    pub format: String,
    /// The number of frames of an animated GIF; 0 for other formats.
    pub frame_count: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostImage);

/// The kind of a post embed: one of the `POST_EMBED_*` values. Upstream: `model.PostEmbedType`.
pub type PostEmbedType = String;

/// An embedded image.
pub const POST_EMBED_IMAGE: &str = "image";
/// An embedded message attachment.
pub const POST_EMBED_MESSAGE_ATTACHMENT: &str = "message_attachment";
/// An OpenGraph link preview.
pub const POST_EMBED_OPENGRAPH: &str = "opengraph";
/// A link without preview data.
pub const POST_EMBED_LINK: &str = "link";
/// A permalink to another post.
pub const POST_EMBED_PERMALINK: &str = "permalink";

/// Content embedded in a post. Upstream: `model.PostEmbed` (all fields; the embed's data, such as
/// OpenGraph metadata or a permalink preview, is left as untyped JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostEmbed {
    #[serde(rename = "type")]
    pub embed_type: PostEmbedType,
    /// The embedded content's URL (image and OpenGraph embeds).
    pub url: String,
    /// Extra data of the embed, as JSON.
    pub data: serde_json::Value,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostEmbed);

/// `PostPriority::priority` of an urgent post.
pub const POST_PRIORITY_URGENT: &str = "urgent";

/// A post's priority and acknowledgement settings. Upstream: `model.PostPriority` (all fields;
/// the two internal ones carry Go field names, as upstream gives them no JSON names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostPriority {
    /// `important`, [`POST_PRIORITY_URGENT`], or empty for standard.
    pub priority: Option<String>,
    /// Whether readers are asked to acknowledge the post.
    pub requested_ack: Option<bool>,
    /// Whether mentioned users are notified repeatedly until they read it.
    pub persistent_notifications: Option<bool>,
    #[serde(rename = "PostId")]
    pub post_id: String,
    #[serde(rename = "ChannelId")]
    pub channel_id: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostPriority);

/// A user's acknowledgement of a post. Upstream: `model.PostAcknowledgement` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostAcknowledgement {
    pub user_id: String,
    pub post_id: String,
    pub acknowledged_at: i64,
    pub channel_id: String,
    pub remote_id: Option<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostAcknowledgement);

/// A page of posts: the posts by id, and their ids in display order. Upstream: `model.PostList`
/// (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostList {
    /// Post ids, newest first.
    pub order: Vec<String>,
    pub posts: BTreeMap<String, Post>,
    pub next_post_id: String,
    pub prev_post_id: String,
    /// Whether there are more posts to fetch.
    pub has_next: Option<bool>,
    /// When some posts are hidden by the plan's history limit: the time of the latest hidden one.
    pub first_inaccessible_post_time: i64,
    /// Where the next page starts, for cursor-based paging.
    pub next_cursor: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostList);

/// The posts a search found, with the words that matched in each. Upstream:
/// `model.PostSearchResults`, which embeds `*PostList`; the list's fields are spelled out here,
/// so the JSON shape is the same.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostSearchResults {
    pub order: Vec<String>,
    pub posts: BTreeMap<String, Post>,
    pub next_post_id: String,
    pub prev_post_id: String,
    pub has_next: Option<bool>,
    pub first_inaccessible_post_time: i64,
    pub next_cursor: String,
    /// The matched terms, by post id. Upstream: `model.PostSearchMatches`.
    pub matches: BTreeMap<String, Vec<String>>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostSearchResults);

/// One parsed post search: terms and filters. Upstream: `model.SearchParams` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SearchParams {
    pub terms: String,
    pub excluded_terms: String,
    /// True when `terms` are hashtags.
    #[serde(rename = "ishashtag")]
    pub is_hashtag: bool,
    /// Channel names to search in.
    pub in_channels: Vec<String>,
    pub excluded_channels: Vec<String>,
    /// Usernames whose posts to search.
    pub from_users: Vec<String>,
    pub excluded_users: Vec<String>,
    /// Dates as `YYYY-MM-DD`.
    pub after_date: String,
    pub excluded_after_date: String,
    pub before_date: String,
    pub excluded_before_date: String,
    /// File extensions to search (file searches).
    pub extensions: Vec<String>,
    pub excluded_extensions: Vec<String>,
    pub on_date: String,
    pub excluded_date: String,
    /// Match any term instead of all.
    pub or_terms: bool,
    pub include_deleted_channels: bool,
    /// The searcher's offset from UTC, in seconds, for the date filters.
    #[serde(rename = "timezone_offset")]
    pub time_zone_offset: i64,
    /// True when the search is not made on behalf of a user.
    #[serde(rename = "search_without_userid")]
    pub search_without_user_id: bool,
    pub modifier: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SearchParams);

/// A post search as a client sends it: the raw terms and options, each optional. Upstream:
/// `model.SearchParameter` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SearchParameter {
    /// The search text, with `from:`, `in:`, `before:` ... filters.
    pub terms: Option<String>,
    pub is_or_search: Option<bool>,
    /// The searcher's offset from UTC, in seconds.
    pub time_zone_offset: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub include_deleted_channels: Option<bool>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SearchParameter);

/// A Slack-style message attachment. Upstream: `model.SlackAttachment` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SlackAttachment {
    pub id: i64,
    /// Plain text shown where the attachment cannot be rendered.
    pub fallback: String,
    /// `good`, `warning`, `danger` or a hex color.
    pub color: String,
    pub pretext: String,
    pub author_name: String,
    pub author_link: String,
    pub author_icon: String,
    pub title: String,
    pub title_link: String,
    pub text: String,
    pub fields: Vec<SlackAttachmentField>,
    pub image_url: String,
    pub thumb_url: String,
    pub footer: String,
    pub footer_icon: String,
    /// A timestamp, as a string or a number (upstream accepts either).
    #[serde(rename = "ts")]
    pub timestamp: serde_json::Value,
    /// Buttons and menus.
    pub actions: Vec<PostAction>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SlackAttachment);

/// A titled value shown in a message attachment. Upstream: `model.SlackAttachmentField` (all
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SlackAttachmentField {
    pub title: String,
    /// A string or a number.
    pub value: serde_json::Value,
    /// Whether the field is narrow enough to sit beside another. Upstream's
    /// `SlackCompatibleBool` (which also reads `"true"` strings) is carried as a plain bool.
    pub short: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SlackAttachmentField);

/// `PostAction::action_type` of a button.
pub const POST_ACTION_TYPE_BUTTON: &str = "button";
/// `PostAction::action_type` of a menu.
pub const POST_ACTION_TYPE_SELECT: &str = "select";

/// An interactive button or menu in a message attachment. Upstream: `model.PostAction` (all
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostAction {
    /// Generated when left empty.
    pub id: String,
    /// [`POST_ACTION_TYPE_BUTTON`] or [`POST_ACTION_TYPE_SELECT`].
    #[serde(rename = "type")]
    pub action_type: String,
    /// The button's label or the menu's placeholder.
    pub name: String,
    pub disabled: bool,
    /// `default`, `primary`, `success`, `good`, `warning`, `danger` or a hex color.
    pub style: String,
    /// For menus: `users` or `channels` instead of fixed `options`.
    pub data_source: String,
    pub options: Vec<PostActionOptions>,
    /// For menus: the value selected at first.
    pub default_option: String,
    /// Where the action is sent when used; stripped before posts reach clients.
    pub integration: Option<PostActionIntegration>,
    /// Set by the server: the encrypted action data clients send back.
    pub cookie: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostAction);

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

/// Where an interactive action is sent, and the private context sent with it. Upstream:
/// `model.PostActionIntegration` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PostActionIntegration {
    /// An absolute URL, or a `/plugins/{id}/...` path.
    pub url: String,
    pub context: BTreeMap<String, serde_json::Value>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PostActionIntegration);
