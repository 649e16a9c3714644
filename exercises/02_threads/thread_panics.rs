//! # When a thread panics
//!
//! A panic unwinds only the thread it happens on: the other threads keep running, and
//! the panic comes back to whoever joins that thread. `join` returns
//! `Err(payload)`, where the payload is the value given to `panic!`: a `&'static str`
//! for a literal message (`panic!("no input")`), a `String` for a formatted one
//! (`panic!("bad line {n}")`), and any other type with `std::panic::panic_any`.
//! Calling `.unwrap()` on that result panics the joining thread in turn; matching on it
//! lets a program survive a failed job and report why it failed.
//!
//! Make `run_isolated` run every job on a thread of its own and return, for each job in
//! order, `Ok(value)` or `Err(message)`. Make `panic_message` turn a payload into its
//! text, or into `NOT_TEXT` when the payload is not text.

use std::any::Any;
use std::thread;

/// The message for a panic whose payload is neither a `String` nor a `&'static str`.
pub const NOT_TEXT: &str = "the job panicked with a value that is not text";

pub fn run_isolated<T, F>(jobs: Vec<F>) -> Vec<Result<T, String>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    handles
        .into_iter()
        // TODO: `unwrap` passes a job's panic on to the caller. Turn the `Err` that
        // `join` returns into the job's message with `panic_message` instead.
        .map(|handle| Ok(handle.join().unwrap()))
        .collect()
}

pub fn panic_message(payload: Box<dyn Any + Send>) -> String {
    // TODO: find out which type the payload has (`downcast`) and return its text.
    let _ = payload;
    todo!("turn a panic payload into its message")
}
