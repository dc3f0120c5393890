//! The error every generated call can fail with before it reaches the other side's
//! implementation: transport, codec and protocol failures, as one typed value.
//!
//! Generated clients never swallow these (upstream's generated client logs them and returns zero
//! values); they convert them into the method's own error type through `From<RpcError>`, so a
//! failed call is always an `Err` at the call site.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A failure of the call machinery rather than of the called method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RpcError {
    /// The connection to the peer is gone (the process exited, crashed or closed its pipes)
    /// before the reply arrived.
    Disconnected { detail: String },
    /// The call's deadline passed before the reply arrived; a late reply is discarded.
    Timeout { after_ms: u64 },
    /// The caller cancelled the call; a late reply is discarded.
    Cancelled,
    /// The peer does not implement this method: a hook the plugin left out, or a method the
    /// peer's (older or newer) copy of the definitions does not have.
    NotImplemented { method: String },
    /// The arguments or the result could not be encoded or decoded.
    Codec { method: String, detail: String },
    /// The peer broke the wire protocol (bad frame, wrong handshake, unexpected message).
    Protocol { detail: String },
    /// A frame was larger than the configured limit; it was refused before being allocated.
    FrameTooLarge { size: u64, limit: u64 },
    /// The implementation panicked while serving the call; the serving process lives on.
    Panicked { method: String, message: String },
}

impl RpcError {
    /// An error for a method that the serving side does not implement.
    pub fn not_implemented(method: impl Into<String>) -> Self {
        RpcError::NotImplemented { method: method.into() }
    }

    /// An error for a value that failed to encode or decode while calling `method`.
    pub fn codec(method: impl Into<String>, detail: impl fmt::Display) -> Self {
        RpcError::Codec { method: method.into(), detail: detail.to_string() }
    }

    /// True when the peer lacks the method; callers of optional hooks treat this as "no opinion".
    pub fn is_not_implemented(&self) -> bool {
        matches!(self, RpcError::NotImplemented { .. })
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpcError::Disconnected { detail } => write!(f, "plugin connection lost: {detail}"),
            RpcError::Timeout { after_ms } => write!(f, "call timed out after {after_ms} ms"),
            RpcError::Cancelled => write!(f, "call cancelled"),
            RpcError::NotImplemented { method } => {
                write!(f, "method `{method}` is not implemented by the peer")
            }
            RpcError::Codec { method, detail } => {
                write!(f, "could not encode or decode `{method}`: {detail}")
            }
            RpcError::Protocol { detail } => write!(f, "protocol error: {detail}"),
            RpcError::FrameTooLarge { size, limit } => {
                write!(f, "frame of {size} bytes exceeds the limit of {limit} bytes")
            }
            RpcError::Panicked { method, message } => {
                write!(f, "implementation of `{method}` panicked: {message}")
            }
        }
    }
}

impl std::error::Error for RpcError {}

/// The `Err` value a default (not overridden) trait method returns: "this side does not
/// implement `method`", in whatever error type the method declares.
pub fn not_implemented<E: From<RpcError>>(method: &str) -> E {
    E::from(RpcError::not_implemented(method))
}
