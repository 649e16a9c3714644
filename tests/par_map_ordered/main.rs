//! Checks for `par_map_ordered`: the kept items are transformed on two threads at once,
//! and the results come back in input order even when a later item finishes first.

#[path = "../../exercises/08_data_parallelism/par_map_ordered.rs"]
mod exercise;

use std::sync::{Condvar, Mutex};
use std::time::Instant;
use threadlings::check::{PATIENCE, Rendezvous, two_thread_pool};

#[test]
fn keeps_and_transforms_the_right_items() {
    let items: Vec<u64> = (1..=10).collect();
    let squares = exercise::keep_and_transform(&items, |n| n % 2 == 0, |n| n * n);
    assert_eq!(
        squares,
        vec![4, 16, 36, 64, 100],
        "expected the squares of the even numbers of 1..=10, in order"
    );
}

static MEETING: Rendezvous = Rendezvous::new(2);

#[test]
fn transforms_on_two_threads_at_once() {
    let items: Vec<u64> = (1..=1000).collect();
    let doubled = two_thread_pool()
        .install(|| exercise::keep_and_transform(&items, |_| true, |n| MEETING.inside(|| n * 2)));
    assert_eq!(doubled.len(), 1000, "expected all 1000 items to be kept");
    assert!(
        MEETING.opened(),
        "expected items to be transformed on two threads at the same time, but only one \
         thread was ever transforming ({} item(s) transformed one after another): the work \
         is sequential. Start from `items.par_iter()`.",
        MEETING.arrivals()
    );
}

/// Counts finished transformations, so that one transformation can wait for others.
struct Progress {
    finished: Mutex<usize>,
    changed: Condvar,
}

impl Progress {
    fn finish_one(&self) {
        *self.finished.lock().unwrap() += 1;
        self.changed.notify_all();
    }

    /// Waits until `count` transformations have finished, or gives up after the
    /// kit's patience (then the order check below is simply less demanding).
    fn wait_for(&self, count: usize) {
        let deadline = Instant::now() + PATIENCE;
        let mut finished = self.finished.lock().unwrap();
        while *finished < count {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            finished = self
                .changed
                .wait_timeout(finished, deadline - now)
                .unwrap()
                .0;
        }
    }
}

#[test]
fn keeps_the_input_order_when_a_later_item_finishes_first() {
    let progress = Progress {
        finished: Mutex::new(0),
        changed: Condvar::new(),
    };
    let items: Vec<u64> = (0..1000).collect();
    // The first item is transformed last: its thread waits until the other thread has
    // transformed 200 items of the slice's later pieces.
    let result = two_thread_pool().install(|| {
        exercise::keep_and_transform(
            &items,
            |n| n % 2 == 0,
            |&n| {
                if n == 0 {
                    progress.wait_for(200);
                } else {
                    progress.finish_one();
                }
                n
            },
        )
    });
    let expected: Vec<u64> = (0..1000).step_by(2).collect();
    assert_eq!(
        result.len(),
        expected.len(),
        "expected the 500 even numbers"
    );
    let first_at = result.iter().position(|&n| n == 0);
    assert!(
        result == expected,
        "expected the results in input order, but the result of the first item is at \
         position {first_at:?}: its transformation finished last, and the output follows \
         the order in which threads finished, not the order of the input. rayon's \
         `collect` puts each result where its item was."
    );
}
