//! Checks for `capstone_pipeline`: the results are delivered in input order with
//! unparsable lines skipped, and the call returns once the input ends (also for an empty
//! input); the parser and the transformer run on two threads of their own at the same
//! time, and the results are delivered on the calling thread; a stuck transformer holds
//! the parser back, and a stuck `deliver` holds back the transformer and the parser
//! (backpressure on both channels), each sleeping in `send` meanwhile; stages with
//! nothing to do sleep until an item comes; every stage's thread has finished when the
//! call returns or panics; and a panic in either stage reaches the caller as it was.

#[path = "../../exercises/10_capstones/capstone_pipeline.rs"]
mod exercise;

use exercise::{CAPACITY, run_pipeline};
use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};
use threadlings::check::{
    DeliberatePanic, FALL_ASLEEP, PATIENCE, Rendezvous, anonymously, leave_wake_up_token,
    parked_since_token_left,
};

fn numbered_lines(count: usize) -> impl Iterator<Item = String> + Send + 'static {
    (0..count).map(|number| number.to_string())
}

fn parse_number(line: &str) -> Option<i64> {
    line.trim().parse().ok()
}

/// Runs the pipeline on another thread, collecting what `deliver` gets (after
/// `on_delivery` has seen it), and waits for it at most `PATIENCE`, so that a pipeline
/// that never shuts down fails with a message instead of hanging. A panic of the
/// pipeline comes back as `Err`, with its payload as it was.
fn run_watched<B: Send + 'static>(
    lines: impl Iterator<Item = String> + Send + 'static,
    parse: impl Fn(&str) -> Option<i64> + Send + 'static,
    transform: impl Fn(i64) -> B + Send + 'static,
    mut on_delivery: impl FnMut(&B) + Send + 'static,
) -> thread::Result<Vec<B>> {
    let (results_tx, results) = mpsc::channel();
    thread::spawn(move || {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            let mut delivered = Vec::new();
            run_pipeline(lines, parse, transform, |result| {
                on_delivery(&result);
                delivered.push(result);
            });
            delivered
        }));
        let _ = results_tx.send(outcome);
    });
    match results.recv_timeout(PATIENCE) {
        Ok(outcome) => outcome,
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

/// `run_watched` of numbered lines parsed as numbers, for a pipeline that must not panic.
fn delivered<B: Send + 'static>(
    lines: impl Iterator<Item = String> + Send + 'static,
    transform: impl Fn(i64) -> B + Send + 'static,
) -> Vec<B> {
    run_watched(lines, parse_number, transform, |_| ()).unwrap_or_else(|payload| {
        // The pipeline's own panic, passed on as it was.
        panic::resume_unwind(payload)
    })
}

#[test]
fn keeps_the_input_order_and_skips_lines_that_do_not_parse() {
    anonymously(|| {
        let lines = ["1", "two", "3", "", "5"].map(String::from).into_iter();
        assert_eq!(
            delivered(lines, |number| number * 10),
            [10, 30, 50],
            "expected the lines \"1\", \"two\", \"3\", \"\", \"5\" to deliver [10, 30, 50]: \
             lines that do not parse are skipped"
        );
        let squares: Vec<i64> = (0..1_000).map(|number| number * number).collect();
        assert!(
            delivered(numbered_lines(1_000), |number| number * number) == squares,
            "expected the squares of 0..1000 to be delivered in input order"
        );
    })
}

#[test]
fn an_empty_input_delivers_nothing() {
    anonymously(|| {
        assert_eq!(
            delivered(std::iter::empty(), |number| number),
            Vec::<i64>::new()
        );
    })
}

static STAGES_TOGETHER: Rendezvous = Rendezvous::new(2);

#[test]
fn the_stages_run_on_their_own_threads_at_the_same_time() {
    anonymously(|| {
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
        let mut results = Vec::new();
        let mut delivered_on = Vec::new();
        run_pipeline(numbered_lines(5), parse, transform, |result| {
            delivered_on.push(thread::current().id());
            results.push(result);
        });
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
        assert!(
            delivered_on.iter().all(|&id| id == caller),
            "expected every result to be delivered on the thread that called `run_pipeline` \
             ({caller:?}), but they were delivered on {delivered_on:?}"
        );
    })
}

/// How many lines a bounded pipeline may read ahead of a stage that is stuck on its
/// first item: a few channels' worth, and one item in each stage's hands.
const READ_AHEAD_LIMIT: usize = 3 * CAPACITY + 3;

/// How long a stage stays stuck. A parser that is not held back reads far more than
/// `READ_AHEAD_LIMIT` lines in this time, even on a busy machine.
const STUCK_FOR: Duration = Duration::from_secs(1);

/// Stays stuck for `STUCK_FOR`, or until more than `READ_AHEAD_LIMIT` lines were read
/// (the pipeline is not held back: no need to wait longer). Returns how many lines were
/// read by then.
fn stay_stuck(lines_read: &AtomicUsize) -> usize {
    let unstuck = Instant::now() + STUCK_FOR;
    while lines_read.load(Ordering::SeqCst) <= READ_AHEAD_LIMIT && Instant::now() < unstuck {
        thread::yield_now();
    }
    lines_read.load(Ordering::SeqCst)
}

/// Whether a stage slept while it was held back by the stage after it. Every call of
/// `before_each` (on the stage's thread, once per item) leaves a wake-up token; the
/// first call after `unstuck` is set asks whether the thread parked since the call
/// before, which came before the stage was held back.
#[derive(Default)]
struct HeldBack {
    unstuck: AtomicBool,
    asked: AtomicBool,
    slept: AtomicBool,
}

impl HeldBack {
    fn before_each(&self) {
        if self.unstuck.load(Ordering::SeqCst) && !self.asked.swap(true, Ordering::SeqCst) {
            self.slept
                .store(parked_since_token_left(), Ordering::SeqCst);
        }
        leave_wake_up_token();
    }

    /// Whether the stage slept; `None` if it never got another item after `unstuck`.
    fn slept(&self) -> Option<bool> {
        self.asked
            .load(Ordering::SeqCst)
            .then(|| self.slept.load(Ordering::SeqCst))
    }
}

/// Lines counted as the parser reads them, and watched while it is held back.
fn counted_lines(
    count: usize,
    lines_read: &Arc<AtomicUsize>,
    parser: &Arc<HeldBack>,
) -> impl Iterator<Item = String> + Send + 'static {
    let (lines_read, parser) = (Arc::clone(lines_read), Arc::clone(parser));
    numbered_lines(count).inspect(move |_| {
        parser.before_each();
        lines_read.fetch_add(1, Ordering::SeqCst);
    })
}

/// Says, when `slept` is `Some(false)`, that the `stage` polled instead of sleeping.
fn assert_slept_while_held_back(slept: Option<bool>, stage: &str, channel: &str) {
    assert!(
        slept != Some(false),
        "expected the {stage} to sleep while the channel to the {channel} was full (`send` on \
         a `sync_channel` blocks until there is room), but it never parked while it waited: \
         it polls (`try_send` in a loop, with `yield_now` or a short sleep), which keeps a \
         core busy doing nothing"
    );
}

#[test]
fn a_stuck_transformer_holds_the_parser_back() {
    anonymously(|| {
        let lines_read = Arc::new(AtomicUsize::new(0));
        let parser = Arc::new(HeldBack::default());
        let read_while_stuck = Arc::new(AtomicUsize::new(0));
        let lines = counted_lines(1_000, &lines_read, &parser);
        let transform = {
            let (lines_read, read_while_stuck, parser) = (
                Arc::clone(&lines_read),
                Arc::clone(&read_while_stuck),
                Arc::clone(&parser),
            );
            move |number: i64| {
                if number == 0 {
                    read_while_stuck.store(stay_stuck(&lines_read), Ordering::SeqCst);
                    parser.unstuck.store(true, Ordering::SeqCst);
                }
                number
            }
        };
        let results = delivered(lines, transform);
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
        assert_slept_while_held_back(parser.slept(), "parser", "transformer");
    })
}

#[test]
fn a_stuck_delivery_holds_the_transformer_and_the_parser_back() {
    anonymously(|| {
        let lines_read = Arc::new(AtomicUsize::new(0));
        let parser = Arc::new(HeldBack::default());
        let transformer = Arc::new(HeldBack::default());
        let lines = counted_lines(1_000, &lines_read, &parser);
        let transform = {
            let transformer = Arc::clone(&transformer);
            move |number: i64| {
                transformer.before_each();
                number
            }
        };
        let on_delivery = {
            let (lines_read, parser, transformer) = (
                Arc::clone(&lines_read),
                Arc::clone(&parser),
                Arc::clone(&transformer),
            );
            move |&number: &i64| {
                if number == 0 {
                    let read_while_stuck = stay_stuck(&lines_read);
                    assert!(
                        read_while_stuck <= READ_AHEAD_LIMIT,
                        "expected the transformer, and through it the parser, to wait while \
                         `deliver` was stuck on the first result, the parser reading at most \
                         {READ_AHEAD_LIMIT} lines ahead, but it had read {read_while_stuck} \
                         lines: nothing held them back, and an unbounded channel stores \
                         whatever a fast stage sends, however slow the stage after it. Both \
                         channels need `mpsc::sync_channel(CAPACITY)`"
                    );
                    parser.unstuck.store(true, Ordering::SeqCst);
                    transformer.unstuck.store(true, Ordering::SeqCst);
                }
            }
        };
        let results = run_watched(lines, parse_number, transform, on_delivery)
            .unwrap_or_else(|payload| panic::resume_unwind(payload));
        assert_eq!(results.len(), 1_000, "expected all 1000 items to come out");
        assert_slept_while_held_back(transformer.slept(), "transformer", "caller");
        assert_slept_while_held_back(parser.slept(), "parser", "transformer");
    })
}

#[test]
fn stages_with_nothing_to_do_sleep() {
    anonymously(|| {
        let slept: Arc<Mutex<Vec<(&'static str, bool)>>> = Arc::default();
        // The parser takes FALL_ASLEEP over the second line: meanwhile the transformer and
        // the calling thread have nothing to do, and must sleep until item 1 comes.
        let parse = |line: &str| {
            if line == "1" {
                thread::sleep(FALL_ASLEEP);
            }
            parse_number(line)
        };
        let woke = |stage: &'static str, slept: &Mutex<Vec<(&'static str, bool)>>, number: i64| {
            if number == 0 {
                leave_wake_up_token();
            } else if number == 1 {
                slept
                    .lock()
                    .unwrap()
                    .push((stage, parked_since_token_left()));
            }
        };
        let transform = {
            let slept = Arc::clone(&slept);
            move |number: i64| {
                woke("transformer", &slept, number);
                number
            }
        };
        let on_delivery = {
            let slept = Arc::clone(&slept);
            move |&number: &i64| woke("calling thread", &slept, number)
        };
        let results = run_watched(numbered_lines(3), parse, transform, on_delivery)
            .unwrap_or_else(|payload| panic::resume_unwind(payload));
        assert_eq!(results, [0, 1, 2]);
        for &(stage, parked) in slept.lock().unwrap().iter() {
            assert!(
                parked,
                "expected the {stage} to sleep while it waited for the second item (the parser \
                 took {FALL_ASLEEP:?} over it), but it never parked: it polls (`try_recv` in a \
                 loop, with `yield_now` or a short sleep), which keeps a core busy doing \
                 nothing. A `for item in receiver` loop sleeps in `recv` until an item comes"
            );
        }
    })
}

/// How long a stage's thread takes to end once its work is done: a pipeline that does
/// not join its threads returns (or panics) meanwhile.
const ENDING_TAKES: Duration = Duration::from_millis(200);

/// Counts the end of a stage's thread: a thread-local value, dropped as the thread exits
/// (after its closure has returned and dropped everything it owned, its `Sender`
/// included), so before a `join` on that thread returns. Ending takes its time, or stops
/// early once the pipeline has returned without waiting for it.
struct EndOfStage {
    takes: Duration,
    finished: Arc<AtomicUsize>,
    returned: Arc<AtomicBool>,
}

impl Drop for EndOfStage {
    fn drop(&mut self) {
        let done = Instant::now() + self.takes;
        while !self.returned.load(Ordering::SeqCst) && Instant::now() < done {
            thread::yield_now();
        }
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

thread_local! {
    static END_OF_STAGE: RefCell<Option<EndOfStage>> = const { RefCell::new(None) };
}

/// Stages whose threads take their time to end (see `EndOfStage`): `parse` and
/// `transform` wrap the stages' functions.
struct GuardedStages {
    finished: Arc<AtomicUsize>,
    returned: Arc<AtomicBool>,
}

impl GuardedStages {
    fn new() -> GuardedStages {
        GuardedStages {
            finished: Arc::default(),
            returned: Arc::default(),
        }
    }

    /// Makes the calling thread's end take `takes`, the first time it is called there.
    fn ending(&self, takes: Duration) -> impl Fn() + Send + 'static {
        let (finished, returned) = (Arc::clone(&self.finished), Arc::clone(&self.returned));
        move || {
            END_OF_STAGE.with(|end| {
                end.borrow_mut().get_or_insert_with(|| EndOfStage {
                    takes,
                    finished: Arc::clone(&finished),
                    returned: Arc::clone(&returned),
                });
            })
        }
    }

    fn parse(
        &self,
        ending_takes: Duration,
        parse: impl Fn(&str) -> Option<i64> + Send + 'static,
    ) -> impl Fn(&str) -> Option<i64> + Send + 'static {
        let ending = self.ending(ending_takes);
        move |line| {
            ending();
            parse(line)
        }
    }

    fn transform(
        &self,
        ending_takes: Duration,
        transform: impl Fn(i64) -> i64 + Send + 'static,
    ) -> impl Fn(i64) -> i64 + Send + 'static {
        let ending = self.ending(ending_takes);
        move |number| {
            ending();
            transform(number)
        }
    }

    /// How many stages' threads had ended when the pipeline returned; lets the rest end.
    fn finished_on_return(&self) -> usize {
        let finished = self.finished.load(Ordering::SeqCst);
        self.returned.store(true, Ordering::SeqCst);
        finished
    }
}

#[test]
fn every_stage_has_finished_when_the_pipeline_returns() {
    anonymously(|| {
        let stages = GuardedStages::new();
        let mut results = Vec::new();
        run_pipeline(
            numbered_lines(100),
            stages.parse(ENDING_TAKES, parse_number),
            stages.transform(ENDING_TAKES, |number| number),
            |number| results.push(number),
        );
        let finished_then = stages.finished_on_return();
        assert_eq!(results.len(), 100, "expected all 100 items to come out");
        assert_eq!(
            finished_then, 2,
            "expected both stages' threads to have ended when \
             `run_pipeline` returned, but {finished_then} of 2 had: a stage thread was still \
             running. Join every thread you spawn before returning"
        );
    })
}

/// The text of a panic's payload, or a description of a payload that is not text.
fn described(payload: &(dyn Any + Send)) -> String {
    threadlings::check::panic_text(payload).map_or_else(
        || "a payload that is not text".to_string(),
        |text| format!("\"{text}\""),
    )
}

/// From now on, prints only the panics of the calling thread (the test's): a stage's
/// panic, and any panic the pipeline makes of it, are what the test checks, and its
/// assertions say what they mean.
fn report_only_this_threads_panics() {
    let test = thread::current().id();
    let report = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if thread::current().id() == test {
            report(info);
        }
    }));
}

const TRANSFORMER_FAILS: &str = "a transformer that fails on purpose";

#[test]
fn a_transformer_that_panics_makes_the_pipeline_panic() {
    anonymously(|| {
        report_only_this_threads_panics();
        let stages = GuardedStages::new();
        let outcome = run_watched(
            numbered_lines(100),
            // The stage that does not panic ends last: passing the panic on before joining
            // it is then seen.
            stages.parse(2 * ENDING_TAKES, parse_number),
            stages.transform(ENDING_TAKES, |number| {
                if number == 3 {
                    panic!("{TRANSFORMER_FAILS}");
                }
                number
            }),
            |_| (),
        );
        let finished_then = stages.finished_on_return();
        match outcome {
            Ok(results) => panic!(
                "expected the transformer's panic (at item 3) to reach the caller of \
                 `run_pipeline`, but it returned after delivering {} results as if the input \
                 had ended there. Join each stage's thread; `join` returns `Err` with the \
                 panic, which `std::panic::resume_unwind` passes on",
                results.len()
            ),
            Err(payload) => assert!(
                threadlings::check::panic_text(&*payload) == Some(TRANSFORMER_FAILS),
                "expected the transformer's panic (\"{TRANSFORMER_FAILS}\") to reach the caller \
                 of `run_pipeline`, but the caller panicked with {}: pass the payload that \
                 `join` returns on with `std::panic::resume_unwind`, not a panic of your own",
                described(&*payload)
            ),
        }
        assert_eq!(
            finished_then, 2,
            "expected both stages' threads to have finished when the transformer's panic \
             reached the caller, but {finished_then} of 2 had: the panic was passed on before \
             every thread was joined. Join both threads first, then pass the panic on"
        );
    })
}

#[test]
fn a_parser_that_panics_makes_the_pipeline_panic_with_its_payload() {
    anonymously(|| {
        report_only_this_threads_panics();
        let stages = GuardedStages::new();
        let outcome = run_watched(
            numbered_lines(100),
            stages.parse(ENDING_TAKES, |line| {
                if line == "3" {
                    // A payload that is not text: only the payload itself can be passed on.
                    panic::panic_any(DeliberatePanic);
                }
                parse_number(line)
            }),
            // The stage that does not panic ends last: passing the panic on before joining
            // it is then seen.
            stages.transform(2 * ENDING_TAKES, |number| number),
            |_| (),
        );
        let finished_then = stages.finished_on_return();
        match outcome {
            Ok(results) => panic!(
                "expected the parser's panic (at line 3) to reach the caller of `run_pipeline`, \
                 but it returned after delivering {} results as if the input had ended there: \
                 the parser's thread was not joined, or its `Err` was ignored. A panic in any \
                 stage must reach the caller (`std::panic::resume_unwind`)",
                results.len()
            ),
            Err(payload) => assert!(
                payload.is::<DeliberatePanic>(),
                "expected the parser's panic to reach the caller of `run_pipeline` with its own \
                 payload, but the caller panicked with {}: a new panic (from `unwrap`, \
                 `expect` or `panic!`) replaces the payload the parser panicked with. Pass on \
                 what `join` returns with `std::panic::resume_unwind`",
                described(&*payload)
            ),
        }
        assert_eq!(
            finished_then, 2,
            "expected both stages' threads to have finished when the parser's panic reached \
             the caller, but {finished_then} of 2 had: the panic was passed on before every \
             thread was joined. Join both threads first, then pass the panic on"
        );
    })
}
