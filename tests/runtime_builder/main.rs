//! Checks for `runtime_builder`: the two-worker runtime has two workers, and two of its
//! tasks run at the same instant on two threads (they meet at a rendezvous that opens
//! only when both are inside); the single-thread runtime runs its tasks on the caller's
//! thread; both have their timer enabled. So that the verdict is the same on every
//! machine, the checks stand in for a machine with three cores: a runtime left to count
//! the cores gets three workers, on a laptop as on a two-core server.

#[path = "../../exercises/07_async/runtime_builder.rs"]
mod exercise;

use std::thread::{self, ThreadId};
use std::time::Duration;
use threadlings::check::{Rendezvous, anonymously};

/// The core count that a multi-thread runtime sees when it is not told how many workers
/// to start.
const STAND_IN_CORES: usize = 3;

/// The student's two-worker runtime, built as if on a machine with three cores: tokio
/// takes the default number of workers from `TOKIO_WORKER_THREADS` when it is set.
fn two_worker_runtime() -> tokio::runtime::Runtime {
    // SAFETY: std's own environment lock orders this write with tokio's read of the
    // variable (`std::env::var`), and nothing else in this test reads the environment.
    unsafe { std::env::set_var("TOKIO_WORKER_THREADS", STAND_IN_CORES.to_string()) };
    exercise::two_worker_runtime()
}

#[test]
fn the_two_worker_runtime_has_two_workers() {
    anonymously(|| {
        let runtime = two_worker_runtime();
        let workers = runtime.metrics().num_workers();
        let why = if workers == STAND_IN_CORES {
            format!(
                " That is one per core: this check stands in for a machine with \
                 {STAND_IN_CORES} cores, and `Builder::new_multi_thread()` starts a worker per \
                 core unless you say how many (`worker_threads(2)`), so the runtime would \
                 differ from one machine to the next."
            )
        } else if workers == 1 {
            " A current-thread runtime, or a multi-thread one with `worker_threads(1)`, has \
             one."
                .to_string()
        } else {
            String::new()
        };
        assert_eq!(
            workers, 2,
            "expected a runtime with two worker threads, but it has {workers}.{why}"
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(2);

#[test]
fn two_tasks_run_at_the_same_time_on_two_threads() {
    anonymously(|| {
        let runtime = two_worker_runtime();
        // Spawned from outside the runtime, both tasks start in its shared queue; each
        // blocks its thread until the other is inside too (or gives up after 5 s).
        let first = runtime.spawn(async { MEETING.inside(|| thread::current().id()) });
        let second = runtime.spawn(async { MEETING.inside(|| thread::current().id()) });
        let (first, second): (ThreadId, ThreadId) = runtime.block_on(async {
            (
                first.await.expect("the first task"),
                second.await.expect("the second task"),
            )
        });
        assert!(
            MEETING.opened(),
            "expected two tasks to run at the same time on two worker threads, but they ran \
             one after the other (each waited 5 s for the other in vain). A current-thread \
             runtime runs one task at a time: build a multi-thread runtime"
        );
        assert_ne!(
            first, second,
            "expected the two tasks on two different threads"
        );
    })
}

#[test]
fn the_two_worker_runtime_has_a_timer() {
    anonymously(|| {
        let runtime = two_worker_runtime();
        // Without `enable_time` (or `enable_all`) the sleep panics: "timers are disabled".
        runtime.block_on(async { tokio::time::sleep(Duration::from_millis(1)).await });
    })
}

#[test]
fn the_single_thread_runtime_runs_tasks_on_the_callers_thread() {
    anonymously(|| {
        let runtime = exercise::single_thread_runtime();
        let caller = thread::current().id();
        let ran_on = runtime.block_on(async {
            tokio::spawn(async { thread::current().id() })
                .await
                .expect("the task")
        });
        assert_eq!(
            ran_on, caller,
            "expected a spawned task to run on the thread that called `block_on`, but it ran \
             on a worker thread: that is a multi-thread runtime. Build it with \
             `Builder::new_current_thread()`"
        );
        let workers = runtime.metrics().num_workers();
        assert_eq!(workers, 1, "expected one worker, found {workers}");
    })
}

#[test]
fn the_single_thread_runtime_has_a_timer() {
    anonymously(|| {
        let runtime = exercise::single_thread_runtime();
        // Without `enable_time` (or `enable_all`) the sleep panics: "timers are disabled".
        runtime.block_on(async { tokio::time::sleep(Duration::from_millis(1)).await });
    })
}
