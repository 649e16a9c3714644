//! # Concurrency is not parallelism: CPU-bound work needs threads
//!
//! Every join so far overlapped *waiting*: a future that awaits a timer gives its thread
//! back, and the runtime polls another future meanwhile. A future that computes without
//! ever awaiting never gives the thread back. `join_all` over such futures polls the
//! first one, which runs its whole computation before returning, then the second, and
//! so on: one after another on the one thread that awaits the `join_all`. That is
//! concurrency (structure) with no parallelism (simultaneous execution) at all, and the
//! thread is blocked the whole time.
//!
//! To compute in parallel, the pieces must go to other threads:
//! `tokio::task::spawn_blocking` runs a closure on tokio's pool of blocking threads (the
//! place for CPU-bound or blocking work), and `tokio::spawn` hands a task to the worker
//! threads of a multi-thread runtime. Either returns a `JoinHandle` to await.
//!
//! Make `crunch_all` run `crunch` on every input in parallel, on the runtime's threads,
//! and return the results in the order of `inputs`.

use futures::future::join_all;

pub async fn crunch_all<F>(inputs: Vec<u64>, crunch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Clone + Send + 'static,
{
    // TODO: these futures never await, so `join_all` runs them one after another on
    // this thread. Run each crunch on a thread of its own instead, then await the
    // handles in order.
    let jobs = inputs.into_iter().map(|input| {
        let crunch = crunch.clone();
        async move { crunch(input) }
    });
    join_all(jobs).await
}
