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

use std::collections::{HashMap, VecDeque};
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use super::frame::{self, Frame, FrameReader, Header, Kind, ReadError, ReplyFrame};
use super::handshake::{self, Hello, PeerInfo};
use super::io::{self as fdio, FdReader, WakePipe};
use super::pool::{Job, Pool};
use super::scope::{self, CancelToken, Scope, Waiter};
use super::streams::{self, Credit, RecvState, RemoteSink, RemoteStream, SendState};
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

/// A waiting call: the reply lands here, with when it landed, and the caller is unparked.
pub(crate) struct CallSlot {
    result: Mutex<Option<(Result<Response, RpcError>, Instant)>>,
    thread: Thread,
}

impl CallSlot {
    fn new() -> Arc<Self> {
        Arc::new(CallSlot { result: Mutex::new(None), thread: thread::current() })
    }

    fn deliver(&self, result: Result<Response, RpcError>) {
        let mut slot = lock(&self.result);
        if slot.is_none() {
            *slot = Some((result, Instant::now()));
        }
        drop(slot);
        self.thread.unpark();
    }

    fn take(&self) -> Option<(Result<Response, RpcError>, Instant)> {
        lock(&self.result).take()
    }

    fn is_ready(&self) -> bool {
        lock(&self.result).is_some()
    }
}

/// The serving side's record of a call in progress, so a CANCEL (or the connection's end) can
/// reach the implementation and its streams.
pub(crate) struct IncomingState {
    token: CancelToken,
    streams: Vec<Arc<RecvState>>,
    sinks: Vec<Arc<SendState>>,
}

impl IncomingState {
    fn cancel(&self, why: &str) {
        self.token.cancel();
        for s in &self.sinks {
            s.reset();
        }
        for s in &self.streams {
            s.finish(Err(why.to_owned()));
        }
    }
}

/// A call read off the pipe, waiting to be served.
pub(crate) struct IncomingCall {
    id: u64,
    method: u32,
    deadline: Option<Instant>,
    payload: Vec<u8>,
    state: Arc<IncomingState>,
}

pub(crate) enum StreamEntry {
    /// This side receives the stream's data.
    Recv(Arc<RecvState>),
    /// This side sends the stream's data.
    Send(Arc<SendState>),
}

struct ReadHalf {
    fd: OwnedFd,
    frames: FrameReader,
    /// The last frame read was stream data: more is probably in the pipe already, so read
    /// before polling (for replies, polling first saves a read that would find nothing).
    streaming: bool,
}

impl ReadHalf {
    fn next(&mut self) -> Result<Option<(Header, Vec<u8>)>, RpcError> {
        self.frames.expect_large(self.streaming);
        match self.frames.next_frame(&mut FdReader(self.fd.as_fd())) {
            Ok(frame) => Ok(frame),
            Err(ReadError::Eof { mid_frame }) => Err(RpcError::Disconnected {
                detail: if mid_frame {
                    "the peer closed its pipe in the middle of a frame".to_owned()
                } else {
                    "the peer closed its pipe (it exited or closed the connection)".to_owned()
                },
            }),
            Err(ReadError::Invalid(e)) => Err(e),
            Err(ReadError::Io(e)) => {
                Err(RpcError::Disconnected { detail: format!("reading from the peer failed: {e}") })
            }
        }
    }
}

/// How long the poller stays out of the way of a thread that is leading the reads before it
/// looks again. Leaders hand over to waiting threads directly; this only bounds how long a
/// frame that nobody waits for (a call from the peer, its hang-up) can sit after the last
/// leader left, in exchange for not waking the poller on every call.
const LEADER_BACKOFF: Duration = Duration::from_millis(1);

/// A follower re-checks after this long even if nobody woke it: a safety net, not a mechanism.
const FOLLOWER_RECHECK: Duration = Duration::from_millis(200);

/// How long a thread leading the reads keeps reading the pipe, yielding in between, before it
/// sleeps in `poll`: about one round trip to the peer, so an answer that comes back at once
/// is read without a sleep and a wake-up (see `Inner::lead`).
const SPIN: Duration = Duration::from_micros(20);

/// How long a follower yields, checking for its reply, before it parks: a park and an unpark
/// cost the follower a sleep and the leader a system call, more than a typical reply takes to
/// arrive when several callers share the pipe.
const FOLLOWER_SPIN: Duration = Duration::from_micros(50);

/// At most this many followers spin at once; the others park at once, so many threads
/// waiting on slow calls do not take the CPU from the ones doing work.
const MAX_SPINNERS: usize = 16;

/// At most this many frames are read in one go by the poller before it serves what it found.
const POLLER_BATCH: usize = 64;

pub(crate) struct Inner {
    pub(crate) role: Role,
    pub(crate) config: Config,
    peer: OnceLock<PeerInfo>,
    next_id: AtomicU64,
    data_fd: RawFd,
    reader: Mutex<ReadHalf>,
    /// A thread holds `reader` (a hint for the poller; the mutex is the truth).
    reader_busy: AtomicBool,
    /// The thread holding `reader` is a poller (it holds it briefly; other pollers wait for it
    /// rather than back off).
    poller_leads: AtomicBool,
    /// Counts the times a thread other than a poller took the read half, so a poller woken
    /// for frames that such a thread read first can tell and back off.
    caller_reads: AtomicU64,
    /// Followers spinning before they park (see [`MAX_SPINNERS`]).
    spinners: AtomicUsize,
    followers: Mutex<VecDeque<Thread>>,
    /// The write end; held by the thread writing (see [`Inner::send`]).
    writer: Mutex<Option<OwnedFd>>,
    /// Frames queued for the thread writing, and whether one is.
    outbox: Mutex<Outbox>,
    /// Wakes threads waiting to write a frame too large to queue.
    outbox_cv: Condvar,
    /// Wakes the thread leading the reads out of `poll` (cancellation). Only leaders drain it.
    wake: WakePipe,
    /// Becomes readable once, at close, and stays so: every `poll` watches it.
    closer: WakePipe,
    /// Stream chunks their readers used up, on their way back to the frame reader for reuse.
    returned: Mutex<Vec<Vec<u8>>>,
    calls: Mutex<HashMap<u64, Arc<CallSlot>>>,
    incoming: Mutex<HashMap<u64, Arc<IncomingState>>>,
    streams: Mutex<HashMap<u64, StreamEntry>>,
    closed_flag: AtomicBool,
    closed: Mutex<Option<RpcError>>,
    closed_cv: Condvar,
    dispatcher: Mutex<Option<Arc<dyn Dispatch>>>,
    pub(crate) pool: Pool,
    poller: Mutex<Option<Thread>>,
}

/// Frames that threads queued for the thread writing (see [`Inner::send`]).
#[derive(Default)]
struct Outbox {
    /// A thread is writing; it writes what is queued before it stops.
    writing: bool,
    /// Whole frames back to back, in the order they were queued.
    queued: Vec<u8>,
    /// The last writer's emptied batch buffer, kept for the next (no allocation per batch).
    spare: Vec<u8>,
    /// Threads waiting for their turn with a frame too large to queue.
    waiting: usize,
}

impl Outbox {
    /// Queues a whole frame (its parts back to back) behind the thread writing, if one is and
    /// the frame is small enough to copy and fits; false otherwise.
    fn try_queue(&mut self, parts: &[&[u8]], len: usize) -> bool {
        if !self.writing || len > QUEUE_FRAME_MAX || self.queued.len() + len > QUEUE_MAX {
            return false;
        }
        for part in parts {
            self.queued.extend_from_slice(part);
        }
        true
    }
}

/// Frames up to this size are copied into the outbox when another thread is writing; larger
/// ones (stream chunks, big payloads) wait for their turn rather than be copied.
const QUEUE_FRAME_MAX: usize = 16 * 1024;

/// The outbox holds at most this much; beyond it senders wait, so a peer that stops reading
/// cannot make it grow without bound.
const QUEUE_MAX: usize = 256 * 1024;

/// Locks a mutex, ignoring poisoning: every critical section here leaves its data consistent
/// at each step, and a panicking implementation must not take the connection down.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
                None => closed = self.inner.closed_cv.wait(closed).unwrap_or_else(|e| e.into_inner()),
                Some(left) if left.is_zero() => return None,
                Some(left) => {
                    closed = self.inner.closed_cv.wait_timeout(closed, left).unwrap_or_else(|e| e.into_inner()).0
                }
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
        let frames = FrameReader::new(config.max_frame);
        Ok(Arc::new(Inner {
            role,
            peer: OnceLock::new(),
            next_id: AtomicU64::new(1),
            data_fd: read.as_raw_fd(),
            reader: Mutex::new(ReadHalf { fd: read, frames, streaming: false }),
            reader_busy: AtomicBool::new(false),
            poller_leads: AtomicBool::new(false),
            caller_reads: AtomicU64::new(0),
            spinners: AtomicUsize::new(0),
            followers: Mutex::new(VecDeque::new()),
            writer: Mutex::new(Some(write)),
            outbox: Mutex::new(Outbox::default()),
            outbox_cv: Condvar::new(),
            wake: WakePipe::new().map_err(io_err)?,
            closer: WakePipe::new().map_err(io_err)?,
            returned: Mutex::new(Vec::new()),
            calls: Mutex::new(HashMap::new()),
            incoming: Mutex::new(HashMap::new()),
            streams: Mutex::new(HashMap::new()),
            closed_flag: AtomicBool::new(false),
            closed: Mutex::new(None),
            closed_cv: Condvar::new(),
            dispatcher: Mutex::new(None),
            pool: Pool::new(&config),
            poller: Mutex::new(None),
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
                let theirs = self.read_hello(deadline, timeout)?;
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
                let theirs = self.read_hello(deadline, timeout)?;
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

    fn read_hello(&self, deadline: Option<Instant>, timeout: Duration) -> Result<Hello, RpcError> {
        let mut rd = lock(&self.reader);
        loop {
            match rd.next() {
                Ok(Some((header, body))) => {
                    return match frame::parse_frame(header, body)? {
                        Frame::Hello(body) => Hello::from_body(&body),
                        Frame::Goodbye { reason } => {
                            Err(frame::protocol(format!("the peer refused the handshake: {reason}")))
                        }
                        other => Err(frame::protocol(format!("expected HELLO, got {other:?}"))),
                    };
                }
                Ok(None) => {
                    let ready = fdio::poll_ready(self.data_fd, None, self.closer.fd(), deadline)
                        .map_err(|e| RpcError::Disconnected { detail: format!("poll failed: {e}") })?;
                    if !ready.data && !ready.close {
                        return Err(RpcError::Timeout { after_ms: timeout.as_millis() as u64 });
                    }
                    if let Some(e) = self.closed_error() {
                        return Err(e);
                    }
                }
                Err(RpcError::Disconnected { detail }) => {
                    return Err(RpcError::Disconnected { detail: format!("during the handshake: {detail}") })
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Starts the serving pool.
    fn start(self: &Arc<Self>) {
        self.pool.start(self);
    }

    // ----- writing -----

    /// Writes one frame's parts. One thread writes at a time (the writer); a thread that finds
    /// another writing queues a small frame in the outbox and returns at once, and the writer
    /// writes everything queued, in order, with one `writev` per batch before it stops. So eight
    /// threads sending at once cost one or two system calls and no thread sleeps on the write
    /// lock. Frames too large to copy wait for their turn instead. A thread's frames keep their
    /// order: a writer empties the queue before it gives up writing, so whatever a thread
    /// queued is written before any frame it writes itself later. A failed write means the
    /// peer is gone: the connection closes, and with it the calls whose frames were queued.
    pub(crate) fn send(self: &Arc<Self>, parts: &[&[u8]]) -> Result<(), RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut outbox = lock(&self.outbox);
        while outbox.writing {
            if outbox.try_queue(parts, len) {
                return Ok(());
            }
            outbox.waiting += 1;
            outbox = self.outbox_cv.wait(outbox).unwrap_or_else(|e| e.into_inner());
            outbox.waiting -= 1;
            if let Some(e) = self.closed_error() {
                return Err(e);
            }
        }
        outbox.writing = true;
        let mut batch = std::mem::take(&mut outbox.spare);
        drop(outbox);

        let writer = lock(&self.writer);
        let mut result = match writer.as_ref() {
            Some(fd) => fdio::writev_all(fd.as_fd(), parts).map_err(Some),
            None => Err(None),
        };
        loop {
            let mut outbox = lock(&self.outbox);
            if result.is_err() || outbox.queued.is_empty() {
                outbox.queued.clear();
                outbox.writing = false;
                batch.clear();
                outbox.spare = batch;
                if outbox.waiting > 0 {
                    self.outbox_cv.notify_all();
                }
                break;
            }
            batch.clear();
            std::mem::swap(&mut batch, &mut outbox.queued);
            drop(outbox);
            let fd = writer.as_ref().expect("the write end is present while writes succeed");
            result = fdio::writev_all(fd.as_fd(), &[&batch]).map_err(Some);
        }
        drop(writer);
        match result {
            Ok(()) => Ok(()),
            Err(None) => Err(self.closed_error().unwrap_or_else(|| disconnected("the connection is closed"))),
            Err(Some(e)) => {
                let err = RpcError::Disconnected { detail: format!("writing to the peer failed: {e}") };
                self.close(err.clone(), None);
                Err(self.closed_error().unwrap_or(err))
            }
        }
    }

    /// Queues a whole small frame behind the thread that is writing, if one is: it is then
    /// written without this thread writing (or waking anyone). False when nobody writes.
    fn queue_if_writing(&self, frame: &[u8]) -> bool {
        lock(&self.outbox).try_queue(&[frame], frame.len())
    }

    pub(crate) fn send_frame(self: &Arc<Self>, kind: Kind, flags: u8, id: u64, body: &[u8]) -> Result<(), RpcError> {
        let header = Header { kind, flags, len: body.len() as u32, id }.encode();
        self.send(&[&header, body])
    }

    /// A whole small frame as bytes, for sending later from a pool thread.
    pub(crate) fn frame_bytes(kind: Kind, flags: u8, id: u64, body: &[u8]) -> Vec<u8> {
        let mut out = Header { kind, flags, len: body.len() as u32, id }.encode().to_vec();
        out.extend_from_slice(body);
        out
    }

    /// Sends a small frame from a pool thread: for frames produced where writing could block
    /// something that must not block (the reading thread, a `Drop`).
    /// A writer busy at the moment takes it along; otherwise a pool thread writes it.
    pub(crate) fn send_later(self: &Arc<Self>, kind: Kind, id: u64, body: &[u8]) {
        let bytes = Self::frame_bytes(kind, 0, id, body);
        if !self.queue_if_writing(&bytes) {
            self.submit(Job::Send(bytes));
        }
    }

    /// Sends a stream announced by the frame just sent: a body already in memory that fits in
    /// one DATA frame and in the peer's window goes at once from this thread, with its END;
    /// any other goes to a pool thread that pumps it as credit allows. The first saves a
    /// thread hand-off for every small body (an HTTP request or response, typically).
    fn send_stream(self: &Arc<Self>, state: Arc<SendState>, source: ByteStream) {
        let bytes = match source.into_bytes() {
            Ok(bytes) if bytes.len() <= streams::CHUNK => bytes,
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

    pub(crate) fn submit(self: &Arc<Self>, job: Job) {
        self.pool.submit(self, job);
    }

    /// Wakes the thread leading the reads (if any) out of `poll`, to re-check cancellation.
    pub(crate) fn wake_leader(&self) {
        self.wake.wake();
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
        if !outgoing.is_empty() || !sink_states.is_empty() {
            let mut table = lock(&self.streams);
            for (s, _) in &outgoing {
                table.insert(s.id, StreamEntry::Send(s.clone()));
            }
            for (s, _) in &sink_states {
                table.insert(s.id, StreamEntry::Recv(s.clone()));
            }
        }
        let stream_ids: Vec<u64> = outgoing.iter().map(|(s, _)| s.id).collect();
        let sink_ids: Vec<u64> = sink_states.iter().map(|(s, _)| s.id).collect();

        let slot = CallSlot::new();
        lock(&self.calls).insert(id, slot.clone());
        let timeout_ms = deadline.map_or(0, |d| {
            d.saturating_duration_since(start).as_micros().div_ceil(1000).clamp(1, u128::from(u32::MAX)) as u32
        });
        let tail = frame::call_tail(method, timeout_ms, &stream_ids, &sink_ids);
        let header = Header { kind: Kind::Call, flags: 0, len: body_len as u32, id }.encode();
        if let Err(e) = self.send(&[&header, &payload, &tail]) {
            lock(&self.calls).remove(&id);
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
            .map(|t| (t.clone(), t.register(Waiter { thread: thread::current(), conn: Arc::downgrade(self) })))
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
                    lock(&self.streams).remove(&state.id);
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
                if lock(&self.calls).remove(&id).is_none() {
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
                lock(&self.streams).remove(&state.id);
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
        let mut returned = lock(&self.returned);
        if returned.len() < 4 {
            returned.push(chunk);
        }
    }

    /// Drops a stream from the table (its owner is done with it).
    pub(crate) fn forget_stream(&self, id: u64) {
        lock(&self.streams).remove(&id);
    }

    /// Stops local streams of an abandoned call: pumps see a reset, received data is dropped.
    fn forget_streams<'a>(&self, ids: impl Iterator<Item = &'a u64>) {
        let mut table = lock(&self.streams);
        for id in ids {
            match table.remove(id) {
                Some(StreamEntry::Send(s)) => s.reset(),
                Some(StreamEntry::Recv(s)) => {
                    s.finish(Err("the call was abandoned".to_owned()));
                }
                None => {}
            }
        }
    }

    fn ping(self: &Arc<Self>, timeout: Duration) -> Result<Duration, RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        let start = Instant::now();
        let deadline = start.checked_add(timeout);
        let id = self.next_id();
        let slot = CallSlot::new();
        lock(&self.calls).insert(id, slot.clone());
        if let Err(e) = self.send_frame(Kind::Ping, 0, id, &[]) {
            lock(&self.calls).remove(&id);
            return Err(e);
        }
        loop {
            if let Some((result, _)) = slot.take() {
                return result.map(|_| start.elapsed());
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                lock(&self.calls).remove(&id);
                return Err(RpcError::Timeout { after_ms: timeout.as_millis() as u64 });
            }
            self.wait_event(deadline, &|| slot.is_ready());
        }
    }

    // ----- reading: leader/follower -----

    fn try_lead(&self, poller: bool) -> Option<MutexGuard<'_, ReadHalf>> {
        let guard = match self.reader.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        self.reader_busy.store(true, Ordering::SeqCst);
        self.poller_leads.store(poller, Ordering::SeqCst);
        if !poller {
            self.caller_reads.fetch_add(1, Ordering::SeqCst);
        }
        Some(guard)
    }

    fn lead_after_poller(&self) -> MutexGuard<'_, ReadHalf> {
        let guard = lock(&self.reader);
        self.reader_busy.store(true, Ordering::SeqCst);
        self.poller_leads.store(true, Ordering::SeqCst);
        guard
    }

    /// Gives up the read half. Frames already buffered are processed first (no system call,
    /// nothing blocks): a frame left in the buffer would otherwise wait for the next byte on
    /// the pipe, since `poll` only sees the pipe.
    fn release(self: &Arc<Self>, mut rd: MutexGuard<'_, ReadHalf>) {
        while !self.is_closed() {
            match rd.frames.next_frame(&mut frame::NothingMore) {
                Ok(Some((header, body))) => {
                    self.handle(header, body, None);
                }
                Ok(None) => break,
                Err(e) => self.close_for(read_error(e)),
            }
        }
        self.poller_leads.store(false, Ordering::SeqCst);
        self.reader_busy.store(false, Ordering::SeqCst);
        drop(rd);
        // Hand the reads to a thread that waits for something; with nobody waiting, the
        // poller takes over within LEADER_BACKOFF.
        if let Some(next) = lock(&self.followers).pop_front() {
            next.unpark();
        }
    }

    fn unpark_poller(&self) {
        if let Some(t) = lock(&self.poller).as_ref() {
            t.unpark();
        }
    }

    /// Waits until `ready()` holds, the deadline passes or something changes, reading frames
    /// meanwhile if no other thread is. Callers loop around it and re-check their conditions.
    pub(crate) fn wait_event(self: &Arc<Self>, deadline: Option<Instant>, ready: &dyn Fn() -> bool) {
        if let Some(rd) = self.try_lead(false) {
            self.lead(rd, deadline, ready);
            return;
        }
        let me = thread::current();
        lock(&self.followers).push_back(me.clone());
        // The leader may have left between our try and the registration: look again rather
        // than sleep with nobody reading.
        if ready() || self.is_closed() {
            self.unfollow(&me);
            return;
        }
        if let Some(rd) = self.try_lead(false) {
            self.unfollow(&me);
            self.lead(rd, deadline, ready);
            return;
        }
        if self.spinners.fetch_add(1, Ordering::SeqCst) < MAX_SPINNERS {
            let now = Instant::now();
            let spin_end = deadline.map_or(now + FOLLOWER_SPIN, |d| d.min(now + FOLLOWER_SPIN));
            loop {
                thread::yield_now();
                if ready() || self.is_closed() {
                    self.spinners.fetch_sub(1, Ordering::SeqCst);
                    self.unfollow(&me);
                    return;
                }
                if !self.reader_busy.load(Ordering::SeqCst) {
                    if let Some(rd) = self.try_lead(false) {
                        self.spinners.fetch_sub(1, Ordering::SeqCst);
                        self.unfollow(&me);
                        self.lead(rd, deadline, ready);
                        return;
                    }
                }
                if Instant::now() >= spin_end {
                    break;
                }
            }
        }
        self.spinners.fetch_sub(1, Ordering::SeqCst);
        let nap = fdio::remaining(deadline).map_or(FOLLOWER_RECHECK, |left| left.min(FOLLOWER_RECHECK));
        thread::park_timeout(nap);
        self.unfollow(&me);
        // Woken to lead but our own event is in: pass the reads on instead of dropping them.
        if ready() && !self.reader_busy.load(Ordering::SeqCst) {
            if let Some(next) = lock(&self.followers).pop_front() {
                next.unpark();
            }
        }
    }

    fn unfollow(&self, me: &Thread) {
        let mut followers = lock(&self.followers);
        if let Some(pos) = followers.iter().position(|t| t.id() == me.id()) {
            followers.remove(pos);
        }
    }

    fn lead(self: &Arc<Self>, mut rd: MutexGuard<'_, ReadHalf>, deadline: Option<Instant>, ready: &dyn Fn() -> bool) {
        // Until then, look at the pipe with plain reads (yielding the CPU in between) rather
        // than sleep in `poll`: the peer usually answers within microseconds, and a sleep
        // costs two context switches and the wake-up latency. Reset whenever a frame arrives.
        let mut spin_until: Option<Instant> = None;
        loop {
            if ready() || self.is_closed() {
                break;
            }
            // Frames already buffered first (no system call).
            match rd.frames.next_frame(&mut frame::NothingMore) {
                Ok(Some((header, body))) => {
                    if !self.handle(header, body, None) {
                        break;
                    }
                    continue;
                }
                Ok(None) => {}
                Err(e) => {
                    self.close_for(read_error(e));
                    break;
                }
            }
            // Then the pipe directly while spinning or while stream data flows; once the spin
            // is over, only after `poll` says it has something, so a long wait costs one poll
            // and one read, not also reads that find nothing.
            let spinning = match spin_until {
                None => {
                    let now = Instant::now();
                    spin_until = Some(deadline.map_or(now + SPIN, |d| d.min(now + SPIN)));
                    true
                }
                Some(until) => Instant::now() < until,
            };
            if rd.streaming || spinning {
                for chunk in lock(&self.returned).drain(..) {
                    rd.frames.recycle(chunk);
                }
                match rd.next() {
                    Ok(Some((header, body))) => {
                        rd.streaming = header.kind == Kind::Data;
                        spin_until = None;
                        if !self.handle(header, body, None) {
                            break;
                        }
                        continue;
                    }
                    Ok(None) => rd.streaming = false,
                    Err(e) => {
                        self.close_for(e);
                        break;
                    }
                }
                if spinning {
                    thread::yield_now();
                    continue;
                }
            }
            match fdio::poll_ready(self.data_fd, Some(self.wake.fd()), self.closer.fd(), deadline) {
                Ok(r) if r.wake => {
                    self.wake.drain();
                    break;
                }
                Ok(r) if r.data || r.close => match rd.next() {
                    Ok(Some((header, body))) => {
                        rd.streaming = header.kind == Kind::Data;
                        spin_until = None;
                        if !self.handle(header, body, None) {
                            break;
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        self.close_for(e);
                        break;
                    }
                },
                Ok(_) => break, // the deadline passed
                Err(e) => {
                    self.close(disconnected(&format!("poll failed: {e}")), None);
                    break;
                }
            }
        }
        self.release(rd);
    }

    /// Processes a frame read while leading: calls go to `calls` (the poller serves them) or
    /// to the pool (a waiting caller must not serve them: it may hold locks the call needs).
    /// False when the connection had to close.
    fn handle(self: &Arc<Self>, header: Header, body: Vec<u8>, calls: Option<&mut Vec<IncomingCall>>) -> bool {
        match self.process(header, body) {
            Ok(Some(call)) => {
                match calls {
                    Some(calls) => calls.push(call),
                    None => self.submit(Job::Serve(call)),
                }
                true
            }
            Ok(None) => true,
            Err(e) => {
                self.close_for(e);
                false
            }
        }
    }

    /// The poller's turn: wait for the pipe while nobody else reads; return the calls read
    /// together (in order; see [`Pool::take_batch`](super::pool::Pool::take_batch)), or none
    /// once the connection closes.
    pub(crate) fn poll_loop(self: &Arc<Self>, wait: &PipeWait) -> Vec<IncomingCall> {
        *lock(&self.poller) = Some(thread::current());
        // A thread back from serving reads the pipe directly for a moment before it sleeps in
        // `wait`: under load the next call is usually on its way, and catching it awake saves
        // a sleep and a wake-up (as the leading caller does; see `Inner::lead`).
        let spin_until = Instant::now() + SPIN;
        loop {
            if self.is_closed() {
                return Vec::new();
            }
            let spinning = Instant::now() < spin_until;
            if self.reader_busy.load(Ordering::SeqCst) && !self.poller_leads.load(Ordering::SeqCst) {
                if spinning {
                    thread::yield_now();
                } else {
                    thread::park_timeout(LEADER_BACKOFF);
                    self.pool.rescue_if_due(self);
                }
                continue;
            }
            let caller_reads = self.caller_reads.load(Ordering::SeqCst);
            let waited = if spinning { Ok(fdio::Ready { data: true, ..Default::default() }) } else { wait.wait(self) };
            match waited {
                Ok(r) => {
                    #[cfg(linux_events)]
                    if r.timer {
                        self.pool.rescue(self);
                    }
                    if !r.data {
                        continue;
                    }
                }
                Err(e) => {
                    self.close(disconnected(&format!("waiting for the pipe failed: {e}")), None);
                    return Vec::new();
                }
            }
            let mut rd = match self.try_lead(true) {
                Some(rd) => rd,
                None if spinning => {
                    thread::yield_now();
                    continue;
                }
                // Another poller is reading (briefly): wait for it, then look for what is left.
                None if self.poller_leads.load(Ordering::SeqCst) => self.lead_after_poller(),
                None => {
                    thread::park_timeout(LEADER_BACKOFF);
                    continue;
                }
            };
            let mut calls = Vec::new();
            let mut reads = 0;
            let mut found = 0;
            loop {
                match rd.frames.next_frame(&mut frame::NothingMore) {
                    Ok(Some((header, body))) => {
                        found += 1;
                        if !self.handle(header, body, Some(&mut calls)) {
                            break;
                        }
                    }
                    Ok(None) => {
                        // Read on only while nothing to serve was found: calls found are served
                        // at once, and the spare poller picks up whatever comes next.
                        if !calls.is_empty() || reads == POLLER_BATCH {
                            break;
                        }
                        reads += 1;
                        match rd.next() {
                            Ok(Some((header, body))) => {
                                found += 1;
                                if !self.handle(header, body, Some(&mut calls)) {
                                    break;
                                }
                            }
                            Ok(None) => break,
                            Err(e) => {
                                self.close_for(e);
                                break;
                            }
                        }
                    }
                    Err(e) => {
                        self.close_for(read_error(e));
                        break;
                    }
                }
            }
            self.release(rd);
            if !calls.is_empty() {
                return calls;
            }
            if spinning {
                thread::yield_now();
                continue;
            }
            // Woken for nothing: a calling thread read the frames first (the pipe wakes every
            // thread waiting on it). While callers are reading, stay out of their way, or
            // every reply wakes this thread too.
            if found == 0 && self.caller_reads.load(Ordering::SeqCst) != caller_reads {
                thread::park_timeout(LEADER_BACKOFF);
            }
        }
    }

    /// How a pool thread waits for the pipe: exclusively (Linux epoll), so a second poller can
    /// stand by for free, or with plain `poll`.
    pub(crate) fn pipe_wait(&self) -> PipeWait {
        #[cfg(linux_events)]
        if self.pool.exclusive_wait() {
            match fdio::ExclusiveWait::new(self.data_fd, self.closer.fd(), self.pool.rescue_fd()) {
                Ok(w) => return PipeWait::Exclusive(w),
                Err(e) => log::debug!("no exclusive epoll wait ({e}); polling instead"),
            }
        }
        PipeWait::Poll
    }

    /// Acts on one frame. Runs while holding the read half, so it never blocks: anything that
    /// needs writing is handed to the pool. `Ok(Some(call))` is a call to serve.
    fn process(self: &Arc<Self>, header: Header, body: Vec<u8>) -> Result<Option<IncomingCall>, RpcError> {
        match frame::parse_frame(header, body)? {
            Frame::Call(c) => return self.accept_call(c).map(Some),
            Frame::Reply(r) => self.accept_reply(r)?,
            Frame::Cancel { id } => {
                let state = lock(&self.incoming).get(&id).cloned();
                if let Some(state) = state {
                    state.cancel("the caller cancelled the call");
                }
            }
            Frame::Data { id, bytes } => {
                let entry = match lock(&self.streams).get(&id) {
                    Some(StreamEntry::Recv(s)) => Some(s.clone()),
                    _ => None,
                };
                // Data for a stream this side already dropped is discarded.
                if let Some(state) = entry {
                    state.push(bytes)?;
                }
            }
            Frame::End { id, error } => {
                let entry = lock(&self.streams).remove(&id);
                match entry {
                    Some(StreamEntry::Recv(s)) => {
                        s.finish(error.map_or(Ok(()), Err));
                    }
                    Some(other) => {
                        lock(&self.streams).insert(id, other);
                    }
                    None => {}
                }
            }
            Frame::Window { id, credit } => {
                if let Some(StreamEntry::Send(s)) = lock(&self.streams).get(&id) {
                    s.add_credit(credit);
                }
            }
            Frame::Reset { id } => {
                let entry = lock(&self.streams).remove(&id);
                match entry {
                    Some(StreamEntry::Send(s)) => s.reset(),
                    Some(other) => {
                        lock(&self.streams).insert(id, other);
                    }
                    None => {}
                }
            }
            Frame::Ping { id } => self.send_later(Kind::Pong, id, &[]),
            Frame::Pong { id } => {
                let slot = lock(&self.calls).remove(&id);
                if let Some(slot) = slot {
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
        if !streams.is_empty() || !sinks.is_empty() {
            let mut table = lock(&self.streams);
            for s in &streams {
                if table.insert(s.id, StreamEntry::Recv(s.clone())).is_some() {
                    return Err(frame::protocol(format!("stream id {} is already in use", s.id)));
                }
            }
            for s in &sinks {
                if table.insert(s.id, StreamEntry::Send(s.clone())).is_some() {
                    return Err(frame::protocol(format!("stream id {} is already in use", s.id)));
                }
            }
        }
        let state = Arc::new(IncomingState { token: CancelToken::new(), streams, sinks });
        if lock(&self.incoming).insert(c.id, state.clone()).is_some() {
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
        self.unfollow(&slot.thread);
    }

    fn accept_reply(self: &Arc<Self>, r: ReplyFrame) -> Result<(), RpcError> {
        let slot = lock(&self.calls).remove(&r.id);
        let Some(slot) = slot else {
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
            if lock(&self.streams).insert(id, StreamEntry::Recv(state.clone())).is_some() {
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
            let mut table = lock(&self.streams);
            for id in state.streams.iter().map(|s| s.id).chain(state.sinks.iter().map(|s| s.id)) {
                table.remove(&id);
            }
        }
        lock(&self.incoming).remove(&id);
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
        if !states.is_empty() {
            let mut table = lock(&self.streams);
            for s in &states {
                table.insert(s.id, StreamEntry::Send(s.clone()));
            }
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
        self.closer.wake();
        let calls: Vec<Arc<CallSlot>> = lock(&self.calls).drain().map(|(_, s)| s).collect();
        for slot in calls {
            slot.deliver(Err(reason.clone()));
        }
        let incoming: Vec<Arc<IncomingState>> = lock(&self.incoming).drain().map(|(_, s)| s).collect();
        for state in incoming {
            state.cancel("the connection closed");
        }
        let streams: Vec<StreamEntry> = lock(&self.streams).drain().map(|(_, s)| s).collect();
        for entry in streams {
            match entry {
                StreamEntry::Recv(s) => {
                    s.finish(Err(format!("the connection closed: {reason}")));
                }
                StreamEntry::Send(s) => s.reset(),
            }
        }
        for t in lock(&self.followers).drain(..) {
            t.unpark();
        }
        drop(lock(&self.outbox));
        self.outbox_cv.notify_all();
        self.unpark_poller();
        let jobs = self.pool.close();
        let dispatcher = lock(&self.dispatcher).take();
        self.closed_cv.notify_all();
        let inner = self.clone();
        let finish = move || {
            // Dropped here, off the reading thread: their `Drop` is user code.
            drop(jobs);
            drop(dispatcher);
            let mut writer = lock(&inner.writer);
            if let Some(fd) = writer.take() {
                if let Some(reason) = goodbye {
                    let bytes = Self::frame_bytes(Kind::Goodbye, 0, 0, reason.as_bytes());
                    let _ = fdio::writev_all(fd.as_fd(), &[&bytes]);
                }
            }
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

/// How a pool thread waits for the pipe to become readable.
pub(crate) enum PipeWait {
    #[cfg(linux_events)]
    Exclusive(fdio::ExclusiveWait),
    Poll,
}

impl PipeWait {
    fn wait(&self, conn: &Inner) -> std::io::Result<fdio::Ready> {
        match self {
            #[cfg(linux_events)]
            PipeWait::Exclusive(w) => w.wait(),
            PipeWait::Poll => fdio::poll_ready(conn.data_fd, None, conn.closer.fd(), None),
        }
    }
}

/// The error a decoding failure closes the connection with.
fn read_error(e: ReadError) -> RpcError {
    match e {
        ReadError::Invalid(e) => e,
        ReadError::Eof { .. } => disconnected("the peer closed its pipe"),
        ReadError::Io(e) => disconnected(&format!("reading from the peer failed: {e}")),
    }
}

fn disconnected(detail: &str) -> RpcError {
    RpcError::Disconnected { detail: detail.to_owned() }
}
