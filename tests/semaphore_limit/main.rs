//! Checks for `semaphore_limit`: of ten one-second jobs spawned at once with a limit of
//! three, never more than three run at the same time, and three do (they take 4 s in
//! all, not 10 s nor 1 s); the jobs that wait for their turn sleep until a permit is
//! free, rather than looking again every few milliseconds; a job cancelled while it runs
//! gives its permit back. The jobs count themselves in and out; the paused clock makes
//! the timing exact; the runtime counts how often its thread wakes up, and runs on a
//! thread of its own, so that a blocked runtime is reported instead of hanging the check.

#[path = "../../exercises/07_async/semaphore_limit.rs"]
mod exercise;

use exercise::Limiter;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use threadlings::check::{Wakeups, anonymously, run_paused};
use tokio::time::{Instant, sleep};

/// What every check here waits for.
const JOBS: &str = "ten one-second jobs, three at a time";

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
/// returns the most that ran at once, how long they took, and how often the runtime's
/// thread woke up meanwhile.
async fn run_jobs(wakeups: Wakeups, jobs: usize, limit: usize) -> (usize, Duration, usize) {
    let before = wakeups.count();
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
                 finished, or jobs waiting for one were not woken when one was (a wake-up \
                 only when none had been free, while several jobs waited?). Keep the permit \
                 in a variable: dropping it gives it back, and a `Semaphore` wakes a waiter \
                 for every permit given back"
            )
        });
    (
        running.most.load(Ordering::SeqCst),
        start.elapsed(),
        wakeups.count() - before,
    )
}

#[test]
fn at_most_three_jobs_run_at_once() {
    anonymously(|| {
        let (most, _, _) = run_paused(JOBS, |wakeups| run_jobs(wakeups, 10, 3));
        assert!(
            most <= 3,
            "expected at most 3 of the 10 jobs to run at the same time, but {most} did: the \
             limit was not enforced. Hold a semaphore permit for as long as the job runs (and \
             keep it in a named variable: `let _ = ...` drops it at once)"
        );
    })
}

#[test]
fn three_jobs_do_run_at_once() {
    anonymously(|| {
        let (most, took, _) = run_paused(JOBS, |wakeups| run_jobs(wakeups, 10, 3));
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
    })
}

#[test]
fn waiting_jobs_sleep_until_a_permit_is_free() {
    anonymously(|| {
        let (_, took, wakeups) = run_paused(JOBS, |wakeups| run_jobs(wakeups, 10, 3));
        // Jobs end once a second (at 1, 2, 3 and 4 s when three run at once): the idle
        // runtime wakes a couple of times for each.
        let seconds = took.as_secs() as usize;
        assert!(
            wakeups <= 3 * seconds + 4,
            "expected the jobs waiting for their turn to sleep until a running job ended and \
             gave its permit back (once a second, a couple of wake-ups of the runtime's thread \
             each), but the thread woke {wakeups} times in the {took:?} the jobs took: the \
             waiting jobs kept looking for a free slot, with a short sleep in between \
             (`try_acquire` or a counter, in a loop?). `Semaphore::acquire().await` sleeps \
             until a permit is given back, and giving one back wakes the next waiter"
        );
    })
}

#[test]
fn a_cancelled_job_gives_its_permit_back() {
    anonymously(|| {
        run_paused("a cancelled job, then another", |_| {
            a_cancelled_job_gives_its_permit_back_on_the_clock()
        });
    })
}

async fn a_cancelled_job_gives_its_permit_back_on_the_clock() {
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
