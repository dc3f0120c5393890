//! Platforms in upstream's `GOOS-GOARCH` naming, and the files a manifest names for them.

use api_definitions::model::Manifest;

/// The keys `server.executables` may use: the platforms upstream builds plugins for (the plugin
/// starter template's targets; upstream's deprecated `ManifestExecutables` named a subset).
pub const KNOWN_PLATFORMS: [&str; 5] = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"];

/// This machine's platform in upstream's naming: GOOS-GOARCH, e.g. `linux-amd64`, `linux-arm64`,
/// `darwin-arm64`, `windows-amd64` (map Rust's std::env::consts OS/ARCH names to Go's).
pub fn current() -> String {
    format!("{}-{}", go_os(std::env::consts::OS), go_arch(std::env::consts::ARCH))
}

/// Go's `GOOS` for Rust's `std::env::consts::OS`; the names agree except for macOS.
fn go_os(os: &str) -> &str {
    match os {
        "macos" => "darwin",
        other => other,
    }
}

/// Go's `GOARCH` for Rust's `std::env::consts::ARCH`.
fn go_arch(arch: &str) -> &str {
    match arch {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" => "arm64",
        "loongarch64" => "loong64",
        // Go names the byte order of 64-bit PowerPC and MIPS; Rust keeps it out of ARCH.
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        "powerpc64" => "ppc64",
        "mips64" if cfg!(target_endian = "little") => "mips64le",
        "mips" if cfg!(target_endian = "little") => "mipsle",
        other => other,
    }
}

/// The server executable for `platform`: `server.executables[platform]` if set and non-empty, else
/// `server.executable` if non-empty, else None. (Upstream GetExecutableForRuntime semantics.)
pub fn server_executable<'a>(manifest: &'a Manifest, platform: &str) -> Option<&'a str> {
    let server = manifest.server.as_ref()?;
    match server.executables.get(platform) {
        Some(path) if !path.is_empty() => Some(path),
        _ => Some(server.executable.as_str()).filter(|path| !path.is_empty()),
    }
}

/// Every file path a manifest names, with its field path: each server executable, the fallback
/// executable, webapp.bundle_path, icon_path (skipping empty ones). The bundler checks each exists.
pub fn named_files(manifest: &Manifest) -> Vec<(String, String)> {
    let mut files = Vec::new();
    if let Some(server) = &manifest.server {
        for (platform, path) in &server.executables {
            files.push((executable_field(platform), path.clone()));
        }
        files.push(("server.executable".to_owned(), server.executable.clone()));
    }
    if let Some(webapp) = &manifest.webapp {
        files.push(("webapp.bundle_path".to_owned(), webapp.bundle_path.clone()));
    }
    files.push(("icon_path".to_owned(), manifest.icon_path.clone()));
    files.retain(|(_, path)| !path.is_empty());
    files
}

/// The field path of `server.executables[platform]`: dotted like upstream's JSON names when the
/// key is a plain word, quoted otherwise so that a key holding `.` or spaces stays readable.
pub(crate) fn executable_field(platform: &str) -> String {
    let plain = !platform.is_empty() && platform.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        format!("server.executables.{platform}")
    } else {
        format!("server.executables[{platform:?}]")
    }
}
