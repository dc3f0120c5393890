//! Hooks run across all running plugins, with upstream's semantics.
//!
//! Order: plugins are called in the order of their ids (byte order), every time; upstream's
//! order depends on a map's iteration and is not defined. A plugin that does not implement a
//! hook is skipped without a round trip (the client knows the implemented set from the
//! handshake). A plugin that fails, times out or crashes during a hook fails alone: the error
//! is logged with its id, the plugin is skipped, and the rest go on (a crash is also seen by
//! the exit watcher, which restarts it).
//!
//! Chains are sequential, and a plugin called once per chain has gone to sleep since its last
//! turn; so while one plugin works, the next is told its call is coming (a heads-up frame, see
//! `Connection::with_heads_up`) and wakes meanwhile (`docs/plugin-environment.md`).

use super::{Driver, Environment, Running};
use api_definitions::hooks::{Hooks, DISMISS_POST_ERROR};
use api_definitions::model::{Channel, Context, Draft, PluginError, Post, ScheduledPost, Verdict};
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

/// What a "will be" chain decided about anything but a post (posts have [`PostOutcome`], which
/// adds the dismissal).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// Go ahead with this value: the original, or the last plugin's replacement.
    Allow(T),
    /// A plugin refused it, with this reason.
    Rejected(Rejection),
}

/// Which plugin refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub plugin_id: String,
    pub reason: String,
}

/// `message_will_be_posted` through every running plugin: each sees the previous one's
/// replacement; a rejection stops the chain with that plugin's reason.
pub fn message_will_be_posted<D>(env: &Environment<D>, context: &Context, post: Post) -> PostOutcome
where
    D: Driver<Client = HooksClient>,
{
    post_chain(env, "message_will_be_posted", post, |client, post| client.message_will_be_posted(context, post))
}

/// `message_will_be_updated` through every running plugin, with the same chain rules; each
/// plugin sees the (possibly replaced) new post and the old one.
pub fn message_will_be_updated<D>(env: &Environment<D>, context: &Context, new: Post, old: &Post) -> PostOutcome
where
    D: Driver<Client = HooksClient>,
{
    post_chain(env, "message_will_be_updated", new, |client, new| client.message_will_be_updated(context, new, old))
}

/// `channel_will_be_updated` through every running plugin: each sees the previous one's
/// replacement of the new channel, and the stored one; a rejection stops the chain.
pub fn channel_will_be_updated<D>(
    env: &Environment<D>,
    context: &Context,
    new: Channel,
    old: &Channel,
) -> Outcome<Channel>
where
    D: Driver<Client = HooksClient>,
{
    chain(env, "channel_will_be_updated", new, |client, new| client.channel_will_be_updated(context, new, old))
}

/// `channel_will_be_restored` through every running plugin: the first refusal stops it.
pub fn channel_will_be_restored<D>(env: &Environment<D>, context: &Context, channel: &Channel) -> Option<Rejection>
where
    D: Driver<Client = HooksClient>,
{
    veto(env, "channel_will_be_restored", |client| client.channel_will_be_restored(context, channel))
}

/// `scheduled_post_will_be_created` through every running plugin, with the chain rules of
/// [`channel_will_be_updated`].
pub fn scheduled_post_will_be_created<D>(
    env: &Environment<D>,
    context: &Context,
    scheduled_post: ScheduledPost,
) -> Outcome<ScheduledPost>
where
    D: Driver<Client = HooksClient>,
{
    chain(env, "scheduled_post_will_be_created", scheduled_post, |client, scheduled_post| {
        client.scheduled_post_will_be_created(context, scheduled_post)
    })
}

/// `draft_will_be_upserted` through every running plugin, with the chain rules of
/// [`channel_will_be_updated`].
pub fn draft_will_be_upserted<D>(env: &Environment<D>, context: &Context, draft: Draft) -> Outcome<Draft>
where
    D: Driver<Client = HooksClient>,
{
    chain(env, "draft_will_be_upserted", draft, |client, draft| client.draft_will_be_upserted(context, draft))
}

/// The post chain: [`chain`], where one reject reason means "drop it silently".
fn post_chain<D>(
    env: &Environment<D>,
    hook: &str,
    post: Post,
    call: impl Fn(&HooksClient, &Post) -> Result<Verdict<Post>, RpcError>,
) -> PostOutcome
where
    D: Driver<Client = HooksClient>,
{
    match chain(env, hook, post, call) {
        Outcome::Allow(post) => PostOutcome::Allow(Box::new(post)),
        Outcome::Rejected(Rejection { plugin_id, reason }) if reason == DISMISS_POST_ERROR => {
            PostOutcome::Dismissed { plugin_id }
        }
        Outcome::Rejected(Rejection { plugin_id, reason }) => PostOutcome::Rejected { plugin_id, reason },
    }
}

/// Runs a replace-or-reject hook through every running plugin in id order: each sees the value
/// as the previous plugins left it, a replacement takes its place, and the first rejection
/// stops the chain. A plugin that fails is logged and skipped, as upstream's fail-open chain
/// does.
fn chain<D, T>(
    env: &Environment<D>,
    hook: &str,
    mut value: T,
    call: impl Fn(&HooksClient, &T) -> Result<Verdict<T>, RpcError>,
) -> Outcome<T>
where
    D: Driver<Client = HooksClient>,
{
    let callees = callees(env, hook);
    for (at, running) in callees.iter().enumerate() {
        let Some(client) = &running.client else { continue };
        match warning_next(&callees, at, || call(client, &value)) {
            Ok(Verdict::Allow) => {}
            Ok(Verdict::Replace(replacement)) => value = replacement,
            Ok(Verdict::Reject(reason)) => {
                return Outcome::Rejected(Rejection { plugin_id: running.id.clone(), reason });
            }
            Err(e) if e.is_not_implemented() => {}
            Err(e) => log::warn!("plugin {}: {hook} failed, skipped: {e}", running.id),
        }
    }
    Outcome::Allow(value)
}

/// The running plugins that implement `hook`, in the order a chain calls them. (The plugins
/// without it are left out here rather than skipped by the call, so that [`warning_next`]
/// warns the plugin that will really be called next.)
fn callees<D>(env: &Environment<D>, hook: &str) -> Vec<Arc<Running<D>>>
where
    D: Driver<Client = HooksClient>,
{
    let method = api_definitions::hooks::rpc::INTERFACE.method_by_name(hook).map(|m| m.id);
    let mut running = env.running();
    running
        .retain(|r| r.client.as_ref().is_some_and(|client| method.is_none_or(|id| client.core().peer_implements(id))));
    running
}

/// Runs `call` (plugin `at`'s turn in a chain) so that the plugin after it hears that its call
/// is coming as soon as this one's request is written (see `Connection::with_heads_up`): a
/// plugin called once per chain has gone to sleep since its last turn, and waking it while
/// plugin `at` works takes its wake-up off the chain's time.
fn warning_next<D, R>(callees: &[Arc<Running<D>>], at: usize, call: impl FnOnce() -> R) -> R
where
    D: Driver<Client = HooksClient>,
{
    match callees.get(at + 1).and_then(|next| next.client.as_ref()) {
        Some(next) => next.core().channel().with_heads_up(call),
        None => call(),
    }
}

/// Runs a reject-only hook (`Some(reason)` refuses) through every running plugin in id order;
/// the first refusal stops it. Failures are logged and skipped, as in [`chain`].
fn veto<D>(
    env: &Environment<D>,
    hook: &str,
    call: impl Fn(&HooksClient) -> Result<Option<String>, RpcError>,
) -> Option<Rejection>
where
    D: Driver<Client = HooksClient>,
{
    let callees = callees(env, hook);
    for (at, running) in callees.iter().enumerate() {
        let Some(client) = &running.client else { continue };
        match warning_next(&callees, at, || call(client)) {
            Ok(None) => {}
            Ok(Some(reason)) => return Some(Rejection { plugin_id: running.id.clone(), reason }),
            Err(e) if e.is_not_implemented() => {}
            Err(e) => log::warn!("plugin {}: {hook} failed, skipped: {e}", running.id),
        }
    }
    None
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
