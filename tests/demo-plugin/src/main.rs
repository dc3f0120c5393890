//! The demo plugin as a process: connects to the server that started it and serves its hooks.

fn main() {
    plugin_sdk::serve!(demo_plugin::DemoPlugin::new)
}
