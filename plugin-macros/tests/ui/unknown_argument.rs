use plugin_runtime::RpcError;

#[plugin_macros::interface(modul = store)]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn get(&self) -> Result<u32, RpcError>;
}

fn main() {}
