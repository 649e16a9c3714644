//! # A pool of your own: `ThreadPoolBuilder` and `install`
//!
//! Every `par_iter` so far ran on a pool: rayon's global pool, started on first use
//! with one thread per core and shared by the whole program (or, in the checks, a pool
//! the check built). A pool of your own fixes the number of threads, names them (the
//! names show in debuggers and in panic messages), and keeps one kind of work from
//! taking every thread that another kind needs.
//!
//! Building a pool does not make rayon use it. `pool.install(op)` runs `op` on one of
//! the pool's threads, and every rayon call made inside `op` (`par_iter`, `join`, ...)
//! then runs on that pool. A `par_iter` outside `install` still runs on the global pool.
//!
//! Make `build_pool` build a pool of `threads` threads named `cruncher-0`,
//! `cruncher-1`, ..., and make `map_on` run its work on the pool it is given.

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder};

/// Builds a pool of `threads` threads, named `cruncher-0`, `cruncher-1`, ...
pub fn build_pool(threads: usize) -> Result<ThreadPool, ThreadPoolBuildError> {
    // TODO: this pool has as many threads as the machine has cores, without names.
    let _ = threads;
    ThreadPoolBuilder::new().build()
}

/// Applies `work` to every item in parallel on the threads of `pool`, and returns the
/// results in the order of the items.
pub fn map_on<T, U, F>(pool: &ThreadPool, items: &[T], work: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    F: Fn(&T) -> U + Sync + Send,
{
    // TODO: `pool` is never used: this runs on rayon's global pool.
    let _ = pool;
    items.par_iter().map(work).collect()
}
