//! `#[cfg]` and `#[deprecated]` on the methods of an attributed trait, compiled.
//!
//! `gone` is configured out (`cfg(any())` never holds) and `present` in (`cfg(test)` holds in
//! a test): the glue, its mock and its round-trip tests (`tests = true`, run with this file's
//! tests) build either way, and a peer calling `gone`'s wire id gets the answer for a method the
//! callee does not know. `old` is deprecated, and this file denies `deprecated`: it compiles only
//! because no generated code (client, dispatcher, timing layer, forwarding impl, mock, tests)
//! warns about it. That a user's call of `old` does warn is `tests/ui/deprecated_use.rs`.
#![deny(deprecated)]

use plugin_runtime::{Channel, RpcError};

#[plugin_macros::interface(tests = true, mocks = true)]
pub trait Flags: Send + Sync {
    /// Always there.
    ///
    /// Wire id: 0
    fn stable(&self, name: &str) -> Result<String, RpcError>;

    /// Never compiled: its glue must not be either.
    ///
    /// Wire id: 1
    #[cfg(any())]
    fn gone(&self, input: plugin_runtime::ByteStream) -> Result<u64, RpcError>;

    /// Compiled, under a `cfg` that holds.
    ///
    /// Wire id: 2
    #[cfg(test)]
    fn present(&self) -> Result<u32, RpcError>;

    /// The old name of `stable`.
    ///
    /// Wire id: 3
    #[deprecated(since = "2.0.0", note = "use `stable`")]
    fn old(&self, name: &str) -> Result<String, RpcError> {
        Err(plugin_runtime::not_implemented(name))
    }
}

struct Server;

#[plugin_macros::implemented]
impl Flags for Server {
    fn stable(&self, name: &str) -> Result<String, RpcError> {
        Ok(format!("hello {name}"))
    }

    #[cfg(any())]
    fn gone(&self, _input: plugin_runtime::ByteStream) -> Result<u64, RpcError> {
        Ok(0)
    }

    #[cfg(test)]
    fn present(&self) -> Result<u32, RpcError> {
        Ok(7)
    }
}

#[test]
fn a_configured_out_method_has_no_table_entry_and_keeps_the_others_ids() {
    let ids: Vec<(u32, &str)> = flags_rpc::INTERFACE.methods.iter().map(|m| (m.id, m.name)).collect();
    assert_eq!(ids, [(0, "stable"), (2, "present"), (3, "old")]);
    assert_eq!(flags_rpc::methods::PRESENT.id, 2);
}

#[test]
fn a_peer_calling_a_configured_out_method_is_told_it_is_not_implemented() {
    let channel = plugin_runtime::Loopback::new(flags_rpc::Dispatcher::new(Server));
    let request = plugin_runtime::Request {
        method: 1,
        payload: plugin_runtime::testing::encoded(&std::collections::BTreeMap::<String, u8>::new()),
        streams: Vec::new(),
        sinks: Vec::new(),
    };
    match channel.call(request) {
        Err(RpcError::NotImplemented { method }) => assert_eq!(method, "Flags#1"),
        other => panic!("expected NotImplemented, got {other:?}"),
    }
    let client = flags_rpc::Client::new(channel);
    assert_eq!(client.stable("you"), Ok("hello you".to_owned()));
    assert_eq!(client.present(), Ok(7));
}

#[test]
fn the_implemented_list_follows_the_cfg_of_the_impl_methods() {
    use plugin_runtime::Implements;
    assert_eq!(<Server as Implements<dyn Flags>>::METHODS, ["stable", "present"]);
}

#[test]
fn the_mock_has_expectations_for_the_configured_in_methods() {
    let mut mock = flags_rpc::MockFlags::new();
    mock.expect_present().times(1).returning(|| Ok(9));
    let client = flags_rpc::Client::new(plugin_runtime::Loopback::new(flags_rpc::Dispatcher::new(mock)));
    assert_eq!(client.present(), Ok(9));
}
