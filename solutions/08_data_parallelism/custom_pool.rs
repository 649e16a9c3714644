//! # A pool of your own: `ThreadPoolBuilder` and `install`
//!
//! `num_threads` fixes the size of the pool whatever the machine, and `thread_name`
//! names each thread from its index in the pool. `install` runs the closure on one of
//! the pool's threads, so the `par_iter` inside it splits its work between that pool's
//! threads and no others.

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder};

/// Builds a pool of `threads` threads, named `cruncher-0`, `cruncher-1`, ...
pub fn build_pool(threads: usize) -> Result<ThreadPool, ThreadPoolBuildError> {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|index| format!("cruncher-{index}"))
        .build()
}

/// Applies `work` to every item in parallel on the threads of `pool`, and returns the
/// results in the order of the items.
pub fn map_on<T, U, F>(pool: &ThreadPool, items: &[T], work: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    F: Fn(&T) -> U + Sync + Send,
{
    pool.install(|| items.par_iter().map(work).collect())
}
