//! # Sending values from one thread to another
//!
//! A channel moves values between threads instead of sharing them. `mpsc::channel()`
//! returns two ends: a `Sender`, which one thread uses to `send` values, and a
//! `Receiver`, which another thread uses to `recv` them, in the order they were sent.
//! Each value changes owner on the way, so the two threads never touch it at the same
//! time. `recv` waits until a value arrives; it returns `Err` once the channel is empty
//! and no `Sender` is left. Symmetrically, `send` returns `Err` once the `Receiver`
//! has been dropped: nobody will ever read what it sends.
//!
//! Make `produce_on_thread` start a new thread that makes `count` values with `make`
//! (`make(0)`, `make(1)`, ...) and sends each one as soon as it is made, never waiting
//! for the caller to take it. Return the receiving end at once, so that the caller can
//! use the first values while the rest are still being made. If the caller drops the receiver early, the producer must
//! stop making values, quietly: a panic is not the way to stop.

use std::sync::mpsc::{self, Receiver};

pub fn produce_on_thread<T, F>(count: usize, mut make: F) -> Receiver<T>
where
    F: FnMut(usize) -> T + Send + 'static,
    T: Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    // TODO: this makes and sends every value on the caller's thread, before the caller
    // even gets the receiver. Move the sending end and `make` into a new thread
    // (`std::thread::spawn` with a `move` closure) that sends each value as soon as it
    // is made, and stops when `send` fails.
    for index in 0..count {
        sender.send(make(index)).unwrap();
    }
    receiver
}
