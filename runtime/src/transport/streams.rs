//! Byte streams multiplexed on the connection, with credit-based flow control: a stream's
//! receiver grants its sender a window of bytes and grants more as its reader consumes them, so
//! at most one window per stream is ever buffered, however long the stream.
//!
//! [`RecvState`] is the receiving end's buffer (behind a [`RemoteStream`] the reader reads, or
//! a caller's sink); [`SendState`] is the sending end's credit (used by a pump that copies a
//! local reader into DATA frames, or by a [`RemoteSink`] the callee writes into).

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::{self, Thread};

use super::conn::{lock, Inner};
use super::frame::{self, Kind};
use crate::{ByteStream, RpcError};

/// The largest DATA frame a sender writes.
pub const CHUNK: usize = 64 * 1024;

/// The receiving end of a stream.
pub(crate) struct RecvState {
    pub id: u64,
    window: u32,
    inner: Mutex<RecvInner>,
}

struct RecvInner {
    chunks: VecDeque<Vec<u8>>,
    /// Bytes of the front chunk already read.
    offset: usize,
    /// Bytes the sender may still send before it needs more credit.
    allowed: u64,
    /// Bytes consumed and not yet granted back.
    unacked: u64,
    end: Option<Result<(), String>>,
    waiter: Option<Thread>,
}

pub(crate) enum Take {
    /// Bytes copied, credit to grant, and the chunk if it was used up (for reuse).
    Data(usize, u32, Option<Vec<u8>>),
    End(Result<(), String>),
    Empty,
}

impl RecvState {
    pub fn new(id: u64, window: u32) -> Arc<Self> {
        Arc::new(RecvState {
            id,
            window,
            inner: Mutex::new(RecvInner {
                chunks: VecDeque::new(),
                offset: 0,
                allowed: u64::from(window),
                unacked: 0,
                end: None,
                waiter: None,
            }),
        })
    }

    /// Queues a DATA chunk (on the reading thread: never blocks). A sender that overruns its
    /// window breaks the protocol.
    pub fn push(&self, bytes: Vec<u8>) -> Result<(), RpcError> {
        let mut s = lock(&self.inner);
        if s.end.is_some() {
            return Ok(()); // dropped or abandoned locally: discard
        }
        let len = bytes.len() as u64;
        if len > s.allowed {
            return Err(frame::protocol(format!(
                "stream {} got {len} bytes with only {} of window left",
                self.id, s.allowed
            )));
        }
        s.allowed -= len;
        if len > 0 {
            s.chunks.push_back(bytes);
        }
        let waiter = s.waiter.clone();
        drop(s);
        if let Some(t) = waiter {
            t.unpark();
        }
        Ok(())
    }

    /// Ends the stream (END, reset or closed connection); true if it was not ended yet.
    pub fn finish(&self, result: Result<(), String>) -> bool {
        let mut s = lock(&self.inner);
        if s.end.is_some() {
            return false;
        }
        s.end = Some(result);
        let waiter = s.waiter.clone();
        drop(s);
        if let Some(t) = waiter {
            t.unpark();
        }
        true
    }

    /// The thread to wake when data or the end arrives.
    pub fn set_waiter(&self, t: Thread) {
        let mut s = lock(&self.inner);
        if s.waiter.as_ref().is_none_or(|w| w.id() != t.id()) {
            s.waiter = Some(t);
        }
    }

    /// Whether a read would not block.
    pub fn has_event(&self) -> bool {
        let s = lock(&self.inner);
        !s.chunks.is_empty() || s.end.is_some()
    }

    /// Whether chunks are queued (a caller's sink has something to write out).
    pub fn has_data(&self) -> bool {
        !lock(&self.inner).chunks.is_empty()
    }

    /// Copies buffered bytes into `buf`, returning how many and the credit to grant back.
    pub fn take_into(&self, buf: &mut [u8]) -> Take {
        let mut s = lock(&self.inner);
        if let Some(front) = s.chunks.front() {
            let offset = s.offset;
            let n = buf.len().min(front.len() - offset);
            buf[..n].copy_from_slice(&front[offset..offset + n]);
            let used_up = if offset + n == front.len() {
                s.offset = 0;
                s.chunks.pop_front()
            } else {
                s.offset += n;
                None
            };
            let grant = Self::account(&mut s, self.window, n);
            return Take::Data(n, grant, used_up);
        }
        match &s.end {
            Some(end) => Take::End(end.clone()),
            None => Take::Empty,
        }
    }

    /// Takes the next whole chunk (a caller's sink writes it out, then calls [`Self::consumed`]).
    pub fn pop_chunk(&self) -> Option<Vec<u8>> {
        let mut s = lock(&self.inner);
        let offset = std::mem::take(&mut s.offset);
        s.chunks.pop_front().map(|mut c| {
            c.drain(..offset);
            c
        })
    }

    /// Records `n` bytes consumed; the credit to grant back now (0 to wait for more).
    pub fn consumed(&self, n: usize) -> u32 {
        let mut s = lock(&self.inner);
        Self::account(&mut s, self.window, n)
    }

    /// Grants are batched to a quarter window, so a stream costs one WINDOW frame per quarter
    /// window rather than one per read.
    fn account(s: &mut RecvInner, window: u32, n: usize) -> u32 {
        s.unacked += n as u64;
        if s.end.is_some() || s.unacked < u64::from((window / 4).max(1)) {
            return 0;
        }
        let grant = s.unacked.min(u64::from(u32::MAX)) as u32;
        s.unacked -= u64::from(grant);
        s.allowed += u64::from(grant);
        grant
    }
}

/// The sending end of a stream: credit granted by the receiver.
pub(crate) struct SendState {
    pub id: u64,
    inner: Mutex<SendInner>,
}

struct SendInner {
    credit: u64,
    /// The receiver wants no more (RESET), or the connection closed.
    reset: bool,
    /// END was sent.
    ended: bool,
    waiter: Option<Thread>,
}

pub(crate) enum Credit {
    Granted(usize),
    Wait,
    Closed,
}

impl SendState {
    pub fn new(id: u64, window: u32) -> Arc<Self> {
        Arc::new(SendState {
            id,
            inner: Mutex::new(SendInner { credit: u64::from(window), reset: false, ended: false, waiter: None }),
        })
    }

    pub fn add_credit(&self, n: u32) {
        let mut s = lock(&self.inner);
        s.credit += u64::from(n);
        let waiter = s.waiter.clone();
        drop(s);
        if let Some(t) = waiter {
            t.unpark();
        }
    }

    pub fn reset(&self) {
        let mut s = lock(&self.inner);
        s.reset = true;
        let waiter = s.waiter.clone();
        drop(s);
        if let Some(t) = waiter {
            t.unpark();
        }
    }

    /// Reserves up to `max` bytes of credit, registering the calling thread to be woken when
    /// it must wait.
    pub fn take_credit(&self, max: usize) -> Credit {
        let mut s = lock(&self.inner);
        if s.reset || s.ended {
            return Credit::Closed;
        }
        if s.credit == 0 {
            let me = thread::current();
            if s.waiter.as_ref().is_none_or(|w| w.id() != me.id()) {
                s.waiter = Some(me);
            }
            return Credit::Wait;
        }
        let n = (max as u64).min(s.credit) as usize;
        s.credit -= n as u64;
        Credit::Granted(n)
    }

    /// Returns credit reserved but not used.
    pub fn give_back(&self, n: usize) {
        lock(&self.inner).credit += n as u64;
    }

    pub fn can_proceed(&self) -> bool {
        let s = lock(&self.inner);
        s.credit > 0 || s.reset || s.ended
    }

    /// Marks END as sent; true the first time.
    pub fn mark_ended(&self) -> bool {
        let mut s = lock(&self.inner);
        !std::mem::replace(&mut s.ended, true)
    }
}

/// The `Read` behind a [`ByteStream`] whose bytes come from the peer.
pub(crate) struct RemoteStream {
    conn: Arc<Inner>,
    state: Arc<RecvState>,
}

impl RemoteStream {
    pub fn new(conn: Arc<Inner>, state: Arc<RecvState>) -> Self {
        RemoteStream { conn, state }
    }
}

impl Read for RemoteStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state.take_into(buf) {
                Take::Data(n, grant, used_up) => {
                    if let Some(chunk) = used_up {
                        self.conn.recycle(chunk);
                    }
                    if grant > 0 {
                        // A failed grant means the connection is gone; the next read says so.
                        let _ = self.conn.send_frame(Kind::Window, 0, self.state.id, &grant.to_le_bytes());
                    }
                    return Ok(n);
                }
                Take::End(Ok(())) => return Ok(0),
                Take::End(Err(message)) => return Err(io::Error::new(io::ErrorKind::ConnectionAborted, message)),
                Take::Empty => {
                    self.state.set_waiter(thread::current());
                    let state = &self.state;
                    self.conn.wait_event(None, &|| state.has_event());
                }
            }
        }
    }
}

impl Drop for RemoteStream {
    fn drop(&mut self) {
        // Dropped before its end: tell the sender to stop. Sent from the pool, since a drop
        // may happen anywhere (even where writing must not block).
        if self.state.finish(Err("the reader dropped the stream".to_owned())) {
            self.conn.send_later(Kind::Reset, self.state.id, &[]);
        }
        self.conn.forget_stream(self.state.id);
    }
}

/// The `Write` behind a [`ByteSink`](crate::ByteSink) whose bytes go to the peer (the callee's
/// view of a caller's sink).
pub(crate) struct RemoteSink {
    conn: Arc<Inner>,
    state: Arc<SendState>,
}

impl RemoteSink {
    pub fn new(conn: Arc<Inner>, state: Arc<SendState>) -> Self {
        RemoteSink { conn, state }
    }
}

impl Write for RemoteSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state.take_credit(buf.len().min(CHUNK)) {
                Credit::Granted(n) => {
                    return self
                        .conn
                        .send_frame(Kind::Data, 0, self.state.id, &buf[..n])
                        .map(|()| n)
                        .map_err(|e| io::Error::new(io::ErrorKind::BrokenPipe, e));
                }
                Credit::Closed => return Err(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the caller no longer reads this sink (it gave up, the call returned, or the connection closed)",
                )),
                Credit::Wait => {
                    let state = &self.state;
                    self.conn.wait_event(None, &|| state.can_proceed());
                }
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for RemoteSink {
    fn drop(&mut self) {
        self.conn.end_sink(&self.state);
    }
}

/// Copies a local reader into the stream's DATA frames as credit allows, then ends the stream
/// (with the reader's error, if it failed). Runs on a pool thread.
pub(crate) fn pump(conn: &Arc<Inner>, state: Arc<SendState>, mut source: ByteStream) {
    let mut buf = vec![0u8; CHUNK];
    loop {
        let allowed = loop {
            match state.take_credit(CHUNK) {
                Credit::Granted(n) => break Some(n),
                Credit::Closed => break None,
                Credit::Wait => conn.wait_event(None, &|| state.can_proceed()),
            }
        };
        let Some(allowed) = allowed else { break };
        let read = loop {
            match source.read(&mut buf[..allowed]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        match read {
            Ok(0) => {
                state.give_back(allowed);
                if state.mark_ended() {
                    let _ = conn.send_frame(Kind::End, 0, state.id, &[]);
                }
                break;
            }
            Ok(n) => {
                state.give_back(allowed - n);
                if conn.send_frame(Kind::Data, 0, state.id, &buf[..n]).is_err() {
                    break;
                }
            }
            Err(e) => {
                if state.mark_ended() {
                    let _ = conn.send_frame(Kind::End, frame::FLAG_ERROR, state.id, e.to_string().as_bytes());
                }
                break;
            }
        }
    }
    conn.forget_stream(state.id);
}
