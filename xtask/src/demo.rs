//! `cargo xtask demo`: the demo plugin on a real server. Builds `plugin-host` and the demo
//! plugin, bundles the plugin, starts `plugin-host serve` in `target/demo/site` (kept between
//! runs, so the plugin's KV counters and the posts survive a restart), installs and enables the
//! plugin through the admin CLI, and prints what to try; the server runs until Ctrl-C.
//!
//! `--smoke` runs what it prints instead (a post rewritten, a post rejected, a greeting
//! counted, the slash command, then a restart that keeps the counters) and stops: the README's
//! demo is checked by CI this way.

use crate::http::request;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const ID: &str = "com.example.demo";

/// A running `plugin-host serve`.
struct Server {
    child: Child,
    addr: String,
    channel: Option<String>,
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(plugin_host: &Path, settings: &Path, listen: &str) -> Result<Server, String> {
        let mut child = Command::new(plugin_host)
            .arg("serve")
            .arg("--config")
            .arg(settings)
            .args(["--listen", listen])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", plugin_host.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let (mut first, mut second) = (String::new(), String::new());
        stdout.read_line(&mut first).map_err(|e| e.to_string())?;
        let Some(addr) = first.split("http://").nth(1).and_then(|rest| rest.split_whitespace().next()) else {
            let _ = child.wait();
            return Err(format!(
                "the server did not start (is {listen} in use? `--listen` picks another address): {first}"
            ));
        };
        stdout.read_line(&mut second).map_err(|e| e.to_string())?;
        let channel = second.split(" (").nth(1).and_then(|rest| rest.split(')').next()).map(str::to_owned);
        Ok(Server { child, addr: addr.to_owned(), channel, _stdout: stdout })
    }

    fn stop(mut self) {
        // SIGTERM: the server stops its plugins on the way out.
        // SAFETY: kill(2) takes plain integers; the child is not yet reaped, so its pid is
        // still ours.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

pub fn demo(root: &Path, target: &Path, smoke: bool, listen: Option<String>) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("demo: building plugin-host and the demo plugin ...");
    run(Command::new(&cargo).current_dir(root).args(["build", "--quiet", "-p", "plugin-host", "-p", "demo-plugin"]))?;
    let bin = target.join("debug");
    let plugin_host = bin.join("plugin-host");
    let work = target.join("demo");
    let site = work.join("site");
    std::fs::create_dir_all(&site).map_err(|e| format!("cannot create {}: {e}", site.display()))?;
    let bundle = work.join(format!("{ID}.tar.gz"));
    run(Command::new(&plugin_host)
        .arg("bundle")
        .arg(root.join("tests/demo-plugin"))
        .arg("--executable")
        .arg(bin.join("demo-plugin"))
        .arg("--output")
        .arg(&bundle)
        .stdout(Stdio::null()))?;
    let settings = site.join("plugin-settings.json");
    let listen = listen.unwrap_or_else(|| if smoke { "127.0.0.1:0" } else { "127.0.0.1:8065" }.to_owned());
    let server = Server::start(&plugin_host, &settings, &listen)?;
    let url = format!("http://{}", server.addr);
    let admin = |args: &[&str]| {
        run(Command::new(&plugin_host).arg("plugin").arg("--config").arg(&settings).args(args).args(["--url", &url]))
    };
    let added = admin(&["add", "--force", &bundle.to_string_lossy()]).and_then(|()| admin(&["enable", ID]));
    if let Err(e) = added {
        server.stop();
        return Err(e);
    }
    let channel = server.channel.clone().unwrap_or_else(|| "<channel id>".to_owned());
    let token_file = site.join("admin-token");
    if smoke {
        let checked = smoke_test(&server, &channel, &token_file);
        server.stop();
        let greetings = checked?;
        let server = Server::start(&plugin_host, &settings, &listen)?;
        let after = stats(&server, &token_file);
        server.stop();
        let after = after?;
        if !after.starts_with(&format!("greetings: {greetings},")) {
            return Err(format!("after a restart the plugin's counters are {after:?}, not {greetings} greetings"));
        }
        eprintln!("demo: smoke test passed; the counters survived a restart ({})", after.trim());
        return Ok(());
    }
    let token = format!("\"Authorization: Bearer $(cat {})\"", token_file.display());
    println!(
        "\nThe demo plugin runs on {url} (site: {site}). Try:\n\
         \n  curl -H {token} {url}/plugins/{ID}/hello          # greets you and counts it (KV store)\
         \n  curl -H {token} -d '{{\"channel_id\": \"{channel}\", \"message\": \"darn it\"}}' {url}/api/v4/posts   # rewritten to d**n\
         \n  curl -H {token} -d '{{\"channel_id\": \"{channel}\", \"message\": \"forbidden words\"}}' {url}/api/v4/posts   # rejected, 400\
         \n  curl -H {token} {url}/api/v4/channels/{channel}/posts   # what was kept\
         \n  curl -H {token} -d '{{\"command\": \"/demo\"}}' {url}/api/v4/commands/execute   # the plugin's slash command\
         \n  curl {url}/plugins/{ID}/stats                      # its counters; they survive a restart of this demo\
         \n  {ph} plugin --config {settings} status\
         \n\nIn a browser, {url}/ is the client, the town square (sign in with the token in {token_file}):\
         \n  the plugin's web app adds a \"Demo\" button that pings the plugin and shows the count the plugin\
         \n  publishes over the WebSocket; post \"darn it\" or \"forbidden\" there, or /demo.\
         \n  {url}/admin/plugins is the admin page: disable the plugin there and its button leaves the client.\
         \n\nCtrl-C stops the server.",
        site = site.display(),
        token_file = token_file.display(),
        ph = plugin_host.display(),
        settings = settings.display(),
    );
    let mut server = server;
    let status = server.child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server stopped: {status}"))
    }
}

fn token_header(token_file: &Path) -> Result<String, String> {
    let token = std::fs::read_to_string(token_file).map_err(|e| format!("{}: {e}", token_file.display()))?;
    Ok(format!("Bearer {}", token.trim()))
}

fn stats(server: &Server, token_file: &Path) -> Result<String, String> {
    let auth = token_header(token_file)?;
    match request(&server.addr, "GET", &format!("/plugins/{ID}/stats"), &[("Authorization", &auth)], "")? {
        (200, body) => Ok(body),
        (status, body) => Err(format!("/stats answered {status}: {body}")),
    }
}

/// What the printed commands do, checked; returns the greeting count reached.
fn smoke_test(server: &Server, channel: &str, token_file: &Path) -> Result<u64, String> {
    let auth = token_header(token_file)?;
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let expect = |what: &str, (status, body): (u16, String), want: u16, contains: &str| {
        if status == want && body.contains(contains) {
            eprintln!("demo: {what}: {status} {}", body.trim());
            Ok(body)
        } else {
            Err(format!("{what}: wanted {want} with {contains:?}, got {status} {body}"))
        }
    };
    let post = |message: &str| {
        let body = format!(r#"{{"channel_id": "{channel}", "message": "{message}"}}"#);
        request(&server.addr, "POST", "/api/v4/posts", &headers, &body)
    };
    expect("a post with darn", post("darn it")?, 201, "\"message\":\"d**n it\"")?;
    expect("a forbidden post", post("forbidden words")?, 400, "Post rejected by plugin.")?;
    let (status, page) = request(&server.addr, "GET", "/", &[], "")?;
    if status != 200 || !page.contains("/client/client.js") {
        return Err(format!("the client page: wanted 200 with its script, got {status} {page}"));
    }
    eprintln!("demo: the client page: {status}");
    let webapp = request(&server.addr, "GET", "/api/v4/plugins/webapp", &[], "")?;
    expect("the web app listed", webapp, 200, &format!("/static/plugins/{ID}/{ID}_"))?;
    expect("a ping", request(&server.addr, "POST", &format!("/plugins/{ID}/ping"), &[], "")?, 200, "pinged #")?;
    let hello = expect(
        "hello",
        request(&server.addr, "GET", &format!("/plugins/{ID}/hello"), &headers, "")?,
        200,
        "Hello, admin! (greeting #",
    )?;
    let greetings: u64 = hello
        .split('#')
        .nth(1)
        .and_then(|rest| rest.trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        .ok_or_else(|| format!("no greeting count in {hello:?}"))?;
    // `message_has_been_posted` runs after the answer: wait for the count to show.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = request(&server.addr, "POST", "/api/v4/commands/execute", &headers, r#"{"command": "/demo"}"#)?;
        if answer.0 == 200 && !answer.1.contains("posts seen: 0") {
            expect("/demo", answer, 200, &format!("greetings: {greetings}"))?;
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("/demo never counted the post: {} {}", answer.0, answer.1));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(greetings)
}

/// Where cargo builds (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"))
}
