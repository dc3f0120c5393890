//! The table of open streams, by id: which of them this side receives and which it sends, so a
//! DATA, END, WINDOW or RESET frame read off the pipe reaches its stream's flow state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::flow::{RecvState, SendState};
use super::sync::lock;

pub(crate) enum StreamEntry {
    /// This side receives the stream's data.
    Recv(Arc<RecvState>),
    /// This side sends the stream's data.
    Send(Arc<SendState>),
}

/// The open streams both ways, by id.
#[derive(Default)]
pub(crate) struct StreamTable {
    streams: Mutex<HashMap<u64, StreamEntry>>,
}

impl StreamTable {
    /// Adds a stream; false when its id was in use (the entry is replaced).
    pub fn insert(&self, id: u64, entry: StreamEntry) -> bool {
        lock(&self.streams).insert(id, entry).is_none()
    }

    /// The receiving end of stream `id`, if this side receives it.
    pub fn recv(&self, id: u64) -> Option<Arc<RecvState>> {
        match lock(&self.streams).get(&id) {
            Some(StreamEntry::Recv(s)) => Some(s.clone()),
            _ => None,
        }
    }

    /// The sending end of stream `id`, if this side sends it.
    pub fn send(&self, id: u64) -> Option<Arc<SendState>> {
        match lock(&self.streams).get(&id) {
            Some(StreamEntry::Send(s)) => Some(s.clone()),
            _ => None,
        }
    }

    /// Takes stream `id` out if this side receives it (END); a stream this side sends stays.
    pub fn take_recv(&self, id: u64) -> Option<Arc<RecvState>> {
        let mut table = lock(&self.streams);
        match table.get(&id) {
            Some(StreamEntry::Recv(_)) => match table.remove(&id) {
                Some(StreamEntry::Recv(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// Takes stream `id` out if this side sends it (RESET); a stream this side receives stays.
    pub fn take_send(&self, id: u64) -> Option<Arc<SendState>> {
        let mut table = lock(&self.streams);
        match table.get(&id) {
            Some(StreamEntry::Send(_)) => match table.remove(&id) {
                Some(StreamEntry::Send(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// Drops a stream from the table (its owner is done with it).
    pub fn remove(&self, id: u64) {
        lock(&self.streams).remove(&id);
    }

    /// Drops the streams of a finished call.
    pub fn remove_all(&self, ids: impl Iterator<Item = u64>) {
        let mut table = lock(&self.streams);
        for id in ids {
            table.remove(&id);
        }
    }

    /// Stops the streams of an abandoned call: pumps see a reset, received data is dropped.
    pub fn abandon<'a>(&self, ids: impl Iterator<Item = &'a u64>) {
        let mut table = lock(&self.streams);
        for id in ids {
            match table.remove(id) {
                Some(StreamEntry::Send(s)) => s.reset(),
                Some(StreamEntry::Recv(s)) => {
                    s.finish(Err("the call was abandoned".to_owned()));
                }
                None => {}
            }
        }
    }

    /// Empties the table (the connection closed), for the caller to end every stream.
    pub fn drain(&self) -> Vec<StreamEntry> {
        lock(&self.streams).drain().map(|(_, s)| s).collect()
    }
}
