use plugin_runtime::RpcError;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    #[inline]
    fn get(&self) -> Result<u32, RpcError> {
        Ok(1)
    }

    /// Wire id: 1
    #[cfg_attr(unix, deprecated)]
    fn fetch(&self) -> Result<u32, RpcError>;
}

fn main() {}
