//! Checks for `blocking_the_runtime`: the retries come 100, 200 and 400 ms apart on the
//! runtime's clock, and another task (a heartbeat) keeps running during the waits.
//! Under the paused clock, time moves only while every task waits on the runtime's
//! timer: a thread that blocks instead moves it by 0 s. And since runtime time then costs
//! no real time, a schedule of 12.7 s of waits must be over in a few seconds of real time:
//! a wait that also blocks the thread (a `std::thread::sleep` kept next to the timer)
//! cannot be. Each wait is one timer: the runtime's thread wakes once for it, not once
//! per short nap.

#[path = "../../exercises/07_async/blocking_the_runtime.rs"]
mod exercise;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use threadlings::check::{PATIENCE, anonymously, run_paused, run_paused_within};
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

/// What the waits of three failed attempts should be over in, on the paused clock.
const THREE_WAITS: &str = "three waits of 100, 200 and 400 ms";

#[test]
fn retries_after_100_200_and_400_ms() {
    anonymously(|| {
        run_paused(THREE_WAITS, |_| {
            retries_after_100_200_and_400_ms_on_the_clock()
        });
    })
}

async fn retries_after_100_200_and_400_ms_on_the_clock() {
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
                 runtime's clock never moved while {real:?} of real time passed: the waits \
                 took real time, not runtime time. They parked the thread \
                 (`std::thread::sleep`?), or waited for another thread, instead of \
                 awaiting the runtime's timer, `tokio::time::sleep`"
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

#[test]
fn a_heartbeat_keeps_beating_during_the_waits() {
    anonymously(|| {
        run_paused(THREE_WAITS, |_| {
            a_heartbeat_keeps_beating_during_the_waits_on_the_clock()
        });
    })
}

async fn a_heartbeat_keeps_beating_during_the_waits_on_the_clock() {
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

/// Like `flaky`, but the times of the calls are kept where the check can read them even if
/// `retry_with_backoff` never returns.
fn flaky_shared(
    failures: usize,
    calls: Arc<Mutex<Vec<Duration>>>,
    start: Instant,
) -> impl FnMut() -> Result<&'static str, ()> {
    move || {
        let mut calls = calls.lock().unwrap_or_else(PoisonError::into_inner);
        calls.push(start.elapsed());
        if calls.len() > failures {
            Ok("done")
        } else {
            Err(())
        }
    }
}

#[test]
fn the_waits_take_no_real_time_on_the_paused_clock() {
    anonymously(|| {
        // Seven failures: 100 ms + 200 ms + ... + 6.4 s = 12.7 s of waits on the runtime's
        // clock, which costs next to no real time when the runtime sleeps on its timer, and
        // far more than the check's patience when the waits block the thread for real.
        let calls = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&calls);
        let finished = run_paused_within(PATIENCE, move |_| async move {
            let start = Instant::now();
            exercise::retry_with_backoff(flaky_shared(7, recorded, start)).await
        });
        if finished.is_none() {
            let calls = calls.lock().unwrap_or_else(PoisonError::into_inner);
            let millis: Vec<u128> = calls.iter().map(Duration::as_millis).collect();
            let on_the_clock = millis.iter().any(|&at| at > 0);
            panic!(
                "expected seven failed attempts, with 12.7 s of waits between them on the \
                 runtime's paused clock, to be over in next to no real time, but after \
                 {PATIENCE:?} of real time only {} attempts had been made, at {millis:?} ms of \
                 runtime time: the waits blocked the runtime's thread for real. {}",
                millis.len(),
                if on_the_clock {
                    "The runtime's clock did move as it should, so the task awaits the timer, \
                     but it also blocks the thread (a `std::thread::sleep` or a busy loop kept \
                     next to `tokio::time::sleep`?): while it blocks, no other task runs. \
                     Keep only the `.await` on `tokio::time::sleep`"
                } else {
                    "The runtime's clock never moved: the waits parked the thread \
                     (`std::thread::sleep`?) instead of awaiting `tokio::time::sleep`"
                }
            );
        }
    })
}

#[test]
fn each_wait_wakes_the_runtime_once() {
    anonymously(|| {
        let (wakeups, millis) = run_paused(THREE_WAITS, |wakeups| async move {
            let start = Instant::now();
            let mut calls = Vec::new();
            let before = wakeups.count();
            exercise::retry_with_backoff(flaky(3, &mut calls, start)).await;
            let millis: Vec<u128> = calls.iter().map(Duration::as_millis).collect();
            (wakeups.count() - before, millis)
        });
        // Each wait on the timer wakes the idle runtime about twice (the timer fires, then
        // the task runs); a wait made of many short naps wakes it for each nap.
        assert!(
            wakeups <= 12,
            "expected each of the three waits to be one sleep on the runtime's timer, waking \
             the runtime's thread a couple of times each, but the thread woke {wakeups} times \
             during the {millis:?} ms of attempts: the waits were made of many short sleeps \
             (polling the clock). Await one `tokio::time::sleep(pause)` per wait"
        );
    })
}
