//! An example plugin, written against the generated traits only: its logic is plain Rust over
//! `impl Api`, so its unit tests hand it a `MockApi` (upstream's example_hello_user_test, in
//! Rust), and the same code runs in a plugin process against the real server API.

use api_definitions::api::Api;
use api_definitions::hooks::Hooks;
use api_definitions::model::{Context, FileInfo, LogField, PluginError, Post, Verdict};
use plugin_runtime::{ByteSink, ByteStream, RpcError};
use std::io::{Read, Write};

/// The word that gets a post rejected.
pub const FORBIDDEN: &str = "forbidden";

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
}

fn text_response(status: u16, body: String) -> http::Response<ByteStream> {
    http::Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(ByteStream::from(body))
        .expect("static response parts are valid")
}

#[plugin_macros::implemented]
impl<A: Api> Hooks for DemoPlugin<A> {
    fn on_activate(&self) -> Result<(), PluginError> {
        self.api.log_info("demo plugin activated", &[LogField::new("plugin", "demo")])?;
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
        let io_error = |e: std::io::Error| RpcError::Disconnected { detail: format!("upload stream: {e}") };
        let mut buffer = vec![0u8; 64 * 1024];
        let mut size = 0i64;
        loop {
            let n = file.read(&mut buffer).map_err(io_error)?;
            if n == 0 {
                break;
            }
            buffer[..n].make_ascii_uppercase();
            output.write_all(&buffer[..n]).map_err(io_error)?;
            size += n as i64;
        }
        output.flush().map_err(io_error)?;
        Ok(Verdict::Replace(FileInfo { size, ..info.clone() }))
    }

    /// `GET /hello` greets the signed-in user by name. A failed user lookup is a 502, never a
    /// greeting for nobody: the API client fails closed, and so does the plugin. `GET /` says
    /// the plugin is there and who is asking, without the API.
    fn serve_http(
        &self,
        _c: &Context,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, RpcError> {
        if request.uri().path() == "/" {
            let user = request.headers().get("Mattermost-User-Id").and_then(|v| v.to_str().ok());
            return Ok(text_response(200, format!("demo plugin here; you are {}\n", user.unwrap_or("anonymous"))));
        }
        if request.uri().path() != "/hello" {
            return Ok(text_response(404, "not found".into()));
        }
        let Some(user_id) = request.headers().get("Mattermost-User-Id").and_then(|v| v.to_str().ok()) else {
            return Ok(text_response(401, "sign in first".into()));
        };
        match self.api.get_user(user_id) {
            Ok(user) => Ok(text_response(200, format!("Hello, {}!", user.username))),
            Err(e) => Ok(text_response(502, format!("cannot look up the user: {}", e.message))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_definitions::api::mock::MockApi;
    use api_definitions::model::{AppError, User};

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

    #[test]
    fn hello_greets_the_user_the_api_returns() {
        let mut api = MockApi::new();
        api.expect_get_user()
            .withf(|user_id| user_id == "user-1")
            .times(1)
            .returning(|_| Ok(User { id: "user-1".into(), username: "alice".into(), ..User::default() }));
        let plugin = DemoPlugin::new(api);
        let response = plugin.serve_http(&Context::default(), get("/hello", Some("user-1"))).unwrap();
        assert_eq!(body(response), (200, "Hello, alice!".into()));
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
        let out = plugin_runtime::SharedBuffer::new();
        let info = FileInfo { name: "notes.txt".into(), ..FileInfo::default() };
        let verdict = plugin
            .file_will_be_uploaded(&Context::default(), &info, ByteStream::from("quiet words"), out.sink())
            .unwrap();
        assert_eq!(out.contents(), b"QUIET WORDS");
        assert!(matches!(verdict, Verdict::Replace(FileInfo { size: 11, .. })));
    }

    #[test]
    fn activation_logs_through_the_api() {
        let mut api = MockApi::new();
        api.expect_log_info()
            .withf(|msg, fields| msg == "demo plugin activated" && fields.len() == 1)
            .times(1)
            .returning(|_, _| Ok(()));
        DemoPlugin::new(api).on_activate().unwrap();
    }

    #[test]
    fn the_implemented_set_is_known_at_compile_time() {
        use api_definitions::hooks::Hooks as H;
        use plugin_runtime::Implements;
        let names = <DemoPlugin<MockApi> as Implements<dyn H>>::METHODS;
        assert_eq!(names, ["on_activate", "message_will_be_posted", "file_will_be_uploaded", "serve_http"]);
    }
}
