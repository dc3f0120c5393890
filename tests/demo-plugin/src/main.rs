//! The demo plugin as a process: connects to the host that started it and serves its hooks,
//! calling the host's API through the generated client.

fn main() {
    demo_plugin::serve_process()
}
