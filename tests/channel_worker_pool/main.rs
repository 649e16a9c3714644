//! Checks for `channel_worker_pool`: every job runs, on the workers' threads; two (and
//! three) workers run jobs at the same time, so no worker holds the lock on the
//! receiver while it runs a job; `shutdown` runs every queued job, returns, and leaves
//! no worker thread running.
//!
//! `shutdown` runs on a helper thread, so that workers that never stop are reported
//! with an explanation instead of the runner's timeout.

#[path = "../../exercises/04_message_passing/channel_worker_pool.rs"]
mod exercise;

use exercise::WorkerPool;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;
use threadlings::check::{PATIENCE, Rendezvous, returns_within, set_when_this_thread_ends};

/// How long `shutdown` may take: longer than a party waits at a [`Rendezvous`], so that
/// jobs that ran one after another are reported as such.
const SHUTDOWN_PATIENCE: Duration = Duration::from_secs(PATIENCE.as_secs() + 1);

/// Shuts the pool down, or explains why that does not return.
fn shut_down_or_explain(pool: WorkerPool) {
    if returns_within(SHUTDOWN_PATIENCE, move || pool.shutdown()).is_none() {
        panic!(
            "expected `shutdown` to return once the queued jobs had run, but \
             {SHUTDOWN_PATIENCE:?} later it had not: the workers are still waiting for \
             jobs. Drop the pool's `Sender` before joining them: then each worker's `recv` \
             returns `Err` once the queue is empty, and its loop can end."
        );
    }
}

#[test]
fn runs_every_job_on_the_workers_threads() {
    let caller = thread::current().id();
    let ran = Arc::new(AtomicUsize::new(0));
    let ran_on_caller = Arc::new(AtomicBool::new(false));
    let pool = WorkerPool::new(4);
    for _ in 0..200 {
        let ran = Arc::clone(&ran);
        let ran_on_caller = Arc::clone(&ran_on_caller);
        pool.execute(move || {
            if thread::current().id() == caller {
                ran_on_caller.store(true, Ordering::SeqCst);
            }
            ran.fetch_add(1, Ordering::SeqCst);
        });
    }
    shut_down_or_explain(pool);
    assert!(
        !ran_on_caller.load(Ordering::SeqCst),
        "expected the jobs to run on the workers' threads, but `execute` ran one on the \
         caller's thread: send it to the workers instead"
    );
    let ran = ran.load(Ordering::SeqCst);
    assert_eq!(
        ran, 200,
        "expected `shutdown` to return after all 200 queued jobs had run, but {ran} had \
         run: the workers must take every job left in the queue before they stop"
    );
}

/// Queues `parties` jobs that each wait inside `meeting` for the others, and checks
/// that they were all running at the same time.
fn jobs_meet(meeting: &'static Rendezvous, parties: usize) {
    let pool = WorkerPool::new(parties);
    for _ in 0..parties {
        pool.execute(move || meeting.inside(|| ()));
    }
    shut_down_or_explain(pool);
    assert_eq!(
        meeting.arrivals(),
        parties,
        "expected `shutdown` to return after all {parties} jobs had run, but only {} had \
         started: after hanging up, join every worker's `JoinHandle`",
        meeting.arrivals()
    );
    assert!(
        meeting.opened(),
        "expected a pool of {parties} workers to run {parties} jobs at the same time, but \
         no more than {} ran at once. Does a worker still hold the lock on the receiver \
         while it runs its job? A `MutexGuard` lives until the end of the statement that \
         made it; in a `while let` condition, that is the end of the loop body.",
        meeting.most_inside()
    );
}

static TWO_AT_ONCE: Rendezvous = Rendezvous::new(2);

#[test]
fn two_workers_run_jobs_at_the_same_time() {
    jobs_meet(&TWO_AT_ONCE, 2);
}

static THREE_AT_ONCE: Rendezvous = Rendezvous::new(3);

#[test]
fn three_workers_run_jobs_at_the_same_time() {
    jobs_meet(&THREE_AT_ONCE, 3);
}

static BOTH_WORKERS: Rendezvous = Rendezvous::new(2);

#[test]
fn shutdown_leaves_no_worker_running() {
    // One "has ended" flag for each worker thread that ran a job.
    let ended_flags: Arc<Mutex<Vec<Arc<AtomicBool>>>> = Arc::default();
    let finished = Arc::new(AtomicUsize::new(0));
    let pool = WorkerPool::new(2);
    for _ in 0..2 {
        let ended_flags = Arc::clone(&ended_flags);
        let finished = Arc::clone(&finished);
        pool.execute(move || {
            BOTH_WORKERS.inside(|| ());
            let ended = Arc::new(AtomicBool::new(false));
            ended_flags.lock().unwrap().push(Arc::clone(&ended));
            set_when_this_thread_ends(ended);
            finished.fetch_add(1, Ordering::SeqCst);
        });
    }
    shut_down_or_explain(pool);
    let finished = finished.load(Ordering::SeqCst);
    let running = ended_flags
        .lock()
        .unwrap()
        .iter()
        .filter(|ended| !ended.load(Ordering::SeqCst))
        .count();
    assert!(
        finished == 2 && running == 0,
        "expected every job to have finished and every worker thread to have ended when \
         `shutdown` returned, but {finished} of the 2 jobs had finished and {running} \
         worker thread(s) were still running: after hanging up, join every worker's \
         `JoinHandle`"
    );
}
