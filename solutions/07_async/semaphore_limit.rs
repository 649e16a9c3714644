//! # Limiting concurrency with a semaphore
//!
//! Each job holds one of `limit` permits while it runs, so at most `limit` run at once;
//! a job waiting for a permit waits asynchronously, and a permit comes back as soon as
//! its guard is dropped: when the job finishes, panics or is cancelled.

use std::future::Future;
use tokio::sync::Semaphore;

/// Lets at most a fixed number of jobs run at the same time; share it between tasks
/// (in an `Arc`).
#[derive(Debug)]
pub struct Limiter {
    permits: Semaphore,
}

impl Limiter {
    pub fn new(limit: usize) -> Limiter {
        Limiter {
            permits: Semaphore::new(limit),
        }
    }

    /// Runs `job` once fewer than `limit` jobs are running through this limiter, waiting
    /// for its turn without blocking, and returns its output.
    pub async fn run<F: Future>(&self, job: F) -> F::Output {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        job.await
    }
}
