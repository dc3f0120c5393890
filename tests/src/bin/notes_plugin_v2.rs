//! A plugin built against version 2 of the notes interface (see `pluginapi_tests::skew`).

use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::RpcError;
use pluginapi_tests::skew::v2::{notes_rpc, Note, Notes};

struct Signer;

impl Notes for Signer {
    fn sign(&self, note: &Note, by: &str) -> Result<Note, RpcError> {
        // Signing also tags the note (a v2 field), so a v1 host's copy carries a field it lacks.
        let mut tags = note.tags.clone();
        tags.push(format!("signed-by-{by}"));
        Ok(Note { text: format!("{} -- {by} (v2)", note.text), tags, ..note.clone() })
    }

    fn pin(&self, note: &Note) -> Result<Note, RpcError> {
        Ok(Note { pinned: true, ..note.clone() })
    }
}

fn main() {
    plugin::run(PluginConfig::new("notes-v2", "notes plugin, version 2"), |_| notes_rpc::Dispatcher::new(Signer))
}
