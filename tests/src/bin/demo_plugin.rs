//! The demo plugin (`tests/demo-plugin`) built inside this package, so the browser tests find
//! its executable as `CARGO_BIN_EXE_demo_plugin` and bundle it with its manifest and web app.
//! Its `main` is the demo's own, but named as the demo rather than as this package.

fn main() {
    let options =
        plugin_sdk::Options::new("demo-plugin", "the demo plugin (moderates posts, filters uploads, greets over HTTP)");
    plugin_sdk::serve_with(options, demo_plugin::DemoPlugin::new)
}
