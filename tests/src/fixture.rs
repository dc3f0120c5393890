//! A small trait that uses every shape the generator supports (borrowed and owned parameters,
//! byte blobs, streams, sinks, HTTP, default bodies). Its generated glue is checked in next to
//! it and snapshotted by pluginapi-gen's tests, so a change to the emitter shows up as a
//! readable diff on a small file.

use plugin_runtime::{ByteSink, ByteStream, RpcError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A greeting, as the fixture's model type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Greeting {
    pub text: String,
    pub language: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// The fixture's error type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GreetError {
    Refused(String),
    Rpc(RpcError),
}

impl From<RpcError> for GreetError {
    fn from(e: RpcError) -> Self {
        GreetError::Rpc(e)
    }
}

/// A service that greets people.
pub trait Greeter: Send + Sync {
    /// Greets one person by name.
    ///
    /// Wire id: 0
    fn greet(&self, name: &str) -> Result<Greeting, GreetError>;

    /// Greets many people, with an optional template.
    ///
    /// Wire id: 1
    fn greet_all(&self, names: &[String], template: Option<Greeting>, times: i64) -> Result<Vec<Greeting>, GreetError>;

    /// Stores an avatar and returns the previous one, if any.
    ///
    /// Wire id: 2
    fn swap_avatar(&self, owner: &Greeting, image: &[u8]) -> Result<Option<Vec<u8>>, RpcError>;

    /// Returns raw bytes and their checksum.
    ///
    /// Wire id: 3
    fn fetch(&self, key: String) -> Result<(Vec<u8>, u32), RpcError>;

    /// Reads an upload, writes a filtered copy to `output`, and returns its size.
    ///
    /// Wire id: 5
    fn filter(&self, greeting: &Greeting, input: ByteStream, output: ByteSink) -> Result<u64, GreetError>;

    /// Serves an HTTP request.
    ///
    /// Wire id: 6
    fn serve(&self, request: http::Request<ByteStream>) -> Result<http::Response<ByteStream>, RpcError>;

    /// Opens a download.
    ///
    /// Wire id: 7
    fn download(&self, path: &str) -> Result<ByteStream, GreetError>;

    /// Says goodbye; implementations may leave it out.
    ///
    /// Wire id: 9
    fn farewell(&self) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("farewell"))
    }

    /// Returns a blob.
    ///
    /// Wire id: 10
    fn blob(&self) -> Result<Vec<u8>, GreetError>;
}

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "generated/fixture.rs"]
pub mod rpc;
