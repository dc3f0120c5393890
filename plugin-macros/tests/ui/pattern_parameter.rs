use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn put(&self, (key, value): (String, u32), _: bool) -> Result<(), RpcError>;
}

fn main() {}
