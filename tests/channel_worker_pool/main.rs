//! Checks for `channel_worker_pool`: every job runs, on the workers' threads and on no
//! other; two (and three) workers run jobs at the same time, so no worker holds the
//! lock on the receiver while it runs a job; while one worker is busy, a free one takes
//! every job that comes (one queue shared by all, not a queue per worker); a pool left
//! idle for a while still runs the next job (a quiet queue is not a closed one);
//! `shutdown` runs every queued job, returns, and leaves no worker thread running; and
//! a job's panic reaches the caller of `shutdown` with its own payload.
//!
//! `shutdown` runs on a helper thread, so that workers that never stop are reported
//! with an explanation instead of the runner's timeout.

#[path = "../../exercises/04_message_passing/channel_worker_pool.rs"]
mod exercise;

use exercise::WorkerPool;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};
use threadlings::check::{
    FALL_ASLEEP, PATIENCE, Rendezvous, SILENCE, anonymously, assert_passes_the_panic_on,
    leave_wake_up_token, parked_since_token_left, quiet_deliberate_panics, returns_within,
    set_when_this_thread_ends,
};

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
    anonymously(|| {
        let caller = thread::current().id();
        let ran = Arc::new(AtomicUsize::new(0));
        let ran_on_caller = Arc::new(AtomicBool::new(false));
        let threads = Arc::new(Mutex::new(HashSet::new()));
        let pool = WorkerPool::new(4);
        for _ in 0..200 {
            let ran = Arc::clone(&ran);
            let ran_on_caller = Arc::clone(&ran_on_caller);
            let threads = Arc::clone(&threads);
            pool.execute(move || {
                if thread::current().id() == caller {
                    ran_on_caller.store(true, Ordering::SeqCst);
                }
                threads.lock().unwrap().insert(thread::current().id());
                ran.fetch_add(1, Ordering::SeqCst);
            });
        }
        shut_down_or_explain(pool);
        let threads = threads.lock().unwrap().len();
        assert!(
            threads <= 4,
            "expected a pool of 4 workers to run its 200 jobs on its 4 worker threads, but they \
             ran on {threads} different threads: does `execute` start a thread for each job? \
             Send the job to the workers, which take jobs from the channel one after another."
        );
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
    })
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
    anonymously(|| {
        jobs_meet(&TWO_AT_ONCE, 2);
    })
}

static THREE_AT_ONCE: Rendezvous = Rendezvous::new(3);

#[test]
fn three_workers_run_jobs_at_the_same_time() {
    anonymously(|| {
        jobs_meet(&THREE_AT_ONCE, 3);
    })
}

static BOTH_WORKERS: Rendezvous = Rendezvous::new(2);

#[test]
fn shutdown_leaves_no_worker_running() {
    anonymously(|| {
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
    })
}

#[test]
fn a_free_worker_takes_every_job_while_the_other_is_busy() {
    anonymously(|| {
        let pool = WorkerPool::new(2);
        let (started, busy) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        pool.execute(move || {
            started.send(()).unwrap();
            // Busy until the test has seen what the other worker does. (The test always
            // releases it; the patience only bounds a pool that runs jobs on the caller.)
            let _ = released.recv_timeout(SHUTDOWN_PATIENCE);
        });
        if busy.recv_timeout(PATIENCE).is_err() {
            panic!("expected a worker to start job 0, but {PATIENCE:?} later none had");
        }
        let (done, finished) = mpsc::channel();
        for job in 1..=3 {
            let done = done.clone();
            pool.execute(move || done.send(job).unwrap());
        }
        drop(done);
        let deadline = Instant::now() + PATIENCE;
        let mut ran = Vec::new();
        while ran.len() < 3 {
            match finished.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(job) => ran.push(job),
                Err(_) => break,
            }
        }
        let _ = release.send(());
        shut_down_or_explain(pool);
        ran.sort_unstable();
        assert_eq!(
            ran,
            [1, 2, 3],
            "expected the free worker to run jobs 1, 2 and 3 while the other worker was busy \
             with job 0, but in {PATIENCE:?} only jobs {ran:?} ran: the others waited behind \
             the busy worker. Does each worker have a queue of its own, with jobs dealt out in \
             turn? Share one queue, so that whichever worker is free takes the next job. (Or \
             does the busy worker hold the lock on the receiver while it runs its job?)"
        );
    })
}

#[test]
fn a_pool_left_idle_for_a_while_still_runs_the_next_job() {
    anonymously(|| {
        let pool = WorkerPool::new(1);
        let (done_tx, done) = mpsc::channel();
        let first = done_tx.clone();
        pool.execute(move || {
            let _ = first.send("first");
        });
        done.recv_timeout(PATIENCE)
            .expect("expected the first job to run, but it never ran");
        // No job for longer than a worker's timeout: the pool is quiet, not shut down. (One
        // worker: idle workers that wait for the queue's lock in turn time out in turn.)
        thread::sleep(SILENCE);
        let queued = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.execute(move || {
                let _ = done_tx.send("next");
            })
        }));
        let ran = queued.is_ok() && done.recv_timeout(PATIENCE) == Ok("next");
        assert!(
            ran,
            "expected a job given to a pool that had been idle for {SILENCE:?} to run, but \
             {}: the workers stopped when no job came for a while, as if the pool had been \
             shut down. A quiet queue is not a closed one: a worker's `recv` returns `Err` \
             only once the pool has hung up (dropped its `Sender`), and only then may the \
             worker stop (`recv_timeout` ends a worker on a timeout).",
            if queued.is_err() {
                "`execute` panicked: no worker was left to take it"
            } else {
                "it never ran"
            }
        );
        shut_down_or_explain(pool);
    })
}

/// The panic the first job of [`a_jobs_panic_reaches_the_caller_of_shutdown`] causes.
const JOB_PANIC: &str = "on purpose: job 0 failed";

#[test]
fn a_jobs_panic_reaches_the_caller_of_shutdown() {
    anonymously(|| {
        quiet_deliberate_panics();
        let pool = WorkerPool::new(2);
        let queued = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.execute(|| panic!("{JOB_PANIC}"));
        }));
        assert!(
            queued.is_ok(),
            "expected `execute` to queue the job for a worker, but the job's panic reached the \
             caller of `execute`: it ran the job on the caller's thread"
        );
        for _ in 0..3 {
            pool.execute(|| ());
        }
        assert_passes_the_panic_on(
            "shutdown",
            "a job",
            JOB_PANIC,
            SHUTDOWN_PATIENCE,
            move || pool.shutdown(),
        );
    })
}

/// A worker with no job must sleep in `recv` until one comes, not poll the queue: a
/// wake-up token left with it before it runs out of work is taken only by a thread that
/// parks, as a blocking `recv` does.
#[test]
fn an_idle_worker_sleeps_until_a_job_comes() {
    anonymously(|| {
        let pool = WorkerPool::new(1);
        let (done_tx, done) = mpsc::channel();
        {
            let done_tx = done_tx.clone();
            pool.execute(move || {
                // The worker's last act before it runs out of work.
                leave_wake_up_token();
                let _ = done_tx.send(false);
            });
        }
        done.recv_timeout(PATIENCE)
            .expect("expected the first job to run, but it never ran");
        // Time for the worker, now idle, to go to sleep: what is observed is only whether
        // it did, never how long it took.
        thread::sleep(FALL_ASLEEP);
        pool.execute(move || {
            let _ = done_tx.send(parked_since_token_left());
        });
        let slept = done
            .recv_timeout(PATIENCE)
            .expect("expected the second job to run, but it never ran");
        shut_down_or_explain(pool);
        assert!(
            slept,
            "expected the idle worker to sleep in `recv` until the next job came, but it never \
             parked in the {FALL_ASLEEP:?} it waited: it polls the queue (`try_recv` in a loop, \
             with `yield_now` or a short sleep), which keeps a core busy doing nothing for as \
             long as the pool is idle. `recv` sleeps until a job comes"
        );
    })
}
