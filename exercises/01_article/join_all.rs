//! # Task parallelism? Concurrency, with `join_all`
//!
//! The article's last example puts three async tasks in a `Vec` and awaits
//! `join_all(tasks)`, "to run all of the tasks in parallel". Two things are wrong with
//! it. The code does not compile: every `async fn` returns a future of its own,
//! anonymous type, so the three cannot share a `Vec` as they are. And `join_all` does
//! not run futures in parallel: it polls them all, by turns, on the one thread that
//! awaits it. Their waiting overlaps; that is concurrency. (Parallel work needs
//! threads: `tokio::spawn` on a multi-thread runtime, or `spawn_blocking`.)
//!
//! Make each task wait one second without blocking and return its number, and make
//! `run_all` run the three concurrently and return their results in order.

use futures::future::join_all;
use std::time::Duration;

pub async fn task_one() -> u32 {
    // Code for task one
    // TODO: wait one second without blocking the thread, then return 1.
    let _one_second = Duration::from_secs(1);
    todo!()
}

pub async fn task_two() -> u32 {
    // Code for task two
    // TODO: wait one second without blocking the thread, then return 2.
    todo!()
}

pub async fn task_three() -> u32 {
    // Code for task three
    // TODO: wait one second without blocking the thread, then return 3.
    todo!()
}

pub async fn run_all() -> Vec<u32> {
    // TODO: these three futures have three different types. Give them one type.
    let tasks = vec![task_one(), task_two(), task_three()];
    let results = join_all(tasks).await;
    results
}
