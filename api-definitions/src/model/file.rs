//! Files: the metadata of an uploaded file, a named blob of file content, and the options for
//! listing file metadata.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// The metadata of an uploaded file. Upstream: `model.FileInfo` (all fields). The storage paths
/// and the extracted content are hidden from JSON upstream (clients never see them) but carried
/// by its RPC, so plugins get them; they keep their Go names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct FileInfo {
    pub id: String,
    /// The uploader.
    #[serde(rename = "user_id")]
    pub creator_id: String,
    /// The post the file is attached to; empty until it is attached.
    pub post_id: String,
    /// The channel of the post the file is attached to.
    pub channel_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// Where the file is in the file store.
    #[serde(rename = "Path", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub path: String,
    /// Where its thumbnail is in the file store; empty for files that are not images.
    #[serde(rename = "ThumbnailPath", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub thumbnail_path: String,
    /// Where its preview image is in the file store; empty for files that are not images.
    #[serde(rename = "PreviewPath", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub preview_path: String,
    /// The file name, with its extension.
    pub name: String,
    /// The extension, without the leading dot.
    pub extension: String,
    /// The size in bytes.
    pub size: i64,
    pub mime_type: String,
    /// Image width in pixels; 0 for files that are not images.
    pub width: i64,
    /// Image height in pixels; 0 for files that are not images.
    pub height: i64,
    pub has_preview_image: bool,
    /// A tiny preview of an image, shown while the real preview loads.
    #[serde(with = "plugin_runtime::codec::option_bytes")]
    pub mini_preview: Option<Vec<u8>>,
    /// The text extracted from the file for search, when the server extracted any.
    #[serde(rename = "Content", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub content: String,
    /// The remote cluster the file comes from, for files synced through shared channels.
    pub remote_id: Option<String>,
    /// True when the file's content was archived and can no longer be fetched.
    pub archived: bool,
    pub extra_info: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(FileInfo);

/// A file's name and content, e.g. one file a plugin adds to a support packet. Upstream:
/// `model.FileData` (all fields; no JSON tags upstream, so the names are the Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct FileData {
    #[serde(rename = "Filename")]
    pub filename: String,
    #[serde(rename = "Body", with = "plugin_runtime::codec::bytes")]
    pub body: Vec<u8>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(FileData);

/// What part of a file a download asks for: one of the `FILE_DOWNLOAD_TYPE_*` values. Upstream:
/// `model.FileDownloadType`.
pub type FileDownloadType = String;

/// The whole file.
pub const FILE_DOWNLOAD_TYPE_FILE: &str = "file";
/// The file's thumbnail image.
pub const FILE_DOWNLOAD_TYPE_THUMBNAIL: &str = "thumbnail";
/// The file's preview image.
pub const FILE_DOWNLOAD_TYPE_PREVIEW: &str = "preview";
/// The file through a public link, without a signed-in user.
pub const FILE_DOWNLOAD_TYPE_PUBLIC: &str = "public";

/// `GetFileInfosOptions::sort_by` value: by creation time (the default).
pub const FILEINFO_SORT_BY_CREATED: &str = "CreateAt";
/// `GetFileInfosOptions::sort_by` value: by size.
pub const FILEINFO_SORT_BY_SIZE: &str = "Size";

/// Filters and order for listing file infos. Upstream: `model.GetFileInfosOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct GetFileInfosOptions {
    /// Only files uploaded by these users.
    pub user_ids: Vec<String>,
    /// Only files posted in these channels.
    pub channel_ids: Vec<String>,
    /// Only files created at or after this time, in milliseconds.
    pub since: i64,
    pub include_deleted: bool,
    /// `CreateAt` (default) or `Size`.
    pub sort_by: String,
    pub sort_descending: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(GetFileInfosOptions);
