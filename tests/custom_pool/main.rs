//! Checks for `custom_pool`: the pool has the number of threads asked for (whatever the
//! number of cores), with the right names; `map_on` runs its work on the given pool's
//! threads, two at once, keeps the items' order when the first item finishes late, and
//! needs nothing of rayon's global pool (it finishes while every global thread is
//! busy).

#[path = "../../exercises/08_data_parallelism/custom_pool.rs"]
mod exercise;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use threadlings::check::{PATIENCE, Rendezvous, anonymously, returns_within};

fn thread_name() -> Option<String> {
    thread::current().name().map(String::from)
}

#[test]
fn builds_a_pool_of_three_named_threads() {
    anonymously(|| {
        let pool = exercise::build_pool(3).expect("a rayon pool");
        assert_eq!(
            pool.current_num_threads(),
            3,
            "expected a pool of 3 threads, whatever the number of cores"
        );
        // `broadcast` runs the closure once on every thread of the pool.
        let mut names = pool.broadcast(|_| thread_name());
        names.sort();
        let expected =
            ["cruncher-0", "cruncher-1", "cruncher-2"].map(|name| Some(name.to_string()));
        assert_eq!(
            names, expected,
            "expected the pool's threads to be named after their index in the pool"
        );
    })
}

#[test]
fn builds_pools_of_the_size_asked_for() {
    anonymously(|| {
        // Three sizes, so that no machine's number of cores matches them all.
        for threads in [1, 2, 5] {
            let pool = exercise::build_pool(threads).expect("a rayon pool");
            let built = pool.current_num_threads();
            assert_eq!(
                built, threads,
                "expected `build_pool({threads})` to build a pool of {threads} thread(s), but it \
                 has {built}: without `num_threads(threads)` a pool gets one thread per core (or \
                 `RAYON_NUM_THREADS`), which differs from machine to machine"
            );
        }
    })
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
    anonymously(|| {
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
    })
}

#[test]
fn map_on_keeps_the_item_order_when_the_first_item_finishes_late() {
    anonymously(|| {
        let pool = checkers_pool();
        let items: Vec<u32> = (0..100).collect();
        // Item 0 is held until two other items have finished, on the pool's other thread:
        // by then whatever that thread did with the first of them is done too.
        let others_done = (Mutex::new(0), Condvar::new());
        let doubled = exercise::map_on(&pool, &items, |&n| {
            let (done, changed) = &others_done;
            if n == 0 {
                let done = done.lock().unwrap();
                let _ = changed.wait_timeout_while(done, PATIENCE, |done| *done < 2);
            } else {
                *done.lock().unwrap() += 1;
                changed.notify_all();
            }
            n * 2
        });
        if let Some(at) = (0..doubled.len()).find(|&at| doubled[at] != 2 * items[at]) {
            panic!(
                "expected every item's result in the order of the items, but position {at} \
                 holds the result of item {} where that of item {at} belongs: item 0 \
                 finished after other items, and the results came back in the order the \
                 threads finished them. `collect` on `par_iter().map(..)` puts each result \
                 where its item was",
                doubled[at] / 2
            );
        }
        assert_eq!(
            doubled.len(),
            items.len(),
            "expected a result for every item"
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(2);

#[test]
fn map_on_uses_two_of_the_pools_threads_at_once() {
    anonymously(|| {
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
    })
}

#[test]
fn map_on_a_built_pool_runs_on_its_crunchers() {
    anonymously(|| {
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
    })
}

/// Keeps every thread of rayon's global pool busy until `release` is set: returns once
/// they all are, and the thread that keeps them busy.
fn occupy_the_global_pool(release: &'static AtomicBool) -> thread::JoinHandle<()> {
    static BUSY: AtomicUsize = AtomicUsize::new(0);
    let threads = rayon::current_num_threads();
    let occupier = thread::spawn(move || {
        // `broadcast` runs the closure once on every thread of the global pool.
        rayon::broadcast(|_| {
            BUSY.fetch_add(1, Ordering::SeqCst);
            while !release.load(Ordering::SeqCst) {
                thread::park_timeout(std::time::Duration::from_millis(10));
            }
        });
    });
    while BUSY.load(Ordering::SeqCst) < threads {
        thread::yield_now();
    }
    occupier
}

static GLOBAL_POOL_RELEASED: AtomicBool = AtomicBool::new(false);

#[test]
fn map_on_needs_nothing_of_the_global_pool() {
    anonymously(|| {
        let occupier = occupy_the_global_pool(&GLOBAL_POOL_RELEASED);
        let outcome = returns_within(PATIENCE, || {
            let pool = checkers_pool();
            let items: Vec<u32> = (0..100).collect();
            exercise::map_on(&pool, &items, |&n| n + 1)
        });
        GLOBAL_POOL_RELEASED.store(true, Ordering::SeqCst);
        occupier
            .join()
            .expect("the global pool's threads were released");
        match outcome {
            Some(results) => assert!(
                results.iter().copied().eq(1..=100),
                "expected every item's result, in the order of the items"
            ),
            None => panic!(
                "expected `map_on` to finish on the pool it was given while every thread of \
                 rayon's global pool was busy, but it was still waiting after {PATIENCE:?}: part \
                 of the parallel iterator runs on the global pool. Only what runs inside \
                 `pool.install(..)` uses `pool`: wrap the whole `items.par_iter()...collect()` \
                 in it, not each item's work"
            ),
        }
    })
}
