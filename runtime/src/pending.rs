//! Async calls as the generated code sees them: an [`AsyncChannel`] starts a call and hands
//! back a [`PendingCall`], a future of the response; a generated async client wraps it in a
//! [`CallFuture`] that decodes the method's result when the response arrives.
//!
//! Nothing here depends on an async runtime: the process transport wakes the task from the
//! thread that reads the reply, so the futures work under tokio, async-std or a hand-written
//! `block_on` alike.

use crate::call::{ClientCore, MethodInfo};
use crate::{codec, ByteSink, ByteStream, Channel, Dispatch, Loopback, Request, Response, RpcError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A channel that can also carry a call without blocking the caller: the response comes as a
/// future. The process transport ([`Connection`](crate::Connection)) waits for it without a
/// thread; in-process channels such as [`Loopback`] run the call at once and hand back its
/// finished result.
pub trait AsyncChannel: Channel {
    /// Sends `request` and returns the response to come. Dropping the future before it ends
    /// gives the call up (the transport tells the peer to stop).
    fn start_call(&self, request: Request) -> PendingCall;
}

impl<C: AsyncChannel + ?Sized> AsyncChannel for &C {
    fn start_call(&self, request: Request) -> PendingCall {
        (**self).start_call(request)
    }
}

impl<C: AsyncChannel + ?Sized> AsyncChannel for std::sync::Arc<C> {
    fn start_call(&self, request: Request) -> PendingCall {
        (**self).start_call(request)
    }
}

impl<C: AsyncChannel + ?Sized> AsyncChannel for Box<C> {
    fn start_call(&self, request: Request) -> PendingCall {
        (**self).start_call(request)
    }
}

impl<D: Dispatch> AsyncChannel for Loopback<D> {
    /// Runs the call on the caller's thread (the dispatcher is in this process), so the future
    /// is ready at once.
    fn start_call(&self, request: Request) -> PendingCall {
        PendingCall::ready(self.call(request))
    }
}

/// The response to a call in flight (see [`AsyncChannel::start_call`]).
pub struct PendingCall {
    state: Pending,
}

enum Pending {
    Ready(Option<Result<Response, RpcError>>),
    Waiting(Pin<Box<dyn Future<Output = Result<Response, RpcError>> + Send>>),
}

impl PendingCall {
    /// A call that already ended with `result`.
    pub fn ready(result: Result<Response, RpcError>) -> Self {
        PendingCall { state: Pending::Ready(Some(result)) }
    }

    /// A call whose response `future` brings.
    pub fn new(future: impl Future<Output = Result<Response, RpcError>> + Send + 'static) -> Self {
        PendingCall { state: Pending::Waiting(Box::pin(future)) }
    }
}

impl Future for PendingCall {
    type Output = Result<Response, RpcError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.state {
            Pending::Ready(result) => {
                Poll::Ready(result.take().unwrap_or_else(|| {
                    Err(RpcError::Protocol { detail: "a finished call was polled again".to_owned() })
                }))
            }
            Pending::Waiting(future) => future.as_mut().poll(cx),
        }
    }
}

impl std::fmt::Debug for PendingCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingCall { .. }")
    }
}

/// How a generated async method turns its response into its result.
pub type Finish<R> = fn(&'static MethodInfo, Result<Response, RpcError>) -> R;

/// The result of one method called through a generated async client: a future of the
/// method's `Result`, which owns everything it needs (`'static`), so it can be spawned.
/// Dropping it before it ends gives the call up.
#[must_use = "a call does nothing unless awaited, and dropping it cancels it"]
pub struct CallFuture<R> {
    method: &'static MethodInfo,
    pending: PendingCall,
    finish: Finish<R>,
}

impl<R> Future for CallFuture<R> {
    type Output = R;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<R> {
        let (method, finish) = (self.method, self.finish);
        Pin::new(&mut self.pending).poll(cx).map(|response| finish(method, response))
    }
}

impl<R> std::fmt::Debug for CallFuture<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallFuture").field("method", &self.method.name).finish_non_exhaustive()
    }
}

/// Decodes `method`'s response as `Result<T, E>`, with the streams it carries. Every failure
/// on the way is an `Err`, never a default value.
pub fn finish_streaming<T, E>(
    method: &'static MethodInfo,
    response: Result<Response, RpcError>,
) -> Result<(T, Vec<ByteStream>), E>
where
    T: DeserializeOwned,
    E: DeserializeOwned + From<RpcError>,
{
    let response = response?;
    let result: Result<T, E> = codec::decode(method.name, &response.payload)?;
    result.map(|value| (value, response.streams))
}

/// [`finish_streaming`] for a method that returns no streams.
pub fn finish_value<T, E>(method: &'static MethodInfo, response: Result<Response, RpcError>) -> Result<T, E>
where
    T: DeserializeOwned,
    E: DeserializeOwned + From<RpcError>,
{
    finish_streaming(method, response).map(|(value, _)| value)
}

impl<C: AsyncChannel> ClientCore<C> {
    /// Starts `method` with encoded `args` and the streams beside them; `finish` makes the
    /// method's result of the response. The arguments are encoded before this returns, so the
    /// future borrows nothing. A method the peer lacks fails without a round trip.
    pub fn start<A, R>(
        &self,
        method: &'static MethodInfo,
        args: &A,
        streams: Vec<ByteStream>,
        sinks: Vec<ByteSink>,
        finish: Finish<R>,
    ) -> CallFuture<R>
    where
        A: Serialize + ?Sized,
    {
        let pending = if !self.peer_implements(method.id) {
            PendingCall::ready(Err(RpcError::not_implemented(method.name)))
        } else {
            match codec::encode(method.name, args) {
                Ok(payload) => self.channel().start_call(Request { method: method.id, payload, streams, sinks }),
                Err(e) => PendingCall::ready(Err(e)),
            }
        };
        CallFuture { method, pending, finish }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::block_on;
    use crate::{InterfaceInfo, MethodSet};

    static M: MethodInfo = MethodInfo::new(7, "m");
    static IFACE: InterfaceInfo = InterfaceInfo { name: "T", methods: &[M] };

    struct Echo;
    impl Dispatch for Echo {
        fn interface(&self) -> &'static InterfaceInfo {
            &IFACE
        }
        fn dispatch(&self, request: Request) -> Result<Response, RpcError> {
            let n: u32 = codec::decode("m", &request.payload)?;
            let payload = codec::encode("m", &Ok::<u32, RpcError>(n + 1))?;
            Ok(Response { payload, streams: request.streams })
        }
    }

    #[test]
    fn a_call_is_encoded_at_once_and_decoded_when_awaited() {
        let core = ClientCore::new(Loopback::new(Echo));
        let call = {
            let n = String::from("41").parse::<u32>().unwrap();
            core.start(&M, &n, vec![], vec![], finish_value::<u32, RpcError>)
        };
        assert_eq!(block_on(call), Ok(42));
    }

    #[test]
    fn a_method_the_peer_lacks_fails_without_a_call() {
        let core = ClientCore::with_peer_methods(Loopback::new(Echo), MethodSet::default());
        let result = block_on(core.start(&M, &1u32, vec![], vec![], finish_value::<u32, RpcError>));
        assert!(matches!(result, Err(RpcError::NotImplemented { .. })), "{result:?}");
    }

    #[test]
    fn a_spoiled_reply_is_an_error() {
        let response = Ok(Response { payload: vec![0xc1], streams: vec![] });
        let result: Result<u32, RpcError> = finish_value(&M, response);
        assert!(matches!(result, Err(RpcError::Codec { .. })), "{result:?}");
    }
}
