//! What the browser tests share: which Chromium to run, and where screenshots go.

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
