//! A plugin serving the real `Hooks` interface for `cargo xtask bench`: `message_will_be_posted`
//! looks at the post the way a moderation plugin would and lets it through, unless the message
//! asks to be rewritten, in which case it returns the modified post.

use api_definitions::hooks::{rpc, Hooks};
use api_definitions::model::{Context, Post, Verdict};
use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::RpcError;

struct Moderator;

#[plugin_macros::implemented]
impl Hooks for Moderator {
    fn message_will_be_posted(&self, _c: &Context, post: &Post) -> Result<Verdict<Post>, RpcError> {
        if post.message.contains("forbidden") {
            return Ok(Verdict::Reject("not allowed".into()));
        }
        if post.message.starts_with("rewrite:") {
            let mut post = post.clone();
            post.message = post.message.replacen("rewrite:", "", 1);
            return Ok(Verdict::Replace(post));
        }
        Ok(Verdict::Allow)
    }
}

fn main() {
    plugin::run(PluginConfig::new("hooks-bench-plugin", "a Hooks plugin for cargo xtask bench"), |_host| {
        rpc::Dispatcher::declared(Moderator)
    })
}
