//! Checks for `handle_not_sync`: a `Tally` records, sums and absorbs, and can move to
//! another thread (tests); `tally_in_parallel` measures on two threads at the same time,
//! loses no update, and passes a panic of `measure` on unchanged, whichever thread it
//! happened on (tests); a `Tally` must not be shared by two threads (compile-fail).

#[path = "../../exercises/05_send_sync/handle_not_sync.rs"]
mod exercise;

use exercise::Tally;
use std::cell::Cell;
use std::thread;
use threadlings::check::{
    PATIENCE, Rendezvous, anonymously, assert_passes_the_panic_on, quiet_deliberate_panics,
    rayon_global_pool_of_one,
};

#[test]
fn records_counts_sums_and_absorbs() {
    anonymously(|| {
        let tally = Tally::default();
        tally.record(3);
        tally.record(4);
        let other = Tally::new();
        other.record(10);
        tally.absorb(other);
        assert_eq!(
            (tally.count(), tally.sum()),
            (3, 17),
            "expected 3 values summing to 17 after absorbing a tally of one value, 10"
        );
    })
}

#[test]
fn a_tally_can_move_to_another_thread() {
    anonymously(|| {
        let tally = Tally::new();
        tally.record(3);
        // If this does not compile, `Tally` cannot be sent to another thread: it should
        // be, as its `Cell`s are.
        let tally = thread::spawn(move || {
            tally.record(5);
            tally
        })
        .join()
        .expect("the thread that recorded panicked");
        assert_eq!(
            (tally.count(), tally.sum()),
            (2, 8),
            "expected the value recorded before the move and the one recorded after it"
        );
    })
}

static MEETING: Rendezvous = Rendezvous::new(2);

thread_local! {
    static ARRIVED: Cell<bool> = const { Cell::new(false) };
}

/// Waits, on each thread's first measurement only, until another thread is measuring
/// too; after that the threads measure freely, side by side.
fn meet_once() {
    if !ARRIVED.with(|arrived| arrived.replace(true)) {
        MEETING.inside(|| ());
    }
}

#[test]
fn tallies_on_two_threads_at_once_and_loses_nothing() {
    anonymously(|| {
        // Halves handed to rayon would be measured at once only on a machine with two cores.
        rayon_global_pool_of_one();
        let items: Vec<u64> = (0..200_000).collect();
        let tally = exercise::tally_in_parallel(&items, |item| {
            meet_once();
            *item
        });
        assert!(
            MEETING.opened(),
            "expected the items to be measured on two threads at the same time, but only one \
             thread was ever measuring: keep one half on a spawned thread"
        );
        let expected_sum: u64 = items.iter().sum();
        assert_eq!(
            (tally.count(), tally.sum()),
            (items.len() as u64, expected_sum),
            "expected every one of the {} measurements (summing to {expected_sum}) in the \
             tally, but updates were lost: two threads recorded into the same `Cell`s at once. \
             Give each thread a `Tally` of its own",
            items.len()
        );
    })
}

/// Tallies 0..100 with a `measure` that panics on item `failing`, and checks that
/// `tally_in_parallel` panics with that very panic. Item 0 is in the first half and item
/// 99 in the second, so one of the two is measured on the thread that
/// `tally_in_parallel` spawns, whichever half that is.
fn passes_the_panic_on(failing: u64, expected: &'static str) {
    quiet_deliberate_panics();
    assert_passes_the_panic_on(
        "tally_in_parallel",
        &format!("`measure` on item {failing}"),
        expected,
        PATIENCE,
        move || {
            let items: Vec<u64> = (0..100).collect();
            let tally = exercise::tally_in_parallel(&items, |&item| {
                if item == failing {
                    panic!("{expected}");
                }
                item
            });
            (tally.count(), tally.sum())
        },
    );
}

#[test]
fn a_panic_on_the_first_item_reaches_the_caller_unchanged() {
    anonymously(|| {
        passes_the_panic_on(0, "on purpose: measure failed on item 0");
    })
}

#[test]
fn a_panic_on_the_last_item_reaches_the_caller_unchanged() {
    anonymously(|| {
        passes_the_panic_on(99, "on purpose: measure failed on item 99");
    })
}
