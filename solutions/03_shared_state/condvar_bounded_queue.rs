//! # Waiting for a condition with `Condvar`
//!
//! Each wait sits in a `while` loop: a thread that wakes up checks the condition again
//! under the lock, because another thread may have taken the item or the room it was
//! told about. Every push notifies `not_empty` and every pop notifies `not_full`, so a
//! thread that waits is always woken by the change it waits for.
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
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        self.not_empty.notify_one();
    }

    /// Takes the item at the front, first waiting while the queue is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items.pop_front().expect(
            "`pop` took from an empty queue: it must wait while the queue is empty, and \
             check again each time it wakes up",
        );
        self.not_full.notify_one();
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
