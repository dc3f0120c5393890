//! A connection: one pipe in each direction, carrying calls both ways. It is the [`Channel`]
//! one side calls the peer through, and it serves the peer's calls with one [`Dispatch`].
//!
//! Reading is leader/follower: at most one thread holds the read half at a time and decodes
//! frames, handing each to whoever waits for it. A thread waiting for its own reply (or stream
//! data, or credit) takes the read half itself when it is free, so in the common case the
//! caller reads its own reply with no thread handoff. When nobody waits, a pool thread (the
//! poller) watches the pipe; when it reads a call it passes the poller role on and serves the
//! call itself, so serving never stops reading. Nothing that holds the read half ever blocks
//! on a write, and nothing that writes holds the read half, so two peers that call each other
//! at once cannot deadlock.
//!
//! Waiting threads spin briefly before they sleep, since on these pipes a sleep and a wake-up
//! cost more than the peer takes to answer: a leader reads the pipe for a few microseconds
//! (yielding the CPU in between) before it sleeps in `poll`; a follower yields for a while,
//! checking for its reply (or a free read half), before it parks; and a pool thread back from
//! serving reads the pipe for a moment before it sleeps in `wait`. A reply a leader reads for
//! another caller is delivered (and that caller stops following) while it reads on. Calls read
//! in one go are served one after another by the thread that read them (see
//! [`Pool::take_batch`](super::pool::Pool::take_batch)).
//!
//! Writing goes through an outbox: one thread writes at a time, and a thread that finds
//! another writing queues a small frame and returns, to be written in that writer's next
//! `writev` (see `Inner::send`). Concurrent callers thus share system calls instead of
//! sleeping on a write lock; the read half's holder still never writes.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use super::calls::{CallSlot, CallTable, IncomingCall, IncomingState};
use super::flow::{self, Credit, RecvState, SendState};
use super::frame::{self, disconnected, Frame, Header, Kind, ReplyFrame};
use super::handshake::{self, Hello, PeerInfo};
use super::io as fdio;
use super::outbox::{frame_bytes, WriteError, Writer};
use super::pool::{Job, Pool};
use super::reader::{Handler, PipeWait, Reader};
use super::scope::{self, CancelToken, Scope, Waiter};
use super::stream_table::{StreamEntry, StreamTable};
use super::streams::{RemoteSink, RemoteStream};
use super::sync::{lock, wait, wait_timeout};
use crate::{
    codec, dispatch_catching, ByteSink, ByteStream, Channel, Dispatch, MethodSet, Request, Response, RpcError,
};

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
    /// [`RpcError::FrameTooLarge`] before anything is allocated for it. Calls whose encoded
    /// request exceeds the *peer's* limit fail with the same error without being sent.
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_frame: DEFAULT_MAX_FRAME,
            stream_window: DEFAULT_STREAM_WINDOW,
            call_timeout: None,
            max_serving_threads: 256,
            min_idle_threads: super::pool::MIN_THREADS,
            idle_exit: super::pool::IDLE_EXIT,
            name: String::new(),
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

pub(crate) struct Inner {
    pub(crate) role: Role,
    pub(crate) config: Config,
    peer: OnceLock<PeerInfo>,
    next_id: AtomicU64,
    /// The read end and who leads the reads.
    reader: Reader,
    /// The write end and its outbox (see [`Inner::send`]).
    writer: Writer,
    calls: CallTable,
    streams: StreamTable,
    closed_flag: AtomicBool,
    closed: Mutex<Option<RpcError>>,
    closed_cv: Condvar,
    dispatcher: Mutex<Option<Arc<dyn Dispatch>>>,
    pub(crate) pool: Pool,
}

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
    fn new(read: OwnedFd, write: OwnedFd, role: Role, config: Config) -> Result<Arc<Inner>, RpcError> {
        let io_err = |e: std::io::Error| RpcError::Disconnected { detail: format!("cannot set up the pipes: {e}") };
        fdio::set_nonblocking(read.as_fd(), true).map_err(io_err)?;
        fdio::set_nonblocking(write.as_fd(), false).map_err(io_err)?;
        fdio::set_cloexec(read.as_fd()).map_err(io_err)?;
        fdio::set_cloexec(write.as_fd()).map_err(io_err)?;
        Ok(Arc::new(Inner {
            role,
            peer: OnceLock::new(),
            next_id: AtomicU64::new(1),
            reader: Reader::new(read, config.max_frame).map_err(io_err)?,
            writer: Writer::new(write),
            calls: CallTable::default(),
            streams: StreamTable::default(),
            closed_flag: AtomicBool::new(false),
            closed: Mutex::new(None),
            closed_cv: Condvar::new(),
            dispatcher: Mutex::new(None),
            pool: Pool::new(&config),
            config,
        }))
    }

    /// A fresh call or stream id: even on the host, odd on the plugin.
    pub(crate) fn next_id(&self) -> u64 {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        (n << 1) | u64::from(self.role == Role::Plugin)
    }

    pub(crate) fn peer(&self) -> &PeerInfo {
        self.peer.get().expect("the handshake is done before any call or stream")
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed_flag.load(Ordering::SeqCst)
    }

    pub(crate) fn closed_error(&self) -> Option<RpcError> {
        if !self.is_closed() {
            return None;
        }
        lock(&self.closed).clone()
    }

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

    // ----- writing -----

    /// Writes one frame's parts, or queues them behind the thread writing (see
    /// [`Writer::write`]). A failed write means the peer is gone: the connection closes, and
    /// with it the calls whose frames were queued.
    pub(crate) fn send(self: &Arc<Self>, parts: &[&[u8]]) -> Result<(), RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        match self.writer.write(parts, || self.closed_error()) {
            Ok(()) => Ok(()),
            Err(WriteError::Closed(e)) => Err(e),
            Err(WriteError::NoPipe) => {
                Err(self.closed_error().unwrap_or_else(|| disconnected("the connection is closed")))
            }
            Err(WriteError::Failed(e)) => {
                let err = RpcError::Disconnected { detail: format!("writing to the peer failed: {e}") };
                self.close(err.clone(), None);
                Err(self.closed_error().unwrap_or(err))
            }
        }
    }

    pub(crate) fn send_frame(self: &Arc<Self>, kind: Kind, flags: u8, id: u64, body: &[u8]) -> Result<(), RpcError> {
        let header = Header { kind, flags, len: body.len() as u32, id }.encode();
        self.send(&[&header, body])
    }

    /// Sends a small frame from a pool thread: for frames produced where writing could block
    /// something that must not block (the reading thread, a `Drop`).
    /// A writer busy at the moment takes it along; otherwise a pool thread writes it.
    pub(crate) fn send_later(self: &Arc<Self>, kind: Kind, id: u64, body: &[u8]) {
        let bytes = frame_bytes(kind, 0, id, body);
        if !self.writer.queue_if_writing(&bytes) {
            self.submit(Job::Send(bytes));
        }
    }

    /// Sends a stream announced by the frame just sent: a body already in memory that fits in
    /// one DATA frame and in the peer's window goes at once from this thread, with its END;
    /// any other goes to a pool thread that pumps it as credit allows. The first saves a
    /// thread hand-off for every small body (an HTTP request or response, typically).
    fn send_stream(self: &Arc<Self>, state: Arc<SendState>, source: ByteStream) {
        let bytes = match source.into_bytes() {
            Ok(bytes) if bytes.len() <= flow::CHUNK => bytes,
            Ok(bytes) => return self.submit(Job::Pump(state, ByteStream::from(bytes))),
            Err(source) => return self.submit(Job::Pump(state, source)),
        };
        if !bytes.is_empty() {
            match state.take_credit(bytes.len()) {
                Credit::Granted(n) if n == bytes.len() => {}
                granted => {
                    if let Credit::Granted(n) = granted {
                        state.give_back(n);
                    }
                    return self.submit(Job::Pump(state, ByteStream::from(bytes)));
                }
            }
            if self.send_frame(Kind::Data, 0, state.id, &bytes).is_err() {
                self.forget_stream(state.id);
                return;
            }
        }
        if state.mark_ended() {
            let _ = self.send_frame(Kind::End, 0, state.id, &[]);
        }
        self.forget_stream(state.id);
    }

    /// Waits until `ready()` holds, the deadline passes or something changes, reading frames
    /// meanwhile if no other thread is (see [`Reader::wait_event`]). Callers loop around it
    /// and re-check their conditions.
    pub(crate) fn wait_event(self: &Arc<Self>, deadline: Option<Instant>, ready: &dyn Fn() -> bool) {
        self.reader.wait_event(self, deadline, ready);
    }

    /// The poller's turn (see [`Reader::poll_loop`]).
    pub(crate) fn poll_loop(self: &Arc<Self>, wait: &PipeWait) -> Vec<IncomingCall> {
        self.reader.poll_loop(self, wait)
    }

    /// How a pool thread waits for the pipe: exclusively (Linux epoll), so a second poller can
    /// stand by for free, or with plain `poll`.
    pub(crate) fn pipe_wait(&self) -> PipeWait {
        self.reader.pipe_wait(
            self.pool.exclusive_wait(),
            #[cfg(linux_events)]
            self.pool.rescue_fd(),
        )
    }

    pub(crate) fn submit(self: &Arc<Self>, job: Job) {
        self.pool.submit(self, job);
    }

    // ----- calling -----

    fn call(self: &Arc<Self>, request: Request) -> Result<Response, RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        let Some(peer) = self.peer.get() else {
            return Err(frame::protocol("the connection is not established yet"));
        };
        let scope = scope::current();
        let start = Instant::now();
        let deadline = scope.deadline.or_else(|| self.config.call_timeout.and_then(|t| start.checked_add(t)));
        if scope.cancelled() {
            return Err(RpcError::Cancelled);
        }
        let Request { method, payload, streams, sinks } = request;
        if streams.len() > usize::from(u16::MAX) || sinks.len() > usize::from(u16::MAX) {
            return Err(frame::protocol("too many streams in one call"));
        }
        let body_len = payload.len() as u64 + 8 * (streams.len() + sinks.len()) as u64 + frame::CALL_TRAILER_LEN as u64;
        if body_len > u64::from(peer.max_frame) {
            return Err(RpcError::FrameTooLarge { size: body_len, limit: u64::from(peer.max_frame) });
        }

        let id = self.next_id();
        let outgoing: Vec<(Arc<SendState>, ByteStream)> =
            streams.into_iter().map(|s| (SendState::new(self.next_id(), peer.window), s)).collect();
        let sink_states: Vec<(Arc<RecvState>, ByteSink)> =
            sinks.into_iter().map(|s| (RecvState::new(self.next_id(), self.config.stream_window), s)).collect();
        for (s, _) in &outgoing {
            self.streams.insert(s.id, StreamEntry::Send(s.clone()));
        }
        for (s, _) in &sink_states {
            self.streams.insert(s.id, StreamEntry::Recv(s.clone()));
        }
        let stream_ids: Vec<u64> = outgoing.iter().map(|(s, _)| s.id).collect();
        let sink_ids: Vec<u64> = sink_states.iter().map(|(s, _)| s.id).collect();

        let slot = CallSlot::new();
        self.calls.wait_for(id, slot.clone());
        let timeout_ms = deadline.map_or(0, |d| {
            d.saturating_duration_since(start).as_micros().div_ceil(1000).clamp(1, u128::from(u32::MAX)) as u32
        });
        let tail = frame::call_tail(method, timeout_ms, &stream_ids, &sink_ids);
        let header = Header { kind: Kind::Call, flags: 0, len: body_len as u32, id }.encode();
        if let Err(e) = self.send(&[&header, &payload, &tail]) {
            self.calls.take(id);
            self.forget_streams(stream_ids.iter().chain(&sink_ids));
            return Err(e);
        }
        drop(payload);
        for (state, source) in outgoing {
            self.send_stream(state, source);
        }

        let keys: Vec<(CancelToken, u64)> = scope
            .tokens
            .iter()
            .map(|t| {
                (
                    t.clone(),
                    t.register(Waiter { thread: thread::current(), wake: Arc::downgrade(self.reader.wake_pipe()) }),
                )
            })
            .collect();
        let result = self.await_reply(id, &slot, sink_states, deadline, start, &scope, &stream_ids);
        for (token, key) in keys {
            token.unregister(key);
        }
        result
    }

    /// Waits for call `id`'s reply, writing the data its sinks receive into the caller's sinks
    /// on this (the calling) thread meanwhile, so a slow sink never stalls reading.
    #[allow(clippy::too_many_arguments)]
    fn await_reply(
        self: &Arc<Self>,
        id: u64,
        slot: &Arc<CallSlot>,
        mut sinks: Vec<(Arc<RecvState>, ByteSink)>,
        deadline: Option<Instant>,
        start: Instant,
        scope: &Scope,
        stream_ids: &[u64],
    ) -> Result<Response, RpcError> {
        let mut failed = vec![false; sinks.len()];
        loop {
            // The callee ends its sinks before it replies and frames arrive in order, so once
            // the reply is in, every sink byte is already queued: drain, then return.
            let reply_ready = slot.is_ready();
            for ((state, sink), failed) in sinks.iter_mut().zip(failed.iter_mut()) {
                self.drain_sink(state, sink, failed);
            }
            if reply_ready {
                let (result, arrived) = slot.take().expect("the reply is ready");
                // A reply that arrived after the deadline is late, even if this thread only
                // now looks: the call timed out and the reply is discarded.
                let result = match deadline {
                    Some(d) if arrived > d => Err(RpcError::Timeout { after_ms: millis(d - start) }),
                    _ => result,
                };
                for ((state, sink), failed) in sinks.iter_mut().zip(failed.iter_mut()) {
                    self.drain_sink(state, sink, failed);
                    if !*failed {
                        let _ = std::io::Write::flush(sink);
                    }
                    self.streams.remove(state.id);
                }
                return result;
            }
            let give_up = if scope.cancelled() {
                Some(RpcError::Cancelled)
            } else if deadline.is_some_and(|d| Instant::now() >= d) {
                Some(RpcError::Timeout { after_ms: deadline.map_or(0, |d| millis(d - start)) })
            } else {
                None
            };
            if let Some(error) = give_up {
                if self.calls.take(id).is_none() {
                    // The reply (or the connection's end) raced in: take it if it was in time.
                    if let Some((result, arrived)) = slot.take() {
                        if deadline.is_none_or(|d| arrived <= d) {
                            return result;
                        }
                    }
                }
                let _ = self.send_frame(Kind::Cancel, 0, id, &[]);
                self.forget_streams(stream_ids.iter().chain(sinks.iter().map(|(s, _)| &s.id)));
                return Err(error);
            }
            self.wait_event(deadline, &|| {
                slot.is_ready() || sinks.iter().any(|(s, _)| s.has_data()) || scope.cancelled()
            });
        }
    }

    fn drain_sink(self: &Arc<Self>, state: &Arc<RecvState>, sink: &mut ByteSink, failed: &mut bool) {
        state.set_waiter(thread::current());
        while let Some(chunk) = state.pop_chunk() {
            if *failed {
                continue;
            }
            if let Err(e) = std::io::Write::write_all(sink, &chunk) {
                log::debug!("sink {} of a call failed ({e}); telling the callee to stop writing", state.id);
                *failed = true;
                self.streams.remove(state.id);
                let _ = self.send_frame(Kind::Reset, 0, state.id, &[]);
                continue;
            }
            let grant = state.consumed(chunk.len());
            if grant > 0 {
                let _ = self.send_frame(Kind::Window, 0, state.id, &grant.to_le_bytes());
            }
        }
    }

    /// Takes back a used-up stream chunk for the frame reader to reuse.
    pub(crate) fn recycle(&self, chunk: Vec<u8>) {
        self.reader.recycle(chunk);
    }

    /// Drops a stream from the table (its owner is done with it).
    pub(crate) fn forget_stream(&self, id: u64) {
        self.streams.remove(id);
    }

    /// Stops local streams of an abandoned call: pumps see a reset, received data is dropped.
    fn forget_streams<'a>(&self, ids: impl Iterator<Item = &'a u64>) {
        self.streams.abandon(ids);
    }

    fn ping(self: &Arc<Self>, timeout: Duration) -> Result<Duration, RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        let start = Instant::now();
        let deadline = start.checked_add(timeout);
        let id = self.next_id();
        let slot = CallSlot::new();
        self.calls.wait_for(id, slot.clone());
        if let Err(e) = self.send_frame(Kind::Ping, 0, id, &[]) {
            self.calls.take(id);
            return Err(e);
        }
        loop {
            if let Some((result, _)) = slot.take() {
                return result.map(|_| start.elapsed());
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                self.calls.take(id);
                return Err(RpcError::Timeout { after_ms: timeout.as_millis() as u64 });
            }
            self.wait_event(deadline, &|| slot.is_ready());
        }
    }

    /// Acts on one frame. Runs while holding the read half, so it never blocks: anything that
    /// needs writing is handed to the pool. `Ok(Some(call))` is a call to serve.
    fn process(self: &Arc<Self>, header: Header, body: Vec<u8>) -> Result<Option<IncomingCall>, RpcError> {
        match frame::parse_frame(header, body)? {
            Frame::Call(c) => return self.accept_call(c).map(Some),
            Frame::Reply(r) => self.accept_reply(r)?,
            Frame::Cancel { id } => {
                if let Some(state) = self.calls.incoming(id) {
                    state.cancel("the caller cancelled the call");
                }
            }
            Frame::Data { id, bytes } => {
                // Data for a stream this side already dropped is discarded.
                if let Some(state) = self.streams.recv(id) {
                    state.push(bytes)?;
                }
            }
            Frame::End { id, error } => {
                if let Some(s) = self.streams.take_recv(id) {
                    s.finish(error.map_or(Ok(()), Err));
                }
            }
            Frame::Window { id, credit } => {
                if let Some(s) = self.streams.send(id) {
                    s.add_credit(credit);
                }
            }
            Frame::Reset { id } => {
                if let Some(s) = self.streams.take_send(id) {
                    s.reset();
                }
            }
            Frame::Ping { id } => self.send_later(Kind::Pong, id, &[]),
            Frame::Pong { id } => {
                if let Some(slot) = self.calls.take(id) {
                    self.deliver(&slot, Ok(Response::default()));
                }
            }
            Frame::Goodbye { reason } => {
                return Err(RpcError::Disconnected { detail: format!("the peer closed the connection: {reason}") })
            }
            Frame::Hello(_) => return Err(frame::protocol("unexpected HELLO after the handshake")),
        }
        Ok(None)
    }

    fn accept_call(self: &Arc<Self>, c: frame::CallFrame) -> Result<IncomingCall, RpcError> {
        let peer_window = self.peer().window;
        let streams: Vec<Arc<RecvState>> =
            c.streams.iter().map(|&id| RecvState::new(id, self.config.stream_window)).collect();
        let sinks: Vec<Arc<SendState>> = c.sinks.iter().map(|&id| SendState::new(id, peer_window)).collect();
        for s in &streams {
            if !self.streams.insert(s.id, StreamEntry::Recv(s.clone())) {
                return Err(frame::protocol(format!("stream id {} is already in use", s.id)));
            }
        }
        for s in &sinks {
            if !self.streams.insert(s.id, StreamEntry::Send(s.clone())) {
                return Err(frame::protocol(format!("stream id {} is already in use", s.id)));
            }
        }
        let state = Arc::new(IncomingState { token: CancelToken::new(), streams, sinks });
        if !self.calls.accept(c.id, state.clone()) {
            return Err(frame::protocol(format!("call id {} is already in use", c.id)));
        }
        let deadline = (c.timeout_ms > 0)
            .then(|| Instant::now().checked_add(Duration::from_millis(c.timeout_ms.into())))
            .flatten();
        Ok(IncomingCall { id: c.id, method: c.method, deadline, payload: c.payload, state })
    }

    /// Hands a reply to its waiting caller. The caller has what it waited for, so it no longer
    /// follows: the read half goes to a thread still waiting when this leader leaves, rather
    /// than to one that would only pass it on.
    fn deliver(&self, slot: &CallSlot, result: Result<Response, RpcError>) {
        slot.deliver(result);
        self.reader.unfollow(&slot.thread);
    }

    fn accept_reply(self: &Arc<Self>, r: ReplyFrame) -> Result<(), RpcError> {
        let Some(slot) = self.calls.take(r.id) else {
            // The caller gave up: the callee may stop pumping what it returned.
            for id in r.streams {
                self.send_later(Kind::Reset, id, &[]);
            }
            return Ok(());
        };
        if r.error {
            let error = codec::decode::<RpcError>("reply", &r.payload)
                .unwrap_or_else(|e| frame::protocol(format!("undecodable error reply: {e}")));
            self.deliver(&slot, Err(error));
            return Ok(());
        }
        let mut streams = Vec::with_capacity(r.streams.len());
        for id in r.streams {
            let state = RecvState::new(id, self.config.stream_window);
            if !self.streams.insert(id, StreamEntry::Recv(state.clone())) {
                return Err(frame::protocol(format!("stream id {id} is already in use")));
            }
            streams.push(ByteStream::new(RemoteStream::new(self.clone(), state)));
        }
        self.deliver(&slot, Ok(Response { payload: r.payload, streams }));
        Ok(())
    }

    // ----- serving -----

    /// Serves one call on this thread: dispatch, then end its sinks, close its request
    /// streams, and reply (unless the caller gave up).
    pub(crate) fn serve(self: &Arc<Self>, call: IncomingCall) {
        let IncomingCall { id, method, deadline, payload, state } = call;
        let dispatcher = lock(&self.dispatcher).clone();
        let Some(dispatcher) = dispatcher else { return };
        let result = if state.token.is_cancelled() {
            Err(RpcError::Cancelled)
        } else {
            let request = Request {
                method,
                payload,
                streams: state
                    .streams
                    .iter()
                    .map(|s| ByteStream::new(RemoteStream::new(self.clone(), s.clone())))
                    .collect(),
                sinks: state.sinks.iter().map(|s| ByteSink::new(RemoteSink::new(self.clone(), s.clone()))).collect(),
            };
            let scope = Scope { deadline, tokens: vec![state.token.clone()] };
            scope::with_scope(scope, || dispatch_catching(&*dispatcher, request))
        };
        drop(dispatcher);
        // Sink data must reach the caller before the reply; a sink the implementation kept
        // is cut off here.
        for s in &state.sinks {
            self.end_sink(s);
        }
        for s in &state.streams {
            if s.finish(Err("the call has returned: request streams are read during the call".to_owned())) {
                self.send_later(Kind::Reset, s.id, &[]);
            }
        }
        if !state.streams.is_empty() || !state.sinks.is_empty() {
            self.streams.remove_all(state.streams.iter().map(|s| s.id).chain(state.sinks.iter().map(|s| s.id)));
        }
        self.calls.done(id);
        if state.token.is_cancelled() || self.is_closed() {
            return;
        }
        let sent = match result {
            Ok(response) => self.send_reply(id, response),
            Err(error) => self.send_error_reply(id, &error),
        };
        if let Err(e) = sent {
            log::debug!("could not reply to call {id}: {e}");
        }
    }

    fn send_reply(self: &Arc<Self>, id: u64, response: Response) -> Result<(), RpcError> {
        let Response { payload, streams } = response;
        let limit = u64::from(self.peer().max_frame);
        let size = payload.len() as u64 + 8 * streams.len() as u64 + frame::REPLY_TRAILER_LEN as u64;
        if size > limit {
            return self.send_error_reply(id, &RpcError::FrameTooLarge { size, limit });
        }
        if streams.len() > usize::from(u16::MAX) {
            return self.send_error_reply(id, &frame::protocol("too many streams in one reply"));
        }
        let window = self.peer().window;
        let states: Vec<Arc<SendState>> = streams.iter().map(|_| SendState::new(self.next_id(), window)).collect();
        for s in &states {
            self.streams.insert(s.id, StreamEntry::Send(s.clone()));
        }
        let ids: Vec<u64> = states.iter().map(|s| s.id).collect();
        let tail = frame::reply_tail(&ids);
        let header = Header { kind: Kind::Reply, flags: 0, len: size as u32, id }.encode();
        self.send(&[&header, &payload, &tail])?;
        for (state, source) in states.into_iter().zip(streams) {
            self.send_stream(state, source);
        }
        Ok(())
    }

    fn send_error_reply(self: &Arc<Self>, id: u64, error: &RpcError) -> Result<(), RpcError> {
        let payload = codec::encode("reply", error)?;
        let tail = frame::reply_tail(&[]);
        let header =
            Header { kind: Kind::Reply, flags: frame::FLAG_ERROR, len: (payload.len() + tail.len()) as u32, id }
                .encode();
        self.send(&[&header, &payload, &tail])
    }

    /// Sends END for a sink, once.
    pub(crate) fn end_sink(self: &Arc<Self>, state: &Arc<SendState>) {
        if state.mark_ended() {
            let _ = self.send_frame(Kind::End, 0, state.id, &[]);
        }
    }

    // ----- closing -----

    fn close_for(self: &Arc<Self>, error: RpcError) {
        let goodbye = match &error {
            RpcError::Disconnected { .. } => None,
            other => Some(other.to_string()),
        };
        if goodbye.is_some() {
            log::warn!("closing the connection to {:?}: {error}", self.peer.get().map_or("", |p| p.name.as_str()));
        }
        self.close(error, goodbye);
    }

    /// Closes the connection: every outstanding call ends with `reason` at once, streams end,
    /// waiting threads wake. The write end is closed (after a GOODBYE, if given) by a helper
    /// thread, because a write may be blocked and the closing thread may be the reader.
    pub(crate) fn close(self: &Arc<Self>, reason: RpcError, goodbye: Option<String>) {
        {
            let mut closed = lock(&self.closed);
            if closed.is_some() {
                return;
            }
            *closed = Some(reason.clone());
        }
        self.closed_flag.store(true, Ordering::SeqCst);
        log::debug!("connection {:?} ({:?}) closed: {reason}", self.config.name, self.role);
        self.reader.close();
        for slot in self.calls.drain_outgoing() {
            slot.deliver(Err(reason.clone()));
        }
        for state in self.calls.drain_incoming() {
            state.cancel("the connection closed");
        }
        for entry in self.streams.drain() {
            match entry {
                StreamEntry::Recv(s) => {
                    s.finish(Err(format!("the connection closed: {reason}")));
                }
                StreamEntry::Send(s) => s.reset(),
            }
        }
        self.reader.wake_followers();
        self.writer.wake_waiting();
        self.reader.unpark_poller();
        let jobs = self.pool.close();
        let dispatcher = lock(&self.dispatcher).take();
        self.closed_cv.notify_all();
        let inner = self.clone();
        let finish = move || {
            // Dropped here, off the reading thread: their `Drop` is user code.
            drop(jobs);
            drop(dispatcher);
            let goodbye = goodbye.map(|reason| frame_bytes(Kind::Goodbye, 0, 0, reason.as_bytes()));
            inner.writer.shut(goodbye.as_deref());
        };
        if let Err(e) = thread::Builder::new().name("plugin-rpc-close".into()).spawn(finish) {
            log::warn!(
                "cannot start the closing thread ({e}); the write end stays open until the connection is dropped"
            );
        }
    }
}

/// A duration in whole milliseconds, rounded up (a 199.9 ms wait reports 200).
fn millis(d: Duration) -> u64 {
    d.as_micros().div_ceil(1000) as u64
}

impl Handler for Inner {
    fn is_closed(&self) -> bool {
        Inner::is_closed(self)
    }

    fn process(self: &Arc<Self>, header: Header, body: Vec<u8>) -> Result<Option<IncomingCall>, RpcError> {
        Inner::process(self, header, body)
    }

    fn serve_later(self: &Arc<Self>, call: IncomingCall) {
        self.submit(Job::Serve(call));
    }

    fn close_for(self: &Arc<Self>, error: RpcError) {
        Inner::close_for(self, error);
    }

    fn rescue_if_due(self: &Arc<Self>) {
        self.pool.rescue_if_due(self);
    }

    #[cfg(linux_events)]
    fn rescue(self: &Arc<Self>) {
        self.pool.rescue(self);
    }
}
