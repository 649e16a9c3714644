//! Checks for `channel_pipeline_stages`: the results come out in input order; each
//! stage runs on a thread of its own; the two stages work at the same time (stage two
//! on item 0 while stage one is on item 1); the pipeline ends by itself once the inputs
//! run out, even with no inputs at all, and not before, however long an item takes;
//! stage two and the collecting loop sleep while nothing comes; and a panic in either
//! stage reaches the caller with its own payload (which also proves that both stage
//! threads are joined).
//!
//! `run_two_stages` runs on a helper thread, so that a pipeline that never ends is
//! reported with an explanation instead of the runner's timeout.

#[path = "../../exercises/04_message_passing/channel_pipeline_stages.rs"]
mod exercise;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, Thread, ThreadId};
use std::time::Duration;
use threadlings::check::{
    FALL_ASLEEP, PATIENCE, Rendezvous, SILENCE, anonymously, assert_passes_the_panic_on,
    leave_wake_up_token, parked_since_token_left, quiet_deliberate_panics,
    rayon_global_pool_of_one, returns_within,
};

/// How long the pipeline may take: longer than a party waits at a [`Rendezvous`], so
/// that stages that ran one after the other are reported as such.
const PIPELINE_PATIENCE: Duration = Duration::from_secs(PATIENCE.as_secs() + 1);

/// Runs the pipeline on a helper thread, or explains why it does not end. Gives the
/// results and the helper thread, which is the caller of `run_two_stages`.
fn run_or_explain<A, B, C, F, G>(inputs: Vec<A>, first: F, second: G) -> (Vec<C>, ThreadId)
where
    A: Send + 'static,
    B: Send + 'static,
    C: Send + 'static,
    F: FnMut(A) -> B + Send + 'static,
    G: FnMut(B) -> C + Send + 'static,
{
    returns_within(PIPELINE_PATIENCE, move || {
        let results = exercise::run_two_stages(inputs, first, second);
        (results, thread::current().id())
    })
    .unwrap_or_else(|| {
        panic!(
            "expected the pipeline to end once the inputs ran out, but {PIPELINE_PATIENCE:?} \
             later `run_two_stages` still had not returned. The hang-up must travel down \
             the line: stage one ends after its last input and drops its `Sender`, which \
             ends stage two's loop; stage two drops its `Sender`, which ends the loop that \
             collects the results. Is a `Sender` still alive somewhere?"
        )
    })
}

#[test]
fn the_results_come_out_in_input_order() {
    anonymously(|| {
        let inputs: Vec<u64> = (0..200).collect();
        let (results, _) = run_or_explain(inputs, |n| n * 3, |n| n + 1);
        let expected: Vec<u64> = (0..200).map(|n| n * 3 + 1).collect();
        assert_eq!(
            results, expected,
            "expected second(first(input)) for every input, in input order"
        );
    })
}

#[test]
fn no_inputs_means_no_results() {
    anonymously(|| {
        let (results, _): (Vec<u8>, _) = run_or_explain(Vec::<u8>::new(), |n| n, |n| n);
        assert!(results.is_empty(), "expected no results from no inputs");
    })
}

#[test]
fn a_slow_item_does_not_end_the_pipeline() {
    anonymously(|| {
        let slow_first = |n: u64| {
            if n == 2 {
                // Stage one is busy, its `Sender` alive, for longer than a timeout.
                thread::sleep(SILENCE);
            }
            n * 10
        };
        let (results, _) = run_or_explain(vec![1, 2, 3], slow_first, |n| n + 1);
        assert!(
            results == [11, 21, 31],
            "expected [11, 21, 31], but `run_two_stages` returned {results:?}: stage one \
             took {SILENCE:?} over input 2, while it still held its `Sender`, and a \
             receiving loop further down had stopped by then. A quiet channel is not a \
             closed one: each loop must end when its channel's `Sender`s are all dropped \
             (`for item in receiver`), not after a timeout."
        );
    })
}

#[test]
fn the_loops_sleep_while_no_item_comes() {
    anonymously(|| {
        let (caller_tx, caller) = mpsc::channel::<Thread>();
        let first = move |n: u32| {
            if n == 1 {
                // A wake-up token for the collecting thread, taken only by a thread that
                // parks, as one blocked in `recv` does; then nothing comes for a while.
                if let Ok(caller) = caller.recv_timeout(PATIENCE) {
                    caller.unpark();
                }
                thread::sleep(FALL_ASLEEP);
            }
            n
        };
        let stage_two_slept = Arc::new(Mutex::new(None));
        let second = {
            let slept = Arc::clone(&stage_two_slept);
            move |n: u32| {
                if n == 0 {
                    // Stage two's last act before it runs out of items.
                    leave_wake_up_token();
                } else {
                    *slept.lock().unwrap() = Some(parked_since_token_left());
                }
                n
            }
        };
        let call = move || {
            caller_tx.send(thread::current()).unwrap();
            let results = exercise::run_two_stages(vec![0, 1], first, second);
            (results, parked_since_token_left())
        };
        let Some((results, collector_slept)) = returns_within(PIPELINE_PATIENCE, call) else {
            panic!(
                "expected the pipeline to end once its two inputs were through, but \
                 {PIPELINE_PATIENCE:?} later `run_two_stages` had not returned"
            )
        };
        assert_eq!(results, [0, 1], "expected both results, in order");
        let polls = |who: &str, what: &str| {
            format!(
                "expected {who} to sleep in `recv` while no {what} came, but it never parked \
                 in the {FALL_ASLEEP:?} stage one took over its second input: it polls \
                 (`try_recv` in a loop, with `yield_now` or a short sleep), which keeps a \
                 core busy doing nothing. `recv`, or a `for` loop over the receiver, sleeps \
                 until something comes or every `Sender` is gone"
            )
        };
        let stage_two_slept = *stage_two_slept.lock().unwrap();
        assert!(
            stage_two_slept == Some(true),
            "{}",
            polls("stage two", "item")
        );
        assert!(
            collector_slept,
            "{}",
            polls("the loop that collects the results", "result")
        );
    })
}

#[test]
fn each_stage_runs_on_a_thread_of_its_own() {
    anonymously(|| {
        let (results, caller) = run_or_explain(
            (0..20).collect(),
            |n: u32| (n, thread::current().id()),
            |(n, first): (u32, ThreadId)| (n, first, thread::current().id()),
        );
        assert_eq!(results.len(), 20, "expected a result for each input");
        let first_threads: HashSet<ThreadId> = results.iter().map(|&(_, first, _)| first).collect();
        let second_threads: HashSet<ThreadId> =
            results.iter().map(|&(_, _, second)| second).collect();
        assert!(
            !first_threads.contains(&caller) && !second_threads.contains(&caller),
            "expected the stages to run on threads of their own, but a stage ran on the \
             caller's thread"
        );
        assert!(
            first_threads.is_disjoint(&second_threads),
            "expected the two stages to run on two different threads, but one thread ran both"
        );
    })
}

static BOTH_STAGES: Rendezvous = Rendezvous::new(2);

#[test]
fn the_two_stages_work_at_the_same_time() {
    anonymously(|| {
        // Stages handed to rayon would overlap only on a machine with enough cores.
        rayon_global_pool_of_one();
        // Stage one meets stage two while it makes item 1; stage two meets stage one while
        // it works on item 0. Stages that run at the same time are there together.
        let (results, _) = run_or_explain(
            vec![0u32, 1],
            |n| {
                if n == 1 {
                    BOTH_STAGES.inside(|| ());
                }
                n
            },
            |n| {
                if n == 0 {
                    BOTH_STAGES.inside(|| ());
                }
                n * 10
            },
        );
        assert_eq!(
            results,
            [0, 10],
            "expected second(first(input)) for each input"
        );
        assert!(
            BOTH_STAGES.opened(),
            "expected stage two to work on item 0 while stage one was making item 1, but the \
             stages never worked at the same time: run each stage on a thread of its own, \
             and have stage one send each result on as soon as it is made"
        );
    })
}

/// Runs a pipeline over the inputs 0..4 in which one stage panics, and checks that
/// `run_two_stages` passes that very panic on.
fn passes_the_stage_panic_on(stage: &str, expected: &'static str, first_panics: bool) {
    quiet_deliberate_panics();
    let first = move |n: u32| {
        if first_panics && n == 1 {
            panic!("{expected}");
        }
        n
    };
    let second = move |n: u32| {
        if !first_panics && n == 1 {
            panic!("{expected}");
        }
        n * 10
    };
    assert_passes_the_panic_on(
        "run_two_stages",
        stage,
        expected,
        PIPELINE_PATIENCE,
        move || exercise::run_two_stages((0..4).collect(), first, second),
    );
}

#[test]
fn a_panic_in_stage_one_reaches_the_caller_unchanged() {
    anonymously(|| {
        passes_the_stage_panic_on("stage one", "on purpose: stage one failed on item 1", true);
    })
}

#[test]
fn a_panic_in_stage_two_reaches_the_caller_unchanged() {
    anonymously(|| {
        passes_the_stage_panic_on("stage two", "on purpose: stage two failed on item 1", false);
    })
}
