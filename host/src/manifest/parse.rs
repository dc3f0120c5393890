//! Turning a manifest's text into a [`Manifest`], JSON or YAML by file name, with errors that
//! point at a line and column and, for a wrong type, name the field.

use super::ManifestError;
use api_definitions::model::Manifest;
use serde::Deserialize;
use std::path::Path;

/// Parses by file name: `.json` with serde_json, `.yml`/`.yaml` with serde-saphyr. No validation.
pub fn parse(file: &Path, text: &str) -> Result<Manifest, ManifestError> {
    let extension = file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json") => parse_json(file, text),
        Some("yml" | "yaml") => parse_yaml(file, text),
        // Guessing would let a stray file be read in the wrong syntax; the three names `find`
        // looks for never get here.
        _ => Err(ManifestError::Syntax {
            file: file.to_owned(),
            line: 1,
            column: 1,
            message: "cannot tell JSON from YAML by this file name; name it plugin.json, plugin.yaml or plugin.yml"
                .to_owned(),
        }),
    }
}

fn parse_json(file: &Path, text: &str) -> Result<Manifest, ManifestError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let manifest = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        // Only a wrong value has a field worth naming; a syntax error lies between fields.
        let path = if e.inner().classify() == serde_json::error::Category::Data {
            e.path().to_string()
        } else {
            String::new()
        };
        json_error(file, &path, &e.into_inner())
    })?;
    // Trailing text after the object is an error too, as it is for `serde_json::from_str`.
    deserializer.end().map_err(|e| json_error(file, "", &e))?;
    Ok(manifest)
}

fn json_error(file: &Path, path: &str, error: &serde_json::Error) -> ManifestError {
    // serde_json's Display adds " at line L column C"; the position goes in its own fields.
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    ManifestError::Syntax {
        file: file.to_owned(),
        line: error.line().max(1),
        // serde_json counts columns from 1, but reports 0 right after a newline.
        column: error.column().max(1),
        message: with_field(path, message),
    }
}

fn parse_yaml(file: &Path, text: &str) -> Result<Manifest, ManifestError> {
    let mut options = serde_saphyr::Options::default();
    // The message is one line in our error; the source snippet would repeat the file's text.
    options.with_snippet = false;
    // Comments are not kept, so there is no point in the parser collecting them.
    options.emit_comments = false;
    // The default budget stays: it bounds aliases and nesting, the defence against YAML bombs.
    let mut failed_at = None;
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options, |deserializer| {
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(deserializer, &mut track);
        // The trait method, not the inherent one `remote = "Self"` generates: it keeps unknown fields.
        <Manifest as Deserialize>::deserialize(tracked).inspect_err(|_| failed_at = Some(track.path()))
    });
    result.map_err(|e| {
        // An unknown segment (`?`) means the parser failed between fields: a syntax error, for
        // which naming a field would mislead.
        let path = failed_at.map(|p| p.to_string()).filter(|p| !p.split('.').any(|s| s == "?")).unwrap_or_default();
        let e = e.without_snippet();
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        // serde-saphyr's Display adds " at line L, column C"; the position goes in its own fields.
        let text = e.to_string();
        let suffix = format!(" at line {line}, column {column}");
        let message = text.strip_suffix(&suffix).unwrap_or(&text);
        ManifestError::Syntax {
            file: file.to_owned(),
            line: usize::try_from(line).unwrap_or(usize::MAX).max(1),
            column: usize::try_from(column).unwrap_or(usize::MAX).max(1),
            message: with_field(&path, message),
        }
    })
}

/// `message` prefixed with the field it is about, when there is one (`.` is the whole document).
fn with_field(path: &str, message: &str) -> String {
    if path.is_empty() || path == "." {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    }
}
