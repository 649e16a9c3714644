//! # Capstone: a thread pool
//!
//! The workers share one receiver behind a `Mutex`, and a worker holds that lock only
//! while it takes a job: `let job = receiver.lock().recv()` ends the guard's life with
//! the statement, so the job runs unlocked and the other workers take jobs meanwhile.
//! Each job runs under `catch_unwind`, so a panicking job ends neither its worker nor
//! the pool. Dropping the pool drops the sender: the queue is closed, but the jobs in it
//! are still delivered, and each worker's `recv` fails only once the queue is empty.
//! Then `Drop` joins every worker, so no job is lost and no thread outlives the pool.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

/// A job for the pool: any closure that runs once and may move to another thread.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads that run the jobs given to `execute`, in the
/// order they were given, each job on whichever worker is free.
pub struct ThreadPool {
    /// `None` once the pool is being dropped: that closes the queue.
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// A pool of `size` worker threads. Panics if `size` is 0.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a thread pool needs at least one worker");
        let (jobs, queue) = mpsc::channel();
        let queue = Arc::new(Mutex::new(queue));
        let workers = (0..size)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || work(&queue))
            })
            .collect();
        ThreadPool {
            jobs: Some(jobs),
            workers,
        }
    }

    /// Queues `job` to run on one of the workers, and returns without waiting for it.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs
            .as_ref()
            .expect("the pool is running until it is dropped")
            .send(Box::new(job))
            .expect("the workers live as long as the pool");
    }
}

/// A worker's life: take a job, run it, until the queue is closed and empty.
fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        // The guard is a temporary of this statement: the lock is released before the
        // job runs.
        let next = queue
            .lock()
            .expect("no worker panics holding the queue")
            .recv();
        let Ok(job) = next else { break };
        // The pool outlives a failing job; the job's panic message is already printed.
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
    }
}

impl Drop for ThreadPool {
    /// Waits for every queued job to run, then for every worker to end.
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            worker.join().expect("a worker thread panicked");
        }
    }
}
