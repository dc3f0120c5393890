use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn name(&self) -> Result<&str, RpcError>;
}

fn main() {}
