//! The host API the server's plugins call back into — for now none of it: every method answers
//! "not implemented" with its name (a later issue implements `Api` on SQLite). `Api` has no
//! default implementation to lean on, so, as `tests/src/bin/bench_env.rs` does, an `impl Api`
//! is made from the generated client over a [`Loopback`] to a dispatcher that refuses every call.

use api_definitions::api::{self, Api};
use plugin_runtime::{Dispatch, InterfaceInfo, Loopback, Request, Response, RpcError};

/// The `Api` the plugins of this server get.
pub type HostApi = api::rpc::Client<Loopback<NotImplemented>>;

/// The API for one plugin (the same for all, while nothing is implemented).
pub fn host_api(_plugin_id: &str) -> HostApi {
    api::rpc::Client::new(Loopback::new(NotImplemented))
}

/// Answers every API call with `RpcError::NotImplemented` naming the method.
pub struct NotImplemented;

impl Dispatch for NotImplemented {
    fn interface(&self) -> &'static InterfaceInfo {
        &api::rpc::INTERFACE
    }

    fn dispatch(&self, request: Request) -> Result<Response, RpcError> {
        let name = api::rpc::INTERFACE.method(request.method).map(|m| m.name.to_owned());
        Err(RpcError::not_implemented(match name {
            Some(name) => format!("Api::{name} (this server implements no host API yet)"),
            None => format!("Api method #{}", request.method),
        }))
    }
}

/// Compile-time proof that [`HostApi`] is an [`Api`].
fn _is_api(api: HostApi) -> impl Api {
    api
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_is_refused_with_the_method_name() {
        let api = host_api("com.example.x");
        let e = api.get_user("user-1").unwrap_err().to_string();
        assert!(e.contains("get_user"), "{e}");
    }
}
