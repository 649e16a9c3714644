//! # Moving blocking work off the runtime
//!
//! `spawn_blocking` runs `work` on one of tokio's blocking threads; awaiting its handle
//! suspends only this task, so the runtime's thread keeps running the others. A panic in
//! `work` comes back as `Err(JoinError)`, and `resume_unwind` passes it on unchanged.

/// Runs the blocking closure `work` without holding up the runtime, and returns what it
/// computed.
pub async fn run_blocking<T, F>(work: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}
