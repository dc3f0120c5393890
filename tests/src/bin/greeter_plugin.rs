//! A plugin process serving the `Greeter` fixture over plugin-runtime's process transport, for
//! the integration tests and `cargo xtask bench`. Special names passed to `greet` make it
//! misbehave on purpose (panic, crash, hang, write garbage, flood its output, call the host
//! back), so the host side's handling of each can be tested against a real process.
//!
//! `GREETER_PLUGIN_MODE` picks a start-up behaviour: `silent` (never handshakes), `exit-early`
//! (exits before connecting), `no-farewell` (declares `farewell` unimplemented), or one of the
//! broken handshakes of [`bad_hello`] (`hello-garbage`, `hello-magic`, `hello-version`,
//! `hello-goodbye`, `hello-call`, `hello-truncated`), written by hand as a hostile peer would.
//! `GREETER_PLUGIN_MAX_FRAME` sets the largest frame it accepts.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::transport::frame::{Header, Kind};
use plugin_runtime::{ByteSink, ByteStream, Connection, RpcError};
use pluginapi_tests::fixture::rpc::{methods, Dispatcher, INTERFACE};
use pluginapi_tests::fixture::{GreetError, Greeter, Greeting};
use pluginapi_tests::fixture_host::rpc::Client as HostClient;
use pluginapi_tests::fixture_host::support::{Checksum, Pattern};
use pluginapi_tests::fixture_host::{HostApi, HostError};

struct TestGreeter {
    host: HostClient<Connection>,
    conn: Connection,
    cancellations: AtomicU64,
    /// `hang` calls begun, so a test can cancel one only once it is being served.
    hangs: AtomicU64,
    avatar: Mutex<Option<Vec<u8>>>,
}

/// Downloads whose generator is still alive: the transport drops one when its pump stops.
static LIVE_DOWNLOADS: AtomicU64 = AtomicU64::new(0);

/// A generated download, counted in [`LIVE_DOWNLOADS`] while it exists.
struct Download(Pattern);

impl Download {
    fn new(len: u64) -> Self {
        LIVE_DOWNLOADS.fetch_add(1, Ordering::SeqCst);
        Download(Pattern::new(len))
    }
}

impl Read for Download {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl Drop for Download {
    fn drop(&mut self) {
        LIVE_DOWNLOADS.fetch_sub(1, Ordering::SeqCst);
    }
}

fn refused(e: impl std::fmt::Display) -> GreetError {
    GreetError::Refused(e.to_string())
}

fn from_host(e: HostError) -> GreetError {
    match e {
        HostError::Rpc(e) => GreetError::Rpc(e),
        HostError::NotFound(key) => GreetError::Refused(format!("the host has no {key}")),
    }
}

fn text(text: impl Into<String>) -> Greeting {
    Greeting { text: text.into(), ..Greeting::default() }
}

impl TestGreeter {
    fn special(&self, name: &str) -> Option<Result<Greeting, GreetError>> {
        let (verb, arg) = name.split_once(':').unwrap_or((name, ""));
        let number = || arg.parse::<u64>().unwrap_or(0);
        Some(match verb {
            "panic" => panic!("the plugin was asked to panic"),
            "crash" => std::process::abort(),
            "hang" => {
                // Until the caller gives up (its CANCEL, or its deadline passing).
                self.hangs.fetch_add(1, Ordering::SeqCst);
                let start = Instant::now();
                while !plugin_runtime::is_cancelled() {
                    if start.elapsed() > Duration::from_secs(300) {
                        return Some(Err(refused("nobody cancelled the hang")));
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                self.cancellations.fetch_add(1, Ordering::SeqCst);
                Err(refused("cancelled"))
            }
            "cancellations" => Ok(text(self.cancellations.load(Ordering::SeqCst).to_string())),
            "hangs" => Ok(text(self.hangs.load(Ordering::SeqCst).to_string())),
            "downloads" => Ok(text(LIVE_DOWNLOADS.load(Ordering::SeqCst).to_string())),
            "sleep" => {
                std::thread::sleep(Duration::from_millis(number()));
                Ok(text("slept"))
            }
            "garbage" => {
                let written = self.conn.write_raw(b"\x00\x01 this is not a frame \xff\xfe\n");
                written.map(|()| text("wrote garbage")).map_err(GreetError::Rpc)
            }
            "oversize" => {
                let header = Header { kind: Kind::Data, flags: 0, len: 1 << 30, id: 1 }.encode();
                let written = self.conn.write_raw(&header);
                written.map(|()| text("wrote an oversize header")).map_err(GreetError::Rpc)
            }
            "stdout" => {
                println!("a stray println from the plugin");
                eprintln!("a stray eprintln from the plugin");
                Ok(text("printed"))
            }
            "flood" => {
                // Floods both output streams from other threads while calls go on.
                let lines = number();
                for stream in 0..2 {
                    std::thread::spawn(move || {
                        let line = format!(
                            "flood line {} padded to make it long ........................................",
                            "x".repeat(100)
                        );
                        for i in 0..lines {
                            let written = if stream == 0 {
                                writeln!(std::io::stderr().lock(), "{i} {line}")
                            } else {
                                writeln!(std::io::stdout().lock(), "{i} {line}")
                            };
                            if written.is_err() {
                                break;
                            }
                        }
                        let _ = writeln!(std::io::stderr().lock(), "flood done on stream {stream}");
                    });
                }
                Ok(text("flooding"))
            }
            "lookup" => self.host.lookup(arg).map(|v| text(format!("host says {v}"))).map_err(from_host),
            "nest" => {
                // Ping-pong: the host calls greet("nest:<n-1>") back while this call waits.
                let n = number();
                if n == 0 {
                    Ok(text("bottom"))
                } else {
                    let inner = self.host.greet_back(&format!("nest:{}", n - 1), n as u32);
                    inner.map(|inner| text(format!("p{n}({inner})"))).map_err(from_host)
                }
            }
            "host-calls" => {
                // Four threads call the host `n` times each, inside this call.
                let n = number();
                let ok = AtomicU64::new(0);
                std::thread::scope(|s| {
                    for _ in 0..4 {
                        s.spawn(|| {
                            for _ in 0..n {
                                if self.host.lookup("color").as_deref() == Ok("blue") {
                                    ok.fetch_add(1, Ordering::SeqCst);
                                }
                            }
                        });
                    }
                });
                Ok(text(ok.load(Ordering::SeqCst).to_string()))
            }
            "host-slow" => self.host.slow_echo("slow from plugin", number()).map(text).map_err(GreetError::Rpc),
            "upload" => self
                .host
                .upload("pattern", ByteStream::new(Pattern::new(number())))
                .map(|n| text(n.to_string()))
                .map_err(from_host),
            _ => return None,
        })
    }
}

impl Greeter for TestGreeter {
    fn greet(&self, name: &str) -> Result<Greeting, GreetError> {
        if let Some(result) = self.special(name) {
            return result;
        }
        Ok(Greeting { text: format!("hello {name}"), language: Some("en".into()), ..Greeting::default() })
    }

    fn greet_all(&self, names: &[String], template: Option<Greeting>, times: i64) -> Result<Vec<Greeting>, GreetError> {
        // Echoes the template `times` times, then greets the names (the bench's "post" call).
        let mut out: Vec<Greeting> = template.into_iter().cycle().take(times.max(0) as usize).collect();
        out.extend(names.iter().map(|n| text(format!("hello {n}"))));
        Ok(out)
    }

    fn swap_avatar(&self, _owner: &Greeting, image: &[u8]) -> Result<Option<Vec<u8>>, RpcError> {
        // Answers with the image's checksum (16 bytes), so a large image is checked, not echoed.
        *self.avatar.lock().unwrap() = Some(image[..image.len().min(16)].to_vec());
        Ok(Some(Checksum::of(image).to_bytes()))
    }

    fn fetch(&self, key: String) -> Result<(Vec<u8>, u32), RpcError> {
        let n: u64 = key.strip_prefix("big:").and_then(|n| n.parse().ok()).unwrap_or(16);
        let mut bytes = Vec::new();
        Pattern::new(n).read_to_end(&mut bytes).map_err(|e| RpcError::Protocol { detail: e.to_string() })?;
        let sum = Checksum::of(&bytes).hash() as u32;
        Ok((bytes, sum))
    }

    fn filter(&self, greeting: &Greeting, mut input: ByteStream, mut output: ByteSink) -> Result<u64, GreetError> {
        // "echo" copies the input to the output, "skip" returns without reading it; anything
        // else only reads it.
        if greeting.text == "skip" {
            return Ok(0);
        }
        let echo = greeting.text == "echo";
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = input.read(&mut buf).map_err(refused)?;
            if n == 0 {
                return Ok(total);
            }
            total += n as u64;
            if echo {
                output.write_all(&buf[..n]).map_err(refused)?;
            }
        }
    }

    fn serve(&self, request: http::Request<ByteStream>) -> Result<http::Response<ByteStream>, RpcError> {
        let path = request.uri().path().to_owned();
        let mut body = Vec::new();
        request.into_body().read_to_end(&mut body).map_err(|e| RpcError::Protocol { detail: e.to_string() })?;
        body.reverse();
        http::Response::builder()
            .status(201)
            .header("x-path", path)
            .body(ByteStream::from(body))
            .map_err(|e| RpcError::Protocol { detail: e.to_string() })
    }

    fn download(&self, path: &str) -> Result<ByteStream, GreetError> {
        match path.strip_prefix("gen:").and_then(|n| n.parse::<u64>().ok()) {
            Some(n) => Ok(ByteStream::new(Download::new(n))),
            None => Err(GreetError::Refused(format!("no such download: {path}"))),
        }
    }

    fn farewell(&self) -> Result<(), RpcError> {
        Ok(())
    }

    fn blob(&self) -> Result<Vec<u8>, GreetError> {
        Ok(vec![42; 1000])
    }
}

fn main() {
    let mode = std::env::var("GREETER_PLUGIN_MODE").unwrap_or_default();
    match mode.as_str() {
        "silent" => {
            std::thread::sleep(Duration::from_secs(600));
            return;
        }
        "exit-early" => std::process::exit(3),
        bad if bad.starts_with("hello-") => bad_hello(bad),
        _ => {}
    }
    let mut config = PluginConfig::new("greeter-plugin", "a test plugin serving the Greeter fixture");
    if let Some(limit) = std::env::var("GREETER_PLUGIN_MAX_FRAME").ok().and_then(|v| v.parse().ok()) {
        config.transport.max_frame = limit;
    }
    plugin::run(config, move |conn| {
        let host = HostClient::with_peer_methods(conn.clone(), conn.peer_methods());
        let greeter = TestGreeter {
            host,
            conn,
            cancellations: AtomicU64::new(0),
            hangs: AtomicU64::new(0),
            avatar: Mutex::new(None),
        };
        let implemented = if mode == "no-farewell" {
            INTERFACE.all_methods().ids().filter(|id| *id != methods::FAREWELL.id).collect()
        } else {
            INTERFACE.all_methods()
        };
        Dispatcher::with_implemented(greeter, implemented)
    })
}

/// Answers the host's HELLO with the broken one `mode` names, then waits to be killed (the
/// host must give up on its own, not because the plugin went away).
fn bad_hello(mode: &str) -> ! {
    /// The HELLO's fields as the wire carries them (a map with these names).
    #[derive(serde::Serialize)]
    struct Hello<'a> {
        magic: &'a str,
        versions: Vec<u32>,
        version: u32,
        max_frame: u32,
        window: u32,
        interface: &'a str,
        methods: Vec<u32>,
        pid: u32,
        name: &'a str,
    }
    let frame = |kind: Kind, body: &[u8]| {
        let mut out = Header { kind, flags: 0, len: body.len() as u32, id: 0 }.encode().to_vec();
        out.extend_from_slice(body);
        out
    };
    let hello = |magic: &str, version: u32| {
        let hello = Hello {
            magic,
            versions: Vec::new(),
            version,
            max_frame: 1 << 20,
            window: 1 << 20,
            interface: INTERFACE.name,
            methods: Vec::new(),
            pid: std::process::id(),
            name: "bad-hello",
        };
        frame(Kind::Hello, &plugin_runtime::codec::encode("HELLO", &hello).unwrap())
    };
    let bytes = match mode {
        "hello-garbage" => b"HTTP/1.1 200 OK\r\n\r\n".to_vec(),
        "hello-magic" => hello("some-other-protocol", 1),
        "hello-version" => hello(plugin_runtime::transport::HELLO_MAGIC, 99),
        "hello-goodbye" => frame(Kind::Goodbye, b"this plugin refuses to start"),
        "hello-call" => frame(Kind::Ping, b""),
        "hello-truncated" => hello(plugin_runtime::transport::HELLO_MAGIC, 1)[..20].to_vec(),
        other => panic!("unknown mode {other}"),
    };
    if let Some(file) = std::env::var_os("GREETER_PLUGIN_PID_FILE") {
        std::fs::write(file, std::process::id().to_string()).expect("the pid file is writable");
    }
    let (read, write) = plugin::inherited_fds().expect("started by the host");
    let mut write = std::fs::File::from(write);
    write.write_all(&bytes).expect("the host reads");
    // Keep both pipes open and the process alive: the host must end this on its own.
    let _keep = (read, write);
    loop {
        std::thread::sleep(Duration::from_secs(60));
    }
}
