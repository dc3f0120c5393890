//! Writing: the write end of the pipe and the outbox that combines the frames of threads
//! sending at once into shared `writev` calls. It knows bytes and frames, not calls: the
//! connection decides what a failed write means (see `Inner::send`).
//!
//! One thread writes at a time (the writer); a thread that finds another writing queues a small
//! frame in the outbox and returns at once, and the writer writes everything queued, in order,
//! with one `writev` per batch before it stops. So eight threads sending at once cost one or
//! two system calls and no thread sleeps on the write lock. Frames too large to copy wait for
//! their turn instead. A thread's frames keep their order: a writer empties the queue before it
//! gives up writing, so whatever a thread queued is written before any frame it writes itself
//! later.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::frame::{Header, Kind};
use super::io as fdio;
use super::sync::{lock, wait};
use crate::RpcError;

/// Frames up to this size are copied into the outbox when another thread is writing; larger
/// ones (stream chunks, big payloads) wait for their turn rather than be copied.
const QUEUE_FRAME_MAX: usize = 16 * 1024;

/// The outbox holds at most this much; beyond it senders wait, so a peer that stops reading
/// cannot make it grow without bound.
const QUEUE_MAX: usize = 256 * 1024;

/// Frames that threads queued for the thread writing.
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
    /// Frames held back to be written together (see [`Writer::cork`]): only while nobody
    /// writes, since the next turn to start writes them first.
    corked: Vec<u8>,
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

/// At most this much is held back by [`Writer::cork`]: a pipe's buffer is 64 KiB.
const CORK_MAX: usize = 32 * 1024;

/// What [`Writer::cork`] did with a frame.
pub(crate) enum Corked {
    /// Held back for the next write; `first` if nothing was held before it (then someone must
    /// be told to flush).
    Held { first: bool },
    /// Queued behind the thread writing, which writes it.
    Queued,
    /// Not taken (too large to hold): send it the usual way, which writes what is held first.
    Refused,
}

/// What [`Writer::try_write`] did with a frame.
pub(crate) enum Sent {
    /// Written, or queued behind the thread writing (which writes it).
    Done,
    /// The pipe filled up before this frame, or frames other threads queued meanwhile, were
    /// all written: the turn to write is still this caller's, and a thread that may wait must
    /// finish it, starting with these bytes ([`Writer::flush`]).
    Flush(Vec<u8>),
    /// Not written: another thread writes and the frame does not fit in the queue, or the
    /// connection is shutting the write end. A thread that may wait must send it.
    Busy,
}

/// How a writer's turn ended.
enum Turn {
    Done(Result<(), WriteError>),
    /// The pipe is full; these bytes of the batch are not written yet.
    Unfinished(Vec<u8>),
}

/// Why [`Writer::write`] wrote nothing (or not everything).
pub(crate) enum WriteError {
    /// The connection closed while this thread waited for its turn (the error it closed with).
    Closed(RpcError),
    /// The write end is gone: the connection closed.
    NoPipe,
    /// Writing failed: the peer is gone.
    Failed(io::Error),
}

/// The write end of the pipe and its outbox.
pub(crate) struct Writer {
    /// The write end; held by the thread writing, taken at close.
    fd: Mutex<Option<OwnedFd>>,
    /// Frames queued for the thread writing, and whether one is.
    outbox: Mutex<Outbox>,
    /// Wakes threads waiting to write a frame too large to queue.
    turn: Condvar,
}

impl Writer {
    pub fn new(fd: OwnedFd) -> Self {
        Writer { fd: Mutex::new(Some(fd)), outbox: Mutex::new(Outbox::default()), turn: Condvar::new() }
    }

    /// Writes one frame's parts, or queues them behind the thread writing (see the module
    /// docs). `closed` says whether the connection closed, for a thread that waited its turn.
    /// After a failure nothing queued is written: the connection is to close, and with it the
    /// calls whose frames were queued.
    pub fn write(&self, parts: &[&[u8]], closed: impl Fn() -> Option<RpcError>) -> Result<(), WriteError> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut outbox = lock(&self.outbox);
        while outbox.writing {
            if outbox.try_queue(parts, len) {
                return Ok(());
            }
            outbox.waiting += 1;
            outbox = wait(&self.turn, outbox);
            outbox.waiting -= 1;
            if let Some(e) = closed() {
                return Err(WriteError::Closed(e));
            }
        }
        outbox.writing = true;
        let batch = std::mem::take(&mut outbox.spare);
        let corked = std::mem::take(&mut outbox.corked);
        drop(outbox);

        let writer = lock(&self.fd);
        let result = match writer.as_ref() {
            Some(fd) if corked.is_empty() => fdio::writev_all(fd.as_fd(), parts).map_err(WriteError::Failed),
            Some(fd) => {
                // What was held back goes first, in the same system call.
                let mut all = Vec::with_capacity(parts.len() + 1);
                all.push(&corked[..]);
                all.extend_from_slice(parts);
                fdio::writev_all(fd.as_fd(), &all).map_err(WriteError::Failed)
            }
            None => Err(WriteError::NoPipe),
        };
        match self.write_queued(writer, batch, result, false) {
            Turn::Done(result) => result,
            Turn::Unfinished(_) => unreachable!("a waiting writer finishes its turn"),
        }
    }

    /// Writes one frame without ever blocking on the pipe, for async callers (a plugin that
    /// stops reading must not stall the host's async workers): queued behind the thread
    /// writing, or written at once (as much as the pipe takes) when nobody writes. See
    /// [`Sent`] for what the caller must do next.
    pub fn try_write(&self, frame: &[u8]) -> Result<Sent, WriteError> {
        let mut outbox = lock(&self.outbox);
        if outbox.writing {
            return Ok(if outbox.try_queue(&[frame], frame.len()) { Sent::Done } else { Sent::Busy });
        }
        if frame.is_empty() && outbox.corked.is_empty() {
            return Ok(Sent::Done);
        }
        // Nobody writes, so the write end is free, except while the connection shuts it (the
        // GOODBYE write may wait): then this is no time to write.
        let writer = match self.fd.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(Sent::Busy),
        };
        let Some(fd) = writer.as_ref() else { return Err(WriteError::NoPipe) };
        outbox.writing = true;
        let batch = std::mem::take(&mut outbox.spare);
        // What was held back goes first, in the same system call.
        let corked = std::mem::take(&mut outbox.corked);
        drop(outbox);
        let total = corked.len() + frame.len();
        let result = match fdio::writev_some(fd.as_fd(), &[&corked, frame], 0) {
            Ok(n) if n < total => {
                // The pipe is full: the turn stays this caller's, for a thread that may wait.
                lock(&self.outbox).spare = batch;
                let rest = match corked.get(n..) {
                    Some(held) => [held, frame].concat(),
                    None => frame[n - corked.len()..].to_vec(),
                };
                return Ok(Sent::Flush(rest));
            }
            Ok(_) => Ok(()),
            Err(e) => Err(WriteError::Failed(e)),
        };
        match self.write_queued(writer, batch, result, true) {
            Turn::Done(result) => result.map(|()| Sent::Done),
            Turn::Unfinished(rest) => Ok(Sent::Flush(rest)),
        }
    }

    /// Holds a small frame back, to be written with the next ones in one system call: by the
    /// next turn to write, whoever starts it, or by [`flush_corked`](Self::flush_corked). So
    /// frames keep their order however they are sent.
    pub fn cork(&self, frame: &[u8]) -> Corked {
        let mut outbox = lock(&self.outbox);
        if outbox.writing {
            return if outbox.try_queue(&[frame], frame.len()) { Corked::Queued } else { Corked::Refused };
        }
        if outbox.corked.len() + frame.len() > CORK_MAX {
            return Corked::Refused;
        }
        let first = outbox.corked.is_empty();
        outbox.corked.extend_from_slice(frame);
        Corked::Held { first }
    }

    /// Writes what [`cork`](Self::cork) held back, as [`try_write`](Self::try_write) would.
    pub fn flush_corked(&self) -> Result<Sent, WriteError> {
        self.try_write(&[])
    }

    /// Frames are held back by [`cork`](Self::cork).
    pub fn has_corked(&self) -> bool {
        !lock(&self.outbox).corked.is_empty()
    }

    /// Finishes a turn a [`try_write`](Self::try_write) left unfinished: writes `rest` (the
    /// part of a frame the pipe did not take), then what is queued, waiting for the pipe as
    /// needed (on a pool thread).
    pub fn flush(&self, rest: &[u8]) -> Result<(), WriteError> {
        let batch = std::mem::take(&mut lock(&self.outbox).spare);
        let writer = lock(&self.fd);
        let result = match writer.as_ref() {
            Some(fd) => fdio::writev_all(fd.as_fd(), &[rest]).map_err(WriteError::Failed),
            None => Err(WriteError::NoPipe),
        };
        match self.write_queued(writer, batch, result, false) {
            Turn::Done(result) => result,
            Turn::Unfinished(_) => unreachable!("a waiting writer finishes its turn"),
        }
    }

    /// The rest of a writer's turn, after its own frame (`result`): writes what other threads
    /// queued meanwhile, in batches, until the queue is empty or a write fails, then ends the
    /// turn. With `nonblocking`, stops when the pipe is full and keeps the turn, returning
    /// the part of the batch not written ([`Turn::Unfinished`]): the caller hands it to a
    /// thread that may wait.
    fn write_queued(
        &self,
        writer: MutexGuard<'_, Option<OwnedFd>>,
        mut batch: Vec<u8>,
        mut result: Result<(), WriteError>,
        nonblocking: bool,
    ) -> Turn {
        loop {
            let mut outbox = lock(&self.outbox);
            if result.is_err() || outbox.queued.is_empty() {
                outbox.queued.clear();
                outbox.writing = false;
                batch.clear();
                outbox.spare = batch;
                if outbox.waiting > 0 {
                    self.turn.notify_all();
                }
                break;
            }
            let Some(fd) = writer.as_ref() else {
                result = Err(WriteError::NoPipe);
                continue;
            };
            batch.clear();
            std::mem::swap(&mut batch, &mut outbox.queued);
            drop(outbox);
            if nonblocking {
                match fdio::writev_some(fd.as_fd(), &[&batch], 0) {
                    Ok(n) if n < batch.len() => return Turn::Unfinished(batch[n..].to_vec()),
                    Ok(_) => {}
                    Err(e) => result = Err(WriteError::Failed(e)),
                }
            } else {
                result = fdio::writev_all(fd.as_fd(), &[&batch]).map_err(WriteError::Failed);
            }
        }
        drop(writer);
        Turn::Done(result)
    }

    /// Wakes the threads waiting for their turn (the connection closed: they give up).
    pub fn wake_waiting(&self) {
        drop(lock(&self.outbox));
        self.turn.notify_all();
    }

    /// Closes the write end, after writing `last` (a GOODBYE) if given. It waits for the thread
    /// writing, which a peer that stopped reading can block: call it off the reading thread.
    pub fn shut(&self, last: Option<&[u8]>) {
        let mut writer = lock(&self.fd);
        if let Some(fd) = writer.take() {
            if let Some(bytes) = last {
                let _ = fdio::writev_all(fd.as_fd(), &[bytes]);
            }
        }
    }
}

/// A whole small frame as bytes, for sending later (from a pool thread, or behind the writer).
pub(crate) fn frame_bytes(kind: Kind, flags: u8, id: u64, body: &[u8]) -> Vec<u8> {
    let mut out = Header { kind, flags, len: body.len() as u32, id }.encode().to_vec();
    out.extend_from_slice(body);
    out
}
