//! Plugins' HTTP routes on a real server with real plugin processes (`env_plugin`): a route is
//! 404 until its plugin runs and again after it stops; many requests at once are all answered;
//! the user header is the server's, never the client's; the admin token never reaches a
//! plugin; bodies stream both ways; a plugin that panics, hangs or dies is a 502 or 504 with a
//! JSON error naming it.

mod server_support;

use serde_json::{json, Value};
use server_support::{process_bundle, start, Client, ServeProcess};
use std::fs;
use std::io::Read;

const ID: &str = "com.example.routes";

/// (status, body) of a request to `path` with `headers`, and `body` for a POST.
fn request(client: &Client, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> (u16, String) {
    let url = format!("{}{path}", client.base);
    let agent = Client::agent();
    let result = match (method, body) {
        ("GET", _) => {
            let mut request = agent.get(&url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.call()
        }
        (_, body) => {
            let mut request = agent.post(&url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.send(body.unwrap_or_default())
        }
    };
    let mut response = result.unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().with_config().limit(64 << 20).read_to_string().unwrap())
}

fn get(client: &Client, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    request(client, "GET", path, headers, None)
}

fn error_id(body: &str) -> String {
    serde_json::from_str::<Value>(body).unwrap()["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_plugin_route_from_install_to_delete() {
    let site = tempfile::tempdir().unwrap();
    fs::write(site.path().join("settings.json"), json!({"PluginRequestTimeoutSeconds": 2}).to_string()).unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    let hello = format!("/plugins/{ID}/hello");

    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    let (status, body) = get(&client, &hello, &[]);
    assert_eq!((status, error_id(&body).as_str()), (404, "app.plugin.route_not_found.app_error"), "{body}");
    assert!(body.contains("is not running"), "{body}");

    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/enable")).0, 200);
    assert_eq!(get(&client, &hello, &[]), (200, "hello anonymous".into()));
    // The prefix goes; the plugin's own 404 passes through as it is.
    assert_eq!(get(&client, &format!("/plugins/{ID}/nothing?x=1"), &[]), (404, "no route /nothing".into()));
    assert_eq!(get(&client, &format!("/plugins/{ID}"), &[]), (404, "no route /".into()));
    assert_eq!(get(&client, &format!("/plugins/{ID}/"), &[]), (404, "no route /".into()));
    let (status, body) = get(&client, "/plugins/com.example.absent/hello", &[]);
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("com.example.absent"), "{body}");

    // Many requests at once: the calls one turn of the server's event loop starts go to the
    // plugin together (corked); every one is answered, none is left waiting for its deadline.
    std::thread::scope(|threads| {
        for _ in 0..16 {
            threads.spawn(|| {
                for _ in 0..50 {
                    assert_eq!(get(&client, &hello, &[]), (200, "hello anonymous".into()));
                }
            });
        }
    });

    // Bodies both ways, larger than any buffer on the way.
    let upload: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let (status, echoed) = {
        let url = format!("{}/plugins/{ID}/echo", client.base);
        let mut response = Client::agent().post(&url).send(&upload[..]).unwrap();
        let mut bytes = Vec::new();
        response.body_mut().as_reader().read_to_end(&mut bytes).unwrap();
        (response.status().as_u16(), bytes)
    };
    assert_eq!(status, 200);
    assert!(echoed == upload, "the echo differs: {} bytes back for {}", echoed.len(), upload.len());
    let (status, body) = get(&client, &format!("/plugins/{ID}/bytes?n=5000000"), &[]);
    assert_eq!((status, body.len()), (200, 5_000_000));

    // Failures are the gateway's: a panic is a 502, a slow answer a 504 (the timeout is 2 s).
    let (status, body) = get(&client, &format!("/plugins/{ID}/panic"), &[]);
    assert_eq!((status, error_id(&body).as_str()), (502, "app.plugin.serve_http.app_error"), "{body}");
    assert!(body.contains(ID) && body.contains("panicked"), "{body}");
    let (status, body) = get(&client, &format!("/plugins/{ID}/sleep?s=5"), &[]);
    assert_eq!((status, error_id(&body).as_str()), (504, "app.plugin.serve_http.timeout.app_error"), "{body}");
    // Still serving after both.
    assert_eq!(get(&client, &hello, &[]), (200, "hello anonymous".into()));

    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/disable")).0, 200);
    assert_eq!(get(&client, &hello, &[]).0, 404);
    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/enable")).0, 200);
    assert_eq!(get(&client, &hello, &[]).0, 200);
    let deleted = Client::answer(
        Client::agent()
            .delete(format!("{}/api/v4/plugins/{ID}", client.base))
            .header("Authorization", &client.auth)
            .call(),
    );
    assert_eq!(deleted.0, 200);
    assert_eq!(get(&client, &hello, &[]).0, 404);
    server.stop().unwrap();
}

#[test]
fn the_user_header_is_the_servers_and_the_admin_token_stays_with_it() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/enable")).0, 200);
    let hello = format!("/plugins/{ID}/hello");

    // A forged header, in any spelling, is removed.
    for name in ["Mattermost-User-Id", "mattermost-user-id", "MATTERMOST-USER-ID"] {
        assert_eq!(get(&client, &hello, &[(name, "someone-else")]), (200, "hello anonymous".into()), "{name}");
    }
    // The admin token signs in as the admin user (made by the server: an id of 26 characters),
    // and is not passed on.
    let (status, text) =
        get(&client, &hello, &[("Authorization", &client.auth), ("Mattermost-User-Id", "someone-else")]);
    let admin = text.strip_prefix("hello ").unwrap_or_default();
    assert_eq!((status, admin.len()), (200, 26), "{text}");
    assert!(admin.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{text}");
    // A wrong token is nobody, and (not being this server's) reaches the plugin unchanged.
    assert_eq!(
        get(&client, &hello, &[("Authorization", "Bearer not-the-token")]),
        (200, "hello anonymous auth:Bearer not-the-token".into())
    );
    server.stop().unwrap();
}

#[test]
fn a_plugin_that_dies_mid_request_is_a_502_and_comes_back() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/enable")).0, 200);

    let (status, body) = get(&client, &format!("/plugins/{ID}/exit"), &[]);
    assert_eq!((status, error_id(&body).as_str()), (502, "app.plugin.serve_http.app_error"), "{body}");
    assert!(body.contains(ID), "{body}");
    // The environment restarts it (the first restart comes at once).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while get(&client, &format!("/plugins/{ID}/hello"), &[]).0 != 200 {
        assert!(std::time::Instant::now() < deadline, "the plugin did not come back");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    server.stop().unwrap();
}

/// `plugin-host serve` started in its site directory with the default (relative) settings
/// file, as the README does: the plugins directory is relative to where the server started,
/// not to each plugin's own directory (which is where plugins run).
#[test]
fn a_server_started_with_relative_paths_starts_its_plugins() {
    let site = tempfile::tempdir().unwrap();
    // Started in the site, with no settings file: every path is the default, relative.
    let server = ServeProcess::start(site.path());
    let client = &server.client;
    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    let (status, body) = client.post(&format!("/api/v4/plugins/{ID}/enable"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(client, &format!("/plugins/{ID}/hello"), &[]), (200, "hello anonymous".into()));
    drop(server);
}
