//! Emission of the round-trip tests that ship with the glue: for every method, a test that
//! calls it through the generated client, the in-process loopback and the generated dispatcher
//! into a recording implementation, and checks that the arguments arrive intact, that the `Ok`
//! and `Err` results come back intact, and that a transport failure reaches the caller as an
//! `Err` (fail-closed).

use crate::emit::{Gen, MethodGen};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn emit_tests(gen: &Gen) -> TokenStream {
    let rt = gen.rt;
    let trait_ident = &gen.iface.ident;
    let recorder_methods = gen.methods.iter().map(|g| recorder_method(gen, g));
    let tests = gen.methods.iter().map(|g| method_test(gen, g));
    let count = gen.methods.len();
    quote! {
        #[cfg(test)]
        // Samples are built generically, so a `()` sample or an identity conversion is expected.
        #[allow(clippy::unit_arg, clippy::useless_conversion, clippy::type_complexity)]
        mod tests {
            #[allow(unused_imports)]
            use super::*;

            /// Records what every call received and answers with samples (or sample errors).
            #[derive(::core::default::Default)]
            struct Recorder {
                calls: ::std::sync::Mutex<::std::vec::Vec<(&'static str, ::std::vec::Vec<::std::vec::Vec<u8>>)>>,
                fail: ::std::sync::atomic::AtomicBool,
            }

            impl Recorder {
                fn record(&self, method: &'static str, received: ::std::vec::Vec<::std::vec::Vec<u8>>) {
                    self.calls.lock().unwrap().push((method, received));
                }

                fn take(&self, method: &str) -> ::std::vec::Vec<::std::vec::Vec<u8>> {
                    let mut calls = self.calls.lock().unwrap();
                    ::core::assert_eq!(calls.len(), 1, "{}: expected exactly one call to reach the implementation", method);
                    let (name, received) = calls.remove(0);
                    ::core::assert_eq!(name, method, "the call reached the wrong method");
                    received
                }

                fn fails(&self) -> bool {
                    self.fail.load(::std::sync::atomic::Ordering::SeqCst)
                }
            }

            impl #trait_ident for Recorder {
                #(#recorder_methods)*
            }

            /// A channel on which every call fails in transport.
            struct Broken;

            impl #rt::Channel for Broken {
                fn call(&self, _request: #rt::Request) -> ::core::result::Result<#rt::Response, #rt::RpcError> {
                    ::core::result::Result::Err(#rt::RpcError::Disconnected { detail: <::std::string::String as ::core::convert::From<&str>>::from("test channel is down") })
                }
            }

            fn encoded<T: #rt::serde::Serialize + ?::core::marker::Sized>(value: &T) -> ::std::vec::Vec<u8> {
                #rt::codec::encode("test", value).unwrap()
            }

            #[test]
            fn method_table_is_complete_and_ids_unique() {
                ::core::assert_eq!(INTERFACE.methods.len(), #count);
                let ids: ::std::collections::BTreeSet<u32> =
                    ::core::iter::Iterator::collect(::core::iter::Iterator::map(INTERFACE.methods.iter(), |m| m.id));
                ::core::assert_eq!(ids.len(), #count, "wire ids must be unique");
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
    let mut sink_index = 0u64;
    for (p, _, kind) in &g.params {
        match kind {
            ParamKind::Stream => streams.push(quote!(#rt::testing::read_stream(#p).unwrap())),
            ParamKind::HttpRequest => {
                let (head, body) = (format_ident!("__{}_head", p), format_ident!("__{}_body", p));
                prelude.push(quote!(let (#head, #body) = #rt::http_wire::split_request(#p);));
                streams.push(quote!(#rt::testing::read_stream(#body).unwrap()));
            }
            ParamKind::Sink => {
                let s = seed(g, 700 + sink_index);
                sink_index += 1;
                sinks.push(quote! {
                    let mut __sink = #p;
                    ::std::io::Write::write_all(&mut __sink, &#rt::testing::sample_stream_bytes(#s)).unwrap();
                });
            }
            _ => {}
        }
    }
    let args = gen.args_expr(g);
    let (ok_value, err_ty) = (ok_sample(gen, g), g.err_ty);
    let err_seed = seed(g, 600);
    quote! {
        #sig {
            #(#prelude)*
            let __received = ::std::vec![encoded(&#args), #(#streams),*];
            #(#sinks)*
            self.record(#name, __received);
            if self.fails() {
                ::core::result::Result::Err(#rt::testing::sample::<#err_ty>(#err_seed))
            } else {
                ::core::result::Result::Ok(#ok_value)
            }
        }
    }
}

fn ok_sample(gen: &Gen, g: &MethodGen) -> TokenStream {
    let rt = gen.rt;
    let s = seed(g, 500);
    match g.ok {
        OkKind::Stream => quote!(#rt::testing::sample_stream(#s)),
        OkKind::HttpResponse => quote!(#rt::testing::sample_http_response(#s)),
        _ => {
            let ok_ty = g.ok_ty;
            quote!(#rt::testing::sample::<#ok_ty>(#s))
        }
    }
}

/// Binds every parameter to a sample value, builds the expected record, and evaluates to
/// `(call result, expected record, sink checks)` pieces.
struct CallSetup {
    bindings: TokenStream,
    expected: TokenStream,
    call_args: Vec<TokenStream>,
    sink_checks: TokenStream,
}

fn call_setup(gen: &Gen, g: &MethodGen) -> CallSetup {
    let rt = gen.rt;
    let mut bindings = Vec::new();
    let mut expected_streams = Vec::new();
    let mut call_args = Vec::new();
    let mut sink_checks = Vec::new();
    let mut sink_index = 0u64;
    for (k, (p, ty, kind)) in g.params.iter().enumerate() {
        let s = seed(g, k as u64);
        match kind {
            ParamKind::Value(v) if v.passing == Passing::Borrowed => {
                let owned_name = format_ident!("__owned_{}", p);
                let owned = &v.owned;
                bindings.push(quote! {
                    let #owned_name: #owned = #rt::testing::sample(#s);
                    let #p: #ty = &#owned_name;
                });
            }
            ParamKind::Value(_) => bindings.push(quote!(let #p: #ty = #rt::testing::sample(#s);)),
            ParamKind::Stream => {
                bindings.push(quote!(let #p = #rt::testing::sample_stream(#s);));
                expected_streams.push(quote!(#rt::testing::sample_stream_bytes(#s)));
            }
            ParamKind::HttpRequest => {
                let (head, body) = (format_ident!("__{}_head", p), format_ident!("__{}_body", p));
                bindings.push(quote! {
                    let #p = #rt::testing::sample_http_request(#s);
                    let (#head, #body) = #rt::http_wire::split_request(#rt::testing::sample_http_request(#s));
                });
                expected_streams.push(quote!(#rt::testing::read_stream(#body).unwrap()));
            }
            ParamKind::Sink => {
                let buffer = format_ident!("__buffer_{}", p);
                let sink_seed = seed(g, 700 + sink_index);
                sink_index += 1;
                bindings.push(quote! {
                    let #buffer = #rt::SharedBuffer::new();
                    let #p = #buffer.sink();
                });
                let name = &g.name;
                sink_checks.push(quote! {
                    ::core::assert_eq!(#buffer.contents(), #rt::testing::sample_stream_bytes(#sink_seed), "{}: bytes written to the sink did not reach the caller", #name);
                });
            }
            ParamKind::Unsupported(_) => unreachable!("validated"),
        }
        call_args.push(quote!(#p));
    }
    let args = gen.args_expr(g);
    CallSetup {
        bindings: quote!(#(#bindings)*),
        expected: quote!(::std::vec![encoded(&#args), #(#expected_streams),*]),
        call_args,
        sink_checks: quote!(#(#sink_checks)*),
    }
}

fn method_test(gen: &Gen, g: &MethodGen) -> TokenStream {
    let rt = gen.rt;
    let trait_ident = &gen.iface.ident;
    let (ident, name) = (&g.m.ident, &g.name);
    let test_ident = format_ident!("{}", g.name);
    let err_ty = g.err_ty;
    let (ok_seed, err_seed) = (seed(g, 500), seed(g, 600));

    let setup = |with_checks: bool| {
        let CallSetup { bindings, expected, call_args, sink_checks } = call_setup(gen, g);
        let checks = with_checks.then_some(sink_checks);
        (bindings, expected, call_args, checks)
    };

    let check_ok = match g.ok {
        OkKind::Stream => quote! {
            ::core::assert_eq!(#rt::testing::read_stream(__value).unwrap(), #rt::testing::sample_stream_bytes(#ok_seed), "{}: the returned stream arrived changed", #name);
        },
        OkKind::HttpResponse => quote! {
            ::core::assert_eq!(
                #rt::testing::http_response_fingerprint(__value).unwrap(),
                #rt::testing::http_response_fingerprint(#rt::testing::sample_http_response(#ok_seed)).unwrap(),
                "{}: the returned HTTP response arrived changed", #name
            );
        },
        _ => {
            let ok_ty = g.ok_ty;
            quote! {
                ::core::assert_eq!(encoded(&__value), encoded(&#rt::testing::sample::<#ok_ty>(#ok_seed)), "{}: the Ok value arrived changed", #name);
            }
        }
    };

    let (b1, e1, a1, c1) = setup(true);
    let (b2, e2, a2, _) = setup(false);
    let (b3, _, a3, _) = setup(false);
    quote! {
        #[test]
        fn #test_ident() {
            let __recorder = <Recorder as ::core::default::Default>::default();
            let __client = Client::new(#rt::Loopback::new(Dispatcher::new(&__recorder)));

            // Ok: the arguments arrive intact and the value comes back intact.
            {
                #b1
                let __expected = #e1;
                let __result = #trait_ident::#ident(&__client, #(#a1),*);
                ::core::assert_eq!(__recorder.take(#name), __expected, "{}: the arguments arrived changed", #name);
                #c1
                match __result {
                    ::core::result::Result::Ok(__value) => { #check_ok }
                    ::core::result::Result::Err(_) => ::core::panic!("{}: expected Ok, got Err", #name),
                }
            }

            // Err: the implementation's error comes back intact.
            __recorder.fail.store(true, ::std::sync::atomic::Ordering::SeqCst);
            {
                #b2
                let __expected = #e2;
                let __result = #trait_ident::#ident(&__client, #(#a2),*);
                ::core::assert_eq!(__recorder.take(#name), __expected, "{}: the arguments arrived changed", #name);
                match __result {
                    ::core::result::Result::Err(__error) => ::core::assert_eq!(
                        encoded(&__error), encoded(&#rt::testing::sample::<#err_ty>(#err_seed)),
                        "{}: the error arrived changed", #name
                    ),
                    ::core::result::Result::Ok(_) => ::core::panic!("{}: expected Err, got Ok", #name),
                }
            }

            // Fail-closed: a transport failure is an Err carrying the RpcError, never a default.
            {
                #b3
                let __broken = Client::new(Broken);
                match #trait_ident::#ident(&__broken, #(#a3),*) {
                    ::core::result::Result::Err(__error) => ::core::assert_eq!(
                        encoded(&__error),
                        encoded(&<#err_ty as ::core::convert::From<#rt::RpcError>>::from(
                            #rt::RpcError::Disconnected { detail: <::std::string::String as ::core::convert::From<&str>>::from("test channel is down") }
                        )),
                        "{}: a transport failure must come back as the error it converts to", #name
                    ),
                    ::core::result::Result::Ok(_) => ::core::panic!("{}: a broken channel produced Ok: the client fails open", #name),
                }
            }
        }
    }
}
