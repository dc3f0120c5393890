//! `plugin-host new <id>`: a new plugin directory that builds, tests and bundles as it is,
//! written from the SDK's template (`sdk/template/`): a `Cargo.toml` with `plugin-sdk` as its
//! one dependency, a manifest, a `main` of one call, a hook with unit tests against a `MockApi`
//! and a test of the executable across a pipe, and a README with the bundle command.
//!
//! The template's Rust files are real Rust with no placeholders (a plugin names its own crate
//! nowhere); only `Cargo.toml`, `plugin.json` and the README take the id, the package name and
//! the SDK's path. The directory appears whole or not at all: the files are written into a
//! staging directory beside it, which is then renamed into place.

use crate::manifest;
use api_definitions::model::Manifest;
use std::fs;
use std::path::{Path, PathBuf};

/// The template's files: path in the new plugin, contents (with `{{id}}`, `{{crate}}` and
/// `{{sdk}}` placeholders in the `.in` ones).
const TEMPLATE: [(&str, &str); 7] = [
    ("Cargo.toml", include_str!("../../sdk/template/Cargo.toml.in")),
    ("plugin.json", include_str!("../../sdk/template/plugin.json.in")),
    ("README.md", include_str!("../../sdk/template/README.md.in")),
    (".gitignore", include_str!("../../sdk/template/gitignore")),
    ("src/main.rs", include_str!("../../sdk/template/src/main.rs")),
    ("src/plugin.rs", include_str!("../../sdk/template/src/plugin.rs")),
    ("tests/process.rs", include_str!("../../sdk/template/tests/process.rs")),
];

/// What to make.
#[derive(Debug, Clone)]
pub struct NewPlugin {
    /// The plugin id, e.g. `com.example.hello`.
    pub id: String,
    /// The directory to create (missing, or empty); its name is the package's name.
    pub dir: PathBuf,
    /// The SDK's directory (holding its `Cargo.toml`), which the plugin depends on by path
    /// while the SDK is not published.
    pub sdk: PathBuf,
}

/// What was made.
#[derive(Debug, Clone)]
pub struct Created {
    /// The package (and executable) name.
    pub package: String,
    /// The SDK's directory as the plugin's `Cargo.toml` names it (absolute).
    pub sdk: PathBuf,
    /// The files written, relative to the plugin directory, in template order.
    pub files: Vec<&'static str>,
}

/// The SDK of the checkout this program was built from: the default for `--sdk`.
pub fn default_sdk() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk")
}

/// The directory `plugin-host new <id>` creates without `--dir`: the id's last part
/// (`com.example.hello` → `hello`).
pub fn default_dir(id: &str) -> PathBuf {
    PathBuf::from(id.rsplit('.').next().unwrap_or(id))
}

/// Writes the new plugin, or nothing: every problem with the id is reported at once, in the
/// manifest's words, before anything is written.
pub fn create(new: &NewPlugin) -> Result<Created, String> {
    let id_problems: Vec<String> = manifest::validate(&Manifest { id: new.id.clone(), ..Manifest::default() })
        .into_iter()
        .filter(|p| p.field == "id")
        .map(|p| p.to_string())
        .collect();
    if !id_problems.is_empty() {
        return Err(format!("the plugin id cannot be used:\n  {}", id_problems.join("\n  ")));
    }
    if new.id.chars().any(|c| c.is_ascii_uppercase()) {
        // The server lower-cases ids when it reads a manifest; a mixed-case id would be one
        // thing in the manifest and another on the server.
        return Err(format!(
            "the plugin id `{}` has capitals; ids are lower case: `{}`",
            new.id,
            new.id.to_lowercase()
        ));
    }
    let package = package_name(&new.dir)?;
    let sdk = sdk_dir(&new.sdk)?;
    check_target(&new.dir)?;

    let parent = match new.dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let staging = tempfile::Builder::new()
        .prefix(".plugin-host-new-")
        .tempdir_in(&parent)
        .map_err(|e| format!("cannot create a directory in `{}`: {e}", parent.display()))?;
    let sdk_text = sdk.to_str().ok_or_else(|| format!("the SDK path `{}` is not UTF-8", sdk.display()))?;
    for (path, contents) in TEMPLATE {
        let text = render(contents, &new.id, &package, sdk_text);
        let file = staging.path().join(path);
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        fs::write(&file, text).map_err(|e| format!("cannot write `{}`: {e}", file.display()))?;
    }
    // The manifest as the bundler will read it: a template mistake shows here, not at bundling.
    manifest::load(staging.path()).map_err(|e| format!("the template's manifest is invalid: {e}"))?;
    // A missing or empty directory is replaced by the staged one in one step.
    let staged = staging.keep();
    fs::rename(&staged, &new.dir).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        format!("cannot create `{}`: {e}", new.dir.display())
    })?;
    Ok(Created { package, sdk, files: TEMPLATE.iter().map(|(path, _)| *path).collect() })
}

/// The template's text for this plugin. Values go into TOML and JSON strings: the id and the
/// package name are checked to need no escaping, the SDK path is escaped.
fn render(template: &str, id: &str, package: &str, sdk: &str) -> String {
    template.replace("{{id}}", id).replace("{{crate}}", package).replace("{{sdk}}", &toml_escape(sdk))
}

/// `text` as the inside of a TOML basic string ("...").
fn toml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The package name: the directory's name, which must suit cargo (and be a Rust identifier once
/// its `-` become `_`).
fn package_name(dir: &Path) -> Result<String, String> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("`{}` names no directory; give one with --dir", dir.display()))?;
    const RESERVED: [&str; 8] = ["core", "std", "alloc", "proc_macro", "proc-macro", "test", "self", "crate"];
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !RESERVED.contains(&name);
    if valid {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "the directory name `{name}` is not a usable package name (lower-case letters, digits, `-` and `_`, \
             starting with a letter); choose another with --dir"
        ))
    }
}

/// The SDK's directory, absolute, after checking it holds the SDK.
fn sdk_dir(sdk: &Path) -> Result<PathBuf, String> {
    let not_there = |why: String| {
        format!("no plugin SDK at `{}` ({why}); pass --sdk with the `sdk` directory of a checkout", sdk.display())
    };
    let dir = sdk.canonicalize().map_err(|e| not_there(e.to_string()))?;
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| not_there(format!("Cargo.toml: {e}")))?;
    if !manifest.lines().any(|line| line.trim() == "name = \"plugin-sdk\"") {
        return Err(not_there("its Cargo.toml is not the `plugin-sdk` package".into()));
    }
    Ok(dir)
}

/// The directory must be missing or empty: nothing of the author's is overwritten.
fn check_target(dir: &Path) -> Result<(), String> {
    match fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(()),
        Ok(false) => Err(format!("`{}` already exists and is not empty", dir.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("`{}` is in the way: {e}", dir.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        for (path, contents) in TEMPLATE {
            let text = render(contents, "com.example.hello", "hello", "/sdk");
            assert!(!text.contains("{{"), "{path} keeps a placeholder:\n{text}");
        }
    }

    #[test]
    fn the_sdk_path_is_a_valid_toml_string() {
        assert_eq!(toml_escape(r#"/a "b"\c"#), r#"/a \"b\"\\c"#);
        assert_eq!(toml_escape("/a\nb"), "/a\\u000Ab");
    }

    #[test]
    fn package_names_follow_cargo() {
        assert_eq!(package_name(Path::new("x/hello-world_2")), Ok("hello-world_2".into()));
        for bad in ["9lives", "Hello", "test", "a.b", "-x"] {
            assert!(package_name(Path::new(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_directory_is_the_ids_last_part() {
        assert_eq!(default_dir("com.example.hello"), PathBuf::from("hello"));
        assert_eq!(default_dir("hello"), PathBuf::from("hello"));
    }
}
