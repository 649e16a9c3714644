//! Checks for `spawn_join`: the work runs on a new thread, the caller waits for that
//! thread to finish, and the thread's result comes back through `join`.

#[path = "../../exercises/01_article/spawn_join.rs"]
mod exercise;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use threadlings::check::set_when_this_thread_ends;

#[test]
fn returns_what_the_thread_computed() {
    let result = exercise::run_on_new_thread(|| (1..=10).sum::<u32>());
    assert_eq!(
        result, 55,
        "expected the value that the work closure returned"
    );
}

#[test]
fn runs_the_work_on_a_new_thread() {
    let caller = thread::current().id();
    let worker = exercise::run_on_new_thread(|| thread::current().id());
    assert_ne!(
        worker, caller,
        "expected the work to run on a new thread, but it ran on the caller's own thread: \
         start it with `thread::spawn`"
    );
}

#[test]
fn waits_for_the_thread_to_finish() {
    let ended = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ended);
    exercise::run_on_new_thread(move || set_when_this_thread_ends(flag));
    assert!(
        ended.load(Ordering::SeqCst),
        "expected `run_on_new_thread` to return only after the new thread had finished, \
         but the thread was still running: wait for it with `handle.join()`"
    );
}
