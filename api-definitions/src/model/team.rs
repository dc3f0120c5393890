//! Teams and team membership: the team, a member, unread counts, member statistics and the
//! result of adding many members at once.

use super::AppError;
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// `Team::team_type`: anyone on the server may join.
pub const TEAM_OPEN: &str = "O";
/// `Team::team_type`: joining takes an invitation.
pub const TEAM_INVITE: &str = "I";

/// A team. Upstream: `model.Team` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Team {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// When the team was archived; 0 while it is active.
    pub delete_at: i64,
    pub display_name: String,
    /// The URL name, e.g. `engineering`.
    pub name: String,
    pub description: String,
    pub email: String,
    /// [`TEAM_OPEN`] or [`TEAM_INVITE`]; kept in step with `allow_open_invite` by the server.
    #[serde(rename = "type")]
    pub team_type: String,
    pub company_name: String,
    /// Comma- or space-separated email domains allowed to join; empty for any.
    pub allowed_domains: String,
    pub invite_id: String,
    pub allow_open_invite: bool,
    pub last_team_icon_update: i64,
    pub scheme_id: Option<String>,
    pub group_constrained: Option<bool>,
    /// The access-control policy applied to the team, if any.
    pub policy_id: Option<String>,
    pub cloud_limits_archived: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Team);

/// A user's membership of a team. Upstream: `model.TeamMember` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct TeamMember {
    pub team_id: String,
    pub user_id: String,
    /// Space-separated role names.
    pub roles: String,
    /// When the user left the team; 0 while a member.
    pub delete_at: i64,
    pub scheme_guest: bool,
    pub scheme_user: bool,
    pub scheme_admin: bool,
    pub explicit_roles: String,
    /// When the user joined the team, in milliseconds. Hidden from JSON upstream but carried by
    /// its RPC, hence the Go name.
    #[serde(rename = "CreateAt", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub create_at: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(TeamMember);

/// Unread message and mention counts of one team for one user. Upstream: `model.TeamUnread`
/// (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct TeamUnread {
    pub team_id: String,
    pub msg_count: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    pub msg_count_root: i64,
    pub thread_count: i64,
    pub thread_mention_count: i64,
    pub thread_urgent_mention_count: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(TeamUnread);

/// The outcome of adding one user when adding many to a team: the membership, or the error.
/// Upstream: `model.TeamMemberWithError` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct TeamMemberWithError {
    pub user_id: String,
    /// The new membership; `None` when adding the user failed.
    pub member: Option<TeamMember>,
    /// Why adding the user failed; `None` on success.
    pub error: Option<AppError>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(TeamMemberWithError);

/// Member counts of a team. Upstream: `model.TeamStats` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct TeamStats {
    pub team_id: String,
    pub total_member_count: i64,
    pub active_member_count: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(TeamStats);
