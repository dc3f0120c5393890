//! The generated code names everything by absolute path: it compiles with no prelude in scope
//! and with the runtime crate known under another name (`renamed_runtime` in Cargo.toml), and
//! its round-trip tests (`tests = true`) run here.
#![no_implicit_prelude]

/// A probe error type, written without the prelude too.
#[derive(::std::fmt::Debug, ::serde::Serialize, ::serde::Deserialize)]
pub enum ProbeError {
    Failed(::std::string::String),
    Rpc(::renamed_runtime::RpcError),
}

impl ::core::convert::From<::renamed_runtime::RpcError> for ProbeError {
    fn from(e: ::renamed_runtime::RpcError) -> Self {
        ProbeError::Rpc(e)
    }
}

#[::plugin_macros::interface(runtime = ::renamed_runtime, tests = true)]
pub trait Probe: ::core::marker::Send + ::core::marker::Sync {
    /// Echoes.
    ///
    /// Wire id: 0
    fn echo(&self, text: &str, count: i64) -> ::core::result::Result<::std::string::String, ProbeError>;

    /// Bytes in, bytes out.
    ///
    /// Wire id: 1
    fn blob(&self, data: &[u8]) -> ::core::result::Result<::std::vec::Vec<u8>, ::renamed_runtime::RpcError>;

    /// Streams.
    ///
    /// Wire id: 2
    fn stream(
        &self,
        input: ::renamed_runtime::ByteStream,
        output: ::renamed_runtime::ByteSink,
    ) -> ::core::result::Result<::renamed_runtime::ByteStream, ProbeError>;

    /// HTTP.
    ///
    /// Wire id: 3
    fn http(
        &self,
        request: ::renamed_runtime::http::Request<::renamed_runtime::ByteStream>,
    ) -> ::core::result::Result<
        ::renamed_runtime::http::Response<::renamed_runtime::ByteStream>,
        ::renamed_runtime::RpcError,
    >;

    /// Optional.
    ///
    /// Wire id: 4
    fn optional(&self) -> ::core::result::Result<::core::option::Option<::std::vec::Vec<u8>>, ProbeError> {
        ::core::result::Result::Err(::renamed_runtime::not_implemented("optional"))
    }
}

struct Impl;

#[::plugin_macros::implemented(runtime = ::renamed_runtime)]
impl Probe for Impl {
    fn echo(&self, text: &str, count: i64) -> ::core::result::Result<::std::string::String, ProbeError> {
        ::core::result::Result::Ok(::std::format!("{text}{count}"))
    }
    fn blob(&self, data: &[u8]) -> ::core::result::Result<::std::vec::Vec<u8>, ::renamed_runtime::RpcError> {
        ::core::result::Result::Ok(data.to_vec())
    }
    fn stream(
        &self,
        input: ::renamed_runtime::ByteStream,
        _output: ::renamed_runtime::ByteSink,
    ) -> ::core::result::Result<::renamed_runtime::ByteStream, ProbeError> {
        ::core::result::Result::Ok(input)
    }
    fn http(
        &self,
        request: ::renamed_runtime::http::Request<::renamed_runtime::ByteStream>,
    ) -> ::core::result::Result<
        ::renamed_runtime::http::Response<::renamed_runtime::ByteStream>,
        ::renamed_runtime::RpcError,
    > {
        ::core::result::Result::Ok(::renamed_runtime::http::Response::new(request.into_body()))
    }
}

#[test]
fn renamed_runtime_without_prelude_works_end_to_end() {
    let client = probe_rpc::Client::new(::renamed_runtime::Loopback::new(probe_rpc::Dispatcher::declared(Impl)));
    let echoed = Probe::echo(&client, "hi", 3);
    ::core::assert!(::core::matches!(echoed, ::core::result::Result::Ok(ref s) if s == "hi3"));
    let set = ::renamed_runtime::Dispatch::implemented(&probe_rpc::Dispatcher::declared(Impl));
    ::core::assert!(set.contains(0) && set.contains(3) && !set.contains(4), "declared set: {set:?}");
}
