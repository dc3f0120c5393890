//! The contributor's loop, for `cargo xtask bench-gen --loop`: how long it takes, after adding
//! one method to the `Api` trait, to regenerate the glue and to build and run
//! `cargo test -p api-definitions` (incremental, as a contributor would). The method is added
//! to the real definitions and everything it touched is put back afterwards, whatever happens.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The files the probe changes, restored from memory when dropped.
struct Restore(Vec<(PathBuf, Vec<u8>)>);

impl Restore {
    fn save(paths: &[PathBuf]) -> Result<Restore, String> {
        let mut saved = Vec::new();
        for path in paths {
            saved.push((path.clone(), std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?));
        }
        Ok(Restore(saved))
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        for (path, bytes) in &self.0 {
            if let Err(e) = std::fs::write(path, bytes) {
                eprintln!("bench-gen: could not restore {}: {e}; `git checkout` it", path.display());
            }
        }
    }
}

/// `cargo test -p api-definitions`, quietly; its duration in seconds.
fn test_api_definitions(root: &Path) -> Result<f64, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let start = Instant::now();
    let output = Command::new(cargo)
        .args(["test", "--quiet", "-p", "api-definitions"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo test -p api-definitions` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(start.elapsed().as_secs_f64())
}

/// The `Api` trait's source with one more method (the next free wire id) before its end.
fn with_probe(source: &str) -> Result<String, String> {
    let next = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("/// Wire id:"))
        .filter_map(|id| id.trim().parse::<u32>().ok())
        .max()
        .map_or(0, |id| id + 1);
    let start = source.find("pub trait Api").ok_or("api.rs has no `pub trait Api`")?;
    let end = start + source[start..].find("\n}\n").ok_or("cannot find the end of `trait Api`")?;
    let probe = format!(
        "\n\n    /// Probe of `cargo xtask bench-gen --loop`: added, timed, and taken out again.\n    ///\n    \
         /// Wire id: {next}\n    /// Minimum server version: 11.0\n    \
         fn bench_gen_probe(&self, text: &str) -> Result<String, AppError> {{\n        \
         Err(plugin_runtime::not_implemented(\"bench_gen_probe\"))\n    }}"
    );
    Ok(format!("{}{probe}{}", &source[..end], &source[end..]))
}

/// Runs the loop once and returns its figures.
pub fn measure(root: &Path) -> Result<Vec<(&'static str, f64)>, String> {
    // The starting point: everything built, as after a contributor's last test run.
    test_api_definitions(root)?;
    let definitions = root.join("api-definitions/src/api.rs");
    let touched: Vec<PathBuf> = [
        "api-definitions/src/api.rs",
        "api-definitions/wire-ids.lock",
        "api-definitions/src/generated/api.rs",
        "api-definitions/src/generated/api_mock.rs",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect();
    let restore = Restore::save(&touched)?;
    let source = std::fs::read_to_string(&definitions).map_err(|e| format!("{}: {e}", definitions.display()))?;
    std::fs::write(&definitions, with_probe(&source)?).map_err(|e| format!("{}: {e}", definitions.display()))?;

    let start = Instant::now();
    crate::codegen::pluginapi(crate::codegen::Mode::Write)?;
    let generate = start.elapsed().as_secs_f64();
    let test = test_api_definitions(root)?;
    drop(restore);
    Ok(vec![
        ("loop_add_api_method_generate_s", generate),
        ("loop_add_api_method_test_s", test),
        ("loop_add_api_method_total_s", generate + test),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_goes_at_the_end_of_the_trait_with_the_next_id() {
        let source =
            "use x;\npub trait Api {\n    /// A.\n    ///\n    /// Wire id: 7\n    fn a(&self);\n}\n\nmod rest {\n}\n";
        let probed = with_probe(source).unwrap();
        assert!(probed.contains("/// Wire id: 8\n"), "{probed}");
        let probe_at = probed.find("fn bench_gen_probe").unwrap();
        assert!(probe_at > probed.find("fn a(&self);").unwrap());
        assert!(probe_at < probed.find("mod rest").unwrap());
    }
}
