//! # Spawning a thread, and joining it
//!
//! `move` hands `work` to the new thread, which may outlive this stack frame; `join`
//! blocks until the thread has finished and returns what its closure returned, or the
//! panic that ended it.

use std::thread;

pub fn run_on_new_thread<T, F>(work: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handle = thread::spawn(move || work());
    // A panic in the worker comes back here as `Err`; passing it on keeps its message.
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
