//! # Interior mutability between threads: `RefCell` versus `Mutex`
//!
//! `RefCell<T>` lets code change a value through a shared reference: `borrow_mut`
//! checks, at run time, that nobody else is borrowing it. That check counts borrows in
//! a plain integer, so two threads calling `borrow_mut` at once could both see "free"
//! and both change the value. `RefCell` is therefore not `Sync`: a `&RefCell` cannot be
//! shared between threads. `Mutex<T>` offers the same step from `&` to `&mut`, but a
//! thread that finds it taken waits for its turn. Because it hands the value to one
//! thread at a time, `Mutex<T>` is `Sync` whenever `T` is `Send`; `T` need not be `Sync`.
//!
//! With a `Mutex`, `Inbox<T>` is `Sync` exactly when `T: Send`, with no `unsafe impl`:
//! posts from many threads never overlap, and each thread's posts keep their order. An
//! `RwLock` would demand `T: Sync` as well, because it lets several readers see the
//! value at once; an inbox never needs that.

use std::sync::{Mutex, MutexGuard, PoisonError};

pub struct Inbox<T> {
    messages: Mutex<Vec<T>>,
}

impl<T> Inbox<T> {
    pub fn new() -> Self {
        Inbox {
            messages: Mutex::new(Vec::new()),
        }
    }

    /// Adds a message after every message posted before it.
    pub fn post(&self, message: T) {
        self.messages().push(message);
    }

    /// Takes every message posted so far, oldest first, and leaves the inbox empty.
    pub fn take_all(&self) -> Vec<T> {
        std::mem::take(&mut *self.messages())
    }

    /// A thread that panicked while posting left a complete `Vec` behind (`push` either
    /// happened or not), so a poisoned lock is still safe to use.
    fn messages(&self) -> MutexGuard<'_, Vec<T>> {
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox::new()
    }
}
