//! Checks for `join_all`: the results come back in task order, and the three tasks
//! wait at the same time on one thread. The paused clock makes the timing exact; it
//! does not move while the thread is blocked, so the checks also measure, in real time,
//! how long the tasks' polls held the thread.

#[path = "../../exercises/01_article/join_all.rs"]
mod exercise;

use std::time::Duration;
use threadlings::check::{Clock, HELD_TOO_LONG, anonymously_async, thread_time};
use tokio::time::Instant;

/// The failure when `what` held the runtime's thread for `held` in its polls.
fn blocked_the_thread(what: &str, held: Duration) -> String {
    format!(
        "expected {what} to give the thread back to the runtime while waiting, but its \
         polls held the thread for {held:?} of real time (the runtime's paused clock does \
         not move while the thread is blocked, so it cannot show this): \
         `std::thread::sleep` (or any blocking wait) stops every other task on the \
         thread, and the waits cannot overlap. Wait only with \
         `tokio::time::sleep(..).await`."
    )
}

#[test]
fn each_task_returns_its_number() {
    anonymously_async(Clock::Paused, || async {
        let (one, held_one) = thread_time(exercise::task_one()).await;
        let (two, held_two) = thread_time(exercise::task_two()).await;
        let (three, held_three) = thread_time(exercise::task_three()).await;
        assert_eq!((one, two, three), (1, 2, 3));
        for (task, held) in [
            ("`task_one`", held_one),
            ("`task_two`", held_two),
            ("`task_three`", held_three),
        ] {
            assert!(held < HELD_TOO_LONG, "{}", blocked_the_thread(task, held));
        }
    })
}

#[test]
fn returns_the_results_in_task_order() {
    anonymously_async(Clock::Paused, || async {
        assert_eq!(exercise::run_all().await, vec![1, 2, 3]);
    })
}

// `tokio::test` runs on a current-thread runtime: one thread, so any overlap seen here
// is concurrency, not parallelism.
#[test]
fn the_three_tasks_wait_at_the_same_time() {
    anonymously_async(Clock::Paused, || async {
        let start = Instant::now();
        let (_, held) = thread_time(exercise::run_all()).await;
        let took = start.elapsed();
        assert!(
            held < HELD_TOO_LONG,
            "{}",
            blocked_the_thread("`run_all`", held)
        );
        assert!(
            took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
            "expected three tasks that each wait one second to overlap and finish after one \
             second of runtime time, but they took {took:?}. About 3 s: they ran one after \
             another (awaited in turn instead of joined). 0 s: a task blocked the thread \
             instead of awaiting `tokio::time::sleep`."
        );
    })
}
