//! A Mattermost-hooks plugin for the environment tests whose behaviour is read from the file
//! `behaviour` in its working directory (its plugin directory: the environment gives plugins an
//! empty environment, so a file is how a test tells it what to do). Words in the file:
//! - `rewrite:TEXT` / `reject:REASON` / `dismiss` / `hang-post`: what `message_will_be_posted`
//!   does (default: allow);
//! - `reject-word:WORD`: `message_will_be_posted` rejects posts containing WORD, allows others;
//! - the same `rewrite:TEXT` and `reject:REASON` drive the other "will be" hooks:
//!   `channel_will_be_updated` appends TEXT to the new channel's display name and sets its
//!   purpose to `was <the old channel's display name>`, `scheduled_post_will_be_created` and
//!   `draft_will_be_upserted` append TEXT to the message, and `reject:REASON` refuses in all of
//!   them and in `channel_will_be_restored`;
//! - `fail-activate`: `on_activate` returns an error;
//! - `exit-after-activate`: the process exits 100 ms after `on_activate`;
//! - `hang-deactivate`: `on_deactivate` never returns;
//! - `fork-helper`: `on_activate` starts `sleep 600` and writes its pid to `helper.pid`;
//! - `command:TRIGGER`: `on_activate` registers `/TRIGGER` (for every team); `execute_command`
//!   answers `<plugin id> ran <typed text>, greeting <its configuration's greeting>`.
//!
//! Each activation appends a line to `activations`, each `on_configuration_change` one to
//! `config-changes` and each `message_has_been_posted` the post's message to `posted`, so a
//! test can count them.
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
//! - `GET /user`: `get_user` of the `Mattermost-User-Id` it was given: the username, or the
//!   error with its status;
//! - `GET /install-date`: `get_system_install_date`, 501 with the error (the host lacks it);
//! - `GET /config`: `get_plugin_config` as JSON; `POST /config?greeting=G`: saves `{"Greeting": G}`;
//! - `POST /event?name=N`: publishes WebSocket event N with `{"from": <plugin id>}`;
//! - `GET /kvloop?threads=T&n=N`: T threads each `kv_set` then `kv_get` a 16-byte value N times
//!   on a key of its own; answers the (set, get) pairs per second (the bench's loop);
//! - `POST /post?channel=C&msg=M`: `create_post` in channel C as the request's user; answers the
//!   saved message, or the error with its status;
//! - `POST /rename?channel=C&name=N`: `update_channel` of channel C with display name N;
//!   answers the saved display name, or the error's id and text with its status;
//! - `POST /run?cmd=/T%20x`: runs a slash command through the host (`%20` is a space), any
//!   plugin's, and answers the response's text.

use api_definitions::api::{self, Api};
use api_definitions::hooks::{self, Hooks, DISMISS_POST_ERROR};
use api_definitions::model::{
    AppError, Channel, Command, CommandArgs, CommandResponse, Context, Draft, LogField, PluginError, Post,
    ScheduledPost, Verdict, WebsocketBroadcast,
};
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

    /// What the "will be" hooks other than `message_will_be_posted` answer: `reject:REASON`
    /// refuses, `rewrite:TEXT` replaces the value with `rewrite(value, TEXT)`, else allow.
    fn verdict<T: Clone>(&self, value: &T, rewrite: impl FnOnce(T, &str) -> T) -> Verdict<T> {
        if let Some(reason) = self.value("reject") {
            return Verdict::Reject(reason.into());
        }
        match self.value("rewrite") {
            Some(text) => Verdict::Replace(rewrite(value.clone(), text)),
            None => Verdict::Allow,
        }
    }
}

#[plugin_macros::implemented]
impl Hooks for EnvPlugin {
    fn on_activate(&self) -> Result<(), PluginError> {
        let mut log = std::fs::OpenOptions::new().create(true).append(true).open("activations").map_err(io)?;
        writeln!(log, "{}", std::process::id()).map_err(io)?;
        if let Some(trigger) = self.value("command") {
            let command = Command {
                trigger: trigger.to_owned(),
                auto_complete_desc: "a test command".into(),
                ..Default::default()
            };
            self.api.register_command(&command)?;
        }
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

    fn on_configuration_change(&self) -> Result<(), PluginError> {
        let mut log = std::fs::OpenOptions::new().create(true).append(true).open("config-changes").map_err(io)?;
        writeln!(log, "changed").map_err(io)
    }

    fn execute_command(&self, _c: &Context, args: &CommandArgs) -> Result<CommandResponse, AppError> {
        let id = self.api.get_plugin_id()?;
        let config = self
            .api
            .load_plugin_configuration()
            .map_err(|e| AppError::new("env_plugin", "execute_command", &e.to_string(), 500))?;
        let greeting = config.get("greeting").and_then(|g| g.as_str()).unwrap_or("none").to_owned();
        Ok(CommandResponse { text: format!("{id} ran {}, greeting {greeting}", args.command), ..Default::default() })
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
        let word = |key: &str| -> String {
            let value = query.split('&').find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')).unwrap_or_default();
            value.replace("%20", " ").replace("%2F", "/")
        };
        let number = |key: &str| -> u64 { word(key).parse().unwrap_or(0) };
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
            "/user" => {
                let id = request.headers().get("Mattermost-User-Id").and_then(|v| v.to_str().ok()).unwrap_or_default();
                match self.api.get_user(id) {
                    Ok(user) => Ok(text(200, user.username)),
                    Err(e) => Ok(text(e.status_code.try_into().unwrap_or(500), e.to_string())),
                }
            }
            "/install-date" => match self.api.get_system_install_date() {
                Ok(date) => Ok(text(200, date.to_string())),
                Err(e) => Ok(text(501, e.to_string())),
            },
            "/config" if request.method() == http::Method::POST => {
                let config = [("Greeting".to_owned(), serde_json::Value::String(word("greeting")))].into();
                match self.api.save_plugin_config(config) {
                    Ok(()) => Ok(text(200, "saved".into())),
                    Err(e) => Ok(text(500, e.to_string())),
                }
            }
            "/config" => Ok(text(200, serde_json::to_string(&self.api.get_plugin_config()?).unwrap())),
            "/event" => {
                let from = serde_json::Value::String(self.api.get_plugin_id()?);
                self.api.publish_web_socket_event(
                    &word("name"),
                    [("from".to_owned(), from)].into(),
                    &WebsocketBroadcast::default(),
                )?;
                Ok(text(200, "published".into()))
            }
            "/kvloop" => {
                let (threads, n) = (number("threads").max(1), number("n"));
                let started = std::time::Instant::now();
                let failures = std::thread::scope(|s| {
                    let workers: Vec<_> = (0..threads)
                        .map(|t| {
                            let api = &self.api;
                            s.spawn(move || -> Result<(), AppError> {
                                let key = format!("loop-{t}");
                                let value = [t as u8; 16];
                                for _ in 0..n {
                                    api.kv_set(&key, &value)?;
                                    if api.kv_get(&key)?.as_deref() != Some(&value[..]) {
                                        return Err(AppError::new(
                                            "env_plugin",
                                            "kvloop",
                                            "read back another value",
                                            500,
                                        ));
                                    }
                                }
                                Ok(())
                            })
                        })
                        .collect();
                    workers
                        .into_iter()
                        .filter_map(|w| w.join().unwrap().err())
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                });
                if let Some(failure) = failures.first() {
                    return Ok(text(500, failure.clone()));
                }
                let pairs = (threads * n) as f64;
                Ok(text(200, format!("{:.0}", pairs / started.elapsed().as_secs_f64())))
            }
            "/post" => {
                let user =
                    request.headers().get("Mattermost-User-Id").and_then(|v| v.to_str().ok()).unwrap_or_default();
                let post = Post {
                    channel_id: word("channel"),
                    message: word("msg"),
                    user_id: user.to_owned(),
                    ..Default::default()
                };
                match self.api.create_post(&post) {
                    Ok(saved) => Ok(text(200, saved.message)),
                    Err(e) => Ok(text(e.status_code.try_into().unwrap_or(500), e.to_string())),
                }
            }
            "/rename" => {
                let renamed = self
                    .api
                    .get_channel(&word("channel"))
                    .and_then(|channel| self.api.update_channel(&Channel { display_name: word("name"), ..channel }));
                match renamed {
                    Ok(saved) => Ok(text(200, saved.display_name)),
                    Err(e) => Ok(text(e.status_code.try_into().unwrap_or(500), format!("{}: {e}", e.id))),
                }
            }
            "/run" => {
                let args = CommandArgs { command: word("cmd"), user_id: "user-1".into(), ..Default::default() };
                match self.api.execute_slash_command(&args) {
                    Ok(response) => Ok(text(200, response.text)),
                    Err(e) => Ok(text(404, e.to_string())),
                }
            }
            "/panic" => panic!("the plugin panicked, as asked"),
            "/exit" => std::process::exit(7),
            "/sleep" => {
                std::thread::sleep(Duration::from_secs(number("s")));
                Ok(text(200, "slept".into()))
            }
            other => Ok(text(404, format!("no route {other}"))),
        }
    }

    fn message_has_been_posted(&self, _c: &Context, post: &Post) -> Result<(), RpcError> {
        append("posted", &post.message).map_err(|e| RpcError::Disconnected { detail: e.to_string() })
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
        if let Some(word) = self.value("reject-word") {
            if post.message.contains(word) {
                return Ok(Verdict::Reject(format!("no {word} here")));
            }
        }
        if let Some(reason) = self.value("reject") {
            return Ok(Verdict::Reject(reason.into()));
        }
        if let Some(text) = self.value("rewrite") {
            return Ok(Verdict::Replace(Post { message: format!("{} {text}", post.message), ..post.clone() }));
        }
        Ok(Verdict::Allow)
    }

    fn channel_will_be_updated(
        &self,
        _c: &Context,
        new: &Channel,
        old: &Channel,
    ) -> Result<Verdict<Channel>, RpcError> {
        Ok(self.verdict(new, |channel, text| Channel {
            display_name: format!("{} {text}", channel.display_name),
            purpose: format!("was {}", old.display_name),
            ..channel
        }))
    }

    fn channel_will_be_restored(&self, _c: &Context, _channel: &Channel) -> Result<Option<String>, RpcError> {
        Ok(self.value("reject").map(str::to_owned))
    }

    fn scheduled_post_will_be_created(
        &self,
        _c: &Context,
        scheduled_post: &ScheduledPost,
    ) -> Result<Verdict<ScheduledPost>, RpcError> {
        Ok(self.verdict(scheduled_post, |post, text| ScheduledPost {
            message: format!("{} {text}", post.message),
            ..post
        }))
    }

    fn draft_will_be_upserted(&self, _c: &Context, draft: &Draft) -> Result<Verdict<Draft>, RpcError> {
        Ok(self.verdict(draft, |draft, text| Draft { message: format!("{} {text}", draft.message), ..draft }))
    }
}

fn append(file: &str, line: &str) -> std::io::Result<()> {
    let mut out = std::fs::OpenOptions::new().create(true).append(true).open(file)?;
    writeln!(out, "{line}")
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
