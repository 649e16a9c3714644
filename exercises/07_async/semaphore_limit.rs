//! # Limiting concurrency with a semaphore
//!
//! Spawning a task per job starts them all at once: a thousand downloads open a thousand
//! connections. A `tokio::sync::Semaphore` holds a number of permits; `acquire().await`
//! waits, without blocking, until one is free and returns it as a guard, and dropping
//! the guard gives the permit back. A job that holds a permit while it runs can run only
//! while fewer than N others do: at most N at once, and, as long as jobs are waiting,
//! exactly N.
//!
//! Beware of `let _ = semaphore.acquire().await`: `_` is not a variable, so the permit
//! is dropped on the spot. Keep it in a named variable (`_permit`) until the job is done.
//!
//! Make `Limiter::run` let at most `limit` jobs run at the same time.

use std::future::Future;

/// Lets at most a fixed number of jobs run at the same time; share it between tasks
/// (in an `Arc`).
#[derive(Debug)]
pub struct Limiter {
    // TODO: a semaphore with `limit` permits.
    limit: usize,
}

impl Limiter {
    pub fn new(limit: usize) -> Limiter {
        Limiter { limit }
    }

    /// Runs `job` once fewer than `limit` jobs are running through this limiter, waiting
    /// for its turn without blocking, and returns its output.
    pub async fn run<F: Future>(&self, job: F) -> F::Output {
        // TODO: every job runs at once, whatever the limit. Hold a permit while `job`
        // runs.
        let _ = self.limit;
        job.await
    }
}
