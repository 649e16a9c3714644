//! Checks for `guard_across_await`: the future of `restock` is `Send`, so `tokio::spawn`
//! accepts it; restocks that wait at the same time all count, none overwriting another
//! (the paused clock and `join!` on one thread make the interleaving exact). The
//! compile-fail case shows the rule itself: a std guard held across `.await` in a
//! spawned task is rejected.

#[path = "../../exercises/07_async/guard_across_await.rs"]
mod exercise;

use exercise::Inventory;
use std::marker::PhantomData;
use std::sync::mpsc;
use std::thread;
use threadlings::check::PATIENCE;

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
    let future = exercise::restock(Inventory::new(), "apples", 1);
    // The explicit borrow is the point: it makes `&Probe<T>` the first receiver tried.
    #[allow(clippy::needless_borrow)]
    let send = (&probe(&future)).is_send();
    assert!(
        send,
        "expected the future of `restock` to be `Send`, so that `tokio::spawn` can move it \
         between worker threads, but it is not: a `std::sync::MutexGuard` is alive across \
         an `.await`. Drop the guard before awaiting (take the lock after the delivery), \
         or use `tokio::sync::Mutex`"
    );
}

#[test]
fn restocks_waiting_at_the_same_time_all_count() {
    let (report, outcome) = mpsc::channel();
    // The restocks run on a thread of their own, so that a deadlock there can be
    // reported here instead of hanging the check.
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("a tokio runtime");
        let apples = runtime.block_on(async {
            let inventory = Inventory::new();
            // Both restocks wait for their deliveries at the same time, on one thread.
            tokio::join!(
                exercise::restock(inventory.clone(), "apples", 5),
                exercise::restock(inventory.clone(), "apples", 7),
            );
            inventory.count("apples").await
        });
        let _ = report.send(apples);
    });
    let apples = outcome.recv_timeout(PATIENCE).unwrap_or_else(|_| {
        panic!(
            "expected two restocks on one thread to finish after their one-second \
             deliveries, but they were stuck after {PATIENCE:?}: a deadlock. The first \
             waits for its delivery while holding the std lock; the second blocks the \
             only thread trying to take that lock, so the first never runs again. Do not \
             hold a `std::sync::MutexGuard` across an `.await`"
        )
    });
    assert_eq!(
        apples, 12,
        "expected 5 + 7 = 12 apples after two restocks, but found {apples}: one restock \
         read the stock before its delivery and wrote it back after, over the other's \
         update. Add the delivered amount to the stock as it is after the `.await`"
    );
}
