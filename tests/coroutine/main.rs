//! Checks for `coroutine`: `main` runs the coroutine on a runtime, and the coroutine
//! waits on the runtime's clock without blocking its thread. The paused clock makes the
//! timing exact: virtual time advances only while every task is waiting.

#[path = "../../exercises/01_article/coroutine.rs"]
mod exercise;

use std::time::Duration;
use tokio::time::Instant;

#[test]
fn main_runs_the_coroutine_to_completion() {
    // `main` must be a plain function: an `async fn` only builds a future, and
    // something has to poll it. If this line does not compile, `main` is still async.
    let main: fn() -> u32 = exercise::main;
    assert_eq!(
        main(),
        42,
        "expected `main` to return what the coroutine returned"
    );
}

#[tokio::test(start_paused = true)]
async fn the_coroutine_waits_one_second_of_runtime_time() {
    let start = Instant::now();
    let value = exercise::coroutine().await;
    let waited = start.elapsed();
    assert_eq!(value, 42, "expected the coroutine to return 42");
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_millis(1100),
        "expected the coroutine to wait one second on the runtime's clock with \
         `tokio::time::sleep(..).await`, but it waited {waited:?} of runtime time. \
         0 s means the thread was blocked (`std::thread::sleep`?): the runtime could not \
         run anything else meanwhile."
    );
}

#[tokio::test(start_paused = true)]
async fn two_coroutines_wait_at_the_same_time_on_one_thread() {
    let start = Instant::now();
    let (first, second) = tokio::join!(exercise::coroutine(), exercise::coroutine());
    let waited = start.elapsed();
    assert_eq!((first, second), (42, 42));
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_millis(1100),
        "expected two coroutines that each wait one second to finish together after one \
         second, taking turns on this one thread, but they took {waited:?} of runtime time"
    );
}
