//! Notifications shown in the user's client: the options of a toast message.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// How a toast message is shown. Upstream: `model.SendToastMessageOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct SendToastMessageOptions {
    /// Where the toast appears: `top-left`, `top-center`, `top-right`, `bottom-left`,
    /// `bottom-center` or `bottom-right`; empty (or anything else) means `bottom-right`.
    pub position: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(SendToastMessageOptions);
