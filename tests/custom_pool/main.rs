//! Checks for `custom_pool`: the pool has the number of threads asked for, with the
//! right names, and `map_on` runs its work on the given pool's threads, two at once.

#[path = "../../exercises/08_data_parallelism/custom_pool.rs"]
mod exercise;

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::thread;
use threadlings::check::Rendezvous;

fn thread_name() -> Option<String> {
    thread::current().name().map(String::from)
}

#[test]
fn builds_a_pool_of_three_named_threads() {
    let pool = exercise::build_pool(3).expect("a rayon pool");
    assert_eq!(
        pool.current_num_threads(),
        3,
        "expected a pool of 3 threads, whatever the number of cores"
    );
    // `broadcast` runs the closure once on every thread of the pool.
    let mut names = pool.broadcast(|_| thread_name());
    names.sort();
    let expected = ["cruncher-0", "cruncher-1", "cruncher-2"].map(|name| Some(name.to_string()));
    assert_eq!(
        names, expected,
        "expected the pool's threads to be named after their index in the pool"
    );
}

/// A pool that the check builds itself, so that `map_on` is checked on its own.
fn checkers_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|index| format!("checker-{index}"))
        .build()
        .expect("a rayon pool")
}

#[test]
fn map_on_runs_the_work_on_the_given_pool() {
    let pool = checkers_pool();
    let items: Vec<u32> = (0..100).collect();
    let threads = Mutex::new(BTreeSet::new());
    let doubled = exercise::map_on(&pool, &items, |&n| {
        threads.lock().unwrap().insert(thread_name());
        n * 2
    });
    assert!(
        doubled.iter().copied().eq((0..100).map(|n| n * 2)),
        "expected every item's result, in the order of the items"
    );
    let outside: Vec<Option<String>> = threads
        .into_inner()
        .unwrap()
        .into_iter()
        .filter(|name| {
            !name
                .as_deref()
                .is_some_and(|name| name.starts_with("checker-"))
        })
        .collect();
    assert!(
        outside.is_empty(),
        "expected the work to run only on the given pool's threads (named checker-0 and \
         checker-1), but it also ran on threads named {outside:?}: a `par_iter` outside \
         `pool.install` runs on rayon's global pool (or, without rayon, on the caller's \
         thread)"
    );
}

static MEETING: Rendezvous = Rendezvous::new(2);

#[test]
fn map_on_uses_two_of_the_pools_threads_at_once() {
    let pool = checkers_pool();
    let items: Vec<u32> = (0..1000).collect();
    let results = exercise::map_on(&pool, &items, |&n| MEETING.inside(|| n + 1));
    assert_eq!(results.len(), 1000, "expected a result for every item");
    assert!(
        MEETING.opened(),
        "expected the work to run on two of the pool's threads at the same time, but only \
         one thread was ever working ({} item(s), one after another): inside \
         `pool.install`, the items must still be processed with `par_iter`.",
        MEETING.arrivals()
    );
}

#[test]
fn map_on_a_built_pool_runs_on_its_crunchers() {
    let pool = exercise::build_pool(2).expect("a rayon pool");
    let names = exercise::map_on(&pool, &[1, 2, 3], |_| thread_name());
    for name in names {
        assert!(
            name.as_deref()
                .is_some_and(|name| name.starts_with("cruncher-")),
            "expected work given to `map_on` with a pool from `build_pool` to run on a \
             thread named cruncher-N, but it ran on {name:?}"
        );
    }
}
