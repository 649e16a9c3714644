//! Checks for `select_first`: `race` returns the faster future's output as soon as it is
//! ready and has dropped the slower one by then; `sum_until` stops at its deadline even
//! while numbers keep arriving. The paused clock makes the timing exact.

#[path = "../../exercises/07_async/select_first.rs"]
mod exercise;

use exercise::Winner;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

/// Sets its flag when dropped: a future that holds one tells when it was dropped.
struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

async fn after(seconds: u64, value: &'static str, dropped: Arc<AtomicBool>) -> &'static str {
    let _guard = SetOnDrop(dropped);
    sleep(Duration::from_secs(seconds)).await;
    value
}

#[tokio::test(start_paused = true)]
async fn the_faster_future_wins_as_soon_as_it_is_ready() {
    let start = Instant::now();
    let unused = Arc::new(AtomicBool::new(false));
    let winner = exercise::race(
        after(3, "slow", Arc::clone(&unused)),
        after(1, "fast", Arc::clone(&unused)),
    )
    .await;
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
        "expected `race` to return as soon as the faster future finished, after 1 s of \
         runtime time, but it took {took:?}: it waited for the slower one too. \
         `tokio::select!` runs the branch of the first future to finish"
    );
    assert_eq!(
        winner,
        Winner::Second("fast"),
        "expected the second future, which finishes after 1 s, to beat the first (3 s): \
         `race` returns the output of whichever finishes first"
    );
}

#[tokio::test(start_paused = true)]
async fn either_side_can_win() {
    let unused = Arc::new(AtomicBool::new(false));
    let winner = exercise::race(
        after(1, "fast", Arc::clone(&unused)),
        after(2, "slow", Arc::clone(&unused)),
    )
    .await;
    assert_eq!(winner, Winner::First("fast"));
}

#[tokio::test(start_paused = true)]
async fn the_loser_is_dropped_before_race_returns() {
    let loser_dropped = Arc::new(AtomicBool::new(false));
    let winner_dropped = Arc::new(AtomicBool::new(false));
    let winner = exercise::race(
        after(1, "fast", Arc::clone(&winner_dropped)),
        after(60, "slow", Arc::clone(&loser_dropped)),
    )
    .await;
    assert_eq!(winner, Winner::First("fast"));
    assert!(
        loser_dropped.load(Ordering::SeqCst),
        "expected the slower future to be dropped (cancelled) by the time `race` returned, \
         but it was still alive: a spawned task, for one, runs on after the race is \
         decided. `select!` drops the branches that lost"
    );
}

#[tokio::test(start_paused = true)]
async fn sum_until_stops_at_the_deadline_while_numbers_keep_coming() {
    let (sender, numbers) = mpsc::channel(1);
    // A number every 300 ms, for as long as anyone listens: at 0, 300, 600 and 900 ms
    // before a deadline at 1 s.
    tokio::spawn(async move {
        let mut number = 1;
        while sender.send(number).await.is_ok() {
            number += 1;
            sleep(Duration::from_millis(300)).await;
        }
    });
    let start = Instant::now();
    let deadline = start + Duration::from_secs(1);
    let sum = tokio::time::timeout(
        Duration::from_secs(30),
        exercise::sum_until(numbers, deadline),
    )
    .await
    .unwrap_or_else(|_| {
        panic!(
            "expected `sum_until` to stop at its deadline (1 s), but it was still adding \
             after 30 s of runtime time. A `sleep` written inside the `select!` starts \
             again on every round, and a number arrives before it ever fires: create the \
             deadline's future once, before the loop, and select on `&mut` it"
        )
    });
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
        "expected `sum_until` to return at its deadline, 1 s after it started, but it \
         returned after {took:?} of runtime time"
    );
    assert_eq!(
        sum,
        1 + 2 + 3 + 4,
        "expected the numbers that arrived before the deadline (1 to 4, at 0, 300, 600 and \
         900 ms) to be added up"
    );
}

#[tokio::test(start_paused = true)]
async fn sum_until_stops_when_the_channel_closes() {
    let (sender, numbers) = mpsc::channel(4);
    for number in [5, 6, 7] {
        sender.send(number).await.expect("room in the channel");
    }
    drop(sender);
    let start = Instant::now();
    let sum = exercise::sum_until(numbers, start + Duration::from_secs(10)).await;
    assert_eq!(
        sum, 18,
        "expected the numbers sent before the channel closed"
    );
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "expected `sum_until` to return as soon as the channel closed, without waiting \
         for the deadline, but it returned after {:?}",
        start.elapsed()
    );
}
