//! # Bounded concurrency: at most `limit` fetches at once
//!
//! `join_all` starts every future at once. With ten thousand ids that is ten thousand
//! open requests, which a server will not thank you for. A stream of futures can do
//! better: `futures::StreamExt::buffer_unordered(limit)` keeps at most `limit` of them
//! in flight, starts the next one as soon as any one finishes, and yields each output
//! when it is ready, so the results arrive in *completion* order, not submission order.
//! (`buffered(limit)` is its sibling that keeps submission order, at the cost of holding
//! back results that finished early.)
//!
//! Make `fetch_bounded` fetch every id with at most `limit` fetches in flight at any
//! moment, never fewer while ids are waiting, and return the results in the order the
//! fetches finish.

use futures::future::join_all;
use std::future::Future;

pub async fn fetch_bounded<F, Fut, T>(ids: Vec<u32>, limit: usize, fetch: F) -> Vec<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = T>,
{
    // TODO: `join_all` starts every fetch at once, ignoring `limit`, and returns the
    // results in submission order. Turn the ids into a stream of fetches that keeps at
    // most `limit` in flight and yields each result as soon as it is ready.
    let _ = limit;
    join_all(ids.into_iter().map(fetch)).await
}
