//! # Building a runtime
//!
//! `new_multi_thread().worker_threads(2)` starts exactly two workers whatever the
//! machine's core count, so two tasks can run at the same time; `new_current_thread()`
//! runs everything on the caller of `block_on`. `enable_all` turns on the timer and IO
//! drivers, which are off by default.

use tokio::runtime::{Builder, Runtime};

/// A runtime that runs tasks in parallel on exactly two worker threads.
pub fn two_worker_runtime() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A runtime that runs every task on the thread that calls `block_on`.
pub fn single_thread_runtime() -> Runtime {
    Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}
