//! # Many threads, many results
//!
//! Every thread is spawned before any is joined, so the jobs run at the same time;
//! the handles are kept in job order, so joining them in turn returns the results in
//! that order, whichever thread finishes first.

use std::thread;

pub fn run_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // `collect` drives the lazy `map` to the end: every thread is running afterwards.
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    handles
        .into_iter()
        // A job's panic comes back as `Err`; passing it on keeps its message.
        .map(|handle| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}
