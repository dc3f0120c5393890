//! Attribute-based access control (ABAC) as plugins see it: the decision the server's policy
//! engine gives for one request, the policies a plugin stores for its own resources, and what
//! the policy editor needs (expression errors, a test query's users, the visual form of an
//! expression).

use super::User;
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `AccessDecision::context` key under which the engine gives the reason for its decision.
/// Upstream: `model.AccessDecisionContextKeyReason`.
pub const ACCESS_DECISION_CONTEXT_KEY_REASON: &str = "reason";
/// The reason marking an allow as vacuous: no policy covers the resource. Upstream:
/// `model.AccessDecisionReasonNoPolicy`.
pub const ACCESS_DECISION_REASON_NO_POLICY: &str = "no_policy";

/// The policy engine's answer to "may this user do this action on this resource?", shaped like
/// an OpenID AuthZEN evaluation response: a yes or no, and optional context. Upstream:
/// `model.AccessDecision` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AccessDecision {
    /// True when the request is allowed.
    pub decision: bool,
    /// Extra facts about the decision, e.g. [`ACCESS_DECISION_CONTEXT_KEY_REASON`].
    pub context: BTreeMap<String, serde_json::Value>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AccessDecision);

impl AccessDecision {
    /// The allow the engine gives when no policy governs the resource. Upstream:
    /// `model.NewNoPolicyAccessDecision`.
    pub fn no_policy() -> Self {
        let reason = serde_json::Value::String(ACCESS_DECISION_REASON_NO_POLICY.to_owned());
        AccessDecision {
            decision: true,
            context: BTreeMap::from([(ACCESS_DECISION_CONTEXT_KEY_REASON.to_owned(), reason)]),
            unknown_fields: UnknownFields::default(),
        }
    }

    /// Whether the engine found no policy for the resource, so the caller may apply its own
    /// defaults instead of taking the allow as a grant. Needs both the allow and the reason: a
    /// deny is never read as "no policy", whatever its context says, so a plugin that falls
    /// back to open defaults here cannot be opened by a deny that carries the wrong reason.
    pub fn is_no_policy(&self) -> bool {
        self.decision
            && self.context.get(ACCESS_DECISION_CONTEXT_KEY_REASON).and_then(serde_json::Value::as_str)
                == Some(ACCESS_DECISION_REASON_NO_POLICY)
    }
}

/// `AccessControlPolicy::policy_type` of a policy others import.
pub const ACCESS_CONTROL_POLICY_TYPE_PARENT: &str = "parent";
/// `AccessControlPolicy::policy_type` of a channel's own policy.
pub const ACCESS_CONTROL_POLICY_TYPE_CHANNEL: &str = "channel";
/// `AccessControlPolicy::policy_type` of a system permission policy.
pub const ACCESS_CONTROL_POLICY_TYPE_PERMISSION: &str = "permission";
/// `AccessControlPolicy::policy_type` of a team's policy.
pub const ACCESS_CONTROL_POLICY_TYPE_TEAM: &str = "team";
/// Separates the owning plugin's id from the resource type in the policy type of a
/// plugin-owned policy: `<plugin id>:<resource type>`.
pub const PLUGIN_ACCESS_CONTROL_POLICY_TYPE_SEPARATOR: &str = ":";

/// `AccessControlPolicy::version` values.
pub const ACCESS_CONTROL_POLICY_VERSION_V0_1: &str = "v0.1";
pub const ACCESS_CONTROL_POLICY_VERSION_V0_2: &str = "v0.2";
pub const ACCESS_CONTROL_POLICY_VERSION_V0_3: &str = "v0.3";
pub const ACCESS_CONTROL_POLICY_VERSION_V0_4: &str = "v0.4";
/// The version of plugin-owned policies; the server sets it when a plugin saves one.
pub const ACCESS_CONTROL_POLICY_VERSION_V0_5: &str = "v0.5";

/// `AccessControlPolicyRule::actions` values of the server's own policies (a plugin's policies
/// name their own actions).
pub const ACCESS_CONTROL_POLICY_ACTION_MEMBERSHIP: &str = "membership";
pub const ACCESS_CONTROL_POLICY_ACTION_UPLOAD_FILE_ATTACHMENT: &str = "upload_file_attachment";
pub const ACCESS_CONTROL_POLICY_ACTION_DOWNLOAD_FILE_ATTACHMENT: &str = "download_file_attachment";
pub const ACCESS_CONTROL_POLICY_ACTION_CREATE_BURN_ON_READ_POST: &str = "create_burn_on_read_post";

/// An access-control policy: rules written as CEL expressions over user attributes, with the
/// actions each rule governs. Upstream: `model.AccessControlPolicy` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AccessControlPolicy {
    /// For a plugin's policy, the id of the resource it governs.
    pub id: String,
    pub name: String,
    /// One of the `ACCESS_CONTROL_POLICY_TYPE_*` values, or `<plugin id>:<resource type>` for a
    /// plugin's policy.
    #[serde(rename = "type")]
    pub policy_type: String,
    pub active: bool,
    pub create_at: i64,
    pub revision: i64,
    /// One of the `ACCESS_CONTROL_POLICY_VERSION_*` values.
    pub version: String,
    /// The roles a permission policy applies to.
    pub roles: Vec<String>,
    /// The ids of the parent policies this one imports.
    pub imports: Vec<String>,
    pub rules: Vec<AccessControlPolicyRule>,
    /// Empty for a system-wide policy, `team` for one scoped to the team `scope_id`.
    pub scope: String,
    pub scope_id: String,
    pub props: BTreeMap<String, serde_json::Value>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AccessControlPolicy);

/// One rule of a policy: a CEL expression and the actions it allows when it holds. Upstream:
/// `model.AccessControlPolicyRule` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AccessControlPolicyRule {
    pub actions: Vec<String>,
    /// A CEL expression, e.g. `user.attributes.Team == "Engineering"`.
    pub expression: String,
    /// A label for administrators, unique within the policy (permission rules).
    pub name: String,
    /// The channel role a permission rule applies to (`channel_guest`, `channel_user`,
    /// `channel_admin`); empty for membership rules.
    pub role: String,
    /// Settings that take no part in evaluation, e.g. `auto_add`.
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AccessControlPolicyRule);

/// A problem found in a CEL expression, with where it is. Upstream: `model.CELExpressionError`
/// (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct CELExpressionError {
    pub line: i64,
    pub column: i64,
    pub message: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(CELExpressionError);

/// The users an expression matches, one page of them, and how many match in all. Upstream:
/// `model.AccessControlPolicyTestResponse` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AccessControlPolicyTestResponse {
    pub users: Vec<User>,
    pub total: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AccessControlPolicyTestResponse);

/// What the right-hand side of a [`Condition`] is: one of the `VALUE_TYPE_*` values. Upstream:
/// `model.ValueType`, an integer.
pub type ValueType = i64;

/// `Condition::value` is a literal.
pub const VALUE_TYPE_LITERAL: ValueType = 0;
/// `Condition::value` names another attribute.
pub const VALUE_TYPE_ATTRIBUTE: ValueType = 1;

/// One comparison of an expression in its visual (table) form, e.g. the attribute
/// `user.attributes.Team`, the operator `==` and the value `Engineering`. Upstream:
/// `model.Condition` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Condition {
    pub attribute: String,
    pub operator: String,
    /// One value, or a list of them for `in`.
    pub value: serde_json::Value,
    /// One of the `VALUE_TYPE_*` values.
    pub value_type: ValueType,
    /// The attribute's field type, e.g. `text` or `multiselect`.
    pub attribute_type: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Condition);

/// An expression as a list of conditions that must all hold, the form the policy editor's table
/// shows. Upstream: `model.VisualExpression` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct VisualExpression {
    pub conditions: Vec<Condition>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(VisualExpression);

#[cfg(test)]
mod tests {
    use super::*;

    fn with_reason(decision: bool, reason: serde_json::Value) -> AccessDecision {
        AccessDecision {
            decision,
            context: BTreeMap::from([(ACCESS_DECISION_CONTEXT_KEY_REASON.to_owned(), reason)]),
            ..AccessDecision::default()
        }
    }

    #[test]
    fn only_an_allow_with_the_no_policy_reason_is_no_policy() {
        assert!(AccessDecision::no_policy().is_no_policy());
        assert!(!AccessDecision { decision: true, ..AccessDecision::default() }.is_no_policy());
        assert!(!with_reason(true, "something_else".into()).is_no_policy());
        assert!(!with_reason(true, 1.into()).is_no_policy());
        // A deny that says "no policy" is still a deny: a caller must not fail open on it.
        assert!(!with_reason(false, ACCESS_DECISION_REASON_NO_POLICY.into()).is_no_policy());
    }

    #[test]
    fn the_no_policy_decision_has_upstreams_json_shape() {
        let json = serde_json::to_value(AccessDecision::no_policy()).unwrap();
        assert_eq!(json, serde_json::json!({"decision": true, "context": {"reason": "no_policy"}}));
    }
}
