//! Interactive dialogs: the request that opens one in a user's client, the dialog and its
//! elements.

use super::PostActionOptions;
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// A request to open an interactive dialog in the user's client. Upstream:
/// `model.OpenDialogRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct OpenDialogRequest {
    /// The trigger id from the slash command or action that prompted the dialog.
    pub trigger_id: String,
    /// Where the dialog's submission is sent.
    pub url: String,
    pub dialog: Dialog,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(OpenDialogRequest);

/// An interactive dialog: a title, some form elements and a submit button. Upstream:
/// `model.Dialog`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Dialog {
    /// Passed back with the submission.
    pub callback_id: String,
    pub title: String,
    /// Markdown shown above the elements.
    pub introduction_text: String,
    pub icon_url: String,
    pub elements: Vec<DialogElement>,
    pub submit_label: String,
    /// Send a submission marked as cancelled when the user closes the dialog.
    pub notify_on_cancel: bool,
    /// Passed back with the submission.
    pub state: String,
    /// Where to fetch the dialog from again when a `refresh` element changes.
    pub source_url: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Dialog);

/// One input of an interactive dialog. Upstream: `model.DialogElement`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct DialogElement {
    pub display_name: String,
    /// The key of the element's value in the submission.
    pub name: String,
    /// `text`, `textarea`, `select`, `radio`, `bool`, `date`, `datetime`, ...
    #[serde(rename = "type")]
    pub element_type: String,
    /// For text elements: `email`, `number`, `password`, `tel`, `url`, ...
    #[serde(rename = "subtype")]
    pub sub_type: String,
    pub default: String,
    pub placeholder: String,
    pub help_text: String,
    pub optional: bool,
    pub min_length: i64,
    pub max_length: i64,
    /// For selects: `users`, `channels` or `dynamic` instead of fixed `options`.
    pub data_source: String,
    /// For dynamic selects: where to look options up.
    pub data_source_url: String,
    pub options: Vec<PostActionOptions>,
    #[serde(rename = "multiselect")]
    pub multi_select: bool,
    /// Fetch the dialog again from `Dialog::source_url` when this element changes.
    pub refresh: bool,
    /// For date elements: the earliest date allowed.
    pub min_date: String,
    /// For date elements: the latest date allowed.
    pub max_date: String,
    /// For datetime elements: the step between selectable times, in minutes.
    pub time_interval: i64,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(DialogElement);
