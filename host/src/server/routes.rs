//! The REST API's routes (upstream: `api4/plugin.go`'s `InitPlugin`) and who may call them:
//! every write, and the listings (they reveal what is installed), need the admin token;
//! `GET /api/v4/plugins/webapp` and the web-app bundles under `/static/plugins/` are public,
//! since clients load them, and so is `GET /api/v4/system/ping`, the liveness check of load
//! balancers and scripts. Plugins' own routes (`/plugins/{id}/...`) are the plugins' to guard.
//! The pages (the admin page `/admin/plugins` and the client `/`, [`pages`]) are public too:
//! they hold no data, and ask for the token to call the API with. So is the WebSocket's upgrade
//! (`/api/v4/websocket`, [`websocket`]): a socket authenticates with its first message.

use super::error::ApiError;
use super::pages::{
    ADMIN_PLUGINS_CSS_PATH, ADMIN_PLUGINS_JS_PATH, ADMIN_PLUGINS_PATH, BASE_CSS_PATH, CLIENT_CSS_PATH, CLIENT_JS_PATH,
    CLIENT_PATH,
};
use super::upload::FORM_OVERHEAD_BYTES;
use super::websocket::WEBSOCKET_PATH;
use super::{commands, pages, plugin_http, plugins, posts, upload, webapp, websocket, AppState};
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{any, delete, get, post};
use axum::Router;

/// The limit of the JSON bodies of the REST API besides the upload.
const SMALL_BODY: usize = 1 << 20;

pub fn router(state: AppState) -> Router {
    // Only the upload has a body; its limit is the bundle's plus room for the rest of the form.
    let body_limit = state.settings.max_upload_bytes.saturating_add(FORM_OVERHEAD_BYTES);
    Router::new()
        .route("/api/v4/system/ping", get(ping))
        .route("/api/v4/plugins", get(plugins::list).post(upload::upload))
        .route("/api/v4/plugins/statuses", get(plugins::statuses))
        .route("/api/v4/plugins/webapp", get(webapp::list))
        .route("/api/v4/plugins/{id}", delete(plugins::remove))
        .route("/api/v4/plugins/{id}/enable", post(plugins::enable))
        .route("/api/v4/plugins/{id}/disable", post(plugins::disable))
        .route("/api/v4/posts", post(posts::create).layer(DefaultBodyLimit::max(SMALL_BODY)))
        .route("/api/v4/channels/{id}/posts", get(posts::for_channel))
        .route("/api/v4/teams", get(posts::teams))
        .route("/api/v4/teams/{id}/channels", get(posts::team_channels))
        .route("/api/v4/commands", get(commands::list))
        .route("/api/v4/commands/execute", post(commands::execute).layer(DefaultBodyLimit::max(SMALL_BODY)))
        .route("/static/plugins/{id}/{file}", get(webapp::bundle))
        .route(WEBSOCKET_PATH, get(websocket::upgrade))
        .route(ADMIN_PLUGINS_PATH, get(pages::admin_plugins))
        .route(ADMIN_PLUGINS_JS_PATH, get(pages::admin_plugins_js))
        .route(ADMIN_PLUGINS_CSS_PATH, get(pages::admin_plugins_css))
        .route(CLIENT_PATH, get(pages::client))
        .route(CLIENT_JS_PATH, get(pages::client_js))
        .route(CLIENT_CSS_PATH, get(pages::client_css))
        .route(BASE_CSS_PATH, get(pages::base_css))
        .layer(DefaultBodyLimit::max(usize::try_from(body_limit).unwrap_or(usize::MAX)))
        // Plugins' routes take bodies of any size: the plugin reads them as a stream.
        .route("/plugins/{id}", any(plugin_http::serve))
        .route("/plugins/{id}/", any(plugin_http::serve))
        .route("/plugins/{id}/{*path}", any(plugin_http::serve))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "api.context.404.app_error", "no such endpoint") })
        .with_state(state)
}

/// `GET /api/v4/system/ping` (upstream's shape): the server is up and answering.
async fn ping() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"status": "OK"}))
}
