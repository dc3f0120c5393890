//! A Mattermost-hooks plugin for the environment tests whose behaviour is read from the file
//! `behaviour` in its working directory (its plugin directory: the environment gives plugins an
//! empty environment, so a file is how a test tells it what to do). Words in the file:
//! - `rewrite:TEXT` / `reject:REASON` / `dismiss` / `hang-post`: what `message_will_be_posted`
//!   does (default: allow);
//! - `fail-activate`: `on_activate` returns an error;
//! - `exit-after-activate`: the process exits 100 ms after `on_activate`;
//! - `hang-deactivate`: `on_deactivate` never returns;
//! - `fork-helper`: `on_activate` starts `sleep 600` and writes its pid to `helper.pid`.
//!
//! Each activation appends a line to `activations`, so a test can count restarts.

use api_definitions::hooks::{self, Hooks, DISMISS_POST_ERROR};
use api_definitions::model::{Context, PluginError, Post, Verdict};
use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::RpcError;
use std::io::Write;
use std::time::Duration;

struct EnvPlugin {
    words: Vec<String>,
}

impl EnvPlugin {
    fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.words.iter().find_map(|w| w.strip_prefix(key)?.strip_prefix(':'))
    }
}

#[plugin_macros::implemented]
impl Hooks for EnvPlugin {
    fn on_activate(&self) -> Result<(), PluginError> {
        let mut log = std::fs::OpenOptions::new().create(true).append(true).open("activations").map_err(io)?;
        writeln!(log, "{}", std::process::id()).map_err(io)?;
        if self.has("fail-activate") {
            return Err(PluginError::Message("refusing to activate, as told".into()));
        }
        if self.has("fork-helper") {
            let helper = std::process::Command::new("sleep").arg("600").spawn().map_err(io)?;
            std::fs::write("helper.pid", helper.id().to_string()).map_err(io)?;
        }
        if self.has("exit-after-activate") {
            std::thread::spawn(|| {
                std::thread::sleep(Duration::from_millis(100));
                std::process::exit(3);
            });
        }
        Ok(())
    }

    fn on_deactivate(&self) -> Result<(), PluginError> {
        if self.has("hang-deactivate") {
            loop {
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        Ok(())
    }

    fn message_will_be_posted(&self, _c: &Context, post: &Post) -> Result<Verdict<Post>, RpcError> {
        if self.has("hang-post") {
            loop {
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        if self.has("dismiss") {
            return Ok(Verdict::Reject(DISMISS_POST_ERROR.into()));
        }
        if let Some(reason) = self.value("reject") {
            return Ok(Verdict::Reject(reason.into()));
        }
        if let Some(text) = self.value("rewrite") {
            return Ok(Verdict::Replace(Post { message: format!("{} {text}", post.message), ..post.clone() }));
        }
        Ok(Verdict::Allow)
    }
}

fn io(e: std::io::Error) -> PluginError {
    PluginError::Message(e.to_string())
}

fn main() {
    let words =
        std::fs::read_to_string("behaviour").unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    plugin::run(PluginConfig::new("env-plugin", "a plugin for the environment tests"), move |_host| {
        hooks::rpc::Dispatcher::declared(EnvPlugin { words })
    })
}
