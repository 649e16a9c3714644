//! # Sending values from one thread to another
//!
//! The producer thread owns the `Sender` and `make`; the caller gets the `Receiver` at
//! once and reads each value as soon as it is sent. When the thread has sent the last
//! value it ends and drops the `Sender`, which ends the caller's `for value in receiver`.
//! `mpsc::channel()` has no bound, so `send` never waits for the caller: the values the
//! caller has not taken yet wait in the channel.
//! A failed `send` means the receiver is gone, so the thread stops there: nobody
//! would read the rest.

use std::sync::mpsc::{self, Receiver};
use std::thread;

pub fn produce_on_thread<T, F>(count: usize, mut make: F) -> Receiver<T>
where
    F: FnMut(usize) -> T + Send + 'static,
    T: Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for index in 0..count {
            if sender.send(make(index)).is_err() {
                break;
            }
        }
    });
    receiver
}
