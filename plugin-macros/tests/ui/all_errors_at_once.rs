use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn generic<T>(&self, value: T) -> Result<(), RpcError>;

    /// Wire id: 0
    fn borrowed(&self) -> Result<&[u8], RpcError>;

    fn no_id(&mut self) -> Result<(), RpcError>;
}

fn main() {}
