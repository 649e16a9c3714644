//! Checks for `join_macro`: the dashboard has every part, and the three fetches wait at
//! the same time, so it is ready when the slowest service answers. The paused clock
//! makes the timing exact; the runtime runs on a thread of its own, so that a blocked
//! runtime is reported instead of hanging the check.

#[path = "../../exercises/09_task_parallelism/join_macro.rs"]
mod exercise;

use exercise::Dashboard;
use std::time::Duration;
use threadlings::check::{anonymously, run_paused};
use tokio::time::Instant;

/// What every check here waits for.
const DASHBOARD: &str = "a dashboard from services that answer within 500 ms";

/// Runs `future` and returns its output with the runtime time it took.
async fn timed<T>(future: impl Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    let output = future.await;
    (output, start.elapsed())
}

fn within(took: Duration, millis: u64) -> bool {
    took >= Duration::from_millis(millis) && took < Duration::from_millis(millis + 50)
}

#[test]
fn the_fetchers_keep_their_delays() {
    anonymously(|| {
        run_paused(DASHBOARD, |_| the_fetchers_keep_their_delays_on_the_clock());
    })
}

async fn the_fetchers_keep_their_delays_on_the_clock() {
    // The timing checks below rely on these delays: the fetchers are not to be changed.
    let (_, name) = timed(exercise::fetch_name(1)).await;
    let (_, orders) = timed(exercise::fetch_orders(1)).await;
    let (_, balance) = timed(exercise::fetch_balance(1)).await;
    assert!(
        within(name, 300) && within(orders, 500) && within(balance, 200),
        "expected the fetchers to take 300, 500 and 200 ms as shipped, but they took \
         {name:?}, {orders:?} and {balance:?}: leave the fetchers as they are and change \
         only `load_dashboard`"
    );
}

#[test]
fn the_dashboard_has_every_part() {
    anonymously(|| {
        run_paused(DASHBOARD, |_| the_dashboard_has_every_part_on_the_clock());
    })
}

async fn the_dashboard_has_every_part_on_the_clock() {
    assert_eq!(
        exercise::load_dashboard(7).await,
        Dashboard {
            name: "user-7".to_string(),
            orders: vec![71, 72],
            balance_cents: 650,
        },
        "expected the dashboard to hold what each of the three fetchers returned"
    );
}

// The checks run on a current-thread runtime: the overlap seen here comes from
// polling three futures by turns on one thread, not from parallelism.
#[test]
fn the_three_fetches_wait_at_the_same_time() {
    anonymously(|| {
        run_paused(DASHBOARD, |_| {
            the_three_fetches_wait_at_the_same_time_on_the_clock()
        });
    })
}

async fn the_three_fetches_wait_at_the_same_time_on_the_clock() {
    let (_, took) = timed(exercise::load_dashboard(7)).await;
    assert!(
        within(took, 500),
        "expected the dashboard to be ready after 500 ms of runtime time, when the slowest \
         service (orders) answers, but it took {took:?}. About 1 s (300 + 500 + 200 ms): \
         the fetches ran one after another, each `.await` finishing before the next fetch \
         started (creating the futures first does not help: a future does nothing until \
         it is polled). `tokio::join!(a, b, c)` polls all three together and returns a tuple of \
         their results."
    );
}
