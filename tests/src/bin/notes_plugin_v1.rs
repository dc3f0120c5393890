//! A plugin built against version 1 of the notes interface (see `pluginapi_tests::skew`).

use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::RpcError;
use pluginapi_tests::skew::v1::{notes_rpc, Note, Notes};

struct Signer;

impl Notes for Signer {
    fn sign(&self, note: &Note, by: &str) -> Result<Note, RpcError> {
        Ok(Note { text: format!("{} -- {by} (v1)", note.text), ..note.clone() })
    }
}

fn main() {
    plugin::run(PluginConfig::new("notes-v1", "notes plugin, version 1"), |_| notes_rpc::Dispatcher::new(Signer))
}
