//! A channel that spoils calls on purpose, so the generated round-trip tests can check that a
//! client fails closed on every way a reply can go wrong (none, malformed, missing its streams)
//! and that a dispatcher refuses a request missing its streams, not only on a dead channel.

use crate::{Channel, Request, Response, RpcError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What a call fails with when the channel is [`Fault::Down`].
pub(crate) const DOWN: &str = "test channel is down";

/// How a [`FaultyChannel`] spoils the calls it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Every call fails in transport, as on a dead connection.
    Down,
    /// The reply arrives with an empty payload.
    EmptyReply,
    /// The reply arrives with only the first half of its payload (a strict prefix of a
    /// MessagePack value never decodes as a whole one).
    TruncatedReply,
    /// The reply's payload is a byte MessagePack never uses.
    GarbageReply,
    /// The reply arrives intact but without the streams it returns.
    ReplyWithoutStreams,
    /// The request reaches the callee without its streams and sinks.
    RequestWithoutStreams,
}

impl Fault {
    /// The faults that spoil a reply's payload.
    pub const MALFORMED: [Fault; 3] = [Fault::EmptyReply, Fault::TruncatedReply, Fault::GarbageReply];
}

/// The switch behind one or more [`FaultyChannel`]s: which fault is on, and how many streams
/// or sinks the last calls lost (a fault that dropped nothing proves nothing).
pub struct Faults {
    fault: Mutex<Fault>,
    dropped: AtomicUsize,
}

impl Default for Faults {
    fn default() -> Self {
        Faults { fault: Mutex::new(Fault::Down), dropped: AtomicUsize::new(0) }
    }
}

impl Faults {
    /// A channel that carries calls over `inner`, spoiled as this switch says.
    pub fn channel<C: Channel>(&self, inner: C) -> FaultyChannel<'_, C> {
        FaultyChannel { faults: self, inner }
    }

    /// Turns `fault` on for the calls from now on, and clears the dropped count.
    pub fn set(&self, fault: Fault) {
        *self.fault.lock().unwrap_or_else(|e| e.into_inner()) = fault;
        self.dropped.store(0, Ordering::SeqCst);
    }

    fn get(&self) -> Fault {
        *self.fault.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Streams and sinks dropped since the last [`Faults::set`].
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }
}

/// A channel over another that spoils every call the way its [`Faults`] says.
pub struct FaultyChannel<'a, C> {
    faults: &'a Faults,
    inner: C,
}

impl<C: Channel> crate::AsyncChannel for FaultyChannel<'_, C> {
    /// Spoils the call as [`Channel::call`] does, and hands back its finished result.
    fn start_call(&self, request: Request) -> crate::PendingCall {
        crate::PendingCall::ready(self.call(request))
    }
}

impl<C: Channel> Channel for FaultyChannel<'_, C> {
    fn call(&self, mut request: Request) -> Result<Response, RpcError> {
        let fault = self.faults.get();
        if fault == Fault::Down {
            return Err(RpcError::Disconnected { detail: DOWN.to_owned() });
        }
        if fault == Fault::RequestWithoutStreams {
            let dropped = request.streams.len() + request.sinks.len();
            self.faults.dropped.fetch_add(dropped, Ordering::SeqCst);
            request.streams.clear();
            request.sinks.clear();
        }
        let mut response = self.inner.call(request)?;
        match fault {
            Fault::EmptyReply => response.payload.clear(),
            Fault::TruncatedReply => {
                let half = response.payload.len() / 2;
                response.payload.truncate(half);
            }
            Fault::GarbageReply => response.payload = vec![0xc1],
            Fault::ReplyWithoutStreams => {
                self.faults.dropped.fetch_add(response.streams.len(), Ordering::SeqCst);
                response.streams.clear();
            }
            Fault::Down | Fault::RequestWithoutStreams => {}
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{codec, ByteStream};

    /// Answers with an encoded `Ok("fine")` and one stream.
    struct Fine;

    impl Channel for Fine {
        fn call(&self, request: Request) -> Result<Response, RpcError> {
            let payload = codec::encode("m", &Ok::<_, String>(format!("fine {}", request.streams.len())))?;
            Ok(Response { payload, streams: vec![ByteStream::from("s")] })
        }
    }

    fn decoded(response: Result<Response, RpcError>) -> Result<Result<String, String>, RpcError> {
        codec::decode("m", &response?.payload)
    }

    #[test]
    fn each_fault_spoils_what_it_says() {
        let faults = Faults::default();
        let channel = faults.channel(Fine);
        let request = || Request { streams: vec![ByteStream::from("a")], ..Request::default() };
        assert!(matches!(channel.call(request()), Err(RpcError::Disconnected { .. })));
        for fault in Fault::MALFORMED {
            faults.set(fault);
            assert!(matches!(decoded(channel.call(request())), Err(RpcError::Codec { .. })), "{fault:?}");
        }
        faults.set(Fault::ReplyWithoutStreams);
        let response = channel.call(request()).unwrap();
        assert!(response.streams.is_empty());
        assert_eq!(faults.dropped(), 1);
        faults.set(Fault::RequestWithoutStreams);
        assert_eq!(decoded(channel.call(request())).unwrap(), Ok("fine 0".to_owned()));
        assert_eq!(faults.dropped(), 1);
    }
}
