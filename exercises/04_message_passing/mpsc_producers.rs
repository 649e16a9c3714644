//! # Several producers, one receiver
//!
//! `mpsc` stands for "multiple producer, single consumer": a `Sender` can be cloned,
//! and every clone sends into the same channel. Give each producing thread a clone of
//! its own. The receiver sees the messages of one sender in the order that sender sent
//! them; the messages of different senders interleave in whatever order their threads
//! happen to run. The channel stays open until the last clone is dropped.
//!
//! Make `spawn_producers` run each producer (an iterator) on a thread of its own, all
//! at the same time, each sending every item its iterator yields. Return the receiver
//! at once: it must yield every item of every producer, and end when all of them have
//! finished.

use std::sync::mpsc::{self, Receiver};
use std::thread;

pub fn spawn_producers<I>(producers: Vec<I>) -> Receiver<I::Item>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    // TODO: one thread runs the producers one after another. Start one thread per
    // producer instead, each with its own clone of `sender` (`sender.clone()`).
    thread::spawn(move || {
        for producer in producers {
            for item in producer {
                if sender.send(item).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}
