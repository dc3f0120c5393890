//! The `plugin-host` program, built as a binary of this package so the CLI tests
//! (`tests/tests/cli.rs`) can run it by `CARGO_BIN_EXE_plugin_host_cli`, with this package's
//! build (cargo shows a package's tests only its own binaries).

fn main() -> std::process::ExitCode {
    plugin_host::cli::main()
}
