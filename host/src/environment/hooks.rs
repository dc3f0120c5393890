//! Hooks run across all running plugins, with upstream's semantics.
//!
//! Order: plugins are called in the order of their ids (byte order), every time; upstream's
//! order depends on a map's iteration and is not defined. A plugin that does not implement a
//! hook is skipped without a round trip (the client knows the implemented set from the
//! handshake). A plugin that fails, times out or crashes during a hook fails alone: the error
//! is logged with its id, the plugin is skipped, and the rest go on (a crash is also seen by
//! the exit watcher, which restarts it).

use super::{Driver, Environment, Running};
use api_definitions::hooks::{Hooks, DISMISS_POST_ERROR};
use api_definitions::model::{Context, PluginError, Post, Verdict};
use plugin_runtime::{Connection, RpcError};
use std::sync::Arc;

/// The hooks client the Mattermost driver gives each plugin.
pub type HooksClient = api_definitions::hooks::rpc::Client<Connection>;

/// What the "will be" chain decided about a post.
#[derive(Debug, Clone, PartialEq)]
pub enum PostOutcome {
    /// Save this post: the original, or the last plugin's replacement. Boxed: a post is large
    /// and the other outcomes small.
    Allow(Box<Post>),
    /// A plugin rejected it; tell the author its reason.
    Rejected { plugin_id: String, reason: String },
    /// A plugin dismissed it ([`DISMISS_POST_ERROR`]): drop it without telling anyone.
    Dismissed { plugin_id: String },
}

/// `message_will_be_posted` through every running plugin: each sees the previous one's
/// replacement; a rejection stops the chain with that plugin's reason.
pub fn message_will_be_posted<D>(env: &Environment<D>, context: &Context, post: Post) -> PostOutcome
where
    D: Driver<Client = HooksClient>,
{
    chain(env, "message_will_be_posted", post, |client, post| client.message_will_be_posted(context, post))
}

/// `message_will_be_updated` through every running plugin, with the same chain rules; each
/// plugin sees the (possibly replaced) new post and the old one.
pub fn message_will_be_updated<D>(env: &Environment<D>, context: &Context, new: Post, old: &Post) -> PostOutcome
where
    D: Driver<Client = HooksClient>,
{
    chain(env, "message_will_be_updated", new, |client, new| client.message_will_be_updated(context, new, old))
}

fn chain<D>(
    env: &Environment<D>,
    hook: &str,
    mut post: Post,
    call: impl Fn(&HooksClient, &Post) -> Result<Verdict<Post>, RpcError>,
) -> PostOutcome
where
    D: Driver<Client = HooksClient>,
{
    for running in env.running() {
        let Some(client) = &running.client else { continue };
        match call(client, &post) {
            Ok(Verdict::Allow) => {}
            Ok(Verdict::Replace(replacement)) => post = replacement,
            Ok(Verdict::Reject(reason)) if reason == DISMISS_POST_ERROR => {
                return PostOutcome::Dismissed { plugin_id: running.id.clone() };
            }
            Ok(Verdict::Reject(reason)) => return PostOutcome::Rejected { plugin_id: running.id.clone(), reason },
            Err(e) if e.is_not_implemented() => {}
            Err(e) => log::warn!("plugin {}: {hook} failed, skipped: {e}", running.id),
        }
    }
    PostOutcome::Allow(Box::new(post))
}

/// Runs a notification hook (`*_has_been_*`) on every running plugin, all at once: each plugin
/// on its own thread, so a slow plugin delays none of the others. Errors are logged.
pub fn notify<D, F, E>(env: &Environment<D>, hook: &str, call: F)
where
    D: Driver,
    F: Fn(&D::Client) -> Result<(), E> + Sync,
    E: HookFailure,
{
    let running: Vec<Arc<Running<D>>> = env.running().into_iter().filter(|r| r.client.is_some()).collect();
    let run = |r: &Running<D>| {
        if let Some(client) = &r.client {
            match call(client) {
                Ok(()) => {}
                Err(e) if e.is_not_implemented() => {}
                Err(e) => log::warn!("plugin {}: {hook} failed: {e}", r.id),
            }
        }
    };
    match running.as_slice() {
        [] => {}
        [only] => run(only),
        many => std::thread::scope(|scope| {
            for r in many {
                scope.spawn(|| run(r));
            }
        }),
    }
}

/// A hook's error: shown in the log, unless it only says the plugin lacks the hook.
pub trait HookFailure: std::fmt::Display {
    fn is_not_implemented(&self) -> bool;
}

impl HookFailure for RpcError {
    fn is_not_implemented(&self) -> bool {
        RpcError::is_not_implemented(self)
    }
}

impl HookFailure for PluginError {
    fn is_not_implemented(&self) -> bool {
        self.rpc_error().is_some_and(RpcError::is_not_implemented)
    }
}

/// `message_has_been_posted` on every running plugin at once.
pub fn message_has_been_posted<D>(env: &Environment<D>, context: &Context, post: &Post)
where
    D: Driver<Client = HooksClient>,
{
    notify(env, "message_has_been_posted", |client| client.message_has_been_posted(context, post));
}
