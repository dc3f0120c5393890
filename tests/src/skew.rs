//! Two versions of one interface, as an older and a newer build of the definitions would have
//! them: v2 adds a method and two struct fields. Plugins built from each version
//! (`src/bin/notes_plugin_v1.rs`, `notes_plugin_v2.rs`) are run by hosts of the other version
//! in `tests/version_skew.rs`.

use plugin_runtime::RpcError;

/// The older definitions.
pub mod v1 {
    use super::RpcError;
    use serde::{Deserialize, Serialize};

    /// A note, as version 1 knows it.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct Note {
        pub id: String,
        pub text: String,
    }

    /// Version 1 of the notes interface.
    #[plugin_macros::interface]
    pub trait Notes: Send + Sync {
        /// Appends a signature to the note's text and returns it.
        ///
        /// Wire id: 0
        fn sign(&self, note: &Note, by: &str) -> Result<Note, RpcError>;
    }
}

/// The newer definitions: one more method, two more fields.
pub mod v2 {
    use super::RpcError;
    use serde::{Deserialize, Serialize};

    /// A note, as version 2 knows it.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct Note {
        pub id: String,
        pub text: String,
        pub pinned: bool,
        pub tags: Vec<String>,
    }

    /// Version 2 of the notes interface.
    #[plugin_macros::interface]
    pub trait Notes: Send + Sync {
        /// Appends a signature to the note's text and returns it.
        ///
        /// Wire id: 0
        fn sign(&self, note: &Note, by: &str) -> Result<Note, RpcError>;

        /// Pins a note (new in version 2).
        ///
        /// Wire id: 1
        fn pin(&self, note: &Note) -> Result<Note, RpcError>;
    }
}
