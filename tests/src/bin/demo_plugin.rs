//! The demo plugin (`tests/demo-plugin`) built inside this package, so the browser tests find
//! its executable as `CARGO_BIN_EXE_demo_plugin` and bundle it with its manifest and web app.

fn main() {
    demo_plugin::serve_process()
}
