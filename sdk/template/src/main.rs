//! The plugin's executable: the server starts it, and `serve!` serves the hooks of
//! [`plugin::Plugin`] until the server stops it.

mod plugin;

fn main() {
    plugin_sdk::serve!(plugin::Plugin::new)
}
