//! Checks for `async_actor`: each `add` is answered with the new total; tasks on two
//! worker threads that share the counter lose no update, and every `add` sees a total
//! of its own (the actor applies them one at a time); the actor ends, with the final
//! total, once every handle is dropped.

#[path = "../../exercises/07_async/async_actor.rs"]
mod exercise;

use std::collections::BTreeSet;
use threadlings::check::PATIENCE;

#[tokio::test(start_paused = true)]
async fn add_replies_with_the_new_total() {
    let (counter, _task) = exercise::start_counter();
    // The first `add` runs as a task of its own, so that a panic in it can be explained.
    let first = {
        let counter = counter.clone();
        tokio::spawn(async move { counter.add(2).await })
    };
    let first = first.await.unwrap_or_else(|_| {
        panic!(
            "expected `add(2)` to be answered, but it panicked waiting for the reply. A \
             oneshot receiver gets `Err(RecvError)` when its sender is dropped unused: the \
             actor must answer each `Add` with `reply.send(new_total)`"
        )
    });
    assert_eq!(first, 2, "expected the total after adding 2 to 0");
    assert_eq!(
        counter.add(3).await,
        5,
        "expected the total after adding 3 to 2"
    );
    assert_eq!(
        counter.total().await,
        5,
        "expected the total to be kept by the actor"
    );
}

#[test]
fn tasks_on_two_threads_share_the_counter_without_losing_updates() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let replies = runtime.block_on(async {
        let (counter, _task) = exercise::start_counter();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut replies = Vec::new();
                    for _ in 0..250 {
                        replies.push(counter.add(1).await);
                    }
                    replies
                })
            })
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.extend(task.await.expect("an adding task"));
        }
        replies
    });
    let distinct: BTreeSet<u64> = replies.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        1000,
        "expected each of the 1000 adds to be answered with a total of its own (1 to \
         1000), because the actor applies them one at a time, but only {} distinct totals \
         came back",
        distinct.len()
    );
    assert_eq!(
        distinct.last(),
        Some(&1000),
        "expected the last total to be 1000"
    );
}

// Not on the paused clock: a task that never waits would stop virtual time, and with
// it the timeout that reports it. Real time here only bounds how long to wait.
#[tokio::test]
async fn the_actor_ends_with_the_total_when_every_handle_is_dropped() {
    let (counter, task) = exercise::start_counter();
    let other = counter.clone();
    counter.add(4).await;
    other.add(6).await;
    drop(counter);
    drop(other);
    let total = tokio::time::timeout(PATIENCE, task)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "expected the counter task to end once every handle was dropped, but it was \
                 still running {PATIENCE:?} later: `recv()` returns `None` when every sender \
                 is gone, and the loop must stop then"
            )
        })
        .expect("the counter task");
    assert_eq!(total, 10, "expected the task to end with the final total");
}
