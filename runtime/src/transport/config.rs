//! How a connection behaves ([`Config`]) and which end it is ([`Role`]), with the defaults.

use std::time::Duration;

/// The largest frame body a side accepts by default (64 MiB). Larger arguments should travel
/// as streams.
pub const DEFAULT_MAX_FRAME: u32 = 64 << 20;

/// Bytes a stream's sender may have in flight before the receiver grants more, by default.
pub const DEFAULT_STREAM_WINDOW: u32 = 2 << 20;

/// How a connection behaves. Each side has its own; the handshake tells the peer the parts
/// that concern it (frame limit, stream window).
#[derive(Debug, Clone)]
pub struct Config {
    /// The largest frame body this side accepts; a larger one closes the connection with
    /// [`RpcError::FrameTooLarge`](crate::RpcError::FrameTooLarge) before anything is
    /// allocated for it. Calls whose encoded request exceeds the *peer's* limit fail with the
    /// same error without being sent.
    pub max_frame: u32,
    /// This side's receive window per stream: the most it buffers for one stream.
    pub stream_window: u32,
    /// The deadline of every call that no [`with_deadline`](crate::with_deadline) scope
    /// bounds; `None` waits until the reply or the connection's end.
    pub call_timeout: Option<Duration>,
    /// How many threads may serve the peer's calls at once (the one or two threads watching
    /// the pipe come on top); beyond it calls queue until a serving thread is done. Calls that
    /// wait on each other (a call served here calling back into the peer, which calls here
    /// again) need a cap above their nesting depth.
    pub max_serving_threads: usize,
    /// Serving threads kept when idle (at least 1, the thread that watches the pipe). The
    /// default, 3, keeps two pollers and a spare, so a call arriving after a quiet spell is
    /// served without starting or waking a thread; 1 keeps a single poller, which starts its
    /// replacement when a call comes (a few tens of microseconds), for hosts with many mostly
    /// idle connections.
    pub min_idle_threads: usize,
    /// How long a serving thread above `min_idle_threads` waits for work before it leaves
    /// (30 s by default).
    pub idle_exit: Duration,
    /// This side's name in the handshake and in logs.
    pub name: String,
    /// The interface the peer must serve (its name, as in the peer's HELLO). A peer serving
    /// another is refused at the handshake, before any call: method ids mean nothing across
    /// interfaces, so calling it would run the wrong methods. `None` accepts any peer.
    pub peer_interface: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_frame: DEFAULT_MAX_FRAME,
            stream_window: DEFAULT_STREAM_WINDOW,
            call_timeout: None,
            max_serving_threads: 256,
            min_idle_threads: MIN_THREADS,
            idle_exit: IDLE_EXIT,
            name: String::new(),
            peer_interface: None,
        }
    }
}

/// Which end of the connection this is. The host speaks first in the handshake; ids it
/// allocates are even, the plugin's odd, so the two never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Host,
    Plugin,
}

/// A pool thread idle this long leaves (down to [`MIN_THREADS`]), by default
/// ([`Config::idle_exit`]).
pub(crate) const IDLE_EXIT: Duration = Duration::from_secs(30);

/// Threads kept even when idle, by default ([`Config::min_idle_threads`]): the pollers and a
/// spare to promote.
pub(crate) const MIN_THREADS: usize = 3;
