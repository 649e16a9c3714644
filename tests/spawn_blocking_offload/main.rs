//! Checks for `spawn_blocking_offload`: the work runs on a thread of tokio's blocking
//! pool, not the runtime's own, the runtime keeps running another task while the work
//! blocks (the work waits for an answer that only that task gives), `run_blocking`
//! sleeps until the work's end wakes it (polled by hand), and the result comes back, or
//! the work's panic, with its very payload. The runtime is a current-thread one: it has
//! a single thread to keep free.

#[path = "../../exercises/07_async/spawn_blocking_offload.rs"]
mod exercise;

use std::any::Any;
use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use threadlings::check::{
    Clock, DeliberatePanic, PATIENCE, Responder, WakeCounter, anonymously, anonymously_async,
    panic_text, poll_once,
};

#[test]
fn returns_what_the_work_computed() {
    anonymously_async(Clock::Running, || async {
        let total = exercise::run_blocking(|| (1..=100u64).sum::<u64>()).await;
        assert_eq!(total, 5050, "expected the value the closure returned");
    })
}

#[test]
fn the_work_runs_off_the_runtime_thread() {
    anonymously_async(Clock::Running, || async {
        let runtime_thread = thread::current().id();
        let work_thread = exercise::run_blocking(|| thread::current().id()).await;
        assert_ne!(
            work_thread, runtime_thread,
            "expected the blocking work on a thread of tokio's blocking pool, but it ran on \
             the runtime's own thread: the runtime was blocked for as long as it ran. Use \
             `tokio::task::spawn_blocking`"
        );
    })
}

#[test]
fn the_work_runs_on_tokios_blocking_pool() {
    anonymously_async(Clock::Running, || async {
        let on_the_pool =
            exercise::run_blocking(|| tokio::runtime::Handle::try_current().is_ok()).await;
        assert!(
            on_the_pool,
            "expected the work on a thread of tokio's blocking pool, but it ran on a thread \
             that knows nothing of the runtime: a thread of its own (`std::thread::spawn`?) or \
             another pool. The blocking pool keeps its threads for the next work and is bounded; \
             a new thread per call costs a thread start each time, and any number of them at \
             once. Use `tokio::task::spawn_blocking`"
        );
    })
}

#[test]
fn the_runtime_serves_other_tasks_while_the_work_blocks() {
    anonymously_async(Clock::Running, || async {
        // Another task on this runtime; it can only answer while the runtime's thread is free.
        let responder = Responder::spawn(&tokio::runtime::Handle::current(), PATIENCE);
        // The work blocks until that task answers (or gives up after 5 s).
        let answered = exercise::run_blocking(move || responder.answers()).await;
        assert!(
            answered,
            "expected another task to run while the blocking work waited for it to answer, \
             but it never answered: the runtime was blocked. Either the work ran on the \
             runtime's only thread, or that thread waited for it (`join()`, `recv()`, \
             `futures::executor::block_on`, any blocking wait). Run it with `spawn_blocking` \
             and `.await` the handle"
        );
    })
}

#[test]
fn run_blocking_sleeps_until_the_work_is_done() {
    anonymously(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        // Polled by hand, outside the runtime's loop, so that the check sees every wake-up.
        let _inside = runtime.enter();
        let (release, released) = mpsc::channel::<()>();
        let mut call = Box::pin(exercise::run_blocking(move || {
            let _ = released.recv_timeout(PATIENCE);
            7
        }));
        let (wakes, waker) = WakeCounter::new();
        assert!(
            poll_once(&mut call, &waker).is_pending(),
            "expected `run_blocking` to wait while the work was still blocked, but it \
             returned: it ran the work itself, on the runtime's thread, which nothing else \
             could use meanwhile. Hand it to `tokio::task::spawn_blocking` and await the \
             handle"
        );
        assert!(
            wakes.wakes() == 0,
            "expected `run_blocking` to sleep until the work was done, but it woke itself at \
             once, asking to be polled again while the work still blocked: it looks again \
             and again (`is_finished` with `yield_now`?), which keeps the runtime's thread \
             busy for nothing. Awaiting the `JoinHandle` sleeps until the work is done"
        );
        release
            .send(())
            .expect("the work is waiting for its release");
        assert!(
            wakes.woken_after(0, PATIENCE),
            "expected the end of the work to wake `run_blocking`, but nothing woke it within \
             {PATIENCE:?}: it does not wait on the work's handle, so it would notice the end \
             only when something else woke it (a timer, between two looks at \
             `is_finished`?). Await the `JoinHandle`: the work's end wakes its waiter"
        );
        assert_eq!(
            poll_once(&mut call, &waker),
            Poll::Ready(7),
            "expected `run_blocking`, woken by the end of the work, to return its value"
        );
    })
}

/// Runs `run_blocking` on work that panics with `payload`, as a task of its own so that
/// its panic can be inspected, and returns what the caller panicked with. Every panic
/// meanwhile is the check's to inspect, so none is printed: the first panic the student
/// reads is the verdict.
async fn panic_of_the_caller(payload: fn() -> Box<dyn Any + Send>) -> Box<dyn Any + Send> {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let caller = tokio::spawn(exercise::run_blocking(move || -> u32 {
        std::panic::resume_unwind(payload())
    }))
    .await;
    std::panic::set_hook(report);
    match caller {
        Ok(value) => {
            panic!("expected the caller to panic as the work did, but it returned {value}")
        }
        Err(error) => error.into_panic(),
    }
}

#[test]
fn the_works_panic_reaches_the_caller() {
    anonymously_async(Clock::Running, || async {
        let payload = panic_of_the_caller(|| Box::new("the work's own panic")).await;
        let text = panic_text(&*payload).unwrap_or("(not a message)");
        assert_eq!(
            text, "the work's own panic",
            "expected the caller to panic with the work's own panic message, \
             \"the work's own panic\", but it panicked with {text:?}: the work's panic was \
             replaced by another on the way (`unwrap`, `expect` and `panic!` make a new panic, \
             even one that quotes the old). `std::panic::resume_unwind(error.into_panic())` \
             passes the work's panic on"
        );
    })
}

#[test]
fn a_panic_that_is_not_a_message_reaches_the_caller_unchanged() {
    anonymously_async(Clock::Running, || async {
        let payload = panic_of_the_caller(|| Box::new(DeliberatePanic)).await;
        assert!(
            payload.is::<DeliberatePanic>(),
            "expected the caller to panic with the work's own payload (a value of the check's \
             own type, not a message), but it panicked with {}: the payload was lost on the \
             way and a new panic made in its place. A panic can carry any value; \
             `std::panic::resume_unwind(error.into_panic())` passes it on as it is",
            panic_text(&*payload).map_or("another value".to_string(), |text| format!("{text:?}"))
        );
    })
}
