//! A small blocking client of the plugin server's REST API (`plugin-host serve`, upstream's
//! `model.Client4` plugin calls): upload a bundle (streamed from its file, never read into
//! memory), list, read statuses, enable, disable, delete. The admin CLI (`plugin-host plugin`,
//! [`crate::admin`]) is built on it; tests and programs that manage a server can use it too.
//!
//! HTTP/1.1 over `ureq` without TLS: the server listens on loopback, or behind a proxy.

use crate::server::plugins::{PluginsResponse, StatusResponse};
use crate::server::upload::MAX_SIGNATURE_BYTES;
use api_definitions::model::Manifest;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;
use ureq::http::{Response, StatusCode};

/// How long to wait for a connection. Requests themselves have no deadline: an enable waits for
/// the plugin's process to start, which the server bounds itself.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a non-JSON error answer (a proxy's HTML page, say) goes into the message.
const EXCERPT_CHARS: usize = 200;

/// A client of one server, with its admin token.
pub struct Client {
    base: String,
    auth: String,
    agent: ureq::Agent,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token.
        f.debug_struct("Client").field("base", &self.base).finish_non_exhaustive()
    }
}

/// Why a request did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The server URL is not one this client can use.
    BadUrl { url: String, reason: String },
    /// No connection could be made: refused, no such host, timed out.
    Unreachable { url: String, reason: String },
    /// The connection broke during the request, or the answer was not HTTP.
    Transport { url: String, reason: String },
    /// The server answered with an error status. `id` and `message` are the server's when it
    /// sent a plugin-host error (`{"id", "message", "status_code"}`); otherwise `id` is `None`
    /// and `message` is the start of what it sent (a proxy's page, say).
    Status { status: u16, id: Option<String>, message: String },
    /// A success answer that is not the JSON a plugin-host server sends.
    BadAnswer { url: String, reason: String },
    /// A local file (the bundle, its signature) could not be used.
    File { path: PathBuf, reason: String },
}

impl ClientError {
    /// The HTTP status of a [`ClientError::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's error id of a [`ClientError::Status`], when it sent one.
    pub fn id(&self) -> Option<&str> {
        match self {
            ClientError::Status { id, .. } => id.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::BadUrl { url, reason } => {
                write!(f, "`{url}` is not a server URL this client can use: {reason}")
            }
            ClientError::Unreachable { url, reason } => write!(f, "could not connect to the server at {url}: {reason}"),
            ClientError::Transport { url, reason } => write!(f, "the request to {url} failed: {reason}"),
            ClientError::Status { status, id: Some(id), message } => write!(f, "{message} ({status} {id})"),
            ClientError::Status { status, id: None, message } => {
                let reason = StatusCode::from_u16(*status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
                write!(f, "the server answered {status} {reason}")?;
                if message.is_empty() {
                    Ok(())
                } else {
                    write!(f, ": {message}")
                }
            }
            ClientError::BadAnswer { url, reason } => {
                write!(f, "the answer from {url} is not what a plugin-host server sends: {reason}")
            }
            ClientError::File { path, reason } => write!(f, "`{}`: {reason}", path.display()),
        }
    }
}

impl std::error::Error for ClientError {}

impl Client {
    /// A client of the server at `url` (`http://HOST:PORT`; `HOST:PORT` alone means http) that
    /// sends `token` as its admin token.
    pub fn new(url: &str, token: &str) -> Result<Client, ClientError> {
        let trimmed = url.trim();
        let (scheme, rest) = trimmed.split_once("://").unwrap_or(("http", trimmed));
        let base = format!("{scheme}://{}", rest.trim_end_matches('/'));
        let bad = |reason: &str| ClientError::BadUrl { url: url.to_owned(), reason: reason.to_owned() };
        if base.starts_with("https://") {
            return Err(bad("this build of plugin-host speaks plain HTTP only (no TLS); use the server's \
                            http:// address, on loopback or through an SSH tunnel"));
        }
        if !base.starts_with("http://") {
            return Err(bad("give an http:// URL, for example http://127.0.0.1:8065"));
        }
        match base.parse::<ureq::http::Uri>() {
            Ok(uri) if uri.host().is_some_and(|h| !h.is_empty()) => {}
            // `http://` alone fails to parse as "empty string": say what is missing instead.
            Ok(_) => return Err(bad("it names no host")),
            Err(_) if rest.trim_end_matches('/').is_empty() => return Err(bad("it names no host")),
            Err(e) => return Err(bad(&e.to_string())),
        }
        let agent = ureq::Agent::config_builder()
            // Error answers carry the server's message: read them like any other.
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .user_agent(concat!("plugin-host/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Ok(Client { base, auth: format!("Bearer {}", token.trim()), agent })
    }

    /// The server's URL, as requests use it (no trailing slash).
    pub fn url(&self) -> &str {
        &self.base
    }

    /// Uploads the bundle file at `bundle` (`POST /api/v4/plugins`), streamed from the file,
    /// with the detached signature at `signature` if given; `force` replaces an installed
    /// plugin with the same id. Answers the installed plugin's manifest.
    pub fn upload(&self, bundle: &Path, signature: Option<&Path>, force: bool) -> Result<Manifest, ClientError> {
        let file_error = |reason: String| ClientError::File { path: bundle.to_path_buf(), reason };
        let file = File::open(bundle).map_err(|e| file_error(format!("cannot open the bundle: {e}")))?;
        let metadata = file.metadata().map_err(|e| file_error(format!("cannot read the bundle: {e}")))?;
        if !metadata.is_file() {
            return Err(file_error("the bundle is not a file".to_owned()));
        }
        let signature = signature.map(read_signature).transpose()?;
        let name = bundle.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.upload_reader(file, metadata.len(), &name, signature.as_deref(), force)
    }

    /// Uploads the `len` bytes of `bundle` as the file `file_name`: the multipart body is a
    /// chain of readers (form fields and part header, the bundle, the closing boundary) with
    /// its length declared, so nothing is buffered and the server can refuse a too-large
    /// bundle before any of it is sent (`Expect: 100-continue`).
    pub fn upload_reader(
        &self,
        bundle: impl Read,
        len: u64,
        file_name: &str,
        signature: Option<&[u8]>,
        force: bool,
    ) -> Result<Manifest, ClientError> {
        let boundary = boundary();
        let (head, tail) = form_frame(&boundary, file_name, signature, force);
        let total = head.len() as u64 + len + tail.len() as u64;
        let mut body = Cursor::new(head).chain(bundle.take(len)).chain(Cursor::new(tail));
        let url = format!("{}/api/v4/plugins", self.base);
        let result = self
            .agent
            .post(&url)
            .header("Authorization", &self.auth)
            .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
            .header("Content-Length", total)
            .header("Expect", "100-continue")
            .send(ureq::SendBody::from_reader(&mut body));
        self.typed(&url, self.answer(&url, result)?)
    }

    /// `GET /api/v4/plugins`: the active (running) and inactive plugins' manifests.
    pub fn plugins(&self) -> Result<PluginsResponse, ClientError> {
        let url = format!("{}/api/v4/plugins", self.base);
        self.typed(&url, self.plugins_json()?)
    }

    /// `GET /api/v4/plugins` as the server sent it.
    pub fn plugins_json(&self) -> Result<Value, ClientError> {
        self.get("/api/v4/plugins")
    }

    /// `GET /api/v4/plugins/statuses`: every installed plugin's state.
    pub fn statuses(&self) -> Result<Vec<StatusResponse>, ClientError> {
        let url = format!("{}/api/v4/plugins/statuses", self.base);
        self.typed(&url, self.statuses_json()?)
    }

    /// `GET /api/v4/plugins/statuses` as the server sent it.
    pub fn statuses_json(&self) -> Result<Value, ClientError> {
        self.get("/api/v4/plugins/statuses")
    }

    /// `POST /api/v4/plugins/{id}/enable`: enabled and started.
    pub fn enable(&self, id: &str) -> Result<(), ClientError> {
        let url = format!("{}/api/v4/plugins/{}/enable", self.base, path_segment(id));
        let result = self.agent.post(&url).header("Authorization", &self.auth).send_empty();
        self.answer(&url, result).map(drop)
    }

    /// `POST /api/v4/plugins/{id}/disable`: stopped and disabled.
    pub fn disable(&self, id: &str) -> Result<(), ClientError> {
        let url = format!("{}/api/v4/plugins/{}/disable", self.base, path_segment(id));
        let result = self.agent.post(&url).header("Authorization", &self.auth).send_empty();
        self.answer(&url, result).map(drop)
    }

    /// `DELETE /api/v4/plugins/{id}`: stopped and removed.
    pub fn delete(&self, id: &str) -> Result<(), ClientError> {
        let url = format!("{}/api/v4/plugins/{}", self.base, path_segment(id));
        let result = self.agent.delete(&url).header("Authorization", &self.auth).call();
        self.answer(&url, result).map(drop)
    }

    fn get(&self, path: &str) -> Result<Value, ClientError> {
        let url = format!("{}{path}", self.base);
        let result = self.agent.get(&url).header("Authorization", &self.auth).call();
        self.answer(&url, result)
    }

    fn typed<T: DeserializeOwned>(&self, url: &str, value: Value) -> Result<T, ClientError> {
        serde_json::from_value(value).map_err(|e| ClientError::BadAnswer { url: url.to_owned(), reason: e.to_string() })
    }

    /// The JSON of a success answer, or the error: the transport's, or the server's.
    fn answer(&self, url: &str, result: Result<Response<ureq::Body>, ureq::Error>) -> Result<Value, ClientError> {
        let mut response = result.map_err(|e| transport_error(url, e))?;
        let status = response.status();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| ClientError::Transport { url: url.to_owned(), reason: format!("reading the answer: {e}") })?;
        let json = serde_json::from_str::<Value>(&text);
        if status.is_success() {
            return json.map_err(|e| ClientError::BadAnswer { url: url.to_owned(), reason: format!("not JSON: {e}") });
        }
        let status = status.as_u16();
        match json {
            Ok(Value::Object(error)) if error.get("message").is_some_and(Value::is_string) => {
                Err(ClientError::Status {
                    status,
                    id: error.get("id").and_then(Value::as_str).map(str::to_owned),
                    message: error["message"].as_str().unwrap_or_default().to_owned(),
                })
            }
            _ => Err(ClientError::Status { status, id: None, message: excerpt(&text) }),
        }
    }
}

/// Connection failures (nothing reached the server) apart from failures during a request.
fn transport_error(url: &str, e: ureq::Error) -> ClientError {
    let unreachable = |reason: String| ClientError::Unreachable { url: url.to_owned(), reason };
    match e {
        ureq::Error::HostNotFound => unreachable("no such host".to_owned()),
        ureq::Error::ConnectionFailed => unreachable("the connection failed".to_owned()),
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()))
        }
        ureq::Error::Io(e)
            if matches!(
                e.kind(),
                io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::AddrNotAvailable
                    | io::ErrorKind::NetworkUnreachable
                    | io::ErrorKind::HostUnreachable
            ) =>
        {
            unreachable(e.to_string())
        }
        ureq::Error::BadUri(reason) => ClientError::BadUrl { url: url.to_owned(), reason },
        other => ClientError::Transport { url: url.to_owned(), reason: other.to_string() },
    }
}

/// Reads a detached signature, refusing one the server would refuse for its size.
fn read_signature(path: &Path) -> Result<Vec<u8>, ClientError> {
    let error = |reason: String| ClientError::File { path: path.to_path_buf(), reason };
    let file = File::open(path).map_err(|e| error(format!("cannot open the signature: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_SIGNATURE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(format!("cannot read the signature: {e}")))?;
    if bytes.len() > MAX_SIGNATURE_BYTES {
        return Err(error(format!(
            "the signature is larger than {MAX_SIGNATURE_BYTES} bytes, more than a detached signature \
             (`gpg --detach-sign`) holds"
        )));
    }
    Ok(bytes)
}

/// A multipart boundary that will not occur in the bundle by chance: 128 random bits.
fn boundary() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No randomness from the OS (it does not happen on Linux): the clock and the process id
        // still make a boundary no bundle contains except by design, and bundles are the
        // admin's own files.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        bytes = (nanos ^ (u128::from(std::process::id()) << 96)).to_le_bytes();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("plugin-host-{hex}")
}

/// What goes before and after the bundle's bytes in the form. The server reads the bundle as it
/// streams, so `force` and `signature` must come before `plugin`.
fn form_frame(boundary: &str, file_name: &str, signature: Option<&[u8]>, force: bool) -> (Vec<u8>, Vec<u8>) {
    let mut head = Vec::new();
    if force {
        head.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"force\"\r\n\r\ntrue\r\n").bytes());
    }
    if let Some(signature) = signature {
        head.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"signature\"; filename=\"{}.sig\"\r\n\
                 Content-Type: application/pgp-signature\r\n\r\n",
                quoted(file_name)
            )
            .bytes(),
        );
        head.extend_from_slice(signature);
        head.extend_from_slice(b"\r\n");
    }
    head.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"plugin\"; filename=\"{}\"\r\n\
             Content-Type: application/gzip\r\n\r\n",
            quoted(file_name)
        )
        .bytes(),
    );
    (head, format!("\r\n--{boundary}--\r\n").into_bytes())
}

/// A file name fit for a quoted header parameter: quotes, backslashes and control characters
/// would end or break the header, so they become `_` (the server does not use the name).
fn quoted(name: &str) -> String {
    name.chars().map(|c| if c == '"' || c == '\\' || c.is_control() { '_' } else { c }).collect()
}

/// A plugin id as one URL path segment: anything but unreserved characters percent-encoded, so
/// an id with `/` or `?` cannot reach another endpoint.
fn path_segment(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The start of a non-JSON answer, on one line.
fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_default_to_http_and_refuse_what_cannot_work() {
        assert_eq!(Client::new("127.0.0.1:8065/", "t").unwrap().url(), "http://127.0.0.1:8065");
        assert_eq!(Client::new("http://localhost:1", "t").unwrap().url(), "http://localhost:1");
        let e = Client::new("https://chat.example.com", "t").unwrap_err().to_string();
        assert!(e.contains("https://chat.example.com") && e.contains("no TLS"), "{e}");
        let e = Client::new("ftp://x", "t").unwrap_err().to_string();
        assert!(e.contains("http://"), "{e}");
        let e = Client::new("http://", "t").unwrap_err().to_string();
        assert!(e.contains("no host"), "{e}");
        assert_eq!(Client::new(" http://h:1// ", "t").unwrap().url(), "http://h:1");
    }

    #[test]
    fn the_token_is_not_in_debug_output() {
        let client = Client::new("http://127.0.0.1:1", "s3cret-token").unwrap();
        let debug = format!("{client:?}");
        assert!(debug.contains("127.0.0.1:1") && !debug.contains("s3cret"), "{debug}");
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(path_segment("com.example.x-1_2~"), "com.example.x-1_2~");
        assert_eq!(path_segment("a/b?c d"), "a%2Fb%3Fc%20d");
        assert_eq!(path_segment("é"), "%C3%A9");
    }

    #[test]
    fn the_form_puts_force_and_signature_before_the_bundle() {
        let (head, tail) = form_frame("B", "x\".tar.gz", Some(b"SIG"), true);
        let head = String::from_utf8(head).unwrap();
        let force = head.find("name=\"force\"").unwrap();
        let signature = head.find("name=\"signature\"").unwrap();
        let plugin = head.find("name=\"plugin\"; filename=\"x_.tar.gz\"").unwrap();
        assert!(force < signature && signature < plugin, "{head}");
        assert!(head.contains("\r\n\r\nSIG\r\n--B\r\n"), "{head}");
        assert!(head.ends_with("Content-Type: application/gzip\r\n\r\n"), "{head}");
        assert_eq!(tail, b"\r\n--B--\r\n");
        let (head, _) = form_frame("B", "x.tar.gz", None, false);
        assert!(String::from_utf8(head).unwrap().starts_with("--B\r\nContent-Disposition: form-data; name=\"plugin\""));
    }

    #[test]
    fn boundaries_differ() {
        assert_ne!(boundary(), boundary());
        assert_eq!(boundary().len(), "plugin-host-".len() + 32);
    }

    #[test]
    fn a_signature_larger_than_the_server_takes_is_refused_before_sending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sig");
        std::fs::write(&path, vec![0u8; MAX_SIGNATURE_BYTES + 1]).unwrap();
        let e = read_signature(&path).unwrap_err().to_string();
        assert!(e.contains("x.sig") && e.contains("larger than 65536 bytes"), "{e}");
        std::fs::write(&path, vec![0u8; MAX_SIGNATURE_BYTES]).unwrap();
        assert_eq!(read_signature(&path).unwrap().len(), MAX_SIGNATURE_BYTES);
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("<html>\n  <b>413</b>\n</html>\n"), "<html> <b>413</b> </html>");
        let long = "é".repeat(300);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 3);
    }
}
