//! Emission of the async client: `AsyncClient<C>`, beside the blocking `Client<C>`, with one
//! inherent method per trait method that encodes the arguments at once and returns the
//! runtime's `CallFuture` of the method's `Result`. The future borrows nothing, so a host can
//! spawn it; it is woken by the transport when the reply arrives, so no thread waits for it.
//! The test adapter that drives it through the same round-trip tests as the blocking client
//! is emitted here too (see [`test_adapter`]).

use crate::emit::{signature_of, Gen, MethodGen};
use crate::model::BytesShape;
use crate::valid::WireOk;
use proc_macro2::TokenStream;
use quote::quote;

/// How the method's result is made of the response: a function pointer (closures capture
/// nothing), so the future's type is the same for every method with the same result.
fn finish(gen: &Gen, g: &MethodGen) -> TokenStream {
    let rt = gen.rt;
    let err_ty = g.err_ty;
    match g.ok {
        WireOk::Value(BytesShape::No) => quote!(#rt::finish_value),
        WireOk::Value(BytesShape::Vec) => quote! {
            |__m, __r| #rt::finish_value::<#rt::codec::ByteBuf, #err_ty>(__m, __r).map(|__b| __b.0)
        },
        WireOk::Value(BytesShape::OptionVec) => quote! {
            |__m, __r| {
                #rt::finish_value::<::core::option::Option<#rt::codec::ByteBuf>, #err_ty>(__m, __r)
                    .map(|__o| __o.map(|__b| __b.0))
            }
        },
        WireOk::Stream => quote! {
            |__m, __r| {
                let ((), mut __streams) = #rt::finish_streaming::<(), #err_ty>(__m, __r)?;
                #rt::take_stream(__m, &mut __streams, 0).map_err(::core::convert::From::from)
            }
        },
        WireOk::HttpResponse => quote! {
            |__m, __r| {
                let (__head, mut __streams) =
                    #rt::finish_streaming::<#rt::http_wire::HttpResponseHead, #err_ty>(__m, __r)?;
                let __body = #rt::take_stream(__m, &mut __streams, 0)?;
                #rt::http_wire::join_response(__head, __body).map_err(::core::convert::From::from)
            }
        },
    }
}

/// `AsyncClient<C>` and `Client::to_async`.
pub(crate) fn async_client(gen: &Gen) -> TokenStream {
    let rt = gen.rt;
    let trait_ident = &gen.iface.ident;
    let methods = gen.methods.iter().map(|g| {
        let ident = &g.m.ident;
        let params = g.params.iter().map(|(name, ty, _)| quote!(#name: #ty));
        let (ok_ty, err_ty) = (g.ok_ty, g.err_ty);
        let (prelude, streams, sinks) = gen.streams_and_sinks(g);
        let (info, args, finish) = (&g.info, gen.args_expr(g), finish(gen, g));
        let (cfg, docs, deprecated, allow) = (g.cfg(), g.docs(), g.deprecated(), g.allow_deprecated());
        quote! {
            #docs
            #cfg
            #deprecated
            #allow
            pub fn #ident(&self, #(#params),*) -> #rt::CallFuture<::core::result::Result<#ok_ty, #err_ty>> {
                #(#prelude)*
                self.core.start(&#info, &#args, ::std::vec![#(#streams),*], ::std::vec![#(#sinks),*], #finish)
            }
        }
    });
    let doc = format!(
        " Calls [`{trait_ident}`] on the other side of a channel without blocking: each method \
         encodes its arguments, sends the call and returns a future of the method's `Result`, \
         woken when the reply arrives (no thread waits for it). The future borrows nothing, so \
         it can be spawned; dropping it before it ends cancels the call. As with [`Client`], \
         every failure to carry a call is the method's `Err`."
    );
    quote! {
        #[doc = #doc]
        pub struct AsyncClient<C> {
            core: #rt::ClientCore<C>,
        }

        // The error conversions are generic: identities where the error type is `RpcError`.
        #[allow(clippy::useless_conversion)]
        impl<C: #rt::AsyncChannel> AsyncClient<C> {
            /// An async client that assumes the peer implements every method.
            pub fn new(channel: C) -> Self {
                AsyncClient { core: #rt::ClientCore::new(channel) }
            }

            /// An async client that calls only `peer_methods`; the other methods fail at once
            /// with `RpcError::NotImplemented`, without a round trip.
            pub fn with_peer_methods(channel: C, peer_methods: #rt::MethodSet) -> Self {
                AsyncClient { core: #rt::ClientCore::with_peer_methods(channel, peer_methods) }
            }

            /// The shared calling machinery (channel and peer method set).
            pub fn core(&self) -> &#rt::ClientCore<C> {
                &self.core
            }

            #(#methods)*
        }

        impl<C: #rt::AsyncChannel + ::core::clone::Clone> Client<C> {
            /// An async client on the same channel, knowing the same peer methods.
            pub fn to_async(&self) -> AsyncClient<C> {
                AsyncClient { core: ::core::clone::Clone::clone(self.core()) }
            }
        }
    }
}

/// The tests' client: the blocking client, or the async client with each call driven to its
/// end, behind the trait, so one set of round-trip tests checks both.
pub(crate) fn test_adapter(gen: &Gen) -> TokenStream {
    let rt = gen.rt;
    let trait_ident = &gen.iface.ident;
    let methods = gen.methods.iter().map(|g| {
        let ident = &g.m.ident;
        let sig = signature_of(ident, g.v);
        let args = g.params.iter().map(|(name, _, _)| name);
        let args2 = args.clone();
        let (cfg, allow) = (g.cfg(), g.allow_deprecated());
        quote! {
            #cfg
            #allow
            #sig {
                match &self.asynchronous {
                    ::core::option::Option::Some(__client) => #rt::testing::block_on(__client.#ident(#(#args),*)),
                    ::core::option::Option::None => #trait_ident::#ident(&self.blocking, #(#args2),*),
                }
            }
        }
    });
    quote! {
        /// The one client type of the tests: the blocking client, or (when set) the async
        /// client driven to its end, on the loopback to a recorder, directly or through a
        /// channel that spoils calls.
        struct TestClient<'a> {
            blocking: Client<::std::boxed::Box<dyn #rt::Channel + 'a>>,
            asynchronous: ::core::option::Option<AsyncClient<::std::boxed::Box<dyn #rt::AsyncChannel + 'a>>>,
        }

        impl #trait_ident for TestClient<'_> {
            #(#methods)*
        }
    }
}
