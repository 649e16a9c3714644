//! # Several producers, one receiver
//!
//! Each producer runs on a thread of its own with its own clone of the `Sender`, so
//! all of them send at the same time into the one channel. The original `Sender` is
//! dropped when this function returns; each clone is dropped when its thread ends, and
//! once the last one is gone the receiver's `for` loop ends.

use std::sync::mpsc::{self, Receiver};
use std::thread;

pub fn spawn_producers<I>(producers: Vec<I>) -> Receiver<I::Item>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    for producer in producers {
        let sender = sender.clone();
        thread::spawn(move || {
            for item in producer {
                if sender.send(item).is_err() {
                    return;
                }
            }
        });
    }
    receiver
}
