//! `Inner`, the state of one connection, as a composition of the layers below it: the
//! [`Reader`] (leader/follower reading), the [`Writer`] (the outbox), the tables of calls and
//! streams, the serving [`Pool`], and the closed state. Its methods are the operations every
//! layer above shares: sending frames, waiting while reading, forgetting streams, closing.
//! What a frame means (`dispatch`), calling (`client`), serving (`server`) and the public
//! [`Connection`](super::Connection) are layers above it.
//!
//! The reader and the pool call back into the connection through the traits they define
//! ([`Handler`](super::reader::Handler), [`PoolConn`](super::pool::PoolConn)); `dispatch`
//! implements them for `Inner`, so the two calls here that need them ([`Inner::wait_event`],
//! [`Inner::submit`]) name no module above this one.
//! Nothing that holds the read half ever blocks on a write, and nothing that writes holds the
//! read half, so two peers that call each other at once cannot deadlock.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread;
use std::time::Instant;

use super::calls::{CallSlot, CallTable};
use super::config::{Config, Role};
use super::frame::{disconnected, Header, Kind};
use super::handshake::{PeerInfo, EXPECT_VERSION};
use super::io as fdio;
use super::outbox::{frame_bytes, Corked, Sent, WriteError, Writer};
use super::pool::{Job, Pool};
use super::reader::Reader;
use super::stream_table::{StreamEntry, StreamTable};
use super::sync::lock;
use crate::{Dispatch, Response, RpcError};

/// One connection's state, shared (`Arc`) by the public handle, the pool's threads, and every
/// stream, sink and cancel token that must reach it.
pub(crate) struct Inner {
    pub(super) role: Role,
    pub(super) config: Config,
    /// The peer's handshake, set once the handshake is done.
    pub(super) peer: OnceLock<PeerInfo>,
    /// Counts the ids this side allocates (see [`Inner::next_id`]).
    pub(super) next_id: AtomicU64,
    /// The read end and who leads the reads.
    pub(super) reader: Reader,
    /// The write end and its outbox (see [`Inner::send`]).
    pub(super) writer: Writer,
    /// Calls in flight both ways.
    pub(super) calls: CallTable,
    /// Open streams both ways.
    pub(super) streams: StreamTable,
    /// The connection closed (a lock-free copy of `closed.is_some()`, read on every wait).
    pub(super) closed_flag: AtomicBool,
    /// Why the connection closed.
    pub(super) closed: Mutex<Option<RpcError>>,
    /// Wakes threads waiting for the close (`Connection::wait_closed`).
    pub(super) closed_cv: Condvar,
    /// Serves the peer's calls; taken at close (its `Drop` is user code).
    pub(super) dispatcher: Mutex<Option<Arc<dyn Dispatch>>>,
    /// The threads that poll the pipe and serve the peer's calls.
    pub(super) pool: Pool,
    /// An [`ExternalReader`](super::ExternalReader) was handed out.
    pub(super) external_reader: AtomicBool,
    /// Async calls are held back for a flusher (see [`Inner::send_call_nowait`]).
    pub(super) cork: CorkState,
}

/// Whether async calls are corked, and the flusher to tell (see
/// [`CallCork`](super::CallCork)).
#[derive(Default)]
pub(crate) struct CorkState {
    pub(super) on: AtomicBool,
    pub(super) flusher: Mutex<Option<std::task::Waker>>,
}

impl CorkState {
    pub(super) fn wake(&self) {
        if let Some(waker) = lock(&self.flusher).as_ref() {
            waker.wake_by_ref();
        }
    }
}

impl Inner {
    pub(super) fn new(read: OwnedFd, write: OwnedFd, role: Role, config: Config) -> Result<Arc<Inner>, RpcError> {
        let io_err = |e: std::io::Error| RpcError::Disconnected { detail: format!("cannot set up the pipes: {e}") };
        fdio::set_nonblocking(read.as_fd(), true).map_err(io_err)?;
        // Non-blocking, so an async caller can try a write without waiting; threads that may
        // wait for a full pipe do so in `poll` (see `fdio::writev_all`).
        fdio::set_nonblocking(write.as_fd(), true).map_err(io_err)?;
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
            external_reader: AtomicBool::new(false),
            cork: CorkState::default(),
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

    // ----- writing -----

    /// Writes one frame's parts, or queues them behind the thread writing (see
    /// [`Writer::write`]). A failed write means the peer is gone: the connection closes, and
    /// with it the calls whose frames were queued.
    pub(crate) fn send(self: &Arc<Self>, parts: &[&[u8]]) -> Result<(), RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        self.writer.write(parts, || self.closed_error()).map_err(|e| self.write_failed(e))
    }

    /// What a failed write means: the connection closed, or (the write itself failed) the
    /// peer is gone and the connection closes now.
    fn write_failed(self: &Arc<Self>, e: WriteError) -> RpcError {
        match e {
            WriteError::Closed(e) => e,
            WriteError::NoPipe => self.closed_error().unwrap_or_else(|| disconnected("the connection is closed")),
            WriteError::Failed(e) => {
                let err = RpcError::Disconnected { detail: format!("writing to the peer failed: {e}") };
                self.close(err.clone(), None);
                self.closed_error().unwrap_or(err)
            }
        }
    }

    pub(crate) fn send_frame(self: &Arc<Self>, kind: Kind, flags: u8, id: u64, body: &[u8]) -> Result<(), RpcError> {
        let header = Header { kind, flags, len: body.len() as u32, id }.encode();
        self.send(&[&header, body])
    }

    /// Sends a small frame without blocking: for frames produced where writing could block
    /// something that must not block (the reading thread, a `Drop`, an async task). See
    /// [`Inner::send_nowait`].
    pub(crate) fn send_later(self: &Arc<Self>, kind: Kind, id: u64, body: &[u8]) {
        let _ = self.send_nowait(frame_bytes(kind, 0, id, body));
    }

    /// Sends whole frames (back to back in `bytes`) without ever blocking on the pipe: written
    /// at once when the pipe has room and nobody else writes, queued behind the thread
    /// writing, or else handed to a pool thread, which may block. A plugin that stops reading
    /// then holds up pool threads, never the caller. The frames keep their order relative to
    /// each other, not to frames this thread sends later the blocking way.
    pub(crate) fn send_nowait(self: &Arc<Self>, bytes: Vec<u8>) -> Result<(), RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        let sent = self.writer.try_write(&bytes);
        self.settle(sent, Some(Job::Send(bytes)))
    }

    /// Sends an async caller's CALL frame (with its small bodies) without blocking. While a
    /// [`CallCork`](super::CallCork) is out, it is held back instead and the flusher told, so
    /// that the calls an event loop makes in one turn reach the peer in one write (one system
    /// call here, one wake-up there); any other frame sent meanwhile takes them along first.
    pub(crate) fn send_call_nowait(self: &Arc<Self>, bytes: Vec<u8>) -> Result<(), RpcError> {
        if self.cork.on.load(Ordering::SeqCst) {
            if let Some(e) = self.closed_error() {
                return Err(e);
            }
            match self.writer.cork(&bytes) {
                Corked::Held { first } => {
                    if first {
                        self.cork.wake();
                    }
                    // The cork was taken away meanwhile, after its last flush: flush here.
                    if !self.cork.on.load(Ordering::SeqCst) {
                        self.flush_corked();
                    }
                    return Ok(());
                }
                Corked::Queued => return Ok(()),
                Corked::Refused => {}
            }
        }
        self.send_nowait(bytes)
    }

    /// Writes the calls held back by [`Inner::send_call_nowait`], never blocking.
    pub(crate) fn flush_corked(self: &Arc<Self>) {
        if self.closed_error().is_none() {
            let sent = self.writer.flush_corked();
            // Busy: the connection is shutting its write end; the calls end with it.
            let _ = self.settle(sent, None);
        }
    }

    /// Finishes what [`Writer::try_write`] left: a partly written frame goes to a pool thread
    /// to flush, a frame that could not be written at all runs `when_busy` (dropped if none),
    /// and a failed write closes the connection.
    fn settle(self: &Arc<Self>, sent: Result<Sent, WriteError>, when_busy: Option<Job>) -> Result<(), RpcError> {
        match sent {
            Ok(Sent::Done) => {}
            Ok(Sent::Flush(rest)) => self.submit(Job::Flush(rest)),
            Ok(Sent::Busy) => {
                if let Some(job) = when_busy {
                    self.submit(job);
                }
            }
            Err(e) => return Err(self.write_failed(e)),
        }
        Ok(())
    }

    /// Tells the peer that a call follows soon (an EXPECT frame), so its waiting thread stays
    /// awake for it: best effort, never blocking. Nothing is sent to a peer that did not choose
    /// protocol version 2; behind another thread's write the frame is queued, or dropped when
    /// the queue has no room (that write wakes the peer anyway).
    pub(crate) fn heads_up(self: &Arc<Self>) {
        let Some(peer) = self.peer.get() else { return };
        if peer.version < EXPECT_VERSION || self.closed_error().is_some() {
            return;
        }
        let header = Header { kind: Kind::Expect, flags: 0, len: 0, id: 0 }.encode();
        // A failed write has closed the connection; the call that follows will say so.
        let _ = self.settle(self.writer.try_write(&header), None);
    }

    /// Finishes a writer's turn that [`Inner::send_nowait`] left unfinished (on a pool thread).
    pub(crate) fn flush(self: &Arc<Self>, rest: &[u8]) {
        if let Err(e) = self.writer.flush(rest) {
            self.write_failed(e);
        }
    }

    /// Waits until `ready()` holds, the deadline passes or something changes, reading frames
    /// meanwhile if no other thread is (see [`Reader::wait_event`]). Callers loop around it
    /// and re-check their conditions.
    pub(crate) fn wait_event(self: &Arc<Self>, deadline: Option<Instant>, ready: &dyn Fn() -> bool) {
        self.reader.wait_event(self, deadline, ready);
    }

    pub(crate) fn submit(self: &Arc<Self>, job: Job) {
        self.pool.submit(self, job);
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
    pub(super) fn forget_streams<'a>(&self, ids: impl Iterator<Item = &'a u64>) {
        self.streams.abandon(ids);
    }

    /// Hands a reply to its waiting caller. The caller has what it waited for, so it no longer
    /// follows: the read half goes to a thread still waiting when this leader leaves, rather
    /// than to one that would only pass it on.
    pub(super) fn deliver(&self, slot: &CallSlot, result: Result<Response, RpcError>) {
        slot.deliver(result);
        if let Some(thread) = &slot.thread {
            self.reader.unfollow(thread);
        }
    }

    // ----- closing -----

    pub(super) fn close_for(self: &Arc<Self>, error: RpcError) {
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
        self.cork.wake();
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
