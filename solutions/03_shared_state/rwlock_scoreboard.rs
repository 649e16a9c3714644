//! # Many readers at once with `RwLock`
//!
//! `read` takes a read guard, so readers share the lock; `write` takes the write guard,
//! which waits until no reader is inside. `record` makes its decision under the write
//! guard, where no other thread can change the best score between the comparison and
//! the update (and it never asks for the write lock while holding a read guard, which
//! would wait for itself).

use std::collections::HashMap;
use threadlings::sync::RwLock;

#[derive(Default)]
pub struct ScoreBoard {
    best: RwLock<HashMap<String, u32>>,
}

impl ScoreBoard {
    pub fn new() -> Self {
        ScoreBoard::default()
    }

    /// Runs `look` on the scores with shared access: readers do not wait for each other.
    pub fn read<R>(&self, look: impl FnOnce(&HashMap<String, u32>) -> R) -> R {
        let best = self.best.read().unwrap();
        look(&best)
    }

    /// Runs `change` on the scores with exclusive access.
    pub fn write<R>(&self, change: impl FnOnce(&mut HashMap<String, u32>) -> R) -> R {
        let mut best = self.best.write().unwrap();
        change(&mut best)
    }

    /// `player`'s best score so far.
    pub fn best(&self, player: &str) -> Option<u32> {
        self.read(|best| best.get(player).copied())
    }

    /// Records `score` as `player`'s best if it beats their best so far (any score
    /// beats none), and says whether it did.
    pub fn record(&self, player: &str, score: u32) -> bool {
        self.write(|best| match best.get_mut(player) {
            Some(old) if *old >= score => false,
            Some(old) => {
                *old = score;
                true
            }
            None => {
                best.insert(player.to_string(), score);
                true
            }
        })
    }
}
