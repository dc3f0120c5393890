use plugin_runtime::RpcError;
use std::rc::Rc;

#[plugin_macros::interface]
pub trait Store: Send + Sync {
    /// Wire id: 0
    fn share(&self, value: Rc<u32>, callback: &dyn Fn(u32)) -> Result<(), RpcError>;
}

fn main() {}
