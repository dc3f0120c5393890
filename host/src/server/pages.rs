//! The pages the server serves to people: the admin page for plugins, `GET /admin/plugins`
//! (upstream: the System Console's plugin management), and the client, `GET /` (upstream: the
//! web app), a channel view that runs plugins' web-app bundles; each with its script and style
//! sheet.
//!
//! Plain HTML, CSS and JS from `host/assets/admin/`, `host/assets/client/` and
//! `host/assets/common/` (the shared `base.css`), compiled into the binary (no build step,
//! nothing loaded from elsewhere: plugins' bundles come from this server's `/static/plugins/`).
//! A page itself needs no token: it asks for the admin token, keeps it in the tab's
//! `sessionStorage` and sends it to the REST API as `Authorization: Bearer`, which is where
//! every check happens.
//!
//! Every answer carries a strict Content-Security-Policy: scripts and styles only from these
//! files (no inline code, so a plugin's name that slipped into the DOM as HTML still could not
//! run), requests only to this server, no forms submitted (the token can never be sent as a
//! form into a URL), no framing. `Cache-Control: no-cache` makes a browser revalidate, so a new
//! server's page is never mixed with an old script.

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::IntoResponse;

pub const ADMIN_PLUGINS_PATH: &str = "/admin/plugins";
pub const ADMIN_PLUGINS_JS_PATH: &str = "/admin/plugins.js";
pub const ADMIN_PLUGINS_CSS_PATH: &str = "/admin/plugins.css";
pub const CLIENT_PATH: &str = "/";
pub const CLIENT_JS_PATH: &str = "/client/client.js";
pub const CLIENT_CSS_PATH: &str = "/client/client.css";
/// The style sheet both pages start from.
pub const BASE_CSS_PATH: &str = "/assets/base.css";

/// The policy of every page answer. `connect-src 'self'` covers the client's WebSocket to this
/// server (`ws:`/`wss:` of the same host, CSP level 3); `script-src 'self'` lets the client add
/// plugins' bundles, which this server serves.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

const PLUGINS_HTML: &str = include_str!("../../assets/admin/plugins.html");
const PLUGINS_JS: &str = include_str!("../../assets/admin/plugins.js");
const PLUGINS_CSS: &str = include_str!("../../assets/admin/plugins.css");
const CLIENT_HTML: &str = include_str!("../../assets/client/index.html");
const CLIENT_JS: &str = include_str!("../../assets/client/client.js");
const CLIENT_CSS: &str = include_str!("../../assets/client/client.css");
const BASE_CSS: &str = include_str!("../../assets/common/base.css");

/// One embedded file with its type and the pages' headers.
fn page(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    let headers: [(HeaderName, HeaderValue); 6] = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ];
    (headers, body)
}

/// `GET /admin/plugins`: the admin page.
pub async fn admin_plugins() -> impl IntoResponse {
    page("text/html; charset=utf-8", PLUGINS_HTML)
}

/// `GET /admin/plugins.js`: its script.
pub async fn admin_plugins_js() -> impl IntoResponse {
    page("text/javascript; charset=utf-8", PLUGINS_JS)
}

/// `GET /admin/plugins.css`: its style sheet.
pub async fn admin_plugins_css() -> impl IntoResponse {
    page("text/css; charset=utf-8", PLUGINS_CSS)
}

/// `GET /`: the client.
pub async fn client() -> impl IntoResponse {
    page("text/html; charset=utf-8", CLIENT_HTML)
}

/// `GET /client/client.js`: its script.
pub async fn client_js() -> impl IntoResponse {
    page("text/javascript; charset=utf-8", CLIENT_JS)
}

/// `GET /assets/base.css`: what both pages' styles share.
pub async fn base_css() -> impl IntoResponse {
    page("text/css; charset=utf-8", BASE_CSS)
}

/// `GET /client/client.css`: its style sheet.
pub async fn client_css() -> impl IntoResponse {
    page("text/css; charset=utf-8", CLIENT_CSS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (page, its script's path, its style sheet's path) of every page.
    const PAGES: [(&str, &str, &str); 2] =
        [(PLUGINS_HTML, ADMIN_PLUGINS_JS_PATH, ADMIN_PLUGINS_CSS_PATH), (CLIENT_HTML, CLIENT_JS_PATH, CLIENT_CSS_PATH)];

    /// Each page refers only to its own files and has no inline script, style or handler,
    /// which the policy would block (and the page would break in a browser).
    #[test]
    fn the_pages_load_only_their_own_files_and_have_no_inline_code() {
        for (html, js, css) in PAGES {
            assert!(html.contains(&format!("<script src=\"{js}\" defer></script>")));
            assert!(html.contains(&format!("<link rel=\"stylesheet\" href=\"{css}\">")));
            assert!(html.contains(&format!("<link rel=\"stylesheet\" href=\"{BASE_CSS_PATH}\">")));
            assert_eq!(html.matches("<script").count(), 1, "one script, from its file");
            for inline in
                ["<style", " style=", " onclick=", " onload=", " onsubmit=", "javascript:", "http://", "https://"]
            {
                assert!(!html.contains(inline), "the page {js} has {inline:?}");
            }
        }
    }

    /// The scripts never write HTML from strings: everything goes in as text, or as a DOM node
    /// a plugin made (the client's registry takes nodes, never markup).
    #[test]
    fn the_scripts_build_the_dom_from_text_only() {
        for script in [PLUGINS_JS, CLIENT_JS] {
            for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
                assert!(!script.contains(sink), "a script uses {sink}");
            }
            assert!(!script.contains("localStorage"), "the token is kept in sessionStorage only");
            assert!(!script.contains("document.cookie"), "the token is never a cookie");
        }
    }

    /// The client's token goes in the WebSocket's challenge, never into the socket's URL, and
    /// plugins' scripts come only from their own path of this server.
    #[test]
    fn the_client_keeps_the_token_out_of_urls_and_loads_bundles_from_their_own_path() {
        assert!(CLIENT_JS.contains("/api/v4/websocket`"), "the socket's URL ends with its path");
        assert!(CLIENT_JS.contains("action: 'authentication_challenge', data: { token: token() }"));
        assert!(CLIENT_JS.contains("const prefix = `${STATIC_PLUGINS}${id}/`;"));
        assert!(CLIENT_JS.contains("url.origin !== window.location.origin"));
    }
}
