//! # Parking a thread until it is signalled
//!
//! A thread that waits for another should not spin on a flag: it would keep a core
//! busy doing nothing. `thread::park()` blocks the current thread until some other
//! thread calls `unpark()` on its `Thread` handle (`join_handle.thread()`, or
//! `thread::current()` taken by the waiter itself). Two rules make it correct:
//!
//! - an `unpark` that comes before the `park` is not lost: it leaves a token, and the
//!   next `park` takes it and returns at once;
//! - `park` may also return when nobody meant to wake this thread (a spurious wake-up,
//!   or a token left from earlier). So park in a loop that checks the condition each
//!   time, and make the condition true *before* unparking the waiter.
//!
//! Make `park_until` block, parking, until `done()` returns true, and make
//! `Signal::raise` wake the thread that waits for the signal.
//!
//! This exercise imports `thread` and the atomics from `threadlings` so that a loom
//! model can check it: they are std's own in a normal build.

use threadlings::sync::atomic::{AtomicBool, Ordering};
use threadlings::thread::Thread;

/// Blocks the current thread until `done()` returns true. `done` is checked first, and
/// again every time the thread wakes up.
pub fn park_until(done: impl Fn() -> bool) {
    // TODO: this spins: it checks `done` over and over, keeping a core busy. Park the
    // thread between checks instead (`threadlings::thread::park()`); the thread that
    // makes `done` true will unpark it.
    while !done() {
        threadlings::hint::spin_loop();
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
        park_until(|| self.raised.load(Ordering::Acquire));
    }

    /// Raises the signal and wakes `waiter`, the thread that waits (or will wait) for it.
    pub fn raise(&self, waiter: &Thread) {
        self.raised.store(true, Ordering::Release);
        // TODO: `waiter` may be parked in `wait`: wake it, or it sleeps forever.
        let _ = waiter;
    }
}

impl Default for Signal {
    fn default() -> Signal {
        Signal::new()
    }
}
