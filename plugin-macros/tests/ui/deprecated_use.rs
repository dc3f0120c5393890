// A deprecated method warns where a user calls it (denied here, so the warning is an error
// that shows its place), and nowhere in the glue and mock generated for it.
#![deny(deprecated)]

use plugin_runtime::RpcError;

#[plugin_macros::interface(mocks = true)]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn get(&self) -> Result<u32, RpcError>;

    /// Wire id: 1
    #[deprecated(note = "use `get`")]
    fn fetch(&self) -> Result<u32, RpcError>;
}

fn main() {
    let client = store_rpc::Client::new(plugin_runtime::Loopback::new(plugin_runtime::transport::NoService));
    let _ = client.get();
    let _ = client.fetch();
}
