use plugin_runtime::RpcError;

#[plugin_macros::interface(require_min_version = true)]
pub trait Store: Send + Sync {
    /// Reads a value.
    ///
    /// Wire id: 0
    fn get(&self, key: &str) -> Result<u32, RpcError>;
}

fn main() {}
