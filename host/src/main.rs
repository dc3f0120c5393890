//! The `plugin-host` command line.
fn main() {}
