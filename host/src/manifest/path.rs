//! Paths named in a manifest (executables, the web-app bundle, the icon): they must stay inside
//! the plugin directory whatever the platform, since the host joins them onto that directory.

use std::path::PathBuf;

/// A path from a manifest (executable, webapp bundle, icon) as a relative path that stays inside the
/// plugin directory: refuses empty, absolute (also `C:\`, leading `\`), any `..` component, NUL,
/// backslashes; normalises `./a//b` to `a/b`. Err is the message (without the field).
pub fn relative_path(p: &str) -> Result<PathBuf, String> {
    const HOW: &str = "give a path relative to the plugin directory, with `/` between directories";
    if p.is_empty() {
        return Err(format!("is empty; {HOW}"));
    }
    // A NUL would cut the path short when handed to the operating system.
    if p.contains('\0') {
        return Err(format!("{p:?} contains a NUL character; {HOW}"));
    }
    // Absolute on any platform: bundles built on one OS are installed on another, so a path that
    // is relative here but absolute on Windows is refused too.
    if p.starts_with('/') || p.starts_with('\\') || has_drive_letter(p) {
        return Err(format!("{p:?} is an absolute path; {HOW}"));
    }
    // On Windows `\` separates directories, elsewhere it is part of a name: the same manifest
    // would name different files, so it is refused rather than guessed at.
    if p.contains('\\') {
        return Err(format!("{p:?} contains a backslash; {HOW}"));
    }
    let mut parts = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(format!("{p:?} goes up out of the plugin directory with `..`; {HOW}")),
            name => parts.push(name),
        }
    }
    if parts.is_empty() {
        return Err(format!("{p:?} names the plugin directory itself, not a file; {HOW}"));
    }
    Ok(parts.iter().collect())
}

/// `C:` at the start, which Windows reads as a drive (`C:x` is relative to that drive's current
/// directory, still outside the plugin).
fn has_drive_letter(p: &str) -> bool {
    let bytes = p.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}
