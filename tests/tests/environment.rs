//! The plugin environment with real plugin processes (`env_plugin`, told what to do by a file in
//! its plugin directory): enabling, disabling and restarting; enabled state across a host
//! restart; crashes, restarts and giving up; hung plugins; hooks across plugins.

use api_definitions::api::mock::MockApi;
use api_definitions::model::{Channel, Context, Draft, Post, ScheduledPost};
use plugin_host::environment::hooks::{
    channel_will_be_restored, channel_will_be_updated, draft_will_be_upserted, message_will_be_posted,
    scheduled_post_will_be_created, Outcome, PostOutcome, Rejection,
};
use plugin_host::environment::{Environment, EnvironmentConfig, HealthConfig, MattermostDriver, PluginState};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Env = Environment<MattermostDriver<fn(&str) -> MockApi>>;

fn mock_api(_plugin_id: &str) -> MockApi {
    MockApi::new()
}

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let site = Site { dir: tempfile::tempdir().unwrap() };
        fs::create_dir(site.plugins()).unwrap();
        site
    }

    fn plugins(&self) -> PathBuf {
        self.dir.path().join("plugins")
    }

    /// Installs the test plugin as `id` with the given behaviour words.
    fn install(&self, id: &str, behaviour: &str) -> PathBuf {
        let dir = self.plugins().join(id);
        fs::create_dir_all(dir.join("server")).unwrap();
        fs::write(
            dir.join("plugin.json"),
            format!(
                r#"{{"id": "{id}", "name": "{id}", "version": "1.0.0", "server": {{"executable": "server/plugin"}}}}"#
            ),
        )
        .unwrap();
        let exe = dir.join("server/plugin");
        fs::copy(env!("CARGO_BIN_EXE_env_plugin"), &exe).unwrap();
        fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
        fs::write(dir.join("behaviour"), behaviour).unwrap();
        dir
    }

    fn config(&self) -> EnvironmentConfig {
        let mut config = EnvironmentConfig::new(self.plugins(), self.dir.path().join("plugin-states.json"));
        config.health = HealthConfig { backoff: Duration::from_millis(50), ..HealthConfig::default() };
        config.stop_grace = Duration::from_secs(2);
        config
    }

    fn env(&self, config: EnvironmentConfig) -> Env {
        Environment::new(config, MattermostDriver::new(mock_api as fn(&str) -> MockApi)).unwrap()
    }
}

fn state(env: &Env, id: &str) -> PluginState {
    env.status(id).unwrap().state
}

/// Polls `f` for up to 20 s.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn alive(pid: i32) -> bool {
    // A zombie still answers kill(0); look at its state too.
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat.split(") ").nth(1).is_some_and(|rest| rest.starts_with('Z')),
        Err(_) => false,
    }
}

fn pid_of(env: &Env, id: &str) -> i32 {
    let running = env.running().into_iter().find(|r| r.id == id).unwrap();
    running.process.as_ref().unwrap().pid() as i32
}

fn activations(dir: &Path) -> usize {
    fs::read_to_string(dir.join("activations")).map(|s| s.lines().count()).unwrap_or(0)
}

#[test]
fn enable_disable_and_restart_cycles() {
    let site = Site::new();
    let dir = site.install("com.example.a", "");
    let env = site.env(site.config());
    assert_eq!(state(&env, "com.example.a"), PluginState::NotRunning);
    assert!(!env.is_enabled("com.example.a"));

    for round in 1..=3 {
        env.enable("com.example.a").unwrap();
        assert_eq!(state(&env, "com.example.a"), PluginState::Running);
        let pid = pid_of(&env, "com.example.a");
        env.restart("com.example.a").unwrap();
        assert_ne!(pid_of(&env, "com.example.a"), pid);
        assert!(!alive(pid), "round {round}: the restarted plugin's old process is gone");
        env.disable("com.example.a").unwrap();
        assert_eq!(state(&env, "com.example.a"), PluginState::NotRunning);
        assert!(env.running().is_empty());
    }
    assert_eq!(activations(&dir), 6);
    let states = fs::read_to_string(site.dir.path().join("plugin-states.json")).unwrap();
    assert!(states.contains(r#""com.example.a": {"#) && states.contains(r#""Enable": false"#), "{states}");
    env.shutdown();
}

#[test]
fn a_host_restart_brings_the_enabled_plugins_back() {
    let site = Site::new();
    site.install("com.example.on", "");
    site.install("com.example.off", "");
    let env = site.env(site.config());
    env.enable("com.example.on").unwrap();
    env.enable("com.example.off").unwrap();
    env.disable("com.example.off").unwrap();
    env.shutdown();
    drop(env);

    let env = site.env(site.config());
    assert!(env.start_enabled().is_empty());
    assert_eq!(state(&env, "com.example.on"), PluginState::Running);
    assert_eq!(state(&env, "com.example.off"), PluginState::NotRunning);
    env.shutdown();
    assert_eq!(state(&env, "com.example.on"), PluginState::NotRunning);
}

#[test]
fn a_plugin_that_fails_to_activate_is_left_failed_to_start() {
    let site = Site::new();
    site.install("com.example.refuses", "fail-activate");
    let env = site.env(site.config());
    let e = env.enable("com.example.refuses").unwrap_err().to_string();
    assert!(e.contains("refusing to activate, as told"), "{e}");
    let status = env.status("com.example.refuses").unwrap();
    assert_eq!(status.state, PluginState::FailedToStart);
    assert!(status.error.unwrap().contains("refusing to activate"));
    env.shutdown();
}

#[test]
fn a_plugin_serving_another_interface_is_refused_before_any_hook() {
    let site = Site::new();
    let dir = site.install("com.example.greeter", "");
    // A plugin of another kind (the Greeter fixture) where a Hooks plugin belongs.
    fs::copy(env!("CARGO_BIN_EXE_greeter_plugin"), dir.join("server/plugin")).unwrap();
    let env = site.env(site.config());
    let e = env.enable("com.example.greeter").unwrap_err().to_string();
    assert!(e.contains(r#"serves the interface "Greeter", not "Hooks""#), "{e}");
    let status = env.status("com.example.greeter").unwrap();
    assert_eq!(status.state, PluginState::FailedToStart);
    assert!(status.error.unwrap().contains("not \"Hooks\""));
    env.shutdown();
}

#[test]
fn crashes_are_restarted_until_the_third_within_the_window() {
    let site = Site::new();
    let dir = site.install("com.example.crashy", "exit-after-activate");
    let env = site.env(site.config());
    env.enable("com.example.crashy").unwrap();
    eventually("failed to stay running", || state(&env, "com.example.crashy") == PluginState::FailedToStayRunning);
    let status = env.status("com.example.crashy").unwrap();
    let error = status.error.unwrap();
    assert!(error.contains("the plugin process exited"), "{error}");
    assert!(error.contains("failed 3 times within 60 minutes"), "{error}");
    assert_eq!(activations(&dir), 3, "started once and restarted twice");
    assert!(env.running().is_empty());
    // Enabling again starts it afresh.
    env.disable("com.example.crashy").unwrap();
    fs::write(dir.join("behaviour"), "").unwrap();
    env.enable("com.example.crashy").unwrap();
    assert_eq!(state(&env, "com.example.crashy"), PluginState::Running);
    env.shutdown();
}

#[test]
fn a_plugin_hanging_in_on_deactivate_is_killed_within_the_cap() {
    let site = Site::new();
    site.install("com.example.hangs", "hang-deactivate");
    let mut config = site.config();
    config.deactivate_timeout = Duration::from_millis(300);
    config.stop_grace = Duration::from_millis(300);
    let env = site.env(config);
    env.enable("com.example.hangs").unwrap();
    let pid = pid_of(&env, "com.example.hangs");
    let started = Instant::now();
    env.disable("com.example.hangs").unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(!alive(pid));
}

#[test]
fn a_plugins_helper_processes_end_with_it() {
    let site = Site::new();
    let dir = site.install("com.example.forks", "fork-helper");
    let env = site.env(site.config());
    env.enable("com.example.forks").unwrap();
    let helper: i32 = fs::read_to_string(dir.join("helper.pid")).unwrap().trim().parse().unwrap();
    assert!(alive(helper));
    env.disable("com.example.forks").unwrap();
    eventually("the helper process is gone", || !alive(helper));
}

#[test]
fn a_hung_hook_fails_at_its_deadline_and_the_chain_goes_on() {
    let site = Site::new();
    site.install("com.example.a-hangs", "hang-post");
    site.install("com.example.b-rewrites", "rewrite:(checked)");
    let mut config = site.config();
    config.call_timeout = Duration::from_millis(500);
    let env = site.env(config);
    env.enable("com.example.a-hangs").unwrap();
    env.enable("com.example.b-rewrites").unwrap();
    let started = Instant::now();
    let outcome =
        message_will_be_posted(&env, &Context::default(), Post { message: "hello".into(), ..Post::default() });
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    match outcome {
        PostOutcome::Allow(post) => assert_eq!(post.message, "hello (checked)"),
        other => panic!("expected the rewritten post, got {other:?}"),
    }
    env.shutdown();
}

#[test]
fn a_chain_of_three_allows_rewrites_and_rejects() {
    let site = Site::new();
    site.install("com.example.1-allows", "");
    site.install("com.example.2-rewrites", "rewrite:[edited]");
    let rejecter = site.install("com.example.3-rejects", "reject:no-links-please");
    let env = site.env(site.config());
    for id in ["com.example.1-allows", "com.example.2-rewrites", "com.example.3-rejects"] {
        env.enable(id).unwrap();
    }
    let post = || Post { message: "see http://x".into(), ..Post::default() };
    assert_eq!(
        message_will_be_posted(&env, &Context::default(), post()),
        PostOutcome::Rejected { plugin_id: "com.example.3-rejects".into(), reason: "no-links-please".into() }
    );
    env.disable("com.example.3-rejects").unwrap();
    match message_will_be_posted(&env, &Context::default(), post()) {
        PostOutcome::Allow(p) => assert_eq!(p.message, "see http://x [edited]"),
        other => panic!("{other:?}"),
    }
    fs::write(rejecter.join("behaviour"), "dismiss").unwrap();
    env.enable("com.example.3-rejects").unwrap();
    assert_eq!(
        message_will_be_posted(&env, &Context::default(), post()),
        PostOutcome::Dismissed { plugin_id: "com.example.3-rejects".into() }
    );
    env.shutdown();
}

/// The other "will be" hooks run through the same chain: in id order, each plugin sees the
/// previous replacement, and the first rejection stops the chain with that plugin's reason.
#[test]
fn the_channel_scheduled_post_and_draft_hooks_chain_like_posts() {
    let site = Site::new();
    site.install("com.example.1-allows", "");
    site.install("com.example.2-rewrites", "rewrite:[edited]");
    site.install("com.example.3-rejects", "reject:not-now");
    let env = site.env(site.config());
    for id in ["com.example.1-allows", "com.example.2-rewrites", "com.example.3-rejects"] {
        env.enable(id).unwrap();
    }
    let c = Context::default();
    let old = Channel { id: "ch1".into(), display_name: "Town".into(), ..Channel::default() };
    let new = Channel { display_name: "Town Square".into(), ..old.clone() };
    let scheduled = ScheduledPost { id: "sp1".into(), message: "later".into(), ..ScheduledPost::default() };
    let draft = Draft { channel_id: "ch1".into(), message: "unsent".into(), ..Draft::default() };
    let rejected = Rejection { plugin_id: "com.example.3-rejects".into(), reason: "not-now".into() };

    assert_eq!(channel_will_be_updated(&env, &c, new.clone(), &old), Outcome::Rejected(rejected.clone()));
    assert_eq!(channel_will_be_restored(&env, &c, &old), Some(rejected.clone()));
    assert_eq!(scheduled_post_will_be_created(&env, &c, scheduled.clone()), Outcome::Rejected(rejected.clone()));
    assert_eq!(draft_will_be_upserted(&env, &c, draft.clone()), Outcome::Rejected(rejected));

    env.disable("com.example.3-rejects").unwrap();
    match channel_will_be_updated(&env, &c, new, &old) {
        Outcome::Allow(channel) => {
            assert_eq!(channel.display_name, "Town Square [edited]");
            assert_eq!(channel.purpose, "was Town", "the plugin saw the stored channel too");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(channel_will_be_restored(&env, &c, &old), None);
    match scheduled_post_will_be_created(&env, &c, scheduled) {
        Outcome::Allow(post) => assert_eq!((post.id.as_str(), post.message.as_str()), ("sp1", "later [edited]")),
        other => panic!("{other:?}"),
    }
    match draft_will_be_upserted(&env, &c, draft) {
        Outcome::Allow(draft) => {
            assert_eq!((draft.channel_id.as_str(), draft.message.as_str()), ("ch1", "unsent [edited]"))
        }
        other => panic!("{other:?}"),
    }
    env.shutdown();
}

#[test]
fn twenty_plugins_run_at_once() {
    let site = Site::new();
    let ids: Vec<String> = (0..20).map(|i| format!("com.example.many{i:02}")).collect();
    for id in &ids {
        site.install(id, "rewrite:+");
    }
    let env = site.env(site.config());
    for id in &ids {
        env.enable(id).unwrap();
    }
    env.shutdown();
    let env = site.env(site.config());
    assert!(env.start_enabled().is_empty());
    assert_eq!(env.running().len(), 20);
    match message_will_be_posted(&env, &Context::default(), Post { message: "x".into(), ..Post::default() }) {
        PostOutcome::Allow(p) => assert_eq!(p.message, format!("x{}", " +".repeat(20))),
        other => panic!("{other:?}"),
    }
    let pids: Vec<i32> = ids.iter().map(|id| pid_of(&env, id)).collect();
    env.shutdown();
    assert!(pids.iter().all(|p| !alive(*p)));
}

#[test]
fn a_stopped_plugin_fails_its_health_checks_and_is_restarted() {
    let site = Site::new();
    let dir = site.install("com.example.frozen", "");
    let mut config = site.config();
    config.health.ping_interval = Duration::from_millis(100);
    config.health.ping_timeout = Duration::from_millis(100);
    let env = site.env(config);
    env.enable("com.example.frozen").unwrap();
    let pid = pid_of(&env, "com.example.frozen");
    // SIGSTOP: the process is alive but answers nothing, like a hung plugin.
    // SAFETY: kill(2) with a pid this test started; no memory is involved.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
    eventually("a restart", || activations(&dir) == 2 && state(&env, "com.example.frozen") == PluginState::Running);
    assert!(!alive(pid));
    env.shutdown();
}

// --- the environment is generic: the third-party Job/Ledger interface ----------------------

mod third_party {
    use super::*;
    use plugin_host::environment::Driver;
    use plugin_runtime::process::PluginProcess;
    use plugin_runtime::{ByteStream, Connection, Dispatch};
    use pluginapi_tests::thirdparty::{job_rpc, ledger_rpc, Job, JobReport, Ledger, LedgerError};
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    /// The host's ledger, with one account book per plugin: the driver knows who calls.
    #[derive(Default)]
    struct Books(Mutex<BTreeMap<(String, String), i64>>);

    struct PluginLedger {
        plugin: String,
        books: Arc<Books>,
    }

    impl Ledger for PluginLedger {
        fn record(&self, account: &str, amount: i64) -> Result<i64, LedgerError> {
            let mut books = self.books.0.lock().unwrap();
            let balance = books.entry((self.plugin.clone(), account.to_owned())).or_default();
            *balance += amount;
            Ok(*balance)
        }
        fn balance(&self, account: &str) -> Result<i64, LedgerError> {
            let books = self.books.0.lock().unwrap();
            books
                .get(&(self.plugin.clone(), account.to_owned()))
                .copied()
                .ok_or(LedgerError::UnknownAccount(account.into()))
        }
    }

    struct JobDriver {
        books: Arc<Books>,
    }

    impl Driver for JobDriver {
        type Client = job_rpc::Client<Connection>;

        fn plugin_interface(&self) -> &'static str {
            job_rpc::INTERFACE.name
        }

        fn serve(&self, plugin_id: &str, _connection: Connection) -> Arc<dyn Dispatch> {
            Arc::new(ledger_rpc::Dispatcher::new(PluginLedger {
                plugin: plugin_id.to_owned(),
                books: self.books.clone(),
            }))
        }
        fn client(&self, process: &PluginProcess) -> Self::Client {
            job_rpc::Client::with_peer_methods(process.connection().clone(), process.peer_methods())
        }
        fn activate(&self, _plugin_id: &str, _client: &Self::Client) -> Result<(), String> {
            Ok(())
        }
        fn deactivate(&self, _plugin_id: &str, client: &Self::Client) -> Result<(), String> {
            match client.cancel_all() {
                Err(e) if !e.is_not_implemented() => Err(e.to_string()),
                _ => Ok(()),
            }
        }
    }

    #[test]
    fn the_environment_runs_a_macro_defined_interface() {
        let site = Site::new();
        for id in ["com.example.job-a", "com.example.job-b"] {
            let dir = site.install(id, "");
            fs::copy(env!("CARGO_BIN_EXE_job_plugin"), dir.join("server/plugin")).unwrap();
        }
        let books = Arc::new(Books::default());
        let env = Environment::new(site.config(), JobDriver { books: books.clone() }).unwrap();
        env.enable("com.example.job-a").unwrap();
        env.enable("com.example.job-b").unwrap();
        for running in env.running() {
            let report = running.client.as_ref().unwrap().run("nightly", ByteStream::from("alice 10\nalice 5\n"));
            assert_eq!(report, Ok(JobReport { entries: 2, total: 15 }));
        }
        // Each plugin's calls landed in its own book.
        let books = books.0.lock().unwrap().clone();
        assert_eq!(books.get(&("com.example.job-a".into(), "alice".into())), Some(&15));
        assert_eq!(books.get(&("com.example.job-b".into(), "alice".into())), Some(&15));
        env.disable("com.example.job-a").unwrap();
        assert_eq!(env.running().len(), 1);
        env.shutdown();
    }
}
