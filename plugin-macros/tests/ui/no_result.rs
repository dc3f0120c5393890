#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn get(&self, key: &str) -> u32;
}

fn main() {}
