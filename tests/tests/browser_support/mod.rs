//! What the browser tests share: which Chromium to run, where screenshots go, and the check
//! that a page's files are served with their types and a strict policy.

use std::fs;
use std::path::{Path, PathBuf};

/// The Chromium to run: `$CHROMIUM`, else `chromium` or `chromium-browser` on the `PATH`.
pub fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "the browser tests need headless Chromium, and none was found \
         ($CHROMIUM unset, no `chromium` or `chromium-browser` on the PATH); \
         on Debian: `apt-get install chromium` (.ci/run installs it)"
    );
}

/// Where screenshots are kept: `target/test-artifacts/`.
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("test-artifacts");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `GET base+path` answers 200 with `content_type`, `no-cache`, `nosniff`, a Content-Security-
/// Policy that allows only this server (`default-src`, `script-src`, `form-action 'none'` and
/// `directive`) and nothing unsafe, and a body holding `needle`.
pub fn check_served(base: &str, path: &str, content_type: &str, needle: &str, directive: &str) {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut response = agent.get(format!("{base}{path}")).call().unwrap();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert_eq!(header("content-type"), content_type, "{path}");
    assert_eq!(header("cache-control"), "no-cache", "{path}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
    let policy = header("content-security-policy");
    for wanted in ["default-src 'self'", "script-src 'self'", "form-action 'none'", directive] {
        assert!(policy.contains(wanted), "{path}: {policy}");
    }
    assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{policy}");
    let body = response.body_mut().read_to_string().unwrap();
    assert!(body.contains(needle), "{path}");
}
