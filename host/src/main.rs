//! The `plugin-host` executable. The command line is `plugin_host::cli`.

fn main() -> std::process::ExitCode {
    plugin_host::cli::main()
}
