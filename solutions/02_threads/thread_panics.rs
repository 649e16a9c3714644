//! # When a thread panics
//!
//! The panic of a job unwinds its own thread only; `join` hands the payload back as
//! `Err`, and mapping that error (instead of unwrapping it) keeps the other jobs'
//! results. `panic!` produces a `&'static str` or a `String`, so those are the two
//! types to try before giving up.

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
        .map(|handle| handle.join().map_err(panic_message))
        .collect()
}

pub fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(message) => (*message).to_owned(),
            Err(_) => NOT_TEXT.to_owned(),
        },
    }
}
