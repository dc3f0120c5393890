//! Emission of the round-trip tests that ship with the glue: for every method, a test that
//! calls it through the generated client, the in-process loopback and the generated dispatcher
//! into a recording implementation, and checks that the arguments arrive intact, that the `Ok`
//! and `Err` results come back intact, and that the client fails closed: a transport failure, a
//! malformed reply or one missing its streams reaches the caller as an `Err`, and a request
//! missing its streams never reaches the implementation.
//!
//! Each test runs twice: through the blocking client, and through the async client with each
//! call driven to its end (the adapter is in `emit_async`).
//!
//! The checking itself lives in the runtime (`testing::check_method`, `testing::Recording`):
//! what is emitted per method is only what differs between methods (the sample arguments, the
//! call), so the tests stay a small part of the generated code: the values expected back are
//! the ones the recording answered with. Every sample is taken from the round's
//! `testing::Samples`, and the runtime runs as many rounds as it takes for every variant of the
//! enums sampled (in the arguments, the `Ok` value and the error) to cross the wire.

use crate::emit::{Gen, MethodGen};
use crate::model::Passing;
use crate::valid::{WireOk, WireParam};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn emit_tests(gen: &Gen) -> TokenStream {
    let rt = gen.rt;
    let trait_ident = &gen.iface.ident;
    let recorder_methods = gen.methods.iter().map(|g| recorder_method(gen, g));
    let tests = gen.methods.iter().map(|g| method_test(gen, g));
    let test_adapter = crate::emit_async::test_adapter(gen);
    // Methods under `#[cfg]` count only where they exist.
    let count = gen.methods.iter().filter(|g| g.v.attrs.cfgs.is_empty()).count();
    let conditional = gen.methods.iter().filter(|g| !g.v.attrs.cfgs.is_empty()).map(|g| {
        let cfg = g.cfg();
        quote!(#cfg let __count = __count + 1;)
    });
    quote! {
        #[cfg(test)]
        // Samples are built generically, so a `()` sample or an identity conversion is expected.
        #[allow(clippy::unit_arg, clippy::useless_conversion, clippy::type_complexity)]
        mod tests {
            #[allow(unused_imports)]
            use super::*;
            use #rt::testing::{called as __called, encoded as __encoded, Samples as __Samples};

            /// Records what every call received and answers with samples (or sample errors).
            #[derive(::core::default::Default)]
            struct Recorder(#rt::testing::Recording);

            impl #trait_ident for Recorder {
                #(#recorder_methods)*
            }

            #test_adapter

            /// Runs the runtime's checks of one method with a fresh recorder, in every round of
            /// samples it needs, through the blocking client and then the async one.
            fn check(
                method: &'static str,
                call: impl ::core::ops::Fn(&TestClient<'_>, &__Samples) -> #rt::testing::Called,
            ) {
                let recorder = <Recorder as ::core::default::Default>::default();
                let faults = <#rt::testing::Faults as ::core::default::Default>::default();
                let loopback = || #rt::Loopback::new(Dispatcher::new(&recorder));
                let working = TestClient { blocking: Client::new(::std::boxed::Box::new(loopback())), asynchronous: ::core::option::Option::None };
                let faulty = TestClient { blocking: Client::new(::std::boxed::Box::new(faults.channel(loopback()))), asynchronous: ::core::option::Option::None };
                #rt::testing::check_method(method, &recorder.0, &working, &faulty, &faults, &call);
                let working = TestClient { asynchronous: ::core::option::Option::Some(AsyncClient::new(::std::boxed::Box::new(loopback()))), ..working };
                let faulty = TestClient { asynchronous: ::core::option::Option::Some(AsyncClient::new(::std::boxed::Box::new(faults.channel(loopback())))), ..faulty };
                #rt::testing::check_method(method, &recorder.0, &working, &faulty, &faults, &call);
            }

            #[test]
            fn method_table_is_complete_and_ids_unique() {
                let __count: usize = #count;
                #(#conditional)*
                ::core::assert_eq!(INTERFACE.methods.len(), __count);
                let ids: ::std::collections::BTreeSet<u32> =
                    ::core::iter::Iterator::collect(::core::iter::Iterator::map(INTERFACE.methods.iter(), |m| m.id));
                ::core::assert_eq!(ids.len(), __count, "wire ids must be unique");
            }

            #(#tests)*
        }
    }
}

fn seed(g: &MethodGen, k: u64) -> u64 {
    (g.index as u64 + 1) * 1000 + k
}

/// The recording implementation of one method.
fn recorder_method(gen: &Gen, g: &MethodGen) -> TokenStream {
    let rt = gen.rt;
    let sig = Gen::signature(g);
    let name = &g.name;
    let mut prelude = Vec::new();
    let mut streams = Vec::new();
    let mut sinks = Vec::new();
    for (p, _, kind) in &g.params {
        match kind {
            WireParam::Stream { .. } => streams.push(quote!(#rt::testing::read_stream(#p).unwrap())),
            WireParam::HttpRequest { .. } => {
                let (head, body) = (format_ident!("__{}_head", p), format_ident!("__{}_body", p));
                prelude.push(quote!(let (#head, #body) = #rt::http_wire::split_request(#p);));
                streams.push(quote!(#rt::testing::read_stream(#body).unwrap()));
            }
            WireParam::Sink { slot } => {
                let s = seed(g, 700 + *slot as u64);
                sinks.push(quote! {
                    ::std::io::Write::write_all(&mut { #p }, &#rt::testing::sample_stream_bytes(#s)).unwrap();
                });
            }
            _ => {}
        }
    }
    let args = gen.args_expr(g);
    let (err_seed, ok_seed) = (seed(g, 600), seed(g, 500));
    let answer = match g.ok {
        WireOk::Stream => quote!(answer_stream),
        WireOk::HttpResponse => quote!(answer_http_response),
        WireOk::Value(_) => quote!(answer),
    };
    let cfg = g.cfg();
    quote! {
        #cfg
        #sig {
            #(#prelude)*
            #(#sinks)*
            self.0.#answer(#name, ::std::vec![__encoded(&#args), #(#streams),*], #err_seed, #ok_seed)
        }
    }
}

/// The test of one method: a closure that binds every parameter to a sample of the round, calls
/// the method and reports the result, what the implementation must have received and what
/// reached the sinks.
fn method_test(gen: &Gen, g: &MethodGen) -> TokenStream {
    let rt = gen.rt;
    let trait_ident = &gen.iface.ident;
    let (ident, name) = (&g.m.ident, &g.name);
    let test_ident = format_ident!("{}", g.name);

    let mut bindings = Vec::new();
    let mut expected_streams = Vec::new();
    let mut call_args = Vec::new();
    let mut sinks = Vec::new();
    for (k, (p, ty, kind)) in g.params.iter().enumerate() {
        let s = seed(g, k as u64);
        match kind {
            WireParam::Value(v) if v.passing == Passing::Borrowed => {
                let owned_name = format_ident!("__owned_{}", p);
                let owned = &v.owned;
                bindings.push(quote! {
                    let #owned_name: #owned = __s.sample(#s);
                    let #p: #ty = &#owned_name;
                });
            }
            WireParam::Value(_) => bindings.push(quote!(let #p: #ty = __s.sample(#s);)),
            WireParam::Stream { .. } => {
                bindings.push(quote!(let #p = #rt::testing::sample_stream(#s);));
                expected_streams.push(quote!(#rt::testing::sample_stream_bytes(#s)));
            }
            WireParam::HttpRequest { .. } => {
                let (head, body) = (format_ident!("__{}_head", p), format_ident!("__{}_body", p));
                bindings.push(quote! {
                    let #p = #rt::testing::sample_http_request(#s);
                    let (#head, #body) = #rt::http_wire::split_request(#rt::testing::sample_http_request(#s));
                });
                expected_streams.push(quote!(#rt::testing::read_stream(#body).unwrap()));
            }
            WireParam::Sink { slot } => {
                let buffer = format_ident!("__buffer_{}", p);
                let sink_seed = seed(g, 700 + *slot as u64);
                bindings.push(quote! {
                    let #buffer = #rt::SharedBuffer::new();
                    let #p = #buffer.sink();
                });
                sinks.push(quote!((#buffer.contents(), #rt::testing::sample_stream_bytes(#sink_seed))));
            }
        }
        call_args.push(quote!(#p));
    }
    let args = gen.args_expr(g);

    // The `Ok` value in the form the recording records what it answered.
    let ok_bytes = match g.ok {
        WireOk::Stream => quote!(|v| #rt::testing::read_stream(v).unwrap()),
        WireOk::HttpResponse => quote!(|v| __encoded(&#rt::testing::http_response_fingerprint(v).unwrap())),
        WireOk::Value(_) => quote!(|v| __encoded(&v)),
    };
    let (cfg, allow) = (g.cfg(), g.allow_deprecated());
    quote! {
        #cfg
        #allow
        #[test]
        fn #test_ident() {
            check(#name, |__client, __s| {
                #(#bindings)*
                let __args = ::std::vec![__encoded(&#args), #(#expected_streams),*];
                __called(#trait_ident::#ident(__client, #(#call_args),*), #ok_bytes, __args, ::std::vec![#(#sinks),*])
            });
        }
    }
}
