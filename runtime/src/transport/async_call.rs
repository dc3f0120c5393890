//! Calls from this side for async callers: [`AsyncCall`], a future that is woken when the
//! reply arrives, so a task waits without holding a thread. The call is sent without ever
//! blocking on the pipe (see `Inner::send_nowait`); the pool's pollers read the reply, which
//! wakes the task; a process-wide timer wakes it at its deadline (see `timer`); dropping the
//! future cancels the call. A call with sinks (data the callee writes back while it runs)
//! needs a thread to write them out, so it runs as a blocking call on a pool thread.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use super::calls::CallSlot;
use super::client::{millis, PreparedCall};
use super::conn::Inner;
use super::frame::{self, Kind};
use super::pool::Job;
use super::scope::{self, CancelToken};
use super::timer::{self, TimerKey};
use crate::{Request, Response, RpcError};

/// A call in flight for an async caller.
pub(crate) struct AsyncCall {
    state: State,
}

enum State {
    /// Ended before it was sent (or its result was taken).
    Done(Option<Result<Response, RpcError>>),
    /// Sent; the reply comes to the slot.
    Waiting(Waiting),
    /// Running as a blocking call on a pool thread; its result comes to the slot.
    Relayed { slot: Arc<CallSlot>, cancel: CancelToken },
}

struct Waiting {
    conn: Arc<Inner>,
    id: u64,
    slot: Arc<CallSlot>,
    deadline: Option<Instant>,
    start: Instant,
    /// The local streams of the call, stopped if it is given up.
    stream_ids: Vec<u64>,
    timer: Option<TimerKey>,
}

impl AsyncCall {
    fn done(result: Result<Response, RpcError>) -> Self {
        AsyncCall { state: State::Done(Some(result)) }
    }
}

impl Inner {
    /// Starts a call for an async caller. The deadline is the current scope's (see
    /// [`with_deadline`](crate::with_deadline)) or the connection's call timeout; the
    /// scope's cancel tokens are not watched (dropping the future cancels the call).
    pub(super) fn start_call(self: &Arc<Self>, request: Request) -> AsyncCall {
        let scope = scope::current();
        if !request.sinks.is_empty() {
            return self.relay(request, scope);
        }
        let slot = CallSlot::for_task();
        let call = match self.prepare_call(request, &scope, &slot) {
            Ok(call) => call,
            Err(e) => return AsyncCall::done(Err(e)),
        };
        // The CALL frame and the small bodies that go with it, in one buffer: one write that
        // never waits for the pipe.
        let mut out = Vec::with_capacity(call.header.len() + call.payload.len() + call.tail.len() + call.inline.len());
        for part in [&call.header[..], &call.payload, &call.tail, &call.inline] {
            out.extend_from_slice(part);
        }
        if let Err(e) = self.send_call_nowait(out) {
            return AsyncCall::done(Err(call.abandon(self, e)));
        }
        let PreparedCall { id, start, deadline, stream_ids, pumps, .. } = call;
        for (state, source) in pumps {
            self.submit(Job::Pump(state, source));
        }
        let timer = deadline.and_then(|d| timer::add(d, &slot));
        AsyncCall {
            state: State::Waiting(Waiting { conn: self.clone(), id, slot, deadline, start, stream_ids, timer }),
        }
    }

    /// Runs a call with sinks as a blocking call on a pool thread, under the caller's scope
    /// and a token that dropping the future cancels.
    fn relay(self: &Arc<Self>, request: Request, mut scope: scope::Scope) -> AsyncCall {
        let slot = CallSlot::for_task();
        let cancel = CancelToken::new();
        scope.tokens.push(cancel.clone());
        let relay = Relay { conn: self.clone(), slot: slot.clone() };
        self.submit(Job::Run(Box::new(move || {
            relay.slot.deliver(scope::with_scope(scope, || relay.conn.call(request)));
        })));
        AsyncCall { state: State::Relayed { slot, cancel } }
    }
}

/// A relayed call's way back. If its job is dropped without running (the connection closed
/// first), the caller still gets an answer: the reason the connection closed.
struct Relay {
    conn: Arc<Inner>,
    slot: Arc<CallSlot>,
}

impl Drop for Relay {
    fn drop(&mut self) {
        // Ignored if the call delivered its result (only the first one counts).
        let reason = self.conn.closed_error().unwrap_or_else(|| frame::protocol("the call was dropped unrun"));
        self.slot.deliver(Err(reason));
    }
}

impl Waiting {
    /// The reply, unless it came after the deadline (then the call timed out).
    fn in_time(&self, result: Result<Response, RpcError>, arrived: Instant) -> Result<Response, RpcError> {
        match self.deadline {
            Some(d) if arrived > d => Err(self.timeout()),
            _ => result,
        }
    }

    fn timeout(&self) -> RpcError {
        RpcError::Timeout { after_ms: self.deadline.map_or(0, |d| millis(d - self.start)) }
    }

    /// Gives the call up: tells the callee to stop, stops the call's local streams. A reply
    /// that raced in, in time, is taken instead.
    fn give_up(&self, error: RpcError) -> Result<Response, RpcError> {
        if self.conn.calls.take(self.id).is_none() {
            if let Some((result, arrived)) = self.slot.take() {
                if self.deadline.is_none_or(|d| arrived <= d) {
                    return result;
                }
            }
        }
        self.conn.send_later(Kind::Cancel, self.id, &[]);
        self.conn.forget_streams(self.stream_ids.iter());
        Err(error)
    }
}

impl Future for AsyncCall {
    type Output = Result<Response, RpcError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let result = match &mut self.state {
            State::Done(result) => {
                result.take().unwrap_or_else(|| Err(frame::protocol("a finished call was polled again")))
            }
            State::Waiting(call) => {
                if let Some((result, arrived)) = call.slot.poll(cx.waker()) {
                    call.in_time(result, arrived)
                } else if call.deadline.is_some_and(|d| Instant::now() >= d) {
                    call.give_up(call.timeout())
                } else {
                    return Poll::Pending;
                }
            }
            State::Relayed { slot, .. } => match slot.poll(cx.waker()) {
                Some((result, _)) => result,
                None => return Poll::Pending,
            },
        };
        // Ended: the deadline is forgotten, and dropping the future does nothing more.
        self.state = State::Done(None);
        Poll::Ready(result)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Some(key) = self.timer.take() {
            timer::remove(&key);
        }
    }
}

impl Drop for AsyncCall {
    fn drop(&mut self) {
        match &self.state {
            // Dropped before its end: the caller no longer wants it.
            State::Waiting(call) => drop(call.give_up(RpcError::Cancelled)),
            State::Relayed { cancel, .. } => cancel.cancel(),
            State::Done(_) => {}
        }
    }
}
