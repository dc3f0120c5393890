//! The reference host API behind a real server, called by real plugin processes (`env_plugin`'s
//! routes): each plugin's KV state is its own, survives a server restart, and stays right under
//! concurrent requests; a method the host lacks fails at once, naming it. Plugins' settings are
//! saved into the settings file and announced to every plugin; slash commands reach the plugin
//! that registered them, from outside and from another plugin; a trigger cannot be taken over.

mod server_support;

use server_support::{process_bundle, start, Client};

fn get(client: &Client, path: &str) -> (u16, String) {
    let mut response = Client::agent().get(format!("{}{path}", client.base)).call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// A POST to a plugin's route, without the admin token (the plugin's routes are its own).
fn post_plain(client: &Client, path: &str) -> (u16, String) {
    let mut response = Client::agent().post(format!("{}{path}", client.base)).send_empty().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

fn execute(client: &Client, command: &str, auth: &str) -> (u16, serde_json::Value) {
    Client::answer(
        Client::agent()
            .post(format!("{}/api/v4/commands/execute", client.base))
            .header("Authorization", auth)
            .send_json(serde_json::json!({"command": command, "channel_id": "c1"})),
    )
}

/// Installs `id`, gives it `behaviour` and enables it.
fn install(client: &Client, site: &std::path::Path, id: &str, behaviour: &str) -> (u16, serde_json::Value) {
    assert_eq!(client.upload(&process_bundle(id, "1.0.0"), false).0, 201);
    std::fs::write(site.join("plugins").join(id).join("behaviour"), behaviour).unwrap();
    client.post(&format!("/api/v4/plugins/{id}/enable"))
}

fn lines(path: std::path::PathBuf) -> usize {
    std::fs::read_to_string(path).map(|s| s.lines().count()).unwrap_or(0)
}

#[test]
fn settings_commands_and_events_go_through_the_host() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(install(&client, site.path(), "com.example.alpha", "command:alpha").0, 200);
    assert_eq!(install(&client, site.path(), "com.example.beta", "command:beta").0, 200);
    // A third plugin asking for a trigger a running plugin owns is refused, naming the owner.
    let (status, body) = install(&client, site.path(), "com.example.thief", "command:Alpha");
    assert_ne!(status, 200, "{body}");
    let (_, error) = client.status("com.example.thief");
    assert!(error.contains("`/alpha` is already registered for every team by plugin `com.example.alpha`"), "{error}");

    // Settings: saved into the settings file, read back, announced to every running plugin.
    assert_eq!(post_plain(&client, "/plugins/com.example.alpha/config?greeting=hi%20there"), (200, "saved".into()));
    assert_eq!(get(&client, "/plugins/com.example.alpha/config"), (200, r#"{"Greeting":"hi there"}"#.into()));
    assert_eq!(get(&client, "/plugins/com.example.beta/config"), (200, "{}".into()));
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(file["Plugins"]["com.example.alpha"]["Greeting"], "hi there");
    assert!(file["PluginStates"]["com.example.alpha"]["Enable"].as_bool().unwrap(), "{file}");
    let changes = |id: &str| lines(site.path().join("plugins").join(id).join("config-changes"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    // One at activation, one for the save.
    while (changes("com.example.alpha"), changes("com.example.beta")) != (2, 2) {
        let seen = (changes("com.example.alpha"), changes("com.example.beta"));
        assert!(std::time::Instant::now() < deadline, "on_configuration_change not seen by both plugins: {seen:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // Commands from outside: the owner answers, with its saved configuration.
    let (status, response) = execute(&client, "/ALPHA now", &client.auth);
    assert_eq!(status, 200, "{response}");
    assert_eq!(response["text"], "com.example.alpha ran /ALPHA now, greeting hi there");
    let (status, response) = execute(&client, "/nobody", &client.auth);
    assert_eq!((status, response["id"].as_str()), (404, Some("api.command.execute_command.not_found.app_error")));
    let (status, _) = execute(&client, "/alpha", "Bearer wrong");
    assert_eq!(status, 401);
    // ... and from another plugin, through the host.
    assert_eq!(
        post_plain(&client, "/plugins/com.example.alpha/run?cmd=/beta%20x"),
        (200, "com.example.beta ran /beta x, greeting none".into())
    );
    let (status, listed) = Client::answer(
        Client::agent().get(format!("{}/api/v4/commands", client.base)).header("Authorization", &client.auth).call(),
    );
    assert_eq!(status, 200);
    let triggers: Vec<&str> = listed.as_array().unwrap().iter().map(|c| c["trigger"].as_str().unwrap()).collect();
    assert_eq!(triggers, ["alpha", "beta"]);

    // A disabled plugin's command is not routed to it.
    assert_eq!(client.post("/api/v4/plugins/com.example.beta/disable").0, 200);
    let (status, response) = execute(&client, "/beta", &client.auth);
    assert_eq!(status, 404, "{response}");
    assert!(response["message"].as_str().unwrap().contains("not running"), "{response}");

    assert_eq!(post_plain(&client, "/plugins/com.example.alpha/event?name=hello"), (200, "published".into()));
    server.stop().unwrap();
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
    // `get_system_install_date` is not in the reference API: the plugin learnt that at the
    // handshake.
    let (status, text) = get(&client, "/plugins/com.example.two/install-date");
    assert_eq!(status, 501, "{text}");
    assert!(text.contains("get_system_install_date"), "{text}");
    // The admin token makes the request the admin user's, whom the server made at first start.
    let mut response = Client::agent()
        .get(format!("{}/plugins/com.example.two/user", client.base))
        .header("Authorization", &client.auth)
        .call()
        .unwrap();
    assert_eq!(response.body_mut().read_to_string().unwrap(), "admin");
    let (status, text) = get(&client, "/plugins/com.example.two/user");
    assert_eq!(status, 404, "an anonymous request has no user: {text}");
    server.stop().unwrap();

    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(get(&client, "/plugins/com.example.one/visits"), (200, "203".into()));
    assert_eq!(get(&client, "/plugins/com.example.two/visits"), (200, "2".into()));
    server.stop().unwrap();
}

fn get_json(client: &Client, path: &str) -> (u16, serde_json::Value) {
    Client::answer(Client::agent().get(format!("{}{path}", client.base)).header("Authorization", &client.auth).call())
}

fn create_post(client: &Client, channel_id: &str, message: &str, auth: &str) -> (u16, serde_json::Value) {
    Client::answer(
        Client::agent()
            .post(format!("{}/api/v4/posts", client.base))
            .header("Authorization", auth)
            .send_json(serde_json::json!({"channel_id": channel_id, "message": message})),
    )
}

/// The town square the server made at first start.
fn town_square(client: &Client) -> String {
    let (status, teams) = get_json(client, "/api/v4/teams");
    assert_eq!(status, 200, "{teams}");
    let team = teams[0]["id"].as_str().unwrap().to_owned();
    let (status, channels) = get_json(client, &format!("/api/v4/teams/{team}/channels"));
    assert_eq!((status, channels[0]["name"].as_str()), (200, Some("town-square")), "{channels}");
    channels[0]["id"].as_str().unwrap().to_owned()
}

#[test]
fn posts_go_through_every_plugins_hooks_and_stay() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    // In hook order (by id): a rewriter, a moderator, a plugin that only listens.
    assert_eq!(install(&client, site.path(), "com.example.a-rewrite", "rewrite:[checked]").0, 200);
    assert_eq!(install(&client, site.path(), "com.example.b-moderate", "reject-word:spam").0, 200);
    assert_eq!(install(&client, site.path(), "com.example.c-listen", "").0, 200);
    let channel = town_square(&client);

    let (status, post) = create_post(&client, &channel, "hello", &client.auth);
    assert_eq!(status, 201, "{post}");
    assert_eq!(post["message"], "hello [checked]");
    assert_eq!(post["id"].as_str().unwrap().len(), 26);
    let (status, error) = create_post(&client, &channel, "buy spam", &client.auth);
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["id"], "Post rejected by plugin. no spam here");
    assert!(error["message"].as_str().unwrap().contains("com.example.b-moderate"), "{error}");
    let (status, _) = create_post(&client, &channel, "hello", "Bearer wrong");
    assert_eq!(status, 401);
    // Every data endpoint needs the token: without it, 401 and nothing.
    for path in ["/api/v4/teams".to_owned(), format!("/api/v4/channels/{channel}/posts"), "/api/v4/commands".to_owned()]
    {
        let (status, body) = Client::answer(Client::agent().get(format!("{}{path}", client.base)).call());
        assert_eq!((status, body["id"].as_str()), (401, Some("api.context.admin_token.app_error")), "{path}");
    }
    // JSON is read whatever the content type (`curl -d` sends a form type); a wrong body is a
    // 400 naming the field.
    let send = |content_type: &str, body: &str| {
        Client::answer(
            Client::agent()
                .post(format!("{}/api/v4/posts", client.base))
                .header("Authorization", &client.auth)
                .header("Content-Type", content_type)
                .send(body),
        )
    };
    let body = format!(r#"{{"channel_id": "{channel}", "message": "as a form"}}"#);
    let (status, post) = send("application/x-www-form-urlencoded", &body);
    assert_eq!((status, post["message"].as_str()), (201, Some("as a form [checked]")), "{post}");
    let (status, error) = send("application/json", &format!(r#"{{"channel_id": "{channel}", "message": 5}}"#));
    assert_eq!((status, error["id"].as_str()), (400, Some("api.context.invalid_body_param.app_error")), "{error}");
    assert!(error["message"].as_str().unwrap().contains("message"), "{error}");
    let (status, error) = create_post(&client, "nochannelnochannelnochanne", "hello", &client.auth);
    assert_eq!((status, error["id"].as_str()), (404, Some("app.channel.get.existing.app_error")), "{error}");

    // A plugin posts through the API from inside its own HTTP hook; its post meets the same
    // chain, the poster's own hook included.
    let mut response = Client::agent()
        .post(format!("{}/plugins/com.example.c-listen/post?channel={channel}&msg=from%20a%20plugin", client.base))
        .header("Authorization", &client.auth)
        .send_empty()
        .unwrap();
    assert_eq!(response.body_mut().read_to_string().unwrap(), "from a plugin [checked]");

    // Every plugin hears of each saved post, after the save.
    let posted =
        |id: &str| std::fs::read_to_string(site.path().join("plugins").join(id).join("posted")).unwrap_or_default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    for id in ["com.example.a-rewrite", "com.example.b-moderate", "com.example.c-listen"] {
        while posted(id).lines().count() < 3 {
            assert!(std::time::Instant::now() < deadline, "{id} heard {:?}", posted(id));
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let mut heard: Vec<String> = posted(id).lines().map(str::to_owned).collect();
        heard.sort();
        assert_eq!(heard, ["as a form [checked]", "from a plugin [checked]", "hello [checked]"], "{id}");
    }
    server.stop().unwrap();

    // The posts are in the database, newest first, after a restart.
    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(town_square(&client), channel, "the first team and channel are made once");
    let (status, list) = get_json(&client, &format!("/api/v4/channels/{channel}/posts"));
    assert_eq!(status, 200, "{list}");
    let order: Vec<&str> = list["order"].as_array().unwrap().iter().map(|id| id.as_str().unwrap()).collect();
    let messages: Vec<&str> = order.iter().map(|id| list["posts"][id]["message"].as_str().unwrap()).collect();
    assert_eq!(messages, ["from a plugin [checked]", "as a form [checked]", "hello [checked]"]);
    server.stop().unwrap();
}

/// `update_channel` is upstream's `UpdateChannel`: the change goes through every plugin's
/// `channel_will_be_updated` before the save, so a plugin may rewrite it or refuse it.
#[test]
fn channel_updates_go_through_the_plugins_hooks() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(install(&client, site.path(), "com.example.a-rewrite", "rewrite:[checked]").0, 200);
    let channel = town_square(&client);
    let rename = |plugin: &str, name: &str| {
        post_plain(&client, &format!("/plugins/{plugin}/rename?channel={channel}&name={name}"))
    };

    // The plugin calling the API meets its own hook, like every other plugin's.
    assert_eq!(rename("com.example.a-rewrite", "Lobby"), (200, "Lobby [checked]".into()));
    assert_eq!(install(&client, site.path(), "com.example.b-refuse", "reject:frozen").0, 200);
    let (status, error) = rename("com.example.a-rewrite", "Hall");
    assert_eq!(status, 400, "{error}");
    assert!(error.starts_with("app.channel.update_channel.rejected_by_plugin: "), "{error}");
    assert!(error.contains("com.example.b-refuse") && error.contains("frozen"), "{error}");
    // The refused update saved nothing.
    let (_, teams) = get_json(&client, "/api/v4/teams");
    let (status, channels) = get_json(&client, &format!("/api/v4/teams/{}/channels", teams[0]["id"].as_str().unwrap()));
    assert_eq!((status, channels[0]["display_name"].as_str()), (200, Some("Lobby [checked]")), "{channels}");
    server.stop().unwrap();
}
