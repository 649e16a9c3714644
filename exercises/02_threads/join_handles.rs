//! # Many threads, many results
//!
//! `spawn_join` ran one job on one thread. With several jobs, start them all first and
//! only then wait for them: each `JoinHandle<T>` is a claim on one thread's result, and
//! `join` blocks until that thread has finished. Joining each thread before starting
//! the next one makes the jobs run one after another, however many threads they use.
//!
//! Beware of `jobs.into_iter().map(|job| thread::spawn(job).join())`: iterators are
//! lazy, so that spawns a thread, joins it, and only then spawns the next. Collect the
//! handles into a `Vec` first, then join them.
//!
//! Make `run_all` run every job on a thread of its own, all at the same time, and
//! return their results in the order of `jobs`. If a job panics, `run_all` panics with
//! that job's own panic: `join` gives it back as `Err(payload)`, and
//! `std::panic::resume_unwind(payload)` passes it on unchanged.

pub fn run_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // TODO: this runs every job on the caller's thread, one after another. Spawn a
    // thread for each job and keep its `JoinHandle`; once all of them are running,
    // join the handles in order and collect what each thread returned.
    jobs.into_iter().map(|job| job()).collect()
}
