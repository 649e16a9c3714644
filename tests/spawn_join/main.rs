//! Checks for `spawn_join`: the work runs on a new thread, the caller waits for that
//! thread to finish, and the thread's result comes back through `join`, or its panic,
//! with the work's own payload.

#[path = "../../exercises/01_article/spawn_join.rs"]
mod exercise;

use std::sync::Arc;
use std::thread;
use threadlings::check::{
    DeliberatePanic, LINGER, ThreadEnds, anonymously, panic_reaching_the_caller, panic_text,
    quiet_panics_on_this_thread,
};

#[test]
fn returns_what_the_thread_computed() {
    anonymously(|| {
        let result = exercise::run_on_new_thread(|| (1..=10).sum::<u32>());
        assert_eq!(
            result, 55,
            "expected the value that the work closure returned"
        );
    })
}

#[test]
fn runs_the_work_on_a_new_thread() {
    anonymously(|| {
        let caller = thread::current().id();
        let worker = exercise::run_on_new_thread(|| thread::current().id());
        assert_ne!(
            worker, caller,
            "expected the work to run on a new thread, but it ran on the caller's own thread: \
             start it with `thread::spawn`"
        );
    })
}

#[test]
fn waits_for_the_thread_to_finish() {
    anonymously(|| {
        let ends = ThreadEnds::new();
        let tracked = Arc::clone(&ends);
        exercise::run_on_new_thread(move || tracked.track_this_thread());
        let (ended, _) = ends.after_return();
        assert_eq!(
            ended, 1,
            "expected `run_on_new_thread` to return only after the new thread had finished, \
             but it returned while the thread was still running (the thread's end was held \
             back {LINGER:?}, and the call did not wait for it): the result came back some \
             other way than `join`. Wait for the thread with `handle.join()`, which also \
             gives back the value."
        );
    })
}

#[test]
fn a_panic_in_the_work_comes_back_with_its_own_message() {
    anonymously(|| {
        let work = || -> u32 {
            quiet_panics_on_this_thread();
            panic!("the work failed")
        };
        let payload = panic_reaching_the_caller("run_on_new_thread", move || {
            exercise::run_on_new_thread(work)
        });
        let text = panic_text(&*payload);
        assert!(
            text == Some("the work failed"),
            "expected the work's own panic to reach the caller of `run_on_new_thread` (\"the \
             work failed\"), but the caller panicked with {:?}: the panic was replaced (`unwrap` \
             and `expect` make a panic of their own). `join` gives the payload back as \
             `Err(payload)`; pass it on unchanged with `std::panic::resume_unwind(payload)`.",
            text.unwrap_or("a payload that is not text")
        );
    })
}

#[test]
fn a_panic_that_is_not_text_comes_back_unchanged() {
    anonymously(|| {
        let work = || -> u32 { std::panic::panic_any(DeliberatePanic) };
        let payload = panic_reaching_the_caller("run_on_new_thread", move || {
            exercise::run_on_new_thread(work)
        });
        assert!(
            payload.is::<DeliberatePanic>(),
            "expected the work's own panic payload (a value that is not text) to reach the \
             caller, but the caller panicked with {:?}: a panic of its own replaced the work's. \
             Pass the payload on with `std::panic::resume_unwind(payload)`.",
            panic_text(&*payload).unwrap_or("another payload")
        );
    })
}
