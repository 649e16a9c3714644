//! # A handle that must not be shared: `Send` without `Sync`
//!
//! `Cell<T>` changes a value through `&` with no lock at all. That is sound only while
//! every `&` to it is on one thread, so `Cell` is `Send` (it may move to another thread
//! and be used there) but not `Sync` (it may not be used from two threads at once). A
//! type that holds a `Cell` is the same, and the compiler works that out by itself.
//!
//! Without the false `unsafe impl Sync`, `Tally` is `Send` but not `Sync`, as its
//! `Cell`s are. Each thread fills a `Tally` of its own, with no sharing and no
//! contention; the spawned thread's tally moves back to this thread through `join`
//! (which needs only `Send`) and is absorbed there.

use std::cell::Cell;
use std::thread;

pub struct Tally {
    count: Cell<u64>,
    sum: Cell<u64>,
}

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
    let tally_of = |half: &[T]| {
        let tally = Tally::new();
        for item in half {
            tally.record(measure(item));
        }
        tally
    };
    thread::scope(|scope| {
        let left_tally = scope.spawn(|| tally_of(left));
        let tally = tally_of(right);
        match left_tally.join() {
            Ok(left_tally) => tally.absorb(left_tally),
            // A panic in `measure` on the other thread is passed on, message and all.
            Err(panic) => std::panic::resume_unwind(panic),
        }
        tally
    })
}
