//! What a "will be" hook decides about the thing it was shown.

use serde::{Deserialize, Serialize};

/// The outcome of a hook that may let something through, replace it, or reject it.
/// Upstream encodes this as a `(*T, string)` pair; here each case is named.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum Verdict<T> {
    /// Let it through unchanged (upstream: `nil, ""`).
    #[default]
    Allow,
    /// Use this replacement instead (upstream: `replacement, ""`).
    Replace(T),
    /// Refuse it, with a reason for the user (upstream: `nil, reason`).
    Reject(String),
}
