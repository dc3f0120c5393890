//! Two versions of one interface, as an older and a newer build of the definitions would have
//! them: v2 adds a method and two struct fields. Both keep the fields they do not know
//! ([`plugin_runtime::unknown`]), as `api-definitions`' model structs do, so a newer note passes
//! through an older build intact. Plugins built from each version
//! (`src/bin/notes_plugin_v1.rs`, `notes_plugin_v2.rs`) are run by hosts of the other version
//! in `tests/version_skew.rs`.

use plugin_runtime::RpcError;

/// The older definitions.
pub mod v1 {
    use super::RpcError;
    use plugin_runtime::unknown::UnknownFields;
    use serde::{Deserialize, Serialize};

    /// A note, as version 1 knows it.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(remote = "Self", default)]
    pub struct Note {
        pub id: String,
        pub text: String,
        #[serde(skip)]
        pub unknown_fields: UnknownFields,
    }
    plugin_runtime::keep_unknown_fields!(Note);

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
    use plugin_runtime::unknown::UnknownFields;
    use serde::{Deserialize, Serialize};

    /// A note, as version 2 knows it.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(remote = "Self", default)]
    pub struct Note {
        pub id: String,
        pub text: String,
        pub pinned: bool,
        pub tags: Vec<String>,
        #[serde(skip)]
        pub unknown_fields: UnknownFields,
    }
    plugin_runtime::keep_unknown_fields!(Note);

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
