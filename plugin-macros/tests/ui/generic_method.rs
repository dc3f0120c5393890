use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn put<T: serde::Serialize>(&self, value: T) -> Result<(), RpcError>;
}

fn main() {}
