//! Audit log records.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `AuditRecord::status` of an event that succeeded.
pub const AUDIT_STATUS_SUCCESS: &str = "success";
/// `AuditRecord::status` of an event that was attempted (outcome not yet known).
pub const AUDIT_STATUS_ATTEMPT: &str = "attempt";
/// `AuditRecord::status` of an event that failed.
pub const AUDIT_STATUS_FAIL: &str = "fail";

/// One entry of the audit log: what happened, to what, by whom, and how it ended.
/// Upstream: `model.AuditRecord` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AuditRecord {
    pub event_name: String,
    /// One of the `AUDIT_STATUS_*` values.
    pub status: String,
    #[serde(rename = "event")]
    pub event_data: AuditEventData,
    pub actor: AuditEventActor,
    /// Related information not about the modified object itself.
    pub meta: BTreeMap<String, serde_json::Value>,
    pub error: AuditEventError,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AuditRecord);

/// The object an audited event concerns: the request's parameters and the object's state
/// before and after. Upstream: `model.AuditEventData`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AuditEventData {
    pub parameters: BTreeMap<String, serde_json::Value>,
    pub prior_state: BTreeMap<String, serde_json::Value>,
    #[serde(rename = "resulting_state")]
    pub result_state: BTreeMap<String, serde_json::Value>,
    /// The kind of object, e.g. `post`.
    pub object_type: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AuditEventData);

/// Who triggered an audited event. Upstream: `model.AuditEventActor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AuditEventActor {
    pub user_id: String,
    pub session_id: String,
    pub client: String,
    pub ip_address: String,
    pub x_forwarded_for: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AuditEventActor);

/// Why an audited event failed. Upstream: `model.AuditEventError`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AuditEventError {
    pub description: String,
    /// The HTTP status code of the failure.
    #[serde(rename = "status_code")]
    pub code: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AuditEventError);
