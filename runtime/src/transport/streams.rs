//! Byte streams multiplexed on the connection: the ends that move bytes over it, using the
//! per-stream flow state of [`flow`](super::flow). A [`RemoteStream`] reads what the peer sends
//! (a [`RecvState`]'s buffer), a [`RemoteSink`] writes into a caller's sink as credit allows
//! (a [`SendState`]), and [`pump`] copies a local reader into DATA frames.

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread;

use super::conn::Inner;
use super::flow::{Credit, RecvState, SendState, Take, CHUNK};
use super::frame::{self, Kind};
use super::outbox::frame_bytes;
use crate::ByteStream;

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

impl RemoteStream {
    /// The next chunk for an async reader (`None` at the end), or `Pending` with the task
    /// registered to be woken. Credit goes back without blocking.
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        match self.state.poll_chunk(cx.waker()) {
            Some(Ok(chunk)) => {
                let grant = self.state.consumed(chunk.len());
                if grant > 0 {
                    // A failed grant means the connection is gone; the next poll says so.
                    self.conn.send_later(Kind::Window, self.state.id, &grant.to_le_bytes());
                }
                Poll::Ready(Ok(Some(chunk)))
            }
            Some(Err(Ok(()))) => Poll::Ready(Ok(None)),
            Some(Err(Err(message))) => Poll::Ready(Err(io::Error::new(io::ErrorKind::ConnectionAborted, message))),
            None => Poll::Pending,
        }
    }
}

impl crate::stream::PollRead for RemoteStream {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        RemoteStream::poll_chunk(self, cx)
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

/// The body of a stream, if it can go at once with the frame announcing it: it is in memory,
/// fits in one DATA frame and in the peer's window (reserved here). Otherwise the stream back,
/// to be pumped as credit allows.
fn inline_body(state: &SendState, source: ByteStream) -> Result<Vec<u8>, ByteStream> {
    let bytes = match source.into_bytes() {
        Ok(bytes) if bytes.len() <= CHUNK => bytes,
        Ok(bytes) => return Err(ByteStream::from(bytes)),
        Err(source) => return Err(source),
    };
    if bytes.is_empty() {
        return Ok(bytes);
    }
    match state.take_credit(bytes.len()) {
        Credit::Granted(n) if n == bytes.len() => Ok(bytes),
        granted => {
            if let Credit::Granted(n) = granted {
                state.give_back(n);
            }
            Err(ByteStream::from(bytes))
        }
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

impl Inner {
    /// Sends a stream announced by a frame the caller is about to send: a body already in
    /// memory that fits in one DATA frame and in the peer's window has its DATA and END frames
    /// appended to `out`, for the caller to send in the same write as the announcing frame
    /// (one system call and one wake-up of the peer for a small HTTP request or response);
    /// any other goes to `pumps`, for a pool thread to pump as credit allows once the
    /// announcing frame is sent.
    pub(super) fn append_stream(
        self: &Arc<Self>,
        state: Arc<SendState>,
        source: ByteStream,
        out: &mut Vec<u8>,
        pumps: &mut Vec<(Arc<SendState>, ByteStream)>,
    ) {
        let bytes = match inline_body(&state, source) {
            Ok(bytes) => bytes,
            Err(source) => return pumps.push((state, source)),
        };
        if !bytes.is_empty() {
            out.extend_from_slice(&frame_bytes(Kind::Data, 0, state.id, &bytes));
        }
        if state.mark_ended() {
            out.extend_from_slice(&frame_bytes(Kind::End, 0, state.id, &[]));
        }
        self.forget_stream(state.id);
    }

    /// Sends END for a sink, once.
    pub(crate) fn end_sink(self: &Arc<Self>, state: &Arc<SendState>) {
        if state.mark_ended() {
            let _ = self.send_frame(Kind::End, 0, state.id, &[]);
        }
    }
}
