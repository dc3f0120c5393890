//! The server's license: who it is for, when it is valid, and which features it unlocks.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// `License::sku_short_name` of a Professional license.
pub const LICENSE_SHORT_SKU_PROFESSIONAL: &str = "professional";
/// `License::sku_short_name` of an Enterprise license.
pub const LICENSE_SHORT_SKU_ENTERPRISE: &str = "enterprise";
/// `License::sku_short_name` of an Enterprise Advanced license.
pub const LICENSE_SHORT_SKU_ENTERPRISE_ADVANCED: &str = "advanced";
/// `License::sku_short_name` of a Mattermost Entry license.
pub const LICENSE_SHORT_SKU_ENTRY: &str = "entry";

/// An installed license. Upstream: `model.License` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct License {
    pub id: String,
    /// Times in milliseconds since the epoch.
    pub issued_at: i64,
    pub starts_at: i64,
    pub expires_at: i64,
    pub customer: Option<Customer>,
    pub features: Option<Features>,
    pub sku_name: String,
    /// One of the `LICENSE_SHORT_SKU_*` values, among older ones (`E10`, `E20`).
    pub sku_short_name: String,
    pub is_trial: bool,
    pub is_gov_sku: bool,
    pub is_seat_count_enforced: bool,
    /// Users allowed beyond the licensed count before user creation stops; `None` for 0.
    pub extra_users: Option<i64>,
    pub signup_jwt: Option<String>,
    pub limits: Option<LicenseLimits>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(License);

/// Whom a license was issued to. Upstream: `model.Customer` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub email: String,
    pub company: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Customer);

/// Usage limits some licenses carry. Upstream: `model.LicenseLimits` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct LicenseLimits {
    pub post_history: i64,
    pub board_cards: i64,
    pub playbook_runs: i64,
    #[serde(rename = "call_duration")]
    pub call_duration_seconds: i64,
    pub agents_prompts: i64,
    pub push_notifications: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(LicenseLimits);

/// The features a license unlocks; `None` means the license does not say (the server fills in
/// defaults). Upstream: `model.Features` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Features {
    /// The number of licensed users.
    pub users: Option<i64>,
    pub ldap: Option<bool>,
    pub ldap_groups: Option<bool>,
    pub mfa: Option<bool>,
    pub google_oauth: Option<bool>,
    pub office365_oauth: Option<bool>,
    #[serde(rename = "openid")]
    pub open_id: Option<bool>,
    pub compliance: Option<bool>,
    pub cluster: Option<bool>,
    pub metrics: Option<bool>,
    pub mhpns: Option<bool>,
    pub saml: Option<bool>,
    #[serde(rename = "elastic_search")]
    pub elasticsearch: Option<bool>,
    pub announcement: Option<bool>,
    pub theme_management: Option<bool>,
    pub email_notification_contents: Option<bool>,
    pub data_retention: Option<bool>,
    pub message_export: Option<bool>,
    pub custom_permissions_schemes: Option<bool>,
    pub custom_terms_of_service: Option<bool>,
    pub guest_accounts: Option<bool>,
    pub guest_accounts_permissions: Option<bool>,
    #[serde(rename = "id_loaded")]
    pub id_loaded_push_notifications: Option<bool>,
    pub lock_teammate_name_display: Option<bool>,
    pub enterprise_plugins: Option<bool>,
    pub advanced_logging: Option<bool>,
    pub cloud: Option<bool>,
    pub shared_channels: Option<bool>,
    pub remote_cluster_service: Option<bool>,
    pub outgoing_oauth_connections: Option<bool>,
    pub auto_translation: Option<bool>,
    /// The default for features the license does not name.
    pub future_features: Option<bool>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Features);
