//! The process transport: calls and byte streams between two processes over a pair of
//! anonymous pipes, in both directions at once. `docs/wire-protocol.md` describes the bytes;
//! this module is the Rust implementation.
//!
//! It is built in layers, listed top to bottom; each module depends only on modules listed
//! below it (its `use super::...` lines and the `Inner` methods it calls name nothing above):
//!
//! - `connection`: [`Connection`], the public [`Channel`](crate::Channel) to the peer:
//!   establishing it (the handshake), peer details, closing; [`connect_pair`]; the handles an
//!   async runtime drives it with ([`ExternalReader`], [`CallCork`]).
//! - `dispatch`: what each frame read off the pipe means; binds `Inner` to the reader's and the
//!   pool's callback traits (`reader::Handler`, `pool::PoolConn`).
//! - `async_call`: calls from this side for async callers: a future woken when the reply
//!   arrives, sent without blocking.
//! - `client`: calls from this side (sending, waiting for the reply, sinks, deadlines), pings,
//!   replies.
//! - `server`: the peer's calls: accepting them, serving them, replying.
//! - `streams`: the ends of byte streams over the connection (remote streams and sinks, the
//!   pump that copies a local reader out).
//! - `conn`: `Inner`, one connection's state as a composition of the layers below, and the
//!   operations every layer above shares (sending, waiting while reading, closing).
//! - `pool`: the threads that poll the pipe and serve the peer's calls.
//! - `reader`: leader/follower reading: leadership, spinning, polling.
//! - `timer`: the process-wide deadline thread of async calls.
//! - `calls`, `stream_table`: the tables of calls in flight and of open streams.
//! - `outbox`: the write end, write combining for threads sending at once, and frames held
//!   back (corked) to go out with the next write.
//! - `flow`: per-stream flow control (credit windows).
//! - `scope`: per-call deadlines and cancellation ([`with_deadline`], [`with_cancel`]).
//! - `handshake`: the HELLO body and version negotiation.
//! - `config`: [`Config`] and [`Role`], with the defaults.
//! - [`frame`]: the frame header and bodies, and the bounded decoder.
//! - `io`: the system calls (pipes, `poll`, epoll, `writev`).
//! - `sync`: locking and parking helpers.
//!
//! Two calls go up the stack at run time: the reader hands each frame to the connection, and
//! the pool's threads run the connection's jobs. Both go through a trait the lower module
//! defines (`Handler`, `PoolConn`), implemented for `Inner` in `dispatch` and statically
//! dispatched (there is one implementation, so nothing is slower for it).
//!
//! [`crate::process`] starts plugin processes over this transport and connects a plugin to
//! its host.

mod async_call;
mod calls;
mod client;
mod config;
mod conn;
mod connection;
mod dispatch;
mod flow;
pub mod frame;
mod handshake;
mod io;
mod outbox;
mod pool;
mod reader;
mod scope;
mod server;
mod stream_table;
mod streams;
mod sync;
#[cfg(test)]
mod tests;
mod timer;

pub use config::{Config, Role, DEFAULT_MAX_FRAME, DEFAULT_STREAM_WINDOW};
pub use connection::{connect_pair, Available, CallCork, Connection, ExternalReader};
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
