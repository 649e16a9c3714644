//! # Concurrency is not parallelism: CPU-bound work needs threads
//!
//! `spawn_blocking` hands each crunch to tokio's blocking pool, which runs them on
//! threads of their own, all at once; this task only waits for the handles, which costs
//! nothing and leaves its thread free for other tasks. `join_all` is fine for that
//! waiting: the parallelism comes from the threads, not from the join. (`tokio::spawn`
//! would put the crunches on the runtime's worker threads, and every other task would
//! wait for them.) The handles are awaited in input order, so the results are too.

use futures::future::join_all;

pub async fn crunch_all<F>(inputs: Vec<u64>, crunch: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Clone + Send + 'static,
{
    let handles: Vec<_> = inputs
        .into_iter()
        .map(|input| {
            let crunch = crunch.clone();
            tokio::task::spawn_blocking(move || crunch(input))
        })
        .collect();
    join_all(handles)
        .await
        .into_iter()
        .map(|result| result.expect("a crunch panicked"))
        .collect()
}
