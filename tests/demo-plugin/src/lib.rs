//! An example plugin, written on the plugin SDK (`plugin-sdk`, its one dependency): its logic is
//! plain Rust over `impl Api`, so its unit tests hand it a `MockApi` (upstream's
//! example_hello_user_test, in Rust), and the same code runs in a plugin process against the
//! real server API (`src/main.rs`: `plugin_sdk::serve!(DemoPlugin::new)`). It logs with `log`
//! and uses `?` on I/O and API errors inside hooks; the SDK carries both to the server.
//!
//! What it does: moderates posts (rejects "forbidden", tones down "darn"), counts the posts it
//! saw and the greetings it gave in the server's KV store (so the counts survive restarts),
//! shows them at `GET /stats` and through its `/demo` slash command, greets the signed-in user
//! at `GET /hello`, and upper-cases uploaded text files as they stream through.
//!
//! Its web app (`webapp/main.js`, plain JS loaded by the server's client page) adds a "Demo"
//! button to the channel header that calls `POST /ping`: the plugin counts the ping in the KV
//! store and publishes the count as its WebSocket event `pinged`, which the web app shows.

use plugin_sdk::prelude::*;
use plugin_sdk::serde_json;
use std::io::{Read, Write};

/// The word that gets a post rejected.
pub const FORBIDDEN: &str = "forbidden";

/// The KV keys of the counters.
pub const GREETINGS: &str = "greetings";
pub const POSTS_SEEN: &str = "posts_seen";
pub const PINGS: &str = "pings";

/// The WebSocket event `POST /ping` publishes (clients see `custom_com.example.demo_pinged`).
pub const PINGED: &str = "pinged";

/// The slash command the plugin registers.
pub const TRIGGER: &str = "demo";

/// The demo plugin: moderates posts, shouts uploaded text files, greets over HTTP.
pub struct DemoPlugin<A> {
    api: A,
}

impl<A: Api> DemoPlugin<A> {
    /// A plugin that talks to the server through `api`.
    pub fn new(api: A) -> Self {
        DemoPlugin { api }
    }

    /// The API the plugin uses.
    pub fn api(&self) -> &A {
        &self.api
    }

    /// Adds one to the counter at `key` and returns it. Compare-and-set, retried on a race: two
    /// plugin threads (or two servers on one database) never lose a count.
    pub fn bump(&self, key: &str) -> Result<u64, AppError> {
        loop {
            let old = self.api.kv_get(key)?;
            let next = old.as_deref().map_or(0, decode) + 1;
            // An empty old value means "only if the key is not there yet".
            if self.api.kv_compare_and_set(key, old.as_deref().unwrap_or_default(), next.to_string().as_bytes())? {
                return Ok(next);
            }
        }
    }

    /// The counter at `key` (0 when never counted).
    pub fn count(&self, key: &str) -> Result<u64, AppError> {
        Ok(self.api.kv_get(key)?.as_deref().map_or(0, decode))
    }

    /// Counts a ping and tells every client the count (the web app shows it).
    pub fn ping(&self) -> Result<u64, AppError> {
        let n = self.bump(PINGS)?;
        let data = [("count".to_owned(), serde_json::Value::from(n))].into();
        self.api.publish_web_socket_event(PINGED, data, &WebsocketBroadcast::default())?;
        Ok(n)
    }

    fn stats(&self) -> Result<String, AppError> {
        Ok(format!("greetings: {}, posts seen: {}", self.count(GREETINGS)?, self.count(POSTS_SEEN)?))
    }
}

fn decode(bytes: &[u8]) -> u64 {
    std::str::from_utf8(bytes).ok().and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn text_response(status: u16, body: String) -> http::Response<ByteStream> {
    http::Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(ByteStream::from(body))
        .expect("static response parts are valid")
}

#[plugin_sdk::implemented]
impl<A: Api> Hooks for DemoPlugin<A> {
    fn on_activate(&self) -> Result<(), PluginError> {
        log::info!(version = env!("CARGO_PKG_VERSION"), command = TRIGGER; "demo plugin activated");
        let command = Command {
            trigger: TRIGGER.to_owned(),
            auto_complete: true,
            auto_complete_desc: "what the demo plugin has counted".to_owned(),
            ..Command::default()
        };
        self.api.register_command(&command)
    }

    /// `/demo`: the counters, to the user who asked.
    fn execute_command(&self, _c: &Context, _args: &CommandArgs) -> Result<CommandResponse, AppError> {
        Ok(CommandResponse { text: format!("demo plugin: {}", self.stats()?), ..CommandResponse::default() })
    }

    /// Counts the posts that made it past every plugin.
    fn message_has_been_posted(&self, _c: &Context, _post: &Post) -> Result<(), RpcError> {
        self.bump(POSTS_SEEN)?;
        Ok(())
    }

    /// Rejects posts that contain [`FORBIDDEN`], tones down "darn", lets the rest through.
    fn message_will_be_posted(&self, _c: &Context, post: &Post) -> Result<Verdict<Post>, RpcError> {
        if post.message.to_lowercase().contains(FORBIDDEN) {
            return Ok(Verdict::Reject(format!("posts containing \"{FORBIDDEN}\" are not allowed")));
        }
        if post.message.contains("darn") {
            let mut post = post.clone();
            post.message = post.message.replace("darn", "d**n");
            return Ok(Verdict::Replace(post));
        }
        Ok(Verdict::Allow)
    }

    /// Upper-cases `.txt` uploads as they stream through, in 64 KiB chunks, so a large file
    /// never sits in memory; other files pass unchanged.
    fn file_will_be_uploaded(
        &self,
        _c: &Context,
        info: &FileInfo,
        mut file: ByteStream,
        mut output: ByteSink,
    ) -> Result<Verdict<FileInfo>, RpcError> {
        if !info.name.ends_with(".txt") {
            return Ok(Verdict::Allow);
        }
        let mut buffer = vec![0u8; 64 * 1024];
        let mut size = 0i64;
        loop {
            // A broken stream fails the hook with the I/O error's text (`RpcError::Failed`).
            let n = file.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            buffer[..n].make_ascii_uppercase();
            output.write_all(&buffer[..n])?;
            size += n as i64;
        }
        output.flush()?;
        log::debug!(file = info.name.as_str(), size; "upper-cased an upload");
        Ok(Verdict::Replace(FileInfo { size, ..info.clone() }))
    }

    /// `GET /hello` greets the signed-in user by name and counts the greeting. A failed user
    /// lookup is a 502, never a greeting for nobody: the API client fails closed, and so does
    /// the plugin. `GET /stats` shows the counters. `GET /` says the plugin is there and who is
    /// asking, without the API. `POST /ping` counts a ping and publishes the count (`pinged`);
    /// like `/stats` it needs no sign-in (the web app's button calls it).
    fn serve_http(
        &self,
        _c: &Context,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, RpcError> {
        if request.uri().path() == "/" {
            let user = request.headers().get("Mattermost-User-Id").and_then(|v| v.to_str().ok());
            return Ok(text_response(200, format!("demo plugin here; you are {}\n", user.unwrap_or("anonymous"))));
        }
        if request.uri().path() == "/stats" {
            return Ok(match self.stats() {
                Ok(stats) => text_response(200, format!("{stats}\n")),
                Err(e) => text_response(502, format!("cannot read the counters: {}", e.message)),
            });
        }
        if request.uri().path() == "/ping" {
            if request.method() != http::Method::POST {
                return Ok(text_response(405, "POST only".into()));
            }
            return Ok(match self.ping() {
                Ok(n) => text_response(200, format!("pinged #{n}\n")),
                Err(e) => text_response(502, format!("cannot count the ping: {}", e.message)),
            });
        }
        if request.uri().path() != "/hello" {
            return Ok(text_response(404, "not found".into()));
        }
        let Some(user_id) = request.headers().get("Mattermost-User-Id").and_then(|v| v.to_str().ok()) else {
            return Ok(text_response(401, "sign in first".into()));
        };
        let user = match self.api.get_user(user_id) {
            Ok(user) => user,
            Err(e) => return Ok(text_response(502, format!("cannot look up the user: {}", e.message))),
        };
        match self.bump(GREETINGS) {
            Ok(n) => Ok(text_response(200, format!("Hello, {}! (greeting #{n})", user.username))),
            Err(e) => Ok(text_response(502, format!("cannot count the greeting: {}", e.message))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plugin_sdk::mock::{MockApi, Sequence};

    fn get(path: &str, user: Option<&str>) -> http::Request<ByteStream> {
        let mut request = http::Request::builder().method("GET").uri(path);
        if let Some(user) = user {
            request = request.header("Mattermost-User-Id", user);
        }
        request.body(ByteStream::empty()).unwrap()
    }

    fn body(response: http::Response<ByteStream>) -> (u16, String) {
        let status = response.status().as_u16();
        (status, String::from_utf8(response.into_body().read_all().unwrap()).unwrap())
    }

    /// A `MockApi` whose KV store is a map, so the counters work as against a server.
    fn with_kv(mut api: MockApi) -> MockApi {
        let map = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::<String, Vec<u8>>::new()));
        let m = map.clone();
        api.expect_kv_get().returning(move |key| Ok(m.lock().unwrap().get(key).cloned()));
        api.expect_kv_compare_and_set().returning(move |key, old, new| {
            let mut map = map.lock().unwrap();
            let current = map.get(key).map(Vec::as_slice).unwrap_or_default();
            if current != old {
                return Ok(false);
            }
            map.insert(key.to_owned(), new.to_vec());
            Ok(true)
        });
        api
    }

    #[test]
    fn hello_greets_the_user_the_api_returns_and_counts() {
        let mut api = MockApi::new();
        api.expect_get_user()
            .withf(|user_id| user_id == "user-1")
            .times(2)
            .returning(|_| Ok(User { id: "user-1".into(), username: "alice".into(), ..User::default() }));
        let plugin = DemoPlugin::new(with_kv(api));
        let response = plugin.serve_http(&Context::default(), get("/hello", Some("user-1"))).unwrap();
        assert_eq!(body(response), (200, "Hello, alice! (greeting #1)".into()));
        let response = plugin.serve_http(&Context::default(), get("/hello", Some("user-1"))).unwrap();
        assert_eq!(body(response), (200, "Hello, alice! (greeting #2)".into()));
        plugin.message_has_been_posted(&Context::default(), &Post::default()).unwrap();
        let response = plugin.serve_http(&Context::default(), get("/stats", None)).unwrap();
        assert_eq!(body(response), (200, "greetings: 2, posts seen: 1\n".into()));
        let answer = plugin.execute_command(&Context::default(), &CommandArgs::default()).unwrap();
        assert_eq!(answer.text, "demo plugin: greetings: 2, posts seen: 1");
    }

    #[test]
    fn a_lost_race_is_retried_not_lost() {
        let mut api = MockApi::new();
        let mut seq = Sequence::new();
        api.expect_kv_get().times(1).in_sequence(&mut seq).returning(|_| Ok(Some(b"4".to_vec())));
        // Another thread got there first: the value moved on.
        api.expect_kv_compare_and_set().times(1).in_sequence(&mut seq).returning(|_, _, _| Ok(false));
        api.expect_kv_get().times(1).in_sequence(&mut seq).returning(|_| Ok(Some(b"5".to_vec())));
        api.expect_kv_compare_and_set()
            .withf(|key, old, new| key == GREETINGS && old == b"5" && new == b"6")
            .times(1)
            .in_sequence(&mut seq)
            .returning(|_, _, _| Ok(true));
        assert_eq!(DemoPlugin::new(api).bump(GREETINGS).unwrap(), 6);
    }

    #[test]
    fn a_ping_is_counted_and_published_to_everyone() {
        let mut api = with_kv(MockApi::new());
        api.expect_publish_web_socket_event()
            .withf(|event, data, broadcast| {
                event == PINGED
                    && data.get("count") == Some(&serde_json::json!(1))
                    && *broadcast == WebsocketBroadcast::default()
            })
            .times(1)
            .returning(|_, _, _| Ok(()));
        api.expect_publish_web_socket_event()
            .withf(|_, data, _| data.get("count") == Some(&serde_json::json!(2)))
            .times(1)
            .returning(|_, _, _| Ok(()));
        let plugin = DemoPlugin::new(api);
        let post = |path: &str| {
            let request = http::Request::builder().method("POST").uri(path).body(ByteStream::empty()).unwrap();
            body(plugin.serve_http(&Context::default(), request).unwrap())
        };
        assert_eq!(post("/ping"), (200, "pinged #1\n".into()));
        assert_eq!(post("/ping"), (200, "pinged #2\n".into()));
        assert_eq!(body(plugin.serve_http(&Context::default(), get("/ping", None)).unwrap()).0, 405);
    }

    #[test]
    fn the_root_answers_without_the_api() {
        let plugin = DemoPlugin::new(MockApi::new());
        let response = plugin.serve_http(&Context::default(), get("/", Some("user-1"))).unwrap();
        assert_eq!(body(response), (200, "demo plugin here; you are user-1\n".into()));
    }

    #[test]
    fn hello_without_a_user_makes_no_api_call() {
        // No expectations: any API call would panic with its method name and arguments.
        let plugin = DemoPlugin::new(MockApi::new());
        let response = plugin.serve_http(&Context::default(), get("/hello", None)).unwrap();
        assert_eq!(body(response).0, 401);
    }

    #[test]
    #[should_panic(expected = "MockApi::get_user(\"user-1\"): No matching expectation found")]
    fn an_unexpected_call_fails_the_test_naming_method_and_arguments() {
        let plugin = DemoPlugin::new(MockApi::new());
        let _ = plugin.serve_http(&Context::default(), get("/hello", Some("user-1")));
    }

    #[test]
    fn a_failed_lookup_is_an_error_page_not_a_greeting() {
        let mut api = MockApi::new();
        api.expect_get_user()
            .returning(|_| Err(AppError::from(RpcError::Disconnected { detail: "server went away".into() })));
        let plugin = DemoPlugin::new(api);
        let (status, text) = body(plugin.serve_http(&Context::default(), get("/hello", Some("u"))).unwrap());
        assert_eq!(status, 502);
        assert!(!text.contains("Hello"), "{text}");
    }

    #[test]
    fn posts_are_rejected_rewritten_or_allowed() {
        let plugin = DemoPlugin::new(MockApi::new());
        let post = |m: &str| Post { message: m.into(), ..Post::default() };
        let c = Context::default();
        assert!(matches!(plugin.message_will_be_posted(&c, &post("this is Forbidden")), Ok(Verdict::Reject(_))));
        match plugin.message_will_be_posted(&c, &post("darn it")) {
            Ok(Verdict::Replace(p)) => assert_eq!(p.message, "d**n it"),
            other => panic!("expected a replacement, got {other:?}"),
        }
        assert!(matches!(plugin.message_will_be_posted(&c, &post("hello")), Ok(Verdict::Allow)));
    }

    #[test]
    fn text_uploads_are_filtered_as_a_stream() {
        let plugin = DemoPlugin::new(MockApi::new());
        let out = plugin_sdk::runtime::SharedBuffer::new();
        let info = FileInfo { name: "notes.txt".into(), ..FileInfo::default() };
        let verdict = plugin
            .file_will_be_uploaded(&Context::default(), &info, ByteStream::from("quiet words"), out.sink())
            .unwrap();
        assert_eq!(out.contents(), b"QUIET WORDS");
        assert!(matches!(verdict, Verdict::Replace(FileInfo { size: 11, .. })));
    }

    /// A stream that fails part-way, as an upload cut off by the client.
    struct Broken(bool);

    impl Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if std::mem::replace(&mut self.0, true) {
                return Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "upload cut off"));
            }
            buf[..4].copy_from_slice(b"some");
            Ok(4)
        }
    }

    #[test]
    fn a_broken_upload_fails_the_hook_with_the_io_error_not_a_lost_connection() {
        let plugin = DemoPlugin::new(MockApi::new());
        let info = FileInfo { name: "notes.txt".into(), ..FileInfo::default() };
        let out = plugin_sdk::runtime::SharedBuffer::new();
        let err = plugin
            .file_will_be_uploaded(&Context::default(), &info, ByteStream::new(Broken(false)), out.sink())
            .unwrap_err();
        assert_eq!(err, RpcError::Failed { message: "upload cut off".into() });
    }

    #[test]
    fn a_failed_count_fails_the_hook_with_the_servers_error() {
        let mut api = MockApi::new();
        api.expect_kv_get().returning(|_| Err(AppError::new("app.plugin.kv", "kv_get", "The store is down.", 500)));
        let err = DemoPlugin::new(api).message_has_been_posted(&Context::default(), &Post::default()).unwrap_err();
        assert_eq!(err, RpcError::Failed { message: "kv_get: The store is down.".into() });
    }

    #[test]
    fn activation_registers_the_command() {
        // The activation log line goes through `log` (to the server in a plugin process, see
        // `tests/across_the_pipe.rs`), not through this API.
        let mut api = MockApi::new();
        api.expect_register_command().withf(|c| c.trigger == TRIGGER).times(1).returning(|_| Ok(()));
        DemoPlugin::new(api).on_activate().unwrap();
    }

    #[test]
    fn the_implemented_set_is_known_at_compile_time() {
        use plugin_sdk::hooks::Hooks as H;
        use plugin_sdk::runtime::Implements;
        let names = <DemoPlugin<MockApi> as Implements<dyn H>>::METHODS;
        assert_eq!(
            names,
            [
                "on_activate",
                "execute_command",
                "message_has_been_posted",
                "message_will_be_posted",
                "file_will_be_uploaded",
                "serve_http"
            ]
        );
    }
}
