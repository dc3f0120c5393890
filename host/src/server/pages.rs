//! The pages the server serves to people: the admin page for plugins, `GET /admin/plugins`
//! (upstream: the System Console's plugin management), with its script and style sheet.
//!
//! Plain HTML, CSS and JS from `host/assets/admin/`, compiled into the binary (no build step,
//! nothing loaded from elsewhere). The page itself needs no token: it asks for the admin token,
//! keeps it in the tab's `sessionStorage` and sends it to the REST API as
//! `Authorization: Bearer`, which is where every check happens.
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

/// The policy of every page answer.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

const PLUGINS_HTML: &str = include_str!("../../assets/admin/plugins.html");
const PLUGINS_JS: &str = include_str!("../../assets/admin/plugins.js");
const PLUGINS_CSS: &str = include_str!("../../assets/admin/plugins.css");

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The page refers only to its own files and has no inline script, style or handler, which
    /// the policy would block (and the page would break in a browser).
    #[test]
    fn the_page_loads_only_its_own_files_and_has_no_inline_code() {
        assert!(PLUGINS_HTML.contains(&format!("<script src=\"{ADMIN_PLUGINS_JS_PATH}\" defer></script>")));
        assert!(PLUGINS_HTML.contains(&format!("<link rel=\"stylesheet\" href=\"{ADMIN_PLUGINS_CSS_PATH}\">")));
        assert_eq!(PLUGINS_HTML.matches("<script").count(), 1, "one script, from its file");
        for inline in ["<style", " style=", " onclick=", " onload=", " onsubmit=", "javascript:", "http://", "https://"]
        {
            assert!(!PLUGINS_HTML.contains(inline), "the page has {inline:?}");
        }
    }

    /// The script never writes HTML from strings: everything goes in as text.
    #[test]
    fn the_script_builds_the_dom_from_text_only() {
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
            assert!(!PLUGINS_JS.contains(sink), "the script uses {sink}");
        }
        assert!(!PLUGINS_JS.contains("localStorage"), "the token is kept in sessionStorage only");
        assert!(!PLUGINS_JS.contains("document.cookie"), "the token is never a cookie");
    }
}
