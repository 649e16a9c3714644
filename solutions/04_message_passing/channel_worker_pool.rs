//! # A worker pool fed by a channel
//!
//! Each worker locks the shared receiver only for the `recv` that takes its next job:
//! the guard is a temporary of that statement, so it is dropped before the job runs,
//! and the other workers can take jobs meanwhile. `shutdown` drops the only `Sender`,
//! so each worker's `recv` returns `Err` once the queue is empty (after every queued
//! job has been taken) and its loop ends; joining every worker then waits until the
//! last job has finished. A job that panicked ended its worker's thread, and that
//! worker's `join` returns the panic's payload: `resume_unwind` passes it on unchanged,
//! where `expect` would replace it with a message of its own.

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
        self.jobs
            .send(Box::new(job))
            .expect("the workers hang up only after the pool is shut down");
    }

    /// Runs every job queued so far, then stops the workers and waits for them.
    pub fn shutdown(self) {
        let WorkerPool { jobs, workers } = self;
        drop(jobs);
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
    }
}

/// A worker's life: take the next job, run it, and again, until no job can ever come.
fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The guard is dropped at the end of this statement, before the job runs.
        let next = receiver.lock().expect("no job runs under the lock").recv();
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}
