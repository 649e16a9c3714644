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
//! To compute in parallel, the pieces must go to other threads, and not to just any.
//! `tokio::spawn` hands a task to the runtime's worker threads, the few threads that poll
//! every task of the program: a crunch there holds its worker for as long as it
//! computes, and with every worker crunching no other task runs at all (on a
//! current-thread runtime the crunches even run one after another, on the one thread).
//! `tokio::task::spawn_blocking` runs a closure on tokio's pool of blocking threads, kept
//! for exactly this: blocking or CPU-bound work. It returns a `JoinHandle` to await, and
//! awaiting it leaves the thread free for other tasks meanwhile.
//!
//! Make `crunch_all` run `crunch` on every input in parallel, on tokio's blocking pool,
//! without holding up the runtime's own threads meanwhile, and return the results in the
//! order of `inputs`.

use futures::future::join_all;

pub async fn crunch_all<F>(inputs: Vec<u64>, crunch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Clone + Send + 'static,
{
    // TODO: these futures never await, so `join_all` runs them one after another on
    // this thread. Run each crunch on tokio's blocking pool instead, then await the
    // handles in order.
    let jobs = inputs.into_iter().map(|input| {
        let crunch = crunch.clone();
        async move { crunch(input) }
    });
    join_all(jobs).await
}
