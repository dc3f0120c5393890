//! The error every generated call can fail with before it reaches the other side's
//! implementation: transport, codec and protocol failures, as one typed value.
//!
//! Generated clients never swallow these (upstream's generated client logs them and returns zero
//! values); they convert them into the method's own error type through `From<RpcError>`, so a
//! failed call is always an `Err` at the call site.
//!
//! Some methods (many hooks) have no error type of their own: upstream's Go signature returns no
//! `error`, so their only `Err` is `RpcError`. For them [`RpcError::Failed`] carries the
//! implementation's own failure, and `?` on an `io::Error` lands there.

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
    /// The implementation failed with an error of its own, for methods whose only error type is
    /// `RpcError` (a hook reading a stream that broke, a store it could not reach). `message`
    /// says why, for the caller's log. A peer built before this variant existed decodes it as a
    /// `Codec` error: still a failed call.
    Failed { message: String },
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

    /// An error for an implementation that failed with an error of its own (`message`).
    pub fn failed(message: impl fmt::Display) -> Self {
        RpcError::Failed { message: message.to_string() }
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
            RpcError::Failed { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for RpcError {}

/// `?` on an I/O error in a method that returns `RpcError`: the implementation failed
/// ([`RpcError::Failed`] with the error's text), unless the I/O error wraps an `RpcError` (a
/// reader over a call that failed), which comes back as itself. An I/O error is not a lost
/// connection: the method's own file or stream failed, and the call itself went through.
impl From<std::io::Error> for RpcError {
    fn from(err: std::io::Error) -> Self {
        match err.get_ref().and_then(|inner| inner.downcast_ref::<RpcError>()) {
            Some(rpc) => rpc.clone(),
            None => RpcError::Failed { message: err.to_string() },
        }
    }
}

/// The `Err` value a default (not overridden) trait method returns: "this side does not
/// implement `method`", in whatever error type the method declares.
pub fn not_implemented<E: From<RpcError>>(method: &str) -> E {
    E::from(RpcError::not_implemented(method))
}

#[cfg(test)]
mod tests {
    use super::RpcError;
    use std::io;

    #[test]
    fn an_io_error_is_a_failure_of_the_implementation_not_of_the_connection() {
        let err = RpcError::from(io::Error::new(io::ErrorKind::NotFound, "notes.txt: no such file"));
        assert_eq!(err, RpcError::Failed { message: "notes.txt: no such file".into() });
        assert_eq!(err.to_string(), "notes.txt: no such file");
    }

    #[test]
    fn an_io_error_that_wraps_an_rpc_error_comes_back_as_itself() {
        let inner = RpcError::Timeout { after_ms: 500 };
        assert_eq!(RpcError::from(io::Error::other(inner.clone())), inner);
    }
}
