//! # An atomic counter
//!
//! An atomic operation is indivisible: no other thread sees it half done. A `load`
//! followed by a `store` is two operations, and another thread can increment in
//! between; both threads then store the same number and one increment is lost. A
//! read-modify-write such as `fetch_add` reads, adds and writes as one step, so every
//! increment counts, and each call gets back a count that no other call gets.
//!
//! A counter protects no other data, so `Relaxed` is enough: atomicity is about this
//! one variable, ordering is about the others (the next exercises).

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
        self.count.fetch_add(1, Ordering::Relaxed)
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
