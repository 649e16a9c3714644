//! Checks for `timeout_cancel`: a slow query is dropped at its deadline, exactly then;
//! a quick one returns its output; and the connection is closed again whether the query
//! finished or was cancelled. The paused clock makes the timing exact.

#[path = "../../exercises/07_async/timeout_cancel.rs"]
mod exercise;

use exercise::{Pool, TimedOut};
use std::time::Duration;
use tokio::time::{Instant, sleep};

async fn slow_request(seconds: u64) -> &'static str {
    sleep(Duration::from_secs(seconds)).await;
    "rows"
}

#[tokio::test(start_paused = true)]
async fn the_connection_is_open_while_the_request_runs() {
    let pool = Pool::new();
    let seen = exercise::query(&pool, async { pool.open_connections() }).await;
    assert_eq!(
        seen, 1,
        "expected one open connection while the request ran, but the pool counted \
         {seen}. A guard bound with `let _ = ...` is dropped at once: bind it to a named \
         variable (`let _connection = ...`) so that it lives until the end of `query`"
    );
    assert_eq!(
        pool.open_connections(),
        0,
        "expected the connection to be closed once the query finished"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_query_closes_its_connection() {
    let pool = Pool::new();
    // Drop the query after 1 s, while its request is still waiting.
    let cancelled = tokio::time::timeout(
        Duration::from_secs(1),
        exercise::query(&pool, slow_request(10)),
    )
    .await;
    assert!(cancelled.is_err(), "expected the query to be cancelled");
    assert_eq!(
        pool.open_connections(),
        0,
        "expected the connection to be closed when the query was cancelled, but the pool \
         still counts it as open. The query's future was dropped at its `.await`, so the \
         code after that await never ran: close the connection in the `Drop` of a guard \
         that the future holds"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_query_times_out_at_its_limit() {
    let pool = Pool::new();
    let start = Instant::now();
    let result =
        exercise::query_with_timeout(&pool, slow_request(10), Duration::from_secs(1)).await;
    let took = start.elapsed();
    assert_eq!(
        result,
        Err(TimedOut),
        "expected a 10 s request with a 1 s limit to time out, but it returned after \
         {took:?} of runtime time: nothing gave up at the limit. Wrap the query in \
         `tokio::time::timeout`"
    );
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
        "expected the query to be given up at its 1 s limit, but that took {took:?}"
    );
    assert_eq!(
        pool.open_connections(),
        0,
        "expected the connection of the timed-out query to be closed"
    );
}

#[tokio::test(start_paused = true)]
async fn a_quick_query_returns_its_output() {
    let pool = Pool::new();
    let start = Instant::now();
    let result = exercise::query_with_timeout(&pool, slow_request(1), Duration::from_secs(5)).await;
    assert_eq!(
        result,
        Ok("rows"),
        "expected a 1 s request with a 5 s limit to finish"
    );
    assert!(
        start.elapsed() < Duration::from_millis(1100),
        "expected the query to return as soon as its request finished, after 1 s, but it \
         took {:?}",
        start.elapsed()
    );
    assert_eq!(pool.open_connections(), 0);
}
