//! The demo plugin as a process: connects to the host that started it and serves its hooks,
//! calling the host's API through the generated client.

use api_definitions::{api, hooks};
use demo_plugin::DemoPlugin;
use plugin_runtime::process::plugin::{self, PluginConfig};

fn main() {
    let config =
        PluginConfig::new("demo-plugin", "the demo plugin (moderates posts, filters uploads, greets over HTTP)");
    plugin::run(config, |host| {
        let api = api::rpc::Client::with_peer_methods(host.clone(), host.peer_methods());
        hooks::rpc::Dispatcher::declared(DemoPlugin::new(api))
    })
}
