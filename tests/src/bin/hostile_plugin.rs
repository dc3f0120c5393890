//! A plugin that misbehaves towards its host's process hygiene, for `tests/process_hygiene.rs`:
//! it serves the `Greeter` fixture, and special names passed to `greet` make it
//!
//! - `fork-and-exit`: fork a child that keeps the RPC pipes (fds 3 and 4) open and sleeps 60 s,
//!   then exit with status 3 without answering (the host sees no end of file);
//! - `exit:<code>`: exit with that status without answering;
//! - `hang`: never return (it ignores cancellation too); `hanging` counts the hangs in progress;
//! - `slow:<ms>`: answer after that long;
//! - `fds-again`: call `inherited_fds` a second time and answer with its error.
//!
//! `HOSTILE_PLUGIN_MODE=spawn-helper` makes it start `sleep 600` as a helper process once
//! connected, then serve normally. The pid of the forked child or of the helper is written to
//! the file `HOSTILE_PLUGIN_PID_FILE` names (written whole: to a temporary name, then renamed).

use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::{not_implemented, ByteSink, ByteStream, RpcError};
use pluginapi_tests::fixture::rpc::Dispatcher;
use pluginapi_tests::fixture::{GreetError, Greeter, Greeting};

/// Where the test reads the pid of the process it must see gone.
const PID_FILE_ENV: &str = "HOSTILE_PLUGIN_PID_FILE";

struct Hostile {
    hanging: AtomicU64,
}

fn text(text: impl Into<String>) -> Greeting {
    Greeting { text: text.into(), ..Greeting::default() }
}

fn report_pid(pid: u32) {
    let Some(path) = std::env::var_os(PID_FILE_ENV) else { return };
    let path = std::path::PathBuf::from(path);
    let partial = path.with_extension("partial");
    std::fs::write(&partial, pid.to_string()).expect("write the pid file");
    std::fs::rename(&partial, &path).expect("rename the pid file");
}

/// Forks a child that holds on to everything the plugin has open, fds 3 and 4 included, and
/// sleeps; then exits with status 3.
fn fork_and_exit() -> ! {
    // SAFETY: the child of a multi-threaded process may only make async-signal-safe calls:
    // it only sleeps and `_exit`s.
    let pid = unsafe { libc::fork() };
    match pid {
        0 => {
            // SAFETY: sleep and _exit are async-signal-safe.
            unsafe {
                libc::sleep(60);
                libc::_exit(0)
            }
        }
        pid if pid < 0 => {
            eprintln!("hostile plugin: fork failed: {}", std::io::Error::last_os_error());
            std::process::exit(4)
        }
        pid => {
            report_pid(pid as u32);
            std::process::exit(3)
        }
    }
}

impl Greeter for Hostile {
    fn greet(&self, name: &str) -> Result<Greeting, GreetError> {
        let (verb, arg) = name.split_once(':').unwrap_or((name, ""));
        match verb {
            "fork-and-exit" => fork_and_exit(),
            "exit" => std::process::exit(arg.parse().unwrap_or(1)),
            "hang" => {
                self.hanging.fetch_add(1, Ordering::SeqCst);
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
            "hanging" => Ok(text(self.hanging.load(Ordering::SeqCst).to_string())),
            "slow" => {
                std::thread::sleep(Duration::from_millis(arg.parse().unwrap_or(0)));
                Ok(text("slow but done"))
            }
            "fds-again" => match plugin::inherited_fds() {
                Ok(_) => Ok(text("took the descriptors twice")),
                Err(e) => Err(GreetError::Refused(e.to_string())),
            },
            _ => Ok(text(format!("hello {name}"))),
        }
    }

    fn greet_all(&self, _: &[String], _: Option<Greeting>, _: i64) -> Result<Vec<Greeting>, GreetError> {
        Err(not_implemented("greet_all"))
    }

    fn swap_avatar(&self, _: &Greeting, _: &[u8]) -> Result<Option<Vec<u8>>, RpcError> {
        Err(not_implemented("swap_avatar"))
    }

    fn fetch(&self, _: String) -> Result<(Vec<u8>, u32), RpcError> {
        Err(not_implemented("fetch"))
    }

    fn filter(&self, _: &Greeting, _: ByteStream, _: ByteSink) -> Result<u64, GreetError> {
        Err(not_implemented("filter"))
    }

    fn serve(&self, _: http::Request<ByteStream>) -> Result<http::Response<ByteStream>, RpcError> {
        Err(not_implemented("serve"))
    }

    fn download(&self, _: &str) -> Result<ByteStream, GreetError> {
        Err(not_implemented("download"))
    }

    fn blob(&self) -> Result<Vec<u8>, GreetError> {
        Err(not_implemented("blob"))
    }
}

fn main() {
    let mode = std::env::var("HOSTILE_PLUGIN_MODE").unwrap_or_default();
    plugin::run(PluginConfig::new("hostile-plugin", "a test plugin that misbehaves towards its host"), move |_| {
        if mode == "spawn-helper" {
            // Connected: the RPC descriptors are close-on-exec by now, so the helper does not
            // hold the pipes; it only outlives the plugin unless the host kills its group.
            let helper = Command::new("sleep").arg("600").spawn().expect("start the helper");
            report_pid(helper.id());
            // Dropping a `Child` neither waits for nor kills it: the helper runs on.
            drop(helper);
        }
        Dispatcher::new(Hostile { hanging: AtomicU64::new(0) })
    })
}
