//! # `try_join_all`: stop at the first error
//!
//! When every fetch must succeed for the result to be any use, a failure makes the
//! fetches still running pointless. `join_all` cannot know that: it waits for every
//! future, and only then can you look for an error. `futures::future::try_join_all`
//! takes futures that return `Result`s and returns `Err` as soon as any one of them
//! fails. The other futures are then dropped, and dropping a future cancels it: it is
//! never polled again, so its work simply stops at the `.await` where it was waiting.
//!
//! The error returned is the first to *happen*, which need not be the first in the list.
//!
//! Make `fetch_all_or_first_error` return all the items in the order of `ids` when every
//! fetch succeeds, and return the first error as soon as it happens, cancelling the rest.

use futures::future::join_all;
use std::future::Future;

pub async fn fetch_all_or_first_error<F, Fut, T, E>(ids: &[u32], fetch: F) -> Result<Vec<T>, E>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    // TODO: `join_all` waits for every fetch, even after one has failed, and collecting
    // its results gives the first error in the *list*, not the first to happen. Stop as
    // soon as any fetch fails, and drop the ones still running.
    let results = join_all(ids.iter().map(|&id| fetch(id))).await;
    results.into_iter().collect()
}
