//! The plugin's executable as the server runs it, against a `MockApi` standing in for the
//! server: hooks go across a real pipe, and the plugin's calls (its log lines too) must be ones
//! the mock expects.

use plugin_sdk::mock::{MockApi, PluginUnderTest};
use plugin_sdk::prelude::*;

const PLUGIN: &str = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")));

#[test]
fn activation_logs_to_the_server() {
    let mut api = MockApi::new();
    api.expect_log_info()
        .withf(|msg, fields| {
            msg == "activated" && fields == [LogField::new("version", env!("CARGO_PKG_VERSION"))]
        })
        .times(1)
        .returning(|_, _| Ok(()));
    let plugin = PluginUnderTest::start(PLUGIN, api).expect("the plugin starts");
    plugin.hooks().on_activate().unwrap();
    // Fails the test if the plugin made a call the mock did not expect.
    plugin.finish();
}

#[test]
fn the_server_learns_which_hooks_the_plugin_has() {
    let plugin = PluginUnderTest::start(PLUGIN, MockApi::new()).expect("the plugin starts");
    let err = plugin
        .hooks()
        .message_has_been_posted(&Context::default(), &Post::default())
        .unwrap_err();
    assert!(err.is_not_implemented(), "{err:?}");
    plugin.finish();
}
