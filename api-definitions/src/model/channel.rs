//! Channels and channel membership: the channel and its type, a member and the members'
//! notification settings, member statistics, and the sidebar categories users sort channels into.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kind of a channel: one of the `CHANNEL_TYPE_*` values. Upstream: `model.ChannelType`.
pub type ChannelType = String;

/// A public channel.
pub const CHANNEL_TYPE_OPEN: &str = "O";
/// A private channel.
pub const CHANNEL_TYPE_PRIVATE: &str = "P";
/// A direct message channel between two users.
pub const CHANNEL_TYPE_DIRECT: &str = "D";
/// A group message channel between three to eight users.
pub const CHANNEL_TYPE_GROUP: &str = "G";
/// A space: a channel that stores a feature's content as posts but has no chat of its own (no
/// notifications, unread state or thread list).
pub const CHANNEL_TYPE_SPACE: &str = "S";
/// A public board.
pub const CHANNEL_TYPE_OPEN_BOARD: &str = "BO";
/// A private board.
pub const CHANNEL_TYPE_PRIVATE_BOARD: &str = "BP";

/// The channel types that back a feature with posts but show no chat, the only ones
/// `move_threads_to_backing_channel` moves threads between. Boards are not among them: they are
/// not message channels, but upstream does not yet hide their chat side. Upstream:
/// `model.NonMessageBackingChannelTypes`.
pub const NON_MESSAGE_BACKING_CHANNEL_TYPES: &[&str] = &[CHANNEL_TYPE_SPACE];

/// `Channel::props` key: the board's linked properties.
pub const CHANNEL_PROPS_BOARD_LINKED_PROPERTIES: &str = "board:linked_properties";

/// The banner shown across the top of a channel. Upstream: `model.ChannelBannerInfo` (all
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ChannelBannerInfo {
    pub enabled: Option<bool>,
    /// Markdown text of the banner.
    pub text: Option<String>,
    /// A hex color such as `#DDDDDD`.
    pub background_color: Option<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ChannelBannerInfo);

/// A channel. Upstream: `model.Channel` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Channel {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// When the channel was archived; 0 while it is active.
    pub delete_at: i64,
    /// The team; empty for direct and group message channels.
    pub team_id: String,
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    pub display_name: String,
    /// The URL name, e.g. `town-square`.
    pub name: String,
    pub header: String,
    pub purpose: String,
    pub last_post_at: i64,
    pub total_msg_count: i64,
    pub extra_update_at: i64,
    pub creator_id: String,
    pub scheme_id: Option<String>,
    pub props: BTreeMap<String, serde_json::Value>,
    pub group_constrained: Option<bool>,
    #[serde(rename = "autotranslation")]
    pub auto_translation: bool,
    /// True when the channel is shared with remote clusters.
    pub shared: Option<bool>,
    pub total_msg_count_root: i64,
    /// The access-control policy applied to the channel, if any.
    pub policy_id: Option<String>,
    pub last_root_post_at: i64,
    pub banner_info: Option<ChannelBannerInfo>,
    pub policy_enforced: bool,
    /// The actions the channel's access-control policy declares, each mapped to true; filled in
    /// only on some read paths.
    pub policy_actions: BTreeMap<String, bool>,
    pub policy_is_active: bool,
    pub default_category_name: String,
    pub managed_category_name: String,
    /// True for a private channel that users may find and ask to join.
    pub discoverable: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Channel);

/// `ChannelMember::notify_props` value: follow the user's own setting.
pub const CHANNEL_NOTIFY_DEFAULT: &str = "default";
/// `ChannelMember::notify_props` value: every message.
pub const CHANNEL_NOTIFY_ALL: &str = "all";
/// `ChannelMember::notify_props` value: mentions only.
pub const CHANNEL_NOTIFY_MENTION: &str = "mention";
/// `ChannelMember::notify_props` value: nothing.
pub const CHANNEL_NOTIFY_NONE: &str = "none";
/// `ChannelMember::notify_props["mark_unread"]` value: a muted channel.
pub const CHANNEL_MARK_UNREAD_MENTION: &str = "mention";
/// `ChannelMember::notify_props["mark_unread"]` value: a channel that is not muted.
pub const CHANNEL_MARK_UNREAD_ALL: &str = "all";

/// A user's membership of a channel, with read state and notification settings. Upstream:
/// `model.ChannelMember` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ChannelMember {
    pub channel_id: String,
    pub user_id: String,
    /// Space-separated role names.
    pub roles: String,
    pub last_viewed_at: i64,
    pub msg_count: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    pub urgent_mention_count: i64,
    pub msg_count_root: i64,
    /// Per-channel notification settings (`desktop`, `push`, `email`, `mark_unread`,
    /// `ignore_channel_mentions`, ...), valued with the `CHANNEL_NOTIFY_*` constants.
    pub notify_props: BTreeMap<String, String>,
    pub last_update_at: i64,
    pub scheme_guest: bool,
    pub scheme_user: bool,
    pub scheme_admin: bool,
    pub explicit_roles: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ChannelMember);

/// A list of channel memberships. Upstream: `model.ChannelMembers` (`[]ChannelMember`).
pub type ChannelMembers = Vec<ChannelMember>;

/// Names one membership: a channel and a user. Upstream: `model.ChannelMemberIdentifier` (all
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ChannelMemberIdentifier {
    pub channel_id: String,
    pub user_id: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ChannelMemberIdentifier);

/// Counts about a channel. Upstream: `model.ChannelStats` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ChannelStats {
    pub channel_id: String,
    pub member_count: i64,
    pub guest_count: i64,
    #[serde(rename = "pinnedpost_count")]
    pub pinned_post_count: i64,
    pub has_new_pinned_posts: bool,
    pub files_count: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ChannelStats);

/// The kind of a sidebar category: one of the `SIDEBAR_CATEGORY_*` kinds. Upstream:
/// `model.SidebarCategoryType`.
pub type SidebarCategoryType = String;

/// The default category of a team's channels.
pub const SIDEBAR_CATEGORY_CHANNELS: &str = "channels";
/// The category of direct and group messages.
pub const SIDEBAR_CATEGORY_DIRECT_MESSAGES: &str = "direct_messages";
/// The favorites category.
pub const SIDEBAR_CATEGORY_FAVORITES: &str = "favorites";
/// A category the user made.
pub const SIDEBAR_CATEGORY_CUSTOM: &str = "custom";

/// How a sidebar category orders its channels: one of the `SIDEBAR_CATEGORY_SORT_*` values.
/// Upstream: `model.SidebarCategorySorting`.
pub type SidebarCategorySorting = String;

/// The category's default order (manual for all but direct messages).
pub const SIDEBAR_CATEGORY_SORT_DEFAULT: &str = "";
/// In the order the user arranged.
pub const SIDEBAR_CATEGORY_SORT_MANUAL: &str = "manual";
/// Most recently active first.
pub const SIDEBAR_CATEGORY_SORT_RECENT: &str = "recent";
/// By display name.
pub const SIDEBAR_CATEGORY_SORT_ALPHABETICAL: &str = "alpha";

/// A user's sidebar category in one team, without its channels. Upstream:
/// `model.SidebarCategory` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SidebarCategory {
    pub id: String,
    pub user_id: String,
    pub team_id: String,
    pub sort_order: i64,
    pub sorting: SidebarCategorySorting,
    #[serde(rename = "type")]
    pub category_type: SidebarCategoryType,
    pub display_name: String,
    pub muted: bool,
    pub collapsed: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SidebarCategory);

/// A sidebar category with the ids of its channels, in order. Upstream:
/// `model.SidebarCategoryWithChannels`, which embeds `SidebarCategory`; the embedded fields are
/// spelled out here, so the JSON shape is the same.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SidebarCategoryWithChannels {
    pub id: String,
    pub user_id: String,
    pub team_id: String,
    pub sort_order: i64,
    pub sorting: SidebarCategorySorting,
    #[serde(rename = "type")]
    pub category_type: SidebarCategoryType,
    pub display_name: String,
    pub muted: bool,
    pub collapsed: bool,
    #[serde(rename = "channel_ids")]
    pub channels: Vec<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SidebarCategoryWithChannels);

/// All of a user's sidebar categories in a team, with the order they appear in. Upstream:
/// `model.OrderedSidebarCategories` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct OrderedSidebarCategories {
    pub categories: Vec<SidebarCategoryWithChannels>,
    /// Category ids, top to bottom.
    pub order: Vec<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(OrderedSidebarCategories);
