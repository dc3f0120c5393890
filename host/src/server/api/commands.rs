//! Slash commands plugins register (`register_command`), by team and trigger, and finding the
//! plugin that owns the command a user typed. Upstream keeps the same table in memory
//! (`app/plugin_commands.go`); so do we: a plugin registers its commands again each time it
//! activates.
//!
//! Better than upstream: a trigger another running plugin already owns is refused with an error
//! naming that plugin (upstream keeps both and the first registered silently wins), and the
//! commands of a plugin that is no longer running are never routed to it.

use api_definitions::model::Command;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A registered command and the plugin that owns it.
#[derive(Debug, Clone, PartialEq)]
pub struct Registered {
    pub plugin_id: String,
    pub command: Command,
}

/// Why a command could not be registered.
#[derive(Debug, Clone, PartialEq)]
pub enum RegisterError {
    EmptyTrigger,
    /// The trigger has a space or a slash: it could never be typed as one word after `/`.
    BadTrigger(String),
    Taken {
        trigger: String,
        team_id: String,
        owner: String,
    },
}

impl std::fmt::Display for RegisterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegisterError::EmptyTrigger => f.write_str("the command's trigger is empty"),
            RegisterError::BadTrigger(t) => write!(f, "the trigger `{t}` has a space or a slash"),
            RegisterError::Taken { trigger, team_id, owner } => {
                let team = if team_id.is_empty() { "every team".to_owned() } else { format!("team `{team_id}`") };
                write!(f, "`/{trigger}` is already registered for {team} by plugin `{owner}`")
            }
        }
    }
}

/// The table of plugins' commands, keyed by (team id, trigger); an empty team id is every team.
#[derive(Default)]
pub struct Commands {
    table: Mutex<BTreeMap<(String, String), Registered>>,
}

impl Commands {
    /// Registers (or replaces) `command` for `plugin_id`. The trigger is lowercased, as upstream.
    /// `is_running` tells whether a plugin still runs: a stopped plugin's entry gives way.
    pub fn register(
        &self,
        plugin_id: &str,
        command: &Command,
        is_running: impl Fn(&str) -> bool,
    ) -> Result<(), RegisterError> {
        let trigger = command.trigger.trim().to_lowercase();
        if trigger.is_empty() {
            return Err(RegisterError::EmptyTrigger);
        }
        if trigger.contains(char::is_whitespace) || trigger.contains('/') {
            return Err(RegisterError::BadTrigger(command.trigger.clone()));
        }
        let key = (command.team_id.clone(), trigger.clone());
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = table.get(&key) {
            if existing.plugin_id != plugin_id && is_running(&existing.plugin_id) {
                return Err(RegisterError::Taken {
                    trigger,
                    team_id: command.team_id.clone(),
                    owner: existing.plugin_id.clone(),
                });
            }
        }
        let mut command = command.clone();
        command.trigger = trigger;
        command.plugin_id = plugin_id.to_owned();
        table.insert(key, Registered { plugin_id: plugin_id.to_owned(), command });
        Ok(())
    }

    /// Removes `plugin_id`'s command; another plugin's, or none, is left alone (as upstream).
    pub fn unregister(&self, plugin_id: &str, team_id: &str, trigger: &str) {
        let key = (team_id.to_owned(), trigger.trim().to_lowercase());
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if table.get(&key).is_some_and(|r| r.plugin_id == plugin_id) {
            table.remove(&key);
        }
    }

    /// The command `/trigger` typed in team `team_id`: the team's own first, then one for
    /// every team.
    pub fn find(&self, team_id: &str, trigger: &str) -> Option<Registered> {
        let trigger = trigger.to_lowercase();
        let table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        table.get(&(team_id.to_owned(), trigger.clone())).or_else(|| table.get(&(String::new(), trigger))).cloned()
    }

    /// Every registered command, by team and trigger.
    pub fn list(&self) -> Vec<Registered> {
        self.table.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }
}

/// The trigger of a typed command (`/Weather Paris` gives `weather`), or `None` for text that
/// is not a command.
pub fn trigger_of(typed: &str) -> Option<String> {
    let rest = typed.trim_start().strip_prefix('/')?;
    let word = rest.split_whitespace().next()?;
    Some(word.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(team: &str, trigger: &str) -> Command {
        Command { team_id: team.into(), trigger: trigger.into(), ..Default::default() }
    }

    #[test]
    fn a_running_owner_keeps_its_trigger_a_stopped_one_gives_way() {
        let commands = Commands::default();
        commands.register("a", &command("", "Weather"), |_| true).unwrap();
        let e = commands.register("b", &command("", "weather"), |_| true).unwrap_err();
        assert_eq!(e.to_string(), "`/weather` is already registered for every team by plugin `a`");
        // The same plugin replaces its own; another team's trigger is another command.
        commands.register("a", &command("", "weather"), |_| true).unwrap();
        commands.register("b", &command("t1", "weather"), |_| true).unwrap();
        assert_eq!(commands.find("t1", "WEATHER").unwrap().plugin_id, "b");
        assert_eq!(commands.find("t2", "weather").unwrap().plugin_id, "a");
        commands.register("b", &command("", "weather"), |id| id != "a").unwrap();
        assert_eq!(commands.find("t2", "weather").unwrap().plugin_id, "b");
    }

    #[test]
    fn unregister_removes_only_the_callers_command() {
        let commands = Commands::default();
        commands.register("a", &command("", "x"), |_| true).unwrap();
        commands.unregister("b", "", "x");
        assert!(commands.find("", "x").is_some());
        commands.unregister("a", "", "X");
        assert!(commands.find("", "x").is_none());
    }

    #[test]
    fn bad_triggers_and_typed_text() {
        let commands = Commands::default();
        assert_eq!(commands.register("a", &command("", " "), |_| true), Err(RegisterError::EmptyTrigger));
        assert!(matches!(commands.register("a", &command("", "a b"), |_| true), Err(RegisterError::BadTrigger(_))));
        assert_eq!(trigger_of("/Weather Paris"), Some("weather".into()));
        assert_eq!(trigger_of("hello"), None);
        assert_eq!(trigger_of("/"), None);
    }
}
