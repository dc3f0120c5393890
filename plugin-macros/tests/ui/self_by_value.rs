use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn close(self) -> Result<(), RpcError>;
}

fn main() {}
