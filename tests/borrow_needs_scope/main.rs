//! Checks for `borrow_needs_scope`: `count_matching` counts a borrowed slice correctly,
//! on two threads at the same time, and passes a panic of `matches` on unchanged,
//! whichever thread it happened on; `in_background` runs its work on another thread
//! (tests); `in_background` must never accept work that borrows a local (compile-fail).

#[path = "../../exercises/05_send_sync/borrow_needs_scope.rs"]
mod exercise;

use std::thread;
use threadlings::check::{
    PATIENCE, Rendezvous, outcome_within, panic_text, quiet_deliberate_panics,
    rayon_global_pool_of_one,
};

#[test]
fn counts_the_matching_items_of_a_borrowed_slice() {
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
}

static MEETING: Rendezvous = Rendezvous::new(2);

#[test]
fn counts_on_two_threads_at_once() {
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
}

#[test]
fn in_background_runs_the_work_on_another_thread() {
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
}

/// Counts 0..100 with a `matches` that panics on item `failing`, and checks that
/// `count_matching` panics with that very panic. Item 0 is in the first half and item 99
/// in the second, so one of the two is tested on the thread that `count_matching`
/// spawns, whichever half that is. (A check's own message must not quote the panic:
/// `quiet_deliberate_panics` would hide it.)
fn passes_the_panic_on(failing: u32, expected: &'static str) {
    quiet_deliberate_panics();
    let outcome = outcome_within(PATIENCE, move || {
        let numbers: Vec<u32> = (0..100).collect();
        exercise::count_matching(&numbers, |&n| {
            if n == failing {
                panic!("{expected}");
            }
            true
        })
    });
    match outcome {
        Some(Err(payload)) => {
            let text = panic_text(&*payload);
            assert!(
                text == Some(expected),
                "expected `count_matching` to panic with the panic of `matches` on item \
                 {failing} (its payload, passed on unchanged), but it panicked with {}: \
                 `unwrap` or `expect` on a `join`, and a scope left to join a thread that \
                 panicked, replace the panic with one of their own. Pass the payload that \
                 `join` returns in `Err` on with `std::panic::resume_unwind`.",
                text.map_or("a payload that is not text".to_owned(), |text| format!(
                    "{text:?}"
                ))
            );
        }
        Some(Ok(count)) => panic!(
            "expected `count_matching` to panic, because `matches` panicked on item \
             {failing}, but it returned {count}: the panic was lost. Join the counting \
             thread and pass a panic that `join` returns in `Err` on with \
             `std::panic::resume_unwind`."
        ),
        None => panic!(
            "`matches` panicked on item {failing}, but {PATIENCE:?} later `count_matching` \
             still had not returned or panicked"
        ),
    }
}

#[test]
fn a_panic_on_the_first_item_reaches_the_caller_unchanged() {
    passes_the_panic_on(0, "on purpose: matches failed on item 0");
}

#[test]
fn a_panic_on_the_last_item_reaches_the_caller_unchanged() {
    passes_the_panic_on(99, "on purpose: matches failed on item 99");
}
