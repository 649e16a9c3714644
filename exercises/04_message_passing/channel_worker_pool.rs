//! # A worker pool fed by a channel
//!
//! Starting a thread for every small job is wasteful. A worker pool starts a few
//! threads once and sends them jobs over a channel. A job is a boxed closure, so that
//! jobs of any type fit in one channel. The channel has one receiving end, though, and
//! a `Receiver` cannot be shared between threads as it is (it is not `Sync`): the
//! workers share it behind a lock, `Arc<Mutex<Receiver<Job>>>`, and a worker holds the
//! lock only while it takes the next job, never while it runs it. Otherwise the other
//! workers could not take a job meanwhile, and the pool would run one job at a time.
//!
//! Shutting the pool down is the hang-up you have seen already: drop the `Sender`, and
//! each worker's `recv` returns `Err` once the queue is empty; then join every worker. A
//! job that panics ends its worker's thread; `shutdown` passes that panic on to its
//! caller, unchanged, so that it is not lost.
//!
//! Write `execute`, `shutdown` and the worker loop, `work`.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct WorkerPool {
    jobs: Sender<Job>,
    workers: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    /// Starts `size` worker threads that wait for jobs.
    pub fn new(size: usize) -> WorkerPool {
        let (jobs, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || work(&receiver))
            })
            .collect();
        WorkerPool { jobs, workers }
    }

    /// Queues `job` for the next free worker.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // TODO: box the job and send it to the workers.
        let _ = (&self.jobs, job);
        todo!("send the boxed job")
    }

    /// Runs every job queued so far, then stops the workers and waits for them.
    pub fn shutdown(self) {
        // TODO: hang up (drop the sender), then join every worker. `self` is yours to
        // take apart: `let WorkerPool { jobs, workers } = self;`. A worker whose `join`
        // returns `Err(payload)` ended in a job's panic: pass it on with
        // `std::panic::resume_unwind(payload)`.
        todo!("drop the sender, then join the workers")
    }
}

/// A worker's life: take the next job, run it, and again, until no job can ever come.
fn work(receiver: &Mutex<Receiver<Job>>) {
    // TODO: lock the receiver only to take the next job (`recv`), not while running it.
    // `recv` returns `Err` once the pool has hung up and the queue is empty.
    let _ = receiver;
    todo!("take jobs and run them until the channel is closed")
}
