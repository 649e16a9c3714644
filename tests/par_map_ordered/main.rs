//! Checks for `par_map_ordered`: only the kept items are transformed; `keep` and
//! `transform` both run on two threads of the caller's rayon pool at once; and the
//! results come back in input order even when the first item finishes after later ones
//! and every thread finishes items both before and after it.

#[path = "../../exercises/08_data_parallelism/par_map_ordered.rs"]
mod exercise;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread::{self, ThreadId};
use std::time::Instant;
use threadlings::check::{PATIENCE, PoolWitness, Rendezvous, anonymously, two_thread_pool};

#[test]
fn keeps_and_transforms_the_right_items() {
    anonymously(|| {
        let items: Vec<u64> = (1..=10).collect();
        let squares = exercise::keep_and_transform(&items, |n| n % 2 == 0, |n| n * n);
        assert_eq!(
            squares,
            vec![4, 16, 36, 64, 100],
            "expected the squares of the even numbers of 1..=10, in order"
        );
    })
}

#[test]
fn transforms_only_the_kept_items() {
    anonymously(|| {
        let transformed = AtomicUsize::new(0);
        let items: Vec<u64> = (0..1000).collect();
        let kept = exercise::keep_and_transform(
            &items,
            |n| n % 4 == 0,
            |&n| {
                transformed.fetch_add(1, Ordering::SeqCst);
                n
            },
        );
        assert_eq!(
            kept.len(),
            250,
            "expected the 250 multiples of 4 below 1000"
        );
        let calls = transformed.load(Ordering::SeqCst);
        assert_eq!(
            calls, 250,
            "expected `transform` to run once for each of the 250 kept items, but it ran {calls} \
             times: items that `keep` rejects were transformed too (or items more than once). \
             Transforming is the expensive part: filter first, then map"
        );
    })
}

/// Says, when `calls` callbacks ran outside the check's pool, why that is wrong.
fn ran_outside(calls: usize, what: &str) -> String {
    format!(
        "expected every {what} to run on a thread of the rayon pool that \
         `keep_and_transform` was called in, but {calls} ran on other threads: a pool built \
         inside the function (its size is the machine's, not the caller's choice) or threads \
         spawned for the work ignore the caller's pool. `items.par_iter()` runs on the \
         current pool"
    )
}

static TRANSFORMING: Rendezvous = Rendezvous::new(2);

#[test]
fn transforms_on_two_threads_at_once() {
    anonymously(|| {
        let witness = PoolWitness::two_threads();
        let items: Vec<u64> = (1..=1000).collect();
        let doubled = witness.install(|| {
            exercise::keep_and_transform(
                &items,
                |_| true,
                |n| {
                    witness.note();
                    TRANSFORMING.inside(|| n * 2)
                },
            )
        });
        assert_eq!(doubled.len(), 1000, "expected all 1000 items to be kept");
        assert!(
            TRANSFORMING.opened(),
            "expected items to be transformed on two threads at the same time, but only one \
             thread was ever transforming ({} item(s) transformed one after another): the work \
             is sequential, or a lock makes the threads take turns. Start from \
             `items.par_iter()`.",
            TRANSFORMING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside, "transformation"));
    })
}

static KEEPING: Rendezvous = Rendezvous::new(2);

#[test]
fn decides_what_to_keep_on_two_threads_at_once() {
    anonymously(|| {
        let witness = PoolWitness::two_threads();
        let items: Vec<u64> = (1..=1000).collect();
        let kept = witness.install(|| {
            exercise::keep_and_transform(
                &items,
                |n| {
                    witness.note();
                    KEEPING.inside(|| n % 2 == 1)
                },
                |&n| n,
            )
        });
        assert_eq!(kept.len(), 500, "expected the 500 odd numbers of 1..=1000");
        assert!(
            KEEPING.opened(),
            "expected `keep` to run on two threads at the same time, but only one thread was \
             ever deciding ({} item(s), one after another): the items are filtered \
             sequentially (a sequential `filter` before the parallel part, or a lock around \
             `keep`). `filter` on the parallel iterator runs on every thread of the pool.",
            KEEPING.arrivals()
        );
        let outside = witness.calls_outside();
        assert!(outside == 0, "{}", ran_outside(outside, "call of `keep`"));
    })
}

/// How many later items must finish before the first one does.
const BEFORE_THE_FIRST: usize = 200;

/// Arranges the order in which items finish: the first item finishes only after other
/// threads have finished `BEFORE_THE_FIRST` later ones; those threads then wait until
/// the first item's thread has transformed one more item. Every thread thus finishes
/// items both before and after the first one, so no order of finishing, and no way of
/// joining the threads' results, gives the input order by luck.
struct Progress {
    state: Mutex<Finishing>,
    changed: Condvar,
}

#[derive(Default)]
struct Finishing {
    /// Items other than the first, finished by threads other than the first item's.
    others_finished: usize,
    first_thread: Option<ThreadId>,
    first_finished: bool,
    first_thread_moved_on: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            state: Mutex::new(Finishing::default()),
            changed: Condvar::new(),
        }
    }

    /// Waits until `ready` holds, or gives up after the kit's patience (the order check
    /// is then simply less demanding).
    fn wait_until(&self, ready: impl Fn(&Finishing) -> bool) -> MutexGuard<'_, Finishing> {
        let deadline = Instant::now() + PATIENCE;
        let mut state = self.state.lock().unwrap();
        while !ready(&state) {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            state = self.changed.wait_timeout(state, deadline - now).unwrap().0;
        }
        state
    }

    fn transform(&self, n: u64) -> u64 {
        let me = thread::current().id();
        if n == 0 {
            self.state.lock().unwrap().first_thread = Some(me);
            let mut state = self.wait_until(|state| state.others_finished >= BEFORE_THE_FIRST);
            state.first_finished = true;
        } else {
            let mut state = self.state.lock().unwrap();
            if state.first_thread == Some(me) && state.first_finished {
                state.first_thread_moved_on = true;
            } else {
                if state.others_finished >= BEFORE_THE_FIRST {
                    drop(state);
                    state = self.wait_until(|state| state.first_thread_moved_on);
                }
                state.others_finished += 1;
            }
        }
        self.changed.notify_all();
        n
    }
}

#[test]
fn keeps_the_input_order_when_a_later_item_finishes_first() {
    anonymously(|| {
        let progress = Progress::new();
        let items: Vec<u64> = (0..1000).collect();
        let result = two_thread_pool().install(|| {
            exercise::keep_and_transform(&items, |n| n % 2 == 0, |&n| progress.transform(n))
        });
        let expected: Vec<u64> = (0..1000).step_by(2).collect();
        assert_eq!(
            result.len(),
            expected.len(),
            "expected the 500 even numbers"
        );
        if let Some(at) = (0..result.len()).find(|&at| result[at] != expected[at]) {
            panic!(
                "expected the results in input order, but position {at} holds the result of \
                 item {} where that of item {} belongs (the first item, 0, is at position \
                 {:?}). The first item finished after 200 later ones: the output follows the \
                 order in which threads finished (or took) the items, not the order of the \
                 input. rayon's `collect` on `par_iter()` puts each result where its item was.",
                result[at],
                expected[at],
                result.iter().position(|&n| n == 0)
            );
        }
    })
}
