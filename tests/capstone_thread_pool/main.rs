//! Checks for `capstone_thread_pool`: every job runs; two workers run jobs at the same
//! time (the queue's lock is not held while a job runs); a pool of three runs jobs on
//! three threads, none of them the caller's; a pool runs all its jobs on its own few
//! threads (no thread per job); a free worker takes the next job while another is busy
//! (one shared queue, not a queue per worker); an idle worker sleeps until a job comes,
//! and a pool left idle for a while still runs the next job; dropping the pool runs
//! every queued job first, and returns only after every worker thread has ended; a job
//! that panics does not stop the pool.

#[path = "../../exercises/10_capstones/capstone_thread_pool.rs"]
mod exercise;

use exercise::ThreadPool;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};
use threadlings::check::{
    FALL_ASLEEP, PATIENCE, Rendezvous, SILENCE, anonymously, leave_wake_up_token,
    parked_since_token_left, returns_within,
};

#[test]
fn runs_every_job() {
    anonymously(|| {
        let ran = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(4);
        for _ in 0..100 {
            let ran = Arc::clone(&ran);
            pool.execute(move || {
                ran.fetch_add(1, Ordering::SeqCst);
            });
        }
        assert!(
            returns_within(PATIENCE, move || drop(pool)).is_some(),
            "expected dropping the pool to return once its jobs had run, but it was still \
             waiting after {PATIENCE:?}. Joining a worker that waits in `recv` for another job \
             waits forever: close the queue first (drop the `Sender`, e.g. \
             `drop(self.jobs.take())`), so that `recv` fails once the queue is empty"
        );
        let ran = ran.load(Ordering::SeqCst);
        assert_eq!(
            ran, 100,
            "expected all 100 jobs to have run once the pool was dropped, but {ran} ran"
        );
    })
}

static TWO_JOBS: Rendezvous = Rendezvous::new(2);

#[test]
fn two_workers_run_jobs_at_the_same_time() {
    anonymously(|| {
        let pool = ThreadPool::new(2);
        let (done_tx, done) = mpsc::channel();
        for _ in 0..2 {
            let done_tx = done_tx.clone();
            pool.execute(move || {
                TWO_JOBS.inside(|| ());
                let _ = done_tx.send(());
            });
        }
        // Two patiences: enough for two jobs that give up on meeting one after another.
        for _ in 0..2 {
            done.recv_timeout(2 * PATIENCE)
                .expect("expected both jobs to run, but a job never ran");
        }
        drop(pool);
        assert!(
            TWO_JOBS.opened(),
            "expected a pool of two workers to run two jobs at the same time, but the second \
             job started only after the first had finished. Does a worker hold the queue's \
             lock while it runs a job? In `while let Ok(job) = queue.lock().unwrap().recv()`, \
             the guard lives until the end of the loop body: take the job in a `let` statement \
             of its own, then run it"
        );
    })
}

static THREE_JOBS: Rendezvous = Rendezvous::new(3);

#[test]
fn a_pool_of_three_runs_jobs_on_three_threads_of_its_own() {
    anonymously(|| {
        let caller = thread::current().id();
        let pool = ThreadPool::new(3);
        let (thread_tx, ran_on) = mpsc::channel();
        for _ in 0..3 {
            let thread_tx = thread_tx.clone();
            pool.execute(move || {
                THREE_JOBS.inside(|| ());
                let _ = thread_tx.send(thread::current().id());
            });
        }
        let threads: Vec<_> = (0..3)
            .map(|_| {
                ran_on
                    .recv_timeout(3 * PATIENCE)
                    .expect("expected all three jobs to run, but a job never ran")
            })
            .collect();
        drop(pool);
        let distinct: HashSet<_> = threads.iter().collect();
        assert!(
            !threads.contains(&caller),
            "expected the jobs to run on the pool's workers, but one ran on the thread that \
             called `execute`: `execute` must queue the job and return"
        );
        assert!(
            THREE_JOBS.opened() && distinct.len() == 3,
            "expected a pool of three to run three jobs at once on three worker threads, but \
             at most {} ran at once, on {} thread(s): does `new` start `size` workers, all \
             taking jobs from the one queue, and holding its lock only while taking one?",
            THREE_JOBS.most_inside(),
            distinct.len()
        );
    })
}

#[test]
fn a_pool_runs_every_job_on_its_own_few_threads() {
    anonymously(|| {
        let pool = ThreadPool::new(2);
        let (thread_tx, ran_on) = mpsc::channel();
        for _ in 0..20 {
            let thread_tx = thread_tx.clone();
            pool.execute(move || {
                let _ = thread_tx.send(thread::current().id());
            });
        }
        let threads: HashSet<_> = (0..20)
            .map(|_| {
                ran_on
                    .recv_timeout(PATIENCE)
                    .expect("expected all 20 jobs to run, but a job never ran")
            })
            .collect();
        drop(pool);
        assert!(
            threads.len() <= 2,
            "expected a pool of two to run its 20 jobs on its two worker threads, but they ran \
             on {} different threads: a thread started for each job is what a pool exists to \
             avoid. Start `size` workers in `new`, and have `execute` only queue the job",
            threads.len()
        );
    })
}

/// Lets the first job of `a_free_worker_takes_the_next_job` end.
static FIRST_JOB_RELEASED: AtomicBool = AtomicBool::new(false);

#[test]
fn a_free_worker_takes_the_next_job() {
    anonymously(|| {
        let pool = ThreadPool::new(2);
        // The first job keeps its worker busy until the others have run (or for twice the
        // kit's patience).
        pool.execute(|| {
            let deadline = Instant::now() + 2 * PATIENCE;
            while !FIRST_JOB_RELEASED.load(Ordering::SeqCst) && Instant::now() < deadline {
                thread::park_timeout(Duration::from_millis(10));
            }
        });
        let (done_tx, done) = mpsc::channel();
        for job in 1..=5 {
            let done_tx = done_tx.clone();
            pool.execute(move || {
                let _ = done_tx.send(job);
            });
        }
        let mut finished = Vec::new();
        while finished.len() < 5 {
            match done.recv_timeout(PATIENCE) {
                Ok(job) => finished.push(job),
                Err(_) => break,
            }
        }
        FIRST_JOB_RELEASED.store(true, Ordering::SeqCst);
        drop(pool);
        finished.sort();
        assert_eq!(
            finished,
            [1, 2, 3, 4, 5],
            "expected the worker that was free to run the 5 short jobs queued after a long one, \
             but only jobs {finished:?} ran while the long job kept the other worker busy: the \
             others waited for that busy worker. Either the busy worker holds the queue's lock \
             while its job runs (see `two_workers_run_jobs_at_the_same_time`), or each worker \
             has a queue of its own, dealt jobs in turn, so that jobs wait behind a slow one \
             even when another worker is idle: let every worker take jobs from one shared \
             queue, holding its lock only while taking one"
        );
    })
}

#[test]
fn an_idle_worker_sleeps_until_a_job_comes() {
    anonymously(|| {
        let pool = ThreadPool::new(1);
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
        // The worker now has nothing to do: it must go to sleep, and stay asleep until the
        // next job comes.
        thread::sleep(FALL_ASLEEP);
        pool.execute(move || {
            let _ = done_tx.send(parked_since_token_left());
        });
        let slept = done
            .recv_timeout(PATIENCE)
            .expect("expected the second job to run, but it never ran");
        drop(pool);
        assert!(
            slept,
            "expected the worker of a pool with no jobs to sleep until the next job came, but \
             it never parked in the {FALL_ASLEEP:?} it waited: it polls (`try_recv` in a loop, \
             with `yield_now` or a short sleep), which keeps a core busy doing nothing for as \
             long as the pool is idle. `recv` sleeps until a job comes; holding the queue's \
             lock while waiting in it is fine, as the other idle workers have nothing to take"
        );
    })
}

#[test]
fn a_pool_left_idle_for_a_while_still_runs_the_next_job() {
    anonymously(|| {
        let pool = ThreadPool::new(1);
        let (done_tx, done) = mpsc::channel();
        let first = done_tx.clone();
        pool.execute(move || {
            let _ = first.send("first");
        });
        done.recv_timeout(PATIENCE)
            .expect("expected the first job to run, but it never ran");
        // No job for longer than a worker's timeout: the pool is quiet, not closed. (One
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
             dropped. A quiet queue is not a closed one: a worker's `recv` returns `Err` only \
             once the pool has dropped its `Sender`, and only then may the worker stop \
             (`recv_timeout` ends a worker on a timeout).",
            if queued.is_err() {
                "`execute` panicked: no worker was left to take it"
            } else {
                "it never ran"
            }
        );
        drop(pool);
    })
}

#[test]
fn dropping_the_pool_first_runs_every_queued_job() {
    anonymously(|| {
        let dropping = Arc::new(AtomicBool::new(false));
        let ran = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(1);
        {
            // The one worker is busy until the pool is being dropped, so the ten jobs below
            // are all still queued then.
            let dropping = Arc::clone(&dropping);
            pool.execute(move || {
                let deadline = Instant::now() + PATIENCE;
                while !dropping.load(Ordering::SeqCst) && Instant::now() < deadline {
                    thread::yield_now();
                }
            });
        }
        for _ in 0..10 {
            let ran = Arc::clone(&ran);
            pool.execute(move || {
                ran.fetch_add(1, Ordering::SeqCst);
            });
        }
        dropping.store(true, Ordering::SeqCst);
        drop(pool);
        let ran = ran.load(Ordering::SeqCst);
        assert_eq!(
            ran, 10,
            "expected dropping the pool to wait for the 10 jobs still queued, but {ran} of them \
             had run when `drop` returned. Close the queue by dropping the sender: the workers \
             still receive every job already queued, and `recv` fails only once the queue is \
             empty. Then join every worker"
        );
    })
}

/// Workers that have ended, counted by a thread-local value each worker owns.
static WORKERS_ENDED: AtomicUsize = AtomicUsize::new(0);
static POOL_DROPPED: AtomicBool = AtomicBool::new(false);

/// How long a worker takes to end, once it stops: a pool that does not join its
/// workers returns from `drop` meanwhile.
const ENDING_TAKES: Duration = Duration::from_millis(200);

struct EndOfWorker;

impl Drop for EndOfWorker {
    // Runs when the worker's thread ends, before `join` on it returns.
    fn drop(&mut self) {
        let done = Instant::now() + ENDING_TAKES;
        while !POOL_DROPPED.load(Ordering::SeqCst) && Instant::now() < done {
            thread::yield_now();
        }
        WORKERS_ENDED.fetch_add(1, Ordering::SeqCst);
    }
}

thread_local! {
    static END_OF_WORKER: EndOfWorker = const { EndOfWorker };
}

static BOTH_WORKERS: Rendezvous = Rendezvous::new(2);

#[test]
fn dropping_the_pool_waits_for_every_worker_to_end() {
    anonymously(|| {
        let pool = ThreadPool::new(2);
        let (done_tx, done) = mpsc::channel();
        for _ in 0..2 {
            let done_tx = done_tx.clone();
            // Both workers meet here, so each of them owns one `EndOfWorker`.
            pool.execute(move || {
                BOTH_WORKERS.inside(|| END_OF_WORKER.with(|_| ()));
                let _ = done_tx.send(());
            });
        }
        for _ in 0..2 {
            done.recv_timeout(2 * PATIENCE)
                .expect("expected both jobs to run, but a job never ran");
        }
        drop(pool);
        let ended = WORKERS_ENDED.load(Ordering::SeqCst);
        POOL_DROPPED.store(true, Ordering::SeqCst);
        assert!(
            BOTH_WORKERS.opened(),
            "expected both workers to take a job at the same time (see \
             `two_workers_run_jobs_at_the_same_time`)"
        );
        assert_eq!(
            ended, 2,
            "expected every worker thread to have ended when dropping the pool returned, but \
             {ended} of 2 had: `drop` must close the queue and then `join` every worker's \
             handle, so that no worker outlives the pool"
        );
    })
}

#[test]
fn a_job_that_panics_does_not_stop_the_pool() {
    anonymously(|| {
        let pool = ThreadPool::new(1);
        // `resume_unwind` panics without printing a message: this panic is expected.
        pool.execute(|| std::panic::resume_unwind(Box::new("a job that fails on purpose")));
        let (ran_tx, ran) = mpsc::channel();
        pool.execute(move || {
            let _ = ran_tx.send(());
        });
        if ran.recv_timeout(PATIENCE).is_err() {
            // Dropping the pool would join a worker that panicked: leave it.
            std::mem::forget(pool);
            panic!(
                "expected the job after a panicking one to run, but it had not run after \
                 {PATIENCE:?}: the panic ended the pool's only worker. Run each job under \
                 `std::panic::catch_unwind(AssertUnwindSafe(job))`, so a worker outlives the \
                 jobs that fail"
            );
        }
        drop(pool);
    })
}
