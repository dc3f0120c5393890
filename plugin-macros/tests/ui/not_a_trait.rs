#[plugin_macros::interface]
pub struct Store;

fn main() {}
