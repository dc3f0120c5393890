//! Project automation, run as `cargo xtask <command>` (a cargo alias in `.cargo/config.toml`).
//!
//! - `cargo xtask pluginapi [--check]`: generate the RPC glue of the plugin API and Hooks traits.
//! - `cargo xtask plugin-mocks [--check]`: generate mockall mocks of those traits.
//! - `cargo xtask demo [--smoke] [--listen ADDR]`: the demo plugin on a real server.
//! - `cargo xtask bench-gen`: time the generator on the full API and Hooks, count the lines it
//!   generates, and time the contributor's loop after adding an API method.
//! - `cargo xtask bench`: measure the process transport against raw pipes, bundle
//!   installation against `tar xzf`, the plugin environment, and the server's plugin routes
//!   against its own (with `wrk`).

mod bench;
mod bench_install;
mod bench_loop;
mod bench_server;
mod codegen;
mod demo;
mod http;

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
    /// Build the server and the demo plugin, start the server in target/demo/site with the
    /// plugin installed and enabled, and print what to try; Ctrl-C stops it.
    Demo {
        /// Try it all (posts, a greeting, the slash command, a restart) and stop.
        #[arg(long)]
        smoke: bool,
        /// Where the server listens (default 127.0.0.1:8065; with --smoke a free port).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Time the generator (parse, validate, emit, format) on the full API and Hooks.
    BenchGen {
        /// How many runs to time.
        #[arg(long, default_value_t = 20)]
        runs: u32,
        /// Skip timing the contributor's loop (add an API method, regenerate, `cargo test -p
        /// api-definitions`), which takes a minute or more and rebuilds api-definitions.
        #[arg(long)]
        no_loop: bool,
    },
    /// Measure the process transport (latency, throughput, streams, memory) against raw pipes
    /// between two processes, and bundle installation against `tar xzf`; prints `figure <name>
    /// <value>` lines and the targets. `BENCH_ONLY=install` runs only the install part.
    Bench,
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
        Command::BenchGen { runs, no_loop } => codegen::bench(runs, no_loop),
        Command::Demo { smoke, listen } => {
            let root = codegen::project_root();
            demo::demo(&root, &demo::target_dir(&root), smoke, listen)
        }
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
