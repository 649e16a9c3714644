//! Checks for `capstone_pipeline`: the results come out in input order with unparsable
//! lines skipped, and the call returns once the input ends (also for an empty input);
//! the parser and the transformer run on two threads of their own at the same time;
//! while the transformer is stuck, the parser reads only a few lines ahead
//! (backpressure); every stage's thread has finished when the call returns; and a panic
//! in a stage reaches the caller.

#[path = "../../exercises/10_capstones/capstone_pipeline.rs"]
mod exercise;

use exercise::{CAPACITY, run_pipeline};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};
use threadlings::check::{PATIENCE, Rendezvous};

fn numbered_lines(count: usize) -> impl Iterator<Item = String> + Send + 'static {
    (0..count).map(|number| number.to_string())
}

fn parse_number(line: &str) -> Option<i64> {
    line.trim().parse().ok()
}

/// Runs the pipeline on another thread and waits for it at most `PATIENCE`, so that a
/// pipeline that never shuts down fails with a message instead of hanging.
fn run_watched<B: Send + 'static>(
    lines: impl Iterator<Item = String> + Send + 'static,
    transform: impl Fn(i64) -> B + Send + 'static,
) -> Vec<B> {
    let (results_tx, results) = mpsc::channel();
    thread::spawn(move || {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            run_pipeline(lines, parse_number, transform)
        }));
        let _ = results_tx.send(outcome);
    });
    match results.recv_timeout(PATIENCE) {
        Ok(Ok(results)) => results,
        // The pipeline's own panic, passed on as it was.
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "expected `run_pipeline` to return once its input ended, but it was still \
             running after {PATIENCE:?}: some stage never learned that its input had ended. \
             A `for item in receiver` loop ends only when every `Sender` of that channel \
             has been dropped: is a sender still alive (a clone kept in `run_pipeline`, or \
             a thread that never finishes)?"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => unreachable!("the outcome is always sent"),
    }
}

#[test]
fn keeps_the_input_order_and_skips_lines_that_do_not_parse() {
    let lines = ["1", "two", "3", "", "5"].map(String::from).into_iter();
    assert_eq!(
        run_watched(lines, |number| number * 10),
        [10, 30, 50],
        "expected the lines \"1\", \"two\", \"3\", \"\", \"5\" to give [10, 30, 50]: \
         lines that do not parse are skipped"
    );
    let squares: Vec<i64> = (0..1_000).map(|number| number * number).collect();
    assert!(
        run_watched(numbered_lines(1_000), |number| number * number) == squares,
        "expected the squares of 0..1000 in input order"
    );
}

#[test]
fn an_empty_input_gives_no_results() {
    assert_eq!(
        run_watched(std::iter::empty(), |number| number),
        Vec::<i64>::new()
    );
}

static STAGES_TOGETHER: Rendezvous = Rendezvous::new(2);

#[test]
fn the_stages_run_on_their_own_threads_at_the_same_time() {
    let caller = thread::current().id();
    let parser_threads = Arc::new(Mutex::new(Vec::<ThreadId>::new()));
    let transformer_threads = Arc::new(Mutex::new(Vec::<ThreadId>::new()));
    let parse = {
        let parser_threads = Arc::clone(&parser_threads);
        move |line: &str| {
            parser_threads.lock().unwrap().push(thread::current().id());
            let number = parse_number(line)?;
            // Parsing item 2 waits for the transformer to be working on item 1.
            if number == 2 {
                STAGES_TOGETHER.inside(|| ());
            }
            Some(number)
        }
    };
    let transform = {
        let transformer_threads = Arc::clone(&transformer_threads);
        move |number: i64| {
            transformer_threads
                .lock()
                .unwrap()
                .push(thread::current().id());
            if number == 1 {
                STAGES_TOGETHER.inside(|| ());
            }
            number + 100
        }
    };
    let results = run_pipeline(numbered_lines(5), parse, transform);
    assert_eq!(results, [100, 101, 102, 103, 104]);
    assert!(
        STAGES_TOGETHER.opened(),
        "expected the parser to parse item 2 while the transformer worked on item 1, but \
         the two never ran at the same time: the stages ran one after the other. Give \
         each stage a thread of its own, and send each item on as soon as it is ready"
    );
    let parser_threads = parser_threads.lock().unwrap();
    let transformer_threads = transformer_threads.lock().unwrap();
    let parser = parser_threads[0];
    let transformer = transformer_threads[0];
    assert!(
        parser_threads.iter().all(|&id| id == parser)
            && transformer_threads.iter().all(|&id| id == transformer)
            && parser != transformer
            && parser != caller
            && transformer != caller,
        "expected every line to be parsed on one parser thread and every item transformed \
         on one transformer thread, two threads other than the caller's; the parser ran \
         on {parser_threads:?}, the transformer on {transformer_threads:?}, and the caller \
         is {caller:?}"
    );
}

/// How many lines a bounded pipeline may read ahead of a transformer that is stuck on
/// its first item: a few channels' worth, and one item in each stage's hands.
const READ_AHEAD_LIMIT: usize = 3 * CAPACITY + 3;

/// How long the transformer stays stuck. A parser that is not held back reads far more
/// than `READ_AHEAD_LIMIT` lines in this time, even on a busy machine.
const STUCK_FOR: Duration = Duration::from_secs(1);

#[test]
fn a_slow_transformer_holds_the_parser_back() {
    let lines_read = Arc::new(AtomicUsize::new(0));
    let read_while_stuck = Arc::new(AtomicUsize::new(0));
    let lines = {
        let lines_read = Arc::clone(&lines_read);
        numbered_lines(1_000).inspect(move |_| {
            lines_read.fetch_add(1, Ordering::SeqCst);
        })
    };
    let transform = {
        let (lines_read, read_while_stuck) =
            (Arc::clone(&lines_read), Arc::clone(&read_while_stuck));
        move |number: i64| {
            if number == 0 {
                // Stuck on the first item: stop early once the parser has read too far.
                let unstuck = Instant::now() + STUCK_FOR;
                while lines_read.load(Ordering::SeqCst) <= READ_AHEAD_LIMIT
                    && Instant::now() < unstuck
                {
                    thread::yield_now();
                }
                read_while_stuck.store(lines_read.load(Ordering::SeqCst), Ordering::SeqCst);
            }
            number
        }
    };
    let results = run_watched(lines, transform);
    assert_eq!(results.len(), 1_000, "expected all 1000 items to come out");
    let read = read_while_stuck.load(Ordering::SeqCst);
    assert!(
        read <= READ_AHEAD_LIMIT,
        "expected the parser to wait while the transformer was stuck on the first item, \
         reading at most {READ_AHEAD_LIMIT} lines ahead, but it had read {read} lines: \
         nothing held it back, and an unbounded channel stores whatever a fast stage \
         sends. Use `mpsc::sync_channel(CAPACITY)`, whose `send` waits while the channel \
         is full"
    );
}

/// How long a stage's closure takes to drop: a pipeline that does not join its threads
/// returns meanwhile.
const DROP_TAKES: Duration = Duration::from_millis(200);

/// Counts its own drop, which happens when a stage's thread finishes. The drop takes
/// `DROP_TAKES`, or ends early once the pipeline has returned without waiting for it.
struct DroppedWithStage {
    finished: Arc<AtomicUsize>,
    returned: Arc<AtomicBool>,
}

impl Drop for DroppedWithStage {
    fn drop(&mut self) {
        let done = Instant::now() + DROP_TAKES;
        while !self.returned.load(Ordering::SeqCst) && Instant::now() < done {
            thread::yield_now();
        }
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn every_stage_has_finished_when_the_pipeline_returns() {
    let finished = Arc::new(AtomicUsize::new(0));
    let returned = Arc::new(AtomicBool::new(false));
    let guard = || DroppedWithStage {
        finished: Arc::clone(&finished),
        returned: Arc::clone(&returned),
    };
    let parse = {
        let guard = guard();
        move |line: &str| {
            let _owned_by_the_parser = &guard;
            parse_number(line)
        }
    };
    let transform = {
        let guard = guard();
        move |number: i64| {
            let _owned_by_the_transformer = &guard;
            number
        }
    };
    run_pipeline(numbered_lines(100), parse, transform);
    let finished_then = finished.load(Ordering::SeqCst);
    returned.store(true, Ordering::SeqCst);
    assert_eq!(
        finished_then, 2,
        "expected both stages' threads to have finished (and dropped their closures) when \
         `run_pipeline` returned, but {finished_then} of 2 had: a stage thread was still \
         running. Join every thread you spawn before returning"
    );
}

/// Runs `work`, catching a panic without printing it: the panics here are expected.
fn quietly<R>(work: impl FnOnce() -> R) -> thread::Result<R> {
    let report = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    panic::set_hook(report);
    result
}

const TRANSFORMER_FAILS: &str = "a transformer that fails on purpose";

#[test]
fn a_stage_that_panics_makes_the_pipeline_panic() {
    let outcome = quietly(|| {
        run_watched(numbered_lines(100), |number| {
            if number == 3 {
                panic!("{TRANSFORMER_FAILS}");
            }
            number
        })
    });
    match outcome {
        Ok(results) => panic!(
            "expected the transformer's panic (at item 3) to reach the caller of \
             `run_pipeline`, but it returned {} results as if the input had ended there. \
             Join each stage's thread; `join` returns `Err` with the panic, which \
             `std::panic::resume_unwind` passes on",
            results.len()
        ),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("");
            assert!(
                message == TRANSFORMER_FAILS,
                "expected the transformer's panic (\"{TRANSFORMER_FAILS}\") to reach the \
                 caller of `run_pipeline`, but the caller panicked with \"{message}\""
            );
        }
    }
}
