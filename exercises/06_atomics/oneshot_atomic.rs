//! # A one-shot channel
//!
//! A one-shot channel carries exactly one value from one thread to another: `send`
//! consumes the `Sender`, `recv` consumes the `Receiver`. The value travels through an
//! `UnsafeCell`, and an atomic `state` says whose turn it is to touch it: EMPTY (the
//! sender's), FULL (the receiver's), or CLOSED (the sender was dropped without sending,
//! so there will never be a value).
//!
//! The sender's `Drop` is done. Write `send` and `recv`: `send` must make the value
//! it writes visible to the receiver, and `recv` must wait for it (or learn that it
//! will never come) and then take it out.

use threadlings::cell::UnsafeCell;
use threadlings::sync::Arc;
use threadlings::sync::atomic::{AtomicU8, Ordering};

const EMPTY: u8 = 0;
const FULL: u8 = 1;
const CLOSED: u8 = 2;

struct Channel<T> {
    state: AtomicU8,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written by the sender while the state is EMPTY and taken by the
// receiver once it is FULL, never both; it moves between threads, so `T: Send`.
unsafe impl<T: Send> Sync for Channel<T> {}

pub struct Sender<T> {
    channel: Arc<Channel<T>>,
}

pub struct Receiver<T> {
    channel: Arc<Channel<T>>,
}

/// A new channel's two ends.
pub fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    let channel = Arc::new(Channel {
        state: AtomicU8::new(EMPTY),
        value: UnsafeCell::new(None),
    });
    let receiver = Receiver {
        channel: Arc::clone(&channel),
    };
    (Sender { channel }, receiver)
}

impl<T> Sender<T> {
    /// Sends `value` to the receiver.
    pub fn send(self, value: T) {
        // TODO: write the value into the cell, then set the state to FULL with the
        // ordering that makes the write visible to a receiver that reads FULL.
        todo!("write the value into the channel, then mark it FULL")
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // Dropped without sending: tell the receiver that no value will come. After a
        // `send` the state is FULL and this does nothing. No data is published, so
        // `Relaxed` is enough.
        let _ = self.channel.state.compare_exchange(
            EMPTY,
            CLOSED,
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }
}

impl<T> Receiver<T> {
    /// Waits for the value; `None` if the sender was dropped without sending.
    pub fn recv(self) -> Option<T> {
        // TODO: wait (calling `threadlings::hint::spin_loop()` each time round) until
        // the state is FULL, then take the value out; return `None` if it is CLOSED.
        todo!("wait for the value, or for the sender to be dropped")
    }
}
