//! # `JoinSet`: spawn many tasks, take replies as they come, abort the rest
//!
//! Each query is a task of its own in the `JoinSet`; `join_next` yields them in the
//! order they finish, so the loop keeps the first `wanted` replies and stops waiting at
//! once. A `JoinError` from a panicked query is skipped, not propagated. `shutdown`
//! aborts the tasks still running and waits until they are gone, so no query outlives
//! the call.

use std::future::Future;
use tokio::task::JoinSet;

pub async fn first_replies<F, Fut, T>(servers: Vec<u32>, wanted: usize, query: F) -> Vec<T>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut queries = JoinSet::new();
    for server in servers {
        queries.spawn(query(server));
    }
    let mut replies = Vec::with_capacity(wanted);
    while replies.len() < wanted {
        match queries.join_next().await {
            Some(Ok(reply)) => replies.push(reply),
            // Nothing aborts a query before `shutdown`, so an error is a query that
            // panicked: that replica gives no reply, and the others still count.
            Some(Err(_panicked)) => {}
            None => break,
        }
    }
    queries.shutdown().await;
    replies
}
