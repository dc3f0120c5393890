//! A third-party host/plugin interface defined only with the attribute, not with the xtask:
//! the host offers a [`Ledger`], plugins implement [`Job`]. The integration test
//! `tests/third_party.rs` runs it between real processes (plugin: `src/bin/job_plugin.rs`).

use plugin_runtime::{ByteStream, RpcError};
use serde::{Deserialize, Serialize};

/// What a job reports when it is done.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobReport {
    pub entries: u64,
    pub total: i64,
}

/// The interface's error type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LedgerError {
    UnknownAccount(String),
    BadInput(String),
    Rpc(RpcError),
}

impl From<RpcError> for LedgerError {
    fn from(e: RpcError) -> Self {
        LedgerError::Rpc(e)
    }
}

/// What the host offers its plugins: a ledger of accounts.
#[plugin_macros::interface]
pub trait Ledger: Send + Sync {
    /// Adds `amount` to `account` and returns its new balance.
    ///
    /// Wire id: 0
    fn record(&self, account: &str, amount: i64) -> Result<i64, LedgerError>;

    /// The balance of an account; an error for an account never recorded.
    ///
    /// Wire id: 1
    fn balance(&self, account: &str) -> Result<i64, LedgerError>;
}

/// What a plugin does for the host.
#[plugin_macros::interface]
pub trait Job: Send + Sync {
    /// Runs a batch of `account amount` lines read from `input`, recording each in the host's
    /// ledger.
    ///
    /// Wire id: 0
    fn run(&self, name: &str, input: ByteStream) -> Result<JobReport, LedgerError>;

    /// Stops every running job; optional.
    ///
    /// Wire id: 1
    fn cancel_all(&self) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("cancel_all"))
    }
}
