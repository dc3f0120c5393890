use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Reads a value, but has no wire id.
    fn get(&self, key: &str) -> Result<u32, RpcError>;
}

fn main() {}
