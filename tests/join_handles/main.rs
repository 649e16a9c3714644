//! Checks for `join_handles`: the results come back in job order, every job runs on a
//! thread of its own, and the jobs run at the same time (all their threads are inside
//! a rendezvous together), not one after another.

#[path = "../../exercises/02_threads/join_handles.rs"]
mod exercise;

use std::collections::HashSet;
use std::thread;
use threadlings::check::Rendezvous;

#[test]
fn returns_the_results_in_job_order() {
    let jobs: Vec<_> = (0..8u64).map(|n| move || n * n).collect();
    assert_eq!(
        exercise::run_all(jobs),
        vec![0, 1, 4, 9, 16, 25, 36, 49],
        "expected the result of each job, in the order of the jobs: join the handles in \
         the order they were spawned"
    );
}

#[test]
fn no_jobs_give_no_results() {
    let jobs: Vec<fn() -> u8> = Vec::new();
    assert!(exercise::run_all(jobs).is_empty());
}

#[test]
fn every_job_runs_on_a_thread_of_its_own() {
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
}

static MEETING: Rendezvous = Rendezvous::new(3);

#[test]
fn the_jobs_run_at_the_same_time() {
    let jobs: Vec<_> = (0..3).map(|n| move || MEETING.inside(|| n)).collect();
    let results = exercise::run_all(jobs);
    assert_eq!(results, vec![0, 1, 2], "expected the results in job order");
    assert!(
        MEETING.opened(),
        "expected the 3 jobs to run at the same time, but the most that ever ran together \
         was {}: each thread was joined before the next was spawned. Iterators \
         are lazy: `map(|job| thread::spawn(job).join())` spawns and joins one at a time. \
         Collect all the handles first, then join them.",
        MEETING.most_inside()
    );
}
