//! OAuth 2.0 client applications registered with the server.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// An OAuth 2.0 client application, registered by an administrator or dynamically (RFC 7591).
/// Upstream: `model.OAuthApp` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct OAuthApp {
    pub id: String,
    pub creator_id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// Empty when the server has sanitized the app for someone not allowed to see it.
    pub client_secret: String,
    pub name: String,
    pub description: String,
    pub icon_url: String,
    pub callback_urls: Vec<String>,
    pub homepage: String,
    /// Trusted apps skip the user's authorization prompt.
    pub is_trusted: bool,
    pub mattermost_app_id: String,
    /// Dynamic client registration: the grant types the client may use.
    pub grant_types: Vec<String>,
    /// Dynamic client registration: the response types the client may use.
    pub response_types: Vec<String>,
    pub token_endpoint_auth_method: Option<String>,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub scope: Option<String>,
    /// When the client id was issued, in milliseconds.
    pub client_id_issued_at: i64,
    pub is_dynamically_registered: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(OAuthApp);
