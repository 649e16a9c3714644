//! # Many readers at once with `RwLock`
//!
//! A `Mutex` lets one thread in at a time, even when every thread only wants to look.
//! `RwLock<T>` tells the two apart: any number of threads may hold a read guard (`&T`)
//! at the same time, while a write guard (`&mut T`) waits until it is alone, and keeps
//! everyone else out while it lasts. That suits data that is read often and changed
//! rarely, such as this board of best scores.
//!
//! There is no way to turn a read guard into a write guard. A thread that holds a read
//! guard and asks for the write lock waits for every reader to leave, itself included:
//! it waits forever. And a check made under a read guard is stale as soon as the guard
//! is dropped, so a decision to write must be checked again under the write guard.
//!
//! Let readers in together, and make `record` decide and write in one step.

use std::collections::HashMap;
// TODO: `RwLock` lives in `threadlings::sync` too.
use threadlings::sync::Mutex;

#[derive(Default)]
pub struct ScoreBoard {
    // TODO: a `Mutex` admits one reader at a time. Use an `RwLock`.
    best: Mutex<HashMap<String, u32>>,
}

impl ScoreBoard {
    pub fn new() -> Self {
        ScoreBoard::default()
    }

    /// Runs `look` on the scores with shared access: readers do not wait for each other.
    pub fn read<R>(&self, look: impl FnOnce(&HashMap<String, u32>) -> R) -> R {
        // TODO: take a read guard.
        let best = self.best.lock().unwrap();
        look(&best)
    }

    /// Runs `change` on the scores with exclusive access.
    pub fn write<R>(&self, change: impl FnOnce(&mut HashMap<String, u32>) -> R) -> R {
        // TODO: take a write guard.
        let mut best = self.best.lock().unwrap();
        change(&mut best)
    }

    /// `player`'s best score so far.
    pub fn best(&self, player: &str) -> Option<u32> {
        self.read(|best| best.get(player).copied())
    }

    /// Records `score` as `player`'s best if it beats their best so far (any score
    /// beats none), and says whether it did.
    pub fn record(&self, player: &str, score: u32) -> bool {
        // TODO: between the read and the write another thread can record a higher
        // score, which this write would then overwrite. Decide and write in one step.
        let beats = self.read(|best| best.get(player).is_none_or(|&old| score > old));
        if beats {
            self.write(|best| best.insert(player.to_string(), score));
        }
        beats
    }
}
