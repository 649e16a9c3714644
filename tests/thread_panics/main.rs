//! Checks for `thread_panics`: a job's panic comes back as that job's `Err` with its
//! message while the other jobs' results are kept, `run_isolated` itself does not
//! panic, the jobs run on threads of their own (a panic never reaches the caller's
//! thread), all at the same time, the outcomes keep the jobs' order when the jobs
//! finish last to first, and every thread has ended when `run_isolated` returns (it
//! joined them).

#[path = "../../exercises/02_threads/thread_panics.rs"]
mod exercise;

use std::any::Any;
use std::panic;
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use threadlings::check::{
    DeliberatePanic, Ending, FinishInReverse, LINGER, PATIENCE, Rendezvous, ThreadEnds,
    anonymously, ending_within, panic_text, quiet_deliberate_panics, quiet_panics_on_this_thread,
};

type Job<T> = Box<dyn FnOnce() -> T + Send>;

/// A job that panics with `message`; the check reports what became of it, so the panic
/// itself is not printed.
fn failing<T>(message: String) -> Job<T> {
    Box::new(move || {
        quiet_panics_on_this_thread();
        panic!("{message}")
    })
}

/// Runs `run_isolated`, reporting a panic that escapes it, or a hang, as a failure that
/// says why.
fn run_isolated<T: Send + 'static>(jobs: Vec<Job<T>>) -> Vec<Result<T, String>> {
    run_isolated_within(PATIENCE, jobs).0
}

/// [`run_isolated`], waiting at most `patience` for it to return; also gives the
/// thread that called it.
fn run_isolated_within<T: Send + 'static>(
    patience: Duration,
    jobs: Vec<Job<T>>,
) -> (Vec<Result<T, String>>, thread::ThreadId) {
    let call = move || (exercise::run_isolated(jobs), thread::current().id());
    match ending_within(patience, call) {
        Ending::Returned(returned) => returned,
        Ending::Panicked(payload) => panic!(
            "expected `run_isolated` to return each job's panic as an `Err`, but the panic \
             reached the caller ({:?}): `join` returns `Err(payload)` when the thread \
             panicked, and unwrapping it panics the caller too. Map the error with \
             `panic_message` instead.",
            panic_text(&*payload).unwrap_or("a payload that is not text")
        ),
        Ending::StillRunning => panic!(
            "expected `run_isolated` to return once every job had finished, but it had \
             not returned after {patience:?}"
        ),
    }
}

#[test]
fn jobs_that_succeed_give_their_values_in_order() {
    anonymously(|| {
        let jobs: Vec<Job<u32>> = vec![Box::new(|| 1), Box::new(|| 2), Box::new(|| 3)];
        assert_eq!(run_isolated(jobs), vec![Ok(1), Ok(2), Ok(3)]);
    })
}

#[test]
fn a_formatted_panic_gives_its_message_and_spares_the_others() {
    anonymously(|| {
        let job = 2;
        let jobs: Vec<Job<u32>> = vec![
            Box::new(|| 10),
            failing(format!("job {job} failed")),
            Box::new(|| 30),
        ];
        let results = run_isolated(jobs);
        assert!(
            results == vec![Ok(10), Err("job 2 failed".to_owned()), Ok(30)],
            "expected the panicking job to give `Err` with its message (a `String` payload, \
             from a formatted `panic!`), and the jobs around it their values: \
             [Ok(10), Err(\"job 2 failed\"), Ok(30)], but `run_isolated` returned {results:?}"
        );
    })
}

#[test]
fn a_literal_panic_gives_its_message() {
    anonymously(|| {
        let jobs: Vec<Job<u32>> = vec![Box::new(|| {
            quiet_panics_on_this_thread();
            panic!("no input")
        })];
        let results = run_isolated(jobs);
        assert!(
            results == vec![Err("no input".to_owned())],
            "expected a literal panic message (a `&'static str` payload) to come back as \
             text, [Err(\"no input\")], but `run_isolated` returned {results:?}"
        );
    })
}

#[test]
fn a_panic_that_is_not_text_gives_the_fallback_message() {
    anonymously(|| {
        let jobs: Vec<Job<u32>> = vec![Box::new(|| panic::panic_any(DeliberatePanic))];
        let results = run_isolated(jobs);
        assert!(
            results == vec![Err(exercise::NOT_TEXT.to_owned())],
            "expected a payload that is neither a `String` nor a `&'static str` to give \
             `NOT_TEXT`, but `run_isolated` returned {results:?}"
        );
    })
}

#[test]
fn each_job_panics_on_a_thread_of_its_own() {
    anonymously(|| {
        let jobs: Vec<Job<thread::ThreadId>> = vec![
            Box::new(|| thread::current().id()),
            failing("stop".to_owned()),
            Box::new(|| thread::current().id()),
        ];
        let (results, caller) = run_isolated_within(PATIENCE, jobs);
        let on_caller = results
            .iter()
            .filter(|result| result.as_ref().is_ok_and(|id| *id == caller))
            .count();
        assert!(
            on_caller == 0,
            "expected every job to run on a thread of its own, but {on_caller} ran on the \
             caller's thread: a thread is what keeps a job's panic away from the others"
        );
        assert!(
            results[1].is_err(),
            "expected the second job's panic as `Err`"
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(3);

#[test]
fn the_jobs_run_at_the_same_time() {
    anonymously(|| {
        let jobs: Vec<Job<u32>> = vec![
            Box::new(|| MEETING.inside(|| 1)),
            Box::new(|| {
                MEETING.inside(|| ());
                quiet_panics_on_this_thread();
                panic!("the second job failed")
            }),
            Box::new(|| MEETING.inside(|| 3)),
        ];
        // Jobs run one after another wait for the others at the meeting until it gives up,
        // after `PATIENCE`: `run_isolated` then returns later than that.
        let (results, _) = run_isolated_within(2 * PATIENCE, jobs);
        assert!(
            MEETING.opened(),
            "expected the 3 jobs to run at the same time, each on a thread of its own, but \
             the most that ever ran together was {}: some threads were joined before the \
             others were spawned. Spawn every thread first (collect the handles), then join \
             them.",
            MEETING.most_inside()
        );
        assert_eq!(
            results,
            vec![Ok(1), Err("the second job failed".to_owned()), Ok(3)]
        );
    })
}

static LAST_FIRST: FinishInReverse = FinishInReverse::new(4);

#[test]
fn the_results_keep_the_job_order_when_the_last_job_finishes_first() {
    anonymously(|| {
        let jobs: Vec<Job<usize>> = (0..4)
            .map(|n| -> Job<usize> {
                Box::new(move || {
                    LAST_FIRST.thread(n, || {
                        if n == 1 {
                            quiet_panics_on_this_thread();
                            panic!("job 1 failed")
                        }
                        n
                    })
                })
            })
            .collect();
        let results = run_isolated_within(2 * PATIENCE, jobs).0;
        let expected = vec![Ok(0), Err("job 1 failed".to_owned()), Ok(2), Ok(3)];
        assert!(
            results == expected,
            "expected each job's outcome in the order of the jobs, {expected:?}, but \
             `run_isolated` returned {results:?}, while the jobs finished last to first \
             (each waited for the ones after it){}: the outcomes came back in the order \
             the threads finished. Keep the handles in job order and join them in that \
             order: `join` gives each thread's own outcome, whenever it finished.",
            if LAST_FIRST.gave_up() {
                " (or would have, had they run at the same time)"
            } else {
                ""
            }
        );
    })
}

#[test]
fn every_thread_has_ended_when_run_isolated_returns() {
    anonymously(|| {
        let ends = ThreadEnds::new();
        let tracked = |fails: bool| -> Job<()> {
            let ends = Arc::clone(&ends);
            Box::new(move || {
                ends.track_this_thread();
                if fails {
                    quiet_panics_on_this_thread();
                    panic!("this job fails")
                }
            })
        };
        run_isolated(vec![tracked(false), tracked(true), tracked(false)]);
        let (ended, count) = ends.after_return();
        assert!(
            ended == count,
            "expected `run_isolated` to return only after every job's thread had ended, but \
             {} of the {count} threads were still running when it returned (each thread's \
             end was held back {LINGER:?}, and `run_isolated` did not wait for it): the \
             results came back some other way than `join`. Join every handle: `join` gives \
             back the value, or the panic as `Err(payload)`.",
            count - ended
        );
    })
}

#[test]
fn panic_message_reads_both_kinds_of_text() {
    anonymously(|| {
        quiet_deliberate_panics();
        let literal: Box<dyn Any + Send> = Box::new("a literal");
        let formatted: Box<dyn Any + Send> = Box::new(String::from("a formatted message"));
        let neither: Box<dyn Any + Send> = Box::new(7_u8);
        assert_eq!(
            exercise::panic_message(literal),
            "a literal",
            "expected the text of a `&'static str` payload"
        );
        assert_eq!(
            exercise::panic_message(formatted),
            "a formatted message",
            "expected the text of a `String` payload"
        );
        assert_eq!(
            exercise::panic_message(neither),
            exercise::NOT_TEXT,
            "expected `NOT_TEXT` for a payload that is neither a `String` nor a `&'static str`"
        );
    })
}
