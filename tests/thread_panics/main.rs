//! Checks for `thread_panics`: a job's panic comes back as that job's `Err` with its
//! message while the other jobs' results are kept, `run_isolated` itself does not
//! panic, and the jobs run on threads of their own (a panic never reaches the caller's
//! thread).

#[path = "../../exercises/02_threads/thread_panics.rs"]
mod exercise;

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::thread;
use threadlings::check::{DeliberatePanic, quiet_deliberate_panics};

/// Every panic these checks cause on purpose says so first.
const ON_PURPOSE: &str = "on purpose:";

/// Runs `run_isolated`, reporting a panic that escapes it as a failure that says why.
fn run_isolated<T: Send + 'static>(
    jobs: Vec<Box<dyn FnOnce() -> T + Send>>,
) -> Vec<Result<T, String>> {
    quiet_deliberate_panics();
    match panic::catch_unwind(AssertUnwindSafe(|| exercise::run_isolated(jobs))) {
        Ok(results) => results,
        Err(payload) => panic!(
            "expected `run_isolated` to return each job's panic as an `Err`, but the panic \
             reached the caller ({:?}): `join` returns `Err(payload)` when the thread \
             panicked, and unwrapping it panics the caller too. Map the error with \
             `panic_message` instead.",
            describe(&*payload)
        ),
    }
}

fn describe(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
        })
        .unwrap_or_else(|| "a payload that is not text".to_owned())
}

#[test]
fn jobs_that_succeed_give_their_values_in_order() {
    let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> =
        vec![Box::new(|| 1), Box::new(|| 2), Box::new(|| 3)];
    assert_eq!(run_isolated(jobs), vec![Ok(1), Ok(2), Ok(3)]);
}

#[test]
fn a_formatted_panic_gives_its_message_and_spares_the_others() {
    let job = 2;
    let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> = vec![
        Box::new(|| 10),
        Box::new(move || panic!("{ON_PURPOSE} job {job} failed")),
        Box::new(|| 30),
    ];
    assert_eq!(
        run_isolated(jobs),
        vec![Ok(10), Err(format!("{ON_PURPOSE} job 2 failed")), Ok(30)],
        "expected the panicking job to give `Err` with its message (a `String` payload), \
         and the jobs around it their values"
    );
}

#[test]
fn a_literal_panic_gives_its_message() {
    let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> =
        vec![Box::new(|| panic!("on purpose: no input"))];
    assert_eq!(
        run_isolated(jobs),
        vec![Err("on purpose: no input".to_owned())],
        "expected a literal panic message (a `&'static str` payload) to come back as text"
    );
}

#[test]
fn a_panic_that_is_not_text_gives_the_fallback_message() {
    let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> =
        vec![Box::new(|| panic::panic_any(DeliberatePanic))];
    assert_eq!(
        run_isolated(jobs),
        vec![Err(exercise::NOT_TEXT.to_owned())],
        "expected a payload that is neither a `String` nor a `&'static str` to give `NOT_TEXT`"
    );
}

#[test]
fn each_job_panics_on_a_thread_of_its_own() {
    let caller = thread::current().id();
    let jobs: Vec<Box<dyn FnOnce() -> thread::ThreadId + Send>> = vec![
        Box::new(|| thread::current().id()),
        Box::new(|| panic!("{ON_PURPOSE} stop")),
        Box::new(|| thread::current().id()),
    ];
    let results = run_isolated(jobs);
    let on_caller = results
        .iter()
        .filter(|result| result.as_ref().is_ok_and(|id| *id == caller))
        .count();
    assert_eq!(
        on_caller, 0,
        "expected every job to run on a thread of its own, but {on_caller} ran on the \
         caller's thread: a thread is what keeps a job's panic away from the others"
    );
    assert!(
        results[1].is_err(),
        "expected the second job's panic as `Err`"
    );
}

#[test]
fn panic_message_reads_both_kinds_of_text() {
    quiet_deliberate_panics();
    let literal: Box<dyn Any + Send> = Box::new("a literal");
    let formatted: Box<dyn Any + Send> = Box::new(String::from("a formatted message"));
    let neither: Box<dyn Any + Send> = Box::new(7_u8);
    assert_eq!(exercise::panic_message(literal), "a literal");
    assert_eq!(exercise::panic_message(formatted), "a formatted message");
    assert_eq!(exercise::panic_message(neither), exercise::NOT_TEXT);
}
