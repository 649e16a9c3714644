//! # Hanging up: how a receiving loop ends
//!
//! `for message in receiver` (like `receiver.iter()`) takes messages until the channel
//! is empty *and every `Sender` has been dropped*. As long as one `Sender` is alive,
//! somebody could still send, so the loop waits. The classic bug: clone the `Sender`
//! for each thread, keep the original, and then wait in a loop that can never end,
//! because the one `Sender` left is held by the very function that is waiting.
//!
//! `collect_reports` runs each task on a thread of its own and hands it a `Sender` for
//! its reports (a task may send any number of them, even none). It gathers every report
//! in the order they arrive, waits for the task threads, and returns the reports. If a
//! task panics, `collect_reports` panics too, with that task's own panic, so that what
//! went wrong is neither lost nor replaced. As shipped it never returns. Find out why
//! and fix it.

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

    // TODO: this loop never ends, even after every task has finished. Which `Sender` is
    // still alive, and who holds it?
    let reports: Vec<T> = receiver.iter().collect();

    // TODO: `expect` replaces a task's panic with a message of its own. Pass the task's
    // panic on as it is: `join` returns it as `Err(payload)`, and
    // `std::panic::resume_unwind(payload)` panics with it again.
    for task_thread in threads {
        task_thread.join().expect("a task panicked");
    }
    reports
}
