//! # Hanging up: how a receiving loop ends
//!
//! Each task owns a clone of the `Sender`, and drops it when it returns. Dropping the
//! original before the loop leaves the tasks' clones as the only senders, so the loop
//! ends exactly when the last task has finished sending. Joining the threads afterwards
//! cannot block for long: the channel is unbounded, so no task is stuck in `send`.
//!
//! A task that panics drops its `Sender` as it unwinds, so the loop still ends; its
//! thread's `join` then returns the panic's payload, and `resume_unwind` panics with that
//! very payload on this thread. `expect` would panic with a message of its own instead,
//! and the task's message (what went wrong) would be lost.

use std::sync::mpsc::{self, Sender};
use std::thread;

pub fn collect_reports<T, F>(tasks: Vec<F>) -> Vec<T>
where
    F: FnOnce(Sender<T>) + Send + 'static,
    T: Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    let mut threads = Vec::new();
    for task in tasks {
        let sender = sender.clone();
        threads.push(thread::spawn(move || task(sender)));
    }
    // This function never sends; holding on to its `Sender` would keep the loop below
    // waiting forever.
    drop(sender);

    let reports: Vec<T> = receiver.iter().collect();

    for task_thread in threads {
        if let Err(panic) = task_thread.join() {
            std::panic::resume_unwind(panic);
        }
    }
    reports
}
