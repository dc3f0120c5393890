//! The demo host: starts the demo plugin as a process (`cargo xtask demo` builds both and runs
//! this), activates it, fires hooks at it, serves the API calls it makes back, and prints what
//! happened. The server side is a `MockApi` programmed with a couple of users: enough of a
//! server for the plugin's calls, which a real host would serve with its own `impl Api`.

use api_definitions::api::mock::MockApi;
use api_definitions::hooks::Hooks;
use api_definitions::host::ActivePlugin;
use api_definitions::model::{AppError, Context, FileInfo, Post, User, Verdict};
use plugin_runtime::process::HostConfig;
use plugin_runtime::{ByteStream, SharedBuffer};
use std::process::Command;
use std::time::Duration;

fn server() -> MockApi {
    let mut api = MockApi::new();
    api.expect_log_info().returning(|msg, fields| {
        println!("  [server log] {msg} {fields:?}");
        Ok(())
    });
    api.expect_get_user().returning(|id| match id {
        "u1" => Ok(User { id: "u1".into(), username: "alice".into(), ..User::default() }),
        other => Err(AppError::new("app.user.missing", "get_user", &format!("no user {other}"), 404)),
    });
    api
}

fn main() {
    let exe = std::env::current_exe().expect("own path");
    let plugin_exe = exe.with_file_name("demo-plugin");
    println!("host: starting {}", plugin_exe.display());
    let plugin = match ActivePlugin::start(Command::new(&plugin_exe), HostConfig::new("demo"), server()) {
        Ok(plugin) => plugin,
        Err(e) => {
            eprintln!("host: {e} (build it first: `cargo build -p demo-plugin`, or run `cargo xtask demo`)");
            std::process::exit(1);
        }
    };
    println!(
        "host: plugin {} active (pid {}), implements {:?}",
        plugin.process().id(),
        plugin.process().pid(),
        plugin.process().peer_methods()
    );
    let c = Context::default();

    for message in ["hello there", "this is forbidden", "darn it"] {
        let post = Post { message: message.into(), ..Post::default() };
        match plugin.hooks().message_will_be_posted(&c, &post) {
            Ok(Verdict::Allow) => println!("host: post {message:?} allowed"),
            Ok(Verdict::Replace(p)) => println!("host: post {message:?} modified to {:?}", p.message),
            Ok(Verdict::Reject(why)) => println!("host: post {message:?} rejected: {why}"),
            Err(e) => println!("host: post {message:?} not stored, the plugin failed: {e}"),
        }
    }

    let upload = SharedBuffer::new();
    let info = FileInfo { name: "notes.txt".into(), ..FileInfo::default() };
    let verdict =
        plugin.hooks().file_will_be_uploaded(&c, &info, ByteStream::from("streamed through the plugin"), upload.sink());
    println!(
        "host: upload filtered: {:?} -> {:?}",
        verdict.map(|v| matches!(v, Verdict::Replace(_))),
        String::from_utf8_lossy(&upload.contents())
    );

    for user in ["u1", "u9"] {
        let request =
            http::Request::get("/hello").header("Mattermost-User-Id", user).body(ByteStream::empty()).unwrap();
        match plugin.hooks().serve_http(&c, request) {
            Ok(response) => {
                let status = response.status();
                let body = response.into_body().read_all().unwrap_or_default();
                println!("host: GET /hello as {user}: {status} {:?}", String::from_utf8_lossy(&body));
            }
            Err(e) => println!("host: GET /hello as {user} failed: {e}"),
        }
    }

    match plugin.hooks().on_deactivate() {
        Err(e) if e.rpc_error().is_some_and(|r| r.is_not_implemented()) => {
            println!("host: on_deactivate is not implemented by the plugin (answered without a round trip)")
        }
        other => println!("host: on_deactivate: {other:?}"),
    }
    let status = plugin.stop(Duration::from_secs(5));
    println!("host: plugin stopped: {status:?}");
}
