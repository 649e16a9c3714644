//! Checks for `unsafe_impl_bounds`: a `RawBox` owns, frees and gives back its value,
//! dropping it exactly once and giving its heap memory back every time (tests); it can move to another thread and be shared between threads, including
//! boxes of values that are only `Send` or only `Sync` (tests: these do not compile
//! while the promises are missing or demand too much); and an `Rc`, a `Cell` or a
//! `MutexGuard` cannot cross threads inside one (compile-fail: the promises must not
//! be too loose).

#[path = "../../exercises/05_send_sync/unsafe_impl_bounds.rs"]
mod exercise;

use exercise::RawBox;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use threadlings::check::{Bulky, CountingAllocator, anonymously, live_bulky_allocations};

// Counts the heap allocations that hold a `Bulky`, so that a leak shows.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Held by each test that counts allocations, so that tests run as threads of one
/// process (a plain `cargo test`) do not count each other's.
fn counting_alone() -> MutexGuard<'static, ()> {
    static COUNTING: Mutex<()> = Mutex::new(());
    COUNTING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Counts its drops in a shared counter.
struct DropCounter(Rc<Cell<u32>>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn owns_frees_and_gives_back_its_value() {
    anonymously(|| {
        let mut boxed = RawBox::new(vec![1, 2]);
        boxed.push(3);
        assert_eq!(
            *boxed,
            [1, 2, 3],
            "expected the value changed through the box"
        );
        assert_eq!(boxed.into_inner(), [1, 2, 3]);

        let drops = Rc::new(Cell::new(0));
        drop(RawBox::new(DropCounter(Rc::clone(&drops))));
        assert_eq!(
            drops.get(),
            1,
            "expected dropping the box to drop its value once"
        );
    })
}

#[test]
fn a_box_moves_to_another_thread() {
    anonymously(|| {
        let boxed = RawBox::new(String::from("made here"));
        // If this does not compile, `RawBox<String>` is not `Send`.
        let boxed = thread::spawn(move || {
            let mut boxed = boxed;
            boxed.push_str(", changed there");
            boxed
        })
        .join()
        .expect("the thread that changed the box panicked");
        assert_eq!(boxed.into_inner(), "made here, changed there");
    })
}

#[test]
fn a_box_is_shared_between_threads() {
    anonymously(|| {
        let boxed = RawBox::new((1..=100).collect::<Vec<u64>>());
        let sums: Vec<u64> = thread::scope(|scope| {
            // If this does not compile, `RawBox<Vec<u64>>` is not `Sync`.
            let readers: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| boxed.iter().sum::<u64>()))
                .collect();
            readers
                .into_iter()
                .map(|reader| reader.join().expect("a reading thread panicked"))
                .collect()
        });
        assert_eq!(
            sums,
            [5050, 5050],
            "expected both threads to read the same numbers"
        );
    })
}

/// A `Cell` may move between threads but not be shared: a box of one may move too.
#[test]
fn a_box_of_a_value_that_is_send_but_not_sync_moves() {
    anonymously(|| {
        let boxed = RawBox::new(Cell::new(1));
        // If this does not compile, `Send` for `RawBox<T>` asks more of `T` than `T: Send`.
        let value = thread::spawn(move || {
            boxed.set(2);
            boxed.into_inner().get()
        })
        .join()
        .expect("the thread that set the cell panicked");
        assert_eq!(value, 2);
    })
}

/// A `MutexGuard` may be shared between threads but not move to another (the thread
/// that locked must unlock): a box of one may be shared too.
#[test]
fn a_box_of_a_value_that_is_sync_but_not_send_is_shared() {
    anonymously(|| {
        let lock = Mutex::new(7);
        let boxed = RawBox::new(lock.lock().expect("a fresh mutex"));
        let seen: Vec<i32> = thread::scope(|scope| {
            let boxed = &boxed;
            // If this does not compile, `Sync` for `RawBox<T>` asks more of `T` than
            // `T: Sync`.
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(move || {
                        let value: &i32 = boxed;
                        *value
                    })
                })
                .collect();
            readers
                .into_iter()
                .map(|reader| reader.join().expect("a reading thread panicked"))
                .collect()
        });
        assert_eq!(
            seen,
            [7, 7],
            "expected both threads to read the guarded value"
        );
    })
}

#[test]
fn dropping_a_box_gives_its_memory_back() {
    anonymously(|| {
        let _alone = counting_alone();
        let before = live_bulky_allocations();
        let boxed = RawBox::new(Bulky::filled_with(7));
        assert_eq!(
            live_bulky_allocations(),
            before + 1,
            "expected `RawBox::new` to put the value in one heap allocation"
        );
        assert_eq!(boxed.0[0], 7, "expected the value put in the box");
        drop(boxed);
        assert_eq!(
            live_bulky_allocations(),
            before,
            "expected dropping a `RawBox` to give back the heap memory that held its value, \
             but the memory is still allocated: the box leaks. Dropping the value in place \
             is not enough; `Box::from_raw` turns the pointer back into a `Box`, whose drop \
             drops the value and frees the memory."
        );
    })
}

#[test]
fn into_inner_gives_the_memory_back_and_drops_nothing() {
    anonymously(|| {
        let _alone = counting_alone();
        let before = live_bulky_allocations();
        let value = RawBox::new(Bulky::filled_with(9)).into_inner();
        assert_eq!(
            value.0[0], 9,
            "expected `into_inner` to give back the value"
        );
        assert_eq!(
            live_bulky_allocations(),
            before,
            "expected `into_inner` to give back the heap memory once it has moved the value \
             out, but the memory is still allocated: the box leaks. `*Box::from_raw(..)` moves \
             the value out and frees the memory."
        );

        let drops = Rc::new(Cell::new(0));
        let value = RawBox::new(DropCounter(Rc::clone(&drops))).into_inner();
        assert_eq!(
            drops.get(),
            0,
            "expected `into_inner` to hand the value over without dropping it, but it was \
             dropped: the caller now holds a value that is already dropped"
        );
        drop(value);
        assert_eq!(
            drops.get(),
            1,
            "expected the value that `into_inner` gave back to be dropped exactly once, by \
             its new owner"
        );
    })
}
