//! A server killed with SIGKILL in the middle of writes loses nothing it acknowledged: posts
//! made through the REST API (through a plugin's hooks) and a plugin's KV counter, written by
//! several clients at once, are all there after a restart. And a server whose stdout was
//! closed keeps serving.

mod server_support;

use server_support::{process_bundle, Client, ServeProcess};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const ID: &str = "com.example.durable";

fn town_square(client: &Client) -> String {
    let get = |path: String| {
        Client::answer(
            Client::agent().get(format!("{}{path}", client.base)).header("Authorization", &client.auth).call(),
        )
    };
    let (_, teams) = get("/api/v4/teams".into());
    let (_, channels) = get(format!("/api/v4/teams/{}/channels", teams[0]["id"].as_str().unwrap()));
    channels[0]["id"].as_str().unwrap().to_owned()
}

#[test]
fn every_acknowledged_write_survives_a_sigkill() {
    let site = tempfile::tempdir().unwrap();
    let server = ServeProcess::start(site.path());
    let client = Client { base: server.client.base.clone(), auth: server.client.auth.clone() };
    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    std::fs::write(site.path().join("plugins").join(ID).join("behaviour"), "rewrite:[kept]").unwrap();
    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/enable")).0, 200);
    let channel = town_square(&client);

    // 4 clients post and 2 raise the plugin's KV counter until the server is killed; each
    // write the server answered is remembered.
    let acknowledged_posts = Mutex::new(Vec::<String>::new());
    let counts = Mutex::new(Vec::<u64>::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for worker in 0..4 {
            let (client, acknowledged_posts, stop, channel) = (&client, &acknowledged_posts, &stop, &channel);
            s.spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let answer = Client::agent()
                        .post(format!("{}/api/v4/posts", client.base))
                        .header("Authorization", &client.auth)
                        .send_json(serde_json::json!({"channel_id": channel, "message": format!("w{worker} n{i}")}));
                    match answer {
                        Ok(mut r) if r.status() == 201 => {
                            let post: serde_json::Value = r.body_mut().read_json().unwrap();
                            acknowledged_posts.lock().unwrap().push(post["id"].as_str().unwrap().to_owned());
                        }
                        _ => break, // the server is gone
                    }
                }
            });
        }
        for _ in 0..2 {
            let (client, counts, stop) = (&client, &counts, &stop);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match Client::agent().get(format!("{}/plugins/{ID}/visits", client.base)).call() {
                        Ok(mut r) if r.status() == 200 => {
                            let count = r.body_mut().read_to_string().unwrap().parse().unwrap();
                            counts.lock().unwrap().push(count);
                        }
                        _ => break,
                    }
                }
            });
        }
        std::thread::sleep(Duration::from_millis(1500));
        server.kill();
        stop.store(true, Ordering::Relaxed);
    });
    let acknowledged_posts = acknowledged_posts.into_inner().unwrap();
    let highest_count = counts.into_inner().unwrap().into_iter().max().unwrap_or(0);
    assert!(acknowledged_posts.len() > 20, "only {} posts were made before the kill", acknowledged_posts.len());
    assert!(highest_count > 10, "the counter only reached {highest_count}");

    let server = ServeProcess::start(site.path());
    let client = &server.client;
    let mut kept = std::collections::HashMap::new();
    for page in 0.. {
        let path = format!("/api/v4/channels/{channel}/posts?page={page}&per_page=200");
        let (status, list) = Client::answer(
            Client::agent().get(format!("{}{path}", client.base)).header("Authorization", &client.auth).call(),
        );
        assert_eq!(status, 200, "{list}");
        let order = list["order"].as_array().unwrap();
        for id in order {
            let id = id.as_str().unwrap();
            kept.insert(id.to_owned(), list["posts"][id]["message"].as_str().unwrap().to_owned());
        }
        if order.len() < 200 {
            break;
        }
    }
    for id in &acknowledged_posts {
        let message = kept.get(id).unwrap_or_else(|| panic!("acknowledged post {id} is gone"));
        assert!(message.ends_with(" [kept]"), "{message}");
    }
    // The counter is at least its highest acknowledged value (a write whose answer was lost in
    // the kill may be there too).
    let mut r = Client::agent().get(format!("{}/plugins/{ID}/visits", client.base)).call().unwrap();
    let next: u64 = r.body_mut().read_to_string().unwrap().parse().unwrap();
    assert!(next > highest_count, "the counter went back: {next} after {highest_count} was acknowledged");
}

#[test]
fn a_closed_stdout_does_not_stop_the_server() {
    let site = tempfile::tempdir().unwrap();
    let mut server = ServeProcess::start(site.path());
    server.close_stdout();
    std::thread::sleep(Duration::from_millis(300));
    let answer = Client::agent().get(format!("{}/api/v4/system/ping", server.client.base)).call();
    assert_eq!(answer.map(|r| r.status().as_u16()).ok(), Some(200));
    assert!(server.child.try_wait().unwrap().is_none(), "the server exited");
}
