//! A Mattermost-hooks plugin for the environment tests whose behaviour is read from the file
//! `behaviour` in its working directory (its plugin directory: the environment gives plugins an
//! empty environment, so a file is how a test tells it what to do). Words in the file:
//! - `rewrite:TEXT` / `reject:REASON` / `dismiss` / `hang-post`: what `message_will_be_posted`
//!   does (default: allow);
//! - `fail-activate`: `on_activate` returns an error;
//! - `exit-after-activate`: the process exits 100 ms after `on_activate`;
//! - `hang-deactivate`: `on_deactivate` never returns;
//! - `fork-helper`: `on_activate` starts `sleep 600` and writes its pid to `helper.pid`.
//!
//! Each activation appends a line to `activations`, so a test can count restarts.
//!
//! Its HTTP routes (`serve_http`), for the plugin-route tests and benchmark:
//! - `GET /hello`: `hello <user>`, the `Mattermost-User-Id` it was given or `anonymous`, and
//!   ` auth:<Authorization header>` if one reached it;
//! - `POST /count`: reads the body as it comes and answers its length and SHA-256;
//! - `POST /echo`: the body back (read whole first: a request body is read during the call);
//! - `GET /bytes?n=N`: N bytes of a fixed pattern, made as they are sent;
//! - `GET /panic`, `GET /exit`, `GET /sleep?s=N`: a panic, the process exiting, a slow answer;
//! - `GET /visits`: raises a counter in the host's KV store (compare-and-set) and answers it;
//! - `GET /whoami`: the plugin id and server version from the host API (and logs a line);
//! - `GET /user`: `get_user` on the host API, 501 with the error when the host lacks it.

use api_definitions::api::{self, Api};
use api_definitions::hooks::{self, Hooks, DISMISS_POST_ERROR};
use api_definitions::model::{AppError, Context, LogField, PluginError, Post, Verdict};
use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::{ByteStream, Connection, RpcError};
use std::io::Read;
use std::io::Write;
use std::time::Duration;

struct EnvPlugin {
    words: Vec<String>,
    api: api::rpc::Client<Connection>,
}

impl EnvPlugin {
    fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.words.iter().find_map(|w| w.strip_prefix(key)?.strip_prefix(':'))
    }
}

#[plugin_macros::implemented]
impl Hooks for EnvPlugin {
    fn on_activate(&self) -> Result<(), PluginError> {
        let mut log = std::fs::OpenOptions::new().create(true).append(true).open("activations").map_err(io)?;
        writeln!(log, "{}", std::process::id()).map_err(io)?;
        if self.has("fail-activate") {
            return Err(PluginError::Message("refusing to activate, as told".into()));
        }
        if self.has("fork-helper") {
            let helper = std::process::Command::new("sleep").arg("600").spawn().map_err(io)?;
            std::fs::write("helper.pid", helper.id().to_string()).map_err(io)?;
        }
        if self.has("exit-after-activate") {
            std::thread::spawn(|| {
                std::thread::sleep(Duration::from_millis(100));
                std::process::exit(3);
            });
        }
        Ok(())
    }

    fn on_deactivate(&self) -> Result<(), PluginError> {
        if self.has("hang-deactivate") {
            loop {
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        Ok(())
    }

    fn serve_http(
        &self,
        _c: &Context,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, RpcError> {
        let query = request.uri().query().unwrap_or_default().to_owned();
        let number = |key: &str| -> u64 {
            query.split('&').find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse().ok()).unwrap_or(0)
        };
        let text = |status: u16, body: String| {
            http::Response::builder().status(status).body(ByteStream::new(std::io::Cursor::new(body))).unwrap()
        };
        match request.uri().path() {
            "/hello" => {
                let user = request.headers().get("Mattermost-User-Id").and_then(|v| v.to_str().ok());
                let auth = request.headers().get("Authorization").and_then(|v| v.to_str().ok());
                let mut body = format!("hello {}", user.unwrap_or("anonymous"));
                if let Some(auth) = auth {
                    body.push_str(&format!(" auth:{auth}"));
                }
                Ok(text(200, body))
            }
            "/count" => {
                use sha2::Digest;
                let mut reader = request.into_body().into_reader();
                let (mut length, mut hash) = (0u64, sha2::Sha256::new());
                let mut buf = vec![0u8; 64 << 10];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            length += n as u64;
                            hash.update(&buf[..n]);
                        }
                        Err(e) => return Ok(text(400, format!("reading the body failed: {e}"))),
                    }
                }
                let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
                Ok(text(200, format!("{length} {hex}")))
            }
            "/echo" => {
                let body =
                    request.into_body().read_all().map_err(|e| RpcError::Disconnected { detail: e.to_string() })?;
                Ok(http::Response::new(ByteStream::new(std::io::Cursor::new(body))))
            }
            "/bytes" => {
                let n = number("n");
                Ok(http::Response::new(ByteStream::new(std::io::Read::take(std::io::repeat(b'x'), n))))
            }
            "/visits" => {
                // A counter in the host's KV store, raised with compare-and-set so concurrent
                // requests each count once.
                loop {
                    let old = self.api.kv_get("visits").map_err(app)?;
                    let count =
                        old.as_deref().map_or(0, |v| String::from_utf8_lossy(v).parse::<u64>().unwrap_or(0)) + 1;
                    let new = count.to_string().into_bytes();
                    if self.api.kv_compare_and_set("visits", old.as_deref().unwrap_or_default(), &new).map_err(app)? {
                        return Ok(text(200, count.to_string()));
                    }
                }
            }
            "/whoami" => {
                let id = self.api.get_plugin_id()?;
                let version = self.api.get_server_version()?;
                self.api.log_info("whoami asked", &[LogField::new("plugin", id.clone())])?;
                Ok(text(200, format!("{id} on {version}")))
            }
            "/user" => match self.api.get_user("user-1") {
                Ok(user) => Ok(text(200, user.username)),
                Err(e) => Ok(text(501, e.to_string())),
            },
            "/panic" => panic!("the plugin panicked, as asked"),
            "/exit" => std::process::exit(7),
            "/sleep" => {
                std::thread::sleep(Duration::from_secs(number("s")));
                Ok(text(200, "slept".into()))
            }
            other => Ok(text(404, format!("no route {other}"))),
        }
    }

    fn message_will_be_posted(&self, _c: &Context, post: &Post) -> Result<Verdict<Post>, RpcError> {
        if self.has("hang-post") {
            loop {
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        if self.has("dismiss") {
            return Ok(Verdict::Reject(DISMISS_POST_ERROR.into()));
        }
        if let Some(reason) = self.value("reject") {
            return Ok(Verdict::Reject(reason.into()));
        }
        if let Some(text) = self.value("rewrite") {
            return Ok(Verdict::Replace(Post { message: format!("{} {text}", post.message), ..post.clone() }));
        }
        Ok(Verdict::Allow)
    }
}

fn app(e: AppError) -> RpcError {
    RpcError::Protocol { detail: format!("the host API failed: {e}") }
}

fn io(e: std::io::Error) -> PluginError {
    PluginError::Message(e.to_string())
}

fn main() {
    let words =
        std::fs::read_to_string("behaviour").unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    plugin::run(PluginConfig::new("env-plugin", "a plugin for the environment tests"), move |host| {
        let api = api::rpc::Client::with_peer_methods(host.clone(), host.peer_methods());
        hooks::rpc::Dispatcher::declared(EnvPlugin { words, api })
    })
}
