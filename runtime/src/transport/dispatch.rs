//! What each frame read off the pipe means, and the binding of the layers below to this
//! connection: `Inner` implements the reader's [`Handler`] (frames go to the calls, streams and
//! serving) and the pool's [`PoolConn`] (what its threads run). This is the one module that
//! sees both the reading and the serving machinery, so neither has to see the other.

use std::sync::Arc;

use super::calls::IncomingCall;
use super::config::Role;
use super::conn::Inner;
use super::flow::SendState;
use super::frame::{self, Frame, Header, Kind};
use super::pool::{Job, Pool, PoolConn};
use super::reader::{Handler, Reader};
use super::streams;
use crate::{ByteStream, Response, RpcError};

impl Handler for Inner {
    fn is_closed(&self) -> bool {
        Inner::is_closed(self)
    }

    /// Acts on one frame. Runs while holding the read half, so it never blocks: anything that
    /// needs writing is handed to the pool. `Ok(Some(call))` is a call to serve.
    fn process(self: &Arc<Self>, header: Header, body: Vec<u8>) -> Result<Option<IncomingCall>, RpcError> {
        match frame::parse_frame(header, body)? {
            Frame::Call(c) => return self.accept_call(c).map(Some),
            Frame::Reply(r) => self.accept_reply(r)?,
            Frame::Cancel { id } => {
                if let Some(state) = self.calls.incoming(id) {
                    state.cancel("the caller cancelled the call");
                }
            }
            Frame::Data { id, bytes } => {
                // Data for a stream this side already dropped is discarded.
                if let Some(state) = self.streams.recv(id) {
                    state.push(bytes)?;
                }
            }
            Frame::End { id, error } => {
                if let Some(s) = self.streams.take_recv(id) {
                    s.finish(error.map_or(Ok(()), Err));
                }
            }
            Frame::Window { id, credit } => {
                if let Some(s) = self.streams.send(id) {
                    s.add_credit(credit);
                }
            }
            Frame::Reset { id } => {
                if let Some(s) = self.streams.take_send(id) {
                    s.reset();
                }
            }
            Frame::Ping { id } => self.send_later(Kind::Pong, id, &[]),
            Frame::Pong { id } => {
                if let Some(slot) = self.calls.take(id) {
                    self.deliver(&slot, Ok(Response::default()));
                }
            }
            Frame::Goodbye { reason } => {
                return Err(RpcError::Disconnected { detail: format!("the peer closed the connection: {reason}") })
            }
            Frame::Hello(_) => return Err(frame::protocol("unexpected HELLO after the handshake")),
            // The thread that read it acts on it (`Reader::poll_loop`); nothing else to do.
            Frame::Expect => {}
        }
        Ok(None)
    }

    fn serve_later(self: &Arc<Self>, call: IncomingCall) {
        self.submit(Job::Serve(call));
    }

    fn close_for(self: &Arc<Self>, error: RpcError) {
        Inner::close_for(self, error);
    }

    fn rescue_if_due(self: &Arc<Self>) {
        self.pool.rescue_if_due(self);
    }

    #[cfg(linux_events)]
    fn rescue(self: &Arc<Self>) {
        self.pool.rescue(self);
    }
}

impl PoolConn for Inner {
    fn pool(&self) -> &Pool {
        &self.pool
    }

    fn reader(&self) -> &Reader {
        &self.reader
    }

    fn role(&self) -> Role {
        self.role
    }

    fn serve(self: &Arc<Self>, call: IncomingCall) {
        Inner::serve(self, call);
    }

    fn pump(self: &Arc<Self>, state: Arc<SendState>, source: ByteStream) {
        streams::pump(self, state, source);
    }

    fn send_bytes(self: &Arc<Self>, bytes: &[u8]) {
        let _ = self.send(&[bytes]);
    }

    fn flush(self: &Arc<Self>, rest: &[u8]) {
        Inner::flush(self, rest);
    }
}
