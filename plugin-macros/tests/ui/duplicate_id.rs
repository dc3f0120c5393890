use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn get(&self, key: &str) -> Result<u32, RpcError>;

    /// Wire id: 0
    fn put(&self, key: &str, value: u32) -> Result<(), RpcError>;
}

fn main() {}
