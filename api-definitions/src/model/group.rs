//! User groups: `Group` itself and where its members come from, memberships, the teams and
//! channels a group is synced to, and the options for searching groups and rebuilding
//! memberships.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// Where a group's members come from: one of the `GROUP_SOURCE_*` values. Upstream:
/// `model.GroupSource`.
pub type GroupSource = String;

/// A group synced from LDAP.
pub const GROUP_SOURCE_LDAP: &str = "ldap";
/// A group made and managed in Mattermost.
pub const GROUP_SOURCE_CUSTOM: &str = "custom";

/// A group of users that can be mentioned together and synced to teams and channels. Upstream:
/// `model.Group` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Group {
    pub id: String,
    /// The name used in mentions (`@name`); `None` for groups that cannot be mentioned.
    pub name: Option<String>,
    pub display_name: String,
    pub description: String,
    pub source: GroupSource,
    /// The group's id at its source (the LDAP group's id); required for LDAP groups.
    pub remote_id: Option<String>,
    pub create_at: i64,
    pub update_at: i64,
    /// When the group was archived; 0 while it is active.
    pub delete_at: i64,
    /// Whether the group is synced to any team or channel.
    pub has_syncables: bool,
    /// The number of members, when asked for.
    pub member_count: Option<i64>,
    /// Whether the group can be mentioned.
    pub allow_reference: bool,
    /// The number of members who are in a given channel, when asked for.
    pub channel_member_count: Option<i64>,
    /// The number of distinct timezones among those channel members, when asked for.
    pub channel_member_timezones_count: Option<i64>,
    /// The members' user ids, when asked for.
    pub member_ids: Vec<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Group);

/// A user's membership in a group. Upstream: `model.GroupMember`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct GroupMember {
    pub group_id: String,
    pub user_id: String,
    pub create_at: i64,
    /// When the membership was removed, in milliseconds; 0 while it is current.
    pub delete_at: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(GroupMember);

/// The kind of object a group is synced to. Upstream: `model.GroupSyncableType`, a string.
pub type GroupSyncableType = String;

/// A group synced to a team.
pub const GROUP_SYNCABLE_TYPE_TEAM: &str = "Team";
/// A group synced to a channel.
pub const GROUP_SYNCABLE_TYPE_CHANNEL: &str = "Channel";

/// The link between a group and a team or channel whose membership follows the group.
/// Upstream: `model.GroupSyncable`, in the shape its custom JSON encoding gives it: the synced
/// object's id is in `team_id` (type `Team`) or `channel_id` (type `Channel`; `team_id` is then
/// the channel's team), next to the display names and types joined in from it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct GroupSyncable {
    pub group_id: String,
    /// Add the group's members to the team or channel automatically.
    pub auto_add: bool,
    /// Make the group's members admins of the team or channel.
    pub scheme_admin: bool,
    pub create_at: i64,
    pub delete_at: i64,
    pub update_at: i64,
    /// One of the `GROUP_SYNCABLE_TYPE_*` values.
    #[serde(rename = "type")]
    pub syncable_type: GroupSyncableType,
    /// The synced team (type `Team`), or the synced channel's team (type `Channel`).
    pub team_id: String,
    /// The synced channel (type `Channel` only).
    pub channel_id: String,
    pub team_display_name: String,
    pub team_type: String,
    pub channel_display_name: String,
    pub channel_type: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(GroupSyncable);

impl GroupSyncable {
    /// The id of the synced object: the channel for a channel syncable, the team otherwise
    /// (upstream's `SyncableId`).
    pub fn syncable_id(&self) -> &str {
        if self.syncable_type == GROUP_SYNCABLE_TYPE_CHANNEL {
            &self.channel_id
        } else {
            &self.team_id
        }
    }
}

/// Which page of results to return. Upstream: `model.PageOpts` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PageOpts {
    #[serde(rename = "Page")]
    pub page: i64,
    #[serde(rename = "PerPage")]
    pub per_page: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PageOpts);

/// Filters for listing groups. Upstream: `model.GroupSearchOpts` (all fields; no JSON tags, so
/// the names are the Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct GroupSearchOpts {
    /// Text to match against the group's name and display name.
    #[serde(rename = "Q")]
    pub q: String,
    /// Leave out groups already synced to this team.
    #[serde(rename = "NotAssociatedToTeam")]
    pub not_associated_to_team: String,
    /// Leave out groups already synced to this channel.
    #[serde(rename = "NotAssociatedToChannel")]
    pub not_associated_to_channel: String,
    #[serde(rename = "IncludeMemberCount")]
    pub include_member_count: bool,
    /// Only groups that can be mentioned.
    #[serde(rename = "FilterAllowReference")]
    pub filter_allow_reference: bool,
    #[serde(rename = "PageOpts")]
    pub page_opts: Option<PageOpts>,
    /// Only groups changed at or after this time, in milliseconds.
    #[serde(rename = "Since")]
    pub since: i64,
    /// Only groups from this source (`ldap`, `custom`); empty for any.
    #[serde(rename = "Source")]
    pub source: super::GroupSource,
    /// With `not_associated_to_channel`, keep only groups also synced to the channel's team
    /// (when that team is group-constrained).
    #[serde(rename = "FilterParentTeamPermitted")]
    pub filter_parent_team_permitted: bool,
    /// Only groups this user is a member of.
    #[serde(rename = "FilterHasMember")]
    pub filter_has_member: String,
    /// Count the group's members in this channel.
    #[serde(rename = "IncludeChannelMemberCount")]
    pub include_channel_member_count: String,
    #[serde(rename = "IncludeTimezones")]
    pub include_timezones: bool,
    #[serde(rename = "IncludeMemberIDs")]
    pub include_member_ids: bool,
    /// Include archived groups.
    #[serde(rename = "IncludeArchived")]
    pub include_archived: bool,
    /// Only archived groups.
    #[serde(rename = "FilterArchived")]
    pub filter_archived: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(GroupSearchOpts);

/// Which users may be seen by the one asking: only those sharing one of these teams or
/// channels. Upstream: `model.ViewUsersRestrictions` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ViewUsersRestrictions {
    #[serde(rename = "Teams")]
    pub teams: Vec<String>,
    #[serde(rename = "Channels")]
    pub channels: Vec<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ViewUsersRestrictions);

/// Options for adding group members to the teams and channels their groups are synced to.
/// Upstream: `model.CreateDefaultMembershipParams` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct CreateDefaultMembershipParams {
    /// Only memberships in groups changed at or after this time, in milliseconds.
    #[serde(rename = "Since")]
    pub since: i64,
    /// Add back users who had removed themselves.
    #[serde(rename = "ReAddRemovedMembers")]
    pub re_add_removed_members: bool,
    /// Only this user.
    #[serde(rename = "ScopedUserID")]
    pub scoped_user_id: Option<String>,
    /// Only this team.
    #[serde(rename = "ScopedTeamID")]
    pub scoped_team_id: Option<String>,
    /// Only this channel.
    #[serde(rename = "ScopedChannelID")]
    pub scoped_channel_id: Option<String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(CreateDefaultMembershipParams);
