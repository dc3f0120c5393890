//! The demo plugin as a real process against a host whose API is a `MockApi`: expectations are
//! checked on the host's side, and an unexpected call fails the test with its method and
//! arguments.

use plugin_sdk::mock::{MockApi, PluginUnderTest};
use plugin_sdk::prelude::*;

const PLUGIN: &str = env!("CARGO_BIN_EXE_demo-plugin");

fn hello(user: &str) -> http::Request<ByteStream> {
    http::Request::get("/hello").header("Mattermost-User-Id", user).body(ByteStream::empty()).unwrap()
}

#[test]
fn the_plugin_process_calls_the_mocked_api() {
    let mut api = MockApi::new();
    api.expect_get_user()
        .withf(|id| id == "user-1")
        .times(1)
        .returning(|_| Ok(User { username: "alice".into(), ..User::default() }));
    // The first greeting: no counter yet, so it is set only if still absent (empty old value).
    api.expect_kv_get().withf(|key| key == "greetings").times(1).returning(|_| Ok(None));
    api.expect_kv_compare_and_set()
        .withf(|key, old, new| key == "greetings" && old.is_empty() && new == b"1")
        .times(1)
        .returning(|_, _, _| Ok(true));
    let plugin = PluginUnderTest::start(PLUGIN, api).expect("the plugin starts");
    let response = plugin.hooks().serve_http(&Context::default(), hello("user-1")).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_body().read_all().unwrap(), b"Hello, alice! (greeting #1)");
    let post = Post { message: "darn".into(), ..Post::default() };
    match plugin.hooks().message_will_be_posted(&Context::default(), &post).unwrap() {
        Verdict::Replace(p) => assert_eq!(p.message, "d**n"),
        other => panic!("expected a replacement, got {other:?}"),
    }
    plugin.finish();
}

/// `log::info!` in the plugin's `on_activate` arrives as the API's `log_info`, with its
/// key/values as typed fields: the SDK's logger, installed by `serve!`, across the pipe.
#[test]
fn the_plugins_log_lines_arrive_at_the_server_with_their_fields() {
    let mut api = MockApi::new();
    api.expect_log_info()
        .withf(|msg, fields| {
            msg == "demo plugin activated"
                && fields == [LogField::new("version", env!("CARGO_PKG_VERSION")), LogField::new("command", "demo")]
        })
        .times(1)
        .returning(|_, _| Ok(()));
    api.expect_register_command().withf(|c| c.trigger == "demo").times(1).returning(|_| Ok(()));
    let plugin = PluginUnderTest::start(PLUGIN, api).expect("the plugin starts");
    plugin.hooks().on_activate().unwrap();
    plugin.finish();
}

/// `?` on an I/O error inside a hook reaches the server as the plugin's own failure, with the
/// error's text, not as a lost connection.
#[test]
fn an_io_error_in_a_hook_reaches_the_server_as_the_plugins_failure() {
    struct Broken(bool);
    impl std::io::Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if std::mem::replace(&mut self.0, true) {
                return Err(std::io::Error::other("the client went away"));
            }
            buf[..5].copy_from_slice(b"hello");
            Ok(5)
        }
    }
    let plugin = PluginUnderTest::start(PLUGIN, MockApi::new()).expect("the plugin starts");
    let info = FileInfo { name: "notes.txt".into(), ..FileInfo::default() };
    let out = plugin_sdk::runtime::SharedBuffer::new();
    let err = plugin
        .hooks()
        .file_will_be_uploaded(&Context::default(), &info, ByteStream::new(Broken(false)), out.sink())
        .unwrap_err();
    // The plugin read the first bytes, then the stream carried the reader's failure across.
    assert!(matches!(&err, RpcError::Failed { message } if message.contains("the client went away")), "{err:?}");
    plugin.finish();
}

#[test]
fn hooks_the_plugin_does_not_implement_cost_no_round_trip() {
    let plugin = PluginUnderTest::start(PLUGIN, MockApi::new()).expect("the plugin starts");
    let err = plugin.hooks().on_deactivate().unwrap_err();
    assert!(err.rpc_error().is_some_and(|e| e.is_not_implemented()), "{err:?}");
    plugin.finish();
}

#[test]
#[should_panic(expected = "MockApi::get_user(\"user-2\"): No matching expectation found")]
fn an_unexpected_api_call_fails_the_test_with_method_and_arguments() {
    let plugin = PluginUnderTest::start(PLUGIN, MockApi::new()).expect("the plugin starts");
    // The plugin's lookup fails (fail-closed: a 502, not a greeting) ...
    let response = plugin.hooks().serve_http(&Context::default(), hello("user-2")).unwrap();
    assert_eq!(response.status(), 502);
    // ... and finishing the test reports the call nobody expected.
    plugin.finish();
}

#[test]
#[should_panic(expected = "fewer than expected")]
fn an_unmet_expectation_fails_the_test() {
    let mut api = MockApi::new();
    api.expect_get_user().times(1).returning(|_| Ok(User::default()));
    PluginUnderTest::start(PLUGIN, api).expect("the plugin starts").finish();
}
