//! Checks for `spawn_blocking_offload`: the work runs on another thread than the
//! runtime's, the runtime keeps running another task while the work blocks (the work
//! waits for a message that only that task sends), and the result or panic comes back.
//! The runtime is a current-thread one: it has a single thread to keep free.

#[path = "../../exercises/07_async/spawn_blocking_offload.rs"]
mod exercise;

use std::sync::mpsc;
use std::thread;
use threadlings::check::{PATIENCE, panic_text, quiet_deliberate_panics};

#[tokio::test]
async fn returns_what_the_work_computed() {
    let total = exercise::run_blocking(|| (1..=100u64).sum::<u64>()).await;
    assert_eq!(total, 5050, "expected the value the closure returned");
}

#[tokio::test]
async fn the_work_runs_off_the_runtime_thread() {
    let runtime_thread = thread::current().id();
    let work_thread = exercise::run_blocking(|| thread::current().id()).await;
    assert_ne!(
        work_thread, runtime_thread,
        "expected the blocking work on a thread of tokio's blocking pool, but it ran on \
         the runtime's own thread: the runtime was blocked for as long as it ran. Use \
         `tokio::task::spawn_blocking`"
    );
}

#[tokio::test]
async fn the_runtime_serves_other_tasks_while_the_work_blocks() {
    let (sender, inbox) = mpsc::channel();
    // Another task on this runtime; it can only run while the runtime's thread is free.
    let messenger = tokio::spawn(async move {
        sender
            .send("hello from another task")
            .expect("the work is listening");
    });
    // The work blocks until the message arrives (or gives up after 5 s).
    let received = exercise::run_blocking(move || inbox.recv_timeout(PATIENCE).ok()).await;
    assert_eq!(
        received,
        Some("hello from another task"),
        "expected the other task to run while the blocking work waited for its message, \
         but the message never came: the runtime was blocked. Either the work ran on the \
         runtime's only thread, or that thread waited for it (`join()`, `recv()`, any \
         blocking wait). Run it with `spawn_blocking` and `.await` the handle"
    );
    messenger.await.expect("the messenger task");
}

#[tokio::test]
async fn the_works_panic_reaches_the_caller() {
    quiet_deliberate_panics();
    // Run the caller as a task of its own, so that its panic can be inspected.
    let caller = tokio::spawn(exercise::run_blocking(|| -> u32 {
        panic!("the work panics on purpose")
    }));
    match caller.await {
        Ok(value) => {
            panic!("expected the caller to panic as the work did, but it returned {value}")
        }
        Err(error) => {
            let payload = error.into_panic();
            let text = panic_text(&*payload).unwrap_or("(not a message)");
            assert!(
                text.contains("panics on purpose"),
                "expected the caller to panic with the work's own panic message, \
                 \"the work panics on purpose\", but it panicked with {text:?}: the \
                 work's panic was lost on the way"
            );
        }
    }
}
