//! # Task parallelism? Concurrency, with `join_all`
//!
//! Boxing gives the three futures one type, `BoxFuture<'static, u32>`, so they fit in a
//! `Vec`. `join_all` polls them by turns on this thread: their one-second waits overlap
//! and the whole takes one second, with no second thread involved.

use futures::FutureExt;
use futures::future::join_all;
use std::time::Duration;

async fn wait_then(value: u32) -> u32 {
    tokio::time::sleep(Duration::from_secs(1)).await;
    value
}

pub async fn task_one() -> u32 {
    wait_then(1).await
}

pub async fn task_two() -> u32 {
    wait_then(2).await
}

pub async fn task_three() -> u32 {
    wait_then(3).await
}

pub async fn run_all() -> Vec<u32> {
    let tasks = vec![task_one().boxed(), task_two().boxed(), task_three().boxed()];
    join_all(tasks).await
}
