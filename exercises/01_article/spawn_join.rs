//! # Spawning a thread, and joining it
//!
//! The article's first example starts a thread with `thread::spawn` and says that it
//! waits for the thread with `join`, but the code it prints never calls `join`. A
//! spawned thread is an operating-system thread that runs on its own; the `JoinHandle`
//! that `spawn` returns is how you wait for it and how you get back the value its
//! closure returns.
//!
//! Make `run_on_new_thread` run `work` on a new thread, wait for that thread to
//! finish, and return what `work` computed. If `work` panics, `run_on_new_thread`
//! panics with that same panic: `join` gives it back as `Err(payload)`, and
//! `std::panic::resume_unwind(payload)` passes it on unchanged.

use std::thread;

pub fn run_on_new_thread<T, F>(work: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handle = thread::spawn(|| {
        // Code to be run in the new thread
        // TODO: run `work` here. The closure must take ownership of it.
    });

    // Wait for the thread to finish
    // TODO: join `handle` and return the value the thread computed, or pass its panic
    // on with `std::panic::resume_unwind`.
    todo!("join the thread and return its result")
}
