//! Project automation, run as `cargo xtask <command>` (a cargo alias in `.cargo/config.toml`).
//!
//! - `cargo xtask pluginapi [--check]`: generate the RPC glue of the plugin API and Hooks traits.
//! - `cargo xtask plugin-mocks [--check]`: generate mockall mocks of those traits.
//! - `cargo xtask demo`: run the demo host against the demo plugin.
//! - `cargo xtask bench-gen`: time the generator on the full API and Hooks.
//! - `cargo xtask bench`: measure the process transport against raw pipes, bundle
//!   installation against `tar xzf`, the plugin environment, and the server's plugin routes
//!   against its own (with `wrk`).

mod bench;
mod bench_install;
mod bench_server;
mod codegen;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project automation for the plugin API generator and runtime")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the RPC glue (ids, wire types, client, dispatcher, timing layer, round-trip
    /// tests) of the API and Hooks traits into api-definitions/src/generated/.
    Pluginapi {
        /// Write nothing; fail with a diff if a checked-in file is not what the generator makes.
        #[arg(long)]
        check: bool,
    },
    /// Generate mockall mocks of the API and Hooks traits into api-definitions/src/generated/
    /// (compiled only with the `mocks` feature of api-definitions).
    PluginMocks {
        /// Write nothing; fail with a diff if a checked-in mock is not what the generator makes.
        #[arg(long)]
        check: bool,
    },
    /// Build the demo plugin and host and run the host: it starts the plugin, fires hooks and
    /// prints what happened.
    Demo,
    /// Time the generator (parse, validate, emit, format) on the full API and Hooks.
    BenchGen {
        /// How many runs to time.
        #[arg(long, default_value_t = 20)]
        runs: u32,
    },
    /// Measure the process transport (latency, throughput, streams, memory) against raw pipes
    /// between two processes, and bundle installation against `tar xzf`; prints `figure <name>
    /// <value>` lines and the targets. `BENCH_ONLY=install` runs only the install part.
    Bench,
}

/// `cargo xtask demo`: builds both demo crates, then runs the host (which finds the plugin
/// executable next to its own).
fn demo() -> Result<(), String> {
    let root = codegen::project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = std::process::Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "-p", "demo-plugin", "-p", "demo-host"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("building the demo failed".into());
    }
    let target =
        std::env::var("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| root.join("target"));
    let ran = std::process::Command::new(target.join("debug").join("demo-host"))
        .status()
        .map_err(|e| format!("cannot run the demo host: {e}"))?;
    if ran.success() {
        Ok(())
    } else {
        Err(format!("the demo host failed: {ran}"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Pluginapi { check } => {
            codegen::pluginapi(if check { codegen::Mode::Check } else { codegen::Mode::Write })
        }
        Command::PluginMocks { check } => {
            codegen::plugin_mocks(if check { codegen::Mode::Check } else { codegen::Mode::Write })
        }
        Command::BenchGen { runs } => codegen::bench(runs),
        Command::Demo => demo(),
        Command::Bench => bench::bench(&codegen::project_root()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
