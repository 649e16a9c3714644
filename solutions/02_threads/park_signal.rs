//! # Parking a thread until it is signalled
//!
//! `park_until` checks before it parks and again after every wake-up, so neither a
//! spurious wake-up nor a stale token can make it return early, and a signal raised
//! before the wait is seen at once. `raise` sets the flag *before* it unparks: a waiter
//! woken by the token always finds the flag set (the other order can wake it too early,
//! let it park again, and then set the flag with nobody left to wake it).

use threadlings::sync::atomic::{AtomicBool, Ordering};
use threadlings::thread::{self, Thread};

/// Blocks the current thread until `done()` returns true. `done` is checked first, and
/// again every time the thread wakes up.
pub fn park_until(done: impl Fn() -> bool) {
    while !done() {
        thread::park();
    }
}

/// A one-time signal from one thread to the thread that waits for it.
pub struct Signal {
    raised: AtomicBool,
}

impl Signal {
    pub fn new() -> Signal {
        Signal {
            raised: AtomicBool::new(false),
        }
    }

    /// Blocks the calling thread until the signal has been raised. What the raising
    /// thread wrote before `raise` is visible after `wait` returns.
    pub fn wait(&self) {
        // Acquire pairs with the Release in `raise`.
        park_until(|| self.raised.load(Ordering::Acquire));
    }

    /// Raises the signal and wakes `waiter`, the thread that waits (or will wait) for it.
    pub fn raise(&self, waiter: &Thread) {
        self.raised.store(true, Ordering::Release);
        waiter.unpark();
    }
}

impl Default for Signal {
    fn default() -> Signal {
        Signal::new()
    }
}
