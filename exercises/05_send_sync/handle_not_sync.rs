//! # A handle that must not be shared: `Send` without `Sync`
//!
//! `Cell<T>` changes a value through `&` with no lock at all. That is sound only while
//! every `&` to it is on one thread, so `Cell` is `Send` (it may move to another thread
//! and be used there) but not `Sync` (it may not be used from two threads at once). A
//! type that holds a `Cell` is the same, and the compiler works that out by itself.
//!
//! `Tally` counts and sums measurements through `&self`, in `Cell`s: a cheap handle
//! for one thread. To fill one tally from two threads at once, someone promised
//! `unsafe impl Sync for Tally`. The promise is false: both threads update the same
//! `Cell`s, and updates get lost. Remove it, and keep `tally_in_parallel` measuring on
//! two threads at once: give each thread a `Tally` of its own (a `Tally` may move
//! between threads), and combine them at the end. Keep `Tally` itself a plain
//! single-thread handle: no atomics or locks in it. If `measure` panics, on either
//! thread, `tally_in_parallel` must panic with that same panic, not one of its own
//! (`std::panic::resume_unwind` passes on what `join` returns).

use std::cell::Cell;
use std::thread;

pub struct Tally {
    count: Cell<u64>,
    sum: Cell<u64>,
}

// TODO: this promise is false: two threads recording into one `Tally` race on its
// `Cell`s. Remove it, then fix `tally_in_parallel`.
unsafe impl Sync for Tally {}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            count: Cell::new(0),
            sum: Cell::new(0),
        }
    }

    pub fn record(&self, value: u64) {
        self.count.set(self.count.get() + 1);
        self.sum.set(self.sum.get() + value);
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        self.count.get()
    }

    /// The sum of the recorded values.
    pub fn sum(&self) -> u64 {
        self.sum.get()
    }

    /// Adds everything `other` recorded to this tally.
    pub fn absorb(&self, other: Tally) {
        self.count.set(self.count.get() + other.count());
        self.sum.set(self.sum.get() + other.sum());
    }
}

impl Default for Tally {
    fn default() -> Self {
        Tally::new()
    }
}

/// Measures every item and tallies the measurements, on two threads at once.
pub fn tally_in_parallel<T, F>(items: &[T], measure: F) -> Tally
where
    T: Sync,
    F: Fn(&T) -> u64 + Sync,
{
    let (left, right) = items.split_at(items.len() / 2);
    let tally = Tally::new();
    thread::scope(|scope| {
        // TODO: both threads record into the one `tally`. Give the spawned thread a
        // `Tally` of its own, return it from the thread, and absorb it.
        scope.spawn(|| {
            for item in left {
                tally.record(measure(item));
            }
        });
        for item in right {
            tally.record(measure(item));
        }
    });
    tally
}
