//! Posts the way upstream's app layer makes them (`app/post.go`): the store validates and saves,
//! the plugins' hooks run around it. `create_post` runs `message_will_be_posted` through every
//! running plugin (the environment's chain: in id order, each sees the previous replacement, a
//! rejection stops it) before the save and `message_has_been_posted` after it; updates and
//! deletes do the same with their hooks. The "has been" hooks run on their own thread, as
//! upstream runs them in the background: the caller has its post without waiting for plugins.
//!
//! Each change is also an event of the server's hub for web clients, upstream's `posted`,
//! `post_edited` and `post_deleted`, to the post's channel, with the post as a JSON string in
//! `data.post` (upstream's encoding).

use super::{store_error, Shared};
use crate::environment::hooks::{self, PostOutcome};
use api_definitions::hooks::{Hooks, DISMISS_POST_ERROR};
use api_definitions::model::{AppError, Context, Post, WebsocketBroadcast};
use std::collections::BTreeMap;

/// Publishes upstream's post event `event` (`posted`, ...) of `post` to its channel.
fn announce(shared: &Shared, event: &str, post: &Post) {
    let json = serde_json::to_string(post).unwrap_or_default();
    let data = BTreeMap::from([("post".to_owned(), serde_json::Value::String(json))]);
    let broadcast = WebsocketBroadcast { channel_id: post.channel_id.clone(), ..WebsocketBroadcast::default() };
    shared.events.publish_server(event, data, &broadcast);
}

/// Saves a new post after the plugins have seen it; `method` names the caller in errors.
pub fn create_post(shared: &Shared, method: &str, post: &Post) -> Result<Post, AppError> {
    // Refuse what the store would refuse before plugins see it: a post to no channel is not
    // news to moderate.
    if !post.id.is_empty() {
        let message = "a new post must not have an id; the server gives it one";
        return Err(AppError::new("api.context.invalid_body_param.app_error", method, message, 400));
    }
    shared.store.get_channel(&post.channel_id).map_err(|e| store_error(method, &e))?;
    let env = shared.env();
    let post = match &env {
        Some(env) => outcome(method, hooks::message_will_be_posted(env, &Context::default(), post.clone()))?,
        None => post.clone(),
    };
    let saved = shared.store.save_post(&post).map_err(|e| store_error(method, &e))?;
    announce(shared, "posted", &saved);
    if let Some(env) = env {
        let saved = saved.clone();
        std::thread::spawn(move || hooks::message_has_been_posted(&env, &Context::default(), &saved));
    }
    Ok(saved)
}

/// Changes a post after the plugins have seen the change (`message_will_be_updated`).
pub fn update_post(shared: &Shared, method: &str, post: &Post) -> Result<Post, AppError> {
    let old = shared.store.get_post(&post.id).map_err(|e| store_error(method, &e))?;
    let env = shared.env();
    let post = match &env {
        Some(env) => outcome(method, hooks::message_will_be_updated(env, &Context::default(), post.clone(), &old))?,
        None => post.clone(),
    };
    let saved = shared.store.update_post(&post).map_err(|e| store_error(method, &e))?;
    announce(shared, "post_edited", &saved);
    if let Some(env) = env {
        let new = saved.clone();
        std::thread::spawn(move || {
            hooks::notify(&env, "message_has_been_updated", |client| {
                client.message_has_been_updated(&Context::default(), &new, &old)
            })
        });
    }
    Ok(saved)
}

/// Deletes a post (soft: it stays in the database, hidden) and tells the plugins.
pub fn delete_post(shared: &Shared, method: &str, post_id: &str) -> Result<(), AppError> {
    let post = shared.store.get_post(post_id).map_err(|e| store_error(method, &e))?;
    shared.store.delete_post(post_id).map_err(|e| store_error(method, &e))?;
    announce(shared, "post_deleted", &post);
    if let Some(env) = shared.env() {
        std::thread::spawn(move || {
            hooks::notify(&env, "message_has_been_deleted", |client| {
                client.message_has_been_deleted(&Context::default(), &post)
            })
        });
    }
    Ok(())
}

/// The chain's verdict as upstream answers it: a rejection is a 400 whose id carries the
/// plugin's reason (upstream's `"Post rejected by plugin. " + reason`), a dismissal a 400 with
/// the dismiss marker as its id; the message also names the plugin.
fn outcome(method: &str, outcome: PostOutcome) -> Result<Post, AppError> {
    match outcome {
        PostOutcome::Allow(post) => Ok(*post),
        PostOutcome::Rejected { plugin_id, reason } => {
            let id = format!("Post rejected by plugin. {reason}");
            let message = format!("plugin `{plugin_id}` rejected the post: {reason}");
            Err(AppError::new(&id, method, &message, 400))
        }
        PostOutcome::Dismissed { plugin_id } => {
            let message = format!("plugin `{plugin_id}` dismissed the post");
            Err(AppError::new(DISMISS_POST_ERROR, method, &message, 400))
        }
    }
}
