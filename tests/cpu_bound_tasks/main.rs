//! Checks for `cpu_bound_tasks`: every input is crunched and the results keep the
//! inputs' order, and the crunches run on two threads at the same time. The second
//! check uses a `Rendezvous` that opens only when two crunches are inside it together,
//! on a runtime with exactly two worker threads, so it does not depend on the machine's
//! core count or speed.

#[path = "../../exercises/09_task_parallelism/cpu_bound_tasks.rs"]
mod exercise;

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::thread::{self, ThreadId};
use threadlings::check::Rendezvous;

/// A multi-thread runtime with two workers: room for two tasks to run at once.
fn two_worker_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Some arithmetic that never awaits: CPU-bound work.
fn mix(input: u64) -> u64 {
    (0..1_000u64).fold(input, |acc, round| {
        acc.wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(round)
    })
}

#[test]
fn crunches_every_input_in_order() {
    let inputs: Vec<u64> = (1..=8).collect();
    let results = two_worker_runtime().block_on(exercise::crunch_all(inputs.clone(), mix));
    let expected: Vec<u64> = inputs.iter().map(|&input| mix(input)).collect();
    assert_eq!(
        results, expected,
        "expected `crunch` applied to every input, the results in the order of the inputs"
    );
}

static MEETING: Rendezvous = Rendezvous::new(2);
static CRUNCHED_ON: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());

/// A crunch that waits inside the rendezvous for a second crunch running at the same
/// time, and notes the thread it ran on.
fn crunch_at_the_meeting(input: u64) -> u64 {
    CRUNCHED_ON
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(thread::current().id());
    MEETING.inside(|| mix(input))
}

#[test]
fn crunches_on_two_threads_at_once() {
    let inputs: Vec<u64> = (1..=4).collect();
    let results =
        two_worker_runtime().block_on(exercise::crunch_all(inputs.clone(), crunch_at_the_meeting));
    let expected: Vec<u64> = inputs.iter().map(|&input| mix(input)).collect();
    assert_eq!(results, expected, "expected every input crunched, in order");
    let threads: HashSet<ThreadId> = CRUNCHED_ON
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .copied()
        .collect();
    let caller = thread::current().id();
    let why = if threads.contains(&caller) {
        "They ran on the thread that awaited `crunch_all`: `join_all` over futures that \
         compute without awaiting is concurrency on one thread, not parallelism. Each poll \
         runs a whole crunch before the next can start."
    } else {
        "They ran on other threads, but one at a time: was each handle awaited before the \
         next crunch was spawned? Spawn them all first, then await the handles."
    };
    assert!(
        MEETING.opened(),
        "expected two crunches to run at the same time on two threads, but they never \
         did: they ran one after another, on {} thread(s). {why} Move the work to other \
         threads with `tokio::task::spawn_blocking` (or `tokio::spawn` on this \
         multi-thread runtime) and await the handles.",
        threads.len()
    );
}
