//! Reading: leader/follower over the read half of the pipe. At most one thread holds the read
//! half at a time and decodes frames, handing each to the connection (a [`Handler`]); a thread
//! waiting for something (its reply, stream data, credit) takes the read half itself when it is
//! free, so in the common case a caller reads its own reply with no thread handoff, and a pool
//! thread (the poller) watches the pipe when nobody waits. Nothing that holds the read half
//! blocks on a write.
//!
//! Waiting threads spin briefly before they sleep, since on these pipes a sleep and a wake-up
//! cost more than the peer takes to answer: a leader reads the pipe for a few microseconds
//! (yielding the CPU in between) before it sleeps in `poll`; a follower yields for a while,
//! checking for its reply (or a free read half), before it parks; and a pool thread back from
//! serving reads the pipe for a moment before it sleeps in `wait`. Leaders and pollers stop
//! spinning where it does not pay (see `SpinOdds`). A poller that reads an EXPECT frame (the
//! peer's word that a call follows) reads the pipe, yielding, until the call comes or
//! `EXPECT_SPIN` passes. A reply a leader reads for
//! another caller is delivered (and that caller stops following) while it reads on. Calls read
//! in one go by a poller are returned together, for the pool to serve one after another.
//!
//! What a frame means is the connection's business: this module only calls [`Handler`], which
//! the connection implements, so it names no layer above it.

use std::os::fd::{AsFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use super::calls::IncomingCall;
use super::frame::{self, disconnected, Frame, FrameReader, Header, Kind, ReadError};
use super::handshake::Hello;
use super::io::{self as fdio, FdReader, WakePipe};
use super::sync::{lock, ParkQueue};
use crate::RpcError;

/// What the reading threads need from the connection: what to do with a frame, and how it
/// closes. Implemented by the connection (statically dispatched: there is one implementation).
pub(crate) trait Handler {
    fn is_closed(&self) -> bool;
    /// Acts on one frame; `Ok(Some(call))` is a call to serve. Runs while holding the read
    /// half, so it must never block.
    fn process(self: &Arc<Self>, header: Header, body: Vec<u8>) -> Result<Option<IncomingCall>, RpcError>;
    /// Serves a call from another thread (a reading caller must not serve it: it may hold
    /// locks the call needs).
    fn serve_later(self: &Arc<Self>, call: IncomingCall);
    /// Closes the connection over `error` (telling the peer, unless it is gone).
    fn close_for(self: &Arc<Self>, error: RpcError);
    /// Rescues calls read together that waited too long for the thread serving them (see
    /// `Pool::rescue_if_due`), for a poller standing aside.
    fn rescue_if_due(self: &Arc<Self>);
    /// The rescue timer expired (see `Pool::rescue`).
    #[cfg(linux_events)]
    fn rescue(self: &Arc<Self>);
}

struct ReadHalf {
    fd: OwnedFd,
    frames: FrameReader,
    /// The last frame read was stream data: more is probably in the pipe already, so read
    /// before polling (for replies, polling first saves a read that would find nothing).
    streaming: bool,
}

/// What [`ExternalReader::read_available`](super::ExternalReader::read_available) left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Available {
    /// The pipe is empty: wait for it to become readable again.
    Drained,
    /// A batch was read and more may be waiting: read again soon (after letting other work
    /// run).
    More,
    /// Another thread is reading (a caller waiting for its reply, or a poller); it handles
    /// what is there.
    Busy,
    /// The connection is closed: stop watching.
    Closed,
}

/// Where [`Reader::read_one`] looks for the next frame.
#[derive(Clone, Copy)]
enum Source {
    /// Only frames already buffered (no system call).
    Buffer,
    /// The buffer, then the pipe (one `read`).
    Pipe,
}

/// What [`Reader::read_one`] found.
enum Step {
    /// A frame of this kind, handled.
    Frame(Kind),
    /// No whole frame yet.
    Nothing,
    /// The connection closed (a read error, or a frame that broke the protocol).
    Closed,
}

impl ReadHalf {
    /// The next frame from `source`, or `None` when no whole frame is in yet.
    #[inline]
    fn next(&mut self, source: Source) -> Result<Option<(Header, Vec<u8>)>, RpcError> {
        let frame = match source {
            Source::Buffer => self.frames.next_buffered(),
            Source::Pipe => {
                self.frames.expect_large(self.streaming);
                self.frames.next_frame(&mut FdReader(self.fd.as_fd()))
            }
        };
        frame.map_err(read_error)
    }
}

/// How long the poller stays out of the way of a thread that is leading the reads before it
/// looks again. Leaders hand over to waiting threads directly; this only bounds how long a
/// frame that nobody waits for (a call from the peer, its hang-up) can sit after the last
/// leader left, in exchange for not waking the poller on every call.
const LEADER_BACKOFF: Duration = Duration::from_millis(1);

/// How long a poller told by an EXPECT frame that a call follows reads the pipe (yielding the
/// CPU in between) before it sleeps: a few times a chain's turn (30-70 µs with 50 plugins on a
/// 2-vCPU machine, `docs/plugin-environment.md`), so a slower plugin before this one still finds
/// it awake; the only value measured, not tuned.
const EXPECT_SPIN: Duration = Duration::from_micros(200);

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

/// How often a poller looks at the pipe while an external reader watches it: a safety net
/// for frames the external reader leaves (it reads while its event loop runs; threads waiting
/// for replies read for themselves).
const EXTERNAL_CHECK: Duration = Duration::from_millis(100);

/// Spins in a row that found nothing before a kind of wait stops spinning (see [`SpinOdds`]).
const SPIN_MISSES: u32 = 4;

/// While spinning does not pay, one wait in this many spins anyway, to notice when it would.
const SPIN_PROBE: u32 = 16;

/// Whether spinning before a sleep pays on this pipe, for one kind of wait (a leader's for a
/// reply, a poller's for the next call), as an adaptive mutex decides: after [`SPIN_MISSES`]
/// spins in a row found nothing, only every [`SPIN_PROBE`]th wait spins, until one finds
/// something. A spin that cannot pay is not just lost time: on a small machine it holds the
/// CPU the peer needs to answer. A host calling many plugins in turn (a hook chain) finds each
/// one asleep, and its spin, and each plugin's spin after its turn, only get in the way.
#[derive(Default)]
struct SpinOdds {
    misses: AtomicU32,
    skips: AtomicU32,
}

impl SpinOdds {
    fn should_spin(&self) -> bool {
        self.misses.load(Ordering::Relaxed) < SPIN_MISSES
            || self.skips.fetch_add(1, Ordering::Relaxed).is_multiple_of(SPIN_PROBE)
    }

    fn paid(&self) {
        // Read first: under load every reply pays, and a store each time would bounce the
        // line between the threads reading this pipe.
        if self.misses.load(Ordering::Relaxed) != 0 {
            self.misses.store(0, Ordering::Relaxed);
        }
    }

    fn wasted(&self) {
        let misses = self.misses.load(Ordering::Relaxed);
        if misses < SPIN_MISSES {
            self.misses.store(misses + 1, Ordering::Relaxed);
        }
    }
}

/// At most this many frames are read in one go by the poller before it serves what it found.
const POLLER_BATCH: usize = 64;

/// The read side of a connection: the read half of the pipe and who leads the reads.
pub(crate) struct Reader {
    data_fd: RawFd,
    half: Mutex<ReadHalf>,
    /// A thread holds `half` (a hint for the poller; the mutex is the truth).
    reader_busy: AtomicBool,
    /// The thread holding `half` is a poller (it holds it briefly; other pollers wait for it
    /// rather than back off).
    poller_leads: AtomicBool,
    /// Counts the times a thread other than a poller took the read half, so a poller woken
    /// for frames that such a thread read first can tell and back off.
    caller_reads: AtomicU64,
    /// Followers spinning before they park (see [`MAX_SPINNERS`]).
    spinners: AtomicUsize,
    followers: ParkQueue,
    /// Wakes the thread leading the reads out of `poll` (cancellation). Only leaders drain it.
    wake: Arc<WakePipe>,
    /// Becomes readable once, at close, and stays so: every `poll` watches it.
    closer: WakePipe,
    /// Stream chunks their readers used up, on their way back to the frame reader for reuse.
    returned: Mutex<Vec<Vec<u8>>>,
    poller: Mutex<Option<Thread>>,
    /// An external reader watches the pipe (see [`Reader::read_available`]): pollers stay off
    /// it, or every frame would wake two threads.
    external: AtomicBool,
    /// Where the thread leading the reads sleeps (Linux): first among the pipe's exclusive
    /// waiters, so a frame for a sleeping leader does not also wake a poller. `None`: it
    /// sleeps in `poll`.
    #[cfg(linux_events)]
    leader_wait: Option<fdio::ExclusiveWait>,
    /// Whether spinning pays for a leader waiting for a reply, and for a poller back from
    /// serving.
    leader_odds: SpinOdds,
    poller_odds: SpinOdds,
}

impl Reader {
    /// A reader of `fd` (non-blocking) accepting frames of up to `max_frame` bytes.
    pub fn new(fd: OwnedFd, max_frame: u32) -> std::io::Result<Self> {
        let wake = Arc::new(WakePipe::new()?);
        let closer = WakePipe::new()?;
        // Made here, before any pool thread makes its own wait, so it is first in line.
        #[cfg(linux_events)]
        let leader_wait =
            match fdio::ExclusiveWait::for_leader(std::os::fd::AsRawFd::as_raw_fd(&fd), closer.fd(), wake.fd()) {
                Ok(w) => Some(w),
                Err(e) => {
                    log::debug!("no exclusive epoll wait for the leader ({e}); polling instead");
                    None
                }
            };
        Ok(Reader {
            data_fd: std::os::fd::AsRawFd::as_raw_fd(&fd),
            half: Mutex::new(ReadHalf { fd, frames: FrameReader::new(max_frame), streaming: false }),
            reader_busy: AtomicBool::new(false),
            poller_leads: AtomicBool::new(false),
            caller_reads: AtomicU64::new(0),
            spinners: AtomicUsize::new(0),
            followers: ParkQueue::default(),
            wake,
            closer,
            returned: Mutex::new(Vec::new()),
            poller: Mutex::new(None),
            external: AtomicBool::new(false),
            #[cfg(linux_events)]
            leader_wait,
            leader_odds: SpinOdds::default(),
            poller_odds: SpinOdds::default(),
        })
    }

    /// The wake pipe of the thread leading the reads, for a cancelled call to wake it out of
    /// `poll` (a cancel token holds it weakly).
    pub fn wake_pipe(&self) -> &Arc<WakePipe> {
        &self.wake
    }

    /// The connection closed: every `poll` on the pipe returns, now and later.
    pub fn close(&self) {
        self.closer.wake();
    }

    /// Wakes every follower (the connection closed).
    pub fn wake_followers(&self) {
        self.followers.wake_all();
    }

    /// Takes back a used-up stream chunk for the frame reader to reuse.
    pub fn recycle(&self, chunk: Vec<u8>) {
        let mut returned = lock(&self.returned);
        if returned.len() < 4 {
            returned.push(chunk);
        }
    }

    /// Reads the peer's HELLO (the first frame) within `timeout`, before anything else reads.
    /// `closed` says whether the connection closed meanwhile.
    pub fn read_hello(
        &self,
        deadline: Option<Instant>,
        timeout: Duration,
        closed: impl Fn() -> Option<RpcError>,
    ) -> Result<Hello, RpcError> {
        let mut rd = lock(&self.half);
        loop {
            match rd.next(Source::Pipe) {
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
                    if let Some(e) = closed() {
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

    /// Holds the read half: nothing reads the pipe until the guard is dropped (tests of a
    /// peer that stops reading).
    #[cfg(test)]
    pub fn stall(&self) -> impl Drop + '_ {
        lock(&self.half)
    }

    fn try_lead(&self, poller: bool) -> Option<MutexGuard<'_, ReadHalf>> {
        let guard = match self.half.try_lock() {
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
        let guard = lock(&self.half);
        self.reader_busy.store(true, Ordering::SeqCst);
        self.poller_leads.store(true, Ordering::SeqCst);
        guard
    }

    /// Gives up the read half. Frames already buffered are processed first (no system call,
    /// nothing blocks): a frame left in the buffer would otherwise wait for the next byte on
    /// the pipe, since `poll` only sees the pipe.
    fn release<H: Handler>(&self, conn: &Arc<H>, mut rd: MutexGuard<'_, ReadHalf>) {
        while !conn.is_closed() {
            if let Step::Nothing = self.read_one(conn, &mut rd, Source::Buffer, None) {
                break;
            }
        }
        self.poller_leads.store(false, Ordering::SeqCst);
        self.reader_busy.store(false, Ordering::SeqCst);
        drop(rd);
        // Hand the reads to a thread that waits for something; with nobody waiting, the
        // poller takes over within LEADER_BACKOFF.
        self.followers.wake_one();
    }

    /// Wakes the poller (the connection closed).
    pub fn unpark_poller(&self) {
        if let Some(t) = lock(&self.poller).as_ref() {
            t.unpark();
        }
    }

    /// Waits until `ready()` holds, the deadline passes or something changes, reading frames
    /// meanwhile if no other thread is. Callers loop around it and re-check their conditions.
    pub fn wait_event<H: Handler>(&self, conn: &Arc<H>, deadline: Option<Instant>, ready: &dyn Fn() -> bool) {
        if let Some(rd) = self.try_lead(false) {
            self.lead(conn, rd, deadline, ready);
            return;
        }
        let me = thread::current();
        self.followers.push(me.clone());
        // The leader may have left between our try and the registration: look again rather
        // than sleep with nobody reading.
        if ready() || conn.is_closed() {
            self.unfollow(&me);
            return;
        }
        if let Some(rd) = self.try_lead(false) {
            self.unfollow(&me);
            self.lead(conn, rd, deadline, ready);
            return;
        }
        if self.spinners.fetch_add(1, Ordering::SeqCst) < MAX_SPINNERS {
            let now = Instant::now();
            let spin_end = deadline.map_or(now + FOLLOWER_SPIN, |d| d.min(now + FOLLOWER_SPIN));
            loop {
                thread::yield_now();
                if ready() || conn.is_closed() {
                    self.spinners.fetch_sub(1, Ordering::SeqCst);
                    self.unfollow(&me);
                    return;
                }
                if !self.reader_busy.load(Ordering::SeqCst) {
                    if let Some(rd) = self.try_lead(false) {
                        self.spinners.fetch_sub(1, Ordering::SeqCst);
                        self.unfollow(&me);
                        self.lead(conn, rd, deadline, ready);
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
            self.followers.wake_one();
        }
    }

    /// Reads and handles the frames the pipe holds now, for a thread that watches the pipe
    /// with its own event loop (an async runtime's reactor; see
    /// [`ExternalReader`](super::ExternalReader)). Replies wake their callers, calls go to
    /// the pool. It reads until the pipe is empty (a short read), at most a batch.
    pub fn read_available<H: Handler>(&self, conn: &Arc<H>) -> Available {
        if conn.is_closed() {
            return Available::Closed;
        }
        let Some(mut rd) = self.try_lead(false) else { return Available::Busy };
        let mut reads = 0;
        let mut closed = false;
        loop {
            match self.read_one(conn, &mut rd, Source::Buffer, None) {
                Step::Frame(_) => continue,
                Step::Closed => closed = true,
                Step::Nothing if (reads > 0 && rd.frames.drained()) || reads == POLLER_BATCH => {}
                Step::Nothing => {
                    reads += 1;
                    for chunk in lock(&self.returned).drain(..) {
                        rd.frames.recycle(chunk);
                    }
                    match self.read_one(conn, &mut rd, Source::Pipe, None) {
                        Step::Frame(_) => continue,
                        Step::Nothing => {}
                        Step::Closed => closed = true,
                    }
                }
            }
            break;
        }
        let drained = rd.frames.drained();
        self.release(conn, rd);
        match (closed, drained) {
            (true, _) => Available::Closed,
            (false, true) => Available::Drained,
            (false, false) => Available::More,
        }
    }

    /// Marks whether an external reader watches the pipe; pollers wait on the pipe only while
    /// none does (and are woken to resume when it leaves).
    pub fn set_external(&self, on: bool) {
        self.external.store(on, Ordering::SeqCst);
        if !on {
            self.unpark_poller();
        }
    }

    /// A poller's turn while an external reader watches the pipe: sleeps a while, then reads
    /// whatever the external reader left (it may have stopped, or be stalled). Returns the
    /// calls found, if any.
    fn check_behind_external<H: Handler>(&self, conn: &Arc<H>) -> Option<Vec<IncomingCall>> {
        thread::park_timeout(EXTERNAL_CHECK);
        if conn.is_closed() || !self.external.load(Ordering::SeqCst) {
            return None;
        }
        let mut rd = self.try_lead(true)?;
        let mut calls = Vec::new();
        let mut reads = 0;
        loop {
            match self.read_one(conn, &mut rd, Source::Buffer, Some(&mut calls)) {
                Step::Frame(_) => continue,
                Step::Closed => break,
                Step::Nothing if !calls.is_empty() || rd.frames.drained() && reads > 0 || reads == POLLER_BATCH => {
                    break
                }
                Step::Nothing => {
                    reads += 1;
                    if let Step::Nothing | Step::Closed = self.read_one(conn, &mut rd, Source::Pipe, Some(&mut calls)) {
                        break;
                    }
                }
            }
        }
        self.release(conn, rd);
        (!calls.is_empty()).then_some(calls)
    }

    /// The read end's descriptor (for an external reader to watch).
    pub fn data_fd(&self) -> RawFd {
        self.data_fd
    }

    /// Takes a thread out of the followers (it has what it waited for).
    pub fn unfollow(&self, me: &Thread) {
        self.followers.remove(me);
    }

    fn lead<H: Handler>(
        &self,
        conn: &Arc<H>,
        mut rd: MutexGuard<'_, ReadHalf>,
        deadline: Option<Instant>,
        ready: &dyn Fn() -> bool,
    ) {
        // Until then, look at the pipe with plain reads (yielding the CPU in between) rather
        // than sleep in `poll`: the peer usually answers within microseconds, and a sleep
        // costs two context switches and the wake-up latency. Reset whenever a frame arrives.
        // Unless spinning has stopped paying on this pipe (see `SpinOdds`).
        let mut spin_until: Option<Instant> = None;
        let mut spun = false;
        let mut slept = false;
        loop {
            if ready() || conn.is_closed() {
                // What came while this thread slept woke only it (see `leader_wait`): if its
                // last read did not empty the pipe (a large body is read exactly), the rest
                // must not wait for the next write to wake a poller.
                if slept && !rd.frames.drained() && !conn.is_closed() {
                    self.read_what_is_there(conn, &mut rd);
                }
                break;
            }
            // Frames already buffered first (no system call).
            match self.read_one(conn, &mut rd, Source::Buffer, None) {
                Step::Frame(_) => continue,
                Step::Nothing => {}
                Step::Closed => break,
            }
            // Then the pipe directly while spinning or while stream data flows; once the spin
            // is over, only after `poll` says it has something, so a long wait costs one poll
            // and one read, not also reads that find nothing.
            let spinning = match spin_until {
                None => {
                    let now = Instant::now();
                    let spin = if self.leader_odds.should_spin() { SPIN } else { Duration::ZERO };
                    spin_until = Some(deadline.map_or(now + spin, |d| d.min(now + spin)));
                    spun = !spin.is_zero();
                    spun
                }
                Some(until) => Instant::now() < until,
            };
            if rd.streaming || spinning {
                for chunk in lock(&self.returned).drain(..) {
                    rd.frames.recycle(chunk);
                }
                match self.read_one(conn, &mut rd, Source::Pipe, None) {
                    Step::Frame(kind) => {
                        if spinning {
                            self.leader_odds.paid();
                        }
                        rd.streaming = kind == Kind::Data;
                        spin_until = None;
                        continue;
                    }
                    Step::Nothing => rd.streaming = false,
                    Step::Closed => break,
                }
                if spinning {
                    thread::yield_now();
                    continue;
                }
            }
            if std::mem::take(&mut spun) {
                self.leader_odds.wasted();
            }
            slept = true;
            match self.leader_sleep(deadline) {
                Ok(r) if r.wake => {
                    self.wake.drain();
                    self.read_what_is_there(conn, &mut rd);
                    break;
                }
                Ok(r) if r.data || r.close => match self.read_one(conn, &mut rd, Source::Pipe, None) {
                    Step::Frame(kind) => {
                        rd.streaming = kind == Kind::Data;
                        spin_until = None;
                    }
                    Step::Nothing => {}
                    Step::Closed => break,
                },
                // The deadline passed.
                Ok(_) => {
                    self.read_what_is_there(conn, &mut rd);
                    break;
                }
                Err(e) => {
                    conn.close_for(disconnected(&format!("poll failed: {e}")));
                    break;
                }
            }
        }
        self.release(conn, rd);
    }

    /// The leader's sleep until the pipe has something, its wake pipe is written, the
    /// connection closes or `deadline` passes.
    fn leader_sleep(&self, deadline: Option<Instant>) -> std::io::Result<fdio::Ready> {
        #[cfg(linux_events)]
        if let Some(wait) = &self.leader_wait {
            return wait.wait_until(deadline);
        }
        fdio::poll_ready(self.data_fd, Some(self.wake.fd()), self.closer.fd(), deadline)
    }

    /// Reads and handles what the pipe holds now (up to a batch, so a flood cannot hold the
    /// leader), for a leader leaving after a sleep without having emptied the pipe (woken,
    /// past its deadline, or its last read was not short): a frame that came while it slept
    /// woke only the leader (see `leader_wait`), so the pollers would sleep on with it unread.
    fn read_what_is_there<H: Handler>(&self, conn: &Arc<H>, rd: &mut ReadHalf) {
        for _ in 0..POLLER_BATCH {
            match self.read_one(conn, rd, Source::Pipe, None) {
                Step::Frame(_) => {}
                Step::Nothing | Step::Closed => return,
            }
        }
    }

    /// Reads the next frame from `source` and processes it: the one place every reading
    /// thread reads and handles a frame, and where a read error or a frame that breaks the
    /// protocol closes the connection. Calls go to `calls` (the poller serves them) or to the
    /// pool (a waiting caller must not serve them: it may hold locks the call needs).
    #[inline]
    fn read_one<H: Handler>(
        &self,
        conn: &Arc<H>,
        rd: &mut ReadHalf,
        source: Source,
        calls: Option<&mut Vec<IncomingCall>>,
    ) -> Step {
        let (header, body) = match rd.next(source) {
            Ok(Some(frame)) => frame,
            Ok(None) => return Step::Nothing,
            Err(e) => {
                conn.close_for(e);
                return Step::Closed;
            }
        };
        let kind = header.kind;
        match conn.process(header, body) {
            Ok(Some(call)) => match calls {
                Some(calls) => calls.push(call),
                None => conn.serve_later(call),
            },
            Ok(None) => {}
            Err(e) => {
                conn.close_for(e);
                return Step::Closed;
            }
        }
        Step::Frame(kind)
    }

    /// The poller's turn: wait for the pipe while nobody else reads; return the calls read
    /// together (in order; the pool serves them one after another), or none
    /// once the connection closes.
    pub fn poll_loop<H: Handler>(&self, conn: &Arc<H>, wait: &PipeWait) -> Vec<IncomingCall> {
        *lock(&self.poller) = Some(thread::current());
        // A thread back from serving reads the pipe directly for a moment before it sleeps in
        // `wait`: under load the next call is usually on its way, and catching it awake saves
        // a sleep and a wake-up (as the leading caller does; see `Inner::lead`).
        // Unless spinning has stopped paying on this pipe (see `SpinOdds`).
        let now = Instant::now();
        let spin_until = if self.poller_odds.should_spin() { now + SPIN } else { now };
        let mut spun = spin_until > now;
        // Set by an EXPECT frame: the peer said a call follows, so read the pipe (yielding in
        // between) until then rather than sleep. Kept apart from the spin above, whose odds
        // it must not skew.
        let mut expect_until = now;
        loop {
            if conn.is_closed() {
                return Vec::new();
            }
            if self.external.load(Ordering::SeqCst) {
                if let Some(calls) = self.check_behind_external(conn) {
                    return calls;
                }
                continue;
            }
            let now = Instant::now();
            let after_serving = now < spin_until;
            if spun && !after_serving {
                spun = false;
                self.poller_odds.wasted();
            }
            let spinning = after_serving || now < expect_until;
            if self.reader_busy.load(Ordering::SeqCst) && !self.poller_leads.load(Ordering::SeqCst) {
                if spinning {
                    thread::yield_now();
                } else {
                    thread::park_timeout(LEADER_BACKOFF);
                    conn.rescue_if_due();
                }
                continue;
            }
            let caller_reads = self.caller_reads.load(Ordering::SeqCst);
            let waited = if spinning { Ok(fdio::Ready { data: true, ..Default::default() }) } else { wait.wait(self) };
            match waited {
                Ok(r) => {
                    #[cfg(linux_events)]
                    if r.timer {
                        conn.rescue();
                    }
                    if !r.data {
                        continue;
                    }
                }
                Err(e) => {
                    conn.close_for(disconnected(&format!("waiting for the pipe failed: {e}")));
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
            let mut expected = false;
            loop {
                match self.read_one(conn, &mut rd, Source::Buffer, Some(&mut calls)) {
                    Step::Frame(kind) => {
                        found += 1;
                        expected |= kind == Kind::Expect;
                    }
                    Step::Closed => break,
                    Step::Nothing => {
                        // Read on only while nothing to serve was found: calls found are served
                        // at once, and the spare poller picks up whatever comes next. A short
                        // read emptied the pipe: the wait (level-triggered) says when more
                        // comes, so the read that would find nothing is skipped.
                        if !calls.is_empty() || reads == POLLER_BATCH || (reads > 0 && rd.frames.drained()) {
                            break;
                        }
                        reads += 1;
                        match self.read_one(conn, &mut rd, Source::Pipe, Some(&mut calls)) {
                            Step::Frame(kind) => {
                                found += 1;
                                expected |= kind == Kind::Expect;
                            }
                            Step::Nothing | Step::Closed => break,
                        }
                    }
                }
            }
            self.release(conn, rd);
            if !calls.is_empty() {
                if after_serving {
                    self.poller_odds.paid();
                }
                return calls;
            }
            if expected {
                expect_until = Instant::now() + EXPECT_SPIN;
                continue;
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

    /// How a pool thread waits for the pipe: exclusively (Linux epoll; with the pool's rescue
    /// timer `timer`), so a second poller can stand by for free, or with plain `poll`.
    pub fn pipe_wait(&self, exclusive: bool, #[cfg(linux_events)] timer: Option<RawFd>) -> PipeWait {
        #[cfg(linux_events)]
        if exclusive {
            match fdio::ExclusiveWait::new(self.data_fd, self.closer.fd(), timer) {
                Ok(w) => return PipeWait::Exclusive(w),
                Err(e) => log::debug!("no exclusive epoll wait ({e}); polling instead"),
            }
        }
        #[cfg(not(linux_events))]
        let _ = exclusive;
        PipeWait::Poll
    }
}

/// How a pool thread waits for the pipe to become readable.
pub(crate) enum PipeWait {
    #[cfg(linux_events)]
    Exclusive(fdio::ExclusiveWait),
    Poll,
}

impl PipeWait {
    fn wait(&self, reader: &Reader) -> std::io::Result<fdio::Ready> {
        match self {
            #[cfg(linux_events)]
            PipeWait::Exclusive(w) => w.wait(),
            PipeWait::Poll => fdio::poll_ready(reader.data_fd, None, reader.closer.fd(), None),
        }
    }
}

/// The error a failed read closes the connection with, wherever it was read.
fn read_error(e: ReadError) -> RpcError {
    match e {
        ReadError::Invalid(e) => e,
        ReadError::Eof { mid_frame: true } => disconnected("the peer closed its pipe in the middle of a frame"),
        ReadError::Eof { mid_frame: false } => {
            disconnected("the peer closed its pipe (it exited or closed the connection)")
        }
        ReadError::Io(e) => disconnected(&format!("reading from the peer failed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spinning_stops_after_misses_and_probes_until_one_pays() {
        let odds = SpinOdds::default();
        for _ in 0..SPIN_MISSES {
            assert!(odds.should_spin());
            odds.wasted();
        }
        let spins = (0..SPIN_PROBE * 4).filter(|_| odds.should_spin()).count();
        assert_eq!(spins, 4, "one wait in {SPIN_PROBE} probes");
        odds.paid();
        assert!((0..10).all(|_| odds.should_spin()));
    }
}
