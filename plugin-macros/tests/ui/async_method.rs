use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    async fn get(&self, key: &str) -> Result<u32, RpcError>;
}

fn main() {}
