//! Checks for `guard_across_await`: the future of `restock` is `Send`, so `tokio::spawn`
//! accepts it; restocks that wait at the same time all count, none overwriting another;
//! their deliveries overlap, and the stock can be read while they are on their way, so
//! no lock is held across a delivery (the paused clock and `join!` on one thread make
//! the interleaving exact). The compile-fail case shows the rule itself: a std guard held
//! across `.await` in a spawned task is rejected.

#[path = "../../exercises/07_async/guard_across_await.rs"]
mod exercise;

use exercise::Inventory;
use std::marker::PhantomData;
use std::time::Duration;
use threadlings::check::{PATIENCE, anonymously, run_paused_within};
use tokio::time::{Instant, sleep};

/// Tells at run time whether a value's type is `Send`, so that the check can explain
/// the problem instead of failing to compile. Method lookup tries `&Probe<T>` as the
/// receiver before `&&Probe<T>`: `IsSend`'s method applies there only when `T: Send`;
/// otherwise lookup falls back to `NotSend`'s.
struct Probe<T>(PhantomData<T>);

trait IsSend {
    fn is_send(&self) -> bool {
        true
    }
}

impl<T: Send> IsSend for Probe<T> {}

// Used only when `IsSend` does not apply, which is when the exercise is unsolved.
#[allow(dead_code)]
trait NotSend {
    fn is_send(&self) -> bool {
        false
    }
}

impl<T> NotSend for &Probe<T> {}

fn probe<T>(_: &T) -> Probe<T> {
    Probe(PhantomData)
}

#[test]
fn a_restock_can_be_spawned_on_a_multi_thread_runtime() {
    anonymously(|| {
        let future = exercise::restock(Inventory::new(), "apples", 1);
        // The explicit borrow is the point: it makes `&Probe<T>` the first receiver tried.
        #[allow(clippy::needless_borrow)]
        let send = (&probe(&future)).is_send();
        assert!(
            send,
            "expected the future of `restock` to be `Send`, so that `tokio::spawn` can move it \
             between worker threads, but it is not: a `std::sync::MutexGuard` is alive across \
             an `.await`. Drop the guard before awaiting: take the lock after the delivery, \
             for the update only"
        );
    })
}

/// What two restocks on one thread did, with a reader that looked at the stock halfway
/// through their deliveries.
struct Restocks {
    apples: u32,
    took: Duration,
    read_halfway: u32,
    reading_took: Duration,
}

/// Two restocks of 5 and 7 apples, and a reader at 500 ms, all at the same time on one
/// thread (`join!` on a current-thread runtime), on the paused clock.
fn two_restocks_and_a_reader() -> Restocks {
    run_paused_within(PATIENCE, |_| async {
        let inventory = Inventory::new();
        let start = Instant::now();
        let reader = async {
            sleep(Duration::from_millis(500)).await;
            let asked = Instant::now();
            let apples = inventory.count("apples").await;
            (apples, asked.elapsed())
        };
        let ((), (), (read_halfway, reading_took)) = tokio::join!(
            exercise::restock(inventory.clone(), "apples", 5),
            exercise::restock(inventory.clone(), "apples", 7),
            reader,
        );
        let took = start.elapsed();
        Restocks {
            apples: inventory.count("apples").await,
            took,
            read_halfway,
            reading_took,
        }
    })
    .unwrap_or_else(|| {
        panic!(
            "expected two restocks on one thread to finish after their one-second \
             deliveries, but they were stuck after {PATIENCE:?}: a deadlock. The first \
             waits for its delivery while holding the std lock; the second blocks the \
             only thread trying to take that lock, so the first never runs again. Do not \
             hold a `std::sync::MutexGuard` across an `.await`"
        )
    })
}

#[test]
fn restocks_waiting_at_the_same_time_all_count() {
    anonymously(|| {
        let apples = two_restocks_and_a_reader().apples;
        assert_eq!(
            apples, 12,
            "expected 5 + 7 = 12 apples after two restocks, but found {apples}: one restock \
             read the stock before its delivery and wrote it back after, over the other's \
             update. Add the delivered amount to the stock as it is after the `.await`"
        );
    })
}

#[test]
fn the_deliveries_of_two_restocks_overlap() {
    anonymously(|| {
        let took = two_restocks_and_a_reader().took;
        assert!(
            took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
            "expected two restocks started together to wait for their one-second deliveries \
             at the same time, and be done after 1 s of runtime time, but they took {took:?}: \
             the second delivery waited for the first. A lock held across the delivery (a \
             `tokio::sync::Mutex` guard kept over `deliver(..).await`) makes every other \
             restock wait for it. Take the lock after the delivery, for the update only"
        );
    })
}

#[test]
fn the_stock_can_be_read_while_deliveries_are_on_their_way() {
    anonymously(|| {
        let restocks = two_restocks_and_a_reader();
        assert!(
            restocks.reading_took < Duration::from_millis(1),
            "expected a look at the stock halfway through the deliveries to be answered at \
             once, but it waited {:?} of runtime time: a restock held the lock while its \
             delivery was on its way, and the reader had to wait for the delivery too. Hold \
             the lock only for the update, after the delivery has arrived",
            restocks.reading_took
        );
        assert_eq!(
            restocks.read_halfway, 0,
            "expected no apples in stock before the deliveries arrived"
        );
    })
}
