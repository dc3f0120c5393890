//! The reference host API behind a real server, called by real plugin processes (`env_plugin`'s
//! routes): each plugin's KV state is its own, survives a server restart, and stays right under
//! concurrent requests; a method the host lacks fails at once, naming it.

mod server_support;

use server_support::{process_bundle, start, Client};

fn get(client: &Client, path: &str) -> (u16, String) {
    let mut response = Client::agent().get(format!("{}{path}", client.base)).call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

#[test]
fn kv_state_is_per_plugin_survives_a_restart_and_counts_every_concurrent_request() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    for id in ["com.example.one", "com.example.two"] {
        assert_eq!(client.upload(&process_bundle(id, "1.0.0"), false).0, 201);
        assert_eq!(client.post(&format!("/api/v4/plugins/{id}/enable")).0, 200);
    }
    assert_eq!(get(&client, "/plugins/com.example.one/visits"), (200, "1".into()));
    assert_eq!(get(&client, "/plugins/com.example.one/visits"), (200, "2".into()));
    // The other plugin's counter is its own.
    assert_eq!(get(&client, "/plugins/com.example.two/visits"), (200, "1".into()));

    // 8 clients at once, 25 requests each: compare-and-set counts every one exactly once.
    let seen: Vec<u64> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    (0..25)
                        .map(|_| get(&client, "/plugins/com.example.one/visits").1.parse::<u64>().unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, (3..=202).collect::<Vec<u64>>(), "each request got its own count");

    let (status, text) = get(&client, "/plugins/com.example.two/whoami");
    assert_eq!((status, text.as_str()), (200, "com.example.two on 11.0.0"));
    // `get_user` is not in the reference API: the plugin learnt that at the handshake.
    let (status, text) = get(&client, "/plugins/com.example.two/user");
    assert_eq!(status, 501, "{text}");
    assert!(text.contains("get_user"), "{text}");
    server.stop().unwrap();

    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(get(&client, "/plugins/com.example.one/visits"), (200, "203".into()));
    assert_eq!(get(&client, "/plugins/com.example.two/visits"), (200, "2".into()));
    server.stop().unwrap();
}
