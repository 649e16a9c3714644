//! # Capstone: a thread pool
//!
//! Starting a thread for every small job costs more than many jobs do. A thread pool
//! starts a few worker threads once and hands them jobs through a queue: `execute` puts
//! a boxed closure on a channel (chapter 4), and each worker loops, taking the next job
//! and running it. The workers share the one `Receiver`, which cannot be cloned, so it
//! sits in an `Arc<Mutex<..>>` (chapter 3), and a worker holds that lock only while it
//! *takes* a job, never while it runs one, or the workers would run one job at a time.
//!
//! Two more duties make a pool trustworthy:
//!
//! - **A panicking job must not take a worker down.** Run each job under
//!   `std::panic::catch_unwind` (chapter 2's `thread_panics`), and the worker lives on.
//! - **Dropping the pool finishes the work.** Every queued job still runs, then every
//!   worker ends and is joined, so nothing outlives the pool. Dropping the `Sender`
//!   closes the channel, yet the receivers still get every job already in it; `recv`
//!   fails only once the channel is closed *and* empty.
//!
//! Write `new`, `execute`, the workers' loop and `Drop`.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender};
use std::thread::JoinHandle;

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
        // TODO: make a channel of jobs; share its receiver between `size` worker
        // threads (`Arc<Mutex<Receiver<Job>>>`), each running `work`; keep the sender
        // and the workers' handles.
        todo!("start the workers")
    }

    /// Queues `job` to run on one of the workers, and returns without waiting for it.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        // TODO: box the job and send it to the workers.
        let _ = job;
        todo!("queue the job")
    }
}

/// A worker's life: take a job, run it, until the queue is closed and empty.
fn work(queue: &Mutex<Receiver<Job>>) {
    // TODO: loop: take the next job, holding the lock only while taking it; stop when
    // `recv` fails (the queue is closed and empty). Run the job so that a panic in it
    // does not end this worker.
    let _ = queue;
    todo!("take jobs and run them")
}

impl Drop for ThreadPool {
    /// Waits for every queued job to run, then for every worker to end.
    fn drop(&mut self) {
        // TODO: close the queue (drop the sender), then join every worker.
        todo!("close the queue, then join the workers")
    }
}
