//! # Initialize once
//!
//! A `OnceCell` starts empty; the first `get_or_init` runs its initializer and stores
//! the result, and every later call, on any thread, returns that same value. Two things
//! can go wrong: two threads can both find the cell empty and both run an initializer,
//! and a thread can find the cell ready but not yet see the value in it.
//!
//! The cell's `state` goes UNINIT → RUNNING → READY. One `compare_exchange` from UNINIT
//! to RUNNING lets exactly one thread claim the work: a `load` then a `store` would let
//! two threads both see UNINIT. The others wait while the state is RUNNING. The winner
//! writes the value and then stores READY with `Release`; a thread whose `Acquire` load
//! (in `get`) reads READY sees the value. If an initializer panics, this cell stays
//! RUNNING and later callers wait forever; `std::sync::OnceLock` handles that case,
//! this exercise does not.

use threadlings::cell::UnsafeCell;
use threadlings::sync::atomic::{AtomicU8, Ordering};

const UNINIT: u8 = 0;
const RUNNING: u8 = 1;
const READY: u8 = 2;

pub struct OnceCell<T> {
    state: AtomicU8,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: one thread writes the value, while the state is RUNNING; any thread reads it
// once the state is READY (so `T: Sync`), and the thread that initializes it may not be
// the one that drops it (so `T: Send`).
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

impl<T> OnceCell<T> {
    pub fn new() -> Self {
        OnceCell {
            state: AtomicU8::new(UNINIT),
            value: UnsafeCell::new(None),
        }
    }

    /// The value, if the cell is initialized.
    pub fn get(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) == READY {
            // SAFETY: READY means the value is written and will never change again.
            self.value.with(|value| unsafe { (*value).as_ref() })
        } else {
            None
        }
    }

    /// The value; if the cell is empty, runs `init` first (on one thread only: callers
    /// that arrive while it runs wait for it).
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        loop {
            // Claiming the cell publishes nothing and reads nothing, so `Relaxed` will do:
            // the value is published by the `Release` store of READY and read through
            // `get`, whose `Acquire` load pairs with it.
            match self
                .state
                .compare_exchange(UNINIT, RUNNING, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    let value = init();
                    // SAFETY: this thread moved the state to RUNNING, so no other thread
                    // reads or writes the value until it is READY.
                    self.value.with_mut(|slot| unsafe { *slot = Some(value) });
                    self.state.store(READY, Ordering::Release);
                    break;
                }
                Err(READY) => break,
                Err(_) => threadlings::hint::spin_loop(),
            }
        }
        self.get().expect("the cell is READY, so it holds a value")
    }
}

impl<T> Default for OnceCell<T> {
    fn default() -> Self {
        OnceCell::new()
    }
}
