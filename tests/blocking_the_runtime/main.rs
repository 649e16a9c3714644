//! Checks for `blocking_the_runtime`: the retries come 100, 200 and 400 ms apart on the
//! runtime's clock, and another task (a heartbeat) keeps running during the waits.
//! Under the paused clock, time moves only while every task waits on the runtime's
//! timer: a thread that blocks instead moves it by 0 s.

#[path = "../../exercises/07_async/blocking_the_runtime.rs"]
mod exercise;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, MissedTickBehavior};

/// An attempt that fails `failures` times, then succeeds; it records when it was called.
fn flaky(
    failures: usize,
    calls: &mut Vec<Duration>,
    start: Instant,
) -> impl FnMut() -> Result<&'static str, ()> {
    move || {
        calls.push(start.elapsed());
        if calls.len() > failures {
            Ok("done")
        } else {
            Err(())
        }
    }
}

#[tokio::test(start_paused = true)]
async fn retries_after_100_200_and_400_ms() {
    let start = Instant::now();
    // Real time, only to tell a blocked thread from a wait that never happened.
    let real_start = std::time::Instant::now();
    let mut calls = Vec::new();
    let value = exercise::retry_with_backoff(flaky(3, &mut calls, start)).await;
    let real = real_start.elapsed();
    assert_eq!(
        value, "done",
        "expected the value of the successful attempt"
    );
    let millis: Vec<u128> = calls.iter().map(Duration::as_millis).collect();
    if millis == [0, 0, 0, 0] {
        if real >= Duration::from_millis(700) {
            panic!(
                "expected the attempts at 0, 100, 300 and 700 ms of runtime time, but the \
                 runtime's clock never moved while {real:?} of real time passed: the \
                 runtime was blocked. The waits parked the thread (`std::thread::sleep`?) \
                 instead of awaiting `tokio::time::sleep`"
            );
        }
        panic!(
            "expected the attempts at 0, 100, 300 and 700 ms of runtime time, but they all \
             came at once: nothing waited. A `tokio::time::sleep(..)` that is not \
             `.await`ed is a future dropped unused"
        );
    }
    assert_eq!(
        millis,
        [0, 100, 300, 700],
        "expected the attempts at these times (ms of runtime time): 100, 200, then \
         400 ms apart"
    );
}

#[tokio::test(start_paused = true)]
async fn a_heartbeat_keeps_beating_during_the_waits() {
    let beats = Arc::new(AtomicUsize::new(0));
    let heart = {
        let beats = Arc::clone(&beats);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(50));
            every.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                beats.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let start = Instant::now();
    let real_start = std::time::Instant::now();
    let mut calls = Vec::new();
    exercise::retry_with_backoff(flaky(3, &mut calls, start)).await;
    heart.abort();
    let beats = beats.load(Ordering::SeqCst);
    // How long the waits took: on the runtime's clock, or, if that never moved, in real
    // time (the thread was parked). The heart beats at 0, 50, 100, ... ms of that.
    let runtime_time = start.elapsed();
    let waited = if runtime_time.is_zero() {
        real_start.elapsed()
    } else {
        runtime_time
    };
    let due = (waited.as_millis() / 50) as usize;
    assert!(
        beats >= due,
        "expected a heartbeat task that beats every 50 ms to beat at least {due} times \
         during the {waited:?} that `retry_with_backoff` waited, but it beat {beats} times: \
         the runtime was blocked, so no other task could run while it waited. Await \
         `tokio::time::sleep` instead of parking the thread"
    );
}
