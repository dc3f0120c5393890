//! Sessions: a signed-in user's token, with its expiry, roles and team memberships.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `Session::props` key: the platform the session was made from.
pub const SESSION_PROP_PLATFORM: &str = "platform";
/// `Session::props` key: the operating system the session was made from.
pub const SESSION_PROP_OS: &str = "os";
/// `Session::props` key: the browser the session was made from.
pub const SESSION_PROP_BROWSER: &str = "browser";
/// `Session::props` key: the kind of session, e.g. [`SESSION_TYPE_USER_ACCESS_TOKEN`].
pub const SESSION_PROP_TYPE: &str = "type";
/// `Session::props` key: `"true"` for a bot's session.
pub const SESSION_PROP_IS_BOT: &str = "is_bot";
/// `Session::props` key: `"true"` for a guest's session.
pub const SESSION_PROP_IS_GUEST: &str = "is_guest";
/// `Session::props["type"]` of a session made from a personal access token.
pub const SESSION_TYPE_USER_ACCESS_TOKEN: &str = "UserAccessToken";

/// A signed-in session. Upstream: `model.Session` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Session {
    pub id: String,
    /// The bearer token; sanitized (empty) wherever the server does not need to reveal it.
    pub token: String,
    pub create_at: i64,
    /// When the session ends, in milliseconds; 0 or less for never.
    pub expires_at: i64,
    pub last_activity_at: i64,
    pub user_id: String,
    /// The mobile device the session belongs to, if any.
    pub device_id: String,
    /// Space-separated role names.
    pub roles: String,
    pub is_oauth: bool,
    pub expired_notify: bool,
    /// Keyed by the `SESSION_PROP_*` names, among others.
    pub props: BTreeMap<String, String>,
    /// The user's team memberships, when the server filled them in.
    pub team_members: Vec<super::TeamMember>,
    /// True for a local-mode (unrestricted) session.
    pub local: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Session);
