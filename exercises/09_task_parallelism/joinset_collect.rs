//! # `JoinSet`: spawn many tasks, take replies as they come, abort the rest
//!
//! Ask every replica of a service the same question and use the first `wanted` replies:
//! the slow replicas no longer matter once enough have answered. `join_all` cannot do
//! that: it waits for all of them, gives results in submission order, and polls every
//! query inside the caller's own task.
//!
//! `tokio::task::JoinSet` holds spawned tasks. `spawn` starts each query as a task of its
//! own, which the runtime schedules independently (on a multi-thread runtime, on any of
//! its threads: that is why the future must be `Send + 'static`). `join_next().await`
//! gives the output of whichever task finishes next, as `Ok(output)`, or `Err(JoinError)`
//! if the task panicked or was aborted, and `None` once the set is empty. `abort_all`
//! cancels the tasks still running, and so does dropping the set.
//!
//! Make `first_replies` spawn one query per server, return the first `wanted` replies in
//! the order they arrive (fewer if there are fewer servers), skip a query that panicked,
//! and abort the queries still running once it has enough.

use futures::future::join_all;
use std::future::Future;

pub async fn first_replies<F, Fut, T>(servers: Vec<u32>, wanted: usize, query: F) -> Vec<T>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    // TODO: this polls every query inside this task, waits for the slowest, keeps the
    // replies in server order and lets a panicking query bring everything down. Spawn
    // each query on a `JoinSet`, collect replies with `join_next` as they finish, and
    // stop (aborting the others) once there are `wanted` of them.
    let mut replies = join_all(servers.into_iter().map(query)).await;
    replies.truncate(wanted);
    replies
}
