//! Posts, teams and channels from outside, so the plugins' hooks can be seen at work:
//! `POST /api/v4/posts` makes a post as the admin's user through the same path as the host
//! API's `create_post` (the plugins' `message_will_be_posted` chain, the save, then
//! `message_has_been_posted`); `GET /api/v4/channels/{id}/posts` reads a channel's posts
//! (upstream's `PostList`); `GET /api/v4/teams` and `GET /api/v4/teams/{id}/channels` find the
//! channels. All need the admin token: this server has no users' sessions.

use super::api::{posts, store_error};
use super::auth::Admin;
use super::error::ApiError;
use super::json::JsonBody;
use super::{blocking, AppState};
use api_definitions::model::{Channel, Post, PostList, Team};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The body of `POST /api/v4/posts` (upstream's names; the rest of a post is the server's).
#[derive(Debug, Deserialize)]
pub struct NewPost {
    pub channel_id: String,
    pub message: String,
    #[serde(default)]
    pub root_id: String,
    #[serde(default)]
    pub props: BTreeMap<String, serde_json::Value>,
    /// Empty, or a plugin's `custom_*` type (shown by a plugin's post type component); the
    /// `system_*` types are the server's (upstream refuses them from clients too).
    #[serde(default, rename = "type")]
    pub post_type: String,
}

/// `page` and `per_page`, upstream's paging (default 0 and 60, at most 200).
#[derive(Debug, Deserialize)]
pub struct Paging {
    #[serde(default)]
    pub page: i64,
    #[serde(default = "default_per_page")]
    pub per_page: i64,
}

fn default_per_page() -> i64 {
    60
}

impl Paging {
    fn clamped(&self) -> (i64, i64) {
        (self.page.max(0), self.per_page.clamp(1, 200))
    }
}

pub async fn create(
    _: Admin,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<NewPost>,
) -> Result<(StatusCode, Json<Post>), ApiError> {
    if !body.post_type.is_empty() && !body.post_type.starts_with("custom_") {
        let message = format!("a post's type must be empty or start with `custom_`, not {:?}", body.post_type);
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "api.context.invalid_body_param.app_error", message));
    }
    let post = Post {
        post_type: body.post_type,
        channel_id: body.channel_id,
        message: body.message,
        root_id: body.root_id,
        props: body.props,
        user_id: state.settings.admin_user_id.clone(),
        ..Post::default()
    };
    let api = state.api.clone();
    let saved = blocking(move || posts::create_post(&api, "createPost", &post).map_err(ApiError::from)).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

pub async fn for_channel(
    _: Admin,
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<PostList>, ApiError> {
    let (page, per_page) = paging.clamped();
    let store = state.api.store.clone();
    blocking(move || {
        store
            .get_posts_for_channel(&channel_id, page, per_page)
            .map_err(|e| ApiError::from(store_error("getPostsForChannel", &e)))
    })
    .await
    .map(Json)
}

pub async fn teams(_: Admin, State(state): State<AppState>) -> Result<Json<Vec<Team>>, ApiError> {
    let store = state.api.store.clone();
    blocking(move || store.get_teams().map_err(|e| ApiError::from(store_error("getAllTeams", &e)))).await.map(Json)
}

pub async fn team_channels(
    _: Admin,
    State(state): State<AppState>,
    Path(team_id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<Vec<Channel>>, ApiError> {
    let (page, per_page) = paging.clamped();
    let store = state.api.store.clone();
    blocking(move || {
        store
            .get_public_channels_for_team(&team_id, page, per_page)
            .map_err(|e| ApiError::from(store_error("getPublicChannelsForTeam", &e)))
    })
    .await
    .map(Json)
}
