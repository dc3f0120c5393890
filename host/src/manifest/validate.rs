//! The rules a manifest must follow that need no file system, checked all at once so that an
//! author sees every problem in one go. Upstream: `Manifest.IsValid` in `model/manifest.go` (which
//! stops at the first problem), plus rules of our own, each marked "Beyond upstream" with why.

use super::platform::{executable_field, KNOWN_PLATFORMS};
use super::{relative_path, settings, Problem};
use api_definitions::model::{Manifest, ManifestServer, ManifestWebapp};

/// Fewest and most characters in a plugin id (upstream `MinIdLength`, `MaxIdLength`).
const ID_LENGTH: std::ops::RangeInclusive<usize> = 3..=190;

/// All rules that need no file system, every problem at once. Empty Vec = valid.
pub fn validate(manifest: &Manifest) -> Vec<Problem> {
    let mut problems = Vec::new();
    // In the order of the manifest's fields, so that the report reads like the file.
    check_id(&manifest.id, &mut problems);
    if manifest.name.trim().is_empty() {
        problems.push(Problem::new("name", "is missing or blank; give the name administrators see for the plugin"));
    }
    for (field, url) in [
        ("homepage_url", &manifest.homepage_url),
        ("support_url", &manifest.support_url),
        ("release_notes_url", &manifest.release_notes_url),
    ] {
        // Optional upstream: only a value that is set must be a URL.
        if !url.is_empty() && !is_http_url(url) {
            problems.push(Problem::new(
                field,
                format!("{url:?} is not an absolute http or https URL; write it like `https://example.com/page`"),
            ));
        }
    }
    check_icon(&manifest.icon_path, &mut problems);
    // Upstream does not require a version; it only has to be semver when given.
    check_semver("version", &manifest.version, "the plugin's version", &mut problems);
    check_semver("min_server_version", &manifest.min_server_version, "the oldest server version", &mut problems);
    if let Some(server) = &manifest.server {
        check_server(server, &mut problems);
    }
    if let Some(webapp) = &manifest.webapp {
        check_webapp(webapp, &mut problems);
    }
    if let Some(schema) = &manifest.settings_schema {
        settings::check(schema, &mut problems);
    }
    problems
}

/// Upstream `IsValidPluginId`: 3 to 190 characters from `[a-zA-Z0-9-_.]`, because the id becomes
/// a directory name.
fn check_id(id: &str, problems: &mut Vec<Problem>) {
    const ALLOWED: &str = "ASCII letters, digits, `-`, `_` and `.`";
    if id.is_empty() {
        problems.push(Problem::new(
            "id",
            format!("is missing; give a unique id of {ALLOWED}, e.g. `com.example.my-plugin`"),
        ));
        return;
    }
    let length = id.chars().count();
    if !ID_LENGTH.contains(&length) {
        problems.push(Problem::new(
            "id",
            format!(
                "{id:?} is {length} character{} long; an id needs {} to {} characters",
                if length == 1 { "" } else { "s" },
                ID_LENGTH.start(),
                ID_LENGTH.end()
            ),
        ));
    }
    // Each refused character once, in the order they first appear.
    let mut refused: Vec<char> = Vec::new();
    for c in id.chars().filter(|&c| !is_id_char(c)) {
        if !refused.contains(&c) {
            refused.push(c);
        }
    }
    if !refused.is_empty() {
        let list: Vec<String> = refused.iter().map(|c| format!("{c:?}")).collect();
        problems.push(Problem::new("id", format!("{id:?} contains {}; an id may use only {ALLOWED}", list.join(", "))));
    } else if id.chars().all(|c| c == '.') {
        // Beyond upstream: `...` passes upstream's pattern, but a directory named only by dots is
        // easily mistaken for (or, on some systems, treated as) `.` or `..`.
        problems.push(Problem::new(
            "id",
            format!("{id:?} is only dots, which is not a safe directory name; use letters or digits too"),
        ));
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Upstream `IsValidHTTPURL`: starts with `http://` or `https://` and names a host. Written by
/// hand rather than with a URL crate: the manifest only stores the URL for display.
fn is_http_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    // Whitespace and control characters are never valid in a URL and would garble the display.
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_and_port.starts_with('[') {
        // An IPv6 literal; its colons are not a port separator.
        host_and_port.split(']').next().unwrap_or_default().trim_start_matches('[')
    } else {
        host_and_port.split(':').next().unwrap_or_default()
    };
    !host.is_empty()
}

/// Beyond upstream's validation: the icon must be a relative path (upstream joins it onto the
/// plugin directory unchecked) ending in `.svg` — upstream's docs say only SVG is supported and
/// its server drops an icon whose content is not SVG (`getIcon`), which needs the file and so is
/// left to the bundler.
fn check_icon(icon: &str, problems: &mut Vec<Problem>) {
    if icon.is_empty() {
        return;
    }
    match relative_path(icon) {
        Err(message) => problems.push(Problem::new("icon_path", message)),
        Ok(path) => {
            let is_svg = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("svg"));
            if !is_svg {
                problems.push(Problem::new(
                    "icon_path",
                    format!("{icon:?} is not an `.svg` file; the icon must be an SVG image"),
                ));
            }
        }
    }
}

/// Upstream parses both with blang/semver's strict `Parse` when set; `semver::Version::parse` is
/// equally strict (three numbers, no `v` prefix).
fn check_semver(field: &str, value: &str, what: &str, problems: &mut Vec<Problem>) {
    if value.is_empty() {
        return;
    }
    if let Err(e) = semver::Version::parse(value) {
        problems
            .push(Problem::new(field, format!("{value:?} is not a semantic version ({e}); write {what} like `1.2.3`")));
    }
}

/// Beyond upstream, which accepts any executable paths and keys and fails only when activating:
/// the paths must stay inside the plugin, the keys must be platforms a server can run, and a
/// server part must name something to run.
fn check_server(server: &ManifestServer, problems: &mut Vec<Problem>) {
    let how = "set `server.executables` for each platform or `server.executable`";
    if server.executables.is_empty() && server.executable.is_empty() {
        problems.push(Problem::new("server", format!("names no executable; {how}, or remove `server`")));
    }
    for (platform, path) in &server.executables {
        let field = executable_field(platform);
        if !KNOWN_PLATFORMS.contains(&platform.as_str()) {
            problems.push(Problem::new(
                field.clone(),
                format!("{platform:?} is not a known platform; use one of {}", KNOWN_PLATFORMS.join(", ")),
            ));
        }
        if let Err(message) = relative_path(path) {
            problems.push(Problem::new(field, message));
        }
    }
    if !server.executable.is_empty() {
        if let Err(message) = relative_path(&server.executable) {
            problems.push(Problem::new("server.executable", message));
        }
    }
}

/// Beyond upstream, which fails only when it cannot read the bundle: a web app needs its bundle,
/// inside the plugin.
fn check_webapp(webapp: &ManifestWebapp, problems: &mut Vec<Problem>) {
    if webapp.bundle_path.is_empty() {
        problems.push(Problem::new(
            "webapp.bundle_path",
            "is missing; give the web-app bundle's path, e.g. `webapp/dist/main.js`, or remove `webapp`",
        ));
    } else if let Err(message) = relative_path(&webapp.bundle_path) {
        problems.push(Problem::new("webapp.bundle_path", message));
    }
}
