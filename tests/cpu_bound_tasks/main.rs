//! Checks for `cpu_bound_tasks`: every input is crunched and the results keep the
//! inputs' order, also when the crunches finish last to first; the crunches run on two
//! threads at the same time; they run on tokio's blocking pool; the runtime's own
//! threads stay free meanwhile, both its worker threads and the thread that awaits
//! `crunch_all`; and `crunch_all` sleeps until a crunch's end wakes it (polled by
//! hand). Parallelism is seen with a `Rendezvous` that opens only when two crunches are
//! inside it together, on a runtime with exactly two worker threads, so it does not
//! depend on the machine's core count or speed; free threads are seen with a
//! `Responder`, a task on the runtime that must answer a crunch while the crunches run.

#[path = "../../exercises/09_task_parallelism/cpu_bound_tasks.rs"]
mod exercise;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::task::Poll;
use std::thread::{self, ThreadId};
use threadlings::check::{
    FinishInReverse, PATIENCE, Rendezvous, Responder, WakeCounter, anonymously, poll_once,
};

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
    anonymously(|| {
        let inputs: Vec<u64> = (1..=8).collect();
        let results = two_worker_runtime().block_on(exercise::crunch_all(inputs.clone(), mix));
        let expected: Vec<u64> = inputs.iter().map(|&input| mix(input)).collect();
        assert_eq!(
            results, expected,
            "expected `crunch` applied to every input, the results in the order of the inputs"
        );
    })
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
    anonymously(|| {
        let inputs: Vec<u64> = (1..=4).collect();
        let results = two_worker_runtime()
            .block_on(exercise::crunch_all(inputs.clone(), crunch_at_the_meeting));
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
             did: they ran one after another, on {} thread(s). {why} Move the work to \
             tokio's blocking threads with `tokio::task::spawn_blocking` and await the \
             handles.",
            threads.len()
        );
    })
}

/// How many crunches [`the_results_keep_the_input_order_when_the_last_finishes_first`]
/// runs.
const CRUNCHES: usize = 8;

static LAST_FIRST: FinishInReverse = FinishInReverse::new(CRUNCHES);

#[test]
fn the_results_keep_the_input_order_when_the_last_finishes_first() {
    anonymously(|| {
        let inputs: Vec<u64> = (0..CRUNCHES as u64).collect();
        let crunch = |input: u64| LAST_FIRST.job(input as usize, || mix(input));
        let results = two_worker_runtime().block_on(exercise::crunch_all(inputs.clone(), crunch));
        let expected: Vec<u64> = inputs.iter().map(|&input| mix(input)).collect();
        let order: Vec<String> = results
            .iter()
            .map(
                |result| match expected.iter().position(|crunched| crunched == result) {
                    Some(input) => input.to_string(),
                    None => "?".to_owned(),
                },
            )
            .collect();
        assert!(
            results == expected,
            "expected the results in the order of the inputs, but `crunch_all` returned \
             the results of inputs [{}], while the crunches finished \
             last to first (each waited for the ones after it){}: the results came in the \
             order the crunches finished. Keep the handles in input order and await them \
             in that order (`join_all` over the handles does).",
            order.join(", "),
            if LAST_FIRST.gave_up() {
                " (or would have, had they run at the same time)"
            } else {
                ""
            }
        );
    })
}

static BOTH_CRUNCHING: Rendezvous = Rendezvous::new(2);

#[test]
fn the_worker_threads_stay_free_while_crunches_run() {
    anonymously(|| {
        let runtime = two_worker_runtime();
        let responder = Responder::spawn(runtime.handle(), PATIENCE);
        let answers = Arc::new(Mutex::new(Vec::new()));
        let crunch = {
            let answers = Arc::clone(&answers);
            move |input: u64| {
                // Two crunches at once, each asking a task on the runtime to answer.
                let answered = BOTH_CRUNCHING.inside(|| responder.answers());
                answers
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(answered);
                mix(input)
            }
        };
        runtime.block_on(exercise::crunch_all(vec![1, 2], crunch));
        let answers = answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        assert!(
            BOTH_CRUNCHING.opened() && answers.iter().all(|&answered| answered),
            "expected a task on the runtime to keep running while two crunches ran at the same \
             time, but it could not: {}. A crunch in `tokio::spawn` runs on one of the \
             runtime's worker threads, the few threads that poll every task, and holds it for \
             as long as it computes: with both workers crunching, no other task ran at all. \
             CPU-bound work belongs on tokio's blocking threads: `tokio::task::spawn_blocking`",
            if BOTH_CRUNCHING.opened() {
                "it got no thread for 5 s while both crunches waited for it"
            } else {
                "the two crunches did not even run at the same time"
            }
        );
    })
}

#[test]
fn the_awaiting_thread_stays_free_while_crunches_run() {
    anonymously(|| {
        // One thread runs every task here, and awaits `crunch_all`.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let responder = Responder::spawn(runtime.handle(), PATIENCE);
        let answers = Arc::new(Mutex::new(Vec::new()));
        let crunch = {
            let answers = Arc::clone(&answers);
            move |input: u64| {
                let answered = responder.answers();
                answers
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(answered);
                mix(input)
            }
        };
        let results = runtime.block_on(exercise::crunch_all(vec![1, 2], crunch));
        assert_eq!(
            results,
            [mix(1), mix(2)],
            "expected both inputs crunched, in order"
        );
        let answers = answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        assert!(
            answers.iter().all(|&answered| answered),
            "expected a task on the runtime to keep running while the crunches ran, but it got \
             no turn for 5 s: the runtime's only thread was held up. Either the crunches ran \
             on it (futures that never await, or `tokio::spawn`, which on this runtime is the \
             same thread), or it waited for them without awaiting (`join()` on a thread, \
             `futures::executor::block_on`, or rayon's `par_iter` inside the `async fn`, all \
             of which block). Spawn them with `tokio::task::spawn_blocking` and `.await` the \
             handles"
        );
    })
}

#[test]
fn crunch_all_sleeps_until_the_crunches_are_done() {
    anonymously(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        // Polled by hand, outside the runtime's loop, so that the check sees every wake-up.
        let _inside = runtime.enter();
        let (release, released) = mpsc::channel::<()>();
        // `crunch` is cloned for each input: the clones share the receiver.
        let released = Arc::new(Mutex::new(released));
        let crunch = move |input: u64| {
            // The crunch goes on until the check lets it finish.
            let _ = released
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .recv_timeout(PATIENCE);
            mix(input)
        };
        let mut call = Box::pin(exercise::crunch_all(vec![1], crunch));
        let (wakes, waker) = WakeCounter::new();
        assert!(
            poll_once(&mut call, &waker).is_pending(),
            "expected `crunch_all` to wait while the crunch was still running, but it \
             returned: it crunched on the thread that polled it"
        );
        assert!(
            wakes.wakes() == 0,
            "expected `crunch_all` to sleep until the crunch was done, but it woke itself at \
             once, asking to be polled again while the crunch still ran: it looks again and \
             again (`is_finished` with `yield_now`?), which keeps the runtime's thread busy \
             for nothing. Awaiting the handles (`join_all` over them) sleeps until each is \
             done"
        );
        release
            .send(())
            .expect("the crunch is waiting for its release");
        assert!(
            wakes.woken_after(0, PATIENCE),
            "expected the end of the crunch to wake `crunch_all`, but nothing woke it within \
             {PATIENCE:?}: it does not wait on the crunch's handle, so it would notice the \
             end only when something else woke it (a timer, between two looks at \
             `is_finished`?). Await the `JoinHandle`s"
        );
        assert_eq!(
            poll_once(&mut call, &waker),
            Poll::Ready(vec![mix(1)]),
            "expected `crunch_all`, woken by the end of the crunch, to return its result"
        );
    })
}

#[test]
fn the_crunches_run_on_tokios_blocking_pool() {
    anonymously(|| {
        let runtime = two_worker_runtime();
        // Each crunch says whether its thread belongs to the runtime: 1 if so.
        let on_the_pool = runtime.block_on(exercise::crunch_all(vec![1, 2, 3], |_| {
            u64::from(tokio::runtime::Handle::try_current().is_ok())
        }));
        assert!(
            on_the_pool.iter().all(|&on| on == 1),
            "expected every crunch on a thread of tokio's blocking pool, but some ran on a \
             thread that knows nothing of the runtime: a thread of its own \
             (`std::thread::spawn`) or another pool (rayon's). This exercise is about the \
             runtime's own place for CPU-bound work: `tokio::task::spawn_blocking`, whose \
             threads are kept for the next work and bounded in number"
        );
    })
}
