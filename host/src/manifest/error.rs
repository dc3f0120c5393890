//! What can go wrong finding, reading, parsing and validating a manifest, worded for the plugin's
//! author.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a manifest: the field path in JSON names (`id`,
/// `settings_schema.settings[2].type`, `server.executables.linux-amd64`) and what is wrong with
/// the fix in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a plugin's manifest could not be loaded.
#[derive(Debug)]
pub enum ManifestError {
    /// The directory has none of [`super::MANIFEST_FILE_NAMES`] as a regular file.
    NotFound { dir: PathBuf },
    /// The file system refused (other than "not found" while looking).
    Io { path: PathBuf, source: std::io::Error },
    /// The file is bigger than [`super::MAX_MANIFEST_BYTES`].
    TooLarge { path: PathBuf, limit: u64 },
    /// The text is not valid JSON / YAML, or a value has the wrong type. `line` and `column` are
    /// 1-based; a type error's message starts with the field path when it is known.
    Syntax { file: PathBuf, line: usize, column: usize, message: String },
    /// The manifest parsed but breaks rules: every problem, in field order.
    Invalid { file: PathBuf, problems: Vec<Problem> },
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManifestError::NotFound { dir } => write!(
                f,
                "no plugin manifest in {}: add one of {}",
                dir.display(),
                super::MANIFEST_FILE_NAMES.join(", ")
            ),
            ManifestError::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            ManifestError::TooLarge { path, limit } => write!(
                f,
                "{} is larger than {limit} bytes, the most a manifest may be; move large data out of it",
                path.display()
            ),
            ManifestError::Syntax { file, line, column, message } => {
                write!(f, "{}:{line}:{column}: {message}", file.display())
            }
            ManifestError::Invalid { file, problems } => {
                let noun = if problems.len() == 1 { "problem" } else { "problems" };
                write!(f, "{}: {} {noun} in the manifest:", file.display(), problems.len())?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ManifestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ManifestError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
