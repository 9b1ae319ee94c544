//! The in-memory set of infohashes a private tracker serves: filled by the server from the
//! database at start-up and told of every new or rewritten torrent at once, so an announce
//! never waits on a query.

use std::collections::HashSet;
use std::sync::RwLock;

use crate::KnownInfohashes;
use crate::error::TrackerError;
use crate::ids::InfoHash;

#[derive(Debug, Default)]
pub struct InfohashRegistry {
    set: RwLock<HashSet<InfoHash>>,
}

impl InfohashRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an infohash; returns whether it was new.
    pub fn insert(&self, info_hash: InfoHash) -> bool {
        self.write(|set| set.insert(info_hash))
    }

    /// [`Self::insert`] from 40 hex digits, as stored in the database.
    pub fn insert_hex(&self, hex: &str) -> Result<bool, TrackerError> {
        Ok(self.insert(hex.parse()?))
    }

    pub fn remove(&self, info_hash: &InfoHash) -> bool {
        self.write(|set| set.remove(info_hash))
    }

    pub fn remove_hex(&self, hex: &str) -> Result<bool, TrackerError> {
        Ok(self.remove(&hex.parse()?))
    }

    /// Swaps in a complete new set (a full reload from the database).
    pub fn replace_all(&self, all: impl IntoIterator<Item = InfoHash>) {
        let fresh: HashSet<InfoHash> = all.into_iter().collect();
        self.write(|set| *set = fresh);
    }

    pub fn contains(&self, info_hash: &InfoHash) -> bool {
        match self.set.read() {
            Ok(set) => set.contains(info_hash),
            Err(poisoned) => poisoned.into_inner().contains(info_hash),
        }
    }

    pub fn len(&self) -> usize {
        match self.set.read() {
            Ok(set) => set.len(),
            Err(poisoned) => poisoned.into_inner().len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn write<R>(&self, f: impl FnOnce(&mut HashSet<InfoHash>) -> R) -> R {
        match self.set.write() {
            Ok(mut set) => f(&mut set),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}

impl KnownInfohashes for InfohashRegistry {
    fn is_known(&self, info_hash: &[u8; 20]) -> bool {
        self.contains(&InfoHash(*info_hash))
    }
}
