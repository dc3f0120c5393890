//! Types without a better home: user groups (`Group` and where its members come from).

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
