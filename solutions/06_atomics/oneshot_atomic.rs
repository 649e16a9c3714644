//! # A one-shot channel
//!
//! A one-shot channel carries exactly one value from one thread to another: `send`
//! consumes the `Sender`, `recv` consumes the `Receiver`. The value travels through an
//! `UnsafeCell`, and an atomic `state` says whose turn it is to touch it: EMPTY (the
//! sender's), FULL (the receiver's), or CLOSED (the sender was dropped without sending,
//! so there will never be a value).
//!
//! `send` writes the value, then stores FULL with `Release`; `recv` waits until an
//! `Acquire` load reads FULL, then takes the value out. The pair makes the write happen
//! before the take. A receiver that reads CLOSED returns `None` instead of waiting
//! forever. A value sent but never received is dropped with the channel, when the last
//! end lets go of it.

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
        // SAFETY: the state is EMPTY (this sender has not sent), so the receiver does
        // not touch the value.
        self.channel
            .value
            .with_mut(|slot| unsafe { *slot = Some(value) });
        self.channel.state.store(FULL, Ordering::Release);
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
        loop {
            match self.channel.state.load(Ordering::Acquire) {
                // SAFETY: FULL means the sender wrote the value and will not touch it
                // again; this receiver is consumed, so it takes it only once.
                FULL => {
                    return self
                        .channel
                        .value
                        .with_mut(|slot| unsafe { (*slot).take() });
                }
                CLOSED => return None,
                _ => threadlings::hint::spin_loop(),
            }
        }
    }
}
