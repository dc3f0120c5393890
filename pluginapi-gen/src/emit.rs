//! Emission: a [`ValidInterface`] becomes the RPC glue, as tokens.
//!
//! All names are computed once into `Gen` and `MethodGen`; each emitted item (method table,
//! wire types, client, async client (`emit_async`), dispatcher, timing layer, forwarding impls, round-trip tests) has its own
//! method, so an item is easy to find and change. Generated code reaches the runtime only by the
//! absolute path in [`Options::runtime`] and names its locals with a `__` prefix, so it cannot
//! collide with the user's names.

use crate::model::{BytesShape, Interface, Method, Passing};
use crate::valid::{ValidInterface, ValidMethod, WireOk, WireParam};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use syn::Type;

/// Choices of the front end.
#[derive(Debug, Clone)]
pub struct Options {
    /// The path generated code uses to reach the runtime crate.
    pub runtime: syn::Path,
    /// Whether to emit the round-trip test module.
    pub tests: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { runtime: syn::parse_quote!(::plugin_runtime), tests: true }
    }
}

/// Emits the glue for a valid interface (see [`crate::validate()`]).
pub fn emit(valid: &ValidInterface, options: &Options) -> TokenStream {
    Gen::new(valid, options).into_token_stream()
}

pub(crate) struct Gen<'a> {
    pub(crate) iface: &'a Interface,
    pub(crate) rt: &'a syn::Path,
    pub(crate) serde_crate: String,
    pub(crate) tests: bool,
    pub(crate) methods: Vec<MethodGen<'a>>,
}

pub(crate) struct MethodGen<'a> {
    pub(crate) m: &'a Method,
    pub(crate) v: &'a ValidMethod,
    pub(crate) index: usize,
    pub(crate) id: u32,
    pub(crate) name: String,
    /// `methods::GET_USER`
    pub(crate) info: TokenStream,
    pub(crate) args: Ident,
    pub(crate) args_ref: Option<Ident>,
    pub(crate) params: Vec<(&'a Ident, &'a Type, &'a WireParam)>,
    pub(crate) ok: WireOk,
    pub(crate) ok_ty: &'a Type,
    pub(crate) err_ty: &'a Type,
}

impl MethodGen<'_> {
    /// `#[cfg(..)]` for each of the method's cfgs: every item generated for the method carries
    /// them, so the glue compiles whether or not the method exists.
    pub(crate) fn cfg(&self) -> TokenStream {
        cfg_of(self.v)
    }

    /// `#[allow(deprecated)]` for generated code that names a deprecated method: its users are
    /// warned where they call it, not by code they did not write.
    pub(crate) fn allow_deprecated(&self) -> TokenStream {
        match self.v.attrs.deprecated {
            Some(_) => quote!(#[allow(deprecated)]),
            None => TokenStream::new(),
        }
    }

    /// The method's `#[deprecated(..)]`, for the generated items a user names.
    pub(crate) fn deprecated(&self) -> TokenStream {
        let Some(d) = &self.v.attrs.deprecated else { return TokenStream::new() };
        let since = d.since.as_ref().map(|v| quote!(since = #v));
        let note = d.note.as_ref().map(|v| quote!(note = #v));
        match (since, note) {
            (None, None) => quote!(#[deprecated]),
            (since, note) => {
                let args = since.into_iter().chain(note);
                quote!(#[deprecated(#(#args),*)])
            }
        }
    }

    /// The method's doc comment (without its metadata lines).
    pub(crate) fn docs(&self) -> TokenStream {
        let docs = &self.v.attrs.docs;
        quote!(#(#[doc = #docs])*)
    }
}

impl<'a> Gen<'a> {
    fn new(valid: &'a ValidInterface, options: &'a Options) -> Self {
        let iface = &valid.interface;
        let serde_crate = format!("{}::serde", options.runtime.to_token_stream()).replace(' ', "");
        let methods = iface
            .methods
            .iter()
            .zip(&valid.methods)
            .enumerate()
            .map(|(index, (m, v)): (usize, (&'a Method, &'a ValidMethod))| {
                let params: Vec<_> = v.params.iter().map(|p| (&p.ident, &p.ty, &p.wire)).collect();
                let camel = camel_case(&m.ident.to_string());
                let konst = format_ident!("{}", m.ident.to_string().to_uppercase());
                MethodGen {
                    m,
                    v,
                    index,
                    id: v.id,
                    name: m.ident.to_string(),
                    info: quote!(methods::#konst),
                    args: format_ident!("{camel}Args"),
                    args_ref: v.has_encoded_args().then(|| format_ident!("{camel}ArgsRef")),
                    params,
                    ok: v.ok,
                    ok_ty: &v.ok_ty,
                    err_ty: &v.err_ty,
                }
            })
            .collect();
        Gen { iface, rt: &options.runtime, serde_crate, tests: options.tests, methods }
    }

    fn method_table(&self) -> TokenStream {
        let rt = self.rt;
        let trait_name = self.iface.ident.to_string();
        let consts = self.methods.iter().map(|g| {
            let konst = format_ident!("{}", g.name.to_uppercase());
            let (id, name) = (proc_macro2::Literal::u32_unsuffixed(g.id), &g.name);
            let doc = format!(" `{name}`: wire id {}.", g.id);
            let (cfg, deprecated) = (g.cfg(), g.deprecated());
            quote! {
                #[doc = #doc]
                #cfg
                #deprecated
                pub const #konst: MethodInfo = MethodInfo::new(#id, #name);
            }
        });
        let infos = self.methods.iter().map(|g| {
            let (cfg, allow, info) = (g.cfg(), g.allow_deprecated(), &g.info);
            quote!(#cfg #allow #info)
        });
        let mod_doc = format!(" Wire ids and names of the methods of [`{trait_name}`], one constant per method.");
        let iface_doc = format!(" The `{trait_name}` interface: its name and its methods in declaration order.");
        quote! {
            #[doc = #mod_doc]
            pub mod methods {
                // Only the runtime's type is named here, so the short name cannot be shadowed.
                use #rt::MethodInfo;
                #(#consts)*
            }

            #[doc = #iface_doc]
            pub static INTERFACE: #rt::InterfaceInfo = #rt::InterfaceInfo {
                name: #trait_name,
                methods: &[#(#infos),*],
            };
        }
    }

    fn wire_types(&self) -> TokenStream {
        let rt = self.rt;
        let serde_crate = &self.serde_crate;
        let structs = self.methods.iter().map(|g| {
            let mut owned_fields = Vec::new();
            let mut ref_fields = Vec::new();
            for (ident, ty, kind) in &g.params {
                let (owned, borrowed, bytes) = match kind {
                    WireParam::Value(v) => {
                        let borrowed = match v.passing {
                            Passing::Borrowed => with_arg_lifetime(ty),
                            Passing::Owned => quote!(&'__arg #ty),
                        };
                        (v.owned.to_token_stream(), borrowed, v.bytes)
                    }
                    WireParam::HttpRequest { .. } => {
                        (quote!(#rt::http_wire::HttpRequestHead), quote!(&'__arg #rt::http_wire::HttpRequestHead), false)
                    }
                    _ => continue,
                };
                let with = bytes.then(|| {
                    let path = format!("{}::codec::bytes", self.rt.to_token_stream()).replace(' ', "");
                    quote!(#[serde(with = #path)])
                });
                owned_fields.push(quote!(#with pub #ident: #owned));
                ref_fields.push(quote!(#with pub #ident: #borrowed));
            }
            let (args, name, cfg) = (&g.args, &g.name, g.cfg());
            let doc = format!(" The arguments of `{name}` as the callee decodes them.");
            let owned = quote! {
                #[doc = #doc]
                #cfg
                #[derive(#rt::serde::Deserialize)]
                #[serde(crate = #serde_crate)]
                pub struct #args { #(#owned_fields,)* }
            };
            let borrowed = g.args_ref.as_ref().map(|args_ref| {
                let doc = format!(" The arguments of `{name}` as the caller encodes them, borrowed.");
                quote! {
                    #[doc = #doc]
                    #cfg
                    #[derive(#rt::serde::Serialize)]
                    #[serde(crate = #serde_crate)]
                    pub struct #args_ref<'__arg> { #(#ref_fields,)* }
                }
            });
            let empty_ser = g.args_ref.is_none().then(|| {
                quote! {
                    #cfg
                    impl #rt::serde::Serialize for #args {
                        fn serialize<__S: #rt::serde::Serializer>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                            #rt::serde::Serializer::serialize_map(__serializer, ::core::option::Option::Some(0)).and_then(#rt::serde::ser::SerializeMap::end)
                        }
                    }
                }
            });
            quote!(#owned #borrowed #empty_ser)
        });
        let doc = format!(" Argument types of the methods of [`{}`] on the wire.", self.iface.ident);
        quote! {
            #[doc = #doc]
            pub mod wire {
                #[allow(unused_imports)]
                use super::*;
                #(#structs)*
            }
        }
    }

    /// `fn name(&self, a: A, b: B) -> R` as declared in the trait.
    pub(crate) fn signature(g: &MethodGen) -> TokenStream {
        signature_of(&g.m.ident, g.v)
    }

    /// The expression that builds the encoded-arguments struct from the parameters in scope;
    /// HTTP heads must already be bound as `__<param>_head`.
    pub(crate) fn args_expr(&self, g: &MethodGen) -> TokenStream {
        let Some(args_ref) = &g.args_ref else {
            let args = &g.args;
            return quote!(wire::#args {});
        };
        let fields = g.params.iter().filter_map(|(ident, _, kind)| match kind {
            WireParam::Value(v) if v.passing == Passing::Borrowed => Some(quote!(#ident)),
            WireParam::Value(_) => Some(quote!(#ident: &#ident)),
            WireParam::HttpRequest { .. } => {
                let head = format_ident!("__{}_head", ident);
                Some(quote!(#ident: &#head))
            }
            _ => None,
        });
        quote!(wire::#args_ref { #(#fields),* })
    }

    /// A client method's setup (HTTP requests split into head and body) and the streams and
    /// sinks that travel beside the encoded arguments; both clients use it.
    pub(crate) fn streams_and_sinks(&self, g: &MethodGen) -> (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) {
        let rt = self.rt;
        let (mut prelude, mut streams, mut sinks) = (Vec::new(), Vec::new(), Vec::new());
        for (ident, _, kind) in &g.params {
            match kind {
                WireParam::Stream { .. } => streams.push(quote!(#ident)),
                WireParam::Sink { .. } => sinks.push(quote!(#ident)),
                WireParam::HttpRequest { .. } => {
                    let (head, body) = (format_ident!("__{}_head", ident), format_ident!("__{}_body", ident));
                    prelude.push(quote!(let (#head, #body) = #rt::http_wire::split_request(#ident);));
                    streams.push(quote!(#body));
                }
                _ => {}
            }
        }
        (prelude, streams, sinks)
    }

    fn client(&self) -> TokenStream {
        let rt = self.rt;
        let trait_ident = &self.iface.ident;
        let methods = self.methods.iter().map(|g| {
            let sig = Self::signature(g);
            let info = &g.info;
            let (ok_ty, err_ty) = (g.ok_ty, g.err_ty);
            let (prelude, streams, sinks) = self.streams_and_sinks(g);
            let args = self.args_expr(g);
            let call_args = quote!(&#info, &#args, ::std::vec![#(#streams),*], ::std::vec![#(#sinks),*]);
            let plain = streams.is_empty() && sinks.is_empty();
            let body = match g.ok {
                // The return type fixes `T` and `E`: no turbofish, and one line for most methods.
                WireOk::Value(BytesShape::No) if plain => quote!(self.core.call_value(&#info, &#args)),
                WireOk::Value(BytesShape::No) => {
                    quote!(self.core.call::<_, #ok_ty, #err_ty>(#call_args))
                }
                WireOk::Value(BytesShape::Vec) => quote! {
                    self.core.call::<_, #rt::codec::ByteBuf, #err_ty>(#call_args).map(|__b| __b.0)
                },
                WireOk::Value(BytesShape::OptionVec) => quote! {
                    self.core
                        .call::<_, ::core::option::Option<#rt::codec::ByteBuf>, #err_ty>(#call_args)
                        .map(|__o| __o.map(|__b| __b.0))
                },
                WireOk::Stream => quote! {
                    let ((), mut __streams) = self.core.call_streaming::<_, (), #err_ty>(#call_args)?;
                    #rt::take_stream(&#info, &mut __streams, 0).map_err(::core::convert::From::from)
                },
                WireOk::HttpResponse => quote! {
                    let (__head, mut __streams) =
                        self.core.call_streaming::<_, #rt::http_wire::HttpResponseHead, #err_ty>(#call_args)?;
                    let __body = #rt::take_stream(&#info, &mut __streams, 0)?;
                    #rt::http_wire::join_response(__head, __body).map_err(::core::convert::From::from)
                },
            };
            let (cfg, docs, allow) = (g.cfg(), g.docs(), g.allow_deprecated());
            quote! {
                #docs
                #cfg
                #allow
                #sig {
                    #(#prelude)*
                    #body
                }
            }
        });
        let doc = format!(
            " Calls [`{trait_ident}`] on the other side of a channel. Every failure to carry a call \
             comes back as the method's `Err` (through `From<RpcError>`), never as a default value."
        );
        quote! {
            #[doc = #doc]
            pub struct Client<C> {
                core: #rt::ClientCore<C>,
            }

            impl<C: #rt::Channel> Client<C> {
                /// A client that assumes the peer implements every method.
                pub fn new(channel: C) -> Self {
                    Client { core: #rt::ClientCore::new(channel) }
                }

                /// A client that calls only `peer_methods`; the other methods fail at once with
                /// `RpcError::NotImplemented`, without a round trip.
                pub fn with_peer_methods(channel: C, peer_methods: #rt::MethodSet) -> Self {
                    Client { core: #rt::ClientCore::with_peer_methods(channel, peer_methods) }
                }

                /// The shared calling machinery (channel and peer method set).
                pub fn core(&self) -> &#rt::ClientCore<C> {
                    &self.core
                }
            }

            // The error conversions are generic: for methods whose error type is `RpcError`
            // itself they are identities, which is fine.
            #[allow(clippy::useless_conversion)]
            impl<C: #rt::Channel> #trait_ident for Client<C> {
                #(#methods)*
            }
        }
    }

    fn dispatcher(&self) -> TokenStream {
        let rt = self.rt;
        let trait_ident = &self.iface.ident;
        let any_streams = self.methods.iter().any(|g| {
            g.params.iter().any(|(_, _, k)| {
                matches!(k, WireParam::Stream { .. } | WireParam::Sink { .. } | WireParam::HttpRequest { .. })
            })
        });
        let request_binding = if any_streams { quote!(mut __request) } else { quote!(__request) };
        // A stream-taking method that is configured out leaves the binding's `mut` unused.
        let allow_unused_mut = self
            .methods
            .iter()
            .any(|g| g.v.has_streams() && !g.v.attrs.cfgs.is_empty())
            .then(|| quote!(#[allow(unused_mut)]));
        let arms = self.methods.iter().map(|g| {
            let (id, info, ident, args) = (proc_macro2::Literal::u32_unsuffixed(g.id), &g.info, &g.m.ident, &g.args);
            let err_ty = g.err_ty;
            let mut takes = Vec::new();
            let call_args: Vec<TokenStream> = g
                .params
                .iter()
                .map(|(p, _, kind)| match kind {
                    WireParam::Value(v) if v.passing == Passing::Borrowed => quote!(&__args.#p),
                    WireParam::Value(_) => quote!(__args.#p),
                    WireParam::Stream { slot } => {
                        takes.push(quote!(let #p = #rt::take_stream(__m, &mut __request.streams, #slot)?;));
                        quote!(#p)
                    }
                    WireParam::Sink { slot } => {
                        takes.push(quote!(let #p = #rt::take_sink(__m, &mut __request.sinks, #slot)?;));
                        quote!(#p)
                    }
                    WireParam::HttpRequest { slot } => {
                        takes.push(quote! {
                            let #p = #rt::http_wire::join_request(__args.#p, #rt::take_stream(__m, &mut __request.streams, #slot)?)?;
                        });
                        quote!(#p)
                    }
                })
                .collect();
            // `__args` is partially moved by owned parameters and HTTP heads; bind it mutably
            // only in the sense Rust needs: by value.
            let reply = match g.ok {
                WireOk::Value(BytesShape::No) => quote!(#rt::reply(__m, &__result)),
                WireOk::Value(BytesShape::Vec) => {
                    quote!(#rt::reply(__m, &__result.as_ref().map(|__v| #rt::codec::BytesRef(__v))))
                }
                WireOk::Value(BytesShape::OptionVec) => {
                    quote!(#rt::reply(__m, &__result.as_ref().map(|__v| __v.as_deref().map(#rt::codec::BytesRef))))
                }
                WireOk::Stream => quote! {
                    match __result {
                        ::core::result::Result::Ok(__s) => {
                            #rt::reply_streaming(__m, &::core::result::Result::Ok::<(), #err_ty>(()), ::std::vec![__s])
                        }
                        ::core::result::Result::Err(__e) => #rt::reply(__m, &::core::result::Result::Err::<(), #err_ty>(__e)),
                    }
                },
                WireOk::HttpResponse => quote! {
                    match __result {
                        ::core::result::Result::Ok(__r) => {
                            let (__head, __body) = #rt::http_wire::split_response(__r);
                            #rt::reply_streaming(__m, &::core::result::Result::Ok::<_, #err_ty>(__head), ::std::vec![__body])
                        }
                        ::core::result::Result::Err(__e) => #rt::reply(
                            __m,
                            &::core::result::Result::Err::<#rt::http_wire::HttpResponseHead, #err_ty>(__e),
                        ),
                    }
                },
            };
            let decode = if g.v.has_encoded_args() {
                quote!(let __args: wire::#args = #rt::decode_args(__m, &__request.payload)?;)
            } else {
                quote!(let _: wire::#args = #rt::decode_args(__m, &__request.payload)?;)
            };
            let (cfg, allow) = (g.cfg(), g.allow_deprecated());
            quote! {
                #cfg
                #allow
                #id => {
                    let __m = &#info;
                    #decode
                    #(#takes)*
                    let __result = #trait_ident::#ident(&self.implementation, #(#call_args),*);
                    #reply
                }
            }
        });
        let doc = format!(
            " Serves [`{trait_ident}`] calls that arrive on a channel: decodes each request, runs the \
             method on the implementation and encodes its result."
        );
        quote! {
            #[doc = #doc]
            pub struct Dispatcher<T> {
                implementation: T,
                implemented: #rt::MethodSet,
            }

            impl<T: #trait_ident> Dispatcher<T> {
                /// Serves every method with `implementation`.
                pub fn new(implementation: T) -> Self {
                    Dispatcher { implementation, implemented: INTERFACE.all_methods() }
                }

                /// Serves `implementation`, telling peers that only `implemented` methods are
                /// provided (the others keep their default body and are never called).
                pub fn with_implemented(implementation: T, implemented: #rt::MethodSet) -> Self {
                    Dispatcher { implementation, implemented }
                }

                /// Serves `implementation`, telling peers that only the methods its
                /// `#[plugin_macros::implemented]` impl block defines are provided.
                pub fn declared(implementation: T) -> Self
                where
                    T: #rt::Implements<dyn #trait_ident>,
                {
                    let implemented = INTERFACE.method_set(<T as #rt::Implements<dyn #trait_ident>>::METHODS);
                    Dispatcher { implementation, implemented }
                }

                /// The implementation calls are served by.
                pub fn implementation(&self) -> &T {
                    &self.implementation
                }
            }

            impl<T: #trait_ident> #rt::Dispatch for Dispatcher<T> {
                fn interface(&self) -> &'static #rt::InterfaceInfo {
                    &INTERFACE
                }

                fn implemented(&self) -> #rt::MethodSet {
                    ::core::clone::Clone::clone(&self.implemented)
                }

                fn dispatch(&self, __request: #rt::Request) -> ::core::result::Result<#rt::Response, #rt::RpcError> {
                    #allow_unused_mut
                    let #request_binding = __request;
                    match __request.method {
                        #(#arms)*
                        __id => ::core::result::Result::Err(#rt::unknown_method(&INTERFACE, __id)),
                    }
                }
            }
        }
    }

    fn timing_layer(&self) -> TokenStream {
        let rt = self.rt;
        let trait_ident = &self.iface.ident;
        let methods = self.methods.iter().map(|g| {
            let sig = Self::signature(g);
            let (ident, info) = (&g.m.ident, &g.info);
            let args = g.params.iter().map(|(p, _, _)| p);
            let (cfg, allow) = (g.cfg(), g.allow_deprecated());
            quote! {
                #cfg
                #allow
                #sig {
                    self.__time(&#info, || #trait_ident::#ident(&self.inner, #(#args),*))
                }
            }
        });
        let doc = format!(
            " Wraps a [`{trait_ident}`] and reports each call's duration and success to a \
             [`CallMetrics`]({}::CallMetrics).",
            rt.to_token_stream().to_string().replace(' ', "")
        );
        quote! {
            #[doc = #doc]
            pub struct Timed<T, M> {
                inner: T,
                metrics: M,
            }

            impl<T, M> Timed<T, M> {
                /// Times every call to `inner`, reporting to `metrics`.
                pub fn new(inner: T, metrics: M) -> Self {
                    Timed { inner, metrics }
                }

                /// The wrapped implementation.
                pub fn inner(&self) -> &T {
                    &self.inner
                }
            }

            impl<T, M: #rt::CallMetrics> Timed<T, M> {
                fn __time<R, E>(
                    &self,
                    method: &'static #rt::MethodInfo,
                    call: impl ::core::ops::FnOnce() -> ::core::result::Result<R, E>,
                ) -> ::core::result::Result<R, E> {
                    #rt::time_call(&self.metrics, &INTERFACE, method, call)
                }
            }

            impl<T: #trait_ident, M: #rt::CallMetrics> #trait_ident for Timed<T, M> {
                #(#methods)*
            }
        }
    }

    /// `impl Trait` for every pointer to an implementation (`&T`, `Box<T>`, `Arc<T>`, guards),
    /// so shared and boxed implementations can be served and wrapped directly. One blanket
    /// impl over `Deref` rather than one impl per pointer type: the forwarding methods are
    /// written once.
    fn forwarding_impls(&self) -> TokenStream {
        let trait_ident = &self.iface.ident;
        let methods = self.methods.iter().map(|g| {
            let sig = Self::signature(g);
            let ident = &g.m.ident;
            let args = g.params.iter().map(|(p, _, _)| p);
            let (cfg, allow) = (g.cfg(), g.allow_deprecated());
            quote!(#cfg #allow #sig { #trait_ident::#ident(&**self, #(#args),*) })
        });
        quote! {
            impl<P> #trait_ident for P
            where
                P: ::core::ops::Deref + ::core::marker::Send + ::core::marker::Sync,
                P::Target: #trait_ident,
            {
                #(#methods)*
            }
        }
    }

    fn tests(&self) -> TokenStream {
        crate::emit_tests::emit_tests(self)
    }
}

impl ToTokens for Gen<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let items = [
            quote! {
                #[allow(unused_imports)]
                use super::*;
            },
            self.method_table(),
            self.wire_types(),
            self.client(),
            crate::emit_async::async_client(self),
            self.dispatcher(),
            self.timing_layer(),
            self.forwarding_impls(),
        ];
        tokens.extend(items);
        if self.tests {
            tokens.extend(self.tests());
        }
    }
}

/// `fn name(&self, a: A, b: B) -> Result<T, E>` of a valid method, as declared.
pub(crate) fn signature_of(ident: &Ident, v: &ValidMethod) -> TokenStream {
    let params = v.params.iter().map(|p| {
        let (name, ty) = (&p.ident, &p.ty);
        quote!(#name: #ty)
    });
    let (ok_ty, err_ty) = (&v.ok_ty, &v.err_ty);
    quote!(fn #ident(&self, #(#params),*) -> ::core::result::Result<#ok_ty, #err_ty>)
}

/// A valid method's `#[cfg(..)]` attributes.
pub(crate) fn cfg_of(v: &ValidMethod) -> TokenStream {
    let cfgs = &v.attrs.cfgs;
    quote!(#(#[cfg(#cfgs)])*)
}

/// `get_user_by_email` -> `GetUserByEmail`.
pub fn camel_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c = s.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// A borrowed parameter's type (`&T`, `&str`, `&[T]`) with the `'__arg` lifetime on its
/// outermost reference.
fn with_arg_lifetime(ty: &Type) -> TokenStream {
    match ty {
        Type::Reference(r) => {
            let mut r = r.clone();
            r.lifetime = Some(syn::Lifetime::new("'__arg", Span::call_site()));
            r.into_token_stream()
        }
        other => other.into_token_stream(),
    }
}
