//! Calls as the generated code sees them: a [`Request`] goes through a [`Channel`] to the other
//! side, where a [`Dispatch`] implementation (the generated dispatch table) runs the method and
//! answers with a [`Response`].
//!
//! The functions here are the only logic generated clients and dispatchers run, so the
//! generated code stays a list of names and types, and fixes land in one place.

use crate::codec;
use crate::{ByteSink, ByteStream, RpcError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One method of an interface: its permanent wire id and its Rust name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodInfo {
    pub id: u32,
    pub name: &'static str,
}

impl MethodInfo {
    /// The method with wire id `id` and name `name` (generated method tables use it, one line
    /// per method).
    pub const fn new(id: u32, name: &'static str) -> Self {
        MethodInfo { id, name }
    }
}

/// An interface (a trait turned into RPC glue) and its methods, in declaration order.
#[derive(Debug, Clone, Copy)]
pub struct InterfaceInfo {
    pub name: &'static str,
    pub methods: &'static [MethodInfo],
}

impl InterfaceInfo {
    /// The method with this wire id.
    pub fn method(&self, id: u32) -> Option<&'static MethodInfo> {
        self.methods.iter().find(|m| m.id == id)
    }

    /// The method with this Rust name.
    pub fn method_by_name(&self, name: &str) -> Option<&'static MethodInfo> {
        self.methods.iter().find(|m| m.name == name)
    }

    /// The set of all methods of this interface.
    pub fn all_methods(&self) -> MethodSet {
        self.methods.iter().map(|m| m.id).collect()
    }
}

/// A set of method ids: the hooks a plugin implements, or the methods a peer knows.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodSet {
    words: Vec<u64>,
}

impl MethodSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a method id.
    pub fn insert(&mut self, id: u32) {
        let (word, bit) = ((id / 64) as usize, id % 64);
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << bit;
    }

    /// Whether the set holds this id.
    pub fn contains(&self, id: u32) -> bool {
        let (word, bit) = ((id / 64) as usize, id % 64);
        self.words.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }

    /// The ids in ascending order.
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.words
            .iter()
            .enumerate()
            .flat_map(|(i, w)| (0..64).filter(move |b| w & (1 << b) != 0).map(move |b| i as u32 * 64 + b))
    }

    /// The number of ids in the set.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }
}

impl FromIterator<u32> for MethodSet {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Self {
        let mut set = MethodSet::new();
        for id in iter {
            set.insert(id);
        }
        set
    }
}

impl fmt::Debug for MethodSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.ids()).finish()
    }
}

/// A call on its way to the other side: the method's wire id, the encoded arguments, and the
/// byte streams that travel beside them.
#[derive(Debug, Default)]
pub struct Request {
    pub method: u32,
    pub payload: Vec<u8>,
    /// Streams the callee reads (arguments of type `ByteStream`, HTTP request bodies), in
    /// parameter order.
    pub streams: Vec<ByteStream>,
    /// Sinks the callee writes into (arguments of type `ByteSink`), in parameter order.
    pub sinks: Vec<ByteSink>,
}

/// A reply: the encoded `Result` and the streams it returns (a returned `ByteStream`, an HTTP
/// response body).
#[derive(Debug, Default)]
pub struct Response {
    pub payload: Vec<u8>,
    pub streams: Vec<ByteStream>,
}

/// Carries requests to the other side and brings back responses. The in-process [`Loopback`]
/// and the process transport both implement it.
pub trait Channel: Send + Sync {
    /// Performs one call. Errors are failures of the carrying, never of the method.
    fn call(&self, request: Request) -> Result<Response, RpcError>;
}

impl<C: Channel + ?Sized> Channel for &C {
    fn call(&self, request: Request) -> Result<Response, RpcError> {
        (**self).call(request)
    }
}

impl<C: Channel + ?Sized> Channel for std::sync::Arc<C> {
    fn call(&self, request: Request) -> Result<Response, RpcError> {
        (**self).call(request)
    }
}

impl<C: Channel + ?Sized> Channel for Box<C> {
    fn call(&self, request: Request) -> Result<Response, RpcError> {
        (**self).call(request)
    }
}

/// The serving side of an interface: decodes a request, runs the method on the implementation,
/// encodes the result. Generated dispatchers implement it.
pub trait Dispatch: Send + Sync {
    /// The interface this dispatcher serves.
    fn interface(&self) -> &'static InterfaceInfo;

    /// The methods the implementation really provides (for hooks: the implemented set).
    fn implemented(&self) -> MethodSet {
        self.interface().all_methods()
    }

    /// Serves one request.
    fn dispatch(&self, request: Request) -> Result<Response, RpcError>;
}

impl<D: Dispatch + ?Sized> Dispatch for std::sync::Arc<D> {
    fn interface(&self) -> &'static InterfaceInfo {
        (**self).interface()
    }
    fn implemented(&self) -> MethodSet {
        (**self).implemented()
    }
    fn dispatch(&self, request: Request) -> Result<Response, RpcError> {
        (**self).dispatch(request)
    }
}

impl<D: Dispatch + ?Sized> Dispatch for Box<D> {
    fn interface(&self) -> &'static InterfaceInfo {
        (**self).interface()
    }
    fn implemented(&self) -> MethodSet {
        (**self).implemented()
    }
    fn dispatch(&self, request: Request) -> Result<Response, RpcError> {
        (**self).dispatch(request)
    }
}

/// Runs `dispatch` and turns a panic of the implementation into [`RpcError::Panicked`], so a
/// bug in one method fails that call and nothing else.
pub fn dispatch_catching<D: Dispatch + ?Sized>(dispatcher: &D, request: Request) -> Result<Response, RpcError> {
    let method = request.method;
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatcher.dispatch(request))) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            let name = dispatcher.interface().method(method).map_or("<unknown>", |m| m.name);
            Err(RpcError::Panicked { method: name.to_owned(), message })
        }
    }
}

/// The caller's half of a generated client: the channel, and what the peer is known to
/// implement, so calls to methods the peer lacks fail at once without a round trip.
pub struct ClientCore<C> {
    channel: C,
    peer_methods: Option<MethodSet>,
}

impl<C: Channel> ClientCore<C> {
    /// A client core that assumes the peer implements every method.
    pub fn new(channel: C) -> Self {
        ClientCore { channel, peer_methods: None }
    }

    /// A client core that calls only the methods in `peer_methods`; the others return
    /// [`RpcError::NotImplemented`] without touching the channel.
    pub fn with_peer_methods(channel: C, peer_methods: MethodSet) -> Self {
        ClientCore { channel, peer_methods: Some(peer_methods) }
    }

    /// The channel calls go through.
    pub fn channel(&self) -> &C {
        &self.channel
    }

    /// Whether the peer implements `method` (true when unknown).
    pub fn peer_implements(&self, method: u32) -> bool {
        self.peer_methods.as_ref().is_none_or(|set| set.contains(method))
    }

    /// Calls `method` with encoded `args` and the streams beside them, and decodes the
    /// `Result<T, E>` it answers. Every failure on the way is an `Err`, never a default value.
    pub fn call<A, T, E>(
        &self,
        method: &'static MethodInfo,
        args: &A,
        streams: Vec<ByteStream>,
        sinks: Vec<ByteSink>,
    ) -> Result<T, E>
    where
        A: Serialize + ?Sized,
        T: DeserializeOwned,
        E: DeserializeOwned + From<RpcError>,
    {
        self.call_streaming(method, args, streams, sinks).map(|(value, _)| value)
    }

    /// [`ClientCore::call`] for a method without streams or sinks, the common case.
    pub fn call_value<A, T, E>(&self, method: &'static MethodInfo, args: &A) -> Result<T, E>
    where
        A: Serialize + ?Sized,
        T: DeserializeOwned,
        E: DeserializeOwned + From<RpcError>,
    {
        self.call_streaming(method, args, Vec::new(), Vec::new()).map(|(value, _)| value)
    }

    /// Like [`ClientCore::call`], also returning the streams the reply carries.
    pub fn call_streaming<A, T, E>(
        &self,
        method: &'static MethodInfo,
        args: &A,
        streams: Vec<ByteStream>,
        sinks: Vec<ByteSink>,
    ) -> Result<(T, Vec<ByteStream>), E>
    where
        A: Serialize + ?Sized,
        T: DeserializeOwned,
        E: DeserializeOwned + From<RpcError>,
    {
        if !self.peer_implements(method.id) {
            return Err(E::from(RpcError::not_implemented(method.name)));
        }
        let payload = codec::encode(method.name, args)?;
        let request = Request { method: method.id, payload, streams, sinks };
        crate::pending::finish_streaming(method, self.channel.call(request))
    }
}

impl<C: Clone> Clone for ClientCore<C> {
    fn clone(&self) -> Self {
        ClientCore { channel: self.channel.clone(), peer_methods: self.peer_methods.clone() }
    }
}

impl<C: fmt::Debug> fmt::Debug for ClientCore<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore").field("channel", &self.channel).field("peer_methods", &self.peer_methods).finish()
    }
}

/// Decodes a request's arguments on the serving side.
pub fn decode_args<A: DeserializeOwned>(method: &'static MethodInfo, payload: &[u8]) -> Result<A, RpcError> {
    codec::decode(method.name, payload)
}

/// Encodes a method's result as the reply.
pub fn reply<T: Serialize, E: Serialize>(
    method: &'static MethodInfo,
    result: &Result<T, E>,
) -> Result<Response, RpcError> {
    Ok(Response { payload: codec::encode(method.name, result)?, streams: Vec::new() })
}

/// Encodes a method's result as the reply, with the streams it returns.
pub fn reply_streaming<T: Serialize, E: Serialize>(
    method: &'static MethodInfo,
    result: &Result<T, E>,
    streams: Vec<ByteStream>,
) -> Result<Response, RpcError> {
    Ok(Response { payload: codec::encode(method.name, result)?, streams })
}

/// Takes the stream at `index` (a peer that sent too few is a protocol error, not a panic).
pub fn take_stream(
    method: &'static MethodInfo,
    streams: &mut [ByteStream],
    index: usize,
) -> Result<ByteStream, RpcError> {
    streams.get_mut(index).map(std::mem::take).ok_or_else(|| RpcError::Protocol {
        detail: format!("`{}` expects byte stream #{index}, which the peer did not send", method.name),
    })
}

/// Takes the sink at `index` (a peer that sent too few is a protocol error, not a panic).
pub fn take_sink(method: &'static MethodInfo, sinks: &mut [ByteSink], index: usize) -> Result<ByteSink, RpcError> {
    sinks.get_mut(index).map(std::mem::take).ok_or_else(|| RpcError::Protocol {
        detail: format!("`{}` expects byte sink #{index}, which the peer did not send", method.name),
    })
}

/// The answer to a method id this side does not know (a newer peer calling an older one).
pub fn unknown_method(interface: &'static InterfaceInfo, id: u32) -> RpcError {
    RpcError::not_implemented(format!("{}#{id}", interface.name))
}

/// An in-process channel: requests go straight to a dispatcher, through the same encode and
/// decode steps as the process transport, so everything but the pipes is exercised.
pub struct Loopback<D> {
    dispatcher: D,
}

impl<D: Dispatch> Loopback<D> {
    /// A channel that serves every request with `dispatcher`.
    pub fn new(dispatcher: D) -> Self {
        Loopback { dispatcher }
    }

    /// The dispatcher behind this channel.
    pub fn dispatcher(&self) -> &D {
        &self.dispatcher
    }
}

impl<D: Dispatch> Channel for Loopback<D> {
    fn call(&self, request: Request) -> Result<Response, RpcError> {
        dispatch_catching(&self.dispatcher, request)
    }
}

/// Declares, at compile time, which methods of interface `I` (written `dyn Trait`) a type
/// implements itself, as opposed to keeping the trait's default body. The
/// `#[plugin_macros::implemented]` attribute on an `impl Trait for X` block writes this impl;
/// generated dispatchers read it (`Dispatcher::declared`) so a host never calls the rest.
///
/// Only the attribute writes it, so a bound on it (`Dispatcher::declared`, `plugin_sdk::serve!`)
/// turns a forgotten attribute into a compile error, with the fix in the message, instead of a
/// plugin that silently claims every method.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare which methods of the trait it implements",
    label = "no `#[implemented]` impl block declares this type's methods",
    note = "put `#[plugin_sdk::implemented]` (or `#[plugin_macros::implemented]` without the SDK) on the `impl` block of the trait for `{Self}`: it records the methods the block defines, so the peer calls only those"
)]
pub trait Implements<I: ?Sized> {
    /// The names of the methods the impl block defines.
    const METHODS: &'static [&'static str];
}

impl<I: ?Sized, T: Implements<I> + ?Sized> Implements<I> for &T {
    const METHODS: &'static [&'static str] = T::METHODS;
}

impl<I: ?Sized, T: Implements<I> + ?Sized> Implements<I> for Box<T> {
    const METHODS: &'static [&'static str] = T::METHODS;
}

impl<I: ?Sized, T: Implements<I> + ?Sized> Implements<I> for std::sync::Arc<T> {
    const METHODS: &'static [&'static str] = T::METHODS;
}

impl InterfaceInfo {
    /// The set of the named methods (names that are not methods of this interface are
    /// ignored: the compiler already checked the impl block they came from).
    pub fn method_set(&self, names: &[&str]) -> MethodSet {
        names.iter().filter_map(|n| self.method_by_name(n)).map(|m| m.id).collect()
    }
}
