//! Users and what hangs off them: the user record, how a user signs in, the options for listing
//! and searching users, personal access tokens, presence status, custom status and preferences.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A person's or a bot's account. Upstream: `model.User` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct User {
    pub id: String,
    /// When the account was created, in milliseconds since the epoch.
    pub create_at: i64,
    pub update_at: i64,
    /// When the account was deactivated; 0 while it is active.
    pub delete_at: i64,
    pub username: String,
    /// Set only when creating a user or changing a password; never filled in by the server.
    pub password: String,
    /// The user's id at the external authentication service, if any.
    pub auth_data: Option<String>,
    /// `gitlab`, `saml`, `ldap`, ...; empty for email and password sign-in.
    pub auth_service: String,
    pub email: String,
    pub email_verified: bool,
    pub nickname: String,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    /// Space-separated role names, e.g. `system_user system_admin`.
    pub roles: String,
    pub allow_marketing: bool,
    /// Free-form properties (custom status, remote user names, ...).
    pub props: BTreeMap<String, String>,
    /// Notification settings, keyed by the `*_NOTIFY_PROP` names (`desktop`, `push`, `email`, ...).
    pub notify_props: BTreeMap<String, String>,
    pub last_password_update: i64,
    pub last_picture_update: i64,
    pub failed_attempts: i64,
    pub locale: String,
    /// `useAutomaticTimezone`, `automaticTimezone` and `manualTimezone`.
    pub timezone: BTreeMap<String, String>,
    pub mfa_active: bool,
    pub mfa_secret: String,
    /// The remote cluster the user comes from, for users synced through shared channels.
    pub remote_id: Option<String>,
    pub last_activity_at: i64,
    pub is_bot: bool,
    pub bot_description: String,
    pub bot_last_icon_update: i64,
    pub terms_of_service_id: String,
    pub terms_of_service_create_at: i64,
    pub disable_welcome_email: bool,
    pub last_login: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(User);

/// `User::notify_props` key: desktop notification level.
pub const DESKTOP_NOTIFY_PROP: &str = "desktop";
/// `User::notify_props` key: desktop notification sound.
pub const DESKTOP_SOUND_NOTIFY_PROP: &str = "desktop_sound";
/// `User::notify_props` and `ChannelMember::notify_props` key: when a channel shows as unread.
pub const MARK_UNREAD_NOTIFY_PROP: &str = "mark_unread";
/// `User::notify_props` key: push notification level.
pub const PUSH_NOTIFY_PROP: &str = "push";
/// `User::notify_props` key: whether email notifications are sent.
pub const EMAIL_NOTIFY_PROP: &str = "email";
/// `User::notify_props` key: whether channel-wide mentions notify.
pub const CHANNEL_MENTIONS_NOTIFY_PROP: &str = "channel";
/// `User::notify_props` key: which replies notify.
pub const COMMENTS_NOTIFY_PROP: &str = "comments";
/// `User::notify_props` key: extra words that count as mentions, comma-separated.
pub const MENTION_KEYS_NOTIFY_PROP: &str = "mention_keys";
/// Notification level: every message.
pub const USER_NOTIFY_ALL: &str = "all";
/// Notification level: mentions only.
pub const USER_NOTIFY_MENTION: &str = "mention";
/// Notification level: nothing.
pub const USER_NOTIFY_NONE: &str = "none";

/// Filters, order and paging for listing users. Every filter left empty does not restrict.
/// Upstream: `model.UserGetOptions` (all fields; no JSON tags upstream, so the names are the Go
/// field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct UserGetOptions {
    /// Only members of this team.
    #[serde(rename = "InTeamId")]
    pub in_team_id: String,
    /// Only users who are not members of this team.
    #[serde(rename = "NotInTeamId")]
    pub not_in_team_id: String,
    /// Only members of this channel.
    #[serde(rename = "InChannelId")]
    pub in_channel_id: String,
    /// Only users who are not members of this channel.
    #[serde(rename = "NotInChannelId")]
    pub not_in_channel_id: String,
    /// Only members of this group.
    #[serde(rename = "InGroupId")]
    pub in_group_id: String,
    /// Only users who are not members of this group.
    #[serde(rename = "NotInGroupId")]
    pub not_in_group_id: String,
    /// Only users allowed by the group constraints of the team or channel filtered on.
    #[serde(rename = "GroupConstrained")]
    pub group_constrained: bool,
    /// Only users who belong to no team.
    #[serde(rename = "WithoutTeam")]
    pub without_team: bool,
    /// Only deactivated users.
    #[serde(rename = "Inactive")]
    pub inactive: bool,
    /// Only active users.
    #[serde(rename = "Active")]
    pub active: bool,
    /// Only users with this system role.
    #[serde(rename = "Role")]
    pub role: String,
    /// Only users with any of these system roles.
    #[serde(rename = "Roles")]
    pub roles: Vec<String>,
    /// Only users with any of these channel roles (with `in_channel_id`).
    #[serde(rename = "ChannelRoles")]
    pub channel_roles: Vec<String>,
    /// Only users with any of these team roles (with `in_team_id`).
    #[serde(rename = "TeamRoles")]
    pub team_roles: Vec<String>,
    /// The order, e.g. `last_activity_at` or `create_at`; empty for by username.
    #[serde(rename = "Sort")]
    pub sort: String,
    /// Only users who share one of these teams or channels.
    #[serde(rename = "ViewRestrictions")]
    pub view_restrictions: Option<super::ViewUsersRestrictions>,
    /// The page to return, from 0.
    #[serde(rename = "Page")]
    pub page: i64,
    #[serde(rename = "PerPage")]
    pub per_page: i64,
    /// Only users updated after this time, in milliseconds.
    #[serde(rename = "UpdatedAfter")]
    pub updated_after: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(UserGetOptions);

/// A search for users by a term, with filters. Upstream: `model.UserSearch` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct UserSearch {
    /// Matched against usernames, names, nicknames and (if allowed) emails.
    pub term: String,
    pub team_id: String,
    pub not_in_team_id: String,
    pub in_channel_id: String,
    pub not_in_channel_id: String,
    pub in_group_id: String,
    pub group_constrained: bool,
    pub allow_inactive: bool,
    pub without_team: bool,
    /// The most results to return; 0 for the server's default.
    pub limit: i64,
    pub role: String,
    pub roles: Vec<String>,
    pub channel_roles: Vec<String>,
    pub team_roles: Vec<String>,
    pub not_in_group_id: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(UserSearch);

/// A personal access token. Upstream: `model.UserAccessToken` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct UserAccessToken {
    pub id: String,
    /// The secret itself; returned only when the token is created.
    pub token: String,
    pub user_id: String,
    pub description: String,
    pub is_active: bool,
    /// When the token stops working, in milliseconds; 0 for never.
    pub expires_at: i64,
    /// The smallest expiry warning (7, 3 or 1 days before) already sent to the owner; `None`
    /// before the first. Server bookkeeping that upstream hides from JSON but not from its RPC,
    /// hence the Go name.
    #[serde(rename = "LastNotifiedThreshold", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub last_notified_threshold: Option<i64>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(UserAccessToken);

/// `Status::status`: online.
pub const STATUS_ONLINE: &str = "online";
/// `Status::status`: away.
pub const STATUS_AWAY: &str = "away";
/// `Status::status`: do not disturb.
pub const STATUS_DND: &str = "dnd";
/// `Status::status`: offline.
pub const STATUS_OFFLINE: &str = "offline";
/// `Status::status`: out of office.
pub const STATUS_OUT_OF_OFFICE: &str = "ooo";

/// A user's presence. Upstream: `model.Status` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Status {
    pub user_id: String,
    /// One of the `STATUS_*` values.
    pub status: String,
    /// True when the user set the status rather than the server.
    pub manual: bool,
    pub last_activity_at: i64,
    pub active_channel: String,
    /// When a timed do-not-disturb ends, in seconds (not milliseconds) since the epoch.
    pub dnd_end_time: i64,
    /// The status before the current one (to restore after a timed do-not-disturb). Hidden from
    /// JSON upstream but carried by its RPC, hence the Go name.
    #[serde(rename = "PrevStatus", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub prev_status: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Status);

/// A status a user sets for others to see: an emoji, a text and how long it lasts.
/// Upstream: `model.CustomStatus` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct CustomStatus {
    /// The emoji's name, without colons.
    pub emoji: String,
    pub text: String,
    /// `thirty_minutes`, `one_hour`, `four_hours`, `today`, `this_week`, `date_and_time`, or
    /// empty for no expiry.
    pub duration: String,
    /// When the status expires, as an RFC 3339 timestamp (upstream's `time.Time`, which is not a
    /// millisecond count); upstream's zero time `0001-01-01T00:00:00Z` means never.
    pub expires_at: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(CustomStatus);

/// `Preference::category` for direct channels shown in the sidebar (name: the other user's id).
pub const PREFERENCE_CATEGORY_DIRECT_CHANNEL_SHOW: &str = "direct_channel_show";
/// `Preference::category` for group channels shown in the sidebar (name: the channel id).
pub const PREFERENCE_CATEGORY_GROUP_CHANNEL_SHOW: &str = "group_channel_show";
/// `Preference::category` for saved posts (name: the post id).
pub const PREFERENCE_CATEGORY_FLAGGED_POST: &str = "flagged_post";
/// `Preference::category` for favorite channels (name: the channel id).
pub const PREFERENCE_CATEGORY_FAVORITE_CHANNEL: &str = "favorite_channel";
/// `Preference::category` for display settings.
pub const PREFERENCE_CATEGORY_DISPLAY_SETTINGS: &str = "display_settings";
/// `Preference::category` for notification settings.
pub const PREFERENCE_CATEGORY_NOTIFICATIONS: &str = "notifications";
/// `Preference::category` for themes (name: the team id, or empty for all teams).
pub const PREFERENCE_CATEGORY_THEME: &str = "theme";

/// One of a user's preferences: a value under a category and a name. Upstream:
/// `model.Preference` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Preference {
    pub user_id: String,
    /// E.g. one of the `PREFERENCE_CATEGORY_*` values.
    pub category: String,
    pub name: String,
    pub value: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Preference);

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
