//! # `join_all`: a list of futures whose length is known only at run time
//!
//! One future per id, all of one type, handed to `join_all`: it polls them by turns, so
//! every fetch is waiting at the same time and the whole takes as long as the slowest.
//! `join_all` keeps a slot per input future, so the results come back in the order of
//! `ids`, whatever order the fetches finish in.

use futures::future::join_all;
use std::future::Future;

pub async fn fetch_all<F, Fut, T>(ids: &[u32], fetch: F) -> Vec<T>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = T>,
{
    join_all(ids.iter().map(|&id| fetch(id))).await
}
