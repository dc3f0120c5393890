//! A minimal host process: starts the plugin executable given as its first argument, greets
//! it once, prints `plugin pid <pid>` and waits to be killed. The integration tests kill it
//! with SIGKILL to check that a plugin exits by itself when its host dies.

use std::process::Command;
use std::time::Duration;

use plugin_runtime::process::{HostConfig, PluginProcess};
use plugin_runtime::transport::NoService;
use pluginapi_tests::fixture::rpc::Client;
use pluginapi_tests::fixture::Greeter;

fn main() {
    let Some(plugin) = std::env::args().nth(1) else {
        eprintln!("usage: greeter_host <plugin executable>");
        std::process::exit(2);
    };
    let process =
        PluginProcess::spawn(Command::new(plugin), HostConfig::new("greeter"), |_| NoService).unwrap_or_else(|e| {
            eprintln!("greeter_host: {e}");
            std::process::exit(1)
        });
    let client = Client::with_peer_methods(process.connection().clone(), process.peer_methods());
    let greeting = client.greet("host").unwrap_or_else(|e| {
        eprintln!("greeter_host: greet failed: {e:?}");
        std::process::exit(1)
    });
    println!("{}", greeting.text);
    println!("plugin pid {}", process.pid());
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
