//! Checks for `borrow_needs_scope`: `count_matching` counts a borrowed slice correctly,
//! on two threads at the same time, and passes a panic of `matches` on unchanged,
//! whichever thread it happened on; `in_background` runs its work on another thread
//! (tests); `in_background` must never accept work that borrows a local (compile-fail).

#[path = "../../exercises/05_send_sync/borrow_needs_scope.rs"]
mod exercise;

use std::thread;
use threadlings::check::{
    PATIENCE, Rendezvous, anonymously, assert_passes_the_panic_on, quiet_deliberate_panics,
    rayon_global_pool_of_one,
};

#[test]
fn counts_the_matching_items_of_a_borrowed_slice() {
    anonymously(|| {
        let numbers: Vec<u32> = (0..1000).collect();
        assert_eq!(
            exercise::count_matching(&numbers, |n| n % 2 == 0),
            500,
            "expected 500 even numbers in 0..1000"
        );
        assert_eq!(
            exercise::count_matching(&numbers[..1], |n| *n == 0),
            1,
            "expected a slice of one matching item to count 1"
        );
        let nothing: [u32; 0] = [];
        assert_eq!(exercise::count_matching(&nothing, |_| true), 0);
    })
}

static MEETING: Rendezvous = Rendezvous::new(2);

#[test]
fn counts_on_two_threads_at_once() {
    anonymously(|| {
        // Halves handed to rayon would be counted at once only on a machine with two cores.
        rayon_global_pool_of_one();
        // Local data, borrowed: nothing here is `'static`.
        let numbers: Vec<u32> = (0..1000).collect();
        let multiple_of = 3;
        let count = exercise::count_matching(&numbers, |n| MEETING.inside(|| n % multiple_of == 0));
        assert_eq!(count, 334, "expected 334 multiples of 3 in 0..1000");
        assert!(
            MEETING.opened(),
            "expected the two halves to be counted on two threads at the same time, but only \
             one thread was ever testing items ({} tested one after another): the count is \
             still sequential. Spawn a thread for one half inside `std::thread::scope`.",
            MEETING.arrivals()
        );
    })
}

#[test]
fn in_background_runs_the_work_on_another_thread() {
    anonymously(|| {
        /// Starts work that owns its data and returns while the work may still be running.
        fn start() -> thread::JoinHandle<(usize, thread::ThreadId)> {
            let owned = String::from("abc");
            exercise::in_background(move || (owned.len(), thread::current().id()))
        }
        let (length, worker) = start().join().expect("the background thread panicked");
        assert_eq!(length, 3, "expected the length that the work computed");
        assert_ne!(
            worker,
            thread::current().id(),
            "expected `in_background` to run the work on a new thread"
        );
    })
}

/// Counts 0..100 with a `matches` that panics on item `failing`, and checks that
/// `count_matching` panics with that very panic. Item 0 is in the first half and item 99
/// in the second, so one of the two is tested on the thread that `count_matching`
/// spawns, whichever half that is.
fn passes_the_panic_on(failing: u32, expected: &'static str) {
    quiet_deliberate_panics();
    assert_passes_the_panic_on(
        "count_matching",
        &format!("`matches` on item {failing}"),
        expected,
        PATIENCE,
        move || {
            let numbers: Vec<u32> = (0..100).collect();
            exercise::count_matching(&numbers, |&n| {
                if n == failing {
                    panic!("{expected}");
                }
                true
            })
        },
    );
}

#[test]
fn a_panic_on_the_first_item_reaches_the_caller_unchanged() {
    anonymously(|| {
        passes_the_panic_on(0, "on purpose: matches failed on item 0");
    })
}

#[test]
fn a_panic_on_the_last_item_reaches_the_caller_unchanged() {
    anonymously(|| {
        passes_the_panic_on(99, "on purpose: matches failed on item 99");
    })
}
