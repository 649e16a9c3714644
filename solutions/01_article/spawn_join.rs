//! # Spawning a thread, and joining it
//!
//! `spawn` takes ownership of `work` (the closure itself is what the new thread runs;
//! it may outlive this stack frame, hence `'static`); `join` blocks until the thread
//! has finished and returns what the closure returned, or the panic that ended it,
//! which `resume_unwind` passes on with its payload unchanged.

use std::thread;

pub fn run_on_new_thread<T, F>(work: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handle = thread::spawn(work);
    // A panic in the worker comes back here as `Err`; passing it on keeps its message.
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
