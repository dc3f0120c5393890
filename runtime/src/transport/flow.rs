//! Per-stream flow state: credit-based flow control, where a stream's receiver grants its
//! sender a window of bytes and grants more as its reader consumes them, so at most one window
//! per stream is ever buffered, however long the stream. [`RecvState`] is the receiving end's
//! buffer, [`SendState`] the sending end's credit; neither knows the connection: the layers
//! above move the bytes and the WINDOW frames.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::Waker;
use std::thread::{self, Thread};

use super::frame;
use super::sync::{lock, Wakee};
use crate::RpcError;

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
    waiter: Option<Wakee>,
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
        if let Some(w) = waiter {
            w.wake();
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
        if let Some(w) = waiter {
            w.wake();
        }
        true
    }

    /// The thread to wake when data or the end arrives.
    pub fn set_waiter(&self, t: Thread) {
        Wakee::set_thread(&mut lock(&self.inner).waiter, t);
    }

    /// The next whole chunk, or the end, for an async reader; when there is neither yet, the
    /// task's waker is kept, to be woken when data or the end arrives.
    pub fn poll_chunk(&self, waker: &Waker) -> Option<Result<Vec<u8>, Result<(), String>>> {
        let mut s = lock(&self.inner);
        let offset = std::mem::take(&mut s.offset);
        if let Some(mut chunk) = s.chunks.pop_front() {
            chunk.drain(..offset);
            return Some(Ok(chunk));
        }
        if let Some(end) = &s.end {
            return Some(Err(end.clone()));
        }
        Wakee::set_task(&mut s.waiter, waker);
        None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn data(take: Take) -> (usize, u32, Option<Vec<u8>>) {
        match take {
            Take::Data(n, grant, used_up) => (n, grant, used_up),
            Take::End(end) => panic!("expected data, got the end ({end:?})"),
            Take::Empty => panic!("expected data, got nothing"),
        }
    }

    #[test]
    fn a_receiver_takes_up_to_its_window_and_refuses_an_overrun() {
        let r = RecvState::new(7, 8);
        r.push(vec![1; 5]).unwrap();
        r.push(vec![2; 3]).unwrap();
        let err = r.push(vec![3]).unwrap_err();
        assert!(matches!(err, RpcError::Protocol { .. }), "{err:?}");
        assert!(err.to_string().contains("stream 7 got 1 bytes with only 0 of window left"), "{err}");
    }

    #[test]
    fn reads_grant_credit_back_a_quarter_window_at_a_time() {
        let r = RecvState::new(1, 16);
        r.push(vec![9; 16]).unwrap();
        let mut buf = [0u8; 3];
        // 3 bytes read: below a quarter window (4), nothing granted yet.
        assert_eq!(data(r.take_into(&mut buf)), (3, 0, None));
        // 6 read in all: granted together, and the window is open again by as much.
        assert_eq!(data(r.take_into(&mut buf)), (3, 6, None));
        assert_eq!(lock(&r.inner).allowed, 6);
        r.push(vec![8; 6]).unwrap();
        assert!(r.push(vec![8]).is_err(), "the window is the granted 6 bytes, no more");
    }

    #[test]
    fn a_used_up_chunk_comes_back_for_reuse_and_partial_reads_keep_their_place() {
        let r = RecvState::new(1, 64);
        r.push(vec![1, 2, 3, 4, 5]).unwrap();
        let mut buf = [0u8; 2];
        assert_eq!(data(r.take_into(&mut buf)).0, 2);
        assert_eq!(buf, [1, 2]);
        let mut rest = [0u8; 8];
        let (n, _, used_up) = data(r.take_into(&mut rest));
        assert_eq!(&rest[..n], &[3, 4, 5]);
        assert_eq!(used_up, Some(vec![1, 2, 3, 4, 5]));
        assert!(matches!(r.take_into(&mut rest), Take::Empty));
    }

    #[test]
    fn pop_chunk_drops_the_bytes_already_read() {
        let r = RecvState::new(1, 64);
        r.push(vec![1, 2, 3]).unwrap();
        r.push(vec![4]).unwrap();
        assert!(r.has_data() && r.has_event());
        let mut buf = [0u8; 1];
        data(r.take_into(&mut buf));
        assert_eq!(r.pop_chunk(), Some(vec![2, 3]));
        assert_eq!(r.pop_chunk(), Some(vec![4]));
        assert_eq!(r.pop_chunk(), None);
        assert!(!r.has_data() && !r.has_event());
    }

    #[test]
    fn the_end_comes_after_the_data_and_only_once() {
        let r = RecvState::new(1, 64);
        r.push(vec![1]).unwrap();
        assert!(r.finish(Ok(())));
        assert!(!r.finish(Err("late".to_owned())), "a stream ends once");
        let mut buf = [0u8; 4];
        assert_eq!(data(r.take_into(&mut buf)).0, 1);
        assert!(matches!(r.take_into(&mut buf), Take::End(Ok(()))));
        // Data after the end (a stream dropped locally) is discarded, not an overrun.
        r.push(vec![0; 1000]).unwrap();
        assert!(!r.has_data());
        assert_eq!(r.consumed(1000), 0, "an ended stream grants nothing");
    }

    #[test]
    fn a_sender_spends_its_credit_waits_and_resumes_when_granted() {
        let s = SendState::new(3, 10);
        assert!(matches!(s.take_credit(4), Credit::Granted(4)));
        assert!(matches!(s.take_credit(100), Credit::Granted(6)));
        assert!(!s.can_proceed());
        assert!(matches!(s.take_credit(1), Credit::Wait));
        s.give_back(2);
        assert!(matches!(s.take_credit(5), Credit::Granted(2)));
        s.add_credit(5);
        assert!(s.can_proceed());
        assert!(matches!(s.take_credit(9), Credit::Granted(5)));
    }

    #[test]
    fn a_reset_or_ended_sender_is_closed() {
        let s = SendState::new(3, 10);
        assert!(s.mark_ended());
        assert!(!s.mark_ended(), "END is sent once");
        assert!(matches!(s.take_credit(1), Credit::Closed));
        let s = SendState::new(5, 0);
        assert!(matches!(s.take_credit(1), Credit::Wait));
        s.reset();
        assert!(s.can_proceed(), "a reset wakes the waiting sender to see it");
        assert!(matches!(s.take_credit(1), Credit::Closed));
    }
}
