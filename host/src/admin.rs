//! The admin CLI's plugin commands, upstream's `mmctl plugin`: `plugin-host plugin add`,
//! `enable`, `disable`, `delete`, `list` and `status` against a running server, over
//! [`crate::client`]. Here is where the server and its admin token are found
//! ([`Session::resolve`]) and what is printed: one line per argument on stdout, or an error line
//! naming the argument on stderr, and the other arguments still run. Only an error every further
//! request would meet too (no connection, token refused, plugins turned off) stops a command.
//! The token is never printed; messages say where it was taken from.

use crate::client::{Client, ClientError};
use crate::server::auth::AdminToken;
use crate::server::config::{resolve, ServerSettings, DEFAULT_LISTEN_ADDRESS};
use crate::server::plugins::StatusResponse;
use api_definitions::model::Manifest;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable naming the server's URL.
pub const URL_ENV: &str = "PLUGIN_HOST_URL";
/// The environment variable holding the admin token.
pub const TOKEN_ENV: &str = "PLUGIN_HOST_TOKEN";
/// The settings file `plugin-host serve` reads when given none; the token (and the URL) are
/// looked for there when nothing else names them.
pub const DEFAULT_SETTINGS_FILE: &str = "plugin-settings.json";

/// What the command line says about the server; the environment and the settings file fill in
/// the rest.
#[derive(Clone, Default)]
pub struct ServerArgs {
    /// `--url`.
    pub url: Option<String>,
    /// `--token`.
    pub token: Option<String>,
    /// `--token-file`.
    pub token_file: Option<PathBuf>,
    /// `--config`: the server's settings file.
    pub config: Option<PathBuf>,
}

impl fmt::Debug for ServerArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token.
        f.debug_struct("ServerArgs")
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "(given)"))
            .field("token_file", &self.token_file)
            .field("config", &self.config)
            .finish()
    }
}

/// Where the admin token was taken from: what a refused token's message names instead of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    /// `--token`.
    Flag,
    /// The `PLUGIN_HOST_TOKEN` environment variable.
    Env,
    /// `--token-file FILE`.
    File(PathBuf),
    /// `AdminToken` in the settings file.
    Settings(PathBuf),
    /// The `AdminTokenFile` of the settings file (by default the one the server made).
    SettingsFile { file: PathBuf, settings: PathBuf },
}

impl fmt::Display for TokenOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenOrigin::Flag => f.write_str("--token"),
            TokenOrigin::Env => f.write_str(TOKEN_ENV),
            TokenOrigin::File(path) => write!(f, "--token-file {}", path.display()),
            TokenOrigin::Settings(settings) => write!(f, "AdminToken in {}", settings.display()),
            TokenOrigin::SettingsFile { file, settings } => {
                write!(f, "{} (AdminTokenFile of {})", file.display(), settings.display())
            }
        }
    }
}

/// Where the server's URL was taken from, for the message when it cannot be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlOrigin {
    /// `--url`.
    Flag,
    /// The `PLUGIN_HOST_URL` environment variable.
    Env,
    /// `ListenAddress` in the settings file.
    Settings(PathBuf),
    /// Nothing named one: the default `ListenAddress`.
    Default,
}

impl fmt::Display for UrlOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlOrigin::Flag => f.write_str("--url"),
            UrlOrigin::Env => f.write_str(URL_ENV),
            UrlOrigin::Settings(settings) => write!(f, "ListenAddress in {}", settings.display()),
            UrlOrigin::Default => f.write_str("the default; give --url or PLUGIN_HOST_URL"),
        }
    }
}

/// A client of the server the command line names, and where its URL and token came from.
#[derive(Debug)]
pub struct Session {
    pub client: Client,
    pub token_origin: TokenOrigin,
    pub url_origin: UrlOrigin,
}

/// The settings file in play and what it says.
struct Settings {
    path: PathBuf,
    settings: ServerSettings,
    exists: bool,
}

impl Session {
    /// Finds the server and the admin token. The token: `--token`, else `--token-file`, else the
    /// settings file of `--config` (its `AdminToken`, else its `AdminTokenFile`, read as the
    /// server reads them), else `PLUGIN_HOST_TOKEN`, else the default settings file
    /// (`plugin-settings.json`, as `plugin-host serve`). The URL: `--url`, else
    /// `PLUGIN_HOST_URL`, else the `ListenAddress` of the settings file read for the token,
    /// else `http://127.0.0.1:8065`. `env` reads an environment variable.
    pub fn resolve(args: &ServerArgs, env: impl Fn(&str) -> Option<String>) -> Result<Session, String> {
        let env = |name: &str| env(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let env_token = env(TOKEN_ENV);
        let settings = match (&args.config, &args.token, &args.token_file, &env_token) {
            (Some(path), ..) => Some(Settings::load(path, true)?),
            (None, None, None, None) => Some(Settings::load(Path::new(DEFAULT_SETTINGS_FILE), false)?),
            _ => None,
        };

        let (token, token_origin) = if let Some(token) = &args.token {
            let token = token.trim();
            if token.is_empty() {
                return Err("--token is empty".to_owned());
            }
            (token.to_owned(), TokenOrigin::Flag)
        } else if let Some(path) = &args.token_file {
            match AdminToken::read_file(path)? {
                Some(token) => (token.secret().to_owned(), TokenOrigin::File(path.clone())),
                None => return Err(format!("the admin token file `{}` (--token-file) does not exist", path.display())),
            }
        } else if let (Some(settings), Some(_)) = (&settings, &args.config) {
            settings.token()?
        } else if let Some(token) = env_token {
            (token, TokenOrigin::Env)
        } else {
            settings.as_ref().expect("the default settings are read when nothing else gives a token").token()?
        };

        let (url, url_origin) = if let Some(url) = &args.url {
            (url.clone(), UrlOrigin::Flag)
        } else if let Some(url) = env(URL_ENV) {
            (url, UrlOrigin::Env)
        } else if let Some(settings) = settings.as_ref().filter(|s| s.exists) {
            (listen_url(&settings.settings.listen_address), UrlOrigin::Settings(settings.path.clone()))
        } else {
            (format!("http://{DEFAULT_LISTEN_ADDRESS}"), UrlOrigin::Default)
        };
        let client = Client::new(&url, &token).map_err(|e| format!("{e} (the URL is from {url_origin})"))?;
        Ok(Session { client, token_origin, url_origin })
    }

    /// What went wrong, for an admin: where the URL or the token came from when that is the
    /// problem, the server's message and error id otherwise.
    fn failure(&self, e: &ClientError) -> Failure {
        let fatal = matches!(e, ClientError::Unreachable { .. } | ClientError::BadUrl { .. })
            || matches!(e.status(), Some(401 | 501))
            || endpoint_missing(e);
        let message = match e {
            ClientError::Unreachable { reason, .. } => format!(
                "the server at {} (from {}) is unreachable: {reason}; is `plugin-host serve` running there?",
                self.client.url(),
                self.url_origin
            ),
            ClientError::Status { status: 401, message, .. } => format!(
                "the server refused the admin token taken from {} ({}); give the server's token with --config \
                 (its settings file), --token-file, {TOKEN_ENV} or --token",
                self.token_origin,
                printable(message)
            ),
            e if endpoint_missing(e) => format!(
                "{} has no such endpoint ({}): is it a plugin-host server, of this version?",
                self.client.url(),
                printable(&e.to_string())
            ),
            ClientError::Status { status: 413, id: None, .. } => format!(
                "the bundle is too large for the server or for a proxy in front of it: {}",
                printable(&e.to_string())
            ),
            other => printable(&other.to_string()),
        };
        Failure { message, fatal }
    }
}

impl Settings {
    /// Reads the settings file as the server does (missing: the defaults). One named on the
    /// command line must exist, since a mistyped path would otherwise go unnoticed, unless the
    /// server ran with it missing: then the token file it made is beside it.
    fn load(path: &Path, named: bool) -> Result<Settings, String> {
        let exists = path.exists();
        let served = resolve(path, &ServerSettings::default().admin_token_file).exists();
        if named && !exists && !served {
            return Err(format!("the settings file `{}` (--config) does not exist", path.display()));
        }
        let settings = ServerSettings::load(path).map_err(|e| e.to_string())?;
        Ok(Settings { path: path.to_path_buf(), settings, exists })
    }

    /// The admin token the server with these settings uses.
    fn token(&self) -> Result<(String, TokenOrigin), String> {
        let path = &self.path;
        match AdminToken::load(&self.settings, path)? {
            Some(token) => {
                let origin = match &token.file {
                    Some(file) => TokenOrigin::SettingsFile { file: file.clone(), settings: path.clone() },
                    None => TokenOrigin::Settings(path.clone()),
                };
                Ok((token.secret().to_owned(), origin))
            }
            None => {
                let file = resolve(path, &self.settings.admin_token_file);
                let missing = if self.exists {
                    format!(
                        "the token file `{}` (AdminTokenFile of `{}`) does not exist; the server makes it at its \
                         first start",
                        file.display(),
                        path.display()
                    )
                } else {
                    format!(
                        "none was given, and neither `{}` (the settings `serve` reads by default) nor the token file \
                         `{}` is in the current directory",
                        path.display(),
                        file.display()
                    )
                };
                Err(format!(
                    "no admin token: {missing}; give the server's settings file with --config, or the token with \
                     --token-file, {TOKEN_ENV} or --token"
                ))
            }
        }
    }
}

/// The URL of a listen address: a wildcard address is reached on loopback.
fn listen_url(address: &str) -> String {
    let address = address.trim();
    let address = if let Some(port) = address.strip_prefix("0.0.0.0:") {
        format!("127.0.0.1:{port}")
    } else if let Some(port) = address.strip_prefix("[::]:") {
        format!("[::1]:{port}")
    } else {
        address.to_owned()
    };
    format!("http://{address}")
}

/// The server answered from its fallback route, or is not a plugin-host server at all: every
/// request will meet the same.
fn endpoint_missing(e: &ClientError) -> bool {
    e.status() == Some(404) && matches!(e.id(), None | Some("api.context.404.app_error"))
}

/// One argument's error message, and whether the remaining arguments are worth trying.
struct Failure {
    message: String,
    fatal: bool,
}

/// What `add` is told besides the bundles.
#[derive(Debug, Clone, Copy, Default)]
pub struct AddOptions {
    /// Replace an installed plugin with the same id.
    pub force: bool,
    /// Do not send `<bundle>.sig` even if it exists.
    pub no_signature: bool,
}

/// `plugin add`: uploads each bundle, with `<bundle>.sig` beside it as its detached signature
/// unless told not to. True if every bundle was added.
pub fn add(
    session: &Session,
    bundles: &[PathBuf],
    options: AddOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> bool {
    let name = |bundle: &PathBuf| bundle.display().to_string();
    each(bundles, "add", name, out, err, |bundle| {
        let signature = Some(signature_beside(bundle)).filter(|s| !options.no_signature && s.is_file());
        match session.client.upload(bundle, signature.as_deref(), options.force) {
            Ok(manifest) => {
                let signed = match &signature {
                    Some(signature) => format!(", signature {} checked", signature.display()),
                    None => String::new(),
                };
                Ok(format!(
                    "Plugin {} {} added from {}{signed}.",
                    printable(&manifest.id),
                    printable(&manifest.version),
                    bundle.display()
                ))
            }
            // The failing file is the argument itself: the argument names it already.
            Err(ClientError::File { path, reason }) if &path == bundle => {
                Err(Failure { message: reason, fatal: false })
            }
            Err(e) => {
                let mut failure = session.failure(&e);
                if let (Some(signature), Some("api.plugin.install.signature.app_error")) = (&signature, e.id()) {
                    failure.message.push_str(&format!(
                        "; `{}` was sent as the bundle's signature (--no-signature leaves it out)",
                        signature.display()
                    ));
                }
                Err(failure)
            }
        }
    })
}

/// `<bundle>.sig`, the conventional place of a bundle's detached signature.
pub fn signature_beside(bundle: &Path) -> PathBuf {
    let mut name = bundle.as_os_str().to_owned();
    name.push(".sig");
    PathBuf::from(name)
}

/// `plugin enable`: enables and starts each plugin. True if all of them started.
pub fn enable(session: &Session, ids: &[String], out: &mut dyn Write, err: &mut dyn Write) -> bool {
    each(ids, "enable", String::clone, out, err, |id| {
        session.client.enable(id).map(|()| format!("Plugin {id} enabled.")).map_err(|e| session.failure(&e))
    })
}

/// `plugin disable`: stops and disables each plugin. True if all of them were disabled.
pub fn disable(session: &Session, ids: &[String], out: &mut dyn Write, err: &mut dyn Write) -> bool {
    each(ids, "disable", String::clone, out, err, |id| {
        session.client.disable(id).map(|()| format!("Plugin {id} disabled.")).map_err(|e| session.failure(&e))
    })
}

/// `plugin delete`: stops and removes each plugin. True if all of them were removed.
pub fn delete(session: &Session, ids: &[String], out: &mut dyn Write, err: &mut dyn Write) -> bool {
    each(ids, "delete", String::clone, out, err, |id| {
        session.client.delete(id).map(|()| format!("Plugin {id} deleted.")).map_err(|e| session.failure(&e))
    })
}

/// `plugin list`: the active and the inactive plugins (id, version, name), or with `json` the
/// server's answer as it sent it, pretty.
pub fn list(session: &Session, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let result = if json {
        session.client.plugins_json().map(|value| pretty(&value))
    } else {
        session.client.plugins().map(|plugins| plugins_table(&plugins.active, &plugins.inactive))
    };
    single(session, "list the plugins", result, out, err)
}

/// `plugin status`: every installed plugin's id, version, state, whether it is enabled and its
/// error, or with `json` the server's answer as it sent it, pretty.
pub fn status(session: &Session, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let result = if json {
        session.client.statuses_json().map(|value| pretty(&value))
    } else {
        session.client.statuses().map(|statuses| statuses_table(&statuses))
    };
    single(session, "read the plugins' statuses", result, out, err)
}

/// Runs `op` on each argument: its line to `out`, or its error to `err`; stops after an error
/// every further request would meet too, naming the arguments not tried. True if all succeeded.
fn each<T>(
    items: &[T],
    verb: &str,
    name: impl Fn(&T) -> String,
    out: &mut dyn Write,
    err: &mut dyn Write,
    op: impl Fn(&T) -> Result<String, Failure>,
) -> bool {
    let mut all = true;
    for (i, item) in items.iter().enumerate() {
        match op(item) {
            Ok(line) => write_line(out, &line),
            Err(failure) => {
                all = false;
                write_line(err, &format!("error: could not {verb} {}: {}", name(item), failure.message));
                let rest: Vec<String> = items[i + 1..].iter().map(&name).collect();
                if failure.fatal && !rest.is_empty() {
                    write_line(err, &format!("note: stopped there; not tried: {}", rest.join(", ")));
                    break;
                }
            }
        }
    }
    all
}

/// Prints the text of a one-request command, or its error. True if it succeeded.
fn single(
    session: &Session,
    what: &str,
    result: Result<String, ClientError>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> bool {
    match result {
        Ok(text) => {
            write_line(out, text.trim_end());
            true
        }
        Err(e) => {
            write_line(err, &format!("error: could not {what}: {}", session.failure(&e).message));
            false
        }
    }
}

/// Writes one line. A failed write (stdout closed early, as in `... | head -1`) is ignored: the
/// remaining arguments must still be processed, and the exit status still reports them.
fn write_line(w: &mut dyn Write, line: &str) {
    let _ = writeln!(w, "{line}");
    let _ = w.flush();
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// A server's text made safe for a terminal: control characters (escape sequences, newlines
/// in a plugin's name) are shown escaped, not acted on.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The `list` table: one section per kind, columns aligned across both.
fn plugins_table(active: &[Manifest], inactive: &[Manifest]) -> String {
    let row = |m: &Manifest| vec![printable(&m.id), printable(&m.version), printable(&m.name)];
    let sorted = |plugins: &[Manifest]| {
        let mut rows: Vec<Vec<String>> = plugins.iter().map(row).collect();
        rows.sort();
        rows
    };
    let (active, inactive) = (sorted(active), sorted(inactive));
    let header = vec!["ID".to_owned(), "VERSION".to_owned(), "NAME".to_owned()];
    let widths = widths(std::iter::once(&header).chain(&active).chain(&inactive));
    let mut text = String::new();
    for (title, rows) in [("Active plugins", &active), ("Inactive plugins", &inactive)] {
        if rows.is_empty() {
            text.push_str(&format!("{title}: none\n"));
            continue;
        }
        text.push_str(&format!("{title}:\n"));
        for row in std::iter::once(&header).chain(rows) {
            text.push_str(&format!("  {}\n", render(row, &widths)));
        }
    }
    text
}

/// The `status` table, by id.
fn statuses_table(statuses: &[StatusResponse]) -> String {
    if statuses.is_empty() {
        return "No plugins are installed.\n".to_owned();
    }
    let header = ["ID", "VERSION", "STATE", "ENABLED", "ERROR"].map(str::to_owned).to_vec();
    let mut rows: Vec<Vec<String>> = statuses
        .iter()
        .map(|s| {
            vec![
                printable(&s.plugin_id),
                printable(&s.version),
                printable(&s.state_name),
                if s.enabled { "yes" } else { "no" }.to_owned(),
                printable(&s.error),
            ]
        })
        .collect();
    rows.sort();
    let widths = widths(std::iter::once(&header).chain(&rows));
    std::iter::once(&header).chain(&rows).map(|row| format!("{}\n", render(row, &widths))).collect()
}

fn widths<'a>(rows: impl Iterator<Item = &'a Vec<String>>) -> Vec<usize> {
    let mut widths = Vec::new();
    for row in rows {
        widths.resize(widths.len().max(row.len()), 0);
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths
}

/// One row, columns two spaces apart, no trailing spaces.
fn render(row: &[String], widths: &[usize]) -> String {
    let cells: Vec<String> = row.iter().zip(widths).map(|(cell, &width)| format!("{cell:<width$}")).collect();
    cells.join("  ").trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::fs;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| vars.get(name).cloned()
    }

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join("settings.json");
        fs::write(&settings, r#"{"ListenAddress": "0.0.0.0:9000"}"#).unwrap();
        fs::write(dir.path().join("admin-token"), "from-file\n").unwrap();
        (dir, settings)
    }

    #[test]
    fn flags_beat_the_environment_which_beats_the_default() {
        let (_dir, settings) = site();
        let vars = env(&[(TOKEN_ENV, "from-env"), (URL_ENV, "http://env:1")]);
        let args = ServerArgs { config: Some(settings.clone()), ..ServerArgs::default() };
        let session = Session::resolve(&args, &vars).unwrap();
        assert_eq!(
            session.token_origin,
            TokenOrigin::SettingsFile { file: settings.with_file_name("admin-token"), settings: settings.clone() }
        );
        assert_eq!((session.client.url(), &session.url_origin), ("http://env:1", &UrlOrigin::Env));

        let args = ServerArgs { config: Some(settings.clone()), url: Some("h:2".into()), ..ServerArgs::default() };
        let session = Session::resolve(&args, env(&[])).unwrap();
        assert_eq!((session.client.url(), &session.url_origin), ("http://h:2", &UrlOrigin::Flag));
        let session =
            Session::resolve(&ServerArgs { config: Some(settings.clone()), ..ServerArgs::default() }, env(&[]))
                .unwrap();
        // A wildcard ListenAddress is reached on loopback.
        assert_eq!(session.client.url(), "http://127.0.0.1:9000");
        assert_eq!(session.url_origin, UrlOrigin::Settings(settings.clone()));

        let session = Session::resolve(&ServerArgs::default(), &vars).unwrap();
        assert_eq!(session.token_origin, TokenOrigin::Env);
        let args = ServerArgs { token: Some("t".into()), ..ServerArgs::default() };
        let session = Session::resolve(&args, env(&[])).unwrap();
        assert_eq!(session.token_origin, TokenOrigin::Flag);
        assert_eq!((session.client.url(), &session.url_origin), ("http://127.0.0.1:8065", &UrlOrigin::Default));
    }

    #[test]
    fn the_settings_token_wins_over_its_file() {
        let (dir, settings) = site();
        fs::write(&settings, r#"{"AdminToken": "inline"}"#).unwrap();
        let session =
            Session::resolve(&ServerArgs { config: Some(settings.clone()), ..ServerArgs::default() }, env(&[]))
                .unwrap();
        assert_eq!(session.token_origin, TokenOrigin::Settings(settings));
        let args = ServerArgs { token_file: Some(dir.path().join("admin-token")), ..ServerArgs::default() };
        let session = Session::resolve(&args, env(&[])).unwrap();
        assert_eq!(session.token_origin, TokenOrigin::File(dir.path().join("admin-token")));
    }

    #[test]
    fn a_missing_token_or_settings_file_is_named() {
        let (dir, settings) = site();
        fs::remove_file(dir.path().join("admin-token")).unwrap();
        let e = Session::resolve(&ServerArgs { config: Some(settings.clone()), ..ServerArgs::default() }, env(&[]))
            .unwrap_err();
        assert!(e.contains("admin-token") && e.contains("settings.json") && e.contains("first start"), "{e}");
        let missing = dir.path().join("nope.json");
        let e = Session::resolve(&ServerArgs { config: Some(missing), ..ServerArgs::default() }, env(&[])).unwrap_err();
        assert!(e.contains("nope.json") && e.contains("--config"), "{e}");
        let args = ServerArgs { token_file: Some(dir.path().join("gone")), ..ServerArgs::default() };
        let e = Session::resolve(&args, env(&[])).unwrap_err();
        assert!(e.contains("gone") && e.contains("--token-file"), "{e}");
        let e =
            Session::resolve(&ServerArgs { token: Some(" ".into()), ..ServerArgs::default() }, env(&[])).unwrap_err();
        assert_eq!(e, "--token is empty");
        // The default settings file, absent: both it and the token file are named.
        let e = Settings::load(&dir.path().join("plugin-settings.json"), false).unwrap().token().unwrap_err();
        assert!(e.contains("none was given") && e.contains("plugin-settings.json") && e.contains("admin-token"), "{e}");
    }

    #[test]
    fn origins_never_hold_the_token() {
        let args = ServerArgs { token: Some("s3cret".into()), ..ServerArgs::default() };
        assert!(!format!("{args:?}").contains("s3cret"));
        let session = Session::resolve(&args, env(&[])).unwrap();
        assert!(!format!("{session:?}").contains("s3cret"));
        let failure = session.failure(&ClientError::Status {
            status: 401,
            id: Some("api.context.admin_token.app_error".into()),
            message: "the admin token is wrong".into(),
        });
        assert!(failure.fatal);
        assert!(failure.message.contains("--token") && !failure.message.contains("s3cret"), "{}", failure.message);
    }

    #[test]
    fn tables_align_sort_and_escape() {
        let manifest = |id: &str, name: &str| Manifest {
            id: id.into(),
            name: name.into(),
            version: "1.0.0".into(),
            ..Manifest::default()
        };
        let text = plugins_table(&[manifest("b.long.id", "B"), manifest("a", "A\x1b[31m")], &[]);
        assert_eq!(
            text,
            "Active plugins:\n  ID         VERSION  NAME\n  a          1.0.0    A\\u{1b}[31m\n  b.long.id  1.0.0    B\n\
             Inactive plugins: none\n"
        );
        assert_eq!(statuses_table(&[]), "No plugins are installed.\n");
    }

    #[test]
    fn signatures_sit_beside_their_bundle() {
        assert_eq!(signature_beside(Path::new("dir/x.tar.gz")), Path::new("dir/x.tar.gz.sig"));
    }
}
