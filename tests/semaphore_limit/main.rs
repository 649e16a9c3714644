//! Checks for `semaphore_limit`: of ten one-second jobs spawned at once with a limit of
//! three, never more than three run at the same time, and three do (they take 4 s in
//! all, not 10 s nor 1 s); a job cancelled while it runs gives its permit back. The jobs
//! count themselves in and out; the paused clock makes the timing exact.

#[path = "../../exercises/07_async/semaphore_limit.rs"]
mod exercise;

use exercise::Limiter;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// Counts the jobs running now and the most that ever ran at once.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Running {
    async fn job(&self, seconds: u64) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        sleep(Duration::from_secs(seconds)).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Spawns `jobs` one-second jobs through a limiter of `limit`, waits for them all, and
/// returns the most that ran at once and how long they took.
async fn run_jobs(jobs: usize, limit: usize) -> (usize, Duration) {
    let limiter = Arc::new(Limiter::new(limit));
    let running = Arc::new(Running::default());
    let start = Instant::now();
    let tasks: Vec<_> = (0..jobs)
        .map(|_| {
            let limiter = Arc::clone(&limiter);
            let running = Arc::clone(&running);
            tokio::spawn(async move { limiter.run(running.job(1)).await })
        })
        .collect();
    let all_done = async {
        for task in tasks {
            task.await.expect("a job's task");
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all_done)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "expected ten one-second jobs to be done within 60 s of runtime time, but \
                 some still waited for a permit: permits were not given back when jobs \
                 finished. Keep the permit in a variable; dropping it gives it back"
            )
        });
    (running.most.load(Ordering::SeqCst), start.elapsed())
}

#[tokio::test(start_paused = true)]
async fn at_most_three_jobs_run_at_once() {
    let (most, _) = run_jobs(10, 3).await;
    assert!(
        most <= 3,
        "expected at most 3 of the 10 jobs to run at the same time, but {most} did: the \
         limit was not enforced. Hold a semaphore permit for as long as the job runs (and \
         keep it in a named variable: `let _ = ...` drops it at once)"
    );
}

#[tokio::test(start_paused = true)]
async fn three_jobs_do_run_at_once() {
    let (most, took) = run_jobs(10, 3).await;
    assert_eq!(
        most, 3,
        "expected 3 jobs to run at the same time while others were waiting, but at most \
         {most} did: a limit of 3 should let 3 run, not fewer"
    );
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_millis(4100),
        "expected ten one-second jobs, three at a time, to take 4 s of runtime time \
         (3 + 3 + 3 + 1), but they took {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_job_gives_its_permit_back() {
    let limiter = Limiter::new(1);
    let running = Running::default();
    // Cancel a job after one second of its ten.
    let cancelled = tokio::time::timeout(Duration::from_secs(1), limiter.run(running.job(10)));
    assert!(cancelled.await.is_err(), "expected the job to be cancelled");
    let start = Instant::now();
    let next = tokio::time::timeout(Duration::from_secs(60), limiter.run(async { 42 })).await;
    assert_eq!(
        next,
        Ok(42),
        "expected the next job to run once the cancelled job was dropped, but it still \
         waited for a permit after 60 s: the cancelled job's permit was never given back. \
         A permit held in a variable is given back when the future holding it is dropped"
    );
    assert!(
        start.elapsed() < Duration::from_millis(100),
        "expected the next job to start at once, but it waited {:?}",
        start.elapsed()
    );
}
