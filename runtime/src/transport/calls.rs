//! The tables of calls in flight: this side's calls waiting for their replies ([`CallSlot`]s),
//! and the peer's calls being served here ([`IncomingState`]), each by id, so a frame read
//! off the pipe (a reply, a CANCEL) or the connection's end reaches its call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::task::Waker;
use std::thread::{self, Thread};
use std::time::Instant;

use super::flow::{RecvState, SendState};
use super::scope::CancelToken;
use super::sync::lock;
use crate::{Response, RpcError};

/// A waiting call: the reply lands here, with when it landed, and the caller is woken: a
/// blocking caller's thread is unparked, an async caller's task is woken.
pub(crate) struct CallSlot {
    state: Mutex<SlotState>,
    /// The calling thread, for a blocking call (it may be following the reads: see
    /// `Inner::deliver`); `None` for an async call.
    pub thread: Option<Thread>,
}

#[derive(Default)]
struct SlotState {
    result: Option<(Result<Response, RpcError>, Instant)>,
    /// The async caller's task, as of its last poll.
    task: Option<Waker>,
}

impl CallSlot {
    /// A slot for a call made by this thread, which waits for it.
    pub fn new() -> Arc<Self> {
        Arc::new(CallSlot { state: Mutex::default(), thread: Some(thread::current()) })
    }

    /// A slot for an async call: the task polling it is woken.
    pub fn for_task() -> Arc<Self> {
        Arc::new(CallSlot { state: Mutex::default(), thread: None })
    }

    /// Hands over the result (the first one only) and wakes the caller.
    pub fn deliver(&self, result: Result<Response, RpcError>) {
        let mut state = lock(&self.state);
        if state.result.is_none() {
            state.result = Some((result, Instant::now()));
        }
        let task = state.task.take();
        drop(state);
        if let Some(thread) = &self.thread {
            thread.unpark();
        }
        if let Some(task) = task {
            task.wake();
        }
    }

    pub fn take(&self) -> Option<(Result<Response, RpcError>, Instant)> {
        lock(&self.state).result.take()
    }

    pub fn is_ready(&self) -> bool {
        lock(&self.state).result.is_some()
    }

    /// Takes the result if it is in; otherwise keeps `waker` to wake when it comes.
    pub fn poll(&self, waker: &Waker) -> Option<(Result<Response, RpcError>, Instant)> {
        let mut state = lock(&self.state);
        if let Some(result) = state.result.take() {
            return Some(result);
        }
        if !state.task.as_ref().is_some_and(|w| w.will_wake(waker)) {
            state.task = Some(waker.clone());
        }
        None
    }

    /// Wakes the async caller without a result (its deadline passed: it gives up when polled).
    pub fn nudge(&self) {
        let task = lock(&self.state).task.take();
        if let Some(task) = task {
            task.wake();
        }
    }
}

/// The serving side's record of a call in progress, so a CANCEL (or the connection's end) can
/// reach the implementation and its streams.
pub(crate) struct IncomingState {
    pub token: CancelToken,
    pub streams: Vec<Arc<RecvState>>,
    pub sinks: Vec<Arc<SendState>>,
}

impl IncomingState {
    pub fn cancel(&self, why: &str) {
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
    pub id: u64,
    pub method: u32,
    pub deadline: Option<Instant>,
    pub payload: Vec<u8>,
    pub state: Arc<IncomingState>,
}

/// The calls in flight both ways, by id.
#[derive(Default)]
pub(crate) struct CallTable {
    /// This side's calls (and pings) waiting for their replies.
    outgoing: Mutex<HashMap<u64, Arc<CallSlot>>>,
    /// The peer's calls being served (or queued to be).
    incoming: Mutex<HashMap<u64, Arc<IncomingState>>>,
}

impl CallTable {
    /// Records a call of this side waiting for its reply.
    pub fn wait_for(&self, id: u64, slot: Arc<CallSlot>) {
        lock(&self.outgoing).insert(id, slot);
    }

    /// Takes a call of this side out of the table (its reply came, or it gave up): `None` when
    /// it was taken already.
    pub fn take(&self, id: u64) -> Option<Arc<CallSlot>> {
        lock(&self.outgoing).remove(&id)
    }

    /// Records a call of the peer's; false when its id is already in use.
    pub fn accept(&self, id: u64, state: Arc<IncomingState>) -> bool {
        lock(&self.incoming).insert(id, state).is_none()
    }

    /// The peer's call `id`, if it is being served.
    pub fn incoming(&self, id: u64) -> Option<Arc<IncomingState>> {
        lock(&self.incoming).get(&id).cloned()
    }

    /// The peer's call `id` is done.
    pub fn done(&self, id: u64) {
        lock(&self.incoming).remove(&id);
    }

    /// Empties this side's table (the connection closed), for the caller to end every call.
    pub fn drain_outgoing(&self) -> Vec<Arc<CallSlot>> {
        lock(&self.outgoing).drain().map(|(_, s)| s).collect()
    }

    /// Empties the peer's table (the connection closed), for the caller to cancel every call.
    pub fn drain_incoming(&self) -> Vec<Arc<IncomingState>> {
        lock(&self.incoming).drain().map(|(_, s)| s).collect()
    }
}
