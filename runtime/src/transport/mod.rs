//! The process transport: calls and byte streams between two processes over a pair of
//! anonymous pipes, in both directions at once. `docs/wire-protocol.md` describes the bytes;
//! this module is the Rust implementation.
//!
//! - [`frame`]: the frame header and bodies, and the bounded decoder.
//! - `conn`: [`Connection`], the [`Channel`](crate::Channel) to the peer and the server of its
//!   calls (leader/follower reading, the call path, closing).
//! - `streams`: flow-controlled byte streams and sinks.
//! - `pool`: the threads that poll the pipe and serve the peer's calls.
//! - `scope`: per-call deadlines and cancellation ([`with_deadline`], [`with_cancel`]).
//! - `handshake`: the HELLO exchange and version negotiation.
//!
//! [`crate::process`] starts plugin processes over this transport and connects a plugin to
//! its host.

mod calls;
mod conn;
mod flow;
pub mod frame;
mod handshake;
mod io;
mod outbox;
mod pool;
mod reader;
mod scope;
mod stream_table;
mod streams;
mod sync;
#[cfg(test)]
mod tests;

pub use conn::{connect_pair, Config, Connection, Role, DEFAULT_MAX_FRAME, DEFAULT_STREAM_WINDOW};
pub use flow::CHUNK as STREAM_CHUNK;
pub use handshake::{HELLO_MAGIC, SUPPORTED_VERSIONS};
pub use scope::{is_cancelled, with_cancel, with_deadline, CancelToken};

#[cfg(linux_events)]
pub(crate) use io::set_nonblocking;
pub(crate) use io::{is_open, pipe, set_cloexec, set_pipe_capacity, PIPE_CAPACITY};

use crate::{Dispatch, InterfaceInfo, Request, Response, RpcError};

/// The interface of [`NoService`].
pub static NO_SERVICE: InterfaceInfo = InterfaceInfo { name: "(none)", methods: &[] };

/// A dispatcher for a side that serves nothing: every call the peer makes is
/// [`RpcError::NotImplemented`], and the handshake tells the peer so.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoService;

impl Dispatch for NoService {
    fn interface(&self) -> &'static InterfaceInfo {
        &NO_SERVICE
    }

    fn dispatch(&self, request: Request) -> Result<Response, RpcError> {
        Err(crate::unknown_method(&NO_SERVICE, request.method))
    }
}
