//! Permissions: what roles grant, and where each permission applies.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

pub const PERMISSION_SCOPE_SYSTEM: &str = "system_scope";
pub const PERMISSION_SCOPE_TEAM: &str = "team_scope";
pub const PERMISSION_SCOPE_CHANNEL: &str = "channel_scope";
pub const PERMISSION_SCOPE_GROUP: &str = "group_scope";
pub const PERMISSION_SCOPE_PLAYBOOK: &str = "playbook_scope";
pub const PERMISSION_SCOPE_RUN: &str = "run_scope";

/// A permission that roles grant, e.g. `create_post`. Upstream: `model.Permission`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Permission {
    /// The permission's id, e.g. `manage_team`.
    pub id: String,
    pub name: String,
    pub description: String,
    /// Where the permission applies: one of the `PERMISSION_SCOPE_*` values.
    pub scope: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Permission);
