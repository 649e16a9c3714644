//! Checks for `join_handles`: the results come back in job order, every job runs on a
//! thread of its own, the jobs run at the same time (all their threads are inside a
//! rendezvous together), not one after another, the results keep the jobs' order when
//! the jobs finish last to first, every thread has ended when `run_all` returns (it
//! joined them), and a job's panic reaches the caller unchanged.

#[path = "../../exercises/02_threads/join_handles.rs"]
mod exercise;

use std::collections::HashSet;
use std::sync::Arc;
use std::thread;
use threadlings::check::{
    DeliberatePanic, FinishInReverse, LINGER, Rendezvous, ThreadEnds, anonymously,
    panic_reaching_the_caller, panic_text, quiet_panics_on_this_thread,
};

#[test]
fn returns_the_results_in_job_order() {
    anonymously(|| {
        let jobs: Vec<_> = (0..8u64).map(|n| move || n * n).collect();
        assert_eq!(
            exercise::run_all(jobs),
            vec![0, 1, 4, 9, 16, 25, 36, 49],
            "expected the result of each job, in the order of the jobs: join the handles in \
             the order they were spawned"
        );
    })
}

#[test]
fn no_jobs_give_no_results() {
    anonymously(|| {
        let jobs: Vec<fn() -> u8> = Vec::new();
        assert!(exercise::run_all(jobs).is_empty());
    })
}

#[test]
fn every_job_runs_on_a_thread_of_its_own() {
    anonymously(|| {
        let caller = thread::current().id();
        let jobs: Vec<_> = (0..4).map(|_| || thread::current().id()).collect();
        let workers = exercise::run_all(jobs);
        assert!(
            !workers.contains(&caller),
            "expected every job to run on a new thread, but at least one ran on the caller's \
             own thread: start each job with `thread::spawn`"
        );
        let distinct: HashSet<_> = workers.iter().collect();
        assert_eq!(
            distinct.len(),
            4,
            "expected 4 jobs to run on 4 different threads, but they ran on {}",
            distinct.len()
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(3);

#[test]
fn the_jobs_run_at_the_same_time() {
    anonymously(|| {
        let jobs: Vec<_> = (0..3).map(|n| move || MEETING.inside(|| n)).collect();
        let results = exercise::run_all(jobs);
        assert_eq!(results, vec![0, 1, 2], "expected the results in job order");
        assert!(
            MEETING.opened(),
            "expected the 3 jobs to run at the same time, but the most that ever ran together \
             was {}: threads were joined before the others were spawned. Iterators \
             are lazy: `map(|job| thread::spawn(job).join())` spawns and joins one at a time. \
             Collect all the handles first, then join them.",
            MEETING.most_inside()
        );
    })
}

static LAST_FIRST: FinishInReverse = FinishInReverse::new(4);

#[test]
fn the_results_keep_the_job_order_when_the_last_job_finishes_first() {
    anonymously(|| {
        let jobs: Vec<_> = (0..4).map(|n| move || LAST_FIRST.thread(n, || n)).collect();
        let results = exercise::run_all(jobs);
        assert!(
            results == [0, 1, 2, 3],
            "expected the results in the order of the jobs, [0, 1, 2, 3], but `run_all` \
             returned {results:?}, while the jobs finished last to first (each waited for \
             the ones after it){}: the results came back in the order the threads \
             finished. Keep the handles in job order and join them in that order: `join` \
             gives each thread's own result, whenever it finished.",
            if LAST_FIRST.gave_up() {
                " (or would have, had they run at the same time)"
            } else {
                ""
            }
        );
    })
}

#[test]
fn every_thread_has_ended_when_run_all_returns() {
    anonymously(|| {
        let ends = ThreadEnds::new();
        let jobs: Vec<_> = (0..4)
            .map(|_| {
                let ends = Arc::clone(&ends);
                move || ends.track_this_thread()
            })
            .collect();
        exercise::run_all(jobs);
        let (ended, tracked) = ends.after_return();
        assert!(
            ended == tracked,
            "expected `run_all` to return only after every job's thread had ended, but {} of \
             the {tracked} threads were still running when it returned (each thread's end was \
             held back {LINGER:?}, and `run_all` did not wait for it): the results came back \
             some other way than `join`. Join every handle; `join` also gives back the result.",
            tracked - ended
        );
    })
}

/// Runs three jobs, the second of which is `panic`, and returns the panic that reached
/// the caller of `run_all`.
fn panic_of_the_second_job(
    panic: impl FnOnce() -> u32 + Send + 'static,
) -> Box<dyn std::any::Any + Send> {
    let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> =
        vec![Box::new(|| 1), Box::new(panic), Box::new(|| 3)];
    panic_reaching_the_caller("run_all", move || exercise::run_all(jobs))
}

#[test]
fn a_job_that_panics_panics_run_all_with_its_own_payload() {
    anonymously(|| {
        let payload = panic_of_the_second_job(|| {
            quiet_panics_on_this_thread();
            panic!("the second job failed")
        });
        let text = panic_text(&*payload);
        assert!(
            text == Some("the second job failed"),
            "expected the job's own panic to reach the caller of `run_all` (\"the second job \
             failed\"), but the caller panicked with {:?}: the panic was replaced (`unwrap` \
             and `expect` make a panic of their own). Pass the payload that `join` returns in \
             `Err(payload)` on unchanged, with `std::panic::resume_unwind(payload)`.",
            text.unwrap_or("a payload that is not text")
        );
        let payload = panic_of_the_second_job(|| std::panic::panic_any(DeliberatePanic));
        assert!(
            payload.is::<DeliberatePanic>(),
            "expected a job's panic payload that is not text to reach the caller of `run_all` \
             unchanged, but the caller panicked with {:?}: pass it on with \
             `std::panic::resume_unwind(payload)`.",
            panic_text(&*payload).unwrap_or("another payload")
        );
    })
}
