//! A plugin that forgot `#[plugin_sdk::implemented]`: it would claim every hook, so `serve!`
//! refuses it.

use plugin_sdk::prelude::*;

pub struct Forgetful<A> {
    api: A,
}

impl<A: Api> Forgetful<A> {
    pub fn new(api: A) -> Self {
        Forgetful { api }
    }
}

impl<A: Api> Hooks for Forgetful<A> {
    fn on_activate(&self) -> Result<(), PluginError> {
        self.api.log_info("activated", &[])?;
        Ok(())
    }
}

fn main() {
    plugin_sdk::serve!(Forgetful::new)
}
