//! The third-party interface of `src/thirdparty.rs`, defined only with `#[plugin_macros::interface]`,
//! end to end between this process (the host, serving `Ledger`) and a real plugin process
//! (`job_plugin`, serving `Job` and calling the ledger back from inside `run`).

use plugin_runtime::process::{HostConfig, PluginProcess};
use plugin_runtime::{ByteStream, RpcError};
use pluginapi_tests::thirdparty::{job_rpc, ledger_rpc, Job, JobReport, Ledger, LedgerError};
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Accounts(Mutex<BTreeMap<String, i64>>);

impl Ledger for Accounts {
    fn record(&self, account: &str, amount: i64) -> Result<i64, LedgerError> {
        let mut accounts = self.0.lock().unwrap();
        let balance = accounts.entry(account.to_owned()).or_default();
        *balance += amount;
        Ok(*balance)
    }

    fn balance(&self, account: &str) -> Result<i64, LedgerError> {
        self.0.lock().unwrap().get(account).copied().ok_or_else(|| LedgerError::UnknownAccount(account.into()))
    }
}

#[test]
fn a_macro_defined_interface_runs_between_processes() {
    let accounts = Arc::new(Accounts::default());
    let served = Arc::clone(&accounts);
    let plugin = PluginProcess::spawn(
        Command::new(env!("CARGO_BIN_EXE_job_plugin")),
        HostConfig::new("job-plugin"),
        move |_| ledger_rpc::Dispatcher::new(served),
    )
    .expect("the plugin starts");
    let job = job_rpc::Client::with_peer_methods(plugin.connection().clone(), plugin.peer_methods());

    let input = ByteStream::from("alice 10\nbob 5\nalice -3\n");
    assert_eq!(job.run("nightly", input), Ok(JobReport { entries: 3, total: 12 }));
    assert_eq!(accounts.balance("alice"), Ok(7));
    assert_eq!(accounts.balance("bob"), Ok(5));

    // The plugin's error comes back typed.
    let bad = job.run("broken", ByteStream::from("carol lots\n"));
    assert_eq!(bad, Err(LedgerError::BadInput("carol lots".into())));

    // `cancel_all` is not in the plugin's `#[implemented]` block: known from the handshake, it
    // fails at once without a round trip.
    assert!(!plugin.peer_methods().contains(job_rpc::methods::CANCEL_ALL.id));
    assert!(matches!(job.cancel_all(), Err(RpcError::NotImplemented { .. })));
    // It exits by itself, successfully, when the pipes close (a kill would not be a success).
    let status = plugin.shutdown(std::time::Duration::from_secs(30)).expect("the plugin exits");
    assert!(status.success(), "{status:?}");
}
