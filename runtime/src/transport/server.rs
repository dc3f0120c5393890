//! The serving side: a call read off the pipe becomes an [`IncomingCall`] (its streams
//! registered, its deadline and cancel token set), and serving it dispatches it to the
//! implementation, ends its streams and sends the reply.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::calls::{IncomingCall, IncomingState};
use super::conn::Inner;
use super::flow::{RecvState, SendState};
use super::frame::{self, Header, Kind};
use super::pool::Job;
use super::scope::{self, CancelToken, Scope};
use super::streams::{RemoteSink, RemoteStream};
use super::sync::lock;
use crate::{codec, dispatch_catching, ByteSink, ByteStream, Request, Response, RpcError};

impl Inner {
    pub(super) fn accept_call(self: &Arc<Self>, c: frame::CallFrame) -> Result<IncomingCall, RpcError> {
        let peer_window = self.peer().window;
        let streams: Vec<Arc<RecvState>> =
            c.streams.iter().map(|&id| RecvState::new(id, self.config.stream_window)).collect();
        let sinks: Vec<Arc<SendState>> = c.sinks.iter().map(|&id| SendState::new(id, peer_window)).collect();
        self.streams.register(&streams, &sinks)?;
        let state = Arc::new(IncomingState { token: CancelToken::new(), streams, sinks });
        if !self.calls.accept(c.id, state.clone()) {
            return Err(frame::protocol(format!("call id {} is already in use", c.id)));
        }
        let deadline = (c.timeout_ms > 0)
            .then(|| Instant::now().checked_add(Duration::from_millis(c.timeout_ms.into())))
            .flatten();
        Ok(IncomingCall { id: c.id, method: c.method, deadline, payload: c.payload, state })
    }

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
                    .map(|s| ByteStream::polled(RemoteStream::new(self.clone(), s.clone())))
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
            self.streams.remove_all(state.streams.iter().map(|s| s.id).chain(state.sinks.iter().map(|s| s.id)));
        }
        self.calls.done(id);
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

    pub(super) fn send_reply(self: &Arc<Self>, id: u64, response: Response) -> Result<(), RpcError> {
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
        if let Err(e) = self.streams.register(&[], &states) {
            // Only a peer that used ids of this side's parity can make fresh ones collide.
            self.close_for(e.clone());
            return Err(e);
        }
        let ids: Vec<u64> = states.iter().map(|s| s.id).collect();
        let tail = frame::reply_tail(&ids);
        let header = Header { kind: Kind::Reply, flags: 0, len: size as u32, id }.encode();
        // Small bodies in memory go in the same write as the reply (one system call, one
        // wake-up of the peer); others are pumped after it.
        let (mut inline, mut pumps) = (Vec::new(), Vec::new());
        for (state, source) in states.into_iter().zip(streams) {
            self.append_stream(state, source, &mut inline, &mut pumps);
        }
        self.send(&[&header, &payload, &tail, &inline])?;
        for (state, source) in pumps {
            self.submit(Job::Pump(state, source));
        }
        Ok(())
    }

    pub(super) fn send_error_reply(self: &Arc<Self>, id: u64, error: &RpcError) -> Result<(), RpcError> {
        let payload = codec::encode("reply", error)?;
        let tail = frame::reply_tail(&[]);
        let header =
            Header { kind: Kind::Reply, flags: frame::FLAG_ERROR, len: (payload.len() + tail.len()) as u32, id }
                .encode();
        self.send(&[&header, &payload, &tail])
    }
}
