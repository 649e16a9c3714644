//! # Waiting for a condition with `Condvar`
//!
//! A `Mutex` keeps threads from changing shared state at the same time, but it cannot
//! make a thread wait *until* the state is right: until a queue has an item, or has
//! room. Spinning on the lock would waste a core. A `Condvar` lets a thread sleep
//! until another thread tells it that something changed: `cvar.wait(guard)` unlocks the
//! mutex, sleeps, and locks it again before returning; `notify_one`/`notify_all` wake
//! sleepers.
//!
//! Waking up is not the same as the condition being true. Between the notification and
//! the moment the woken thread holds the lock again, another thread may have taken the
//! item (and waits may also end spuriously, for no reason at all). So a wait always
//! sits in a `while` loop that checks the condition again, never in an `if`.
//!
//! Make `push` wait while the queue is full and `pop` wait while it is empty, and have
//! each wake the threads that wait for what it changed.
//!
//! The exercise imports its types from `threadlings::sync` so that loom can explore
//! every interleaving of producers and consumers.

use std::collections::VecDeque;
use threadlings::sync::{Condvar, Mutex};

pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    /// Signalled when an item has been pushed.
    not_empty: Condvar,
    /// Signalled when an item has been popped.
    not_full: Condvar,
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a queue needs room for at least one item");
        BoundedQueue {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Adds `item` at the back, first waiting while the queue is full.
    pub fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        // TODO: while the queue is full, wait on `not_full`.
        items.push_back(item);
        // TODO: wake a thread waiting on `not_empty`.
    }

    /// Takes the item at the front, first waiting while the queue is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        // TODO: while the queue is empty, wait on `not_empty`.
        let item = items.pop_front().expect(
            "`pop` took from an empty queue: it must wait while the queue is empty, and \
             check again each time it wakes up",
        );
        // TODO: wake a thread waiting on `not_full`.
        item
    }

    /// How many items are in the queue now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
