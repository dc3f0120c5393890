//! The calling side: a call from this side to the peer (sending it with its streams, waiting
//! for the reply while reading, writing sink data to the caller's sinks, giving up at the
//! deadline or on cancellation), pings, and the replies read off the pipe.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::calls::CallSlot;
use super::conn::Inner;
use super::flow::{RecvState, SendState};
use super::frame::{self, Header, Kind, ReplyFrame};
use super::pool::Job;
use super::scope::{self, CancelToken, Scope, Waiter};
use super::streams::RemoteStream;
use crate::{codec, ByteSink, ByteStream, Request, Response, RpcError};

impl Inner {
    pub(super) fn call(self: &Arc<Self>, request: Request) -> Result<Response, RpcError> {
        let scope = scope::current();
        let slot = CallSlot::new();
        let call = self.prepare_call(request, &scope, &slot)?;
        if let Err(e) = self.send(&[&call.header, &call.payload, &call.tail, &call.inline]) {
            return Err(call.abandon(self, e));
        }
        scope::after_send();
        let PreparedCall { id, start, deadline, stream_ids, sink_ids: _, sinks, pumps, .. } = call;
        for (state, source) in pumps {
            self.submit(Job::Pump(state, source));
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
        let result = self.await_reply(id, &slot, sinks, deadline, start, &scope, &stream_ids);
        for (token, key) in keys {
            token.unregister(key);
        }
        result
    }

    /// Everything a call does before its CALL frame is written, for the blocking and the async
    /// path alike: the checks (closed, handshake done, cancelled, sizes), the ids and flow
    /// state of its streams and sinks, its entry in the call table (`slot`), and the frame's
    /// parts with the small bodies that go in the same write.
    pub(super) fn prepare_call(
        self: &Arc<Self>,
        request: Request,
        scope: &Scope,
        slot: &Arc<CallSlot>,
    ) -> Result<PreparedCall, RpcError> {
        if let Some(e) = self.closed_error() {
            return Err(e);
        }
        let Some(peer) = self.peer.get() else {
            return Err(frame::protocol("the connection is not established yet"));
        };
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
        let send_states: Vec<Arc<SendState>> =
            streams.iter().map(|_| SendState::new(self.next_id(), peer.window)).collect();
        let recv_states: Vec<Arc<RecvState>> =
            sinks.iter().map(|_| RecvState::new(self.next_id(), self.config.stream_window)).collect();
        if let Err(e) = self.streams.register(&recv_states, &send_states) {
            // Only a peer that used ids of this side's parity can make fresh ones collide.
            self.close_for(e.clone());
            return Err(e);
        }
        let stream_ids: Vec<u64> = send_states.iter().map(|s| s.id).collect();
        let sink_ids: Vec<u64> = recv_states.iter().map(|s| s.id).collect();
        self.calls.wait_for(id, slot.clone());
        let timeout_ms = deadline.map_or(0, |d| {
            d.saturating_duration_since(start).as_micros().div_ceil(1000).clamp(1, u128::from(u32::MAX)) as u32
        });
        let tail = frame::call_tail(method, timeout_ms, &stream_ids, &sink_ids);
        let header = Header { kind: Kind::Call, flags: 0, len: body_len as u32, id }.encode();
        // Small bodies in memory go in the same write as the call; others are pumped after it.
        let (mut inline, mut pumps) = (Vec::new(), Vec::new());
        for (state, source) in send_states.into_iter().zip(streams) {
            self.append_stream(state, source, &mut inline, &mut pumps);
        }
        Ok(PreparedCall {
            id,
            start,
            deadline,
            header,
            payload,
            tail,
            inline,
            pumps,
            stream_ids,
            sink_ids,
            sinks: recv_states.into_iter().zip(sinks).collect(),
        })
    }

    /// Waits for call `id`'s reply, writing the data its sinks receive into the caller's sinks
    /// on this (the calling) thread meanwhile, so a slow sink never stalls reading.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn await_reply(
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

    pub(super) fn drain_sink(self: &Arc<Self>, state: &Arc<RecvState>, sink: &mut ByteSink, failed: &mut bool) {
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

    pub(super) fn ping(self: &Arc<Self>, timeout: Duration) -> Result<Duration, RpcError> {
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

    pub(super) fn accept_reply(self: &Arc<Self>, r: ReplyFrame) -> Result<(), RpcError> {
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
        let states: Vec<Arc<RecvState>> =
            r.streams.iter().map(|&id| RecvState::new(id, self.config.stream_window)).collect();
        if let Err(e) = self.streams.register(&states, &[]) {
            // The call is out of the table, so closing would not reach it: tell it here.
            self.deliver(&slot, Err(e.clone()));
            return Err(e);
        }
        let streams =
            states.into_iter().map(|state| ByteStream::polled(RemoteStream::new(self.clone(), state))).collect();
        self.deliver(&slot, Ok(Response { payload: r.payload, streams }));
        Ok(())
    }
}

/// A call ready to be written (see [`Inner::prepare_call`]): the CALL frame's parts, the
/// small bodies that go in the same write, and the streams to pump once it is written.
pub(super) struct PreparedCall {
    pub id: u64,
    pub start: Instant,
    pub deadline: Option<Instant>,
    pub header: [u8; frame::HEADER_LEN],
    pub payload: Vec<u8>,
    pub tail: Vec<u8>,
    pub inline: Vec<u8>,
    pub pumps: Vec<(Arc<SendState>, ByteStream)>,
    pub stream_ids: Vec<u64>,
    pub sink_ids: Vec<u64>,
    pub sinks: Vec<(Arc<RecvState>, ByteSink)>,
}

impl PreparedCall {
    /// The call could not be written: it leaves the call table and its streams stop.
    pub fn abandon(&self, conn: &Inner, error: RpcError) -> RpcError {
        conn.calls.take(self.id);
        conn.forget_streams(self.stream_ids.iter().chain(&self.sink_ids));
        error
    }
}

/// A duration in whole milliseconds, rounded up (a 199.9 ms wait reports 200).
pub(super) fn millis(d: Duration) -> u64 {
    d.as_micros().div_ceil(1000) as u64
}
