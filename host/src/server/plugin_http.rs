//! Plugins' own HTTP routes: a request to `/plugins/{id}/...` is handed to that plugin's
//! `serve_http` with the prefix removed, its body streamed to the plugin and the plugin's
//! response streamed back (upstream: `app/plugin_requests.go`).
//!
//! Who the caller is comes only from this server: any `Mattermost-User-Id` (and
//! `Mattermost-Plugin-Id`) header a client sent is removed, and `Mattermost-User-Id` is set
//! when the request carries the admin token, which is then removed too, so a plugin never
//! sees a credential of this server.
//!
//! The call goes through the generated async client: no thread waits for the plugin, neither
//! for its answer nor while its response body streams (see `body::from_plugin`).

use super::auth::bearer_token;
use super::body;
use super::error::ApiError;
use super::AppState;
use api_definitions::model::Context;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use plugin_runtime::RpcError;
use std::net::SocketAddr;
use std::time::Duration;

/// The header that names the signed-in user to a plugin.
pub const USER_ID_HEADER: &str = "mattermost-user-id";
/// The header upstream sets on requests one plugin makes to another; never a client's.
const PLUGIN_ID_HEADER: &str = "mattermost-plugin-id";

/// Headers about one connection, which must not be copied from a plugin's response.
const HOP_BY_HOP: [HeaderName; 6] = [
    header::CONNECTION,
    header::TRANSFER_ENCODING,
    header::TE,
    header::TRAILER,
    header::UPGRADE,
    header::PROXY_AUTHENTICATE,
];

/// `ANY /plugins/{id}` and `ANY /plugins/{id}/{*path}`.
pub async fn serve(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    match forward(state, peer, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn forward(state: AppState, peer: SocketAddr, request: Request) -> Result<Response, ApiError> {
    if !state.settings.enable {
        return Err(ApiError::plugins_disabled());
    }
    let (mut parts, body) = request.into_parts();
    let (id, uri) = split_uri(&parts.uri).ok_or_else(|| not_found("no plugin is named in the path"))?;
    let running = state.env.running_plugin(&id).ok_or_else(|| not_found(format!("plugin `{id}` is not running")))?;
    if running.client.is_none() {
        return Err(not_found(format!("plugin `{id}` has no server part")));
    }

    let admin = bearer_token(&parts.headers).is_some_and(|t| state.token.matches(t));
    sanitize(&mut parts.headers, admin.then_some(state.settings.admin_user_id.as_str()));
    let context = Context {
        request_id: request_id(),
        ip_address: peer.ip().to_string(),
        accept_language: header_text(&parts.headers, header::ACCEPT_LANGUAGE),
        user_agent: header_text(&parts.headers, header::USER_AGENT),
        ..Context::default()
    };
    parts.uri = uri;
    let request = axum::http::Request::from_parts(parts, body::to_plugin(body).await);

    // The call is async: it is sent without blocking and awaited here, woken by the thread
    // that reads the plugin's reply, so no thread waits for a plugin. If the client goes
    // away, this future is dropped and the call is cancelled on the plugin.
    let timeout = Duration::from_secs(state.settings.plugin_request_timeout_seconds);
    let client = running.client.as_ref().expect("checked above");
    super::reactor::watch(client.core().channel());
    let client = client.to_async();
    let call = plugin_runtime::with_deadline(timeout, || client.serve_http(&context, request));
    let (parts, plugin_body) = call.await.map_err(|e| plugin_failed(&id, &e))?.into_parts();
    let response_body = body::from_plugin(plugin_body, id);
    let mut response = Response::new(response_body);
    *response.status_mut() = parts.status;
    *response.headers_mut() = parts.headers;
    for name in HOP_BY_HOP {
        response.headers_mut().remove(name);
    }
    Ok(response)
}

/// The plugin id and the URI the plugin sees: the path after `/plugins/{id}` (at least `/`)
/// with the query. The id is taken from the raw path: ids are plain ASCII, so a percent
/// sign cannot name a real plugin.
fn split_uri(uri: &axum::http::Uri) -> Option<(String, axum::http::Uri)> {
    let rest = uri.path().strip_prefix("/plugins/")?;
    let (id, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    if id.is_empty() {
        return None;
    }
    let path_and_query = match uri.query() {
        Some(query) => [path, "?", query].concat(),
        None => path.to_owned(),
    };
    // From the `String` itself: the URI takes over its buffer instead of copying it.
    Some((id.to_owned(), axum::http::Uri::try_from(path_and_query).ok()?))
}

/// Removes what a client could forge or a plugin must not see, and names the user.
fn sanitize(headers: &mut HeaderMap, user_id: Option<&str>) {
    headers.remove(USER_ID_HEADER);
    headers.remove(PLUGIN_ID_HEADER);
    if let Some(user_id) = user_id {
        headers.remove(header::AUTHORIZATION);
        if let Ok(value) = HeaderValue::from_str(user_id) {
            headers.insert(USER_ID_HEADER, value);
        }
    }
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> String {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// An id for the request, for the plugin's logs: unique in this server's run (a counter) and
/// across runs (a random prefix drawn once), without a system call per request.
fn request_id() -> String {
    use std::fmt::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let prefix = *PREFIX.get_or_init(|| {
        let mut bytes = [0u8; 8];
        match getrandom::fill(&mut bytes) {
            Ok(()) => u64::from_le_bytes(bytes),
            // No randomness: the start time still tells runs apart.
            Err(_) => {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
            }
        }
    });
    // Sized once: `format!` would grow the string as it goes.
    let mut id = String::with_capacity(32);
    let _ = write!(id, "{prefix:016x}{:016x}", NEXT.fetch_add(1, Ordering::Relaxed));
    id
}

fn not_found(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "app.plugin.route_not_found.app_error", message)
}

/// A plugin without `serve_http` has no routes (404); a plugin that failed, hung past the
/// deadline or went away is the gateway failing (502, 504 for the deadline).
fn plugin_failed(id: &str, e: &RpcError) -> ApiError {
    match e {
        RpcError::NotImplemented { .. } => not_found(format!("plugin `{id}` serves no HTTP routes")),
        RpcError::Timeout { .. } => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "app.plugin.serve_http.timeout.app_error",
            format!("plugin `{id}` did not answer in time: {e}"),
        ),
        _ => ApiError::new(
            StatusCode::BAD_GATEWAY,
            "app.plugin.serve_http.app_error",
            format!("plugin `{id}` failed to answer the request: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(uri: &str) -> Option<(String, String)> {
        split_uri(&uri.parse().unwrap()).map(|(id, uri)| (id, uri.to_string()))
    }

    #[test]
    fn the_prefix_is_removed_and_the_query_kept() {
        assert_eq!(split("/plugins/com.x/hello?a=1"), Some(("com.x".into(), "/hello?a=1".into())));
        assert_eq!(split("/plugins/com.x"), Some(("com.x".into(), "/".into())));
        assert_eq!(split("/plugins/com.x/"), Some(("com.x".into(), "/".into())));
        assert_eq!(split("/plugins/com.x/a/%2e%2e/b"), Some(("com.x".into(), "/a/%2e%2e/b".into())));
        assert_eq!(split("/plugins/"), None);
        assert_eq!(split("/plugins//x"), None);
    }

    #[test]
    fn request_ids_differ() {
        let (a, b) = (request_id(), request_id());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn forged_identity_headers_go_and_the_admin_token_is_never_passed_on() {
        let mut headers = HeaderMap::new();
        headers.append("Mattermost-User-Id", "forged".parse().unwrap());
        headers.append("MATTERMOST-USER-ID", "forged-too".parse().unwrap());
        headers.append("Mattermost-Plugin-Id", "other-plugin".parse().unwrap());
        headers.insert(header::AUTHORIZATION, "Bearer plugin-own-token".parse().unwrap());
        let mut anonymous = headers.clone();
        sanitize(&mut anonymous, None);
        assert!(anonymous.get(USER_ID_HEADER).is_none());
        assert!(anonymous.get(PLUGIN_ID_HEADER).is_none());
        // Not this server's credential: the plugin may have its own scheme.
        assert_eq!(anonymous[header::AUTHORIZATION], "Bearer plugin-own-token");

        sanitize(&mut headers, Some("admin"));
        assert_eq!(headers.get_all(USER_ID_HEADER).iter().collect::<Vec<_>>(), ["admin"]);
        assert!(headers.get(header::AUTHORIZATION).is_none());
    }
}
