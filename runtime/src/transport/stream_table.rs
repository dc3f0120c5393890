//! The table of open streams, by id: which of them this side receives and which it sends, so a
//! DATA, END, WINDOW or RESET frame read off the pipe reaches its stream's flow state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::flow::{RecvState, SendState};
use super::frame;
use super::sync::lock;
use crate::RpcError;

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
    /// Adds the streams of one call or reply, those this side receives and those it sends: all
    /// of them, or (when an id is already in use, or used twice) none, and the protocol error
    /// that is. Ids come from the peer (its calls, its replies) or from this side's own
    /// counter, whose ids the peer must never use: either way a duplicate is the peer's fault.
    pub fn register(&self, recv: &[Arc<RecvState>], send: &[Arc<SendState>]) -> Result<(), RpcError> {
        if recv.is_empty() && send.is_empty() {
            return Ok(()); // most calls: no lock taken
        }
        let ids = || recv.iter().map(|s| s.id).chain(send.iter().map(|s| s.id));
        let entries = recv
            .iter()
            .map(|s| (s.id, StreamEntry::Recv(s.clone())))
            .chain(send.iter().map(|s| (s.id, StreamEntry::Send(s.clone()))));
        let mut table = lock(&self.streams);
        for (added, (id, entry)) in entries.enumerate() {
            if let Some(previous) = table.insert(id, entry) {
                // Leave the table as it was: the entry this one replaced back, this batch out.
                table.insert(id, previous);
                for id in ids().take(added) {
                    table.remove(&id);
                }
                return Err(frame::protocol(format!("stream id {id} is already in use")));
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn recv(id: u64) -> Arc<RecvState> {
        RecvState::new(id, 64)
    }

    fn send(id: u64) -> Arc<SendState> {
        SendState::new(id, 64)
    }

    fn ids(table: &StreamTable) -> Vec<u64> {
        let mut ids: Vec<u64> = lock(&table.streams).keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn streams_of_both_directions_are_registered_and_found_by_direction() {
        let table = StreamTable::default();
        table.register(&[recv(1), recv(3)], &[send(5)]).unwrap();
        table.register(&[], &[]).unwrap();
        assert_eq!(ids(&table), [1, 3, 5]);
        assert!(table.recv(1).is_some() && table.send(1).is_none());
        assert!(table.send(5).is_some() && table.recv(5).is_none());
        assert!(table.take_send(1).is_none(), "a RESET does not take a stream this side receives");
        assert!(table.take_recv(1).is_some());
        assert_eq!(ids(&table), [3, 5]);
    }

    #[test]
    fn a_stream_id_already_in_use_is_refused_and_the_batch_left_out() {
        let table = StreamTable::default();
        let first = recv(7);
        table.register(std::slice::from_ref(&first), &[]).unwrap();
        let err = table.register(&[recv(9)], &[send(11), send(7), send(13)]).unwrap_err();
        assert!(matches!(err, RpcError::Protocol { .. }), "{err:?}");
        assert!(err.to_string().contains("stream id 7 is already in use"), "{err}");
        // Nothing of the refused batch stays, and the stream already there is untouched.
        assert_eq!(ids(&table), [7]);
        assert!(Arc::ptr_eq(&table.recv(7).unwrap(), &first));
    }

    #[test]
    fn a_stream_id_used_twice_in_one_batch_is_refused() {
        let table = StreamTable::default();
        let err = table.register(&[recv(2), recv(4)], &[send(2)]).unwrap_err();
        assert!(err.to_string().contains("stream id 2 is already in use"), "{err}");
        assert_eq!(ids(&table), Vec::<u64>::new());
    }
}
