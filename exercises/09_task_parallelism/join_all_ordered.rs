//! # `join_all`: a list of futures whose length is known only at run time
//!
//! `join!` needs its futures written out one by one. When the work is a list, say one
//! fetch per id, `futures::future::join_all` takes any iterator of futures and polls
//! them all by turns until every one is done. Calling the same `fetch` for each id gives
//! futures of one type, so they need no boxing (chapter 1's three `async fn`s did).
//!
//! The fetches finish in whatever order their delays decide, but `join_all` returns the
//! results in the order of its input: result `i` belongs to future `i`.
//!
//! Make `fetch_all` start every fetch at once and return the items in the order of `ids`.

use std::future::Future;

pub async fn fetch_all<F, Fut, T>(ids: &[u32], fetch: F) -> Vec<T>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = T>,
{
    // TODO: this awaits each fetch before starting the next, so the waits add up.
    // Build one future per id and await them together, keeping the order of `ids`.
    let mut items = Vec::with_capacity(ids.len());
    for &id in ids {
        items.push(fetch(id).await);
    }
    items
}
