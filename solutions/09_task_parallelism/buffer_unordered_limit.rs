//! # Bounded concurrency: at most `limit` fetches at once
//!
//! `stream::iter(ids).map(fetch)` is a stream of not-yet-started fetches.
//! `buffer_unordered(limit)` pulls at most `limit` of them from it and polls them by
//! turns; whenever one finishes it yields that result and pulls the next fetch, so
//! `limit` fetches stay busy until the ids run out, and results come out as they finish.

use futures::StreamExt;
use futures::stream;
use std::future::Future;

pub async fn fetch_bounded<F, Fut, T>(ids: Vec<u32>, limit: usize, fetch: F) -> Vec<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = T>,
{
    stream::iter(ids)
        .map(fetch)
        .buffer_unordered(limit)
        .collect()
        .await
}
