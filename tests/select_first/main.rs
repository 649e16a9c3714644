//! Checks for `select_first`: `race` returns the faster future's output as soon as it is
//! ready and has dropped the slower one by then; `sum_until` stops at its deadline even
//! while numbers keep arriving; both sleep until something happens, rather than looking
//! again every few milliseconds. The paused clock makes the timing exact; the runtime
//! counts how often its thread wakes up, and runs on a thread of its own, so that a
//! blocked runtime is reported instead of hanging the check.

#[path = "../../exercises/07_async/select_first.rs"]
mod exercise;

use exercise::Winner;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use threadlings::check::{anonymously, run_paused};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

/// Sets its flag when dropped: a future that holds one tells when it was dropped.
struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What the checks of `race` wait for.
const RACE: &str = "a race of two futures that take a few seconds";

/// What the checks of `sum_until` wait for.
const SUM: &str = "`sum_until` with a deadline a few seconds away";

async fn after(seconds: u64, value: &'static str, dropped: Arc<AtomicBool>) -> &'static str {
    let _guard = SetOnDrop(dropped);
    sleep(Duration::from_secs(seconds)).await;
    value
}

#[test]
fn the_faster_future_wins_as_soon_as_it_is_ready() {
    anonymously(|| {
        run_paused(RACE, |_| {
            the_faster_future_wins_as_soon_as_it_is_ready_on_the_clock()
        });
    })
}

async fn the_faster_future_wins_as_soon_as_it_is_ready_on_the_clock() {
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

#[test]
fn either_side_can_win() {
    anonymously(|| {
        run_paused(RACE, |_| either_side_can_win_on_the_clock());
    })
}

async fn either_side_can_win_on_the_clock() {
    let unused = Arc::new(AtomicBool::new(false));
    let winner = exercise::race(
        after(1, "fast", Arc::clone(&unused)),
        after(2, "slow", Arc::clone(&unused)),
    )
    .await;
    assert_eq!(winner, Winner::First("fast"));
}

#[test]
fn the_loser_is_dropped_before_race_returns() {
    anonymously(|| {
        run_paused(RACE, |_| {
            the_loser_is_dropped_before_race_returns_on_the_clock()
        });
    })
}

async fn the_loser_is_dropped_before_race_returns_on_the_clock() {
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

#[test]
fn sum_until_stops_at_the_deadline_while_numbers_keep_coming() {
    anonymously(|| {
        run_paused(SUM, |_| {
            sum_until_stops_at_the_deadline_while_numbers_keep_coming_on_the_clock()
        });
    })
}

async fn sum_until_stops_at_the_deadline_while_numbers_keep_coming_on_the_clock() {
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

#[test]
fn sum_until_stops_when_the_channel_closes() {
    anonymously(|| {
        run_paused(SUM, |_| {
            sum_until_stops_when_the_channel_closes_on_the_clock()
        });
    })
}

async fn sum_until_stops_when_the_channel_closes_on_the_clock() {
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

/// Whether a wait woke the runtime's thread about as often as something happened:
/// `events` timers that fire, each waking it about twice, with room to spare.
fn woke_for_events_only(wakeups: usize, events: usize) -> bool {
    wakeups <= 3 * events + 4
}

#[test]
fn race_sleeps_until_a_future_is_ready() {
    anonymously(|| {
        let wakeups = run_paused(RACE, |wakeups| async move {
            let unused = Arc::new(AtomicBool::new(false));
            let before = wakeups.count();
            exercise::race(
                after(3, "slow", Arc::clone(&unused)),
                after(1, "fast", Arc::clone(&unused)),
            )
            .await;
            wakeups.count() - before
        });
        assert!(
            woke_for_events_only(wakeups, 1),
            "expected `race` to sleep until one of its futures was ready (one timer, after \
             1 s), but the runtime's thread woke {wakeups} times meanwhile: `race` kept \
             polling the futures itself, with a short sleep in between (`now_or_never` in a \
             loop?). `tokio::select!` polls a future only when its waker says it can make \
             progress"
        );
    })
}

#[test]
fn sum_until_sleeps_until_a_number_or_the_deadline_comes() {
    anonymously(|| {
        let (wakeups, sum) = run_paused(SUM, |wakeups| async move {
            let (sender, numbers) = mpsc::channel(1);
            // Four numbers, at 0, 300, 600 and 900 ms, then nothing until the deadline at 5 s.
            tokio::spawn(async move {
                for number in 1..=4 {
                    if sender.send(number).await.is_err() {
                        return;
                    }
                    sleep(Duration::from_millis(300)).await;
                }
                sender.closed().await;
            });
            let before = wakeups.count();
            let sum = exercise::sum_until(numbers, Instant::now() + Duration::from_secs(5)).await;
            (wakeups.count() - before, sum)
        });
        assert_eq!(sum, 1 + 2 + 3 + 4, "expected the four numbers added up");
        assert!(
            woke_for_events_only(wakeups, 5),
            "expected `sum_until` to sleep until a number arrived or the deadline passed (five \
             events in 5 s), but the runtime's thread woke {wakeups} times meanwhile: it kept \
             looking for a number or at the clock, with a short sleep in between (`try_recv` \
             in a loop?). `select!` between `numbers.recv()` and the deadline's `sleep_until` \
             sleeps until one of them is ready"
        );
    })
}
