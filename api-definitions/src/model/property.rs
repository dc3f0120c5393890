//! The property system: groups of typed fields attached to objects (users, channels, posts,
//! ...), the values those fields take, and the options for searching them.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The type of a property field's values. Upstream: `model.PropertyFieldType`, a string.
pub type PropertyFieldType = String;

pub const PROPERTY_FIELD_TYPE_TEXT: &str = "text";
pub const PROPERTY_FIELD_TYPE_SELECT: &str = "select";
pub const PROPERTY_FIELD_TYPE_MULTISELECT: &str = "multiselect";
pub const PROPERTY_FIELD_TYPE_DATE: &str = "date";
pub const PROPERTY_FIELD_TYPE_USER: &str = "user";
pub const PROPERTY_FIELD_TYPE_MULTIUSER: &str = "multiuser";
pub const PROPERTY_FIELD_TYPE_RANK: &str = "rank";
/// A multi-value select whose options form a hierarchy.
pub const PROPERTY_FIELD_TYPE_GRAPH: &str = "graph";

/// Who may perform an operation on a property field. Upstream: `model.PermissionLevel`, a
/// string.
pub type PermissionLevel = String;

pub const PERMISSION_LEVEL_NONE: &str = "none";
pub const PERMISSION_LEVEL_SYSADMIN: &str = "sysadmin";
pub const PERMISSION_LEVEL_MEMBER: &str = "member";
/// The admin of the field's target: system, team or channel admin.
pub const PERMISSION_LEVEL_ADMIN: &str = "admin";
pub const PERMISSION_LEVEL_EVERYONE: &str = "everyone";

/// `PropertyField::object_type` values.
pub const PROPERTY_FIELD_OBJECT_TYPE_POST: &str = "post";
pub const PROPERTY_FIELD_OBJECT_TYPE_CHANNEL: &str = "channel";
pub const PROPERTY_FIELD_OBJECT_TYPE_USER: &str = "user";
pub const PROPERTY_FIELD_OBJECT_TYPE_TEMPLATE: &str = "template";
pub const PROPERTY_FIELD_OBJECT_TYPE_SESSION: &str = "session";
pub const PROPERTY_FIELD_OBJECT_TYPE_SYSTEM: &str = "system";

/// The key of `PropertyField::attrs` that holds a select field's options.
pub const PROPERTY_FIELD_ATTRIBUTE_OPTIONS: &str = "options";

/// A named group of property fields, owned by a feature or plugin. Upstream:
/// `model.PropertyGroup`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyGroup {
    pub id: String,
    pub name: String,
    /// The property schema the group uses: 1 (legacy) or 2.
    pub version: i64,
    pub schema_version: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyGroup);

/// The definition of a property: its name, type, type-specific attributes and what it
/// attaches to. Upstream: `model.PropertyField` (all fields; `permissions`, a deep and still
/// evolving access-rule object, is kept as untyped JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyField {
    pub id: String,
    pub group_id: String,
    pub name: String,
    /// One of the `PROPERTY_FIELD_TYPE_*` values.
    #[serde(rename = "type")]
    pub field_type: PropertyFieldType,
    /// Type-specific settings, e.g. `options` for select fields.
    pub attrs: BTreeMap<String, serde_json::Value>,
    pub target_id: String,
    /// `system`, `team` or `channel` for version-2 fields; free-form for legacy ones.
    pub target_type: String,
    /// The kind of object the field describes (`PROPERTY_FIELD_OBJECT_TYPE_*`); empty for
    /// legacy fields.
    pub object_type: String,
    /// Protected fields may only be changed by their owner.
    pub protected: bool,
    pub permission_field: Option<PermissionLevel>,
    pub permission_values: Option<PermissionLevel>,
    pub permission_options: Option<PermissionLevel>,
    /// Upstream's `*model.Permissions` access rules, as JSON.
    pub permissions: Option<serde_json::Value>,
    /// The field this one is linked to, if any.
    pub linked_field_id: Option<String>,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub created_by: String,
    pub updated_by: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyField);

/// The value a property field takes for one object. Upstream: `model.PropertyValue` (all
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyValue {
    pub id: String,
    /// The object the value belongs to (`system` for system values).
    pub target_id: String,
    /// The kind of that object: `post`, `user`, `channel`, `system`, ...
    pub target_type: String,
    pub group_id: String,
    pub field_id: String,
    /// The value itself, as JSON (a string, a list of option ids, ...).
    pub value: serde_json::Value,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub created_by: String,
    pub updated_by: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyValue);

/// Where a page of property fields starts: after the field with this id and time. Set
/// `create_at` when listing, `update_at` when listing changes since a time. Upstream:
/// `model.PropertyFieldSearchCursor` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyFieldSearchCursor {
    #[serde(rename = "PropertyFieldID")]
    pub property_field_id: String,
    #[serde(rename = "CreateAt")]
    pub create_at: i64,
    #[serde(rename = "UpdateAt")]
    pub update_at: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyFieldSearchCursor);

/// Filters for searching property fields. Upstream: `model.PropertyFieldSearchOpts` (no JSON
/// tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyFieldSearchOpts {
    #[serde(rename = "GroupID")]
    pub group_id: String,
    /// Deprecated in favour of `object_types`; the two are mutually exclusive.
    #[serde(rename = "ObjectType")]
    pub object_type: String,
    #[serde(rename = "ObjectTypes")]
    pub object_types: Vec<String>,
    #[serde(rename = "TargetType")]
    pub target_type: String,
    #[serde(rename = "TargetIDs")]
    pub target_ids: Vec<String>,
    /// With `team_id`: fields at this channel and every level above it.
    #[serde(rename = "ChannelID")]
    pub channel_id: String,
    #[serde(rename = "TeamID")]
    pub team_id: String,
    #[serde(rename = "LinkedFieldID")]
    pub linked_field_id: String,
    /// When positive, only fields changed after this time (deleted ones included), in update
    /// order.
    #[serde(rename = "SinceUpdateAt")]
    pub since_update_at: i64,
    #[serde(rename = "IncludeDeleted")]
    pub include_deleted: bool,
    #[serde(rename = "Cursor")]
    pub cursor: PropertyFieldSearchCursor,
    #[serde(rename = "PerPage")]
    pub per_page: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyFieldSearchOpts);

/// Where a page of property values starts; see [`PropertyFieldSearchCursor`]. Upstream:
/// `model.PropertyValueSearchCursor` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyValueSearchCursor {
    #[serde(rename = "PropertyValueID")]
    pub property_value_id: String,
    #[serde(rename = "CreateAt")]
    pub create_at: i64,
    #[serde(rename = "UpdateAt")]
    pub update_at: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyValueSearchCursor);

/// Filters for searching property values. Upstream: `model.PropertyValueSearchOpts` (no JSON
/// tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyValueSearchOpts {
    #[serde(rename = "GroupID")]
    pub group_id: String,
    #[serde(rename = "TargetType")]
    pub target_type: String,
    #[serde(rename = "TargetIDs")]
    pub target_ids: Vec<String>,
    #[serde(rename = "FieldID")]
    pub field_id: String,
    /// When positive, only values changed after this time (deleted ones included), in update
    /// order.
    #[serde(rename = "SinceUpdateAt")]
    pub since_update_at: i64,
    #[serde(rename = "IncludeDeleted")]
    pub include_deleted: bool,
    #[serde(rename = "Cursor")]
    pub cursor: PropertyValueSearchCursor,
    #[serde(rename = "PerPage")]
    pub per_page: i64,
    /// Only values equal to this JSON; null for any value.
    #[serde(rename = "Value")]
    pub value: serde_json::Value,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyValueSearchOpts);

/// What the calling plugin declares about itself for one property call. Upstream:
/// `model.PropertyRequestOptions` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PropertyRequestOptions {
    /// The owner-defined scope the caller acts as (e.g. `entra`); empty for none.
    #[serde(rename = "ActingAsScope")]
    pub acting_as_scope: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PropertyRequestOptions);
