//! Notifications shown in the user's client: the options of a toast message.

use serde::{Deserialize, Serialize};

/// How a toast message is shown. Upstream: `model.SendToastMessageOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendToastMessageOptions {
    /// Where the toast appears: `top-left`, `top-center`, `top-right`, `bottom-left`,
    /// `bottom-center` or `bottom-right`; empty (or anything else) means `bottom-right`.
    pub position: String,
}
