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
//! `Inbox` collects messages posted through `&self`. The checks post to one inbox from
//! several threads at once, which does not compile yet. Make an `Inbox<T>` shareable
//! between threads whenever its messages may move between threads (`T: Send`).

use std::cell::RefCell;

pub struct Inbox<T> {
    // TODO: `RefCell` is for one thread. Use the std type that lets threads take turns
    // changing the value (here and in the methods below).
    messages: RefCell<Vec<T>>,
}

impl<T> Inbox<T> {
    pub fn new() -> Self {
        Inbox {
            messages: RefCell::new(Vec::new()),
        }
    }

    /// Adds a message after every message posted before it.
    pub fn post(&self, message: T) {
        self.messages.borrow_mut().push(message);
    }

    /// Takes every message posted so far, oldest first, and leaves the inbox empty.
    pub fn take_all(&self) -> Vec<T> {
        std::mem::take(&mut *self.messages.borrow_mut())
    }
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox::new()
    }
}
