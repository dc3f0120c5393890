//! The plugin: its state and its hooks. It is generic over the server's API, so its tests hand
//! it a `MockApi` and the server hands it the real one.

use plugin_sdk::prelude::*;

/// The plugin. Add its state here; hooks run on several threads at once, so shared state
/// needs a `Mutex` or an atomic.
pub struct Plugin<A> {
    api: A,
}

impl<A: Api> Plugin<A> {
    /// The plugin, talking to the server through `api`.
    pub fn new(api: A) -> Self {
        Plugin { api }
    }
}

/// `#[plugin_sdk::implemented]` tells the server which hooks this block defines, so it calls
/// only those; a hook not written here keeps its default and is never called.
#[plugin_sdk::implemented]
impl<A: Api> Hooks for Plugin<A> {
    fn on_activate(&self) -> Result<(), PluginError> {
        // Lands in the server's log, tagged with the plugin's id, with `version` as a field.
        log::info!(version = env!("CARGO_PKG_VERSION"); "activated");
        Ok(())
    }

    /// `GET /plugins/<id>/hello` greets the signed-in user by name; the server sets
    /// `Mattermost-User-Id` (never the client).
    fn serve_http(
        &self,
        _c: &Context,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, RpcError> {
        if request.uri().path() != "/hello" {
            return Ok(text(404, "not found\n".into()));
        }
        let Some(user_id) = request
            .headers()
            .get("Mattermost-User-Id")
            .and_then(|v| v.to_str().ok())
        else {
            return Ok(text(401, "sign in first\n".into()));
        };
        // `?` turns a failed lookup into this hook's error, which the server answers as a
        // failed request (502, with the error's text): never a greeting for nobody.
        let user = self.api.get_user(user_id)?;
        Ok(text(200, format!("Hello, {}!\n", user.username)))
    }
}

fn text(status: u16, body: String) -> http::Response<ByteStream> {
    http::Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(ByteStream::from(body))
        .expect("a status code and a static header are a valid response")
}

#[cfg(test)]
mod tests {
    use super::*;
    use plugin_sdk::mock::MockApi;

    fn get(path: &str, user: Option<&str>) -> http::Request<ByteStream> {
        let mut request = http::Request::get(path);
        if let Some(user) = user {
            request = request.header("Mattermost-User-Id", user);
        }
        request.body(ByteStream::empty()).unwrap()
    }

    fn answer(plugin: &Plugin<MockApi>, request: http::Request<ByteStream>) -> (u16, String) {
        let response = plugin.serve_http(&Context::default(), request).unwrap();
        let status = response.status().as_u16();
        (
            status,
            String::from_utf8(response.into_body().read_all().unwrap()).unwrap(),
        )
    }

    #[test]
    fn hello_greets_the_signed_in_user() {
        let mut api = MockApi::new();
        api.expect_get_user()
            .withf(|id| id == "u1")
            .times(1)
            .returning(|_| {
                Ok(User {
                    username: "alice".into(),
                    ..User::default()
                })
            });
        assert_eq!(
            answer(&Plugin::new(api), get("/hello", Some("u1"))),
            (200, "Hello, alice!\n".into())
        );
    }

    #[test]
    fn hello_without_a_user_asks_to_sign_in_and_calls_nothing() {
        // No expectations: any call to the API would fail the test, naming it.
        assert_eq!(
            answer(&Plugin::new(MockApi::new()), get("/hello", None)).0,
            401
        );
    }

    #[test]
    fn a_failed_lookup_fails_the_request() {
        let mut api = MockApi::new();
        api.expect_get_user().returning(|_| {
            Err(AppError::new(
                "app.user.missing_account.const",
                "get_user",
                "No such user.",
                404,
            ))
        });
        let err = Plugin::new(api)
            .serve_http(&Context::default(), get("/hello", Some("u2")))
            .unwrap_err();
        assert_eq!(err.to_string(), "get_user: No such user.");
    }
}
