//! # Building a runtime
//!
//! Futures need a runtime to poll them. `#[tokio::main]` builds one for you; here you
//! build them yourself with `tokio::runtime::Builder`, which says what kind you get:
//!
//! - a *current-thread* runtime runs every task on the one thread that calls
//!   `block_on`. Tasks take turns there: they run concurrently, never in parallel.
//! - a *multi-thread* runtime starts a pool of worker threads and spreads tasks over
//!   them, so two tasks can run at the same instant on two cores.
//!
//! Either way the timer (for `tokio::time::sleep`) and the IO driver are off until you
//! enable them (`enable_time`, `enable_io`, or both with `enable_all`).
//!
//! Make `two_worker_runtime` build a multi-thread runtime with exactly two worker
//! threads, and `single_thread_runtime` a current-thread one; both with their timers on.

use tokio::runtime::{Builder, Runtime};

/// A runtime that runs tasks in parallel on exactly two worker threads.
pub fn two_worker_runtime() -> Runtime {
    // TODO: a current-thread runtime runs one task at a time. Build a multi-thread
    // runtime with two workers instead.
    Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A runtime that runs every task on the thread that calls `block_on`.
pub fn single_thread_runtime() -> Runtime {
    // TODO: build a current-thread runtime, with its timer enabled.
    todo!("build a current-thread runtime")
}
