//! # Publishing with a ready flag
//!
//! One thread writes a value, then raises a flag; other threads check the flag, and once
//! it is up they read the value. The value itself is not atomic: it lives in an
//! `UnsafeCell`, and nothing but the flag's orderings keeps the reads from racing with
//! the write.
//!
//! The `Release` store publishes: every write this thread made before it is visible to
//! a thread whose `Acquire` load reads `true`. That makes the write to the value
//! happen-before every read of it. With `Relaxed`, a reader could see the flag up and
//! still read a value that is not there yet, from the compiler's or the processor's
//! point of view alike.

use threadlings::cell::UnsafeCell;
use threadlings::sync::Arc;
use threadlings::sync::atomic::{AtomicBool, Ordering};

struct Board<T> {
    ready: AtomicBool,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written once, by the one `Publisher`, before the flag goes up,
// and only read (from any thread, so `T: Sync`) after; it may be dropped by whichever
// thread lets go of the board last (so `T: Send`).
unsafe impl<T: Send + Sync> Sync for Board<T> {}

/// The writing end: it publishes once, and is used up doing it.
pub struct Publisher<T> {
    board: Arc<Board<T>>,
}

/// A reading end: clone it for each thread that reads.
pub struct Reader<T> {
    board: Arc<Board<T>>,
}

/// A board with nothing published on it yet, and its two ends.
pub fn publication<T>() -> (Publisher<T>, Reader<T>) {
    let board = Arc::new(Board {
        ready: AtomicBool::new(false),
        value: UnsafeCell::new(None),
    });
    let reader = Reader {
        board: Arc::clone(&board),
    };
    (Publisher { board }, reader)
}

impl<T> Publisher<T> {
    /// Writes `value`, then raises the flag that lets readers see it.
    pub fn publish(self, value: T) {
        // SAFETY: readers do not touch the value until the flag is up, and this is the
        // only publisher, used once.
        self.board
            .value
            .with_mut(|slot| unsafe { *slot = Some(value) });
        self.board.ready.store(true, Ordering::Release);
    }
}

impl<T> Reader<T> {
    /// The published value, or `None` while the flag is still down.
    pub fn get(&self) -> Option<&T> {
        if self.board.ready.load(Ordering::Acquire) {
            // SAFETY: the flag is up, so the value was written, and it never changes
            // again.
            self.board.value.with(|slot| unsafe { (*slot).as_ref() })
        } else {
            None
        }
    }
}

impl<T> Clone for Reader<T> {
    fn clone(&self) -> Self {
        Reader {
            board: Arc::clone(&self.board),
        }
    }
}
