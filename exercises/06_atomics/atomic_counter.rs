//! # An atomic counter
//!
//! An atomic operation is indivisible: no other thread sees it half done. But two
//! atomic operations in a row are not one atomic operation. Another thread may run
//! between them.
//!
//! `increment` below reads the count, then writes it back plus one. Two threads can
//! both read 5 and both write 6: one increment is lost, and both callers get the same
//! number back. Make `increment` a single atomic read-modify-write.

use threadlings::sync::atomic::{AtomicUsize, Ordering};

pub struct Counter {
    count: AtomicUsize,
}

impl Counter {
    pub fn new() -> Self {
        Counter {
            count: AtomicUsize::new(0),
        }
    }

    /// Adds one and returns the count from before: every call gets a different number.
    pub fn increment(&self) -> usize {
        // TODO: another thread can increment between this load and this store. Replace
        // both with one atomic operation that adds and returns the previous count.
        let current = self.count.load(Ordering::Relaxed);
        self.count.store(current + 1, Ordering::Relaxed);
        current
    }

    /// The count so far.
    pub fn get(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

impl Default for Counter {
    fn default() -> Self {
        Counter::new()
    }
}
