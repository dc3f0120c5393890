//! Resumable upload sessions.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// What an upload is for. Upstream: `model.UploadType`, a string.
pub type UploadType = String;

/// An upload that becomes a file attachment.
pub const UPLOAD_TYPE_ATTACHMENT: &str = "attachment";
/// An upload of an import archive.
pub const UPLOAD_TYPE_IMPORT: &str = "import";

/// The state of a file upload that may arrive in several pieces. Upstream: `model.UploadSession`
/// (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct UploadSession {
    pub id: String,
    /// One of the `UPLOAD_TYPE_*` values.
    #[serde(rename = "type")]
    pub upload_type: UploadType,
    pub create_at: i64,
    /// The user uploading.
    pub user_id: String,
    /// The channel the file goes to (attachments only).
    pub channel_id: String,
    pub filename: String,
    /// Where the server stores the file. Hidden from JSON upstream but carried by its RPC, hence
    /// the Go name.
    #[serde(rename = "Path", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub path: String,
    /// The full size of the file, in bytes.
    pub file_size: i64,
    /// How many bytes have arrived so far; equal to `file_size` once the upload is complete.
    pub file_offset: i64,
    /// The remote cluster the upload is for, when it comes from a shared channel.
    pub remote_id: String,
    /// The file id the remote cluster asked for, when it comes from a shared channel.
    pub req_file_id: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(UploadSession);
