//! Checks for `timeout_cancel`: a slow query is dropped at its deadline, exactly then,
//! and the timeout sleeps until then rather than looking at the clock again and again; a
//! quick one returns its output; the query with a time limit holds one connection while
//! its request runs; and the connection is closed again whether the query finished or
//! was cancelled. The paused clock makes the timing exact; the runtime counts how often
//! its thread wakes up, and runs on a thread of its own, so that a blocked runtime is
//! reported instead of hanging the check.

#[path = "../../exercises/07_async/timeout_cancel.rs"]
mod exercise;

use exercise::{Pool, TimedOut};
use std::time::Duration;
use threadlings::check::{anonymously, run_paused};
use tokio::time::{Instant, sleep};

/// What every check here waits for.
const QUERIES: &str = "queries of at most 10 s";

async fn slow_request(seconds: u64) -> &'static str {
    sleep(Duration::from_secs(seconds)).await;
    "rows"
}

#[test]
fn the_connection_is_open_while_the_request_runs() {
    anonymously(|| {
        run_paused(QUERIES, |_| {
            the_connection_is_open_while_the_request_runs_on_the_clock()
        });
    })
}

async fn the_connection_is_open_while_the_request_runs_on_the_clock() {
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

#[test]
fn a_cancelled_query_closes_its_connection() {
    anonymously(|| {
        run_paused(QUERIES, |_| {
            a_cancelled_query_closes_its_connection_on_the_clock()
        });
    })
}

async fn a_cancelled_query_closes_its_connection_on_the_clock() {
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

#[test]
fn a_slow_query_times_out_at_its_limit() {
    anonymously(|| {
        run_paused(QUERIES, |_| {
            a_slow_query_times_out_at_its_limit_on_the_clock()
        });
    })
}

async fn a_slow_query_times_out_at_its_limit_on_the_clock() {
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

#[test]
fn a_quick_query_returns_its_output() {
    anonymously(|| {
        run_paused(QUERIES, |_| a_quick_query_returns_its_output_on_the_clock());
    })
}

async fn a_quick_query_returns_its_output_on_the_clock() {
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

#[test]
fn a_query_with_a_limit_holds_one_connection_while_its_request_runs() {
    anonymously(|| {
        let seen = run_paused(QUERIES, |_| async {
            let pool = Pool::new();
            let seen = exercise::query_with_timeout(
                &pool,
                async {
                    sleep(Duration::from_millis(500)).await;
                    pool.open_connections()
                },
                Duration::from_secs(5),
            )
            .await;
            assert_eq!(
                pool.open_connections(),
                0,
                "expected the connection to be closed once the query with a limit finished"
            );
            seen
        });
        let counted = match &seen {
            Ok(open) => open.to_string(),
            Err(TimedOut) => "nothing: the quick request timed out".to_string(),
        };
        assert_eq!(
            seen,
            Ok(1),
            "expected the request of `query_with_timeout` to run on one open connection, the \
             one `query` opens, but halfway through the request the pool counted {counted} \
             open: `query_with_timeout` should put the time limit around \
             `query(pool, request)`, neither running the request without it nor opening a \
             connection of its own"
        );
    })
}

#[test]
fn the_timeout_sleeps_until_the_limit() {
    anonymously(|| {
        let wakeups = run_paused(QUERIES, |wakeups| async move {
            let pool = Pool::new();
            let before = wakeups.count();
            let result =
                exercise::query_with_timeout(&pool, slow_request(10), Duration::from_secs(1)).await;
            assert_eq!(result, Err(TimedOut), "expected the query to time out");
            wakeups.count() - before
        });
        // One timer fires at the limit: the idle runtime wakes a couple of times for it.
        assert!(
            wakeups <= 6,
            "expected the timeout to sleep until its limit, so that the runtime's thread woke \
             a couple of times in that second, but it woke {wakeups} times: the timeout kept \
             looking at the clock (or polling the query), with a short sleep in between. \
             `tokio::time::timeout` arms one timer for the limit"
        );
    })
}
