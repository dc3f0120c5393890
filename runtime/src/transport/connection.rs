//! [`Connection`], the public face of one side of a connection: establishing it (the
//! handshake), calling through it as a [`Channel`], its peer's details, and closing it; and
//! [`ExternalReader`], for an async runtime to read its pipe.

pub use super::reader::Available;

use std::os::fd::OwnedFd;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::config::{Config, Role};
use super::conn::Inner;
use super::frame::{self, Kind};
use super::handshake::{self, Hello, PeerInfo};
use super::io as fdio;
use super::scope;
use super::sync::{lock, wait, wait_timeout};
use crate::{Channel, Dispatch, MethodSet, Request, Response, RpcError};

/// One side of a connection to a peer process. It is the [`Channel`] generated clients call
/// the peer through; cloning shares the connection.
#[derive(Clone)]
pub struct Connection {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("role", &self.inner.role)
            .field("name", &self.inner.config.name)
            .field("peer", &self.inner.peer.get().map(|p| &p.name))
            .field("closed", &self.inner.closed_flag.load(Ordering::Relaxed))
            .finish()
    }
}

impl Channel for Connection {
    fn call(&self, request: Request) -> Result<Response, RpcError> {
        self.inner.call(request)
    }
}

impl crate::AsyncChannel for Connection {
    /// Sends the call without blocking and returns a future woken when the reply arrives (read
    /// by the connection's pollers). The deadline is the current scope's
    /// ([`with_deadline`](crate::with_deadline)) or the connection's call timeout; dropping the
    /// future cancels the call.
    fn start_call(&self, request: Request) -> crate::PendingCall {
        crate::PendingCall::new(self.inner.start_call(request))
    }
}

impl Connection {
    /// Opens a connection over a pipe pair that the other side holds the far ends of: writes
    /// the handshake, reads the peer's within `start_timeout`, and starts serving with the
    /// dispatcher that `factory` builds. The factory gets the connection (to call the peer
    /// later from the implementation); it must not call through it before this returns.
    pub fn establish<D, F>(
        read: OwnedFd,
        write: OwnedFd,
        role: Role,
        config: Config,
        start_timeout: Duration,
        factory: F,
    ) -> Result<Connection, RpcError>
    where
        D: Dispatch + 'static,
        F: FnOnce(Connection) -> D,
    {
        let inner = Inner::new(read, write, role, config)?;
        let conn = Connection { inner: inner.clone() };
        let result = inner.handshake(start_timeout, move |c| Arc::new(factory(c)) as Arc<dyn Dispatch>, conn.clone());
        match result {
            Ok(()) => {
                inner.start();
                Ok(conn)
            }
            Err(e) => {
                inner.close(e.clone(), None);
                Err(e)
            }
        }
    }

    /// The one [`ExternalReader`] of this connection: `Some` the first time, for an async
    /// runtime to watch the pipe with its own reactor; `None` afterwards.
    pub fn external_reader(&self) -> Option<ExternalReader> {
        if self.inner.external_reader.swap(true, Ordering::SeqCst) {
            return None;
        }
        self.inner.reader.set_external(true);
        Some(ExternalReader { conn: self.clone() })
    }

    /// The one [`CallCork`] of this connection: `Some` the first time, `None` afterwards.
    /// While it exists, async calls are held back until its owner flushes them.
    pub fn cork_async_calls(&self) -> Option<CallCork> {
        if self.inner.cork.on.swap(true, Ordering::SeqCst) {
            return None;
        }
        Some(CallCork { conn: self.clone() })
    }

    /// The methods the peer implements (from its handshake).
    pub fn peer_methods(&self) -> MethodSet {
        self.inner.peer.get().map(|p| p.methods.clone()).unwrap_or_default()
    }

    /// The name of the interface the peer serves.
    pub fn peer_interface(&self) -> &str {
        self.inner.peer.get().map_or("", |p| p.interface.as_str())
    }

    /// The peer's name from its handshake.
    pub fn peer_name(&self) -> &str {
        self.inner.peer.get().map_or("", |p| p.name.as_str())
    }

    /// The peer's process id from its handshake.
    pub fn peer_pid(&self) -> u32 {
        self.inner.peer.get().map_or(0, |p| p.pid)
    }

    /// The protocol version the handshake settled on.
    pub fn protocol_version(&self) -> u32 {
        self.inner.peer.get().map_or(0, |p| p.version)
    }

    /// This side's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends a PING and waits for the PONG: the round trip, or why there was none.
    pub fn ping(&self, timeout: Duration) -> Result<Duration, RpcError> {
        self.inner.ping(timeout)
    }

    /// Tells the peer a call will follow soon, so that its waiting thread stays awake for a
    /// moment instead of going to sleep: a caller about to call several peers in turn (a hook
    /// chain) sends it to the next one while it calls this one, and that peer's wake-up
    /// overlaps the current call instead of adding to it. Best effort: it never blocks, and it
    /// sends nothing to a peer on protocol version 1.
    pub fn heads_up(&self) {
        self.inner.heads_up();
    }

    /// Runs `f`, and sends this connection a [heads-up](Connection::heads_up) right after the
    /// first blocking call `f` makes on this thread (to any peer) has written its request: a
    /// chain that calls peers in turn wraps its call to one peer in the next peer's
    /// `with_heads_up`, so the next one wakes while the current one works, and the current
    /// one's request is not held up by the heads-up's write. If `f` makes no call, nothing is
    /// sent.
    pub fn with_heads_up<R>(&self, f: impl FnOnce() -> R) -> R {
        let inner = self.inner.clone();
        scope::with_after_send(Box::new(move || inner.heads_up()), f)
    }

    /// Closes the connection: outstanding calls fail with [`RpcError::Disconnected`], the peer
    /// is told and sees the end of its pipe (a plugin then exits).
    pub fn close(&self) {
        self.inner.close(
            RpcError::Disconnected { detail: "the connection was closed by this side".to_owned() },
            Some("closed by the peer".to_owned()),
        );
    }

    /// Closes the connection like [`Connection::close`], but outstanding and later calls fail
    /// with [`RpcError::Disconnected`] carrying `detail`: for a side that knows better than
    /// the pipe why the peer is gone (the host, when it sees the plugin process exit).
    pub fn close_with(&self, detail: String) {
        self.inner.close(RpcError::Disconnected { detail }, Some("closed by the peer".to_owned()));
    }

    /// Whether the connection is closed.
    pub fn is_closed(&self) -> bool {
        self.inner.closed_flag.load(Ordering::SeqCst)
    }

    /// Why the connection closed, if it did.
    pub fn close_reason(&self) -> Option<RpcError> {
        lock(&self.inner.closed).clone()
    }

    /// Waits until the connection closes (or `timeout` passes) and returns why it closed.
    pub fn wait_closed(&self, timeout: Option<Duration>) -> Option<RpcError> {
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let mut closed = lock(&self.inner.closed);
        loop {
            if closed.is_some() {
                return closed.clone();
            }
            match fdio::remaining(deadline) {
                None => closed = wait(&self.inner.closed_cv, closed),
                Some(left) if left.is_zero() => return None,
                Some(left) => closed = wait_timeout(&self.inner.closed_cv, closed, left).0,
            }
        }
    }

    /// Writes raw bytes to the peer, bypassing framing: for tests that check how a peer copes
    /// with garbage. Only with the `test-support` feature, which no real host or plugin turns
    /// on.
    #[cfg(any(test, feature = "test-support"))]
    pub fn write_raw(&self, bytes: &[u8]) -> Result<(), RpcError> {
        self.inner.send(&[bytes])
    }
}

/// Opens a connected pair in this process over two real pipes: for tests and tools that want
/// the full transport without a child process.
pub fn connect_pair<DH, DP, FH, FP>(
    host_config: Config,
    host_factory: FH,
    plugin_config: Config,
    plugin_factory: FP,
) -> Result<(Connection, Connection), RpcError>
where
    DH: Dispatch + 'static,
    DP: Dispatch + 'static,
    FH: FnOnce(Connection) -> DH,
    FP: FnOnce(Connection) -> DP + Send + 'static,
{
    let io_err = |e: std::io::Error| RpcError::Disconnected { detail: format!("cannot create pipes: {e}") };
    let (host_read, plugin_write) = fdio::pipe().map_err(io_err)?;
    let (plugin_read, host_write) = fdio::pipe().map_err(io_err)?;
    let timeout = Duration::from_secs(30);
    let plugin = thread::spawn(move || {
        Connection::establish(plugin_read, plugin_write, Role::Plugin, plugin_config, timeout, plugin_factory)
    });
    let host = Connection::establish(host_read, host_write, Role::Host, host_config, timeout, host_factory);
    let plugin = plugin.join().unwrap_or_else(|_| Err(frame::protocol("the plugin side panicked while connecting")));
    Ok((host?, plugin?))
}

impl Inner {
    fn hello(&self, dispatcher: &dyn Dispatch, versions: Vec<u32>, version: u32) -> Hello {
        Hello {
            magic: handshake::HELLO_MAGIC.to_owned(),
            versions,
            version,
            max_frame: self.config.max_frame,
            window: self.config.stream_window,
            interface: dispatcher.interface().name.to_owned(),
            methods: dispatcher.implemented().ids().collect(),
            pid: std::process::id(),
            name: self.config.name.clone(),
        }
    }

    fn handshake(
        self: &Arc<Self>,
        timeout: Duration,
        factory: impl FnOnce(Connection) -> Arc<dyn Dispatch>,
        conn: Connection,
    ) -> Result<(), RpcError> {
        let deadline = Instant::now().checked_add(timeout);
        match self.role {
            Role::Host => {
                let dispatcher = factory(conn);
                let hello = self.hello(&*dispatcher, handshake::SUPPORTED_VERSIONS.to_vec(), 0);
                *lock(&self.dispatcher) = Some(dispatcher);
                self.send(&[&hello.to_frame()?])?;
                let theirs = self.reader.read_hello(deadline, timeout, || self.closed_error())?;
                if !handshake::SUPPORTED_VERSIONS.contains(&theirs.version) {
                    return Err(frame::protocol(format!(
                        "the plugin chose protocol version {}, which this host does not speak (it offered {:?})",
                        theirs.version,
                        handshake::SUPPORTED_VERSIONS
                    )));
                }
                if let Err(reason) = handshake::check_interface(self.config.peer_interface.as_deref(), &theirs) {
                    let _ = self.send_frame(Kind::Goodbye, 0, 0, reason.as_bytes());
                    return Err(frame::protocol(reason));
                }
                let _ = self.peer.set(PeerInfo::from_hello(&theirs, theirs.version));
            }
            Role::Plugin => {
                let theirs = self.reader.read_hello(deadline, timeout, || self.closed_error())?;
                let Some(version) = handshake::choose_version(&theirs.versions) else {
                    let reason = format!(
                        "no common protocol version: the host offers {:?}, this plugin speaks {:?}",
                        theirs.versions,
                        handshake::SUPPORTED_VERSIONS
                    );
                    let _ = self.send_frame(Kind::Goodbye, 0, 0, reason.as_bytes());
                    return Err(frame::protocol(reason));
                };
                if let Err(reason) = handshake::check_interface(self.config.peer_interface.as_deref(), &theirs) {
                    let _ = self.send_frame(Kind::Goodbye, 0, 0, reason.as_bytes());
                    return Err(frame::protocol(reason));
                }
                let _ = self.peer.set(PeerInfo::from_hello(&theirs, version));
                let dispatcher = factory(conn);
                let hello = self.hello(&*dispatcher, Vec::new(), version);
                *lock(&self.dispatcher) = Some(dispatcher);
                self.send(&[&hello.to_frame()?])?;
            }
        }
        Ok(())
    }

    /// Starts the serving pool.
    fn start(self: &Arc<Self>) {
        self.pool.start(self);
    }
}

/// Lets an async runtime read a connection's pipe on its own event loop (tokio's `AsyncFd`,
/// for one): when the descriptor ([`AsRawFd`](std::os::fd::AsRawFd)) becomes readable, call
/// [`read_available`](Self::read_available), which handles what the pipe holds: replies wake
/// their async callers on the runtime's own thread, with no hand-off from a connection
/// thread, and calls from the peer go to the connection's pool. While it exists the
/// connection's pollers stay off the pipe (else every frame would wake two threads) except
/// for a look every 100 ms, the safety net for a stalled event loop; threads waiting for a
/// reply read for themselves as always. Dropping it gives the pipe back to the pollers.
pub struct ExternalReader {
    conn: Connection,
}

impl ExternalReader {
    /// Reads and handles the frames the pipe holds now, without blocking.
    pub fn read_available(&self) -> Available {
        self.conn.inner.reader.read_available(&self.conn.inner)
    }

    /// The connection read.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for ExternalReader {
    fn drop(&mut self) {
        self.conn.inner.reader.set_external(false);
        self.conn.inner.external_reader.store(false, Ordering::SeqCst);
    }
}

/// Lets an async runtime send the calls its tasks start in one turn of its event loop in one
/// write: while this exists, an async call's frame is held back, and the first one held wakes
/// the task that polls [`poll_ready`](Self::poll_ready); that task should let the other ready
/// tasks run (tokio: `yield_now`, which waits for the next turn) and then
/// [`flush`](Self::flush). The peer then reads the calls in one go and is woken once for
/// them. Any other frame the connection sends meanwhile (a blocking call, a cancel) writes the
/// held calls first, so order is kept. Dropping it flushes and stops holding calls back.
pub struct CallCork {
    conn: Connection,
}

impl CallCork {
    /// `Ready(true)` when calls are held back, `Ready(false)` once the connection is closed
    /// (the task can end); otherwise `Pending`, and the first call held back wakes `cx`.
    pub fn poll_ready(&self, cx: &mut std::task::Context<'_>) -> std::task::Poll<bool> {
        let inner = &self.conn.inner;
        *lock(&inner.cork.flusher) = Some(cx.waker().clone());
        if inner.is_closed() {
            std::task::Poll::Ready(false)
        } else if inner.writer.has_corked() {
            std::task::Poll::Ready(true)
        } else {
            std::task::Poll::Pending
        }
    }

    /// Writes the calls held back, without blocking (what the pipe does not take is written
    /// by a connection thread).
    pub fn flush(&self) {
        self.conn.inner.flush_corked();
    }
}

impl Drop for CallCork {
    fn drop(&mut self) {
        let inner = &self.conn.inner;
        inner.cork.on.store(false, Ordering::SeqCst);
        *lock(&inner.cork.flusher) = None;
        inner.flush_corked();
    }
}

impl std::fmt::Debug for CallCork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallCork").field("connection", &self.conn).finish()
    }
}

impl std::os::fd::AsRawFd for ExternalReader {
    /// The pipe's read end, valid while the connection lives (this reader keeps it alive).
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.conn.inner.reader.data_fd()
    }
}

impl std::fmt::Debug for ExternalReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalReader").field("connection", &self.conn).finish()
    }
}
