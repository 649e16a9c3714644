//! Checks for `join_all`: the results come back in task order, and the three tasks
//! wait at the same time on one thread. The paused clock makes the timing exact.

#[path = "../../exercises/01_article/join_all.rs"]
mod exercise;

use std::time::Duration;
use tokio::time::Instant;

#[tokio::test(start_paused = true)]
async fn each_task_returns_its_number() {
    assert_eq!(exercise::task_one().await, 1);
    assert_eq!(exercise::task_two().await, 2);
    assert_eq!(exercise::task_three().await, 3);
}

#[tokio::test(start_paused = true)]
async fn returns_the_results_in_task_order() {
    assert_eq!(exercise::run_all().await, vec![1, 2, 3]);
}

// `tokio::test` runs on a current-thread runtime: one thread, so any overlap seen here
// is concurrency, not parallelism.
#[tokio::test(start_paused = true)]
async fn the_three_tasks_wait_at_the_same_time() {
    let start = Instant::now();
    exercise::run_all().await;
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
        "expected three tasks that each wait one second to overlap and finish after one \
         second of runtime time, but they took {took:?}. About 3 s: they ran one after \
         another (awaited in turn instead of joined). 0 s: a task blocked the thread \
         instead of awaiting `tokio::time::sleep`."
    );
}
