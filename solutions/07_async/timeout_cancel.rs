//! # Timeouts and cancellation
//!
//! The connection is closed by the `Drop` of a guard that `query`'s future holds, so it
//! is closed both when the request finishes and when the future is dropped at its
//! `.await`. `tokio::time::timeout` drops the query at the deadline and says so with
//! `Err(Elapsed)`, which becomes `TimedOut`.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A pool that counts its open connections.
#[derive(Debug, Default)]
pub struct Pool {
    open: AtomicUsize,
}

impl Pool {
    pub fn new() -> Pool {
        Pool::default()
    }

    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

/// The query did not finish within its time limit.
#[derive(Debug, PartialEq, Eq)]
pub struct TimedOut;

/// An open connection of `pool`: dropping it closes the connection.
struct Connection<'a> {
    pool: &'a Pool,
}

impl<'a> Connection<'a> {
    fn open(pool: &'a Pool) -> Connection<'a> {
        pool.open.fetch_add(1, Ordering::SeqCst);
        Connection { pool }
    }
}

impl Drop for Connection<'_> {
    fn drop(&mut self) {
        self.pool.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Opens a connection, runs `request` on it, and closes it: the pool counts it as open
/// while the request runs, and as closed afterwards, even if the query is cancelled.
pub async fn query<F: Future>(pool: &Pool, request: F) -> F::Output {
    let _connection = Connection::open(pool);
    request.await
}

/// Runs `query(pool, request)`, but gives up with `TimedOut` once `limit` has passed.
pub async fn query_with_timeout<F: Future>(
    pool: &Pool,
    request: F,
    limit: Duration,
) -> Result<F::Output, TimedOut> {
    tokio::time::timeout(limit, query(pool, request))
        .await
        .map_err(|_elapsed| TimedOut)
}
