//! `mocks = true` puts a mockall mock of the trait next to its glue.

use plugin_runtime::RpcError;

#[plugin_macros::interface(mocks = true)]
pub trait Counter: Send + Sync {
    /// Adds to a named counter and returns the new value.
    ///
    /// Wire id: 0
    fn add(&self, name: &str, by: i64) -> Result<i64, RpcError>;
}

#[test]
fn the_mock_serves_through_the_generated_dispatcher() {
    let mut mock = counter_rpc::MockCounter::new();
    mock.expect_add().withf(|name, by| name == "hits" && *by == 2).times(1).returning(|_, by| Ok(40 + by));
    let client = counter_rpc::Client::new(plugin_runtime::Loopback::new(counter_rpc::Dispatcher::new(mock)));
    assert_eq!(client.add("hits", 2), Ok(42));
}
