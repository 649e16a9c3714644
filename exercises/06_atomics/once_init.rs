//! # Initialize once
//!
//! A `OnceCell` starts empty; the first `get_or_init` runs its initializer and stores
//! the result, and every later call, on any thread, returns that same value. Two things
//! can go wrong: two threads can both find the cell empty and both run an initializer,
//! and a thread can find the cell ready but not yet see the value in it.
//!
//! The cell's `state` goes UNINIT → RUNNING → READY. `get` is done. `get_or_init`
//! checks and then claims the cell in two steps, so two threads can both claim it, and
//! a thread that arrives while another is initializing gives up instead of waiting.
//! Make exactly one thread run the initializer, make the others wait for it, and make
//! the value visible to every thread that sees READY. (If an initializer panics, the
//! cell may stay RUNNING forever; `std::sync::OnceLock` handles that, this one need
//! not.)

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
        // TODO: two threads can both load UNINIT before either stores RUNNING, and both
        // run an initializer. Claim the cell with a single atomic operation instead.
        if self.state.load(Ordering::Relaxed) == UNINIT {
            self.state.store(RUNNING, Ordering::Relaxed);
            let value = init();
            // SAFETY: meant to hold because only the thread that moved the state to
            // RUNNING writes the value. The check above does not make that true yet.
            self.value.with_mut(|slot| unsafe { *slot = Some(value) });
            // TODO: which ordering makes the value visible to a thread that sees READY?
            self.state.store(READY, Ordering::Relaxed);
        }
        // TODO: while another thread is RUNNING the initializer, wait for it (calling
        // `threadlings::hint::spin_loop()` each time round) instead of giving up here.
        self.get()
            .expect("another thread was still running the initializer: wait for it")
    }
}

impl<T> Default for OnceCell<T> {
    fn default() -> Self {
        OnceCell::new()
    }
}
