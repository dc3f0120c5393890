//! The `plugin-host` command line: start and bundle a plugin (for authors), install a bundle into a
//! plugins directory, run the plugin server and manage a running server's plugins (for admins).
//! A thin front end over the rest of the library; it lives in the library (not in `main.rs`)
//! so that a test package can build the very same program as a binary of its own
//! (`tests/src/bin/plugin_host_cli.rs`), since cargo shows a package's tests only its own
//! binaries.

use crate::admin::{self, AddOptions, ServerArgs, Session};
use crate::manifest::platform;
use crate::package::bundle::{self, BundleOptions};
use crate::package::install::{self, InstallOptions, Outcome, ReplacePolicy};
use crate::package::signature::Keyring;
use crate::package::unpack::Limits;
use crate::scaffold::{self, NewPlugin};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "plugin-host",
    version,
    about = "Plugins: new, bundle, install; the plugin server: serve; its plugins: plugin add|enable|list|..."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a plugin: a directory with a Cargo.toml whose one dependency is the plugin SDK, a
    /// manifest, a `main` of one call, a hook with tests, and a README with the bundle command.
    New {
        /// The plugin id, e.g. com.example.hello (lower-case letters, digits, `-`, `_` and `.`).
        id: String,
        /// The directory to create (missing or empty); its name is the package's. Default: the
        /// id's last part, in the current directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The plugin SDK's directory (`sdk/` in this repository), which the plugin depends on
        /// by path; default: the SDK of the checkout this plugin-host was built from.
        #[arg(long, value_name = "DIR")]
        sdk: Option<PathBuf>,
    },
    /// Validate a plugin directory's manifest and files and write its bundle (.tar.gz).
    Bundle {
        /// The plugin directory (holding plugin.json, plugin.yaml or plugin.yml).
        dir: PathBuf,
        /// The bundle to write; default: `<id>-<version>.tar.gz` in the current directory.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Take the server executable for PLATFORM (default: this machine's, e.g. linux-amd64)
        /// from PATH, e.g. `target/release/my-plugin`; the manifest says where it goes in the
        /// bundle (`server.executables.PLATFORM`, else `server.executable`). Repeatable.
        #[arg(long, value_name = "[PLATFORM=]PATH", value_parser = parse_executable)]
        executable: Vec<(String, PathBuf)>,
    },
    /// Install a bundle into a plugins directory, atomically: on any error nothing changes.
    Install(InstallArgs),
    /// Run the plugin server: the REST API (/api/v4/plugins) over the plugins directory, until
    /// SIGINT or SIGTERM.
    Serve {
        /// The settings file (JSON, upstream's PluginSettings names); missing: the defaults,
        /// with paths relative to its directory.
        #[arg(long, value_name = "FILE", default_value = "plugin-settings.json")]
        config: PathBuf,
        /// Listen here instead of the settings' ListenAddress (`127.0.0.1:0`: any free port).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
    /// Manage the plugins of a running server through its REST API (as `mmctl plugin`). One
    /// line per argument; the exit status is non-zero if any failed.
    Plugin(PluginArgs),
}

#[derive(Args)]
struct PluginArgs {
    #[command(flatten)]
    server: ServerFlags,
    #[command(subcommand)]
    command: PluginCommand,
}

/// Which server, and its admin token (never printed; errors say where it came from).
#[derive(Args)]
struct ServerFlags {
    /// The server, e.g. http://127.0.0.1:8065; default: $PLUGIN_HOST_URL, else the ListenAddress
    /// of the settings file the token is read from, else http://127.0.0.1:8065.
    #[arg(long, global = true, value_name = "URL")]
    url: Option<String>,
    /// The admin token. Other users can see it in the process list: prefer --token-file,
    /// --config or $PLUGIN_HOST_TOKEN.
    #[arg(long, global = true, value_name = "TOKEN", conflicts_with = "token_file")]
    token: Option<String>,
    /// A file holding the admin token.
    #[arg(long, global = true, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The server's settings file: the token is its AdminToken, else the contents of its
    /// AdminTokenFile (which the server made at first start). Without --token, --token-file,
    /// --config and $PLUGIN_HOST_TOKEN: plugin-settings.json, as `serve`.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Upload bundles (.tar.gz) to the server, each with `<bundle>.sig` if it exists.
    Add {
        #[arg(required = true, value_name = "BUNDLE")]
        bundles: Vec<PathBuf>,
        /// Replace an installed plugin with the same id.
        #[arg(long)]
        force: bool,
        /// Do not send `<bundle>.sig` as the bundle's signature.
        #[arg(long)]
        no_signature: bool,
    },
    /// Enable and start plugins.
    Enable {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Stop and disable plugins.
    Disable {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Stop plugins and remove them from the server.
    Delete {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// The active and inactive plugins: id, version, name.
    List {
        /// Print the server's JSON answer.
        #[arg(long)]
        json: bool,
    },
    /// Every installed plugin's state and error.
    Status {
        /// Print the server's JSON answer.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct InstallArgs {
    /// The bundle (.tar.gz).
    bundle: PathBuf,
    /// The plugins directory to install into.
    #[arg(long, value_name = "DIR")]
    plugins_dir: PathBuf,
    /// The bundle's detached OpenPGP signature; default: `<bundle>.sig` if it exists and keys
    /// are configured.
    #[arg(long, value_name = "FILE")]
    signature: Option<PathBuf>,
    /// A trusted public key file (armored or binary); repeat for several.
    #[arg(long = "public-key", value_name = "FILE")]
    public_keys: Vec<PathBuf>,
    /// Refuse bundles without a valid signature by a trusted key.
    #[arg(long)]
    require_signature: bool,
    /// Replace an installed plugin with the same id, whatever its version.
    #[arg(long, conflicts_with = "if_newer")]
    force: bool,
    /// Replace an installed plugin only if the bundle's version is newer.
    #[arg(long)]
    if_newer: bool,
    /// Most entries the bundle may hold.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_entries)]
    max_entries: u64,
    /// Most bytes the bundle may unpack to (suffixes KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "2GiB")]
    max_unpacked_size: u64,
}

fn parse_executable(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        None if !s.is_empty() => Ok((platform::current(), PathBuf::from(s))),
        Some((platform, path)) if !platform.is_empty() && !path.is_empty() => {
            Ok((platform.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!("expected [PLATFORM=]PATH (for example linux-amd64=target/release/my-plugin), got `{s}`")),
    }
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let multiplier: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" | "K" => 1 << 10,
        "MiB" | "M" => 1 << 20,
        "GiB" | "G" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`; use KiB, MiB or GiB")),
    };
    let number: u64 = number.parse().map_err(|_| format!("`{s}` is not a size (for example 512MiB)"))?;
    number.checked_mul(multiplier).ok_or_else(|| format!("`{s}` is too large"))
}

/// Parses the command line and runs the command: the whole of `plugin-host`.
pub fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Plugin(args) => return run_plugin(args),
        Command::New { id, dir, sdk } => run_new(id, dir, sdk),
        Command::Bundle { dir, output, executable } => run_bundle(&dir, output, executable),
        Command::Install(args) => run_install(args),
        Command::Serve { config, listen } => {
            StderrLog::install();
            crate::server::run(crate::server::ServeOptions { settings_file: config, listen })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_plugin(args: PluginArgs) -> ExitCode {
    let flags = args.server;
    let server = ServerArgs { url: flags.url, token: flags.token, token_file: flags.token_file, config: flags.config };
    let session = match Session::resolve(&server, |name| std::env::var(name).ok()) {
        Ok(session) => session,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let (out, err) = (&mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    let succeeded = match args.command {
        PluginCommand::Add { bundles, force, no_signature } => {
            admin::add(&session, &bundles, AddOptions { force, no_signature }, out, err)
        }
        PluginCommand::Enable { ids } => admin::enable(&session, &ids, out, err),
        PluginCommand::Disable { ids } => admin::disable(&session, &ids, out, err),
        PluginCommand::Delete { ids } => admin::delete(&session, &ids, out, err),
        PluginCommand::List { json } => admin::list(&session, json, out, err),
        PluginCommand::Status { json } => admin::status(&session, json, out, err),
    };
    if succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Log lines (plugin starts, failures, installs) to stderr, info and above.
struct StderrLog;

impl StderrLog {
    fn install() {
        if log::set_logger(&StderrLog).is_ok() {
            log::set_max_level(log::LevelFilter::Info);
        }
    }
}

impl log::Log for StderrLog {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            eprintln!("plugin-host: {}: {}", record.level().as_str().to_lowercase(), record.args());
        }
    }

    fn flush(&self) {}
}

fn run_new(id: String, dir: Option<PathBuf>, sdk: Option<PathBuf>) -> Result<(), String> {
    let dir = dir.unwrap_or_else(|| scaffold::default_dir(&id));
    let new = NewPlugin { id, dir, sdk: sdk.unwrap_or_else(scaffold::default_sdk) };
    let created = scaffold::create(&new)?;
    let dir = new.dir.display();
    println!(
        "created plugin {} in {dir} (package {}, plugin-sdk at {})",
        new.id,
        created.package,
        created.sdk.display()
    );
    for file in &created.files {
        println!("  {dir}/{file}");
    }
    println!("test, build and bundle it:");
    println!("  cd {dir}");
    println!("  cargo test");
    println!("  cargo build --release");
    println!("  plugin-host bundle . --executable target/release/{}", created.package);
    Ok(())
}

fn run_bundle(dir: &Path, output: Option<PathBuf>, executables: Vec<(String, PathBuf)>) -> Result<(), String> {
    let options = BundleOptions { executables: executables.into_iter().collect() };
    // The default name needs the manifest; read it first (bundling reads it again, cheaply).
    let output = match output {
        Some(path) => path,
        None => PathBuf::from(bundle::file_name(&crate::manifest::load(dir).map_err(|e| e.to_string())?.manifest)),
    };
    let bundled = bundle::bundle_to_file(dir, &options, &output).map_err(|e| e.to_string())?;
    println!(
        "bundled {} {} ({} files) into {}",
        bundled.manifest.id,
        bundled.manifest.version,
        bundled.files.len(),
        output.display()
    );
    for file in &bundled.files {
        println!("  {}/{file}", bundled.manifest.id);
    }
    Ok(())
}

fn run_install(args: InstallArgs) -> Result<(), String> {
    let keyring = if args.public_keys.is_empty() {
        Keyring::default()
    } else {
        Keyring::load(&args.public_keys).map_err(|e| e.to_string())?
    };
    let signature_path = args.signature.clone().or_else(|| {
        // The conventional detached signature beside the bundle counts only when there is
        // something to check it against.
        let beside = PathBuf::from(format!("{}.sig", args.bundle.display()));
        (beside.is_file() && (!keyring.is_empty() || args.require_signature)).then_some(beside)
    });
    let signature = match &signature_path {
        Some(path) => Some(std::fs::read(path).map_err(|e| format!("could not read `{}`: {e}", path.display()))?),
        None => None,
    };
    let options = InstallOptions {
        policy: if args.force {
            ReplacePolicy::Always
        } else if args.if_newer {
            ReplacePolicy::IfNewer
        } else {
            ReplacePolicy::OnlyIfNew
        },
        limits: Limits {
            max_entries: args.max_entries,
            max_unpacked_bytes: args.max_unpacked_size,
            ..Limits::default()
        },
        require_signature: args.require_signature,
        keyring,
        server_version: None,
    };
    let installed = install::install_file(&args.bundle, signature.as_deref(), &args.plugins_dir, &options)
        .map_err(|e| format!("{}: {e}", args.bundle.display()))?;
    let m = &installed.manifest;
    match &installed.outcome {
        Outcome::New => println!("installed {} {} into {}", m.id, m.version, installed.path.display()),
        Outcome::Replaced { previous_version } => {
            println!("replaced {} {previous_version} with {} in {}", m.id, m.version, installed.path.display())
        }
        Outcome::KeptInstalled { installed_version } => {
            println!("kept {} {installed_version}: the bundle's version {} is not newer", m.id, m.version)
        }
    }
    if let Some(signer) = &installed.signer {
        let who = signer.user_id.as_deref().map(|u| format!(" ({u})")).unwrap_or_default();
        println!("  signature good: key {}{who}", signer.fingerprint);
    }
    Ok(())
}
