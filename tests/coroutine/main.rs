//! Checks for `coroutine`: `main` runs the coroutine on a runtime, and the coroutine
//! waits on the runtime's clock without blocking its thread. The paused clock makes the
//! timing exact: virtual time advances only while every task is waiting. It does not
//! move while the thread is blocked, so the checks also measure, in real time, how long
//! the coroutine's polls held the thread.

#[path = "../../exercises/01_article/coroutine.rs"]
mod exercise;

use std::time::Duration;
use threadlings::check::{Clock, HELD_TOO_LONG, anonymously, anonymously_async, thread_time};
use tokio::time::Instant;

/// The failure when the coroutine's polls held the runtime's thread for `held`.
fn blocked_the_thread(held: Duration) -> String {
    format!(
        "expected the coroutine to give its thread back to the runtime while it waits, but \
         its polls held the thread for {held:?} of real time (the runtime's paused clock \
         does not move while the thread is blocked, so it cannot show this): \
         `std::thread::sleep` (or any blocking wait) stops every other coroutine on the \
         thread. Wait only with `tokio::time::sleep(..).await`."
    )
}

#[test]
fn main_runs_the_coroutine_to_completion() {
    anonymously(|| {
        // `main` must be a plain function: an `async fn` only builds a future, and
        // something has to poll it. If this line does not compile, `main` is still async.
        let main: fn() -> u32 = exercise::main;
        assert_eq!(
            main(),
            42,
            "expected `main` to return what the coroutine returned"
        );
    })
}

#[test]
fn the_coroutine_waits_one_second_of_runtime_time() {
    anonymously_async(Clock::Paused, || async {
        let start = Instant::now();
        let (value, held) = thread_time(exercise::coroutine()).await;
        let waited = start.elapsed();
        assert_eq!(value, 42, "expected the coroutine to return 42");
        assert!(held < HELD_TOO_LONG, "{}", blocked_the_thread(held));
        assert!(
            waited >= Duration::from_secs(1) && waited < Duration::from_millis(1100),
            "expected the coroutine to wait one second on the runtime's clock with \
             `tokio::time::sleep(..).await`, but it waited {waited:?} of runtime time. \
             0 s means the thread was blocked (`std::thread::sleep`?): the runtime could not \
             run anything else meanwhile."
        );
    })
}

#[test]
fn two_coroutines_wait_at_the_same_time_on_one_thread() {
    anonymously_async(Clock::Paused, || async {
        let start = Instant::now();
        let ((first, held_first), (second, held_second)) = tokio::join!(
            thread_time(exercise::coroutine()),
            thread_time(exercise::coroutine())
        );
        let waited = start.elapsed();
        assert_eq!((first, second), (42, 42));
        let held = held_first + held_second;
        assert!(held < HELD_TOO_LONG, "{}", blocked_the_thread(held));
        assert!(
            waited >= Duration::from_secs(1) && waited < Duration::from_millis(1100),
            "expected two coroutines that each wait one second to finish together after one \
             second, taking turns on this one thread, but they took {waited:?} of runtime time"
        );
    })
}
