//! A host's test with a `MockHooks` standing in for the plugin, over a real connection: the
//! host code under test calls hooks through the generated client, the mock answers, and
//! `finish` checks the expectations.

use plugin_sdk::mock::{MockApi, MockHooks, MockPlugin};
use plugin_sdk::prelude::*;

/// The host logic under test: asks the plugin about a post and says whether to store it.
fn host_accepts(plugin: &impl Hooks, message: &str) -> Result<bool, String> {
    let post = Post { message: message.into(), ..Post::default() };
    match plugin.message_will_be_posted(&Context::default(), &post) {
        Ok(Verdict::Reject(_)) => Ok(false),
        Ok(_) => Ok(true),
        // Fail closed: a plugin that cannot answer does not get its post stored.
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn the_host_obeys_the_plugins_verdict() {
    let mut hooks = MockHooks::new();
    hooks
        .expect_message_will_be_posted()
        .withf(|_, post| post.message == "spam")
        .times(1)
        .returning(|_, _| Ok(Verdict::Reject("no spam".into())));
    let plugin = MockPlugin::start(hooks, MockApi::new()).expect("connects");
    assert_eq!(host_accepts(plugin.hooks(), "spam"), Ok(false));
    plugin.finish();
}

#[test]
#[should_panic(expected = "MockHooks::message_will_be_posted")]
fn an_unexpected_hook_call_fails_the_host_test() {
    let plugin = MockPlugin::start(MockHooks::new(), MockApi::new()).expect("connects");
    // The mock plugin cannot answer, so the host refuses the post (an Err, not a silent allow) ...
    assert!(host_accepts(plugin.hooks(), "hello").is_err());
    // ... and the test fails naming the hook and its arguments.
    plugin.finish();
}
