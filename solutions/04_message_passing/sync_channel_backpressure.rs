//! # Backpressure with a bounded channel
//!
//! `sync_channel(capacity)` holds at most `capacity` messages, so a producer that runs
//! ahead blocks in `send` (or gets `Full` from `try_send`) until the consumer has taken
//! one. The consumer hands each message to `consume` as soon as it arrives, rather than
//! collecting them first, so the channel is the only buffer: at most `capacity`
//! messages wait, plus the one being consumed. Between messages the consumer sleeps in
//! `recv` until a sender wakes it; a loop of `try_recv` and `yield_now` (or `sleep`)
//! would keep its thread busy polling an empty channel. Its loop ends once every
//! `SyncSender` is gone.

use std::sync::mpsc::{self, SyncSender};
use std::thread::{self, JoinHandle};

pub fn spawn_bounded_consumer<T, F>(
    capacity: usize,
    mut consume: F,
) -> (SyncSender<T>, JoinHandle<()>)
where
    T: Send + 'static,
    F: FnMut(T) + Send + 'static,
{
    let (sender, receiver) = mpsc::sync_channel(capacity);
    let consumer = thread::spawn(move || {
        for message in receiver {
            consume(message);
        }
    });
    (sender, consumer)
}
