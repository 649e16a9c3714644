//! # Backpressure with a bounded channel
//!
//! `mpsc::channel()` never makes a sender wait: if the consumer is slower than the
//! producers, the messages pile up in the channel, without limit. `mpsc::sync_channel(n)`
//! makes a *bounded* channel that holds at most `n` messages. When it is full, `send`
//! blocks until the consumer takes one out, so a fast producer is slowed down to the
//! consumer's pace: that is backpressure. `try_send` never blocks: it hands the message
//! back in `TrySendError::Full` instead. With `n = 0` there is no buffer at all, and
//! every `send` waits until the consumer takes its message: a rendezvous.
//!
//! Make `spawn_bounded_consumer` start a consumer thread that calls `consume` on every
//! message as soon as it arrives, and sleeps while none is waiting (rather than polling
//! for one), and return the sending end of a channel that holds at most `capacity`
//! waiting messages, with the consumer's `JoinHandle`. The consumer must finish once
//! every sender has been dropped and every message consumed.

use std::sync::mpsc::SyncSender;
use std::thread::JoinHandle;

pub fn spawn_bounded_consumer<T, F>(capacity: usize, consume: F) -> (SyncSender<T>, JoinHandle<()>)
where
    T: Send + 'static,
    F: FnMut(T) + Send + 'static,
{
    // TODO: make a channel that holds at most `capacity` messages
    // (`std::sync::mpsc::sync_channel`), and start a thread that receives every message
    // and passes it to `consume`, one at a time, until no sender is left.
    let _ = (capacity, consume);
    todo!("a bounded channel, and a consumer thread on its receiving end")
}
