//! The admin token: where it comes from (the settings, its file, or made at first start into a
//! file only the owner can read) and the check of `Authorization: Bearer <token>` on requests.

use super::config::{resolve, ServerSettings};
use super::error::ApiError;
use super::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The token every write (and every listing) must carry.
pub struct AdminToken {
    token: String,
    /// The file it was read from or written to; `None` when it came from the settings.
    pub file: Option<PathBuf>,
}

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token itself.
        f.debug_struct("AdminToken").field("file", &self.file).finish_non_exhaustive()
    }
}

impl AdminToken {
    /// `AdminToken` from the settings; else the contents of `AdminTokenFile`; else a new
    /// random token (32 bytes, hex) written to that file, created owner-only (0600) and never
    /// over an existing file.
    pub fn load_or_create(settings: &ServerSettings, settings_file: &Path) -> Result<AdminToken, String> {
        if let Some(token) = AdminToken::load(settings, settings_file)? {
            return Ok(token);
        }
        let path = resolve(settings_file, &settings.admin_token_file);
        let token = generate()?;
        write_new(&path, &token).map_err(|e| format!("could not create `{}`: {e}", path.display()))?;
        Ok(AdminToken { token, file: Some(path) })
    }

    /// The token a server with these settings uses, without making one: `AdminToken` from the
    /// settings, else the contents of `AdminTokenFile`; `None` when that file does not exist
    /// yet (the server makes it at first start). The admin CLI finds the token this way.
    pub fn load(settings: &ServerSettings, settings_file: &Path) -> Result<Option<AdminToken>, String> {
        if let Some(token) = settings.admin_token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            return Ok(Some(AdminToken { token: token.to_owned(), file: None }));
        }
        AdminToken::read_file(&resolve(settings_file, &settings.admin_token_file))
    }

    /// The token kept in `path` (surrounding whitespace ignored); `None` when the file does
    /// not exist, an error when it cannot be read or is empty.
    pub fn read_file(path: &Path) -> Result<Option<AdminToken>, String> {
        match fs::read_to_string(path) {
            Ok(text) => {
                let token = text.trim();
                if token.is_empty() {
                    return Err(format!("the admin token file `{}` is empty", path.display()));
                }
                Ok(Some(AdminToken { token: token.to_owned(), file: Some(path.to_path_buf()) }))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("could not read the admin token file `{}`: {e}", path.display())),
        }
    }

    /// A token given directly (tests, embedding).
    pub fn new(token: impl Into<String>) -> AdminToken {
        AdminToken { token: token.into(), file: None }
    }

    /// The token itself, for a client to send (`Authorization: Bearer ...`). Never print it.
    pub fn secret(&self) -> &str {
        &self.token
    }

    /// Whether `offered` is the token, in time that does not depend on where they differ.
    pub fn matches(&self, offered: &str) -> bool {
        constant_time_eq(self.token.as_bytes(), offered.as_bytes())
    }
}

fn generate() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for the admin token: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn write_new(path: &Path, token: &str) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let mut file = fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(format!("{token}\n").as_bytes())?;
    file.sync_all()
}

/// Compares every byte whatever the first difference; only the length may show (the token's
/// length is no secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token of an `Authorization: Bearer <token>` header, if there is one.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Proof that the request carried the admin token: a handler that takes it runs only for the
/// admin. Put it first among the extractors, so nothing of the body is read before the check.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match bearer_token(&parts.headers) {
            Some(token) if state.token.matches(token) => Ok(Admin),
            Some(_) => Err(ApiError::unauthorized("the admin token is wrong")),
            None => Err(ApiError::unauthorized("this endpoint needs `Authorization: Bearer <admin token>`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_token_is_made_once_owner_only_and_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let settings_file = dir.path().join("settings.json");
        let settings = ServerSettings::default();
        let made = AdminToken::load_or_create(&settings, &settings_file).unwrap();
        let file = dir.path().join("admin-token");
        assert_eq!(made.file.as_deref(), Some(file.as_path()));
        assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        let text = fs::read_to_string(&file).unwrap();
        assert_eq!(text.trim().len(), 64);
        assert!(made.matches(text.trim()));
        let again = AdminToken::load_or_create(&settings, &settings_file).unwrap();
        assert!(again.matches(text.trim()));
    }

    #[test]
    fn load_reads_the_token_file_but_never_makes_one() {
        let dir = tempfile::tempdir().unwrap();
        let settings_file = dir.path().join("settings.json");
        let settings = ServerSettings { admin_token_file: "secrets/token".into(), ..ServerSettings::default() };
        let file = dir.path().join("secrets/token");
        assert!(AdminToken::load(&settings, &settings_file).unwrap().is_none());
        assert!(!file.exists());
        fs::create_dir(dir.path().join("secrets")).unwrap();
        fs::write(&file, "  abc123 \n").unwrap();
        let token = AdminToken::load(&settings, &settings_file).unwrap().unwrap();
        assert_eq!((token.secret(), token.file.as_deref()), ("abc123", Some(file.as_path())));
        fs::write(&file, "\n").unwrap();
        let e = AdminToken::load(&settings, &settings_file).unwrap_err();
        assert!(e.contains("secrets/token") && e.contains("empty"), "{e}");
    }

    #[test]
    fn the_settings_token_wins_and_comparison_is_exact() {
        let settings = ServerSettings { admin_token: Some("s3cret".into()), ..ServerSettings::default() };
        let token = AdminToken::load_or_create(&settings, Path::new("/nonexistent/settings.json")).unwrap();
        assert!(token.file.is_none());
        assert!(token.matches("s3cret"));
        assert!(!token.matches("s3cre"));
        assert!(!token.matches("s3creT"));
        assert!(!token.matches(""));
    }
}
