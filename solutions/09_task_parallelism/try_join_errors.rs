//! # `try_join_all`: stop at the first error
//!
//! `try_join_all` polls every fetch by turns like `join_all`, but checks each output as
//! it arrives: the first `Err` ends it at once, and returning drops the `TryJoinAll`
//! with the fetches still inside it, which cancels them. When all succeed, the items
//! come back in the order of `ids`.

use futures::future::try_join_all;
use std::future::Future;

pub async fn fetch_all_or_first_error<F, Fut, T, E>(ids: &[u32], fetch: F) -> Result<Vec<T>, E>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    try_join_all(ids.iter().map(|&id| fetch(id))).await
}
