//! A plugin's manifest: found in its directory, parsed from JSON or YAML, validated.
//!
//! Upstream: `FindManifest` and `Manifest.IsValid` in Mattermost's `model/manifest.go`. Unlike
//! upstream, validation reports every problem at once, and the file read is capped in size.

mod error;
mod parse;
mod path;
pub mod platform;
mod settings;
mod validate;

pub use error::{ManifestError, Problem};
pub use parse::parse;
pub use path::relative_path;
pub use validate::validate;

use api_definitions::model::Manifest;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Names looked for, in this order (upstream FindManifest order).
pub const MANIFEST_FILE_NAMES: [&str; 3] = ["plugin.yml", "plugin.yaml", "plugin.json"];

/// Largest manifest file read (1 MiB); bigger is an error, not an OOM. Real manifests are a few
/// kilobytes, even with long settings help texts.
pub const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// A manifest read from a plugin directory, and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedManifest {
    /// Full path of the file read.
    pub file: PathBuf,
    pub manifest: Manifest,
}

/// The first of [`MANIFEST_FILE_NAMES`] in `dir` that is a regular file (a directory or device of
/// that name is passed over). Symbolic links are followed, as upstream's `os.Open` does.
pub fn find(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    for name in MANIFEST_FILE_NAMES {
        let candidate = dir.join(name);
        match std::fs::metadata(&candidate) {
            Ok(meta) if meta.is_file() => return Ok(Some(candidate)),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // Upstream also stops on any error but "does not exist": a manifest that cannot be
            // looked at must not be silently skipped in favour of the next name.
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// find + read (size-capped) + parse + validate.
///
/// Like upstream's `FindManifest`, the id is lower-cased after parsing, so that the directory
/// and configuration named after it do not depend on the author's capitalisation.
pub fn load(dir: &Path) -> Result<LoadedManifest, ManifestError> {
    let file = match find(dir) {
        Ok(Some(file)) => file,
        Ok(None) => return Err(ManifestError::NotFound { dir: dir.to_owned() }),
        Err(source) => return Err(ManifestError::Io { path: dir.to_owned(), source }),
    };
    let text = read_capped(&file)?;
    let mut manifest = parse(&file, &text)?;
    manifest.id = manifest.id.to_lowercase();
    let problems = validate(&manifest);
    if problems.is_empty() {
        Ok(LoadedManifest { file, manifest })
    } else {
        Err(ManifestError::Invalid { file, problems })
    }
}

/// The file's text, refusing more than [`MAX_MANIFEST_BYTES`] and text that is not UTF-8.
fn read_capped(file: &Path) -> Result<String, ManifestError> {
    let io_error = |source| ManifestError::Io { path: file.to_owned(), source };
    let too_large = || ManifestError::TooLarge { path: file.to_owned(), limit: MAX_MANIFEST_BYTES };
    let opened = std::fs::File::open(file).map_err(io_error)?;
    if opened.metadata().map_err(io_error)?.len() > MAX_MANIFEST_BYTES {
        return Err(too_large());
    }
    // The size may change between the check and the read (or be misreported), so the read itself
    // stops one byte past the limit as well.
    let mut bytes = Vec::new();
    opened.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Characters, not bytes, before the bad byte on its line; the prefix is valid UTF-8.
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        ManifestError::Syntax {
            file: file.to_owned(),
            line,
            column,
            message: "the file is not UTF-8 text; save it as UTF-8".to_owned(),
        }
    })
}
