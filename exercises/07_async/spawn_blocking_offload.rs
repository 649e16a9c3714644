//! # Moving blocking work off the runtime
//!
//! Some work cannot await: a library call that blocks, a file read with std, a long
//! computation. Run inside a task, it holds the runtime's thread for as long as it takes,
//! and every other task on that thread waits. `tokio::task::spawn_blocking` runs a
//! closure on a separate pool of threads kept for blocking work and returns a
//! `JoinHandle`: the task awaits it, and the runtime keeps serving the other tasks
//! meanwhile. (For long CPU-bound work, a rayon pool is the other choice.)
//!
//! Make `run_blocking` run `work` on tokio's blocking pool and return its result. A
//! panic in `work` should reach the caller as the same panic.

/// Runs the blocking closure `work` without holding up the runtime, and returns what it
/// computed.
pub async fn run_blocking<T, F>(work: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // TODO: this runs `work` right here, on the runtime's thread, which no other task
    // can use until it returns. Hand it to the blocking pool and await the result.
    work()
}
