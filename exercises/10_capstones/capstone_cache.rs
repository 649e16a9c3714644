//! # Capstone: a cache that loads each value once
//!
//! A cache shared by many threads has two jobs that pull against each other. It must
//! load a missing value **once**, even when eight threads ask for it at the same
//! moment (a loader may be a slow query, or have side effects). And it must not make
//! every thread wait while one value loads: a lookup of another key should go ahead.
//!
//! Holding the map's `Mutex` while the loader runs gets the first right and the second
//! wrong: every other key waits. Releasing the lock, loading, and taking the lock
//! again to insert gets the second right and the first wrong: every thread that saw
//! the key missing runs the loader. The way out is a slot per key: the map's lock is
//! held just long enough to find or create the key's slot, an `Arc<OnceLock<V>>`, and
//! the slot itself makes the threads that want *that* key wait for one loader
//! (chapter 3's shared state meets chapter 2's threads, and chapter 6's once-cell).
//!
//! Write `get` and `get_or_insert_with`. A loader may panic: the key must then stay
//! missing, and the cache must go on working.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

/// A map from keys to values that are loaded on first use, by whichever thread asks
/// first, while other threads asking for the same key wait for that load.
pub struct Cache<K, V> {
    /// One slot per key that was ever asked for. A slot is empty while its value loads
    /// (or after its loader panicked), and full once it is loaded.
    slots: Mutex<HashMap<K, Arc<OnceLock<V>>>>,
}

impl<K: Hash + Eq, V: Clone> Cache<K, V> {
    pub fn new() -> Cache<K, V> {
        Cache {
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The value of `key` if it is loaded; `None` if it is missing or still loading.
    /// Never waits for a loader.
    pub fn get(&self, key: &K) -> Option<V> {
        // TODO: look the key's slot up under the lock and return a clone of its value,
        // if it has one. `OnceLock::get` does not wait.
        let _ = key;
        todo!("look up the key's slot")
    }

    /// The value of `key`, loaded with `load` if it is missing. However many threads
    /// ask for a missing key at the same time, `load` runs once, and every one of them
    /// gets the value it returned. Loading one key never holds up lookups of another.
    pub fn get_or_insert_with(&self, key: K, load: impl FnOnce() -> V) -> V {
        // TODO: under the map's lock, find the key's slot or create an empty one, and
        // keep a clone of its `Arc`. Then, with the lock released, let the slot run
        // `load` once and hand its value to every caller.
        let _ = (key, load);
        todo!("find or create the key's slot, then load it once")
    }
}

impl<K: Hash + Eq, V: Clone> Default for Cache<K, V> {
    fn default() -> Cache<K, V> {
        Cache::new()
    }
}
