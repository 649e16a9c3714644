//! # Shared ownership with `Arc`
//!
//! A thread started with `thread::spawn` may outlive the function that started it, so
//! its closure must own everything it uses (`'static`). When several threads need the
//! same value, none of them can own it alone, and copying it for each would be wasteful
//! (and impossible for a value that is not `Clone`). `Arc<T>` gives shared ownership:
//! each `Arc::clone` is one more owner of the *same* value (it only increments a count),
//! and the value is dropped when the last owner goes away. The count is updated
//! atomically, which is why an `Arc` may cross threads and an `Rc` may not.
//!
//! Make `spawn_workers` start one thread per worker, each running `work(worker, &data)`
//! on the shared data, and return their handles at once, while the workers still run.
//! The caller joins them.

use std::sync::Arc;
use std::thread::{self, JoinHandle};

pub fn spawn_workers<T, R, F>(data: Arc<T>, workers: usize, work: F) -> Vec<JoinHandle<R>>
where
    T: Send + Sync + 'static,
    R: Send + 'static,
    F: Fn(usize, &T) -> R + Send + Sync + 'static,
{
    let mut handles = Vec::new();
    for worker in 0..workers {
        // TODO: this runs the work here, on the caller's thread, one worker after
        // another, and the new thread only hands back the result. Run `work` inside the
        // new thread instead. Every thread needs its own owner of `data`, and of `work`
        // too: one closure, shared by all the threads.
        let result = work(worker, &data);
        handles.push(thread::spawn(move || result));
    }
    handles
}
