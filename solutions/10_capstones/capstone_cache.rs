//! # Capstone: a cache that loads each value once
//!
//! The map's lock is held only to find or create a key's slot, never while a value
//! loads: each slot is a `OnceLock`, shared through an `Arc`, and `get_or_init` lets
//! exactly one thread run the loader while the others asking for that key wait on that
//! slot alone. Lookups of other keys only take the map's lock for a moment, so they go
//! on in parallel. A loader that panics leaves its slot empty and the map's lock
//! untouched (not poisoned), so the next caller simply loads again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

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

    /// The slot of `key`, created empty if the key is new. The map's lock is released
    /// when this returns.
    fn slot(&self, key: K) -> Arc<OnceLock<V>> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slots.entry(key).or_default())
    }

    /// The value of `key` if it is loaded; `None` if it is missing or still loading.
    /// Never waits for a loader.
    pub fn get(&self, key: &K) -> Option<V> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.get(key).and_then(|slot| slot.get().cloned())
    }

    /// The value of `key`, loaded with `load` if it is missing. However many threads
    /// ask for a missing key at the same time, `load` runs once, and every one of them
    /// gets the value it returned. Loading one key never holds up lookups of another.
    pub fn get_or_insert_with(&self, key: K, load: impl FnOnce() -> V) -> V {
        self.slot(key).get_or_init(load).clone()
    }
}

impl<K: Hash + Eq, V: Clone> Default for Cache<K, V> {
    fn default() -> Cache<K, V> {
        Cache::new()
    }
}
