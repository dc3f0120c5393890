//! A plugin implementing the third-party `Job` interface (defined only with the attribute),
//! calling the host's `Ledger` back for every entry.

use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::{ByteStream, Connection};
use pluginapi_tests::thirdparty::{job_rpc, ledger_rpc, Job, JobReport, Ledger, LedgerError};
use std::io::{BufRead, BufReader};

struct Batch {
    ledger: ledger_rpc::Client<Connection>,
}

#[plugin_macros::implemented]
impl Job for Batch {
    fn run(&self, _name: &str, input: ByteStream) -> Result<JobReport, LedgerError> {
        let mut report = JobReport::default();
        for line in BufReader::new(input).lines() {
            let line = line.map_err(|e| LedgerError::BadInput(e.to_string()))?;
            let Some((account, amount)) = line.split_once(' ') else { continue };
            let amount: i64 = amount.trim().parse().map_err(|_| LedgerError::BadInput(line.clone()))?;
            self.ledger.record(account, amount)?;
            report.entries += 1;
            report.total += amount;
        }
        Ok(report)
    }
}

fn main() {
    plugin::run(PluginConfig::new("job-plugin", "a batch job plugin for the third-party Ledger interface"), |host| {
        let ledger = ledger_rpc::Client::with_peer_methods(host.clone(), host.peer_methods());
        job_rpc::Dispatcher::declared(Batch { ledger })
    })
}
