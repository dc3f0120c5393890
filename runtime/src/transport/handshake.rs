//! The HELLO exchange that opens a connection: the host speaks first, offering the protocol
//! versions it supports; the plugin answers with the one it picked. Each side states the
//! largest frame it accepts, its stream window, the interface it serves and the methods it
//! implements, so the other side can build a client that never calls a missing method.

use serde::{Deserialize, Serialize};

use super::frame::{self, Header, Kind};
use crate::{codec, MethodSet, RpcError};

/// The magic string in every HELLO: a peer that sends anything else is not this protocol.
pub const HELLO_MAGIC: &str = "plugin-runtime-rpc";

/// The protocol versions this build speaks, oldest first. Version 2 adds the EXPECT frame
/// (a heads-up that a call follows); a side sends it only to a peer that chose version 2.
pub const SUPPORTED_VERSIONS: &[u32] = &[1, 2];

/// The first protocol version with the EXPECT frame.
pub const EXPECT_VERSION: u32 = 2;

/// A HELLO body. MessagePack with named fields, so either side may add fields later.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Hello {
    pub magic: String,
    /// Host: the versions it offers. Plugin: empty.
    pub versions: Vec<u32>,
    /// Plugin: the version it chose from the host's offer. Host: 0.
    pub version: u32,
    /// The largest frame body the sender accepts.
    pub max_frame: u32,
    /// The sender's receive window per stream, in bytes: how much the other side may send on
    /// a stream before the sender grants more.
    pub window: u32,
    /// Name of the interface the sender serves.
    pub interface: String,
    /// Ids of the methods the sender implements.
    pub methods: Vec<u32>,
    /// The sender's process id, for logs.
    pub pid: u32,
    /// The sender's name, for logs.
    pub name: String,
}

impl Hello {
    /// The whole HELLO frame.
    pub fn to_frame(&self) -> Result<Vec<u8>, RpcError> {
        let body = codec::encode("HELLO", self)?;
        let mut out = Header { kind: Kind::Hello, flags: 0, len: body.len() as u32, id: 0 }.encode().to_vec();
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decodes and checks a HELLO body.
    pub fn from_body(body: &[u8]) -> Result<Hello, RpcError> {
        let hello: Hello =
            codec::decode("HELLO", body).map_err(|e| frame::protocol(format!("undecodable HELLO: {e}")))?;
        if hello.magic != HELLO_MAGIC {
            return Err(frame::protocol(format!(
                "the peer's HELLO has magic {:?}, expected {HELLO_MAGIC:?}: it does not speak this protocol",
                hello.magic
            )));
        }
        Ok(hello)
    }
}

/// What a connection knows about its peer after the handshake.
#[derive(Debug, Clone)]
pub struct PeerInfo {
    pub version: u32,
    pub max_frame: u32,
    pub window: u32,
    pub interface: String,
    pub methods: MethodSet,
    pub pid: u32,
    pub name: String,
}

impl PeerInfo {
    pub fn from_hello(hello: &Hello, version: u32) -> PeerInfo {
        PeerInfo {
            version,
            max_frame: hello.max_frame,
            window: hello.window,
            interface: hello.interface.clone(),
            methods: hello.methods.iter().copied().collect(),
            pid: hello.pid,
            name: hello.name.clone(),
        }
    }
}

/// Refuses a peer that serves another interface than `expected` (when there is one).
pub fn check_interface(expected: Option<&str>, theirs: &Hello) -> Result<(), String> {
    match expected {
        Some(expected) if expected != theirs.interface => Err(format!(
            "the peer `{}` serves the interface {:?}, not {expected:?}: it is not a plugin of this kind",
            theirs.name, theirs.interface
        )),
        _ => Ok(()),
    }
}

/// The highest version both sides speak.
pub fn choose_version(offered: &[u32]) -> Option<u32> {
    SUPPORTED_VERSIONS.iter().rev().copied().find(|v| offered.contains(v))
}
